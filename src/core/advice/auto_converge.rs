//! auto-converge as QEMU runs it, replayed on this paste's numbers.
//!
//! ram.c migration_trigger_throttle() (the same logic 2.x-10.x) runs inside
//! migration_bitmap_sync() only when at least 1 s passed since the last period: a period
//! is "high" when the bytes dirtied in it exceed throttle-trigger-threshold % of the bytes
//! sent in it, and `if (high && ++dirty_rate_high_cnt >= 2) { dirty_rate_high_cnt = 0;
//! mig_throttle_guest_down() }`: the throttle starts at cpu-throttle-initial on the 2nd
//! high period and rises by cpu-throttle-increment on every second further one, up to
//! max-cpu-throttle. Since 9.2, with auto-converge on, cpu-throttle.c forces a bitmap sync
//! every 5 s (CPU_THROTTLE_DIRTY_SYNC_TIMESLICE_MS), so a pass longer than that is cut
//! into sync periods (corpus run 10.0.2-D shows a sync every 5 s from the first one on).

use super::inputs::ModelInputs;
use super::simulate::SimInput;
use super::MAX_PASSES;
use crate::core::units::*;
use serde::Serialize;

/// QEMU 9.2+: a forced bitmap sync every 5 s while auto-converge is on.
pub const FORCED_SYNC: Millis = Millis(5000.0);
/// migration_bitmap_sync checks the throttle only after a period of at least 1 s.
const MIN_PERIOD: Millis = Millis(1000.0);
/// Bitmap syncs the replay runs before it gives up.
const MAX_SYNCS: u32 = 400;

/// One throttle step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThrottleStep {
    /// Bitmap syncs since auto-converge was turned on (1 = the first).
    pub sync: u32,
    pub at_ms: Millis,
    pub throttle_pct: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AutoConvergeRun {
    pub converges: bool,
    /// Passes that drained (ended in the switchover test).
    pub passes: u32,
    /// Bitmap syncs, forced ones included.
    pub syncs: u32,
    pub throttle_pct: f64,
    pub time_ms: Millis,
    /// Whether the replay forced a sync every 5 s (QEMU 9.2+, or a QEMU the paste does not date).
    pub forced_syncs: bool,
    pub steps: Vec<ThrottleStep>,
}

/// The throttle QEMU's mig_throttle_guest_down() sets next.
fn next_throttle(now: f64, i: &ModelInputs) -> f64 {
    if now <= 0.0 {
        i.throttle_initial
    } else {
        (now + i.throttle_increment).min(i.throttle_max)
    }
}

/// Turn auto-converge on with the throttle at 0 and run until the switchover test passes
/// at the limit in force (a model on the printed rate: real throttles can run higher).
pub fn run(i: &ModelInputs, sim: &SimInput) -> AutoConvergeRun {
    let forced = i.forced_sync_5s != Some(false);
    let threshold = sim.threshold_bandwidth * i.limit_ms;
    let cap = sim.cap();
    let bw = sim.bandwidth;
    let mut r = AutoConvergeRun {
        converges: false,
        passes: 0,
        syncs: 0,
        throttle_pct: 0.0,
        time_ms: Millis(0.0),
        forced_syncs: forced,
        steps: Vec::new(),
    };
    if !super::positive(bw.0) {
        return r;
    }
    let (mut time, mut remaining, mut high) = (Millis(0.0), sim.start_bytes.max(Bytes(0.0)), 0u32);
    let (mut period, mut period_sent, mut period_dirty) = (Millis(0.0), Bytes(0.0), Bytes(0.0));
    while r.syncs < MAX_SYNCS && r.passes < MAX_PASSES {
        let drain = remaining / bw;
        let step = if forced { drain.min(FORCED_SYNC) } else { drain };
        let pass_ends = step >= drain;
        let dirtied = sim.dirty_bytes_per_ms * (1.0 - r.throttle_pct / 100.0) * step;
        time = time + step;
        remaining = (remaining - bw * step).max(Bytes(0.0));
        // The sync adds what was dirtied meanwhile: a set, so at most the working set.
        let after = (remaining + dirtied).min(cap.max(remaining));
        r.syncs += 1;
        period = period + step;
        period_sent = period_sent + bw * step;
        period_dirty = period_dirty + (after - remaining);
        if pass_ends {
            r.passes += 1;
            if after < threshold {
                r.converges = true;
                time = time + after / sim.switchover_bandwidth.max(bw);
                r.time_ms = time;
                return r;
            }
        }
        remaining = after;
        if period >= MIN_PERIOD {
            if period_dirty > period_sent * (i.throttle_trigger_pct / 100.0) {
                high += 1;
                if high >= 2 {
                    high = 0;
                    r.throttle_pct = next_throttle(r.throttle_pct, i);
                    r.steps.push(ThrottleStep { sync: r.syncs, at_ms: time, throttle_pct: r.throttle_pct });
                }
            }
            (period, period_sent, period_dirty) = (Millis(0.0), Bytes(0.0), Bytes(0.0));
        }
    }
    r.time_ms = time;
    r
}
