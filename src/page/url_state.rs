//! The view in the URL's #fragment, so a link reproduces it (the fragment never
//! leaves the browser): `z=` the pasted text deflated and base64url-encoded,
//! the form's edited fields by key, `page=` the backing page size in bytes,
//! `platform=` where the guest runs, `link=` the link speed as typed (Mbit/s),
//! `domain=` the libvirt domain or VM name, `embed=1` for the calculation-only
//! view and `theme=light|dark|auto` for an embed to match its host page. Pure:
//! ui/location.rs reads and writes the address bar. The deflating itself is the
//! browser's (ui/deflate.rs: CompressionStream, which is asynchronous), so `encode` is
//! given the text's deflate and `decode` hands the text back still deflated.

use super::fields::FormField;
use super::theme::Theme;
use crate::core::Platform;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Inflated text is capped so a hostile link cannot exhaust memory.
pub const MAX_TEXT: usize = 4 * 1024 * 1024;

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

/// A fragment as read: the view, its text still deflated in `z` (raw deflate, RFC 1951)
/// for the caller to inflate into `view.text` (the page: ui/deflate.rs, capped at `MAX_TEXT`).
#[derive(Debug, Default, PartialEq)]
pub struct Decoded {
    pub view: ViewState,
    pub z: Option<Vec<u8>>,
}

/// `bytes` as raw deflate in stored (uncompressed) blocks, RFC 1951 section 3.2.4: a link's
/// text when the browser's compressed form is not at hand (not made yet, or no
/// CompressionStream). Any inflater reads it; the link is only longer.
pub fn stored(bytes: &[u8]) -> Vec<u8> {
    const MAX_BLOCK: usize = 65_535;
    let mut out = Vec::with_capacity(bytes.len() + 5 * (bytes.len() / MAX_BLOCK + 1));
    let mut rest = bytes;
    loop {
        let (block, after) = rest.split_at(rest.len().min(MAX_BLOCK));
        let len = block.len() as u16;
        // BFINAL on the last block, BTYPE 00 (stored); LEN and its complement NLEN, little-endian.
        out.push(u8::from(after.is_empty()));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
        if after.is_empty() {
            return out;
        }
        rest = after;
    }
}

/// The fragment without `embed` (the embed's "Open in Converge" link): every other key
/// as it is, the text still deflated, so nothing is decoded or encoded again.
pub fn without_embed(hash: &str) -> String {
    let keep = |kv: &&str| !kv.is_empty() && kv.split('=').next() != Some("embed");
    hash.trim_start_matches('#').split('&').filter(keep).collect::<Vec<_>>().join("&")
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

/// The fragment for `v`; `deflate` gives its text's raw deflate (the page: the browser's,
/// made ahead, or `stored`).
pub fn encode(v: &ViewState, deflate: impl FnOnce(&str) -> Vec<u8>) -> String {
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
        parts.push(format!("z={}", URL_SAFE_NO_PAD.encode(deflate(t))));
    }
    parts.join("&")
}

/// Reads a fragment (with or without '#'); unknown keys are ignored, bad values dropped.
/// A key given twice: the last one wins (as a form field typed twice would).
pub fn decode(hash: &str) -> Decoded {
    let mut v = ViewState::default();
    let mut z = None;
    for kv in hash.trim_start_matches('#').split('&').filter(|s| !s.is_empty()) {
        let (k, val) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "z" => z = URL_SAFE_NO_PAD.decode(val.trim_end_matches('=')).ok(),
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
    Decoded { view: v, z }
}

/// The browser's deflate and inflate as the native tests have them: miniz_oxide reads and
/// writes the same raw format (it was the page's own codec before ui/deflate.rs).
#[cfg(test)]
pub mod testing {
    use super::*;

    pub fn deflate(text: &str) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9)
    }

    pub fn inflate(z: &[u8]) -> Option<String> {
        String::from_utf8(miniz_oxide::inflate::decompress_to_vec_with_limit(z, MAX_TEXT).ok()?).ok()
    }

    /// A fragment read and its text inflated, as the page opens it.
    pub fn open(hash: &str) -> ViewState {
        let d = decode(hash);
        ViewState { text: d.z.as_deref().and_then(inflate), ..d.view }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{deflate, inflate, open};
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
        let enc = encode(&v, deflate);
        assert!(!enc.contains('#') && !enc.contains(' '), "{enc}");
        assert!(enc.contains("limit=1%2C500") && enc.contains("platform=power-radix"), "{enc}");
        assert!(enc.contains("theme=dark") && enc.contains("domain=guest%2001"), "{enc}");
        // Deflate makes the seed's 700-odd bytes much shorter than base64 of the raw text would be.
        assert!(enc.len() < SEED.len(), "{} >= {}", enc.len(), SEED.len());
        assert_eq!(open(&format!("#{enc}")), v);
        // The stored form opens the same, only longer.
        let plain = encode(&v, |t| stored(t.as_bytes()));
        assert!(plain.len() > SEED.len(), "{}", plain.len());
        assert_eq!(open(&format!("#{plain}")), v);
    }

    #[test]
    fn stored_blocks_inflate_to_the_bytes_at_every_block_boundary() {
        for n in [0usize, 1, 65_534, 65_535, 65_536, 3 * 65_535 + 7] {
            let text: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            let z = stored(text.as_bytes());
            assert_eq!(z.len(), n + 5 * n.div_ceil(65_535).max(1), "{n}");
            assert_eq!(inflate(&z).as_deref(), Some(text.as_str()), "{n}");
        }
    }

    #[test]
    fn the_open_link_is_the_fragment_without_embed() {
        let d = deflate(SEED);
        let frag = encode(
            &ViewState { text: Some(SEED.into()), embed: true, theme: Some(Theme::Light), ..Default::default() },
            |_| d.clone(),
        );
        let full = without_embed(&format!("#{frag}"));
        assert!(!full.contains("embed") && full.starts_with("theme=light&z="), "{full}");
        assert_eq!(open(&full), ViewState { text: Some(SEED.into()), theme: Some(Theme::Light), ..Default::default() });
        assert_eq!(without_embed("#embed=1"), "");
        assert_eq!(without_embed("#&embed=0&&limit=3&embedded=2"), "limit=3&embedded=2");
    }

    #[test]
    fn hostile_fragments_decode_to_nothing_without_panicking() {
        for h in ["#z=%%%", "#z=AAAA", "#page=-1", "#page=NaN", "#=&&=", "#z=////", "#platform=arm", "#%ZZ=1&limit=%"] {
            let v = open(h);
            assert_eq!(v.text, None, "{h}");
            assert_eq!(v.backing, None, "{h}");
            assert_eq!(v.platform, None, "{h}");
        }
        // Not base64: nothing reaches the inflater.
        assert_eq!(decode("#z=%%%").z, None);
        assert_eq!(decode("#theme=auto").view.theme, Some(Theme::Auto));
        assert_eq!(decode("#theme=purple").view.theme, None);
        // An unknown field is dropped; a known one keeps its (odd) text for the form to flag.
        assert_eq!(decode("#nosuch=1&limit=%").view.fields, vec![(FormField::DowntimeLimit, "%".to_string())]);
    }
}
