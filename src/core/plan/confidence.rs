//! One confidence scale for everything the plan says, and what would raise it
//! (issue 14 point 5). The level is the recommendation's; it drops one step when the
//! throughput only looks capped (max-bandwidth not pasted), since the pause then rests
//! on a guess about the cap.

use super::diagnosis::{CapEvidence, Diagnosis, Verdict};
use super::prose;
use crate::core::advice::Advice;
use crate::core::options::Options;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Low,
    Medium,
    High,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }
    fn from_name(s: &str) -> Level {
        match s {
            "high" => Level::High,
            "medium" => Level::Medium,
            _ => Level::Low,
        }
    }
    fn lower(self) -> Level {
        match self {
            Level::High => Level::Medium,
            _ => Level::Low,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanConfidence {
    pub level: Level,
    /// The recommendation's reasons, plus the plan's own.
    pub reasons: Vec<String>,
    /// What the person can do to raise it, most useful first.
    pub raise_by: Vec<String>,
}

pub fn assess(a: &Advice, d: &Diagnosis, options: &Options) -> PlanConfidence {
    let Some(rec) = &a.recommendation else {
        return PlanConfidence {
            level: Level::Low,
            reasons: vec!["no migration statistics to judge".into()],
            raise_by: vec!["paste `info migrate` from a running migration, with `info migrate_parameters`".into()],
        };
    };
    let mut level = Level::from_name(rec.confidence.level.as_str());
    let mut reasons = rec.confidence.reasons.clone();
    let mut raise = Vec::new();
    if matches!(d.verdict, Verdict::Completed | Verdict::Postcopy) {
        return PlanConfidence { level, reasons, raise_by: raise };
    }
    let default_cap = d.cap.as_ref().map(|c| c.evidence != CapEvidence::EqualsMaxBandwidth).unwrap_or(false);
    if default_cap && level > Level::Low {
        level = level.lower();
        reasons.push("the throughput sits at a default max-bandwidth, but max-bandwidth was not pasted: the pause at switchover may be much shorter than estimated".into());
    }
    let points = a.series.as_ref().map(|s| s.points.len()).unwrap_or(0);
    let params_missing =
        !rec.limit_pasted || a.inputs.as_ref().map(|i| i.max_bandwidth_bytes_per_s.is_none()).unwrap_or(true);
    let with_params = if params_missing { ", with `info migrate_parameters`" } else { "" };
    if d.verdict == Verdict::TooEarly {
        raise.push(format!("paste `info migrate` again after the first sync{with_params}"));
    } else if points < 3 {
        let pass = a.inputs.as_ref().map(|i| i.pending_bytes / i.bandwidth_bytes_per_ms);
        let apart = pass
            .filter(|p| p.0 >= 1.0)
            .map(|p| format!(" (a pass takes about {} here)", prose::duration(p)))
            .unwrap_or_default();
        raise.push(format!("paste 3 or more `info migrate` outputs a pass apart{apart}{with_params}"));
    } else if params_missing {
        raise.push("paste `info migrate_parameters` with the outputs".into());
    }
    if let Some(i) = &a.inputs {
        if d.cap.is_some() && i.link_bytes_per_ms.is_none() {
            raise.push("give the link's real speed (iperf3 between the hosts): QEMU lifts the cap for the final copy, so the pause depends on it".into());
        }
        if options.platform.is_none() && i.backing_page_bytes > i.target_page_bytes {
            raise.push("say where the guest runs (x86, POWER hash MMU, POWER radix): only a POWER hash-MMU guest dirties whole huge pages".into());
        }
    }
    PlanConfidence { level, reasons, raise_by: raise }
}
