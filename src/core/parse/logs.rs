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
    let at = CARRIERS.iter().filter_map(|m| text.find(m).map(|i| i + m.len())).min()?;
    let rel = text.get(at..)?.find('{')?;
    Some(at + rel)
}

/// A log line that carries nothing for the analysis (timestamped libvirt/journald lines, and
/// the ` len=49 ret=49 errno=0` / ` fd=-1` tails libvirt writes after a command's CRLF).
pub fn is_log_line(t: &str) -> bool {
    if (t.starts_with("len=") && t.contains(" ret=")) || t.strip_prefix("fd=").is_some_and(|n| n.parse::<i64>().is_ok())
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
        && [": info : ", ": debug : ", ": error : ", ": warning : "].iter().any(|l| t.contains(l));
    // `Mar 14 02:11:32 kvm01 libvirtd[2846]: ...`
    let journal = ["libvirtd[", "virtqemud["].iter().any(|d| t.contains(d));
    iso || journal
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
