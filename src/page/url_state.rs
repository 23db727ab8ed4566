//! The view in the URL's #fragment, so a link reproduces it (the fragment never
//! leaves the browser): `z=` the pasted text deflated and base64url-encoded,
//! the form's edited fields by key, `page=` the backing page size in bytes,
//! `platform=` where the guest runs, `link=` the link speed as typed (Mbit/s),
//! `domain=` the libvirt domain or VM name, `embed=1` for the calculation-only
//! view and `theme=light|dark|auto` for an embed to match its host page. Pure:
//! ui/location.rs reads and writes the address bar.

use super::fields::FormField;
use super::theme::Theme;
use crate::core::Platform;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Inflated text is capped so a hostile link cannot exhaust memory.
const MAX_TEXT: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewState {
    pub text: Option<String>,
    /// Edited form fields, with the text as typed.
    pub fields: Vec<(FormField, String)>,
    /// Backing page size in bytes; None: the default (16 MiB).
    pub backing: Option<f64>,
    /// None: not stated (no `platform=` key).
    pub platform: Option<Platform>,
    /// The link speed field as typed (Mbit/s).
    pub link: Option<String>,
    /// The libvirt domain (or VM) name the commands are filled with.
    pub domain: Option<String>,
    pub embed: bool,
    /// An embed's theme, chosen by the page that embeds it (None: the reader's own choice).
    pub theme: Option<Theme>,
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
    if let Some(t) = v.theme {
        parts.push(format!("theme={}", t.key()));
    }
    for (f, t) in &v.fields {
        parts.push(format!("{}={}", f.key(), esc(t)));
    }
    if let Some(b) = v.backing {
        parts.push(format!("page={b}"));
    }
    if let Some(p) = v.platform {
        parts.push(format!("platform={}", p.name()));
    }
    if let Some(l) = &v.link {
        parts.push(format!("link={}", esc(l)));
    }
    if let Some(d) = &v.domain {
        parts.push(format!("domain={}", esc(d)));
    }
    if let Some(t) = &v.text {
        parts.push(format!("z={}", encode_text(t)));
    }
    parts.join("&")
}

/// Reads a fragment (with or without '#'); unknown keys are ignored, bad values dropped.
/// A key given twice: the last one wins (as a form field typed twice would).
pub fn decode(hash: &str) -> ViewState {
    let mut v = ViewState::default();
    for kv in hash.trim_start_matches('#').split('&').filter(|s| !s.is_empty()) {
        let (k, val) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "z" => v.text = decode_text(val),
            "embed" => v.embed = val != "0",
            "page" => v.backing = val.parse::<f64>().ok().filter(|b| b.is_finite() && *b >= 4096.0),
            "platform" => v.platform = Platform::from_name(val),
            "link" => v.link = Some(unesc(val)),
            "domain" => v.domain = Some(unesc(val)).filter(|d| !d.trim().is_empty()),
            "theme" => v.theme = Theme::from_key(Some(val)).or_auto(val),
            other => {
                if let Some(f) = FormField::from_key(&unesc(other)) {
                    v.fields.retain(|(g, _)| *g != f);
                    v.fields.push((f, unesc(val)));
                }
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../tests/data/corpus/seed/as_pasted.txt");

    #[test]
    fn round_trips_text_fields_platform_link_and_flags() {
        let v = ViewState {
            text: Some(SEED.to_string()),
            fields: vec![(FormField::DowntimeLimit, "1,500".into()), (FormField::Throughput, "866.83 &=#".into())],
            backing: Some(2097152.0),
            platform: Some(Platform::PowerRadix),
            link: Some("10 000".into()),
            domain: Some("guest 01".into()),
            embed: true,
            theme: Some(Theme::Dark),
        };
        let enc = encode(&v);
        assert!(!enc.contains('#') && !enc.contains(' '), "{enc}");
        assert!(enc.contains("limit=1%2C500") && enc.contains("platform=power-radix"), "{enc}");
        assert!(enc.contains("theme=dark") && enc.contains("domain=guest%2001"), "{enc}");
        // Deflate makes the seed's 700-odd bytes much shorter than base64 of the raw text would be.
        assert!(enc.len() < SEED.len(), "{} >= {}", enc.len(), SEED.len());
        assert_eq!(decode(&format!("#{enc}")), v);
    }

    #[test]
    fn hostile_fragments_decode_to_nothing_without_panicking() {
        for h in ["#z=%%%", "#z=AAAA", "#page=-1", "#page=NaN", "#=&&=", "#z=////", "#platform=arm", "#%ZZ=1&limit=%"] {
            let v = decode(h);
            assert_eq!(v.text, None, "{h}");
            assert_eq!(v.backing, None, "{h}");
            assert_eq!(v.platform, None, "{h}");
        }
        assert_eq!(decode("#theme=auto").theme, Some(Theme::Auto));
        assert_eq!(decode("#theme=purple").theme, None);
        // An unknown field is dropped; a known one keeps its (odd) text for the form to flag.
        assert_eq!(decode("#nosuch=1&limit=%").fields, vec![(FormField::DowntimeLimit, "%".to_string())]);
    }

    #[test]
    fn a_bomb_inflates_to_nothing() {
        // 8 MiB of one byte deflates to a few KiB; the cap refuses it rather than allocate it.
        let z = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&vec![b'a'; 8 << 20], 9));
        assert!(z.len() < 64 * 1024, "{}", z.len());
        assert_eq!(decode_text(&z), None);
    }
}
