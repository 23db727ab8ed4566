//! Whether the printed dirty rate is the guest's write rate or only a lower bound of it.
//!
//! QEMU counts a dirtied page once per sync period (migration/ram.c: the period's dirty
//! pages come from the bitmap sync; from 5.1 only newly set bits count, "migration:
//! Count new_dirty instead of real_dirty"). When a pass re-dirties the whole working set
//! it sent, the count per period is that working set, so the printed rate is bounded by
//! working set / pass time = the bandwidth: a guest writing twice as fast prints the same
//! rate. The rate then says nothing about what more bandwidth would do.

use super::series::SeriesSummary;
use crate::core::inference::RateCounts;
use crate::core::units::*;
use serde::Serialize;

/// dirty / bandwidth at or above which a pass re-dirties about all it sent.
pub const SATURATED_RATIO: f64 = 0.9;
/// Post-sync pendings within this fraction of their largest count as flat.
pub const FLAT_SPREAD: f64 = 0.10;

/// How the saturation was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Saturation {
    /// A series: the post-sync pending stays flat pass after pass at dirty/bw >= 0.9.
    Seen,
    /// One snapshot of a 5.1+ QEMU at dirty/bw >= 0.9: possibly saturated (no pass seen).
    Possible,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "bound", rename_all = "kebab-case")]
pub enum RateBound {
    /// The printed rate is taken as what the guest writes (the models' assumption).
    Measured,
    /// The printed rate is only a lower bound of what the guest writes.
    LowerBound {
        saturation: Saturation,
        /// The printed rate, bytes/s.
        printed: BytesPerSec,
        /// dirty / bandwidth.
        ratio: f64,
        /// What every pass re-dirtied (the flat post-sync pending, or the pending now).
        per_pass: Bytes,
        /// Post-sync points that showed it (0 for one snapshot).
        points: usize,
        /// Why, in words, with its source.
        reason: String,
    },
}

impl RateBound {
    pub fn is_lower_bound(&self) -> bool {
        matches!(self, RateBound::LowerBound { .. })
    }

    /// "the measured 32.4 MiB/s is a lower bound because every pass re-dirtied the whole ~256 MiB it sent".
    pub fn clause(&self) -> Option<String> {
        match self {
            RateBound::Measured => None,
            RateBound::LowerBound { saturation: Saturation::Seen, printed, per_pass, .. } => Some(format!(
                "the measured {} is a lower bound because every pass re-dirtied the whole ~{} it sent",
                human_rate(printed.to_bytes_per_ms()),
                human_bytes(*per_pass)
            )),
            RateBound::LowerBound { saturation: Saturation::Possible, printed, .. } => Some(format!(
                "the measured {} may be only a lower bound: it is about what the migration sends, which is what QEMU prints when a pass re-dirties all it sent (paste 3 or more outputs a pass apart to tell)",
                human_rate(printed.to_bytes_per_ms())
            )),
        }
    }
}

const SOURCE: &str = "QEMU migration/ram.c counts a dirtied page once per sync period (5.1+ counts only newly dirtied pages: \"migration: Count new_dirty instead of real_dirty\"), so a pass that re-dirties all it sent prints about the bandwidth whatever the guest writes; reading it as a lower bound is a model";

/// `post_sync`: the series' post-sync pendings, oldest first (empty for one snapshot).
pub fn judge(
    dirty: BytesPerMs,
    bandwidth: BytesPerMs,
    counts: Option<RateCounts>,
    series: Option<&SeriesSummary>,
) -> RateBound {
    if !(dirty.0 > 0.0 && bandwidth.0 > 0.0) {
        return RateBound::Measured;
    }
    let ratio = dirty / bandwidth;
    if ratio < SATURATED_RATIO || !ratio.is_finite() {
        return RateBound::Measured;
    }
    let printed = dirty.to_bytes_per_sec();
    let recent: Vec<Bytes> =
        series.map(|s| s.points.iter().rev().take(3).map(|p| p.pending_bytes).collect()).unwrap_or_default();
    if recent.len() >= 2 {
        let max = recent.iter().copied().fold(Bytes(0.0), Bytes::max);
        let min = recent.iter().copied().fold(Bytes::INFINITE, Bytes::min);
        if max.0 <= 0.0 || (max - min) / max > FLAT_SPREAD {
            return RateBound::Measured;
        }
        return RateBound::LowerBound {
            saturation: Saturation::Seen,
            printed,
            ratio,
            per_pass: max,
            points: recent.len(),
            reason: format!(
                "the last {} post-sync pendings stay within {} % of {} while the printed rate is {}x the bandwidth: every pass re-dirtied about all it sent. {SOURCE}",
                recent.len(),
                (FLAT_SPREAD * 100.0) as u32,
                human_bytes(max),
                rounded(ratio, 3)
            ),
        };
    }
    if counts != Some(RateCounts::NewlyDirty) {
        // Up to 5.0 the rate also counts pages still pending, so one snapshot cannot tell.
        return RateBound::Measured;
    }
    RateBound::LowerBound {
        saturation: Saturation::Possible,
        printed,
        ratio,
        per_pass: Bytes(0.0),
        points: 0,
        reason: format!(
            "one snapshot of a QEMU 5.1+ prints a rate {}x the bandwidth: a guest re-dirtying all a pass sends prints about this whatever it writes. {SOURCE}",
            rounded(ratio, 3)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_the_ratio_or_without_a_rate_the_rate_is_measured() {
        let bw = BytesPerMs(1000.0);
        assert_eq!(judge(BytesPerMs(850.0), bw, Some(RateCounts::NewlyDirty), None), RateBound::Measured);
        assert_eq!(judge(BytesPerMs(0.0), bw, Some(RateCounts::NewlyDirty), None), RateBound::Measured);
        // Before 5.1 one snapshot cannot tell (the rate also counts pending pages).
        assert_eq!(judge(BytesPerMs(1480.0), bw, Some(RateCounts::EveryDirtyPage), None), RateBound::Measured);
        let one = judge(BytesPerMs(950.0), bw, Some(RateCounts::NewlyDirty), None);
        assert!(matches!(one, RateBound::LowerBound { saturation: Saturation::Possible, .. }), "{one:?}");
    }
}
