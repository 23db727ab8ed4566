//! The commands a plan step or an option prints, with the domain name filled in when
//! the user gave one. The downtime-limit commands come from advice/commands.rs; the
//! bandwidth ones follow QEMU's units: HMP reads a bare number as MiB/s
//! (qemu_strtosz_MiB), so every HMP value carries a suffix; QMP takes bytes/s;
//! virsh migrate-setspeed takes MiB/s.

use crate::core::advice::commands as limit_commands;
use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interface {
    Hmp,
    Qmp,
    Virsh,
    /// HMP before QEMU 2.8: `migrate_set_downtime` in seconds.
    HmpBefore2_8,
    /// A guest or host configuration change (takes effect at the next start).
    Config,
}

impl Interface {
    pub fn label(self) -> &'static str {
        match self {
            Interface::Hmp => "HMP",
            Interface::Qmp => "QMP",
            Interface::Virsh => "virsh",
            Interface::HmpBefore2_8 => "HMP before 2.8",
            Interface::Config => "config",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Command {
    pub interface: Interface,
    pub text: String,
}

pub(super) fn cmd(interface: Interface, text: String) -> Command {
    Command { interface, text }
}

/// The domain as a shell word: plain names as they are, others single-quoted; `DOMAIN` when unknown.
pub fn domain_word(domain: Option<&str>) -> String {
    match domain.map(str::trim).filter(|d| !d.is_empty()) {
        None => "DOMAIN".into(),
        Some(d) if d.chars().all(|c| c.is_ascii_alphanumeric() || "._-+:@".contains(c)) => d.into(),
        Some(d) => format!("'{}'", d.replace('\'', r"'\''")),
    }
}

/// HMP, QMP and virsh for a downtime-limit (the old seconds form only for a QEMU before 2.8).
pub fn downtime_limit(ms: Millis, domain: Option<&str>, old_qemu: bool) -> Vec<Command> {
    let c = limit_commands::for_limit(ms.0);
    let mut v = vec![
        cmd(Interface::Hmp, c.hmp),
        cmd(Interface::Qmp, c.qmp),
        cmd(Interface::Virsh, c.virsh.replace("DOMAIN", &domain_word(domain))),
    ];
    if old_qemu {
        v.push(cmd(Interface::HmpBefore2_8, c.hmp_old_seconds));
    }
    v
}

/// max-bandwidth in whole MiB/s: HMP with the `M` suffix (MiB), QMP in bytes/s, virsh in MiB/s.
pub fn max_bandwidth(mib_per_s: u64, domain: Option<&str>) -> Vec<Command> {
    let bytes = mib_per_s.saturating_mul(1 << 20);
    vec![
        cmd(Interface::Hmp, format!("migrate_set_parameter max-bandwidth {mib_per_s}M")),
        cmd(
            Interface::Qmp,
            format!("{{\"execute\": \"migrate-set-parameters\", \"arguments\": {{\"max-bandwidth\": {bytes}}}}}"),
        ),
        cmd(Interface::Virsh, format!("virsh migrate-setspeed {} {mib_per_s}", domain_word(domain))),
    ]
}

/// avail-switchover-bandwidth (QEMU 8.2+) in whole MiB/s; libvirt has no command for it.
pub fn avail_switchover(mib_per_s: u64) -> Vec<Command> {
    let bytes = mib_per_s.saturating_mul(1 << 20);
    vec![
        cmd(Interface::Hmp, format!("migrate_set_parameter avail-switchover-bandwidth {mib_per_s}M")),
        cmd(
            Interface::Qmp,
            format!(
                "{{\"execute\": \"migrate-set-parameters\", \"arguments\": {{\"avail-switchover-bandwidth\": {bytes}}}}}"
            ),
        ),
    ]
}

/// auto-converge is a capability: set before `migrate` (QEMU refuses capability changes while
/// a migration runs: migration/options.c qmp_migrate_set_capabilities, QERR_MIGRATION_ACTIVE).
pub fn auto_converge(domain: Option<&str>) -> Vec<Command> {
    vec![
        cmd(Interface::Hmp, "migrate_set_capability auto-converge on".into()),
        cmd(
            Interface::Qmp,
            r#"{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "auto-converge", "state": true}]}}"#.into(),
        ),
        cmd(Interface::Virsh, format!("virsh migrate --live --auto-converge {} DEST_URI", domain_word(domain))),
    ]
}

/// postcopy: the capability on both sides before `migrate`, then the switch once a pass has run.
pub fn postcopy(domain: Option<&str>, capability_on: bool) -> Vec<Command> {
    let d = domain_word(domain);
    let mut v = Vec::new();
    if !capability_on {
        v.push(cmd(Interface::Hmp, "migrate_set_capability postcopy-ram on".into()));
        v.push(cmd(
            Interface::Qmp,
            r#"{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "postcopy-ram", "state": true}]}}"#.into(),
        ));
    }
    v.push(cmd(Interface::Hmp, "migrate_start_postcopy".into()));
    v.push(cmd(Interface::Qmp, r#"{"execute": "migrate-start-postcopy"}"#.into()));
    if capability_on {
        v.push(cmd(Interface::Virsh, format!("virsh migrate-postcopy {d}")));
    } else {
        v.push(cmd(
            Interface::Virsh,
            format!("virsh migrate --live --postcopy {d} DEST_URI; virsh migrate-postcopy {d}"),
        ));
    }
    v
}

/// Whole MiB/s at or below a rate (never round a bandwidth up past what was measured or given).
pub fn mib_per_s_floor(r: BytesPerSec) -> u64 {
    let m = (r.0 / MIB).floor();
    if m.is_finite() && m >= 1.0 {
        m.min(u32::MAX as f64) as u64
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_is_filled_in_and_quoted_when_needed() {
        assert_eq!(domain_word(None), "DOMAIN");
        assert_eq!(domain_word(Some("guest-01")), "guest-01");
        assert_eq!(domain_word(Some("my vm")), "'my vm'");
        let c = downtime_limit(Millis(4500.0), Some("guest-01"), false);
        assert_eq!(c[2].text, "virsh migrate-setmaxdowntime guest-01 4500");
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn bandwidth_commands_carry_units_qemu_reads_the_same_way() {
        let c = max_bandwidth(64, None);
        assert_eq!(c[0].text, "migrate_set_parameter max-bandwidth 64M");
        assert!(c[1].text.contains("\"max-bandwidth\": 67108864"));
        assert_eq!(c[2].text, "virsh migrate-setspeed DOMAIN 64");
        assert_eq!(avail_switchover(1192)[0].text, "migrate_set_parameter avail-switchover-bandwidth 1192M");
        assert_eq!(mib_per_s_floor(BytesPerSec(1_250_000_000.0)), 1192);
    }
}
