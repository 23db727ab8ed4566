//! Terminal clean-up: what a user copies from a terminal is not what QEMU
//! printed. An interactive monitor redraws the line it edits with VT100
//! sequences (`ESC[K`, `ESC[D`), sockets end lines in CRLF, virsh progress uses
//! bare CR. Each input line is replayed into a one-line buffer with a cursor,
//! so the result is the text that was finally visible.

use std::ops::Range;

/// One line after clean-up, with its 1-based number in the original paste.
#[derive(Clone, Debug, PartialEq)]
pub struct Line<'a> {
    pub no: usize,
    /// Visible text, tabs turned into spaces, trailing blanks removed, leading kept.
    pub text: &'a str,
}

/// The cleaned paste: every line's visible text in one buffer (values keep spans of
/// it instead of copies), and each line's 1-based number and place in that buffer.
pub struct Cleaned {
    pub text: String,
    pub lines: Vec<(usize, Range<usize>)>,
}

/// Upper bound on how far right a cursor may be moved past the text: keeps a
/// hostile `ESC[999999999C` from allocating gigabytes.
const MAX_PAD: usize = 256;

/// Splits the paste into lines and replays each through the line buffer.
///
/// The buffer starts as a copy of the paste: a line that is printable ASCII up to its end
/// (CRs then the line break), the usual one, replays to itself less its trailing blanks, so
/// its span stays where it is in the copy. Any other line is replayed onto the end.
pub fn clean(text: &str) -> Cleaned {
    // Old-Mac pastes use bare CR as the line end; otherwise CR is a carriage return.
    let cr_lines = !text.contains('\n') && text.contains('\r');
    let sep = if cr_lines { b'\r' } else { b'\n' };
    let mut out = Cleaned { text: String::with_capacity(text.len() + text.len() / 8), lines: Vec::new() };
    out.text.push_str(text);
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut no = 1;
    loop {
        // The first byte that is not printable ASCII ends the plain part of the line.
        let stop = start + first_unprintable(bytes.get(start..).unwrap_or(&[]));
        // CRs before a line break are dropped (in a CR-separated paste the first CR is the break).
        let crs = match sep {
            b'\n' => bytes.get(stop..).unwrap_or(&[]).iter().take_while(|&&b| b == b'\r').count(),
            _ => 0,
        };
        // The line's span in `out.text`, and where its break is (none: the paste's last line).
        let (span, line_end) = match bytes.get(stop + crs) {
            Some(&b) if b != sep => {
                // A control or a non-ASCII char inside the line: the terminal replay decides.
                let line_end = bytes.get(stop..).unwrap_or(&[]).iter().position(|&b| b == sep).map(|k| stop + k);
                let raw = text.get(start..line_end.unwrap_or(bytes.len())).unwrap_or("");
                let at = out.text.len();
                replay_into(raw, &mut out.text);
                (at..out.text.len(), line_end)
            }
            // Printable up to the break (or the end of the paste): the span stays in the copy.
            next => {
                let body = bytes.get(start..stop).unwrap_or(&[]);
                let kept = body.len() - body.iter().rev().take_while(|&&b| b == b' ').count();
                (start..start + kept, next.map(|_| stop + crs))
            }
        };
        out.lines.push((no, span));
        let Some(e) = line_end else { break };
        start = e + 1;
        no += 1;
    }
    out
}

/// Index of the first byte of `b` outside printable ASCII (0x20..=0x7e), or its length.
/// Eight bytes a step, with the "has a byte less than / more than" word tricks (Bit
/// Twiddling Hacks, `hasless` and `hasmore`): the clean-up reads every byte of the paste.
/// Borrows and carries only run towards higher bytes, so the lowest flagged byte is exact.
fn first_unprintable(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(c) else { break };
        let x = u64::from_le_bytes(word);
        let flagged = (x.wrapping_sub(ONES * 0x20) & !x & HIGH) | ((x.wrapping_add(ONES) | x) & HIGH);
        if flagged != 0 {
            return at + (flagged.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + b.get(at..).unwrap_or(&[]).iter().take_while(|c| (0x20..0x7f).contains(*c)).count()
}

/// Replays one raw line through a one-line terminal buffer and returns the visible text.
pub fn replay(raw: &str) -> String {
    let mut s = String::new();
    replay_into(raw, &mut s);
    s
}

/// `replay`, appended to `out`.
fn replay_into(raw: &str, out: &mut String) {
    let start = out.len();
    // Fast path: plain printable text with at most a trailing CR. (Bytes first: a C1
    // control is U+0080..U+009F, which UTF-8 writes as 0xC2 then 0x80..0x9F.) One pass
    // over the bytes: this runs for every line of the paste.
    let body = raw.trim_end_matches('\r');
    let (mut tab, mut maybe_control) = (false, false);
    for &b in body.as_bytes() {
        if b < 0x20 || b == 0x7f || b == 0xc2 {
            if b == b'\t' {
                tab = true;
            } else {
                maybe_control = true;
            }
        }
    }
    if !maybe_control || !body.chars().any(|c| c.is_control() && c != '\t') {
        if tab {
            for (k, piece) in body.split('\t').enumerate() {
                if k > 0 {
                    out.push(' ');
                }
                out.push_str(piece);
            }
        } else {
            out.push_str(body);
        }
        trim_end_from(out, start);
        return;
    }
    let mut buf: Vec<char> = Vec::with_capacity(body.len());
    let mut cur = 0usize;
    // The cursor never goes further right than the raw line is long (plus a margin), so
    // the buffer stays linear in the input whatever the escapes say.
    let limit = body.len() + MAX_PAD;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                Some('[') => {
                    // CSI: parameters then one final byte in 0x40..=0x7e.
                    let mut param = String::new();
                    let mut fin = None;
                    for d in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&d) {
                            fin = Some(d);
                            break;
                        }
                        if param.len() < 16 {
                            param.push(d);
                        }
                    }
                    let n = param.split(';').next().and_then(|p| p.parse::<usize>().ok()).unwrap_or(0);
                    let n1 = n.max(1);
                    match fin {
                        Some('D') => cur = cur.saturating_sub(n1),
                        Some('C') => cur = cur.saturating_add(n1).min(buf.len() + MAX_PAD).min(limit),
                        Some('G') => cur = (n1 - 1).min(buf.len() + MAX_PAD).min(limit),
                        Some('K') if n == 0 => buf.truncate(cur),
                        Some('K') if n == 2 => buf.clear(),
                        _ => {} // colours, erase-to-start, and anything else: no effect on the text
                    }
                }
                Some(']') => {
                    // OSC: up to BEL or ST (ESC \).
                    while let Some(d) = chars.next() {
                        if d == '\x07' {
                            break;
                        }
                        if d == '\x1b' {
                            chars.next();
                            break;
                        }
                    }
                }
                _ => {} // two-byte escapes (ESC 7, ESC =, ...) are dropped
            },
            '\x08' => cur = cur.saturating_sub(1),
            '\r' => cur = 0,
            '\t' => put(&mut buf, &mut cur, ' '),
            c if c.is_control() => {} // BEL, NUL, C1 controls...
            c => put(&mut buf, &mut cur, c),
        }
    }
    out.extend(buf);
    trim_end_from(out, start);
}

/// Takes trailing blanks off what was appended to `out` after `start`.
fn trim_end_from(out: &mut String, start: usize) {
    let kept = out.get(start..).map(|t| t.trim_end().len()).unwrap_or(0);
    out.truncate(start + kept);
}

fn put(buf: &mut Vec<char>, cur: &mut usize, c: char) {
    while buf.len() < *cur {
        buf.push(' ');
    }
    if *cur < buf.len() {
        buf[*cur] = c;
    } else {
        buf.push(c);
    }
    *cur += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_tabs_and_trailing_blanks() {
        let c = clean("Status: \t\tactive\r\nJob type:         None        \r\n");
        let l = |k: usize| c.text.get(c.lines[k].1.clone()).unwrap();
        assert_eq!(l(0), "Status:   active");
        assert_eq!(l(1), "Job type:         None");
        assert_eq!(c.lines[1].0, 2);
    }

    #[test]
    fn monitor_redraws_give_the_final_line() {
        let raw = "i\x1b[K\x1b[Din\x1b[K\x1b[D\x1b[Dinf\x1b[K\x1b[D\x1b[D\x1b[Dinfo\x1b[K\r";
        assert_eq!(replay(raw), "info");
    }

    #[test]
    fn carriage_return_overwrites() {
        assert_eq!(replay("Migration: [  1 %]\rMigration: [ 73 %]error: x"), "Migration: [ 73 %]error: x");
        assert_eq!(replay("abc\x08\x08X"), "aXc");
        assert_eq!(replay("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(replay("a\x1b]0;title\x07b"), "ab");
    }

    #[test]
    fn hostile_cursor_moves_stay_bounded() {
        let s = replay("\x1b[999999999999Cx");
        assert!(s.len() <= MAX_PAD + 1);
        let many = "\x1b[200Cx".repeat(1000);
        assert!(replay(&many).chars().count() <= many.len() + MAX_PAD + 1);
        assert_eq!(replay("\x1b["), "");
        assert_eq!(replay("\x1b"), "");
    }

    #[test]
    fn first_unprintable_is_exact() {
        for b in 0..=255u8 {
            for at in 0..13 {
                let mut line = *b"remaining ram";
                line[at] = b;
                let want = if (0x20..0x7f).contains(&b) { 13 } else { at };
                assert_eq!(first_unprintable(&line), want, "{b:#x} at {at}");
                // A second one after it does not move the first.
                line[12] = 0xff;
                assert_eq!(first_unprintable(&line), want.min(12), "{b:#x} at {at}, 0xff last");
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn fast_path_replays_as_the_terminal(t in r"[a :\r\n\t\x1b\x08\x7f\x{85}\x{a0}é\[DK]{0,24}") {
            let cr_lines = !t.contains('\n') && t.contains('\r');
            let c = clean(&t);
            let got: Vec<&str> = c.lines.iter().map(|(_, r)| c.text.get(r.clone()).unwrap_or("?")).collect();
            let want: Vec<String> = t.split(if cr_lines { '\r' } else { '\n' }).map(replay).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn bare_cr_line_ends() {
        let c = clean("a: 1\rb: 2\r");
        assert_eq!(c.lines.len(), 3);
        assert_eq!(c.text.get(c.lines[1].1.clone()), Some("b: 2"));
    }
}
