//! Terminal clean-up: what a user copies from a terminal is not what QEMU
//! printed. An interactive monitor redraws the line it edits with VT100
//! sequences (`ESC[K`, `ESC[D`), sockets end lines in CRLF, virsh progress uses
//! bare CR. Each input line is replayed into a one-line buffer with a cursor,
//! so the result is the text that was finally visible.

/// One line after clean-up, with its 1-based number in the original paste.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub no: usize,
    /// Visible text, tabs turned into spaces, trailing blanks removed, leading kept.
    pub text: String,
}

/// Upper bound on how far right a cursor may be moved past the text: keeps a
/// hostile `ESC[999999999C` from allocating gigabytes.
const MAX_PAD: usize = 256;

/// Splits the paste into lines and replays each through the line buffer.
pub fn clean(text: &str) -> Vec<Line> {
    // Old-Mac pastes use bare CR as the line end; otherwise CR is a carriage return.
    let cr_lines = !text.contains('\n') && text.contains('\r');
    let sep = if cr_lines { '\r' } else { '\n' };
    text.split(sep).enumerate().map(|(i, raw)| Line { no: i + 1, text: replay(raw) }).collect()
}

/// Replays one raw line through a one-line terminal buffer and returns the visible text.
pub fn replay(raw: &str) -> String {
    // Fast path: plain printable text with at most a trailing CR.
    let body = raw.trim_end_matches('\r');
    if !body.chars().any(|c| c.is_control() && c != '\t') {
        return body.replace('\t', " ").trim_end().to_string();
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
    let s: String = buf.into_iter().collect();
    s.trim_end().to_string()
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
        let l = clean("Status: \t\tactive\r\nJob type:         None        \r\n");
        assert_eq!(l[0].text, "Status:   active");
        assert_eq!(l[1].text, "Job type:         None");
        assert_eq!(l[1].no, 2);
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
    fn bare_cr_line_ends() {
        let l = clean("a: 1\rb: 2\r");
        assert_eq!(l.len(), 3);
        assert_eq!(l[1].text, "b: 2");
    }
}
