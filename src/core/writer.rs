//! The one way the text reports are written (`Derivation::to_text`, the advice, the CLI
//! report): each section is a function that writes whole lines with `writeln!` into a
//! `fmt::Write` and returns `fmt::Result`, so sections compose with `?`; `text` runs the
//! outermost one into a String.

use std::fmt;

/// `s` opening a sentence: its first letter in capitals. The engine's own prose is ASCII,
/// so ASCII upper-casing does (and keeps core's Unicode case tables out of the page).
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|f| std::iter::once(f.to_ascii_uppercase()).chain(chars).collect()).unwrap_or_default()
}

/// Runs a writer into a new String.
pub fn text(write: impl FnOnce(&mut String) -> fmt::Result) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail: its `write_str` always returns Ok.
    let _ = write(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    #[test]
    fn sections_compose_into_one_string() {
        let head = |o: &mut String| writeln!(o, "Heading");
        let out = text(|o| {
            head(o)?;
            writeln!(o, "  {} ms", 300)
        });
        assert_eq!(out, "Heading\n  300 ms\n");
    }
}
