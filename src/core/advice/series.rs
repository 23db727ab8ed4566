//! A pasted time series read as QEMU's sawtooth: `remaining` jumps up at each
//! dirty-bitmap sync and drains during the pass. The one number per pass that
//! decides switchover is the pending bytes right after the sync (the sawtooth's
//! post-sync point); the series also gives the bandwidth trend and a stall test.

use super::inputs::{forced_sync, is_live};
use crate::core::inference::{pending_bytes, PendingSource};
use crate::core::model::{Paste, Snapshot};
use crate::core::units::{human_bytes, Bytes, BytesPerMs, Millis};
use serde::Serialize;

/// The pending bytes right after one bitmap sync. With auto-converge on a 9.2+ QEMU the
/// syncs come every 5 s whether the pass has drained or not; the split by sync count
/// still gives one point per sync, and a pass that drains meets the switchover test with
/// no more than that point's pending, so the limit a point needs stays an upper bound.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SyncPoint {
    /// QEMU's dirty sync count for this pass, when printed.
    pub sync_count: Option<u64>,
    /// Snapshot (paste order) that showed the most pending in this pass.
    pub snapshot: usize,
    /// `total time` of that snapshot, ms since `migrate`.
    pub time_ms: Option<Millis>,
    pub pending_bytes: Bytes,
    pub source: PendingSource,
    /// Lowest bandwidth seen in this pass, bytes/ms.
    pub bandwidth_bytes_per_ms: BytesPerMs,
    /// The limit this pass needed to switch over: pending / bandwidth.
    pub limit_needed_ms: Millis,
    /// Snapshots seen in this pass.
    pub snapshots: usize,
}

/// One snapshot of the series, for charts (remaining over time vs threshold).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesSample {
    pub snapshot: usize,
    pub time_ms: Option<Millis>,
    pub remaining_bytes: Bytes,
    pub bandwidth_bytes_per_ms: BytesPerMs,
    pub sync_count: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesSummary {
    /// Active snapshots with statistics.
    pub samples: Vec<SeriesSample>,
    /// One per pass after the first bulk pass, in order.
    pub points: Vec<SyncPoint>,
    /// Index into `points` of the lowest post-sync pending (the best pass).
    pub low_point: Option<usize>,
    pub bandwidth_min: BytesPerMs,
    pub bandwidth_max: BytesPerMs,
    pub bandwidth_mean: BytesPerMs,
    /// (max - min) / mean, percent.
    pub bandwidth_spread_pct: f64,
    /// Mean of the second half vs the first half, percent.
    pub bandwidth_trend_pct: f64,
    pub bandwidth_stable: bool,
    /// None with fewer than two post-sync points.
    pub stalled: Option<bool>,
    pub stall_reason: String,
    /// QEMU 9.2+ with auto-converge on forces a bitmap sync every 5 s (cpu-throttle.c): a
    /// point is then the pending after a sync period, which may end mid-pass.
    pub forced_syncs: bool,
}

/// Bandwidth spread below which a series counts as stable.
const STABLE_SPREAD_PCT: f64 = 10.0;
/// A pass "improves" when its post-sync pending is this much below the best before it.
const IMPROVEMENT: f64 = 0.95;

fn usable(s: &Snapshot) -> Option<(Bytes, BytesPerMs)> {
    let bw = s.bandwidth()?;
    let rem = s.remaining.as_ref()?.value;
    (is_live(s) && super::positive(bw.0) && rem.0.is_finite()).then_some((rem, bw))
}

/// None with fewer than two active snapshots carrying statistics.
pub fn summarise(paste: &Paste) -> Option<SeriesSummary> {
    // Plain loops here and for the points: each filter_map + collect was an iterator type
    // of its own in the page.
    let mut samples = Vec::new();
    for (i, s) in paste.snapshots.iter().enumerate() {
        let Some((rem, bw)) = usable(s) else { continue };
        samples.push(SeriesSample {
            snapshot: i,
            time_ms: s.total_time.as_ref().map(|t| t.value),
            remaining_bytes: rem,
            bandwidth_bytes_per_ms: bw,
            sync_count: s.dirty_sync_count.as_ref().map(|c| c.value),
        });
    }
    if samples.len() < 2 {
        return None;
    }
    let passes = split_passes(&samples);
    let mut points = Vec::new();
    for p in passes.iter().skip_while(|p| is_bulk_pass(p, &samples)) {
        if let Some(point) = post_sync_point(p, &samples, paste) {
            points.push(point);
        }
    }
    let low_point = points
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.pending_bytes.partial_cmp(&b.1.pending_bytes).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(i, _)| i);
    let bws: Vec<f64> = samples.iter().map(|s| s.bandwidth_bytes_per_ms.0).collect();
    let (min, max, mean) = min_max_mean(&bws);
    let half = bws.len() / 2;
    let (_, _, first) = min_max_mean(bws.get(..half).unwrap_or(&[]));
    let (_, _, second) = min_max_mean(bws.get(half..).unwrap_or(&[]));
    let spread = if mean > 0.0 { (max - min) / mean * 100.0 } else { 0.0 };
    let trend = if first > 0.0 { (second - first) / first * 100.0 } else { 0.0 };
    let (stalled, stall_reason) = stall(&points);
    let forced_syncs = paste.capability("auto-converge") == Some(true)
        && paste.snapshots.get(samples[0].snapshot).is_some_and(|s| forced_sync(paste, s) != Some(false));
    Some(SeriesSummary {
        samples,
        points,
        low_point,
        bandwidth_min: BytesPerMs(min),
        bandwidth_max: BytesPerMs(max),
        bandwidth_mean: BytesPerMs(mean),
        bandwidth_spread_pct: spread,
        bandwidth_trend_pct: trend,
        bandwidth_stable: spread <= STABLE_SPREAD_PCT,
        stalled,
        stall_reason,
        forced_syncs,
    })
}

/// Groups of sample indices, one per pass: by sync count when printed, else at
/// every upward jump of `remaining` (the sync adds what was re-dirtied).
fn split_passes(samples: &[SeriesSample]) -> Vec<Vec<usize>> {
    let mut passes: Vec<Vec<usize>> = Vec::new();
    let mut prev: Option<&SeriesSample> = None;
    for (i, s) in samples.iter().enumerate() {
        let new_pass = match prev {
            None => true,
            Some(p) => match (p.sync_count, s.sync_count) {
                (Some(a), Some(b)) => a != b,
                _ => s.remaining_bytes > p.remaining_bytes,
            },
        };
        if new_pass {
            passes.push(vec![i]);
        } else if let Some(last) = passes.last_mut() {
            last.push(i);
        }
        prev = Some(s);
    }
    passes
}

/// The first pass copies all of RAM once: its remaining is not a post-sync point.
fn is_bulk_pass(pass: &[usize], samples: &[SeriesSample]) -> bool {
    let Some(first) = pass.first().and_then(|&i| samples.get(i)) else { return false };
    match first.sync_count {
        Some(c) => c <= 1,
        // Without sync counts, only the segment the paste starts in is ambiguous: treat it as bulk
        // when a later pass exists (so at least one post-sync point remains).
        None => pass.first() == Some(&0) && samples.len() > pass.len(),
    }
}

fn post_sync_point(pass: &[usize], samples: &[SeriesSample], paste: &Paste) -> Option<SyncPoint> {
    let mut best: Option<(usize, Bytes, PendingSource)> = None;
    let mut bw_min = BytesPerMs(f64::INFINITY);
    for &i in pass {
        let sample = samples.get(i)?;
        let snap = paste.snapshots.get(sample.snapshot)?;
        bw_min = bw_min.min(sample.bandwidth_bytes_per_ms);
        let (bytes, source) = pending_bytes(snap, paste)?;
        if best.as_ref().map(|b| bytes > b.1).unwrap_or(true) {
            best = Some((sample.snapshot, bytes, source));
        }
    }
    let (snapshot, pending, source) = best?;
    let first = samples.get(*pass.first()?)?;
    let snap = paste.snapshots.get(snapshot)?;
    Some(SyncPoint {
        sync_count: first.sync_count,
        snapshot,
        time_ms: snap.total_time.as_ref().map(|t| t.value),
        pending_bytes: pending,
        source,
        bandwidth_bytes_per_ms: bw_min,
        limit_needed_ms: pending / bw_min,
        snapshots: pass.len(),
    })
}

fn min_max_mean(v: &[f64]) -> (f64, f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let min = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    (min, max, v.iter().sum::<f64>() / v.len() as f64)
}

/// Stalled: the last pass left at least ~as much pending as the best pass before it.
fn stall(points: &[SyncPoint]) -> (Option<bool>, String) {
    let Some((last, before)) = points.split_last() else {
        return (None, "no post-sync point yet: the paste ends in the first (bulk) pass".into());
    };
    if before.is_empty() {
        return (None, "one post-sync point: a stall needs at least two passes to compare".into());
    }
    let best = before.iter().map(|p| p.pending_bytes).fold(Bytes::INFINITE, Bytes::min);
    let stalled = last.pending_bytes >= best * IMPROVEMENT;
    let why = format!(
        "last pass left {} after its sync, the best earlier pass {} ({:+.1} %): {}",
        human_bytes(last.pending_bytes),
        human_bytes(best),
        ((last.pending_bytes / best.max(Bytes(1.0)) - 1.0) * 100.0 * 10.0).round() / 10.0 + 0.0, // + 0.0: no "-0.0"
        if stalled { "not improving across passes (stalled)" } else { "still improving" }
    );
    (Some(stalled), why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(i: usize, rem: f64, sync: Option<u64>) -> SeriesSample {
        SeriesSample {
            snapshot: i,
            time_ms: None,
            remaining_bytes: Bytes(rem),
            bandwidth_bytes_per_ms: BytesPerMs(1000.0),
            sync_count: sync,
        }
    }

    #[test]
    fn passes_split_by_sync_count_or_by_remaining_jumping_up() {
        let by_count =
            [sample(0, 9.0, Some(1)), sample(1, 5.0, Some(1)), sample(2, 7.0, Some(2)), sample(3, 6.0, Some(2))];
        assert_eq!(split_passes(&by_count), vec![vec![0, 1], vec![2, 3]]);
        let by_jump = [
            sample(0, 9.0, None),
            sample(1, 5.0, None),
            sample(2, 7.0, None),
            sample(3, 2.0, None),
            sample(4, 6.0, None),
        ];
        assert_eq!(split_passes(&by_jump), vec![vec![0, 1], vec![2, 3], vec![4]]);
        assert!(is_bulk_pass(&[0, 1], &by_jump));
        assert!(!is_bulk_pass(&[2, 3], &by_count));
    }
}
