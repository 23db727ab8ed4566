//! Pre-copy as a sequence of passes: send what is pending at the live-phase
//! bandwidth; meanwhile the guest re-dirties bytes at the printed rate, capped by
//! its writable working set; at the sync QEMU switches over when the pending
//! bytes are below threshold-bandwidth x downtime-limit.

use super::inputs::ModelInputs;
use super::MAX_PASSES;
use crate::core::inference::RateCounts;
use crate::core::units::*;
use serde::Serialize;

/// What the simulation runs on (all rates per millisecond).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimInput {
    /// Bytes the pass being modelled sends: the post-sync pending once a rate is measured.
    pub start_bytes: Bytes,
    /// Live-phase bandwidth.
    pub bandwidth: BytesPerMs,
    /// Bandwidth in QEMU's threshold (avail-switchover-bandwidth if set).
    pub threshold_bandwidth: BytesPerMs,
    /// Bandwidth of the final copy (the link when known: QEMU lifts max-bandwidth).
    pub switchover_bandwidth: BytesPerMs,
    /// Distinct bytes re-dirtied per ms: the printed rate x 4 KiB. The printed rate
    /// already counts every target page of a dirtied huge page, so it is not amplified again.
    pub dirty_bytes_per_ms: BytesPerMs,
    /// Cap on what one pass can re-dirty (writable working set); None = no cap but RAM.
    pub working_set: Option<Bytes>,
    pub total_ram: Option<Bytes>,
    pub max_passes: u32,
    /// What the printed rate counts in this QEMU (None: the paste does not date it).
    pub rate_counts: Option<RateCounts>,
}

/// How a simulation ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SimOutcome {
    SwitchesOver,
    /// Within the pass limit, at this downtime-limit.
    NeverConverges,
    /// No positive bandwidth: nothing can be simulated.
    NoBandwidth,
}

/// One pass of the simulation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pass {
    pub index: u32,
    pub send_bytes: Bytes,
    pub time_ms: Millis,
    /// Re-dirtied while sending, after the cap: the pending bytes after this pass's sync.
    pub redirtied_bytes: Bytes,
    pub threshold_bytes: Bytes,
    pub switches_over: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Simulation {
    pub converges: bool,
    pub passes: u32,
    /// Time to switchover plus the pause (or the time of all simulated passes).
    pub total_time_ms: Millis,
    pub limit_ms: Millis,
    pub data_sent_bytes: Bytes,
    /// The pause at switchover at the final-copy bandwidth; None when it never converges.
    pub final_pause_ms: Option<Millis>,
    /// The smallest limit at which it would switch over within the pass limit (just above this value).
    pub converging_limit_ms: Option<Millis>,
    /// Passes needed at `converging_limit_ms`.
    pub passes_at_converging_limit: Option<u32>,
    pub pass_detail: Vec<Pass>,
    pub working_set_bytes: Option<Bytes>,
    pub assumptions: Vec<String>,
    /// The outcome, typed: shells decide on this, never on the text.
    pub verdict: SimOutcome,
    /// The outcome in words ("switches over after pass 3", ...).
    pub outcome: String,
}

impl SimInput {
    pub fn from_inputs(i: &ModelInputs) -> SimInput {
        SimInput {
            // From the last sync: the whole pass, since the guest has been dirtying since then.
            // Before QEMU has measured a rate (bulk pass) only what is left of it.
            start_bytes: if i.rate_measured || i.dirty_rate_bug.is_some() {
                i.pending_bytes
            } else {
                i.live_remaining_bytes
            },
            bandwidth: i.bandwidth_bytes_per_ms,
            threshold_bandwidth: i.threshold_bandwidth_bytes_per_ms,
            switchover_bandwidth: i.link_bytes_per_ms.unwrap_or(i.bandwidth_bytes_per_ms),
            dirty_bytes_per_ms: i.dirty_bytes_per_ms,
            working_set: i.working_set_bytes,
            total_ram: i.total_ram_bytes,
            max_passes: MAX_PASSES,
            rate_counts: i.rate_counts,
        }
    }

    /// What one pass can re-dirty at most: the working set, else all of RAM.
    pub fn cap(&self) -> Bytes {
        self.working_set.unwrap_or(Bytes::INFINITE).min(self.total_ram.unwrap_or(Bytes::INFINITE))
    }

    /// Pending bytes after each sync, independent of the limit (the limit only decides where to stop).
    pub fn post_sync_sequence(&self) -> Vec<(Bytes, Bytes)> {
        let mut out = Vec::new();
        if !super::positive(self.bandwidth.0) {
            return out;
        }
        let mut send = self.start_bytes.max(Bytes(0.0));
        let cap = self.cap();
        for _ in 0..self.max_passes {
            let t = send / self.bandwidth;
            let redirty = (self.dirty_bytes_per_ms * t).min(cap).max(Bytes(0.0));
            out.push((send, redirty));
            send = redirty;
        }
        out
    }

    pub fn assumptions(&self) -> Vec<String> {
        let mut a = vec![
            format!("Each pass sends what is pending at the live-phase bandwidth {} ({}); zero pages, which cost almost nothing, are counted like any other, so real passes can be shorter.", self.bandwidth, human_rate(self.bandwidth)),
            format!("While a pass runs the guest dirties {} of distinct pages: the printed dirty pages rate x 4 KiB. Where dirty logging amplifies (a POWER hash-MMU guest: every target page of a dirtied HPTE) that rate already includes it, so it is not multiplied again.", human_rate(self.dirty_bytes_per_ms)),
            match self.rate_counts {
                Some(RateCounts::EveryDirtyPage) => "This QEMU (up to 5.0) counts every page KVM reported dirty in the rate, also pages still pending from the last sync (ram.c before 5.1's \"Count new_dirty instead of real_dirty\"): rate x time overstates how fast pending grows, and passes may re-dirty less than modelled.".to_string(),
                Some(RateCounts::NewlyDirty) => "This QEMU (5.1+) counts only pages newly dirtied since the last sync: the rate is how fast pending grew over the last sync period. Applying it to passes of another length is a model: a guest's dirty set saturates over long passes.".to_string(),
                None => "Up to QEMU 5.0 the rate counts every page KVM reported dirty, also pages still pending (it overstates how fast pending grows); from 5.1 only newly dirtied pages. Either way, applying it to passes of another length is a model.".to_string(),
            },
            format!("At each sync QEMU switches over when pending < {} x downtime-limit.", self.threshold_bandwidth),
            if self.switchover_bandwidth > self.bandwidth {
                format!("The final copy runs at {}: QEMU lifts max-bandwidth at switchover.", self.switchover_bandwidth)
            } else {
                format!("The final copy runs at the live-phase bandwidth {}: no faster link is known (QEMU lifts max-bandwidth at switchover, so a capped migration pauses for less).", self.switchover_bandwidth)
            },
            format!("At most {} passes.", self.max_passes),
        ];
        match self.working_set {
            Some(w) => a.push(format!("A pass re-dirties at most the writable working set, {}.", human_bytes(w))),
            None => a.push(match self.total_ram {
                Some(t) => format!(
                    "No working-set cap: re-dirtied bytes grow with the pass length, up to all of RAM ({}).",
                    human_bytes(t)
                ),
                None => "No working-set cap and no RAM size: re-dirtied bytes grow with the pass length without bound."
                    .into(),
            }),
        }
        a
    }
}

/// Run the simulation at one downtime-limit.
pub fn run(input: &SimInput, limit: Millis) -> Simulation {
    let seq = input.post_sync_sequence();
    let threshold = input.threshold_bandwidth.max(BytesPerMs(0.0)) * limit.max(Millis(0.0));
    let final_bw = if input.switchover_bandwidth.0 > 0.0 { input.switchover_bandwidth } else { input.bandwidth };
    let mut passes = Vec::new();
    let (mut time, mut sent) = (Millis(0.0), Bytes(0.0));
    let mut pause = None;
    for (i, &(send, redirty)) in seq.iter().enumerate() {
        let t = send / input.bandwidth;
        time = time + t;
        sent = sent + send;
        let switches = redirty < threshold;
        passes.push(Pass {
            index: i as u32 + 1,
            send_bytes: send,
            time_ms: t,
            redirtied_bytes: redirty,
            threshold_bytes: threshold,
            switches_over: switches,
        });
        if switches {
            let p = redirty / final_bw;
            pause = Some(p);
            time = time + p;
            sent = sent + redirty;
            break;
        }
    }
    let (conv_limit, conv_passes) = converging_limit(&seq, input.threshold_bandwidth);
    let verdict = if seq.is_empty() {
        SimOutcome::NoBandwidth
    } else if pause.is_some() {
        SimOutcome::SwitchesOver
    } else {
        SimOutcome::NeverConverges
    };
    let outcome = match verdict {
        SimOutcome::NoBandwidth => "no bandwidth: nothing can be simulated".to_string(),
        SimOutcome::SwitchesOver => format!("switches over after pass {}", passes.len()),
        SimOutcome::NeverConverges => {
            format!("never converges at {} ms within {} passes", group(limit.0, 0), input.max_passes)
        }
    };
    Simulation {
        converges: pause.is_some(),
        passes: passes.len() as u32,
        total_time_ms: time,
        limit_ms: limit,
        data_sent_bytes: sent,
        final_pause_ms: pause,
        converging_limit_ms: conv_limit,
        passes_at_converging_limit: conv_passes,
        pass_detail: passes,
        working_set_bytes: input.working_set,
        assumptions: input.assumptions(),
        verdict,
        outcome,
    }
}

/// Smallest post-sync pending / threshold bandwidth, and the pass it happens in.
/// Any limit above it switches over (QEMU's test is strict: pending < threshold).
fn converging_limit(seq: &[(Bytes, Bytes)], threshold_bw: BytesPerMs) -> (Option<Millis>, Option<u32>) {
    if !super::positive(threshold_bw.0) {
        return (None, None);
    }
    let best =
        seq.iter().enumerate().map(|(i, &(_, r))| (i, r)).fold(None::<(usize, Bytes)>, |acc, (i, r)| match acc {
            Some((_, b)) if b <= r => acc,
            _ => Some((i, r)),
        });
    match best {
        Some((i, r)) if (r / threshold_bw).0 <= MAX_DOWNTIME_LIMIT_MS => (Some(r / threshold_bw), Some(i as u32 + 1)),
        _ => (None, None),
    }
}
