//! The commands a plan step or an option prints, with the domain name filled in when
//! the user gave one. Parameter commands are the advice's typed ones
//! (advice/commands.rs: `Setting` rendered per interface, HMP bandwidths with a unit
//! suffix, QMP in bytes/s, virsh in MiB/s); this adds the capabilities and the
//! configuration changes the options need.

use crate::core::advice::commands::{self as typed, Setting, INTERFACES};
// One enum for where a command is typed: the advice's, which also names the old-HMP and config rows.
pub use crate::core::advice::commands::Interface;
use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Command {
    pub interface: Interface,
    pub text: String,
    /// The parameter and value it sets, when it sets one.
    pub setting: Option<Setting>,
}

pub(super) fn cmd(interface: Interface, text: String) -> Command {
    Command { interface, text, setting: None }
}

/// The domain as a shell word: plain names as they are, others single-quoted; `DOMAIN` when unknown.
pub fn domain_word(domain: Option<&str>) -> String {
    match domain.map(str::trim).filter(|d| !d.is_empty()) {
        None => typed::DOMAIN.into(),
        Some(d) if d.chars().all(|c| c.is_ascii_alphanumeric() || "._-+:@".contains(c)) => d.into(),
        Some(d) => format!("'{}'", d.replace('\'', r"'\''")),
    }
}

/// Every interface's command for a typed setting (libvirt has no avail-switchover-bandwidth).
fn setting(s: Setting, domain: Option<&str>) -> Vec<Command> {
    let d = domain_word(domain);
    // A plain loop, as advice::commands::render_all: no iterator type of its own in the page.
    let mut all = Vec::new();
    for i in INTERFACES {
        if let Some(text) = typed::render(&s, i, &d) {
            all.push(Command { interface: i, text, setting: Some(s) });
        }
    }
    all
}

/// HMP, QMP and virsh for a downtime-limit. A QEMU before 2.8 has no downtime-limit
/// parameter (migrate-set-parameters refuses it; it arrived in 2.8 with max-bandwidth and
/// deprecated `migrate_set_downtime`): it gets virsh and the HMP seconds form only.
pub fn downtime_limit(ms: Millis, domain: Option<&str>, old_qemu: bool) -> Vec<Command> {
    let mut v = setting(Setting::DowntimeLimit(ms), domain);
    if old_qemu {
        v.retain(|c| c.interface == Interface::Virsh);
        v.push(cmd(Interface::HmpBefore2_8, typed::for_limit(ms.0).hmp_old_seconds));
    }
    v
}

/// max-bandwidth in whole MiB/s (rounded down), the same bytes/s on every interface.
pub fn max_bandwidth(rate: BytesPerSec, domain: Option<&str>) -> Vec<Command> {
    setting(Setting::max_bandwidth_whole_mib(rate), domain)
}

/// avail-switchover-bandwidth (QEMU 8.2+), never above the rate given.
pub fn avail_switchover(rate: BytesPerSec) -> Vec<Command> {
    setting(Setting::avail_switchover(rate), None)
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
    fn a_qemu_before_2_8_gets_no_parameter_it_does_not_have() {
        let c = downtime_limit(Millis(4500.0), None, true);
        let texts: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["virsh migrate-setmaxdowntime DOMAIN 4500", "migrate_set_downtime 4.5"]);
        assert_eq!(c[1].interface.label(), "HMP before 2.8");
    }

    #[test]
    fn bandwidth_commands_carry_units_qemu_reads_the_same_way() {
        let c = max_bandwidth(BytesPerSec(64.9 * MIB), None);
        assert_eq!(c[0].text, "migrate_set_parameter max-bandwidth 64M");
        assert!(c[1].text.contains("\"max-bandwidth\": 67108864"));
        assert_eq!(c[2].text, "virsh migrate-setspeed DOMAIN 64");
        let a = avail_switchover(BytesPerSec(1_250_000_000.0));
        assert_eq!(a[0].text, "migrate_set_parameter avail-switchover-bandwidth 1250000000B");
        assert_eq!(a.len(), 2, "libvirt has no avail-switchover-bandwidth");
    }
}
