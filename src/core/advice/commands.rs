//! Every command the engine prints, held as data and rendered per interface.
//!
//! Units are the trap: HMP `migrate_set_parameter` reads a bare bandwidth as MiB/s
//! (`hmp_migrate_set_parameter()` parses max-bandwidth and avail-switchover-bandwidth
//! with `qemu_strtosz_MiB`, migration/migration-hmp-cmds.c, QEMU 2.8-10.x), QMP takes
//! bytes/s, `virsh migrate-setspeed` takes MiB/s and `downtime-limit` is ms everywhere.
//! So HMP bandwidths always carry an explicit suffix (`1192M`, `1250000000B`).

use crate::core::units::*;
use serde::Serialize;

/// One migration parameter set to one value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "parameter", content = "value", rename_all = "kebab-case")]
pub enum Setting {
    DowntimeLimit(Millis),
    MaxBandwidth(BytesPerSec),
    AvailSwitchoverBandwidth(BytesPerSec),
}

/// The parameter a setting or a placeholder command is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Parameter {
    DowntimeLimit,
    MaxBandwidth,
    AvailSwitchoverBandwidth,
}

/// Where the user types the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interface {
    /// The human monitor (`(qemu)` prompt, or `virsh qemu-monitor-command --hmp`).
    Hmp,
    /// The QMP socket (or `virsh qemu-monitor-command`).
    Qmp,
    /// libvirt's virsh.
    Virsh,
    /// HMP before QEMU 2.8: `migrate_set_downtime` in seconds (the plan's text, no `Setting`).
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

/// The interfaces a typed setting renders for.
pub const INTERFACES: [Interface; 3] = [Interface::Hmp, Interface::Qmp, Interface::Virsh];

impl Setting {
    pub fn parameter(&self) -> Parameter {
        match self {
            Setting::DowntimeLimit(_) => Parameter::DowntimeLimit,
            Setting::MaxBandwidth(_) => Parameter::MaxBandwidth,
            Setting::AvailSwitchoverBandwidth(_) => Parameter::AvailSwitchoverBandwidth,
        }
    }

    /// max-bandwidth in whole MiB/s (rounded down), so that HMP, QMP and virsh's
    /// MiB/s all carry the same bytes/s.
    pub fn max_bandwidth_whole_mib(b: BytesPerSec) -> Setting {
        Setting::MaxBandwidth(BytesPerSec::from_mib_per_sec(b.whole_mib_per_sec()))
    }

    /// avail-switchover-bandwidth in whole bytes/s, rounded down: never above the link.
    pub fn avail_switchover(b: BytesPerSec) -> Setting {
        Setting::AvailSwitchoverBandwidth(BytesPerSec(b.0.max(0.0).floor()))
    }
}

impl Parameter {
    pub fn name(self) -> &'static str {
        match self {
            Parameter::DowntimeLimit => "downtime-limit",
            Parameter::MaxBandwidth => "max-bandwidth",
            Parameter::AvailSwitchoverBandwidth => "avail-switchover-bandwidth",
        }
    }
}

fn qmp(param: Parameter, value: &str) -> String {
    format!("{{\"execute\": \"migrate-set-parameters\", \"arguments\": {{\"{}\": {value}}}}}", param.name())
}

/// A bandwidth for HMP with its unit spelled out: `NM` when it is whole MiB, else `NB`.
fn hmp_size(b: BytesPerSec) -> String {
    let bytes = b.0.max(0.0).floor();
    match BytesPerSec(bytes).exact_mib_per_sec() {
        Some(mib) => format!("{mib}M"),
        None => format!("{bytes:.0}B"),
    }
}

/// The command that sets `setting` through `iface`; None where that interface has no
/// such parameter (libvirt has no avail-switchover-bandwidth). `domain` is the libvirt
/// domain name (the paste does not carry it: callers pass `DOMAIN`).
pub fn render(setting: &Setting, iface: Interface, domain: &str) -> Option<String> {
    let p = setting.parameter();
    Some(match (setting, iface) {
        (Setting::DowntimeLimit(ms), Interface::Hmp) => {
            format!("migrate_set_parameter downtime-limit {}", whole_ms(*ms))
        }
        (Setting::DowntimeLimit(ms), Interface::Qmp) => qmp(p, &whole_ms(*ms).to_string()),
        (Setting::DowntimeLimit(ms), Interface::Virsh) => {
            format!("virsh migrate-setmaxdowntime {domain} {}", whole_ms(*ms))
        }
        (Setting::MaxBandwidth(b) | Setting::AvailSwitchoverBandwidth(b), Interface::Hmp) => {
            format!("migrate_set_parameter {} {}", p.name(), hmp_size(*b))
        }
        (Setting::MaxBandwidth(b) | Setting::AvailSwitchoverBandwidth(b), Interface::Qmp) => {
            qmp(p, &format!("{:.0}", b.0.max(0.0).floor()))
        }
        (Setting::MaxBandwidth(b), Interface::Virsh) => {
            format!("virsh migrate-setspeed {domain} {}", b.whole_mib_per_sec())
        }
        (Setting::AvailSwitchoverBandwidth(_), Interface::Virsh) => return None,
        (_, Interface::HmpBefore2_8 | Interface::Config) => return None,
    })
}

/// The command with a placeholder that names its unit, for when no value is known.
pub fn render_placeholder(param: Parameter, iface: Interface, domain: &str) -> Option<String> {
    Some(match (param, iface) {
        (Parameter::DowntimeLimit, Interface::Hmp) => "migrate_set_parameter downtime-limit <ms>".into(),
        (Parameter::DowntimeLimit, Interface::Qmp) => qmp(param, "<ms>"),
        (Parameter::DowntimeLimit, Interface::Virsh) => format!("virsh migrate-setmaxdowntime {domain} <ms>"),
        (_, Interface::Hmp) => format!("migrate_set_parameter {} <MiB/s>M", param.name()),
        (_, Interface::Qmp) => qmp(param, "<bytes/s>"),
        (Parameter::MaxBandwidth, Interface::Virsh) => format!("virsh migrate-setspeed {domain} <MiB/s>"),
        (Parameter::AvailSwitchoverBandwidth, Interface::Virsh) => return None,
        (_, Interface::HmpBefore2_8 | Interface::Config) => return None,
    })
}

/// Every interface's command for one setting (the ones that exist).
pub fn render_all(setting: &Setting) -> Vec<String> {
    // A plain loop: each filter_map + collect was an iterator type of its own in the page.
    let mut all = Vec::new();
    for i in INTERFACES {
        if let Some(c) = render(setting, i, DOMAIN) {
            all.push(c);
        }
    }
    all
}

/// Every interface's placeholder command for one parameter.
pub fn placeholders(param: Parameter) -> Vec<String> {
    let mut all = Vec::new();
    for i in INTERFACES {
        if let Some(c) = render_placeholder(param, i, DOMAIN) {
            all.push(c);
        }
    }
    all
}

/// What the commands print for the libvirt domain name.
pub const DOMAIN: &str = "DOMAIN";

fn whole_ms(ms: Millis) -> u64 {
    ms.0.round().max(1.0) as u64
}

/// The shapes of every setting the engine prints, for the live test that sends each
/// rendered command to a real QEMU and reads it back: a limit, a whole-MiB bandwidth,
/// a bandwidth that is not whole MiB (HMP then says bytes), and the libvirt maximum.
pub fn catalogue() -> Vec<Setting> {
    vec![
        Setting::DowntimeLimit(Millis(300.0)),
        Setting::DowntimeLimit(Millis(4500.0)),
        Setting::max_bandwidth_whole_mib(BytesPerSec(1.25e9)),
        Setting::max_bandwidth_whole_mib(BytesPerSec::from_mib_per_sec(16 * 1024)),
        Setting::avail_switchover(BytesPerSec(1.25e9)),
        Setting::avail_switchover(BytesPerSec::from_mib_per_sec(48)),
    ]
}

/// The commands that set a downtime-limit, for every interface the user may have.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Commands {
    pub setting: Setting,
    /// HMP, QEMU 2.8+ (milliseconds).
    pub hmp: String,
    /// QMP.
    pub qmp: String,
    /// libvirt (milliseconds).
    pub virsh: String,
    /// HMP before downtime-limit existed: `migrate_set_downtime` takes seconds
    /// (deprecated in 2.8, removed in 6.0).
    pub hmp_old_seconds: String,
}

/// `DOMAIN` stands for the libvirt domain name, which the paste does not carry.
pub fn for_limit(ms: f64) -> Commands {
    let setting = Setting::DowntimeLimit(Millis(ms));
    let n = whole_ms(Millis(ms));
    let r = |i| render(&setting, i, DOMAIN).unwrap_or_default();
    Commands {
        setting,
        hmp: r(Interface::Hmp),
        qmp: r(Interface::Qmp),
        virsh: r(Interface::Virsh),
        hmp_old_seconds: format!("migrate_set_downtime {}", group(Millis(n as f64).to_secs(), 3).replace(',', "")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interfaces_keep_their_json_names() {
        let names: Vec<String> =
            [Interface::Hmp, Interface::Qmp, Interface::Virsh, Interface::HmpBefore2_8, Interface::Config]
                .iter()
                .map(|i| serde_json::to_string(i).unwrap_or_default())
                .collect();
        assert_eq!(names, ["\"hmp\"", "\"qmp\"", "\"virsh\"", "\"hmp-before2-8\"", "\"config\""]);
        // The typed settings render for the three live interfaces only.
        assert_eq!(render(&Setting::DowntimeLimit(Millis(300.0)), Interface::Config, DOMAIN), None);
    }

    #[test]
    fn every_interface_gets_the_same_limit() {
        let c = for_limit(4500.0);
        assert_eq!(c.hmp, "migrate_set_parameter downtime-limit 4500");
        assert_eq!(c.qmp, r#"{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 4500}}"#);
        assert_eq!(c.virsh, "virsh migrate-setmaxdowntime DOMAIN 4500");
        assert_eq!(c.hmp_old_seconds, "migrate_set_downtime 4.5");
        assert_eq!(for_limit(12_000.0).hmp_old_seconds, "migrate_set_downtime 12");
    }

    #[test]
    fn hmp_bandwidths_carry_their_unit() {
        let ten_gbe = Setting::avail_switchover(BytesPerSec(1.25e9));
        assert_eq!(
            render(&ten_gbe, Interface::Hmp, DOMAIN).as_deref(),
            Some("migrate_set_parameter avail-switchover-bandwidth 1250000000B")
        );
        assert_eq!(render(&ten_gbe, Interface::Virsh, DOMAIN), None, "libvirt has no such parameter");
        let mb = Setting::max_bandwidth_whole_mib(BytesPerSec(1.25e9));
        assert_eq!(render(&mb, Interface::Hmp, DOMAIN).as_deref(), Some("migrate_set_parameter max-bandwidth 1192M"));
        assert_eq!(render(&mb, Interface::Virsh, DOMAIN).as_deref(), Some("virsh migrate-setspeed DOMAIN 1192"));
        assert_eq!(
            render(&mb, Interface::Qmp, DOMAIN).as_deref(),
            Some(r#"{"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": 1249902592}}"#)
        );
        assert_eq!(
            render_placeholder(Parameter::AvailSwitchoverBandwidth, Interface::Hmp, DOMAIN).as_deref(),
            Some("migrate_set_parameter avail-switchover-bandwidth <MiB/s>M")
        );
    }
}
