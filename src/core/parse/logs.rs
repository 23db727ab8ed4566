//! libvirt debug logs (`/var/log/libvirt/qemu/*.log`, `libvirtd.log`, journald) carry
//! every QMP exchange: `QEMU_MONITOR_IO_WRITE: mon=... buf={"execute": ...}`,
//! `QEMU_MONITOR_RECV_REPLY: mon=... reply={"return": ...}`, and, when QEMU printed
//! something that is not JSON (`"mbps": -nan`), `virJSONValueFromString:... cannot
//! parse json {...}: lexical error`. The JSON is read; the rest of a log line is the
//! logger's, so it is recognised and left alone.

/// Markers after which a log line carries one JSON value.
const CARRIERS: &[&str] = &[
    "QEMU_MONITOR_RECV_REPLY",
    "QEMU_MONITOR_RECV_EVENT",
    "QEMU_MONITOR_IO_WRITE",
    "QEMU_MONITOR_SEND_MSG",
    "QEMU_MONITOR_IO_SEND_FD",
    "cannot parse json",
    "Send command '",
    "Received reply",
];

/// Column of the JSON value a log line carries, if it is one.
pub fn json_column(text: &str) -> Option<usize> {
    // Nearly every line has no `{` at all: one memchr instead of eight substring searches.
    if !text.contains('{') {
        return None;
    }
    let at = CARRIERS.iter().filter_map(|m| super::find::find(text, m).map(|i| i + m.len())).min()?;
    let rel = text.get(at..)?.find('{')?;
    Some(at + rel)
}

/// A log line that carries nothing for the analysis (timestamped libvirt/journald lines, and
/// the ` len=49 ret=49 errno=0` / ` fd=-1` tails libvirt writes after a command's CRLF).
pub fn is_log_line(t: &str) -> bool {
    if (t.starts_with("len=") && super::find::contains(t, " ret="))
        || t.strip_prefix("fd=").is_some_and(|n| n.parse::<i64>().is_ok())
    {
        return true;
    }
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    // `2019-03-14 02:11:32.548+0000: 2846: info : ...`
    let iso = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b' ' | b'T'))
        && [": info : ", ": debug : ", ": error : ", ": warning : "].iter().any(|l| super::find::contains(t, l));
    // `Mar 14 02:11:32 kvm01 libvirtd[2846]: ...`
    // `libvirtd[` / `virtqemud[`: found from the `[`, which monitor output rarely has.
    let journal = t
        .match_indices('[')
        .any(|(i, _)| t.get(..i).is_some_and(|b| b.ends_with("libvirtd") || b.ends_with("virtqemud")));
    iso || journal
}

/// `is_log_line`, skipped when the line lacks what each kind of log line has: `=` (`len=`,
/// `fd=`), a leading digit (a date) or `[` (`libvirtd[`).
pub fn is_log_line_seen(t: &str, seen: super::find::Seen) -> bool {
    (seen.has(b'=') || seen.has(b'[') || t.as_bytes().first().is_some_and(u8::is_ascii_digit)) && is_log_line(t)
}

/// A log record a terminal wrapped at a fixed width (`less`, a console copied by hand): from
/// `lines[i]`, the index after its last piece. Every piece but the last is as long as the
/// first (one less where the wrap left a trailing blank, which the clean-up took off), and
/// there are three pieces or more, or two at a usual terminal width.
pub fn wrapped_extent(lines: &[super::terminal::Line], i: usize) -> usize {
    let width = |k: usize| lines.get(k).map(|l| l.text.chars().count()).unwrap_or(0);
    let w = width(i);
    let mut j = i + 1;
    if w < 60 {
        return j;
    }
    while let Some(next) = lines.get(j) {
        let prev = width(j - 1);
        let t = next.text.trim();
        if prev + 1 < w || prev > w + 1 || super::qmp::starts_record(t) || after_stamp(t) {
            break;
        }
        j += 1;
    }
    // Two pieces alone could be a mail's wrap at a blank too: only at a terminal's usual width.
    let usual = [80, 100, 120, 132, 160, 200].iter().any(|&c| w == c || w + 1 == c);
    if j - i >= 3 || (j - i == 2 && usual) {
        j
    } else {
        i + 1
    }
}

/// A new timestamped line (a new record, not a piece of the last one).
fn after_stamp(t: &str) -> bool {
    super::annotation::after_timestamp(t).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carriers() {
        let l = "2019-03-14 02:11:32.550+0000: 2846: info : qemuMonitorJSONIOProcessLine:217 : QEMU_MONITOR_RECV_REPLY: mon=0x7f3c2c01a0f0 reply={\"return\": {}}";
        assert_eq!(l.get(json_column(l).unwrap()..), Some("{\"return\": {}}"));
        assert!(is_log_line(l));
        assert_eq!(json_column("Migration status: active"), None);
        assert!(is_log_line("len=49 ret=49 errno=0"));
        assert!(!is_log_line("remaining ram: 1 kbytes"));
        assert!(!is_log_line("2019-03-14"));
    }
}
