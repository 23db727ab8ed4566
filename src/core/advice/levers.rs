//! The levers besides downtime-limit, each with its numeric effect on this paste.

use super::auto_converge;
use super::commands::{self, Parameter, Setting};
use super::hugepage;
use super::inputs::ModelInputs;
use super::recommend::Recommendation;
use super::simulate::{self, SimInput};
use super::switchover_bw;
use crate::core::options::Platform;
use crate::core::units::*;
use serde::Serialize;

/// Which lever (JSON: "max-bandwidth", "avail-switchover-bandwidth", ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeverId {
    MaxBandwidth,
    AvailSwitchoverBandwidth,
    AutoConverge,
    Postcopy,
    SmallerBackingPages,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lever {
    pub id: LeverId,
    /// The name shown (the parameter or capability name).
    pub name: String,
    /// The setting now, as the paste shows it.
    pub current: String,
    /// What pulling the lever does to this paste, in numbers.
    pub effect: String,
    /// The downtime-limit needed once the lever is pulled.
    pub limit_needed_ms: Option<Millis>,
    /// Whether the limit in force is then enough.
    pub converges_at_limit_in_force: Option<bool>,
    pub commands: Vec<String>,
    pub caveats: Vec<String>,
}

pub fn all(i: &ModelInputs, sim: &SimInput, rec: &Recommendation) -> Vec<Lever> {
    vec![max_bandwidth(i, sim), avail_switchover(i, rec), auto_converge(i, sim), postcopy(i), smaller_pages(i)]
}

fn lim(i: &ModelInputs, need: Millis) -> Option<bool> {
    i.rate_measured.then_some(need < i.limit_ms)
}

fn max_bandwidth(i: &ModelInputs, sim: &SimInput) -> Lever {
    let current = match (i.max_bandwidth_bytes_per_s, i.max_bandwidth_unlimited) {
        (Some(_), true) => {
            "9223372036853727232 bytes/s: libvirt's \"unlimited\" (INT64_MAX / 2^20 MiB/s in bytes/s)".to_string()
        }
        (Some(b), false) => format!("{} ({})", b, human_rate(b.to_bytes_per_ms())),
        (None, _) => {
            "not pasted (QEMU's default: 32 MiB/s before 5.2, 128 MiB/s since; libvirt sets it unlimited)".to_string()
        }
    };
    // A value only from the link speed the user gave; otherwise the unit-named placeholders.
    let commands = match i.link_given_bytes_per_s {
        Some(l) => commands::render_all(&Setting::max_bandwidth_whole_mib(l)),
        None => commands::placeholders(Parameter::MaxBandwidth),
    };
    if i.max_bandwidth_unlimited || i.live_phase_capped == Some(false) {
        return Lever {
            id: LeverId::MaxBandwidth,
            name: "max-bandwidth".into(),
            current,
            effect: format!(
                "The live phase is not capped: the measured {} is what the link and the sender deliver. Raising max-bandwidth changes nothing.",
                human_rate(i.bandwidth_bytes_per_ms)
            ),
            limit_needed_ms: None,
            converges_at_limit_in_force: None,
            commands,
            caveats: vec![],
        };
    }
    let (new_bw, how) = match i.link_bytes_per_ms {
        Some(l) if l > i.bandwidth_bytes_per_ms => (l, format!("the link's {}", human_rate(l))),
        _ => (i.bandwidth_bytes_per_ms * 2.0, "twice the measured bandwidth".to_string()),
    };
    let mut s = sim.clone();
    s.bandwidth = new_bw;
    if i.avail_switchover_bytes_per_s.is_none_or(|a| a.0 <= 0.0) {
        s.threshold_bandwidth = new_bw;
    }
    let r = simulate::run(&s, i.limit_ms);
    // To switch over at the next sync; later passes may need less if the guest falls behind.
    let need = i.pending_bytes / s.threshold_bandwidth;
    Lever {
        id: LeverId::MaxBandwidth,
        name: "max-bandwidth".into(),
        current,
        effect: format!(
            "At {how}: passes are {}x shorter, the guest re-dirties {}x the bandwidth instead of {}x, and a limit above {} ms switches over at the next sync; at {} ms the simulation {}.",
            rounded(new_bw / i.bandwidth_bytes_per_ms, 1),
            rounded(i.dirty_bytes_per_ms / new_bw, 2),
            rounded(i.dirty_bytes_per_ms / i.bandwidth_bytes_per_ms, 2),
            group(need.0, 0),
            group(i.limit_ms.0, 0),
            if r.converges { format!("switches over after {} passes", r.passes) } else { "still does not converge".to_string() }
        ),
        limit_needed_ms: Some(need),
        converges_at_limit_in_force: i.rate_measured.then_some(r.converges),
        commands,
        caveats: vec!["More migration bandwidth takes it from the guests' own traffic on a shared link.".into()],
    }
}

fn avail_switchover(i: &ModelInputs, rec: &Recommendation) -> Lever {
    let current = match i.avail_switchover_bytes_per_s {
        Some(b) if b.0 > 0.0 => format!("{b}"),
        Some(_) => "0 (use the measured bandwidth)".into(),
        None => "not pasted (0 = use the measured bandwidth; exists from QEMU 8.2)".into(),
    };
    let pending = rec.base_pending_bytes;
    let at = |bw: BytesPerSec| group((pending / bw.to_bytes_per_ms()).0, 0);
    let (need, effect) = match i.link_bytes_per_ms {
        Some(l) => {
            let need = pending / l;
            (Some(need), format!("Set to the link's {}: QEMU's threshold and estimate use it, so the limit needed falls from {} ms to {} ms.", human_rate(l), group(rec.base_ms.0, 0), group(need.0, 0)))
        }
        None => (
            None,
            format!(
                "Set to the link's real speed: the limit needed becomes {} / that speed (10 GbE: {} ms; 1 GbE: {} ms) instead of {} ms.",
                human_bytes(pending),
                at(switchover_bw::LINKS[1].1),
                at(switchover_bw::LINKS[0].1),
                group(rec.base_ms.0, 0)
            ),
        ),
    };
    let mut caveats = vec!["Never above what the link really delivers: the pause would exceed the limit.".to_string()];
    if i.supports_avail_switchover == Some(false) {
        caveats.push("Not available in this QEMU (needs 8.2+).".into());
    }
    Lever {
        id: LeverId::AvailSwitchoverBandwidth,
        name: "avail-switchover-bandwidth".into(),
        current,
        effect,
        limit_needed_ms: need,
        converges_at_limit_in_force: need.and_then(|n| lim(i, n)),
        commands: match (i.supports_avail_switchover, i.link_given_bytes_per_s) {
            (Some(false), _) => vec![],
            (_, Some(l)) => commands::render_all(&Setting::avail_switchover(l)),
            (_, None) => commands::placeholders(Parameter::AvailSwitchoverBandwidth),
        },
        caveats,
    }
}

fn auto_converge(i: &ModelInputs, sim: &SimInput) -> Lever {
    let on = match i.auto_converge {
        Some(true) => "on",
        Some(false) => "off",
        None => "not pasted",
    };
    let current = format!(
        "{on}; cpu-throttle-initial {} %, cpu-throttle-increment {} %, max-cpu-throttle {} %, throttle-trigger-threshold {} %{}",
        group(i.throttle_initial, 0),
        group(i.throttle_increment, 0),
        group(i.throttle_max, 0),
        group(i.throttle_trigger_pct, 0),
        i.cpu_throttle_pct.map(|t| format!("; throttling now at {} %", group(t, 0))).unwrap_or_default()
    );
    let ratio = i.dirty_bytes_per_ms / i.bandwidth_bytes_per_ms * 100.0;
    let triggers = ratio > i.throttle_trigger_pct;
    let run = auto_converge::run(i, sim);
    let (conv, passes, throttle, time) = (run.converges, run.passes, run.throttle_pct, run.time_ms);
    let cadence = if run.forced_syncs {
        format!(
            "QEMU 9.2+ forces a bitmap sync every 5 s with auto-converge on{}, and checks once per sync period of at least 1 s (ram.c migration_trigger_throttle): the throttle starts at the 2nd high period and rises on every second further one",
            if i.forced_sync_5s.is_none() { " (assumed: the paste does not date this QEMU)" } else { "" }
        )
    } else {
        "QEMU checks once per sync period of at least 1 s (ram.c migration_trigger_throttle): the throttle starts at the 2nd high period and rises on every second further one".to_string()
    };
    let effect = if let Some(b) = &i.dirty_rate_bug {
        format!("{b}: it cannot tell whether auto-converge would trigger.")
    } else if !i.rate_measured {
        "No dirty rate measured yet: it cannot tell whether auto-converge would trigger.".to_string()
    } else if !triggers {
        format!(
            "Dirtying is {} % of the bytes sent per period, below the {} % trigger: auto-converge would not throttle.",
            rounded(ratio, 0),
            group(i.throttle_trigger_pct, 0)
        )
    } else if conv {
        format!(
            "Dirtying is {} % of the bytes sent per period (trigger {} %). {cadence}. By the printed rate (a model) the migration switches over at {} ms after {} syncs and {} drained pass(es) ({}) with the vCPUs throttled {} %.",
            rounded(ratio, 0),
            group(i.throttle_trigger_pct, 0),
            group(i.limit_ms.0, 0),
            run.syncs,
            passes,
            human_ms(time),
            group(throttle, 0)
        )
    } else {
        format!("Dirtying is {} % of the bytes sent per period. {cadence}. Even at {} % throttle the model does not switch over at {} ms.", rounded(ratio, 0), group(throttle, 0), group(i.limit_ms.0, 0))
    };
    Lever {
        id: LeverId::AutoConverge,
        name: "auto-converge".into(),
        current,
        effect,
        limit_needed_ms: None,
        converges_at_limit_in_force: (i.rate_measured && triggers).then_some(conv),
        commands: vec!["migrate_set_capability auto-converge on".into(), "virsh migrate ... --auto-converge".into()],
        caveats: {
            let mut c = vec!["A model on the printed rate: real throttles can run higher (corpus run 10.0.2-D: a 64 MiB/s writer behind a 32 MiB/s cap switched over only at 90 %).".to_string()];
            let granule = hugepage::dirty_granule(i.platform, i.backing_page_bytes);
            if granule.0 >= 16.0 * MIB {
                c.push(hugepage::conditional(i.platform, &format!(
                    "one write still dirties {0} through a {0} HPTE: the throttle must slow the guest until its hot huge pages go untouched for a whole pass.",
                    human_bytes(granule)
                )));
            }
            c.push("A throttled guest runs slower for the rest of the migration.".into());
            c
        },
    }
}

/// What a postcopy fault waits for: a whole backing page on hugetlbfs (userfaultfd places
/// the whole host page), on any platform.
fn postcopy_fault(i: &ModelInputs) -> String {
    let at = |page: Bytes| format!("{} ms", group((page / i.bandwidth_bytes_per_ms).0, 2));
    let backing = i.backing_page_bytes;
    match i.platform {
        Some(Platform::PowerHash) => format!(
            "Each fault on a page not yet copied waits for a whole {} backing page: about {} at this bandwidth.",
            human_bytes(backing),
            at(backing)
        ),
        Some(_) => format!(
            "Each fault on a page not yet copied waits for one backing page: {} for a host page of {}, {} for a 2 MiB and {} for a 1 GiB hugetlbfs page at this bandwidth.",
            at(hugepage::dirty_granule(i.platform, i.target_page_bytes)),
            human_bytes(hugepage::dirty_granule(i.platform, i.target_page_bytes)),
            at(Bytes(2.0 * MIB)),
            at(Bytes(GIB))
        ),
        None => format!(
            "Each fault on a page not yet copied waits for one whole backing page: if this is a POWER hash-MMU guest on {} pages about {}; with 4 KiB pages {}.",
            human_bytes(backing),
            at(backing),
            at(Bytes(4.0 * KIB))
        ),
    }
}

fn postcopy(i: &ModelInputs) -> Lever {
    Lever {
        id: LeverId::Postcopy,
        name: "postcopy".into(),
        current: match i.postcopy_ram {
            Some(true) => "postcopy-ram on".into(),
            Some(false) => "postcopy-ram off".into(),
            None => "not pasted".into(),
        },
        effect: format!(
            "Switching to postcopy pauses the guest only for device state and the dirty bitmap (typically tens of ms, independent of the {} pending); the guest then runs on the target and pulls the rest, about {} more at {}. {}",
            human_bytes(i.pending_bytes),
            human_ms(i.pending_bytes / i.bandwidth_bytes_per_ms),
            human_rate(i.bandwidth_bytes_per_ms),
            postcopy_fault(i)
        ),
        limit_needed_ms: None,
        converges_at_limit_in_force: None,
        commands: vec![
            "migrate_set_capability postcopy-ram on   (both sides, before migrate)".into(),
            "migrate_start_postcopy   (once pre-copy has run a pass)".into(),
            "virsh migrate --postcopy ... ; virsh migrate-postcopy DOMAIN".into(),
        ],
        caveats: vec![
            "If the network or the destination fails during postcopy the guest's memory is split between hosts: QEMU 3.0+ can resume a paused postcopy (migrate-recover), older ones lose the guest.".into(),
            "Needs userfaultfd on the destination kernel.".into(),
        ],
    }
}

fn smaller_pages(i: &ModelInputs) -> Lever {
    let granule = hugepage::dirty_granule(i.platform, i.backing_page_bytes);
    let hash = matches!(i.platform, Some(Platform::PowerHash) | None);
    let n = hugepage::whole_pages(i.pending_bytes, granule);
    let rows = hugepage::required_limit_vs_page_size(
        i.platform,
        n,
        i.threshold_bandwidth_bytes_per_ms,
        i.total_ram_bytes,
        i.backing_page_bytes,
    );
    let row64 = rows.iter().find(|r| (r.page_bytes - hugepage::PPC64_HOST_PAGE).0.abs() < 1.0);
    let need = row64.map(|r| r.limit_needed_ms);
    let applies = hash && granule > hugepage::PPC64_HOST_PAGE;
    let effect = if applies {
        hugepage::conditional(i.platform, &format!(
            "with 64 KiB HPTEs the same {} touched spots keep at least {} pending instead of {}: a limit above {} ms, if each {} page holds one written spot (the real floor lies between that and now).",
            group(n, 0),
            human_bytes(row64.map(|r| r.floor_bytes).unwrap_or_default()),
            human_bytes(i.pending_bytes),
            group(need.unwrap_or_default().0, 1),
            human_bytes(granule)
        ))
    } else if hash {
        format!("The pages are already {}: no amplification to remove.", human_bytes(granule))
    } else {
        format!(
            "On this platform KVM logs dirty pages at {} whatever backs the RAM: smaller backing pages change nothing during pre-copy.",
            human_bytes(granule)
        )
    };
    Lever {
        id: LeverId::SmallerBackingPages,
        name: "smaller backing pages".into(),
        current: format!("{} backing pages (as chosen)", human_bytes(i.backing_page_bytes)),
        effect,
        limit_needed_ms: need.filter(|_| applies),
        converges_at_limit_in_force: need.filter(|_| applies).and_then(|n| lim(i, n)),
        commands: if applies {
            vec![
                format!("{}-machine pseries,cap-hpt-max-page-size=64K   (libvirt: <hpt><maxpagesize unit='KiB'>64</maxpagesize></hpt>)", if i.platform.is_none() { "(POWER hash-MMU only) " } else { "" }),
                format!("back guest RAM with 64K pages instead of {} hugetlbfs", human_bytes(i.backing_page_bytes)),
            ]
        } else {
            vec![]
        },
        caveats: if applies {
            vec![
                "Takes effect only after the guest restarts with that configuration; the guest loses its huge pages (more TLB misses).".into(),
                "cap-hpt-max-page-size must be the same on source and destination.".into(),
            ]
        } else {
            vec![]
        },
    }
}
