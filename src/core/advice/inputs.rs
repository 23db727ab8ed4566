//! The numbers every advice model runs on, read once from the paste, each with
//! where it came from. A missing or zero bandwidth stops the advice here with a
//! message instead of dividing by zero later.

use super::rate_bound::{self, RateBound};
use super::series::SeriesSummary;
use crate::core::flagged::{bug, Counter};
pub use crate::core::inference::PendingSource;
use crate::core::inference::{
    avail_switchover, echoes_limit, has_avail_switchover, pending_bytes, rate_counts, RateCounts,
};
use crate::core::model::{Dialect, Paste, Snapshot, Status};
use crate::core::options::{Options, Platform};
use crate::core::units::*;
use serde::Serialize;

/// A completed migration in the paste: what the switchover really cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Completed {
    pub snapshot: usize,
    pub downtime_ms: Option<Millis>,
    pub downtime_bytes: Option<Bytes>,
    pub total_time_ms: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelInputs {
    /// Snapshot (paste order) the model starts from: the last active one with statistics.
    pub snapshot: usize,
    pub snapshot_lines: (usize, usize),
    pub dialect: String,
    pub status: String,
    /// What the current pass still has to send.
    pub live_remaining_bytes: Bytes,
    /// Best estimate of the pending bytes right after a sync.
    pub pending_bytes: Bytes,
    pub pending_source: PendingSource,
    /// The pending is only a lower bound (live remaining, not back-solved last-sync bytes).
    pub pending_lower_bound: bool,
    /// Live-phase bandwidth (the lowest of the recent passes for a series).
    pub bandwidth_bytes_per_ms: BytesPerMs,
    /// Bandwidth QEMU's switchover threshold uses.
    pub threshold_bandwidth_bytes_per_ms: BytesPerMs,
    pub threshold_bandwidth_source: String,
    /// Printed `dirty pages rate` (target pages/s); 0 when not printed.
    pub dirty_pages_rate: PagesPerSec,
    /// False while QEMU has not measured a dirty rate yet (first pass, or rate 0 with the limit echoed).
    pub rate_measured: bool,
    /// Numbers typed in by hand (no paste): advise from them even without a dirty rate.
    pub typed_in: bool,
    /// The printed dirty pages rate is a QEMU counter bug (why, by line): the model runs without a rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dirty_rate_bug: Option<String>,
    /// The printed expected downtime is a QEMU counter bug: no last-sync bytes are back-solved from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_downtime_bug: Option<String>,
    /// Half-width of the printed remaining's rounding, percent (QEMU 10.1+ prints 3 significant digits).
    pub remaining_rounding_pct: Option<f64>,
    pub dirty_bytes_per_ms: BytesPerMs,
    pub target_page_bytes: Bytes,
    pub backing_page_bytes: Bytes,
    pub total_ram_bytes: Option<Bytes>,
    /// Cap on what one pass can re-dirty (writable working set), if estimated.
    pub working_set_bytes: Option<Bytes>,
    pub working_set_basis: String,
    /// downtime-limit in force, and whether it was pasted (else QEMU's default 300 ms).
    pub limit_ms: Millis,
    pub limit_pasted: bool,
    pub max_bandwidth_bytes_per_s: Option<BytesPerSec>,
    pub max_bandwidth_unlimited: bool,
    /// The live phase runs at max-bandwidth (measured >= 90 % of it). None when max-bandwidth is unknown.
    pub live_phase_capped: Option<bool>,
    /// Bandwidth of the final copy, if known (given, or measured at a completed switchover).
    pub link_bytes_per_ms: Option<BytesPerMs>,
    pub link_source: String,
    /// The link speed the user gave (bytes/s): the only source of a concrete
    /// avail-switchover-bandwidth or max-bandwidth value in a command.
    pub link_given_bytes_per_s: Option<BytesPerSec>,
    /// Where the guest runs, when the user said so: decides the dirty-logging granularity.
    pub platform: Option<Platform>,
    /// What the printed dirty pages rate counts in this QEMU, when the paste dates it.
    pub rate_counts: Option<RateCounts>,
    /// Whether the printed rate is what the guest writes or only a lower bound (saturated passes).
    pub rate_bound: RateBound,
    pub avail_switchover_bytes_per_s: Option<BytesPerSec>,
    /// avail-switchover-bandwidth exists in this QEMU (8.2+); None when the version is unknown.
    pub supports_avail_switchover: Option<bool>,
    pub qemu_version: Option<String>,
    pub completed: Option<Completed>,
    pub sync_count: Option<u64>,
    pub cpu_throttle_pct: Option<f64>,
    pub auto_converge: Option<bool>,
    pub postcopy_ram: Option<bool>,
    /// QEMU 9.2+ forces a bitmap sync every 5 s while auto-converge is on (cpu-throttle.c);
    /// None when the paste does not date the QEMU.
    pub forced_sync_5s: Option<bool>,
    pub throttle_initial: f64,
    pub throttle_increment: f64,
    pub throttle_max: f64,
    pub throttle_trigger_pct: f64,
}

impl ModelInputs {
    /// Still in the bulk pass: QEMU has not measured a dirty rate yet (not one it printed wrong).
    pub fn before_first_sync(&self) -> bool {
        !self.rate_measured && !self.typed_in && self.dirty_rate_bug.is_none()
    }
}

/// Why there is no advice, and a completed migration if the paste holds one.
#[derive(Clone, Debug, PartialEq)]
pub struct Stop {
    pub note: String,
    pub completed: Option<Completed>,
    pub limit_ms: Millis,
}

fn is_completed(s: &Snapshot) -> bool {
    matches!(s.status.as_ref().map(|f| &f.value), Some(Status::Completed))
}

/// Pre-copy still running (or a paste without a status line).
pub(crate) fn is_live(s: &Snapshot) -> bool {
    matches!(s.status.as_ref().map(|f| &f.value), None | Some(Status::Active) | Some(Status::PreSwitchover))
}

fn completed(paste: &Paste) -> Option<Completed> {
    paste.snapshots.iter().enumerate().rev().find(|(_, s)| is_completed(s)).map(|(i, s)| Completed {
        snapshot: i,
        downtime_ms: s.downtime.as_ref().map(|d| d.value),
        downtime_bytes: s.downtime_bytes.as_ref().map(|d| d.value).filter(|b| b.0 > 0.0),
        total_time_ms: s.total_time.as_ref().map(|t| t.value),
    })
}

/// The snapshot to model from: the last live one with statistics, else the focus.
fn model_snapshot(paste: &Paste, focus: Option<usize>) -> Option<usize> {
    let n = paste.snapshots.len();
    (0..n).rev().find(|&i| paste.snapshots.get(i).map(|s| s.has_stats() && is_live(s)).unwrap_or(false)).or_else(|| {
        focus.filter(|&i| paste.snapshots.get(i).map(|s| s.has_stats() && !is_completed(s)).unwrap_or(false))
    })
}

fn stop_reason(paste: &Paste, focus: Option<usize>) -> String {
    let last = focus.and_then(|i| paste.snapshots.get(i)).or(paste.snapshots.last());
    match last.and_then(|s| s.status.as_ref()).map(|f| (&f.value, f.source.line)) {
        _ if paste.snapshots.is_empty() => {
            "No migration statistics in the paste: paste the output of `info migrate` (HMP), `query-migrate` (QMP) or `virsh domjobinfo` taken while the migration is active.".into()
        }
        Some((Status::Cancelled, line)) | Some((Status::Cancelling, line)) => format!(
            "Line {line}: the migration was cancelled, and after migrate_cancel QEMU keeps only the status (HMP adds a meaningless `total time: 0 ms`): nothing to advise on. Paste `info migrate` outputs taken while it was active, several 1-2 s apart."
        ),
        Some((Status::Completed, line)) => format!("Line {line}: the migration completed: the downtime-limit in force was enough."),
        Some((Status::Failed, line)) => format!("Line {line}: the migration failed; its statistics say nothing about convergence. Check the QEMU logs on both sides (a page-size or machine mismatch fails at load time)."),
        Some((Status::None, line)) => format!("Line {line}: no migration has run yet (status none)."),
        Some((Status::Setup, line)) => format!("Line {line}: the migration is still in setup: no statistics yet."),
        _ => match last.map(|s| (s, unusable(s))).filter(|(_, bugs)| !bugs.is_empty()) {
            Some((s, bugs)) => format!(
                "The last snapshot (line {}) cannot be modelled: {}. No snapshot before it has both a usable remaining and throughput, so no downtime-limit can be computed: paste a later snapshot.",
                s.first_line,
                bugs.join("; ")
            ),
            None => "The paste has no snapshot with both a remaining and a throughput value: the advice needs both.".into(),
        },
    }
}

/// The counter bugs that keep a snapshot from being modelled (remaining and throughput).
fn unusable(s: &Snapshot) -> Vec<String> {
    let mut bugs = Vec::new();
    for (c, have) in [(Counter::Remaining, s.remaining.is_some()), (Counter::Throughput, s.throughput.is_some())] {
        if have {
            continue;
        }
        if let Some(b) = bug(s, c) {
            bugs.push(b);
        }
    }
    bugs
}

/// When a later live snapshot was passed over because of a counter bug, which one and why.
pub fn passed_over(paste: &Paste, modelled: usize) -> Option<String> {
    let later = paste.snapshots.iter().skip(modelled + 1).rev().filter(|s| is_live(s));
    let (s, bugs) = later.map(|s| (s, unusable(s))).find(|(_, b)| !b.is_empty())?;
    Some(format!(
        "The snapshot at line {} is later but not modelled: {}. The advice starts from the snapshot at line {}, the last with a usable remaining and throughput.",
        s.first_line,
        bugs.join("; "),
        paste.snapshots.get(modelled).map(|m| m.first_line).unwrap_or(0)
    ))
}

pub fn gather(
    paste: &Paste,
    focus: Option<usize>,
    options: &Options,
    series: Option<&SeriesSummary>,
) -> Result<ModelInputs, Stop> {
    let (limit, limit_pasted) = paste.downtime_limit();
    let done = completed(paste);
    let stop = |note: String| Stop { note, completed: done.clone(), limit_ms: limit };
    let Some(idx) = model_snapshot(paste, focus) else { return Err(stop(stop_reason(paste, focus))) };
    // A completion only speaks for this migration when it comes after the snapshot modelled.
    let Some(s) = paste.snapshots.get(idx) else { return Err(stop(stop_reason(paste, focus))) };
    let done = done.clone().filter(|c| c.snapshot > idx);
    let bw = s.bandwidth().unwrap_or_default();
    if !super::positive(bw.0) {
        let line = s.throughput.as_ref().map(|t| t.source.line).unwrap_or(s.first_line);
        return Err(stop(format!(
            "Line {line}: the throughput is 0, so nothing has been sent in QEMU's last measuring window: no time or limit can be computed from it. Paste a later snapshot."
        )));
    }
    let live_remaining = s.remaining.as_ref().map(|r| r.value).unwrap_or_default().max(Bytes(0.0));
    let (single, single_source) = pending_bytes(s, paste).unwrap_or((live_remaining, PendingSource::LiveRemaining));
    let recent = series.map(|sr| sr.points.iter().rev().take(3).collect::<Vec<_>>()).unwrap_or_default();
    // Stalled (or unknown): the worst of the last passes may come again. Improving: the latest pass.
    let improving = series.and_then(|sr| sr.stalled) == Some(false);
    let series_pending = match (improving, recent.first()) {
        (true, Some(last)) => last.pending_bytes,
        _ => recent.iter().map(|p| p.pending_bytes).fold(Bytes(0.0), Bytes::max),
    };
    let (pending, pending_source, lower_bound) = if !recent.is_empty() && series_pending >= single {
        let any_live = recent.iter().any(|p| p.source == PendingSource::LiveRemaining);
        (series_pending, PendingSource::SeriesPostSync, any_live)
    } else {
        (single, single_source, single_source == PendingSource::LiveRemaining)
    };
    let series_bw = recent.iter().map(|p| p.bandwidth_bytes_per_ms).fold(BytesPerMs(f64::INFINITY), BytesPerMs::min);
    let bandwidth = if super::positive(series_bw.0) { bw.min(series_bw) } else { bw };
    let (threshold_bw, threshold_src) = match avail_switchover(paste) {
        Some(a) => (a, "avail-switchover-bandwidth / 1000".to_string()),
        None => (bandwidth, "measured bandwidth".to_string()),
    };
    let rate = s.dirty_pages_rate.as_ref().map(|r| r.value).filter(|r| super::positive(r.0)).unwrap_or_default();
    let first_pass = s.dirty_sync_count.as_ref().map(|c| c.value <= 1).unwrap_or(false);
    let dirty_rate_bug = bug(s, Counter::DirtyRate).filter(|_| s.dirty_pages_rate.is_none());
    let expected_downtime_bug = bug(s, Counter::ExpectedDowntime).filter(|_| s.expected_downtime.is_none());
    let rate_measured = !(first_pass || dirty_rate_bug.is_some() || (rate.0 == 0.0 && echoes_limit(s, paste)));
    let target = s.target_page();
    let dirty_bytes_per_ms = rate.to_bytes_per_sec(target).to_bytes_per_ms();
    let total = s.total.as_ref().map(|t| t.value).filter(|t| t.0 > 0.0);
    let (working_set, ws_basis) = working_set(pending, dirty_bytes_per_ms, series);
    let mb = paste.parameters.max_bandwidth.as_ref().map(|f| f.value);
    let unlimited = mb.map(|m| m.is_unlimited()).unwrap_or(false);
    let capped = mb.map(|m| !m.is_unlimited() && m.0 > 0.0 && bw >= m.to_bytes_per_ms() * 0.9);
    let (link, link_source) = link(options, done.as_ref());
    let avail = paste.parameters.avail_switchover_bandwidth.as_ref().map(|f| f.value);
    let p = &paste.parameters;
    let counts = rate_counts(s, paste);
    Ok(ModelInputs {
        snapshot: idx,
        snapshot_lines: (s.first_line, s.last_line),
        dialect: s.dialect.label().to_string(),
        status: s.status_name().to_string(),
        live_remaining_bytes: live_remaining,
        pending_bytes: pending,
        pending_source,
        pending_lower_bound: lower_bound,
        bandwidth_bytes_per_ms: bandwidth,
        threshold_bandwidth_bytes_per_ms: threshold_bw,
        threshold_bandwidth_source: threshold_src,
        dirty_pages_rate: rate,
        rate_measured,
        typed_in: s.dialect == Dialect::Manual,
        dirty_rate_bug,
        expected_downtime_bug,
        remaining_rounding_pct: s
            .remaining
            .as_ref()
            .filter(|r| r.value.0 > 0.0)
            .and_then(|r| r.precision.rounding_pct(r.value.0)),
        dirty_bytes_per_ms,
        target_page_bytes: target.bytes(),
        backing_page_bytes: options.backing_page.bytes().max(target.bytes()),
        total_ram_bytes: total,
        working_set_bytes: working_set,
        working_set_basis: ws_basis,
        limit_ms: limit,
        limit_pasted,
        max_bandwidth_bytes_per_s: mb,
        max_bandwidth_unlimited: unlimited,
        live_phase_capped: capped,
        link_bytes_per_ms: link,
        link_source,
        link_given_bytes_per_s: options.link_bytes_per_s.filter(|l| super::positive(*l)).map(BytesPerSec),
        platform: options.platform,
        rate_counts: counts,
        rate_bound: if rate_measured {
            rate_bound::judge(dirty_bytes_per_ms, bandwidth, counts, series)
        } else {
            RateBound::Measured
        },
        avail_switchover_bytes_per_s: avail,
        supports_avail_switchover: has_avail_switchover(s, paste),
        qemu_version: paste.version.as_ref().map(|v| v.to_string()),
        completed: done,
        sync_count: s.dirty_sync_count.as_ref().map(|c| c.value),
        cpu_throttle_pct: s.cpu_throttle_percentage.as_ref().map(|c| c.value),
        auto_converge: paste.capability("auto-converge"),
        postcopy_ram: paste.capability("postcopy-ram"),
        forced_sync_5s: forced_sync(paste, s),
        throttle_initial: p.cpu_throttle_initial.as_ref().map(|f| f.value).unwrap_or(20.0),
        throttle_increment: p.cpu_throttle_increment.as_ref().map(|f| f.value).unwrap_or(10.0),
        throttle_max: p.max_cpu_throttle.as_ref().map(|f| f.value).unwrap_or(99.0),
        throttle_trigger_pct: p.throttle_trigger_threshold.as_ref().map(|f| f.value).unwrap_or(50.0),
    })
}

/// What one pass can re-dirty at most. The observed post-sync pending is a lower
/// bound of the guest's writable working set; we assume it is the working set.
fn working_set(pending: Bytes, dirty: BytesPerMs, series: Option<&SeriesSummary>) -> (Option<Bytes>, String) {
    if dirty.0 <= 0.0 {
        return (None, "no dirty rate: nothing is re-dirtied, so no working set is needed".into());
    }
    if let Some(sr) = series.filter(|sr| !sr.points.is_empty()) {
        let max = sr.points.iter().map(|p| p.pending_bytes).fold(Bytes(0.0), Bytes::max);
        return (
            Some(max),
            format!(
                "the largest post-sync pending of the {} passes in the series ({}): the guest re-dirties at most this much per pass",
                sr.points.len(),
                human_bytes(max)
            ),
        );
    }
    (
        Some(pending),
        format!(
            "assumed equal to the pending bytes now ({}): one snapshot cannot tell whether the guest keeps touching new pages",
            human_bytes(pending)
        ),
    )
}

fn link(options: &Options, done: Option<&Completed>) -> (Option<BytesPerMs>, String) {
    if let Some(l) = options.link_bytes_per_s.filter(|l| super::positive(*l)).map(BytesPerSec) {
        return (Some(l.to_bytes_per_ms()), format!("given: {l}"));
    }
    if let Some(c) = done {
        if let (Some(b), Some(ms)) = (c.downtime_bytes, c.downtime_ms.filter(|d| d.0 > 0.0)) {
            return (
                Some(b / ms),
                format!("measured at this migration's switchover: {} sent in {} ms of downtime (a lower bound: the downtime also covers device state)", human_bytes(b), group(ms.0, 0)),
            );
        }
    }
    (None, "unknown: give the link speed to see the real pause".into())
}

/// QEMU 9.2 added the 5 s forced sync under auto-converge (cpu-throttle.c
/// CPU_THROTTLE_DIRTY_SYNC_TIMESLICE_MS).
pub fn forced_sync(paste: &Paste, s: &Snapshot) -> Option<bool> {
    if let Some(v) = &paste.version {
        return Some(v.at_least(9, 2));
    }
    match s.dialect {
        Dialect::HmpMilliseconds => Some(false),
        Dialect::Hmp10_1 | Dialect::Hmp10_1Kib => Some(true),
        _ => None,
    }
}
