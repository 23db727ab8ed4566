//! Why this migration does (not) converge, in one sentence of the person's terms,
//! with the facts behind it as typed values (issue 14 point 1).

use super::prose;
use crate::core::advice::{Advice, ModelInputs, RateBound};
use crate::core::model::Status;
use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Pre-copy will not switch over at the limit in force.
    Stuck,
    /// It will switch over at the limit in force.
    Converging,
    /// QEMU has not measured a dirty rate yet: no limit and no pause can be told.
    TooEarly,
    /// Numbers typed in without a dirty rate: only the pending given can be judged.
    Unknown,
    Completed,
    Postcopy,
    /// Nothing to advise on (no statistics, cancelled, failed, setup).
    NoData,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// The guest dirties at least as fast as the migration sends.
    DirtiesFasterThanSent,
    /// It dirties slower, but each pass still re-dirties more than the limit lets through.
    WorkingSetAboveThreshold,
    /// The pending after a sync fits under the threshold (or will after a few passes).
    FitsThreshold,
    FirstPass,
    NotApplicable,
}

/// Why the throughput looks like a max-bandwidth cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapEvidence {
    /// The pasted max-bandwidth, and the throughput is at least 90 % of it.
    EqualsMaxBandwidth,
    /// max-bandwidth not pasted; the throughput is within 5 % of QEMU's default before 5.2.
    Default32MiB,
    /// max-bandwidth not pasted; within 5 % of QEMU's default since 5.2.
    Default128MiB,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cap {
    pub evidence: CapEvidence,
    /// The cap the throughput sits at.
    pub cap: BytesPerSec,
    pub throughput: BytesPerSec,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnosis {
    pub verdict: Verdict,
    pub cause: Cause,
    /// What the guest dirties (printed dirty pages rate x target page).
    pub dirty_rate: Option<BytesPerSec>,
    /// What the live phase sends.
    pub sent_rate: Option<BytesPerSec>,
    /// dirty_rate / sent_rate.
    pub dirty_ratio: Option<f64>,
    /// The pending after a sync: what every pass leaves.
    pub pending_per_pass: Option<Bytes>,
    /// What QEMU switches over below at the limit in force (threshold bandwidth x limit).
    pub allowed_at_limit: Option<Bytes>,
    pub limit_in_force: Millis,
    /// First pass only: what is left of it at the measured rate.
    pub first_pass_left: Option<Millis>,
    pub cap: Option<Cap>,
    /// Whether `dirty_rate` is what the guest writes or only a lower bound of it.
    pub rate_bound: RateBound,
    /// The sentence the shells print first.
    pub text: String,
}

const DEFAULT_CAP_OLD: f64 = 32.0 * MIB;
const DEFAULT_CAP_NEW: f64 = 128.0 * MIB;

/// Capped by max-bandwidth: the pasted value, else QEMU's 32 or 128 MiB/s default by value.
pub fn cap(i: &ModelInputs) -> Option<Cap> {
    let throughput = i.bandwidth_bytes_per_ms.to_bytes_per_sec();
    if i.live_phase_capped == Some(true) {
        let cap = i.max_bandwidth_bytes_per_s.unwrap_or(throughput);
        return Some(Cap { evidence: CapEvidence::EqualsMaxBandwidth, cap, throughput });
    }
    if i.max_bandwidth_bytes_per_s.is_some() {
        return None;
    }
    let near = |c: f64| (throughput.0 / c - 1.0).abs() <= 0.05;
    let evidence = if near(DEFAULT_CAP_OLD) {
        (CapEvidence::Default32MiB, DEFAULT_CAP_OLD)
    } else if near(DEFAULT_CAP_NEW) {
        (CapEvidence::Default128MiB, DEFAULT_CAP_NEW)
    } else {
        return None;
    };
    Some(Cap { evidence: evidence.0, cap: BytesPerSec(evidence.1), throughput })
}

fn cap_clause(c: &Cap) -> String {
    match c.evidence {
        CapEvidence::EqualsMaxBandwidth => format!(
            "the throughput ({}) sits at the max-bandwidth of {}: the live phase is capped, and QEMU lifts the cap for the final copy",
            prose::rate(c.throughput),
            prose::rate(c.cap)
        ),
        CapEvidence::Default32MiB | CapEvidence::Default128MiB => format!(
            "the throughput sits at {}, right at {} ({}): it looks capped by max-bandwidth",
            prose::rate(c.throughput),
            prose::rate(c.cap),
            if c.evidence == CapEvidence::Default32MiB {
                "QEMU's default max-bandwidth before 5.2"
            } else {
                "QEMU's default max-bandwidth since 5.2"
            }
        ),
    }
}

/// `status`: the status of the snapshot in focus (postcopy and completion stop the advice early).
pub fn diagnose(a: &Advice, status: Option<&Status>) -> Diagnosis {
    let Some(rec) = &a.recommendation else {
        let text = a.notes.first().cloned().unwrap_or_else(|| "Nothing to diagnose: no migration statistics.".into());
        return bare(Verdict::NoData, Millis(300.0), text);
    };
    let limit = rec.limit_in_force_ms;
    let postcopy = matches!(status, Some(Status::PostcopyActive) | Some(Status::PostcopyPaused));
    let completed = a.inputs.as_ref().map(|i| i.completed.is_some()).unwrap_or(true);
    let (Some(i), false, false) = (&a.inputs, postcopy, completed) else {
        // Completed or postcopy: nothing left to tune.
        let verdict = if postcopy { Verdict::Postcopy } else { Verdict::Completed };
        let text = match verdict {
            Verdict::Postcopy => "Postcopy is running: the guest already runs on the destination, so no downtime-limit changes anything now.".to_string(),
            _ => format!(
                "Finished: the migration completed, pausing the guest for {} under the {} limit in force.",
                prose::duration(rec.expected_pause_ms),
                prose::limit(limit)
            ),
        };
        return bare(verdict, limit, text);
    };
    let sent = i.bandwidth_bytes_per_ms.to_bytes_per_sec();
    let dirty = i.dirty_bytes_per_ms.to_bytes_per_sec();
    let cap = cap(i);
    let pending = i.pending_bytes;
    let allowed = i.threshold_bandwidth_bytes_per_ms * limit;
    let mut d = Diagnosis {
        verdict: Verdict::Unknown,
        cause: Cause::NotApplicable,
        dirty_rate: None,
        sent_rate: Some(sent),
        dirty_ratio: None,
        pending_per_pass: None,
        allowed_at_limit: Some(allowed),
        limit_in_force: limit,
        first_pass_left: None,
        cap: cap.clone(),
        rate_bound: RateBound::Measured,
        text: String::new(),
    };
    let cap_tail = cap.as_ref().map(|c| format!("; {}", cap_clause(c))).unwrap_or_default();
    if !i.rate_measured && !i.typed_in {
        let left = i.live_remaining_bytes / i.bandwidth_bytes_per_ms;
        d.verdict = Verdict::TooEarly;
        d.cause = Cause::FirstPass;
        d.first_pass_left = Some(left);
        d.text = format!(
            "Too early to tell: QEMU has not measured a dirty rate yet (the first pass has about {} left at {}){cap_tail}. Paste `info migrate` again after the first sync (dirty sync count 2).",
            prose::duration(left),
            prose::rate(sent)
        );
        return d;
    }
    d.pending_per_pass = Some(pending);
    if !i.rate_measured {
        d.text = format!(
            "No dirty rate given: {} pending against the {} the {} limit lets through{cap_tail}; what the guest re-dirties meanwhile is unknown.",
            prose::size(pending),
            prose::size(allowed),
            prose::limit(limit)
        );
        return d;
    }
    let ratio = dirty.0 / sent.0;
    d.dirty_rate = Some(dirty);
    d.dirty_ratio = Some(ratio);
    let converges = rec.converges_now == Some(true);
    d.verdict = if converges { Verdict::Converging } else { Verdict::Stuck };
    d.cause = if converges {
        Cause::FitsThreshold
    } else if ratio >= 1.0 {
        Cause::DirtiesFasterThanSent
    } else {
        Cause::WorkingSetAboveThreshold
    };
    d.text = match d.cause {
        Cause::DirtiesFasterThanSent => format!(
            "Stuck: the guest dirties {}, {} what the migration sends ({}): every pass leaves ~{} pending, and the {} limit lets QEMU switch over only below {}{cap_tail}.",
            prose::rate(dirty),
            prose::factor(ratio),
            prose::rate(sent),
            prose::size(pending),
            prose::limit(limit),
            prose::size(allowed)
        ),
        Cause::WorkingSetAboveThreshold => format!(
            "Stuck: every pass leaves ~{} pending (the guest re-dirties it at {}, {} what the migration sends), and the {} limit lets QEMU switch over only below {}{cap_tail}.",
            prose::size(pending),
            prose::rate(dirty),
            prose::factor(ratio),
            prose::limit(limit),
            prose::size(allowed)
        ),
        _ => converging_text(a, pending, allowed, limit, &cap_tail),
    };
    if !converges {
        d.rate_bound = i.rate_bound.clone();
        if let Some(why) = i.rate_bound.clause() {
            d.text.push_str(&format!(" {}.", crate::core::writer::capitalised(&why)));
        }
    }
    d
}

fn converging_text(a: &Advice, pending: Bytes, allowed: Bytes, limit: Millis, cap_tail: &str) -> String {
    if pending.0 < allowed.0 {
        return format!(
            "Converging: {} is pending, below the {} the {} limit lets through: QEMU switches over at the next sync{cap_tail}.",
            prose::size(pending),
            prose::size(allowed),
            prose::limit(limit)
        );
    }
    // Seen shrinking in a series, or only predicted from one snapshot's rate.
    let observed = a.series.as_ref().map(|s| s.points.len() >= 2 && s.stalled == Some(false)).unwrap_or(false);
    let how = if observed {
        "the pending after each sync shrinks".to_string()
    } else {
        match (a.inputs.as_ref(), a.simulation.as_ref()) {
            (Some(i), Some(_)) if i.bandwidth_bytes_per_ms.0 > 0.0 => format!(
                "by the printed rate the guest dirties {} what the migration sends, so each pass should leave less (not yet seen in the paste)",
                prose::factor(i.dirty_bytes_per_ms / i.bandwidth_bytes_per_ms)
            ),
            _ => "each pass should leave less".to_string(),
        }
    };
    let lead = if observed { "Converging" } else { "Should converge" };
    match a.simulation.as_ref().filter(|s| s.converges) {
        Some(s) => format!(
            "{lead}: {how}; at the {} limit in force QEMU switches over after about {} more pass{} ({}){cap_tail}.",
            prose::limit(limit),
            s.passes,
            if s.passes == 1 { "" } else { "es" },
            prose::duration(s.total_time_ms)
        ),
        None => format!("{lead} at the {} limit in force{cap_tail}.", prose::limit(limit)),
    }
}

fn bare(verdict: Verdict, limit: Millis, text: String) -> Diagnosis {
    Diagnosis {
        verdict,
        cause: Cause::NotApplicable,
        dirty_rate: None,
        sent_rate: None,
        dirty_ratio: None,
        pending_per_pass: None,
        allowed_at_limit: None,
        limit_in_force: limit,
        first_pass_left: None,
        cap: None,
        rate_bound: RateBound::Measured,
        text,
    }
}
