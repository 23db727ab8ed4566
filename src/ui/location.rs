//! The address bar: reads the view from the #fragment and writes it there when a
//! link is copied (the format is src/page/url_state.rs; its text's deflate is the
//! browser's, ui/deflate.rs, and reaches `write` and `embed_src` made ahead).

use crate::page::theme::Theme;
use crate::page::url_state::{self, Decoded, ViewState};

fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The view the page opens with, its text still deflated.
pub fn initial() -> Decoded {
    let hash = fragment();
    if hash.trim_start_matches('#').is_empty() {
        Decoded::default()
    } else {
        decode(&hash)
    }
}

/// Out of line (its one caller would take it in): the browser compiles each wasm function
/// on its first call, so a page opened without a view in its address (most loads) does
/// not compile the decoder.
#[inline(never)]
fn decode(hash: &str) -> Decoded {
    url_state::decode(hash)
}

/// Put the view into the address bar, replacing the entry (Copy link is the only
/// caller: the pasted text reaches history only when asked).
pub fn write(v: &ViewState, deflate: impl FnOnce(&str) -> Vec<u8>) {
    let Some(w) = web_sys::window() else { return };
    let frag = format!("#{}", url_state::encode(v, deflate));
    if w.location().hash().ok().as_deref() == Some(frag.as_str()) {
        return;
    }
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&frag));
    }
}

/// The page's address with the view in its fragment.
pub fn current_link() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// The same view without `embed=1`, for the embed's "open" link.
pub fn full_link() -> String {
    format!("./#{}", url_state::without_embed(&fragment()))
}

/// This page's address (no fragment) with `view` as an embed in the given theme.
pub fn embed_src(view: &ViewState, theme: Theme, deflate: impl FnOnce(&str) -> Vec<u8>) -> String {
    let loc = web_sys::window().map(|w| w.location());
    let origin = loc.as_ref().and_then(|l| l.origin().ok()).unwrap_or_default();
    let path = loc.as_ref().and_then(|l| l.pathname().ok()).unwrap_or_else(|| "/".into());
    let v = ViewState { embed: true, theme: Some(theme), ..view.clone() };
    format!("{origin}{path}#{}", url_state::encode(&v, deflate))
}
