//! The view in the URL's #fragment, so a link reproduces it (the fragment never
//! leaves the browser): `z=` the pasted text deflated and base64url-encoded,
//! the form's edited fields by name, `page=` the backing page size in bytes, and
//! `embed=1` for the calculation-only view.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Inflated text is capped so a hostile link cannot exhaust memory.
const MAX_TEXT: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewState {
    pub text: Option<String>,
    /// Edited form fields, (key, text as typed).
    pub fields: Vec<(String, String)>,
    pub backing: Option<f64>,
    pub embed: bool,
}

pub fn encode_text(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

pub fn decode_text(z: &str) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(z.trim_end_matches('=')).ok()?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&raw, MAX_TEXT).ok()?;
    String::from_utf8(bytes).ok()
}

/// Percent-encode what a field's text may contain beyond [A-Za-z0-9._-].
fn esc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

fn unesc(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = if b[i] == b'%' { s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) } else { None };
        match hex {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn encode(v: &ViewState) -> String {
    let mut parts = Vec::new();
    if v.embed {
        parts.push("embed=1".to_string());
    }
    for (k, t) in &v.fields {
        parts.push(format!("{}={}", esc(k), esc(t)));
    }
    if let Some(b) = v.backing {
        parts.push(format!("page={b}"));
    }
    if let Some(t) = &v.text {
        parts.push(format!("z={}", encode_text(t)));
    }
    parts.join("&")
}

/// Reads a fragment (with or without '#'); unknown keys are ignored, bad values dropped.
pub fn decode(hash: &str) -> ViewState {
    let mut v = ViewState::default();
    for kv in hash.trim_start_matches('#').split('&').filter(|s| !s.is_empty()) {
        let (k, val) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "z" => v.text = decode_text(val),
            "embed" => v.embed = val != "0",
            "page" => v.backing = val.parse::<f64>().ok().filter(|b| b.is_finite() && *b >= 4096.0),
            other => v.fields.push((unesc(other), unesc(val))),
        }
    }
    v
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The current fragment, decoded.
pub fn read() -> ViewState {
    let hash = window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    decode(&hash)
}

/// Replace the fragment without adding a history entry per keystroke.
pub fn write(v: &ViewState) {
    let Some(w) = window() else { return };
    let frag = format!("#{}", encode(v));
    if w.location().hash().ok().as_deref() == Some(frag.as_str()) {
        return;
    }
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&frag));
    }
}
