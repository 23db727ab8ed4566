//! A paste too large for a textarea (see page/big_paste.rs for why and what):
//! the browser's half, which stops the browser inserting it.

use crate::page::big_paste::{note, tail, LIMIT};
use wasm_bindgen::JsCast;

/// The plain text of a paste event. web-sys's ClipboardEvent/DataTransfer
/// would need two more crate features; two reflective calls do the same.
fn pasted_text(e: &web_sys::Event) -> Option<String> {
    let data = js_sys::Reflect::get(e, &"clipboardData".into()).ok()?;
    let get: js_sys::Function = js_sys::Reflect::get(&data, &"getData".into()).ok()?.dyn_into().ok()?;
    get.call1(&data, &"text/plain".into()).ok()?.as_string()
}

/// For a paste above LIMIT: stop the browser inserting it and return
/// (what the box should hold, the note to show). None: let the browser paste.
pub fn take_over(e: &web_sys::Event) -> Option<(String, String)> {
    let text = pasted_text(e)?;
    if text.len() <= LIMIT {
        return None;
    }
    e.prevent_default();
    let kept = tail(&text);
    Some((kept.to_string(), note(text.len(), kept.len())))
}
