//! `info version` (`10.2.2`, `7.2.22Debian 1:7.2+dfsg-7+deb12u18+b3`), `qemu --version`
//! and virsh's `Running hypervisor: QEMU 10.0.2`.

use super::{Parser, Verdict};
use crate::core::model::{SourceText, Version};

/// `major.minor.micro` at the start of `s`, whatever follows.
pub(crate) fn read_version(s: &str) -> Option<(u32, u32, u32)> {
    let head: String = s.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let mut parts = head.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let micro = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    // QEMU glues the package string on without a separator ("7.2.22Debian 1:7.2+dfsg-7").
    Some((major, minor, micro))
}

impl Parser {
    fn set_version(&mut self, no: usize, raw: &str, (major, minor, micro): (u32, u32, u32)) {
        let source = self.source(no, raw, SourceText::EMPTY);
        self.paste.version = Some(Version { major, minor, micro, source });
    }

    /// A line that is only a version (`info version` output) or `QEMU emulator version x.y.z`.
    pub(crate) fn bare_version_line(&mut self, no: usize, t: &str) -> Verdict {
        // The monitor's banner: `QEMU 2.12.0 monitor - type 'help' for more information`.
        let banner = t.strip_prefix("QEMU ").filter(|r| r.contains(" monitor"));
        let body = banner.or_else(|| t.strip_prefix("QEMU emulator version ")).unwrap_or(t);
        match read_version(body) {
            Some(v) => {
                self.set_version(no, t, v);
                Verdict::Ok
            }
            None => Verdict::NotMine,
        }
    }

    /// virsh version's `Running hypervisor: QEMU 10.0.2`.
    pub(crate) fn version_label_line(&mut self, no: usize, raw: &str, label: &str, value: &str) -> Verdict {
        if label != "running hypervisor" {
            return Verdict::NotMine;
        }
        match value.strip_prefix("QEMU ").and_then(read_version) {
            Some(v) => {
                self.set_version(no, raw, v);
                Verdict::Ok
            }
            None => Verdict::Ok,
        }
    }
}
