//! The same plan in the settings of the management stack that runs the guest
//! (issue 14 point 4): nova.conf, KubeVirt MigrationPolicy, oVirt's migration
//! policies, Proxmox's VM options. Peers' behaviour is as in
//! shared/reference/qemu-migration.md section 9, each with its source.

use super::prose;
use super::ranked::{Lever, RankedOption};
use crate::core::advice::commands::Setting;
use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stack {
    Nova,
    KubeVirt,
    Ovirt,
    Proxmox,
}

impl Stack {
    pub fn name(self) -> &'static str {
        match self {
            Stack::Nova => "OpenStack nova (nova.conf [libvirt])",
            Stack::KubeVirt => "KubeVirt MigrationPolicy spec",
            Stack::Ovirt => "oVirt migration policy",
            Stack::Proxmox => "Proxmox VE (qm set)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackSetting {
    pub stack: Stack,
    pub lever: Lever,
    /// What to write, as the stack spells it.
    pub setting: String,
    /// What it does on these numbers.
    pub effect: String,
    /// Whether it makes this migration finish.
    pub finishes: Option<bool>,
    pub source: &'static str,
}

/// What the settings are computed from.
pub struct StackInput<'a> {
    /// The plan's highest downtime-limit (the second step when there is one).
    pub limit: Option<Millis>,
    /// The smallest limit that switches over (with the next sync's estimate when larger).
    pub need: Option<Millis>,
    pub total_ram: Option<Bytes>,
    pub options: &'a [RankedOption],
    pub domain: Option<&'a str>,
}

const NOVA: &str = "nova/virt/libvirt/migration.py downtime_steps, nova/conf/libvirt.py (minimums: downtime 100 ms, steps 3, delay 3 s)";
const KUBEVIRT: &str = "KubeVirt migrations.kubevirt.io/v1alpha1 MigrationPolicySpec; experimental downtime ramp: PR 17480 / VEP 291 (2026, alpha)";
const OVIRT: &str = "vdsm MonitorThread.monitor_migration and ovirt-engine's convergence schedules";
const PROXMOX: &str = "qemu-server PVE/QemuMigrate.pm (migrate_downtime, doubled on stalls)";

fn s(
    stack: Stack,
    lever: Lever,
    setting: String,
    effect: String,
    finishes: Option<bool>,
    source: &'static str,
) -> StackSetting {
    StackSetting { stack, lever, setting, effect, finishes, source }
}

pub fn settings(x: &StackInput) -> Vec<StackSetting> {
    let mut v = Vec::new();
    let has = |l: Lever| x.options.iter().find(|o| o.lever == l);
    // nova counts data as max(RAM GiB, 2) plus each migrated disk; disks are not in the paste.
    let gib = x.total_ram.map(|t| (t.0 / GIB).max(2.0)).unwrap_or(2.0);
    // nova: step i at int(delay x data_gb x i) s (migration.py downtime_steps).
    let last_step_s = (10.0 * gib).floor() * 3.0;
    if let Some(l) = x.limit {
        let ms = l.0.round().max(100.0);
        v.push(s(
            Stack::Nova,
            Lever::DowntimeLimit,
            format!("live_migration_downtime = {}\nlive_migration_downtime_steps = 3\nlive_migration_downtime_delay = 10", ms as u64),
            format!(
                "nova raises the limit in 3 steps, one every 10 s x {} GiB of data (RAM, at least 2, plus migrated disks): {} after about {}; its defaults (500 ms, 10 steps, 75 s per GiB) stop at 500 ms",
                group(gib, 2),
                prose::limit(Millis(ms)),
                prose::duration(Millis(last_step_s * 1000.0))
            ),
            Some(true),
            NOVA,
        ));
    }
    if let Some(o) = has(Lever::MaxBandwidth) {
        v.push(s(
            Stack::Nova,
            Lever::MaxBandwidth,
            "live_migration_bandwidth = 0".into(),
            format!("0 = no cap (MiB/s otherwise); the plan needs at least {}", o.setting),
            Some(true),
            NOVA,
        ));
    }
    if has(Lever::AutoConverge).is_some() {
        v.push(s(
            Stack::Nova,
            Lever::AutoConverge,
            "live_migration_permit_auto_converge = true".into(),
            "used for the next migration, and only when post-copy is not permitted or not available".into(),
            Some(true),
            NOVA,
        ));
    }
    if has(Lever::Postcopy).is_some() {
        v.push(s(
            Stack::Nova,
            Lever::Postcopy,
            "live_migration_permit_post_copy = true\nlive_migration_timeout_action = force_complete".into(),
            "at the completion timeout nova switches to post-copy (it pauses the guest instead when post-copy is not permitted); by hand: `nova live-migration-force-complete SERVER MIGRATION`".into(),
            Some(true),
            NOVA,
        ));
    }
    // KubeVirt: no fixed downtime-limit field; the experimental ramp ends at 1,050 ms.
    if let Some(need) = x.need {
        let fits = need.0 < 1050.0;
        v.push(s(
            Stack::KubeVirt,
            Lever::DowntimeLimit,
            "(no downtime-limit field; experimental ramp: spec.experimental, ceiling 1,050 ms by default)".into(),
            if fits {
                format!("the experimental ramp reaches the {} needed", prose::limit(need))
            } else {
                format!("the ramp's 1,050 ms ceiling is below the {} needed: use the fields below", prose::limit(need))
            },
            Some(fits),
            KUBEVIRT,
        ));
    }
    if let Some(o) = has(Lever::MaxBandwidth) {
        let mib = o.commands.iter().find_map(|c| match c.setting {
            Some(Setting::MaxBandwidth(b)) => Some(b.whole_mib_per_sec()),
            _ => None,
        });
        if let Some(m) = mib {
            v.push(s(
                Stack::KubeVirt,
                Lever::MaxBandwidth,
                format!("bandwidthPerMigration: {m}Mi"),
                "the migration's bandwidth cap (0 = unlimited)".into(),
                Some(true),
                KUBEVIRT,
            ));
        }
    }
    if has(Lever::AutoConverge).is_some() {
        v.push(s(
            Stack::KubeVirt,
            Lever::AutoConverge,
            "allowAutoConverge: true".into(),
            "throttles the vCPUs until the migration converges".into(),
            Some(true),
            KUBEVIRT,
        ));
    }
    if has(Lever::Postcopy).is_some() {
        v.push(s(
            Stack::KubeVirt,
            Lever::Postcopy,
            "allowPostCopy: true".into(),
            "switches to post-copy when the migration does not converge".into(),
            Some(true),
            KUBEVIRT,
        ));
    }
    if let Some(need) = x.need {
        let minimal = need.0 < 500.0;
        let suspend = need.0 < 5000.0;
        v.push(s(
            Stack::Ovirt,
            Lever::DowntimeLimit,
            "Minimal downtime".into(),
            format!(
                "100 ms rising to 500 ms, then abort (auto-converge on): {} here",
                if minimal { "finishes" } else { "aborts" }
            ),
            Some(minimal),
            OVIRT,
        ));
        v.push(s(
            Stack::Ovirt,
            Lever::DowntimeLimit,
            "Suspend workload if needed".into(),
            format!(
                "as above, then a last step to 5,000 ms: {} here",
                if suspend { "finishes at that step" } else { "aborts" }
            ),
            Some(suspend),
            OVIRT,
        ));
        if has(Lever::Postcopy).is_some() {
            v.push(s(
                Stack::Ovirt,
                Lever::Postcopy,
                "Post-copy migration".into(),
                "150 ms, 200 ms, then switches to post-copy: finishes, with post-copy's risk".into(),
                Some(true),
                OVIRT,
            ));
        }
    }
    if let Some(l) = x.limit {
        let vmid = x.domain.filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())).unwrap_or("VMID");
        let secs = group(l.0 / 1000.0, 3).replace(',', "");
        v.push(s(
            Stack::Proxmox,
            Lever::DowntimeLimit,
            format!("qm set {vmid} --migrate_downtime {secs}"),
            format!("seconds; PVE starts at it (default 0.1) and doubles it when remaining stops falling: {} from the start", prose::limit(l)),
            Some(true),
            PROXMOX,
        ));
    }
    v
}
