//! What the person acts on (issue 14): a diagnosis sentence, one plan, the levers
//! ranked by the pause they imply, the management stack's settings and one
//! confidence with what would raise it. Built from the advice; shells only render it.

pub mod action;
pub mod commands;
pub mod confidence;
pub mod diagnosis;
pub mod prose;
pub mod ranked;
pub mod stack;
pub mod text;

use super::advice::Advice;
use super::formulas::SnapshotFormulas;
use super::model::{Dialect, Paste};
use super::options::Options;
use super::units::*;
use serde::Serialize;

pub use action::{Action, ActionKind, Step, When};
pub use commands::{Command, Interface};
pub use confidence::{Level, PlanConfidence};
pub use diagnosis::{Cap, CapEvidence, Cause, Diagnosis, Verdict};
pub use ranked::{Applies, Cost, CostKind, Lever, NotOffered, Pause, PauseBasis, RankedOption};
pub use stack::{Stack, StackSetting};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub diagnosis: Diagnosis,
    pub action: Action,
    /// Levers that make this migration finish, sorted by pause.
    pub options: Vec<RankedOption>,
    /// Levers this QEMU, platform or paste rules out, with why.
    pub not_offered: Vec<NotOffered>,
    pub stack: Vec<StackSetting>,
    pub confidence: PlanConfidence,
    pub domain: Option<String>,
}

pub fn build(
    paste: &Paste,
    formulas: &[SnapshotFormulas],
    focus: Option<usize>,
    advice: &Advice,
    options: &Options,
) -> Plan {
    let status = focus.and_then(|i| paste.snapshots.get(i)).and_then(|s| s.status.as_ref()).map(|f| &f.value);
    let diagnosis = diagnosis::diagnose(advice, status);
    let domain = options.domain.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let wants_options = matches!(diagnosis.verdict, Verdict::Stuck | Verdict::Unknown);
    let (ranked, not_offered) = match (&advice.inputs, &advice.sim_input, &advice.recommendation) {
        (Some(i), Some(sim), Some(rec)) if wants_options => {
            let ctx = ranked::Ctx {
                i,
                sim,
                rec,
                advice,
                version: paste.version.as_ref(),
                dialect_floor: paste.snapshots.get(i.snapshot).and_then(|s| dialect_floor(s.dialect)),
                dated_below: formulas
                    .get(i.snapshot)
                    .and_then(|f| f.printed_by.as_ref())
                    .filter(|p| p.formula == "f1")
                    .map(|_| (3, 0)),
                options,
                cap: diagnosis.cap.as_ref(),
                step_limits: action::step_limits(rec),
            };
            ranked::rank(&ctx)
        }
        _ => (Vec::new(), Vec::new()),
    };
    let mut action = action::choose(&diagnosis, advice.recommendation.as_ref(), &ranked, domain);
    if action.pause.is_some() && !matches!(action.kind, ActionKind::KeepLimit) {
        action.hash_extra = advice.inputs.as_ref().and_then(action::hash_extra);
        if let Some(x) = &action.hash_extra {
            // Next to the pause it adds to, before the restart options.
            action.notes.insert(0, action::hash_extra_text(x));
        }
    }
    let limit = action.steps.iter().filter_map(|s| s.limit).fold(None, |m: Option<Millis>, l| match m {
        Some(x) if x.0 >= l.0 => Some(x),
        _ => Some(l),
    });
    let need = advice.recommendation.as_ref().filter(|_| wants_options).map(|r| {
        let next = r.next_sync_limit_ms.unwrap_or_default();
        r.base_ms.max(next)
    });
    let limit = limit
        .filter(|_| action.kind == ActionKind::SetDowntimeLimit || wants_options)
        .or_else(|| ranked.iter().find(|o| o.lever == Lever::DowntimeLimit).map(|o| o.limit));
    let stack = stack::settings(&stack::StackInput {
        limit: limit.filter(|_| wants_options),
        need,
        total_ram: advice.inputs.as_ref().and_then(|i| i.total_ram_bytes),
        options: &ranked,
        domain,
    });
    let confidence = confidence::assess(advice, &diagnosis, options);
    Plan { diagnosis, action, options: ranked, not_offered, stack, confidence, domain: domain.map(str::to_string) }
}

/// The oldest QEMU that prints this dialect (model.rs documents the ranges).
fn dialect_floor(d: Dialect) -> Option<(u32, u32)> {
    match d {
        Dialect::HmpMs => Some((5, 1)),
        Dialect::Hmp10_1 | Dialect::Hmp10_1Kib => Some((10, 1)),
        _ => None,
    }
}
