//! Every formula for the snapshot in focus, with the printed value placed beside
//! the formula that reproduces it, and how the plan's limit is derived. Headers
//! are rounded; the steps keep every digit.

use super::derivation::derivation_view;
use crate::core::advice::Recommendation;
use crate::core::inference::PrintedFormula;
use crate::core::plan::prose;
use crate::core::units::group;
use crate::page::headings::switchover_heading;
use yew::prelude::*;

/// The recommendation's own derivation (margin, rounding, next sync): the plan
/// states the limit, this shows where it comes from.
fn limit_derivation(r: &Recommendation) -> Html {
    html! {
        <article class="derivation" id="d-limit" aria-labelledby="d-limit-h">
            <header>
                <h3 id="d-limit-h">{"Where the plan's downtime-limit comes from"}</h3>
                <p class="era">{"pending / bandwidth, with a margin for the confidence, rounded up to a value you can type"}</p>
                <p class="value"><output id="d-limit-value" data-value={r.downtime_limit_ms.0.to_string()}>{prose::limit(r.downtime_limit_ms)}</output></p>
            </header>
            <details>
                <summary>{"How"}</summary>
                <p class="basis">{&r.basis}</p>
                <p class="basis">{&r.pause_note}</p>
            </details>
        </article>
    }
}

/// Only when the plan or its options set this limit: no number the plan does not use.
fn in_plan(a: &crate::core::Analysis, r: &Recommendation) -> bool {
    let same = |l: crate::core::units::Millis| (l.0 - r.downtime_limit_ms.0).abs() < 0.5;
    a.plan.action.steps.iter().any(|s| s.limit.is_some_and(same))
        || a.plan.options.iter().any(|o| o.lever == crate::core::plan::Lever::DowntimeLimit && same(o.limit))
}

/// A plain function (no hooks): rendered inside `Reference` (src/ui/reference.rs).
pub fn formulas(a: &crate::core::Analysis) -> Html {
    let (Some(s), Some(f)) = (a.focus_snapshot(), a.focus_formulas()) else { return html! {} };
    let printed = s.expected_downtime.as_ref().map(|e| e.value.0);
    let by = f.printed_by.as_ref();
    let badge = |formula: PrintedFormula| -> Option<Html> {
        let (e, pb) = (printed?, by?);
        (pb.formula == formula).then(|| {
            html! { <><strong id="printed-match" data-formula={formula.as_str()}>{format!("QEMU printed {} ms", group(e, 0))}</strong>{": "}{&pb.explanation}</> }
        })
    };
    let echo = by.filter(|pb| matches!(pb.formula, PrintedFormula::Echo | PrintedFormula::Unknown));
    // The unrounded values for the tests, which compare them with `converge --json`.
    let raw = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    html! {
        <section class="formulas" id="formulas" aria-labelledby="formulas-h"
            data-printed={raw(printed)} data-f2-decimal={raw(f.f2_decimal_ms)}>
            <h2 id="formulas-h">{"How expected downtime is computed"}</h2>
            if let (Some(pb), Some(e)) = (echo, printed) {
                <p class="printed card" id="printed-other">
                    <strong>{format!("QEMU printed {} ms. ", group(e, 0))}</strong>{&pb.explanation}
                </p>
            }
            <div class="derivations">
                { derivation_view(&f.f1, badge(PrintedFormula::F1), None) }
                { derivation_view(&f.f2, badge(PrintedFormula::F2), None) }
                { derivation_view(&f.f3, None, None) }
                { derivation_view(&f.today, None, None) }
                { derivation_view(&f.switchover, None, Some(switchover_heading(f.switches_over))) }
                { a.advice.recommendation.as_ref().filter(|r| in_plan(a, r)).map(limit_derivation).unwrap_or_default() }
            </div>
        </section>
    }
}
