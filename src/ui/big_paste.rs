//! A paste too large for a textarea. Chromium lays out every line of a
//! textarea's text on the main thread: measured with `make bench`, 1 MB freezes
//! the tab for about 1.5 s and 10 MB for 15-25 s, whatever the page then does,
//! and parse + analyse of 10 MB takes seconds more. So a paste above LIMIT is
//! taken over: the box gets its last LIMIT bytes (the latest snapshots, which
//! the advice is about), cut at a prompt or line start, and a note says so.
//! The box still holds exactly what is analysed, so line numbers stay true.

use wasm_bindgen::JsCast;

/// Largest paste handled the browser's way (a long polling session is ~100 KB).
pub const LIMIT: usize = 256 * 1024;

/// The last `LIMIT` bytes of `text`, starting at a `(qemu)` prompt when one is
/// near the cut, else at a line start.
pub fn tail(text: &str) -> &str {
    if text.len() <= LIMIT {
        return text;
    }
    let mut cut = text.len() - LIMIT;
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    let rest = &text[cut..];
    let near = &rest[..rest.len().min(64 * 1024)];
    let start = near.find("\n(qemu)").or_else(|| near.find('\n')).map(|i| i + 1).unwrap_or(0);
    &rest[start..]
}

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
    let note = format!(
        "Pasted {:.1} MB: too much for the browser to show at once, so the box holds the last {} KB (the latest output), and that is what is analysed.",
        text.len() as f64 / 1e6,
        kept.len() / 1024
    );
    Some((kept.to_string(), note))
}
