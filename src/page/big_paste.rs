//! A paste too large for a textarea. Chromium lays out every line of a
//! textarea's text on the main thread: measured with `make bench`, 1 MB freezes
//! the tab for about 1.5 s and 10 MB for 15-25 s, whatever the page then does,
//! and parse + analyse of 10 MB takes seconds more. So a paste above LIMIT is
//! taken over: the box gets its last LIMIT bytes (the latest snapshots, which
//! the advice is about), cut at a prompt or line start, and a note says so.
//! The box still holds exactly what is analysed, so line numbers stay true.
//! This is the pure half; ui/big_paste.rs takes the paste event over.

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

/// What the page says when it kept only the tail of a paste of `pasted` bytes.
pub fn note(pasted: usize, kept: usize) -> String {
    format!(
        "Pasted {:.1} MB: too much for the browser to show at once, so the box holds the last {} KB (the latest output), and that is what is analysed.",
        pasted as f64 / 1e6,
        kept / 1024
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_paste_is_kept_whole() {
        let t = "(qemu) info migrate\nMigration status: active\n";
        assert_eq!(tail(t), t);
    }

    #[test]
    fn a_big_paste_keeps_its_tail_from_a_prompt() {
        let block = "(qemu) info migrate\nMigration status: active\nremaining ram: 1 kbytes\n";
        let text = block.repeat(2 * LIMIT / block.len());
        let kept = tail(&text);
        assert!(kept.len() <= LIMIT && kept.len() > LIMIT - block.len(), "{}", kept.len());
        assert!(kept.starts_with("(qemu) info migrate\n"), "{:?}", &kept[..40]);
        assert!(text.ends_with(kept));
    }

    #[test]
    fn a_cut_inside_a_character_moves_to_its_boundary() {
        // No newline anywhere, multi-byte characters: the cut lands on a char boundary, no panic.
        let text = "é".repeat(LIMIT);
        let kept = tail(&text);
        assert!(kept.len() <= LIMIT && kept.chars().all(|c| c == 'é'));
        assert_eq!(note(10_000_000, kept.len()).split(':').next(), Some("Pasted 10.0 MB"));
    }
}
