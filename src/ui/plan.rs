//! The plan, first on the page (issue 14): `plan_head` is the diagnosis sentence, the
//! one plan with its copy buttons and the confidence with what raises it, right of
//! the paste; `plan_options` is the options ranked by pause, the notes and the
//! management stack's settings, full width below. They render `Analysis::plan`.

use super::copy::CopyCommand;
use super::glossary::{linked, Seen};
use super::shared::col_heads;
use crate::core::plan::{prose, Applies, Command, Interface, Plan, RankedOption, Step, When};
use crate::core::Analysis;
use yew::prelude::*;

fn when(w: &When) -> String {
    match w {
        When::Now => "Now".into(),
        When::IfNextSyncLeavesMore { pending } => {
            format!("If the next sync leaves more (up to {})", prose::size(*pending))
        }
        When::IfNotDoneWithin { time } => format!("If it has not finished within {}", prose::duration(*time)),
    }
}

fn key(i: Interface) -> &'static str {
    match i {
        Interface::Hmp => "hmp",
        Interface::Qmp => "qmp",
        Interface::Virsh => "virsh",
        Interface::HmpBefore2_8 => "hmp-old",
        Interface::Config => "config",
    }
}

fn commands(prefix: &str, cmds: &[Command]) -> Html {
    html! {
        <div class="commands">
            { for cmds.iter().enumerate().map(|(n, c)| html! {
                <CopyCommand id={format!("{prefix}-{}{}", key(c.interface), if n < 3 { String::new() } else { format!("-{n}") })}
                    label={c.interface.label()} text={c.text.clone()} />
            }) }
        </div>
    }
}

fn step(n: usize, s: &Step) -> Html {
    let prefix = if n == 0 { "copy-plan".to_string() } else { format!("copy-plan{}", n + 1) };
    html! {
        <li class="plan-step">
            <p><span class="when">{when(&s.when)}{": "}</span>
                // The first step's limit, unrounded, for the tests that compare it with `converge --json`.
                if n == 0 {
                    <strong id="plan-setting" data-value={s.limit.map(|l| l.0.to_string()).unwrap_or_default()}>{&s.setting}</strong>
                } else {
                    <strong>{&s.setting}</strong>
                }
            </p>
            // The first step's buttons come first; a later step's wait behind one summary.
            if n == 0 {
                { commands(&prefix, &s.commands) }
            } else {
                <details class="step-commands"><summary>{"Its commands"}</summary>{ commands(&prefix, &s.commands) }</details>
            }
        </li>
    }
}

/// The line that says which inputs the result is for (the embed shows it first).
pub fn inputs_line(a: &Analysis) -> String {
    let d = &a.plan.diagnosis;
    let mut parts = Vec::new();
    match (d.pending_per_pass, a.advice.inputs.as_ref()) {
        (Some(p), _) => parts.push(format!("{} pending", prose::size(p))),
        (None, Some(i)) => parts.push(format!("{} remaining", prose::size(i.live_remaining_bytes))),
        _ => {}
    }
    if let Some(s) = d.sent_rate {
        parts.push(format!("sent at {}", prose::rate(s)));
    }
    if let Some(r) = d.dirty_rate {
        parts.push(format!("dirtied at {}", prose::rate(r)));
    }
    parts.push(format!("downtime-limit {}", prose::limit(d.limit_in_force)));
    if let Some(i) = &a.advice.inputs {
        parts.push(match &i.qemu_version {
            Some(v) => format!("QEMU {v}"),
            None => i.dialect.clone(),
        });
    }
    format!("For: {}", parts.join(" · "))
}

fn kebab<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Diagnosis, plan, copy buttons, confidence: what the person acts on. A plain
/// function (no hooks), called by the root: it is in the first paint, and it changes
/// with the analysis, which is what re-renders the root.
pub fn plan_head(a: &Analysis, compact: bool) -> Html {
    let p = &a.plan;
    let seen = Seen::default();
    html! {
        <section class="plan card" id="plan" aria-labelledby="plan-h" data-verdict={kebab(p.diagnosis.verdict)}>
            <h2 id="plan-h">{"What to do"}</h2>
            if compact {
                <p class="inputs" id="inputs-line">{inputs_line(a)}</p>
            }
            <p class="diagnosis" id="diagnosis">{linked(&p.diagnosis.text, &seen)}</p>
            <p class="plan-text" id="plan-text" data-kind={kebab(p.action.kind)}
                data-pause-low={p.action.pause.as_ref().and_then(|x| x.low).map(|l| l.0.to_string()).unwrap_or_default()}
                data-pause-high={p.action.pause.as_ref().map(|x| x.high.0.to_string()).unwrap_or_default()}>
                <strong>{"Plan: "}</strong>{&p.action.text}</p>
            if !p.action.steps.is_empty() {
                <ol class="plan-steps" id="plan-steps">{ for p.action.steps.iter().enumerate().map(|(n, s)| step(n, s)) }</ol>
            }
            <p class="confidence" id="plan-confidence" data-level={p.confidence.level.name()}>
                <strong>{format!("Confidence: {}", p.confidence.level.name())}</strong>
                if let Some(r) = p.confidence.raise_by.first() { {format!(". To raise it: {r}")} }
                {"."}
            </p>
            if !compact && !p.confidence.reasons.is_empty() {
                <details class="reasons" id="plan-reasons">
                    <summary>{"Why this confidence"}</summary>
                    <ul>{ for p.confidence.reasons.iter().map(|x| html! { <li>{linked(x, &seen)}</li> }) }</ul>
                    if p.confidence.raise_by.len() > 1 {
                        <p>{"Also raises it: "}{p.confidence.raise_by[1..].join("; ")}{"."}</p>
                    }
                </details>
            }
        </section>
    }
}

fn option_row(n: usize, o: &RankedOption, compact: bool, seen: &Seen) -> Html {
    let applies = match o.applies {
        Applies::Now => "now",
        Applies::RestartMigration => "restart the migration",
        Applies::RestartGuest => "restart the guest",
    };
    html! {
        <tr data-lever={kebab(o.lever)}>
            <th scope="row">{linked(o.lever.name(), seen)}<small>{&o.setting}</small></th>
            <td class="num" data-label="Guest pause">{o.pause.describe()}</td>
            <td class="num" data-label="Done in">{o.total_time.map(prose::duration).unwrap_or_else(|| if o.applies == Applies::Now { "not known".into() } else { "after a restart".into() })}</td>
            <td data-label="Applies">{applies}</td>
            if !compact {
                <td class="costs" data-label="Costs"><ul>{ for o.costs.iter().map(|c| html! { <li>{linked(&c.text, seen)}</li> }) }</ul></td>
                <td class="option-command" data-label="Command">
                    if let Some(c) = o.commands.first() {
                        <CopyCommand id={format!("copy-option{}", n + 1)} label={c.interface.label()} text={c.text.clone()} />
                    }
                    if o.commands.len() > 1 {
                        <details class="more-commands"><summary>{format!("{} more", o.commands.len() - 1)}</summary>
                            <ul>{ for o.commands.iter().skip(1).map(|c| html! {
                                <li><span class="copy-label">{c.interface.label()}</span>{" "}<code>{&c.text}</code></li>
                            }) }</ul>
                        </details>
                    }
                </td>
            }
        </tr>
    }
}

fn stack(p: &Plan) -> Html {
    if p.stack.is_empty() {
        return html! {};
    }
    html! {
        <details class="stack" id="stack">
            <summary>{"The same in nova, KubeVirt, oVirt or Proxmox"}</summary>
            <div class="table-scroll">
                <table class="data stack-table">
                    <thead><tr>{col_heads(&["Stack", "Setting", "On these numbers"])}</tr></thead>
                    <tbody>
                        { for p.stack.iter().map(|s| html! {
                            <tr data-stack={kebab(s.stack)}>
                                <th scope="row">{s.stack.name()}</th>
                                <td><code class="setting">{&s.setting}</code></td>
                                <td>{&s.effect}<small class="source">{format!(" Source: {}.", s.source)}</small></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// The options ranked by pause, what the plan's notes add, and the stacks' settings;
/// `compact` is the embed's: without costs and commands, no stack settings. A plain
/// function (no hooks), like `plan_head`: as a component it added only Yew's glue.
pub fn plan_options(a: &Analysis, compact: bool) -> Html {
    let p = &a.plan;
    if p.options.is_empty() && p.action.notes.is_empty() {
        return html! {};
    }
    let seen = Seen::default();
    html! {
        <section class="options card" id="options" aria-labelledby="options-h">
            <h2 id="options-h">{"Every option, shortest pause first"}</h2>
            if !p.action.notes.is_empty() {
                <p class="notes-lead">{"About the plan's pause:"}</p>
                <ul class="plan-notes" id="plan-notes">{ for p.action.notes.iter().map(|n| html! { <li>{linked(n, &seen)}</li> }) }</ul>
            }
            if !p.options.is_empty() {
                <div class="table-scroll">
                    <table ~className={if compact { "data options-table compact" } else { "data options-table" }} id="options-table">
                        <thead><tr>
                            {col_heads(&["Option", "Guest pause", "Done in", "Applies"])}
                            if !compact { {col_heads(&["Costs", "Command"])} }
                        </tr></thead>
                        <tbody>{ for p.options.iter().enumerate().map(|(n, o)| option_row(n, o, compact, &seen)) }</tbody>
                    </table>
                </div>
            }
            if !p.not_offered.is_empty() && !compact {
                <ul class="not-offered" id="not-offered">
                    { for p.not_offered.iter().map(|n| html! { <li><strong>{format!("Not offered: {}", n.lever.name())}</strong>{format!(": {}", n.reason)}</li> }) }
                </ul>
            }
            if !compact { { stack(p) } }
        </section>
    }
}
