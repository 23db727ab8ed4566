//! Substring search for the parser's short markers in short lines. `str::find(&str)`
//! sets up a Two-Way searcher on every call, which on a 40-byte monitor line costs
//! more than the search itself and was a fifth of the parse time: here a byte loop finds
//! each candidate first byte, then the rest is compared.

/// Byte offset of the first `needle` in `hay` (same answer as `hay.find(needle)`).
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else { return Some(0) };
    if !first.is_ascii() {
        return hay.find(needle);
    }
    // An ASCII byte is never part of a multi-byte char, so where one matches is a char
    // boundary. A plain loop: monitor lines are too short for memchr's set-up to pay.
    if rest.is_empty() {
        return h.iter().position(|&b| b == first);
    }
    for (at, &b) in h.iter().enumerate() {
        if b == first && h.get(at + 1..at + 1 + rest.len()) == Some(rest) {
            return Some(at);
        }
    }
    None
}

pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `hay.split_once(sep)`.
pub fn split_once<'a>(hay: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let at = find(hay, sep)?;
    Some((hay.get(..at)?, hay.get(at + sep.len()..)?))
}

/// A trimmed line split at its first ':' into label and value, both trimmed: one pass to
/// the colon for every labelled line, where `split_once` searched for a one-byte needle.
pub fn label_value(t: &str) -> Option<(&str, &str)> {
    let at = t.bytes().position(|b| b == b':')?;
    let (l, v) = (t.get(..at)?, t.get(at + 1..)?);
    // The space of `: ` off first, so the value's trim takes its all-printable fast path.
    let v = if v.as_bytes().first() == Some(&b' ') { v.get(1..).unwrap_or(v) } else { v };
    Some((trim(l), trim(v)))
}

/// `s` with ASCII capitals lowered: `s` itself when it has none, else a copy in `buf` when
/// it fits (a label like `Migration status` needs no allocation), else a String.
pub fn ascii_lower<'a>(s: &'a str, buf: &'a mut [u8; 64]) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    if !s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Cow::Borrowed(s);
    }
    let Some(dst) = buf.get_mut(..s.len()) else { return Cow::Owned(s.to_ascii_lowercase()) };
    dst.copy_from_slice(s.as_bytes());
    dst.make_ascii_lowercase();
    // Lowering ASCII letters keeps UTF-8 valid: the check cannot fail.
    match std::str::from_utf8(dst) {
        Ok(lower) => Cow::Borrowed(lower),
        Err(_) => Cow::Owned(s.to_ascii_lowercase()),
    }
}

/// `s.trim()`, answered by bytes when both ends are ASCII (the usual line, and the usual
/// value after its label's `: `): the optimise-for-size page build calls rather than
/// inlines `str::trim`, which walks chars.
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    if let (Some(a), Some(z)) = (b.first(), b.last()) {
        if a.is_ascii_graphic() && z.is_ascii_graphic() {
            return s;
        }
    }
    let start = b.iter().take_while(|b| is_ascii_blank(**b)).count();
    let end = b.len() - b.iter().rev().take_while(|b| is_ascii_blank(**b)).count();
    match (b.get(start), end.checked_sub(1).and_then(|k| b.get(k))) {
        (Some(first), Some(last)) if first.is_ascii() && last.is_ascii() => s.get(start..end).unwrap_or(""),
        (None, _) => "",
        _ => s.trim(),
    }
}

/// `s.trim_start()`, by bytes unless a char outside ASCII follows the ASCII blanks.
pub fn trim_start(s: &str) -> &str {
    let lead = s.bytes().take_while(|b| is_ascii_blank(*b)).count();
    match s.as_bytes().get(lead) {
        Some(b) if !b.is_ascii() => s.trim_start(),
        _ => s.get(lead..).unwrap_or(""),
    }
}

/// The first byte of `s` after its ASCII blanks (a byte outside ASCII may start a Unicode
/// blank): lets a recogniser turn most lines away before trimming them.
pub fn first_nonblank(s: &str) -> Option<u8> {
    s.bytes().find(|b| !is_ascii_blank(*b))
}

/// The ASCII chars `str::trim` takes off (its White_Space less the non-ASCII ones).
pub fn is_ascii_blank(b: u8) -> bool {
    b == b' ' || (0x09..=0x0d).contains(&b)
}

/// Which of the bytes a rare line needs (`{`, `[`, prompts, `virsh`, `qemu`, `=`) a line has,
/// from one pass over it: recognisers that need one it lacks are skipped instead of each
/// scanning the line. A line's set holds for every part of it (a part has no more bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Seen(u16);

/// The bytes `Seen` tracks, one bit each.
const TRACKED: &[u8] = b"{[$#%vq=";

/// One bit for any ASCII capital: a label without one needs no lower-casing.
const UPPER: u16 = 1 << 8;

/// The bit of each tracked byte, 0 for the rest: one table look-up a byte.
static SEEN_BIT: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut k = 0;
    while k < TRACKED.len() {
        t[TRACKED[k] as usize] = 1 << k;
        k += 1;
    }
    let mut c = b'A';
    while c <= b'Z' {
        t[c as usize] = UPPER;
        c += 1;
    }
    t
};

impl Seen {
    pub fn of(text: &str) -> Seen {
        Seen(text.bytes().fold(0, |acc, b| acc | SEEN_BIT[b as usize]))
    }

    /// Notes one more byte of the text.
    pub fn add(&mut self, b: u8) {
        self.0 |= SEEN_BIT[b as usize];
    }

    /// Might the text hold an ASCII capital?
    pub fn has_upper(self) -> bool {
        self.0 & UPPER != 0
    }

    /// Might the text hold `b`? (Always true for an untracked byte; for a capital, any.)
    pub fn has(self, b: u8) -> bool {
        let bit = SEEN_BIT[b as usize];
        bit == 0 || self.0 & bit != 0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn as_std_finds() {
        for (h, n) in
            [("virsh # x", "virsh "), ("aaab", "ab"), ("", "a"), ("abc", ""), ("a: b: c", ": "), ("é: x", ": ")]
        {
            assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
            assert_eq!(split_once(h, n), h.split_once(n));
        }
        for t in ["", " a ", "a", "ab c", "\u{a0}x", "x\u{3000}", "\tq", " \u{85}", "\u{b}x\u{c}", "   ", " é "] {
            assert_eq!(trim(t), t.trim(), "{t:?}");
        }
    }

    #[test]
    fn seen_holds_what_the_line_holds() {
        let s = Seen::of("[root@h ~]# virsh domjobinfo vm");
        assert!(s.has(b'[') && s.has(b'#') && s.has(b'v') && s.has(b'x'));
        assert!(!s.has(b'{') && !s.has(b'$') && !s.has(b'q') && !s.has(b'='));
    }

    proptest! {
        #[test]
        fn seen_never_misses_a_byte(h in r"[a-zA-Z{}$#%=\[ ]{0,12}") {
            let s = Seen::of(&h);
            for b in 0..=255u8 {
                prop_assert!(!h.as_bytes().contains(&b) || s.has(b));
            }
            prop_assert!(!h.bytes().any(|b| b.is_ascii_uppercase()) || s.has_upper());
        }

        #[test]
        fn trims_the_start_as_std(t in "[a \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{3000}é]{0,8}") {
            prop_assert_eq!(trim_start(&t), t.trim_start());
        }

        #[test]
        fn trims_as_std(t in "[a \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{3000}é]{0,8}") {
            prop_assert_eq!(trim(&t), t.trim());
        }

        #[test]
        fn label_value_as_split_and_trim(t in "[a: \t\u{a0}é]{0,10}") {
            let want = t.split_once(':').map(|(l, v)| (l.trim(), v.trim()));
            prop_assert_eq!(label_value(&t), want);
        }

        #[test]
        fn ascii_lower_as_std(t in "[aZé \u{a0}]{0,70}") {
            let mut buf = [0; 64];
            let lower = ascii_lower(&t, &mut buf);
            prop_assert_eq!(lower.as_ref(), t.to_ascii_lowercase());
        }

        #[test]
        fn same_answer_as_std(h in "[ab: é]{0,12}", n in "[ab: é]{0,3}") {
            prop_assert_eq!(find(&h, &n), h.find(n.as_str()));
        }
    }
}
