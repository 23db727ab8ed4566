//! The inference about the formulas: which QEMU era a paste comes from (what its
//! dirty rate counts, whether it has avail-switchover-bandwidth), whether the printed
//! expected downtime is an estimate or an echo of the limit, which formula printed it,
//! and the pending bytes that follow from that.

use super::model::{Dialect, Paste, Precision, Snapshot};
use super::units::*;
use serde::Serialize;
use std::fmt;

/// `avail-switchover-bandwidth` in bytes/ms when it is set (0 means "use the measured one").
pub fn avail_switchover(paste: &Paste) -> Option<BytesPerMs> {
    paste.parameters.avail_switchover_bandwidth.as_ref().filter(|a| a.value.0 > 0.0).map(|a| a.value.to_bytes_per_ms())
}

/// Whether this QEMU has avail-switchover-bandwidth (8.2+, "migration: Allow user to specify
/// available switchover bandwidth"); None when the paste does not date it.
pub fn has_avail_switchover(s: &Snapshot, paste: &Paste) -> Option<bool> {
    if paste.parameters.avail_switchover_bandwidth.is_some() {
        return Some(true);
    }
    if let Some(v) = &paste.version {
        return Some(v.at_least(8, 2));
    }
    match s.dialect {
        Dialect::HmpMilliseconds => Some(false),
        Dialect::Hmp10_1 | Dialect::Hmp10_1Kib => Some(true),
        _ => None,
    }
}

/// What `dirty pages rate` counts, which changed in QEMU 5.1 ("migration: Count new_dirty
/// instead of real_dirty", ram.c ramblock_sync_dirty_bitmap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RateCounts {
    /// QEMU up to 5.0: every page KVM reported dirty, also pages still pending from the last sync.
    EveryDirtyPage,
    /// QEMU 5.1+: only pages newly dirtied since the last sync.
    NewlyDirty,
}

impl RateCounts {
    pub fn describe(self) -> &'static str {
        match self {
            RateCounts::EveryDirtyPage => "up to QEMU 5.0 the rate counts every page KVM reported dirty, also pages still pending from the last sync, so rate x time overstates how fast pending grows",
            RateCounts::NewlyDirty => "from QEMU 5.1 the rate counts only pages newly dirtied since the last sync",
        }
    }
}

/// The rate's meaning for this paste, when the paste dates the QEMU.
pub fn rate_counts(s: &Snapshot, paste: &Paste) -> Option<RateCounts> {
    if let Some(v) = &paste.version {
        return Some(if v.at_least(5, 1) { RateCounts::NewlyDirty } else { RateCounts::EveryDirtyPage });
    }
    match s.dialect {
        Dialect::HmpMilliseconds => Some(RateCounts::EveryDirtyPage),
        Dialect::HmpMs | Dialect::Hmp10_1 | Dialect::Hmp10_1Kib => Some(RateCounts::NewlyDirty),
        _ => None,
    }
}

/// The bandwidth QEMU 8.2+ uses for the estimate and the switchover threshold.
pub fn expected_bandwidth(s: &Snapshot, paste: &Paste) -> Option<(BytesPerMs, &'static str)> {
    match avail_switchover(paste) {
        Some(a) => Some((a, "avail-switchover-bandwidth / 1000")),
        None => s.bandwidth().map(|b| (b, "measured bandwidth")),
    }
}

/// True when the printed expected downtime is only QEMU echoing a downtime-limit: before
/// the first dirty-rate measurement, and in the moment right after the first sync when
/// the rate is already printed but the estimate not yet recomputed (seen in the 10.0.2-B
/// capture at t = 10.0 s: rate 6607, expected 300 ms, remaining 262 MiB). QEMU sets
/// expected_downtime to the limit once, when the migration starts (migrate_fd_connect), so
/// a limit changed before the first estimate is echoed as the old value.
pub fn echoes_limit(s: &Snapshot, paste: &Paste) -> bool {
    let rate0 = s.dirty_pages_rate.as_ref().map(|r| r.value.0 == 0.0).unwrap_or(true);
    let (limit, _) = paste.downtime_limit();
    let Some(e) = &s.expected_downtime else { return rate0 };
    if e.value.0 == limit.0 {
        return rate0 || !covers_remaining(s, paste, e.value);
    }
    echoes_earlier_limit(s, paste)
}

/// The printed value is a downtime-limit set before the one pasted: no estimate has been
/// made yet (first pass, or just after the first sync) and the value is no estimate.
fn echoes_earlier_limit(s: &Snapshot, paste: &Paste) -> bool {
    let Some(e) = &s.expected_downtime else { return false };
    let rate0 = s.dirty_pages_rate.as_ref().map(|r| r.value.0 == 0.0).unwrap_or(true);
    let sync = s.dirty_sync_count.as_ref().map(|c| c.value);
    let matches_f1 = f1_value(s).is_some_and(|v| (e.value.0 - v.floor()).abs() < 1.0);
    match sync {
        Some(c) if c <= 1 => rate0,
        Some(2) => !rate0 && !matches_f1 && !covers_remaining(s, paste, e.value),
        _ => false,
    }
}

/// expected x expected bandwidth >= the live remaining (1 ms of slack for QEMU's truncation,
/// and the low end of a rounded size): what a last-sync estimate always satisfies.
pub(crate) fn covers_remaining(s: &Snapshot, paste: &Paste, expected: Millis) -> bool {
    let (Some((bw, _)), Some(r)) = (expected_bandwidth(s, paste), s.remaining.as_ref()) else { return true };
    let lo = match r.precision {
        Precision::Rounded { lo, .. } => lo,
        _ => r.value.0,
    };
    bw.0 * (expected.0 + 1.0) >= lo
}

/// QEMU 8.2+ may have divided by avail-switchover-bandwidth that the paste does not show.
pub(crate) fn avail_unknown(s: &Snapshot, paste: &Paste) -> bool {
    paste.parameters.avail_switchover_bandwidth.is_none() && has_avail_switchover(s, paste) == Some(true)
}

/// Said wherever a QEMU 8.2+ estimate is read without its parameters.
pub const AVAIL_UNKNOWN: &str = "This QEMU is 8.2 or later and its parameters were not pasted: if avail-switchover-bandwidth is set, QEMU divided the last-sync bytes by it (/ 1000), not by the measured bandwidth. Paste `info migrate_parameters` (QMP query-migrate-parameters) with the snapshot.";

/// Which formula printed the expected downtime (JSON: "f1", "f2", "echo", "unknown").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrintedFormula {
    /// dirty pages rate x page size / bandwidth (QEMU 2.10-2.12).
    F1,
    /// the bytes dirty at the last sync / (expected) bandwidth (QEMU 3.0+).
    F2,
    /// the downtime-limit, before QEMU's first estimate.
    Echo,
    /// neither.
    Unknown,
}

impl PrintedFormula {
    pub fn as_str(self) -> &'static str {
        match self {
            PrintedFormula::F1 => "f1",
            PrintedFormula::F2 => "f2",
            PrintedFormula::Echo => "echo",
            PrintedFormula::Unknown => "unknown",
        }
    }
}

impl fmt::Display for PrintedFormula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Shells that still compare with the JSON spelling keep compiling.
impl PartialEq<&str> for PrintedFormula {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Which formula produced the printed expected downtime.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrintedBy {
    pub formula: PrintedFormula,
    /// The QEMU versions that print this.
    pub era: String,
    pub explanation: String,
}

/// formula 1's value, dirty pages rate x page size / bandwidth, without its derivation.
pub fn f1_value(s: &Snapshot) -> Option<f64> {
    let bw = s.bandwidth().filter(|b| b.0 > 0.0)?;
    let rate = s.dirty_pages_rate.as_ref()?.value;
    Some(rate.to_bytes_per_sec(s.target_page()) / bw)
}

pub fn printed_by(s: &Snapshot, paste: &Paste) -> Option<PrintedBy> {
    printed(s, paste, true)
}

/// `printed_by`; without `explain` the explanation is left empty (who only needs the formula
/// skips the number formatting, most of the cost).
fn printed(s: &Snapshot, paste: &Paste, explain: bool) -> Option<PrintedBy> {
    let e = s.expected_downtime.as_ref()?.value.0;
    // Only these layouts date the QEMU (5.1+); QMP and libvirt look the same on 2.10-2.12.
    let dialect_new = matches!(s.dialect, Dialect::HmpMs | Dialect::Hmp10_1 | Dialect::Hmp10_1Kib);
    let after_8_2 = has_avail_switchover(s, paste) == Some(true);
    let text = |f: &dyn Fn() -> String| if explain { f() } else { String::new() };
    let mk = |formula, era: &str, explanation| Some(PrintedBy { formula, era: era.into(), explanation });
    if echoes_limit(s, paste) {
        let (limit, _) = paste.downtime_limit();
        let ex = if !explain {
            String::new()
        } else if e == limit.0 {
            format!("Expected downtime {} ms equals the downtime-limit and is not an estimate: QEMU echoes the limit until it has measured a dirty rate and recomputed (it recomputes only when dirty pages rate != 0, about every 100 ms).", Grouped(e, 0))
        } else {
            format!("Expected downtime {} ms is no estimate yet: QEMU sets it to the downtime-limit once, when the migration starts (migration.c migrate_fd_connect), and recomputes it only after measuring a dirty rate, so it still shows the limit in force then; the limit is now {}.", Grouped(e, 0), limit)
        };
        return mk(PrintedFormula::Echo, "any QEMU before its first dirty-rate measurement", ex);
    }
    if let Some(v1) = f1_value(s) {
        if !dialect_new && !after_8_2 && (e - v1.floor()).abs() < 1.0 {
            return mk(
                PrintedFormula::F1,
                "QEMU 2.10-2.12 (1.5-2.9 computed the same dirty bytes rate / bandwidth)",
                text(&|| {
                    format!("Formula 1 gives {} ms and QEMU printed {} ms (it truncates): this QEMU used dirty pages rate x page size / bandwidth, so it is a 2.10-2.12 build.", Grouped(v1, 2), Grouped(e, 0))
                }),
            );
        }
    }
    let (ebw, why) = expected_bandwidth(s, paste)?;
    let rem = s.remaining.as_ref()?.value;
    if covers_remaining(s, paste, Millis(e)) {
        let era = match s.dialect {
            _ if avail_switchover(paste).is_some() => "QEMU 8.2+ with avail-switchover-bandwidth set",
            Dialect::HmpMilliseconds => "QEMU 3.0-5.0",
            Dialect::HmpMs => "QEMU 3.0+ (this layout: 5.1-10.0)",
            Dialect::Hmp10_1 | Dialect::Hmp10_1Kib => "QEMU 10.1+",
            _ => "QEMU 3.0+",
        };
        return mk(
            PrintedFormula::F2,
            era,
            text(&|| {
                format!(
                "Printed {} ms x {why} = {} bytes >= the live remaining {} bytes: consistent with the bytes dirty at the last bitmap sync / {why} (formula 2 as QEMU computes it{}).",
                Grouped(e, 0),
                Grouped((ebw * Millis(e)).0, 0),
                Grouped(rem.0, 0),
                if avail_switchover(paste).is_some() { "; 8.2+ divides by avail-switchover-bandwidth / 1000 when it is set" } else { "" }
            )
            }),
        );
    }
    let mut ex =
        text(&|| format!("Printed {} ms matches neither formula 1 nor remaining-at-last-sync / {why}.", Grouped(e, 0)));
    if explain && (avail_unknown(s, paste) || (has_avail_switchover(s, paste).is_none() && !dialect_new)) {
        // Last-sync bytes >= remaining, so the divisor was at least remaining / printed.
        let at_least = BytesPerMs(rem.0 / e.max(1.0)).to_bytes_per_sec();
        ex.push_str(&format!(" If this QEMU is 8.2 or later, it divided by avail-switchover-bandwidth / 1000, which would then be at least {}: paste `info migrate_parameters` to tell.", at_least));
    }
    mk(PrintedFormula::Unknown, "", ex)
}

/// Where an estimate of the pending bytes after a sync comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PendingSource {
    /// Printed expected downtime x (expected) bandwidth: the bytes dirty at the last sync (QEMU 3.0+).
    LastSyncBackSolved,
    /// The live `remaining`: a lower bound, since it drains during a pass.
    LiveRemaining,
    /// The largest post-sync point of the last passes of a series.
    SeriesPostSync,
}

impl PendingSource {
    pub fn describe(self) -> &'static str {
        match self {
            PendingSource::LastSyncBackSolved => {
                "the last-sync bytes, back-solved as printed expected downtime x the bandwidth QEMU divided by"
            }
            PendingSource::LiveRemaining => "the live remaining, a lower bound since it drains during a pass",
            PendingSource::SeriesPostSync => "the post-sync pending of the series: the largest of the last 3 passes, or the latest while passes still improve",
        }
    }
}

/// The bytes QEMU will have to send after the next exact sync, best estimate from one
/// snapshot: back-solved (LastSyncBackSolved) or the live remaining (LiveRemaining).
pub fn pending_bytes(s: &Snapshot, paste: &Paste) -> Option<(Bytes, PendingSource)> {
    pending_given(s, paste, printed(s, paste, false).as_ref())
}

/// `pending_bytes` when which formula printed the value is already known.
pub(crate) fn pending_given(
    s: &Snapshot,
    paste: &Paste,
    printed: Option<&PrintedBy>,
) -> Option<(Bytes, PendingSource)> {
    let (bw, _) = expected_bandwidth(s, paste)?;
    let rem = s.remaining.as_ref().map(|r| r.value);
    // Back-solving is valid only when the printed value is last-sync bytes / bandwidth.
    let back_solvable = printed.is_some_and(|p| p.formula == PrintedFormula::F2);
    match (&s.expected_downtime, back_solvable) {
        (Some(e), true) if bw.0 > 0.0 => {
            let last = bw * e.value;
            let rem = rem.unwrap_or_default();
            Some((if last.0 > rem.0 { last } else { rem }, PendingSource::LastSyncBackSolved))
        }
        _ => rem.map(|r| (r, PendingSource::LiveRemaining)),
    }
}
