//! SourceText a parsed value keeps about where it came from (its line, its unit), without a
//! copy per value: a span into the cleaned paste, which all values share, or a word the
//! program already holds (`"kbytes"`). Reads, compares, prints and serialises as a `str`,
//! so JSON and Debug output are those of a `String`.

use serde::{Serialize, Serializer};
use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

#[derive(Clone)]
pub struct SourceText(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    /// `base[start..end]`, both on char boundaries (checked when made).
    Span {
        base: Arc<str>,
        start: u32,
        end: u32,
    },
    Owned(Box<str>),
}

impl SourceText {
    pub const EMPTY: SourceText = SourceText(Repr::Static(""));

    pub const fn from_static(s: &'static str) -> SourceText {
        SourceText(Repr::Static(s))
    }

    /// `part` as a span of `base` when it lies inside it (no copy), else an owned copy.
    pub fn within(base: &Arc<str>, part: &str) -> SourceText {
        match span_of(base, part) {
            Some(r) => SourceText(Repr::Span { base: Arc::clone(base), start: r.start as u32, end: r.end as u32 }),
            None => SourceText::from(part),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Span { base, start, end } => base.get(*start as usize..*end as usize).unwrap_or(""),
            Repr::Owned(s) => s,
        }
    }
}

/// Where `part` lies in `base`, by address: only when it is a sub-slice of it.
fn span_of(base: &str, part: &str) -> Option<Range<usize>> {
    let b = base.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    let start = p.checked_sub(b)?;
    let end = start.checked_add(part.len())?;
    let fits = end <= base.len() && u32::try_from(end).is_ok();
    // A sub-slice of a str starts and ends on char boundaries; checked anyway.
    (fits && base.is_char_boundary(start) && base.is_char_boundary(end)).then_some(start..end)
}

impl Default for SourceText {
    fn default() -> SourceText {
        SourceText::EMPTY
    }
}

impl From<&str> for SourceText {
    fn from(s: &str) -> SourceText {
        if s.is_empty() {
            SourceText::EMPTY
        } else {
            SourceText(Repr::Owned(s.into()))
        }
    }
}

impl From<String> for SourceText {
    fn from(s: String) -> SourceText {
        SourceText(Repr::Owned(s.into_boxed_str()))
    }
}

impl Deref for SourceText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SourceText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for SourceText {
    fn eq(&self, o: &SourceText) -> bool {
        self.as_str() == o.as_str()
    }
}

impl Eq for SourceText {}

impl PartialEq<str> for SourceText {
    fn eq(&self, o: &str) -> bool {
        self.as_str() == o
    }
}

impl PartialEq<&str> for SourceText {
    fn eq(&self, o: &&str) -> bool {
        self.as_str() == *o
    }
}

impl PartialEq<String> for SourceText {
    fn eq(&self, o: &String) -> bool {
        self.as_str() == o.as_str()
    }
}

impl Serialize for SourceText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_slice_is_a_span_anything_else_a_copy() {
        let base: Arc<str> = Arc::from("remaining ram: 12 kbytes\nnext");
        let line = base.get(0..24).unwrap();
        let t = SourceText::within(&base, line);
        assert!(matches!(t.0, Repr::Span { start: 0, end: 24, .. }));
        assert_eq!(t, "remaining ram: 12 kbytes");
        let elsewhere = String::from("remaining ram: 12 kbytes");
        let c = SourceText::within(&base, &elsewhere);
        assert!(matches!(c.0, Repr::Owned(_)));
        assert_eq!(c, t);
        assert_eq!(format!("{t:?}"), format!("{:?}", "remaining ram: 12 kbytes"));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"remaining ram: 12 kbytes\"");
        assert_eq!(SourceText::default(), "");
    }
}
