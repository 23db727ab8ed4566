//! One plan instead of competing numbers (issue 14 point 2): a single action with its
//! pause as a range, or two steps ("set 4,500 ms; if the next sync leaves more, 5,500 ms").
//! It builds on the recommendation's own fields (limit, next-sync estimate) and on the
//! ranked options; it decides nothing about the numbers themselves.

use super::commands::Command;
use super::diagnosis::{Diagnosis, Verdict};
use super::prose;
use super::ranked::{Lever, Pause, PauseBasis, RankedOption};
use crate::core::advice::rounding::typeable_ms;
use crate::core::advice::{hugepage, recommend, ModelInputs, Recommendation};
use crate::core::options::Platform;
use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    SetDowntimeLimit,
    RaiseMaxBandwidth,
    SetAvailSwitchoverBandwidth,
    /// No live lever fits: the best option needs a restart of the migration or the guest.
    UseOption,
    KeepLimit,
    WaitForFirstSync,
    /// Completed, postcopy, or nothing to act on.
    Nothing,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "when", rename_all = "kebab-case")]
pub enum When {
    Now,
    /// The next sync leaves more than the first step lets through (up to `pending`).
    IfNextSyncLeavesMore {
        pending: Bytes,
    },
    /// It has not switched over within this time after the first step.
    IfNotDoneWithin {
        time: Millis,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub when: When,
    /// What to set, in words.
    pub setting: String,
    pub limit: Option<Millis>,
    pub commands: Vec<Command>,
}

/// What a POWER hash-MMU guest's pause adds beyond the pending QEMU counts (the advice's
/// pause note, advice/recommend.rs: the final sync after the stop and the HPT's delta).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HashExtra {
    /// Each dirty-logging granule (HPTE page) touched between the deciding sync and the stop.
    pub per_page_touched: Millis,
    pub granule: Bytes,
    /// The whole HPT (RAM/128) at the final-copy rate: the upper bound of its uncounted delta (a model).
    pub hpt_at_most: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Action {
    pub kind: ActionKind,
    pub steps: Vec<Step>,
    pub pause: Option<Pause>,
    /// POWER hash MMU only: what the pause adds on top of `pause`.
    pub hash_extra: Option<HashExtra>,
    pub total_time: Option<Millis>,
    /// The plan in one or two sentences.
    pub text: String,
    /// What qualifies it: a POWER hash-MMU guest's extra pause, shorter options that need a restart.
    pub notes: Vec<String>,
}

/// The first and second limits: the recommendation, and a second step when the next
/// sync may leave more than the first lets through.
pub fn step_limits(rec: &Recommendation) -> (Millis, Option<Millis>) {
    let first = rec.downtime_limit_ms;
    let second = rec
        .next_sync_limit_ms
        .map(|n| Millis(typeable_ms(n.0).min(MAX_DOWNTIME_LIMIT_MS)))
        .filter(|s| s.0 > first.0 && first > rec.limit_in_force_ms);
    (first, second)
}

fn nothing(kind: ActionKind, text: String) -> Action {
    Action { kind, steps: vec![], pause: None, hash_extra: None, total_time: None, text, notes: vec![] }
}

pub fn choose(d: &Diagnosis, rec: Option<&Recommendation>, options: &[RankedOption], domain: Option<&str>) -> Action {
    let Some(rec) = rec else {
        return nothing(ActionKind::Nothing, "Nothing to set: paste `info migrate` from a running migration.".into());
    };
    match d.verdict {
        Verdict::NoData | Verdict::Completed | Verdict::Postcopy => {
            return nothing(ActionKind::Nothing, "Nothing to set.".into());
        }
        Verdict::TooEarly => {
            return nothing(
                ActionKind::WaitForFirstSync,
                "No limit yet: wait for the first sync, then paste `info migrate` again.".into(),
            );
        }
        Verdict::Converging => {
            let pause = rec.expected_pause_ms;
            return Action {
                kind: ActionKind::KeepLimit,
                steps: vec![],
                pause: Some(Pause { low: Some(pause), high: pause, basis: PauseBasis::Estimate }),
                hash_extra: None,
                total_time: None,
                text: format!(
                    "Keep the {} limit: nothing to set. The guest then pauses about {}.",
                    prose::limit(rec.limit_in_force_ms),
                    prose::duration(pause)
                ),
                notes: vec![],
            };
        }
        Verdict::Stuck | Verdict::Unknown => {}
    }
    let limit_option = options.iter().find(|o| o.lever == Lever::DowntimeLimit);
    // A live lever that keeps the limit in force (and so a pause the operator already
    // accepts) beats raising the limit; among them, the smallest pause, then the quickest.
    let in_force = rec.limit_in_force_ms;
    let live_keeping = options
        .iter()
        .filter(|o| {
            matches!(o.lever, Lever::MaxBandwidth | Lever::AvailSwitchoverBandwidth)
                && !o.is_trial()
                && o.limit <= in_force
                && o.pause.high <= in_force * 1.001
        })
        .min_by(|a, b| {
            let key = |o: &RankedOption| (o.pause.high.0, o.total_time.map(|t| t.0).unwrap_or(f64::INFINITY));
            key(a).partial_cmp(&key(b)).unwrap_or(std::cmp::Ordering::Equal)
        });
    if let Some(o) = live_keeping {
        return live_lever(o, limit_option);
    }
    if let Some(o) = limit_option {
        return set_limit(o, rec, domain, options);
    }
    match options.first() {
        Some(o) => Action {
            kind: ActionKind::UseOption,
            steps: vec![Step {
                when: When::Now,
                setting: o.setting.clone(),
                limit: Some(o.limit),
                commands: o.commands.clone(),
            }],
            pause: Some(o.pause.clone()),
            hash_extra: None,
            total_time: o.total_time,
            text: format!(
                "No downtime-limit can do it: use {} ({}). The guest then pauses {}.",
                o.lever.name(),
                o.setting,
                o.pause.describe()
            ),
            notes: vec![],
        },
        None => {
            nothing(ActionKind::Nothing, "No lever this QEMU has makes this migration finish on these numbers.".into())
        }
    }
}

/// Options that pause less but need a restart: named so the plan does not hide them.
fn shorter_with_restart(o: &RankedOption, others: &[RankedOption]) -> Option<String> {
    let mut better = Vec::new();
    for x in others {
        if x.applies != super::ranked::Applies::Now && x.pause.high.0 < o.pause.high.0 {
            better.push(format!("{} ({})", x.lever.name(), x.pause.describe()));
        }
    }
    (!better.is_empty()).then(|| format!("A shorter pause needs a restart: {}.", better.join(", ")))
}

/// A live lever that costs no pause but may not help (a saturated dirty rate): offered
/// to try before the limit, never as the plan itself.
fn trial_first(others: &[RankedOption]) -> Option<String> {
    let t = others.iter().find(|x| x.is_trial() && x.applies == super::ranked::Applies::Now)?;
    let why = t.costs.iter().find(|c| c.kind == super::ranked::CostKind::MayNotHelp)?;
    Some(format!(
        "To avoid that pause, {} can be tried first: no pause, but {}. If the next sync still leaves as much pending, set the limit above.",
        t.setting,
        why.text
    ))
}

fn set_limit(o: &RankedOption, rec: &Recommendation, domain: Option<&str>, others: &[RankedOption]) -> Action {
    let (first, second) = step_limits(rec);
    let mut steps = vec![Step {
        when: When::Now,
        setting: format!("downtime-limit {}", prose::limit(first)),
        limit: Some(first),
        commands: o.commands.clone(),
    }];
    let mut text = format!("Set downtime-limit {}", prose::limit(first));
    if let (Some(s), Some(n)) = (second, rec.next_sync_bytes) {
        // The second step speaks to the same QEMU as the first (the seconds form before 2.8).
        let old = o.commands.iter().any(|c| c.interface == super::commands::Interface::HmpBefore2_8);
        let cmds = super::commands::downtime_limit(s, domain, old);
        steps.push(Step {
            when: When::IfNextSyncLeavesMore { pending: n },
            setting: format!("downtime-limit {}", prose::limit(s)),
            limit: Some(s),
            commands: cmds,
        });
        text.push_str(&format!("; if the next sync leaves more (up to {}), {}", prose::size(n), prose::limit(s)));
    }
    text.push_str(&format!(". The guest then pauses {}.", o.pause.describe()));
    // Not collect: each collect was an iterator type of its own in the page.
    let mut notes = Vec::new();
    notes.extend(trial_first(others));
    notes.extend(shorter_with_restart(o, others));
    Action {
        kind: ActionKind::SetDowntimeLimit,
        steps,
        pause: Some(o.pause.clone()),
        hash_extra: None,
        total_time: o.total_time,
        text,
        notes,
    }
}

fn live_lever(o: &RankedOption, fallback: Option<&RankedOption>) -> Action {
    let kind = if o.lever == Lever::MaxBandwidth {
        ActionKind::RaiseMaxBandwidth
    } else {
        ActionKind::SetAvailSwitchoverBandwidth
    };
    let mut steps =
        vec![Step { when: When::Now, setting: o.setting.clone(), limit: None, commands: o.commands.clone() }];
    let mut text = format!(
        "Set {}: the {} limit then suffices and the guest pauses {}",
        o.setting,
        prose::limit(o.limit),
        o.pause.describe()
    );
    if let Some(t) = o.total_time {
        text.push_str(&format!(", done in about {}", prose::duration(t)));
    }
    if let (Some(f), Some(t)) = (fallback, o.total_time) {
        // Long enough for a person to look again with `info migrate`.
        let within = Millis((t.0 * 2.0).max(20_000.0));
        steps.push(Step {
            when: When::IfNotDoneWithin { time: within },
            setting: f.setting.clone(),
            limit: Some(f.limit),
            commands: f.commands.clone(),
        });
        text.push_str(&format!(". If it has not switched over within {}, set {}", prose::duration(within), f.setting));
    }
    text.push('.');
    Action {
        kind,
        steps,
        pause: Some(o.pause.clone()),
        hash_extra: None,
        total_time: o.total_time,
        text,
        notes: vec![],
    }
}

/// On a POWER hash-MMU guest (said so): what the pause adds beyond the counted pending.
pub fn hash_extra(i: &ModelInputs) -> Option<HashExtra> {
    if i.platform != Some(Platform::PowerHash) {
        return None;
    }
    let granule = hugepage::dirty_granule(i.platform, i.backing_page_bytes);
    let sw = i.link_bytes_per_ms.unwrap_or(i.bandwidth_bytes_per_ms);
    Some(HashExtra {
        per_page_touched: granule / sw,
        granule,
        hpt_at_most: i.total_ram_bytes.map(|r| recommend::spapr_hpt_bytes(r) / sw),
    })
}

/// The plan's sentence for it.
pub fn hash_extra_text(x: &HashExtra) -> String {
    format!(
        "On this POWER hash-MMU guest add {} for each {} page touched since the deciding sync{}.",
        prose::duration(x.per_page_touched),
        prose::size(x.granule),
        x.hpt_at_most
            .map(|h| format!(
                ", and up to {} for the HPT's final delta (a model; usually far less)",
                prose::duration(h)
            ))
            .unwrap_or_default()
    )
}
