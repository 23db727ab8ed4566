//! The recommended downtime-limit: the smallest limit under which QEMU would
//! switch over (pending after a sync < threshold bandwidth x limit), plus a margin
//! that grows as the evidence gets thinner, rounded up to a value a person types.

use super::commands::{self, Commands};
use super::hugepage;
use super::inputs::{ModelInputs, Stop};
use super::rounding::typeable_ms;
use super::series::SeriesSummary;
use super::simulate::Simulation;
use crate::core::inference::RateCounts;
use crate::core::options::Platform;
use crate::core::units::*;
use serde::Serialize;

/// How sure the recommendation is (JSON: "high", "medium", "low").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    High,
    Medium,
    Low,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::High => "high",
            Level::Medium => "medium",
            Level::Low => "low",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Confidence {
    pub level: Level,
    pub margin_pct: f64,
    /// Each piece of evidence for and against.
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recommendation {
    pub downtime_limit_ms: Millis,
    /// QEMU's own estimate of the pause at switchover: pending / live-phase bandwidth.
    pub expected_pause_ms: Millis,
    /// At the limit in force: true, false, or None when the paste cannot tell yet.
    pub converges_now: Option<bool>,
    pub basis: String,
    /// The exact smallest limit: pending / threshold bandwidth.
    pub base_ms: Millis,
    pub base_pending_bytes: Bytes,
    pub threshold_bandwidth_bytes_per_ms: BytesPerMs,
    pub margin_pct: f64,
    /// base x (1 + margin), before rounding.
    pub with_margin_ms: Millis,
    pub confidence: Confidence,
    /// The pause at the link's speed, when the link is known and differs from the live phase.
    pub pause_at_link_ms: Option<Millis>,
    pub pause_note: String,
    pub commands: Commands,
    pub warnings: Vec<String>,
    /// The limit this needs is above QEMU's 2,000 s maximum.
    pub exceeds_qemu_max: bool,
    pub limit_in_force_ms: Millis,
    pub limit_pasted: bool,
    /// What the dirty rate predicts for the next sync when it exceeds the pending now.
    pub next_sync_bytes: Option<Bytes>,
    pub next_sync_limit_ms: Option<Millis>,
}

fn confidence(i: &ModelInputs, series: Option<&SeriesSummary>) -> Confidence {
    let mut reasons = Vec::new();
    let mut score = 0i32;
    let points = series.map(|s| s.points.len()).unwrap_or(0);
    if points >= 2 {
        score += 1;
        reasons.push(format!(
            "a series with {points} post-sync points: the pending after a sync is observed, not inferred"
        ));
    } else if points == 1 {
        reasons.push("a series with one post-sync point: one pass observed".to_string());
    } else if let Some(s) = series {
        score -= 1;
        reasons.push(format!(
            "a series of {} snapshots, all in the first (bulk) pass: no post-sync point yet",
            s.samples.len()
        ));
    } else {
        score -= 1;
        reasons.push("one snapshot: the next pass may differ from this one".to_string());
    }
    if let (true, Some(b)) = (i.pending_lower_bound, &i.expected_downtime_bug) {
        score -= 1;
        reasons.push(format!("{b}: no last-sync bytes can be back-solved from it, so pending is the live remaining, a lower bound: the pass may have started higher"));
    } else if i.pending_lower_bound {
        score -= 1;
        reasons.push("pending is the live remaining, a lower bound: the printed expected downtime cannot be back-solved here (formula 1 era, or QEMU still echoes the limit), so the pass may have started higher".to_string());
    } else {
        score += 1;
        reasons.push(format!("pending is {}", i.pending_source.describe()));
    }
    match series {
        Some(s) if s.bandwidth_stable => {
            score += 1;
            reasons.push(format!(
                "bandwidth stable: {:.1} % spread over {} snapshots",
                s.bandwidth_spread_pct,
                s.samples.len()
            ));
        }
        Some(s) => {
            score -= 1;
            reasons.push(format!(
                "bandwidth unstable: {:.1} % spread, trend {:+.1} %; the recommendation uses the lowest recent value",
                s.bandwidth_spread_pct, s.bandwidth_trend_pct
            ));
        }
        None => reasons.push("bandwidth seen once: its stability is unknown".to_string()),
    }
    if let Some(pct) = i.remaining_rounding_pct {
        reasons.push(format!(
            "remaining is printed to 3 significant digits: known to about ±{:.2} %, inside the margin",
            pct
        ));
    }
    if let Some(b) = &i.dirty_rate_bug {
        score -= 2;
        reasons.push(format!("{b}: the model runs without a dirty rate, so the limit covers the pending bytes now, not what the guest re-dirties"));
    } else if i.typed_in && !i.rate_measured {
        score -= 1;
        reasons.push("numbers typed in without a dirty rate: the limit covers the pending bytes given, not what the guest re-dirties".to_string());
    } else if !i.rate_measured {
        score -= 2;
        reasons.push(
            "QEMU has not measured a dirty rate yet (first pass): what the first sync will leave is unknown"
                .to_string(),
        );
    }
    let (level, margin) = match score {
        s if s >= 3 => (Level::High, 10.0),
        s if s >= 1 => (Level::Medium, 20.0),
        _ => (Level::Low, 25.0),
    };
    Confidence { level, margin_pct: margin, reasons }
}

pub fn recommend(i: &ModelInputs, series: Option<&SeriesSummary>, sim_now: &Simulation) -> Recommendation {
    if let Some(c) = &i.completed {
        let stop = Stop { note: String::new(), completed: Some(c.clone()), limit_ms: i.limit_ms };
        if let Some(r) = completed_only(&stop) {
            return r;
        }
    }
    let conf = confidence(i, series);
    let thr_bw = i.threshold_bandwidth_bytes_per_ms;
    let pending = i.pending_bytes;
    let base = pending / thr_bw;
    let margin = conf.margin_pct;
    let with_margin = base * (1.0 + margin / 100.0);
    let rounded = Millis(typeable_ms(with_margin.0).min(MAX_DOWNTIME_LIMIT_MS));
    let keep_in_force = i.rate_measured && sim_now.converges && i.limit_ms < rounded;
    let next = next_sync(i, series);
    let (limit, basis) = if i.before_first_sync() {
        (i.limit_ms, first_pass_basis(i))
    } else if keep_in_force {
        (i.limit_ms, converging_basis(i, base, sim_now))
    } else {
        let mut b = measured_basis(i, base, margin, conf.level, with_margin, rounded);
        if let Some(n) = next {
            b.push(' ');
            b.push_str(&coverage(i, rounded, n));
        }
        (rounded, b)
    };
    let converges_now = if !i.rate_measured { None } else { Some(sim_now.converges) };
    // Kept limit: the guest pauses for what is left when the shrinking passes fit it,
    // not for today's whole pending.
    let expected_pause = match (keep_in_force, sim_now.final_pause_ms) {
        (true, Some(p)) => p,
        _ => pending / i.bandwidth_bytes_per_ms,
    };
    let at_switchover = i.bandwidth_bytes_per_ms * expected_pause;
    let (pause_at_link, pause_note) = pause(i, at_switchover, expected_pause, keep_in_force, limit);
    let mut r = Recommendation {
        downtime_limit_ms: limit,
        expected_pause_ms: expected_pause,
        converges_now,
        basis,
        base_ms: base,
        base_pending_bytes: pending,
        threshold_bandwidth_bytes_per_ms: thr_bw,
        margin_pct: margin,
        with_margin_ms: with_margin,
        confidence: conf,
        pause_at_link_ms: pause_at_link,
        pause_note,
        commands: commands::for_limit(limit.0),
        warnings: Vec::new(),
        exceeds_qemu_max: base.0 >= MAX_DOWNTIME_LIMIT_MS,
        limit_in_force_ms: i.limit_ms,
        limit_pasted: i.limit_pasted,
        next_sync_bytes: next,
        next_sync_limit_ms: next.map(|b| b / thr_bw),
    };
    r.warnings = warnings(&r, i);
    r
}

fn converging_basis(i: &ModelInputs, base: Millis, sim: &Simulation) -> String {
    format!(
        "The pending after each sync is shrinking: at the {} ms in force the simulation switches over after {} pass(es) ({} ms in all), so keep it. A limit above {} ms ({} pending / {}) would switch over at the next sync instead.",
        group(i.limit_ms.0, 0),
        sim.passes,
        group(sim.total_time_ms.0, 0),
        group(base.0, 0),
        human_bytes(i.pending_bytes),
        i.threshold_bandwidth_bytes_per_ms
    )
}

/// From one snapshot: the bytes the rate re-dirties while the rest of this pass is sent
/// (the 2019 proposal's numerator), when that exceeds what is pending now.
fn next_sync(i: &ModelInputs, series: Option<&SeriesSummary>) -> Option<Bytes> {
    if !i.rate_measured || series.map(|s| !s.points.is_empty()).unwrap_or(false) {
        return None;
    }
    let t = i.live_remaining_bytes / i.bandwidth_bytes_per_ms;
    let b = (i.dirty_bytes_per_ms * t).min(i.total_ram_bytes.unwrap_or(Bytes::INFINITE));
    (b > i.pending_bytes * 1.001).then_some(b)
}

/// A paste that only shows a completed migration: the limit in force worked.
pub fn completed_only(stop: &Stop) -> Option<Recommendation> {
    let c = stop.completed.as_ref()?;
    let dt = c.downtime_ms.map(|d| format!(" with a measured downtime of {}", grouped_ms(d))).unwrap_or_default();
    Some(
        Settled {
            limit: stop.limit_ms,
            pause: c.downtime_ms.unwrap_or_default(),
            pending: c.downtime_bytes.unwrap_or_default(),
            basis: format!(
                "The migration completed{dt} under the downtime-limit in force ({} ms): keep it.",
                group(stop.limit_ms.0, 0)
            ),
            reason: "the migration completed: measured, not estimated",
            pause_note: "The pause is the measured downtime.",
        }
        .recommendation(),
    )
}

/// Postcopy is running: the switchover has happened and the guest runs on the destination,
/// so no downtime-limit changes anything now; what is left arrives on demand.
pub fn in_postcopy(
    limit: Millis,
    remaining: Option<Bytes>,
    bandwidth: Option<BytesPerMs>,
    paused: bool,
) -> Recommendation {
    let left = match (remaining, bandwidth.filter(|b| b.0 > 0.0)) {
        (Some(r), Some(bw)) => {
            format!(" {} is still on the source, about {} ms more at {}.", human_bytes(r), group((r / bw).0, 0), bw)
        }
        (Some(r), None) => format!(" {} is still on the source.", human_bytes(r)),
        _ => String::new(),
    };
    let basis = if paused {
        format!("Postcopy is paused: the network or the destination failed while the guest's memory is split between the hosts. Recover it (QEMU 3.0+): on the destination `migrate_recover URI` (QMP `migrate-recover`), then on the source `migrate -r URI` (QMP `migrate` with \"resume\": true); the downtime-limit plays no part.{left}")
    } else {
        format!("Postcopy is running: the guest already runs on the destination and pulls the rest on demand, so the downtime-limit ({} ms) no longer matters.{left}", group(limit.0, 0))
    };
    Settled {
        limit,
        pause: Millis(0.0),
        pending: Bytes(0.0),
        basis,
        reason: "postcopy: the switchover already happened",
        pause_note: "The guest paused only for device state and the dirty bitmap at the switch to postcopy; each page fault now waits for one page.",
    }
    .recommendation()
}

/// A recommendation with nothing left to tune: keep the limit in force.
struct Settled {
    limit: Millis,
    /// The pause seen (measured downtime), or none.
    pause: Millis,
    pending: Bytes,
    basis: String,
    /// The one piece of evidence, for the confidence.
    reason: &'static str,
    pause_note: &'static str,
}

impl Settled {
    fn recommendation(self) -> Recommendation {
        Recommendation {
            downtime_limit_ms: self.limit,
            expected_pause_ms: self.pause,
            converges_now: Some(true),
            basis: self.basis,
            base_ms: self.pause,
            base_pending_bytes: self.pending,
            threshold_bandwidth_bytes_per_ms: BytesPerMs(0.0),
            margin_pct: 0.0,
            with_margin_ms: self.limit,
            confidence: Confidence { level: Level::High, margin_pct: 0.0, reasons: vec![self.reason.into()] },
            pause_at_link_ms: None,
            pause_note: self.pause_note.into(),
            commands: commands::for_limit(self.limit.0),
            warnings: Vec::new(),
            exceeds_qemu_max: false,
            limit_in_force_ms: self.limit,
            limit_pasted: true,
            next_sync_bytes: None,
            next_sync_limit_ms: None,
        }
    }
}

fn first_pass_basis(i: &ModelInputs) -> String {
    let granule = hugepage::dirty_granule(i.platform, i.backing_page_bytes);
    let idle = match i.platform {
        Some(Platform::X86) | Some(Platform::PowerRadix) => format!(
            "an idle guest converges under the {} ms in force (seen on QEMU 7.2 and 10.0 here: it switches over at the end of the bulk pass)",
            group(i.limit_ms.0, 0)
        ),
        _ if granule.0 >= 16.0 * MIB => format!(
            "an idle x86 guest converges under the {} ms in force, but {}a guest on {} HPTEs may not even when idle (the seed's 2019 write-up)",
            group(i.limit_ms.0, 0),
            hugepage::if_hash(i.platform).to_ascii_lowercase(),
            human_bytes(granule)
        ),
        _ => format!("an idle guest converges under the {} ms in force", group(i.limit_ms.0, 0)),
    };
    format!(
        "QEMU has not measured a dirty rate yet (it does so at the first sync after the bulk pass), so what the first sync leaves pending is unknown; \
         {idle}. Paste `info migrate` again after `dirty sync count` reaches 2."
    )
}

/// One answer when the pending is a lower bound and the dirty rate predicts more at the
/// next sync: which limit covers which.
fn coverage(i: &ModelInputs, rounded: Millis, next: Bytes) -> String {
    let need = next / i.threshold_bandwidth_bytes_per_ms;
    let floor = if i.pending_lower_bound { ", a floor: the pass began with more pending than is left now" } else { "" };
    let verdict = if rounded > need {
        format!("{} ms covers that too.", group(rounded.0, 0))
    } else {
        format!(
            "{} ms does not cover that: paste `info migrate` again right after the next sync (when `dirty sync count` rises) to see the real post-sync pending before going higher.",
            group(rounded.0, 0)
        )
    };
    format!(
        "It covers the {} pending now{floor}. If the guest keeps touching new pages, the dirty rate ({}) says the next sync may hold {} (a model: {}), which needs {} ms; {verdict}",
        human_bytes(i.pending_bytes),
        rate_meaning(i),
        human_bytes(next),
        "the rate x the time left in this pass; the sync also adds what was dirtied in the part of the pass already sent",
        group(need.0, 0),
    )
}

fn rate_meaning(i: &ModelInputs) -> &'static str {
    match i.rate_counts {
        Some(RateCounts::EveryDirtyPage) => {
            "up to QEMU 5.0 it counts every page KVM reported dirty, also pages still pending, so it overstates growth"
        }
        Some(RateCounts::NewlyDirty) => "from QEMU 5.1 it counts only newly dirtied pages",
        None => "up to QEMU 5.0 it also counts pages still pending, from 5.1 only newly dirtied ones",
    }
}

fn measured_basis(
    i: &ModelInputs,
    base: Millis,
    margin: f64,
    level: Level,
    with_margin: Millis,
    rounded: Millis,
) -> String {
    format!(
        "{} pending after a sync ({}) / {} ({}) = {} ms is the smallest limit that switches over; +{:.0} % margin ({} confidence) = {} ms, rounded up to {} ms.",
        human_bytes(i.pending_bytes),
        i.pending_source.describe(),
        i.threshold_bandwidth_bytes_per_ms,
        i.threshold_bandwidth_source,
        group(base.0, 1),
        margin,
        level,
        group(with_margin.0, 1),
        group(rounded.0, 0)
    )
}

/// The pause at switchover for `pending` bytes left then; `kept`: the limit in force is kept
/// and the simulated passes shrink what is left, so this is not QEMU's estimate of today.
/// Whatever the estimate, QEMU switches over only with pending < threshold bandwidth x
/// `limit`, so the pause is bounded by that at the final copy's speed; on a POWER hash-MMU
/// guest two things QEMU does not count come on top.
fn pause(i: &ModelInputs, pending: Bytes, expected: Millis, kept: bool, limit: Millis) -> (Option<Millis>, String) {
    let ms = |t: Millis| group(t.0, 0);
    if !i.rate_measured && i.dirty_rate_bug.is_none() {
        return (
            None,
            format!(
                "Unknown before the first sync: {} ms is what is left of the bulk pass / bandwidth; after it the pause covers only what the guest dirtied meanwhile (an idle guest's is a few ms).",
                ms(expected)
            ),
        );
    }
    let at_link = i.link_bytes_per_ms.filter(|l| *l > i.bandwidth_bytes_per_ms * 1.05).map(|l| pending / l);
    let mut note = match (i.live_phase_capped, at_link) {
        (Some(true), Some(p)) => format!(
            "The live phase runs at max-bandwidth, but QEMU lifts that cap for the final copy: at the link's {} ({}) the pause is about {} ms, not {} ms.",
            i.link_bytes_per_ms.unwrap_or_default(),
            i.link_source,
            ms(p),
            ms(expected)
        ),
        (Some(true), None) => format!(
            "The live phase runs at max-bandwidth, but QEMU lifts that cap for the final copy: the real pause will be shorter than {} ms (give the link speed to compute it).",
            ms(expected)
        ),
        (_, Some(p)) => format!("At the link's {} ({}) the final copy takes about {} ms.", i.link_bytes_per_ms.unwrap_or_default(), i.link_source, ms(p)),
        _ if i.max_bandwidth_unlimited => "QEMU's estimate, pending / bandwidth. max-bandwidth is libvirt's \"unlimited\" (9223372036853727232 bytes/s): the measured bandwidth is already what the link delivers, so the pause is about the estimate.".to_string(),
        _ if kept => format!("What the shrinking passes leave at switchover ({}) / bandwidth = {} ms.", human_bytes(pending), ms(expected)),
        _ => format!("QEMU's estimate: pending / bandwidth = {} ms.", ms(expected)),
    };
    let threshold = i.threshold_bandwidth_bytes_per_ms * limit;
    let (final_bw, at) = match (i.live_phase_capped, i.link_bytes_per_ms) {
        (Some(true), Some(l)) if l > i.bandwidth_bytes_per_ms => (l, "at the link's speed"),
        _ => (i.bandwidth_bytes_per_ms, "at the live-phase bandwidth"),
    };
    note.push_str(&format!(
        " Bounded by the limit: QEMU switches over only when pending < {} x {} ms = {}, which takes at most {} ms {at}.",
        i.threshold_bandwidth_bytes_per_ms,
        ms(limit),
        human_bytes(threshold),
        ms(threshold / final_bw)
    ));
    let granule = hugepage::dirty_granule(i.platform, i.backing_page_bytes);
    if matches!(i.platform, Some(Platform::PowerHash) | None) && granule > hugepage::PPC64_HOST_PAGE {
        let hpt = i.total_ram_bytes.map(spapr_hpt_bytes);
        note.push(' ');
        note.push_str(&hugepage::conditional(i.platform, &format!(
            "the pause runs longer than that: after the guest stops, ram_save_complete() syncs once more, and each {} page touched between the deciding sync and the stop adds {} ({} ms at {}); and the spapr HPT's final delta (htab_save_complete) goes out during the pause without ever being counted in pending{}.",
            human_bytes(granule),
            human_bytes(granule),
            ms(granule / final_bw),
            human_rate(final_bw),
            match hpt {
                Some(h) => format!(
                    ": at most the whole HPT, {} for {} of RAM ({} ms) if every entry changed (a model: the HPT is RAM/128, hw/ppc/spapr.c spapr_hpt_shift_for_ramsize; the real delta is usually far smaller)",
                    human_bytes(h),
                    human_bytes(i.total_ram_bytes.unwrap_or_default()),
                    ms(h / final_bw)
                ),
                None => String::new(),
            }
        )));
    }
    (at_link, note)
}

/// The HPT QEMU asks for: 1/128 of RAM rounded up to a power of two, 256 KiB .. 64 TiB
/// (hw/ppc/spapr.c spapr_hpt_shift_for_ramsize).
/// QEMU's `total ram` also counts firmware blocks of a few MiB beyond the guest RAM the HPT
/// is sized from, so an excess under 1 % does not round up to the next power of two.
pub fn spapr_hpt_bytes(ram: Bytes) -> Bytes {
    let shift = ((ram.0.max(1.0).log2() - 0.01).ceil() - 7.0).clamp(18.0, 46.0);
    // A whole number, so powi is exact (powf(2, x) compiles to libm's exp2, 3 KiB of the page).
    Bytes(2f64.powi(shift as i32))
}

fn warnings(r: &Recommendation, i: &ModelInputs) -> Vec<String> {
    let mut w = Vec::new();
    let secs = r.downtime_limit_ms.to_secs();
    if r.exceeds_qemu_max {
        w.push(format!(
            "This needs {} ms, above QEMU's maximum downtime-limit of 2,000,000 ms (2000 s): the limit alone cannot make it converge. Use a lever below (bandwidth, avail-switchover-bandwidth, auto-converge, postcopy, smaller pages).",
            group(r.base_ms.0, 0)
        ));
    }
    if !r.exceeds_qemu_max && r.with_margin_ms.0 > MAX_DOWNTIME_LIMIT_MS {
        w.push(format!(
            "The margin is cut to fit QEMU's maximum of 2,000,000 ms: only {:.1} % above the {} ms needed.",
            (MAX_DOWNTIME_LIMIT_MS / r.base_ms.0 - 1.0) * 100.0,
            group(r.base_ms.0, 0)
        ));
    }
    if r.downtime_limit_ms.0 >= 1000.0 && !r.converges_now.unwrap_or(false) {
        w.push(format!(
            "A {} s limit allows the guest to stand still that long: users and services see it; TCP peers retransmit and short keepalives or application timeouts may drop connections; cluster heartbeats (corosync's token is 1-3 s by default) may declare the node dead and fence it; the guest clock steps by that much on resume.",
            group(secs, 1)
        ));
    }
    let avail_set = i.avail_switchover_bytes_per_s.is_some_and(|a| a.0 > 0.0);
    if i.live_phase_capped == Some(true) && i.completed.is_none() && !avail_set {
        w.push("The estimate uses the capped live-phase bandwidth: the limit must exceed it for QEMU to switch over even though the real pause will be shorter. avail-switchover-bandwidth (QEMU 8.2+) fixes the estimate instead.".to_string());
    }
    w
}
