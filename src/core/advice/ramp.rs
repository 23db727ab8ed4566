//! How other managers ramp the downtime-limit of a migration that does not
//! converge, replayed on this paste's numbers as each one ships it. Time 0 is the end
//! of the bulk pass (iteration 1); one pass (pending / bandwidth) per iteration after
//! it. A policy converges at the first sync after a step whose limit exceeds the limit
//! this migration needs (QEMU tests at the sync). Each replay names the file it follows.

use super::inputs::ModelInputs;
use super::recommend::Recommendation;
use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RampStep {
    /// Time since the end of the bulk pass, ms.
    pub at_ms: Millis,
    pub limit_ms: Millis,
}

/// Which manager's ramp (JSON: "nova", "ovirt-minimal-downtime", ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RampPolicy {
    Nova,
    OvirtMinimalDowntime,
    OvirtSuspendWorkload,
    Proxmox,
    Kubevirt,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RampOutcome {
    pub id: RampPolicy,
    /// The name shown.
    pub policy: String,
    /// Where the replayed behaviour comes from (repository file and function).
    pub source: String,
    pub rule: String,
    pub schedule: Vec<RampStep>,
    pub converges: bool,
    /// Time from the end of the bulk pass to switchover.
    pub converges_after_ms: Option<Millis>,
    /// The limit in force when it converges.
    pub limit_reached_ms: Option<Millis>,
    /// The pause the guest then sees (pending / final-copy bandwidth).
    pub pause_ms: Option<Millis>,
    /// What happens instead: abort, timeout, never reaching the needed limit.
    pub outcome: String,
}

/// What every policy is replayed against.
struct Need {
    /// The limit must exceed this.
    limit_ms: Millis,
    /// One pass: pending / bandwidth.
    pass_ms: Millis,
    pause_ms: Millis,
}

impl Need {
    /// Whole passes run by time `t`.
    fn passes_by(&self, t: Millis) -> f64 {
        (t.0 / self.pass_ms.0).floor()
    }
    /// The first sync strictly after `t`: syncs end each pass, at multiples of a pass.
    fn next_sync(&self, t: Millis) -> Millis {
        if self.pass_ms.0 > 0.0 {
            self.pass_ms * (self.passes_by(t) + 1.0)
        } else {
            t
        }
    }
    /// QEMU's dirty-sync count (libvirt's memory iteration) at time `t`.
    fn iteration(&self, t: Millis) -> f64 {
        if self.pass_ms.0 > 0.0 {
            1.0 + self.passes_by(t)
        } else {
            f64::INFINITY
        }
    }
}

/// A policy to replay: its steps, when it gives up, and how to say so.
struct Policy {
    id: RampPolicy,
    name: &'static str,
    source: &'static str,
    rule: String,
    schedule: Vec<RampStep>,
    abort_at_ms: Option<Millis>,
    give_up: &'static str,
}

fn replay(p: Policy, need: &Need) -> RampOutcome {
    let hit = p.schedule.iter().find(|s| s.limit_ms > need.limit_ms).cloned();
    let (converges, after, limit, outcome) = match hit {
        Some(s) => {
            let t = need.next_sync(s.at_ms);
            match p.abort_at_ms {
                Some(a) if t > a => (
                    false,
                    None,
                    None,
                    format!(
                        "reaches {} ms at {} but {} at {} first",
                        group(s.limit_ms.0, 0),
                        human_ms(s.at_ms),
                        p.give_up,
                        human_ms(a)
                    ),
                ),
                _ => (
                    true,
                    Some(t),
                    Some(s.limit_ms),
                    format!("converges at {}, {} after the bulk pass", grouped_ms(s.limit_ms), human_ms(t)),
                ),
            }
        }
        None => {
            let top = p.schedule.iter().map(|s| s.limit_ms).fold(Millis(0.0), Millis::max);
            let end = p.abort_at_ms.map(|a| format!("; {} at {}", p.give_up, human_ms(a))).unwrap_or_default();
            (
                false,
                None,
                None,
                format!(
                    "never: its highest limit {} ms is below the {} ms needed{}",
                    group(top.0, 0),
                    group(need.limit_ms.0, 0),
                    end
                ),
            )
        }
    };
    RampOutcome {
        id: p.id,
        policy: p.name.into(),
        source: p.source.into(),
        rule: p.rule,
        schedule: p.schedule,
        converges,
        converges_after_ms: after,
        limit_reached_ms: limit,
        pause_ms: converges.then_some(need.pause_ms),
        outcome,
    }
}

/// OpenStack nova: data_gb = max(RAM GiB, 2) + each migrated disk (at least 2 GiB each;
/// not in the paste); step i at int(delay x i) s sets int(base + offset x i) ms.
pub fn nova(ram_gib: f64, need: Millis) -> (Vec<RampStep>, Millis, String) {
    let (downtime, steps, delay_per_gib, timeout_per_gib) = (500.0, 10u32, 75.0, 800.0);
    let data_gib = ram_gib.max(2.0);
    let delay_s = (delay_per_gib * data_gib).floor();
    let base = downtime / steps as f64;
    let offset = (downtime - base) / steps as f64;
    let schedule = (0..=steps)
        .map(|i| RampStep {
            at_ms: Millis::from_secs((delay_s * i as f64).floor()),
            limit_ms: Millis((base + offset * i as f64).floor()),
        })
        .collect();
    let timeout = Millis::from_secs(timeout_per_gib * data_gib);
    let rule = format!(
        "live_migration_downtime 500 ms in 10 steps, one every 75 s x {} GiB = {} s (data_gb = max(RAM, 2 GiB), plus each migrated disk, at least 2 GiB each, which the paste does not show); completion timeout 800 s/GiB = {}, then abort. To converge here, set live_migration_downtime above {} ms.",
        group(data_gib, 2),
        group(delay_s, 0),
        human_ms(timeout),
        group(need.0, 0)
    );
    (schedule, timeout, rule)
}

/// One oVirt convergence-schedule item: fires once the iteration exceeds `limit`.
struct OvirtItem {
    iteration_limit: f64,
    /// None: abort (or the policy's last action).
    downtime_ms: Option<Millis>,
}

/// vdsm MonitorThread.monitor_migration: polls every 10 s; on a poll where libvirt's
/// memory iteration rose it calls _next_action once, which fires the head item only if
/// its limit < the current iteration. Returns the steps and when the last item fires.
fn ovirt_replay(items: &[OvirtItem], need: &Need) -> (Vec<RampStep>, Option<Millis>) {
    const POLL: Millis = Millis(10_000.0);
    const GIVE_UP: Millis = Millis(3_600_000.0);
    let mut steps = vec![RampStep { at_ms: Millis(0.0), limit_ms: Millis(100.0) }];
    let (mut next, mut last_iter) = (0usize, need.iteration(Millis(0.0)));
    let mut poll = POLL;
    while next < items.len() && poll < GIVE_UP {
        let it = need.iteration(poll);
        if it > last_iter && items[next].iteration_limit < it {
            match items[next].downtime_ms {
                Some(l) => steps.push(RampStep { at_ms: poll, limit_ms: l }),
                None => return (steps, Some(poll)),
            }
            next += 1;
        }
        last_iter = it;
        poll = poll + POLL;
    }
    (steps, None)
}

fn ovirt_items(extra: &[(f64, Option<f64>)]) -> Vec<OvirtItem> {
    let mut v: Vec<OvirtItem> = [(1.0, 150.0), (2.0, 200.0), (3.0, 300.0), (4.0, 400.0), (6.0, 500.0)]
        .iter()
        .map(|&(i, l)| OvirtItem { iteration_limit: i, downtime_ms: Some(Millis(l)) })
        .collect();
    v.extend(extra.iter().map(|&(i, l)| OvirtItem { iteration_limit: i, downtime_ms: l.map(Millis) }));
    v
}

/// Proxmox VE: start at 100 ms; polls every second; the counter rises when remaining grew
/// (or is 0) and, past 5, doubles the limit and resets. remaining grows once per pass (at
/// the sync), so one doubling per 6 passes of at least a second.
pub fn proxmox(pass: Millis) -> Vec<RampStep> {
    let per_growth = pass.max(Millis(1000.0));
    let mut out = Vec::new();
    let mut limit = Millis(100.0);
    let mut k = 0.0;
    while limit.0 <= MAX_DOWNTIME_LIMIT_MS {
        out.push(RampStep { at_ms: per_growth * (k * 6.0), limit_ms: limit });
        limit = limit * 2.0;
        k += 1.0;
    }
    out
}

/// KubeVirt's merged downtime tuning (alpha, opt-in): 150 ms; once the iteration exceeds
/// startAfterIteration (3) it rises linearly in 7 steps, at least 10 s apart, to 1,050 ms.
pub fn kubevirt(pass: Millis) -> Vec<RampStep> {
    let (start, ceiling, steps, after_iteration, cooldown) = (Millis(150.0), Millis(1050.0), 7, 3.0, Millis(10_000.0));
    // The iteration exceeds 3 at the 3rd sync after the bulk pass.
    let begin = pass * after_iteration;
    let mut v = vec![RampStep { at_ms: Millis(0.0), limit_ms: start }];
    v.extend((1..=steps).map(|k| RampStep {
        at_ms: begin + cooldown * (k - 1) as f64,
        limit_ms: Millis(start.0 + (ceiling - start).0 * k as f64 / steps as f64),
    }));
    v
}

pub fn compare(i: &ModelInputs, rec: &Recommendation) -> Vec<RampOutcome> {
    let need = Need {
        // A rate QEMU printed wrong still leaves the pending now to cover (the recommendation's base).
        limit_ms: if i.rate_measured || i.dirty_rate_bug.is_some() { rec.base_ms } else { Millis(0.0) },
        pass_ms: i.pending_bytes / i.bandwidth_bytes_per_ms,
        pause_ms: rec.pause_at_link_ms.unwrap_or(rec.expected_pause_ms),
    };
    let ram_gib = i.total_ram_bytes.map(Bytes::gib).unwrap_or(0.0);
    let (nova_s, nova_timeout, nova_rule) = nova(ram_gib, need.limit_ms);
    let (ov, ov_abort) = ovirt_replay(&ovirt_items(&[(-1.0, None)]), &need);
    let (ov5, ov5_abort) = ovirt_replay(&ovirt_items(&[(7.0, Some(5000.0)), (-1.0, None)]), &need);
    let ovirt_source = "vdsm lib/vdsm/virt/migration.py MonitorThread.monitor_migration and _next_action; ovirt-engine MigrationPolicies";
    let ovirt_rule = "starts at 100 ms; polls libvirt every 10 s (migration_monitor_interval) and, on a poll where the memory iteration rose, fires the next item if its iteration limit is below the current iteration (strict), one item per poll: 150, 200, 300, 400 ms after iterations 1-4, 500 ms after iteration 6";
    vec![
        replay(
            Policy {
                id: RampPolicy::Nova,
                name: "OpenStack nova",
                source: "nova/virt/libvirt/migration.py downtime_steps; nova/virt/libvirt/driver.py _live_migration_data_gb",
                rule: nova_rule,
                schedule: nova_s,
                abort_at_ms: Some(nova_timeout),
                give_up: "the completion timeout aborts it",
            },
            &need,
        ),
        replay(
            Policy {
                id: RampPolicy::OvirtMinimalDowntime,
                name: "oVirt (minimal downtime)",
                source: ovirt_source,
                rule: format!("{ovirt_rule}; then aborts (the policy also turns auto-converge on, which this replay leaves out)"),
                schedule: ov,
                abort_at_ms: ov_abort,
                give_up: "it aborts",
            },
            &need,
        ),
        replay(
            Policy {
                id: RampPolicy::OvirtSuspendWorkload,
                name: "oVirt (suspend workload if needed)",
                source: ovirt_source,
                rule: format!("{ovirt_rule}; then 5,000 ms (its iteration limit was not checked: 7 assumed), then aborts. The \"Post-copy migration\" policy instead does 150 and 200 ms, then switches to postcopy, then aborts"),
                schedule: ov5,
                abort_at_ms: ov5_abort,
                give_up: "it aborts",
            },
            &need,
        ),
        replay(
            Policy {
                id: RampPolicy::Proxmox,
                name: "Proxmox VE",
                source: "qemu-server PVE/QemuMigrate.pm phase2 (migrate_downtime, $downtimecounter)",
                rule: "starts at 100 ms (migrate_downtime 0.1 s); polls every second; a counter rises when remaining grew or is 0 and, past 5, doubles the limit and resets (once per pass here); sets max-bandwidth to 16 GiB/s when no limit is configured, so its live phase runs at the link".into(),
                schedule: proxmox(need.pass_ms),
                abort_at_ms: None,
                give_up: "",
            },
            &need,
        ),
        replay(
            Policy {
                id: RampPolicy::Kubevirt,
                name: "KubeVirt downtime tuning",
                source: "kubevirt/kubevirt PR #17480 (VEP 291, MigrationPolicy spec.experimental.downtimeTuning); the file is not named here because it was not checked",
                rule: "alpha, opt-in: starts at 150 ms; once the iteration exceeds startAfterIteration (3) it rises linearly in 7 steps at least 10 s apart (cooldown) to a ceiling of 1,050 ms; after that progressTimeout (150 s) or completionTimeoutPerGiB decides".into(),
                schedule: kubevirt(need.pass_ms),
                abort_at_ms: None,
                give_up: "",
            },
            &need,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nova_steps_follow_its_formula() {
        // 8 GiB: delay int(75 x 8) = 600 s; base 500/10 = 50 ms; offset (500-50)/10 = 45 ms.
        let (s, timeout, _) = nova(8.0, Millis(1000.0));
        let at = |i: usize| (s[i].at_ms.0, s[i].limit_ms.0);
        assert_eq!(s.len(), 11);
        assert_eq!(at(0), (0.0, 50.0));
        assert_eq!(at(1), (600_000.0, 95.0));
        assert_eq!(at(10), (6_000_000.0, 500.0));
        assert_eq!(timeout, Millis(6_400_000.0));
        // A 512 MiB guest counts as 2 GiB: 150 s per step, 1,600 s to the timeout.
        let (s, timeout, _) = nova(0.5, Millis(1000.0));
        assert_eq!((s[1].at_ms.0, timeout.0), (150_000.0, 1_600_000.0));
    }

    #[test]
    fn proxmox_doubles_every_six_passes_of_at_least_a_second() {
        let s = proxmox(Millis(500.0));
        assert_eq!((s[1].at_ms.0, s[1].limit_ms.0), (6000.0, 200.0));
        let s = proxmox(Millis(8000.0));
        assert_eq!((s[2].at_ms.0, s[2].limit_ms.0), (96_000.0, 400.0));
        assert!(s.last().map(|x| x.limit_ms.0 <= MAX_DOWNTIME_LIMIT_MS).unwrap_or(false));
    }

    #[test]
    fn kubevirt_is_linear_to_1050_ms() {
        let k = kubevirt(Millis(3000.0));
        assert_eq!(k.len(), 8);
        assert_eq!((k[1].at_ms.0, k[1].limit_ms.0.round()), (9000.0, 279.0));
        assert_eq!((k[7].at_ms.0, k[7].limit_ms.0), (69_000.0, 1050.0));
    }

    #[test]
    fn ovirt_fires_one_item_per_10_s_poll_after_its_iteration() {
        // 3.6 s passes: iteration 3 by the 10 s poll, so 150 ms then; one item per poll after.
        let need = Need { limit_ms: Millis(4000.0), pass_ms: Millis(3600.0), pause_ms: Millis(0.0) };
        let (steps, abort) = ovirt_replay(&ovirt_items(&[(-1.0, None)]), &need);
        let at: Vec<(f64, f64)> = steps.iter().map(|s| (s.at_ms.0, s.limit_ms.0)).collect();
        assert_eq!(
            at,
            vec![
                (0.0, 100.0),
                (10_000.0, 150.0),
                (20_000.0, 200.0),
                (30_000.0, 300.0),
                (40_000.0, 400.0),
                (50_000.0, 500.0)
            ]
        );
        assert_eq!(abort, Some(Millis(60_000.0)));
        // 30 s passes: the iteration rises on every third poll only, and the strict test waits for it.
        let slow = Need { limit_ms: Millis(4000.0), pass_ms: Millis(30_000.0), pause_ms: Millis(0.0) };
        let (steps, _) = ovirt_replay(&ovirt_items(&[(-1.0, None)]), &slow);
        assert_eq!(steps[1].at_ms, Millis(30_000.0), "150 ms needs iteration 2, reached at 30 s");
        assert_eq!(steps[2].at_ms, Millis(60_000.0));
    }

    #[test]
    fn replay_converges_at_the_first_sync_after_a_step_above_the_need() {
        let need = Need { limit_ms: Millis(4000.0), pass_ms: Millis(3000.0), pause_ms: Millis(3500.0) };
        let p = Policy {
            id: RampPolicy::Proxmox,
            name: "p",
            source: "",
            rule: String::new(),
            schedule: vec![
                RampStep { at_ms: Millis(0.0), limit_ms: Millis(100.0) },
                RampStep { at_ms: Millis(7000.0), limit_ms: Millis(4800.0) },
            ],
            abort_at_ms: None,
            give_up: "",
        };
        let o = replay(p, &need);
        assert_eq!(o.limit_reached_ms, Some(Millis(4800.0)));
        assert_eq!(o.converges_after_ms, Some(Millis(9000.0)));
    }
}
