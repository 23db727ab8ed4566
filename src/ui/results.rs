//! The headline numbers: the three formulas for the snapshot in focus and what
//! QEMU printed, each with a stable id and the unrounded value in `data-value`
//! (the e2e tests read them). Announced politely to screen readers.

use super::shared::Shared;
use crate::core::derivation::Derivation;
use crate::core::units::group;
use crate::page::headings::printed_by;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared,
}

fn value_of(d: &Derivation) -> Option<f64> {
    d.result.as_ref().map(|q| q.value)
}

/// One result: "1,475.94 ms", or a dash with the reason there is none.
fn cell(id: &'static str, label: &'static str, era: &'static str, v: Option<f64>, why: Option<&str>) -> Html {
    let (shown, data) = match v {
        Some(x) => (format!("{} ms", group(x, 2)), x.to_string()),
        None => ("—".to_string(), String::new()),
    };
    html! {
        <div class="result">
            <dt>{label}<small>{era}</small></dt>
            <dd>
                <output id={id} data-value={data}>{shown}</output>
                if let (None, Some(w)) = (v, why) { <small class="why" title={w.to_string()}>{w.to_string()}</small> }
            </dd>
        </div>
    }
}

#[function_component(Results)]
pub fn results(p: &Props) -> Html {
    let a = &p.analysis;
    let (Some(s), Some(f)) = (a.focus_snapshot(), a.focus_formulas()) else {
        return html! {
            <section id="results" aria-live="polite" class="results empty card">
                <p>{"No migration statistics found yet: paste the output of "}<code>{"info migrate"}</code>
                   {", "}<code>{"query-migrate"}</code>{" or "}<code>{"virsh domjobinfo"}</code>{", or type the numbers into the form."}</p>
            </section>
        };
    };
    let printed = s.expected_downtime.as_ref().map(|e| e.value.0);
    let by = f.printed_by.as_ref().map(|p| printed_by(p.formula));
    html! {
        <section id="results" aria-live="polite" aria-atomic="false" class="results card" aria-label="Results">
            <dl>
                <div class="result printed">
                    <dt>{"QEMU printed"}<small>{by.unwrap_or("expected downtime")}</small></dt>
                    <dd><output id="printed" data-value={printed.map(|v| v.to_string()).unwrap_or_default()}>
                        {printed.map(|v| format!("{} ms", group(v, 0))).unwrap_or_else(|| "—".into())}</output>
                        if printed.is_none() { <small class="why">{"no expected downtime in this snapshot"}</small> }
                    </dd>
                </div>
                { cell("result-f1", "Formula 1", "QEMU 2.10-2.12", value_of(&f.f1), f.f1.missing.as_deref()) }
                { cell("result-f2", "Formula 2", "QEMU 3.0+, KiB-exact", value_of(&f.f2), f.f2.missing.as_deref()) }
                if f.f2_decimal_ms.is_some() {
                    { cell("result-f2-decimal", "Formula 2 in kB", "kbytes misread as 1000 bytes", f.f2_decimal_ms, None) }
                }
                { cell("result-f3", "Formula 3", "2019 proposal: next pass", value_of(&f.f3), f.f3.missing.as_deref()) }
                if let Some(r) = &a.advice.recommendation {
                    <div class="result recommended">
                        <dt>{"Set downtime-limit"}<small>{format!("{} confidence", r.confidence.level)}</small></dt>
                        <dd><output id="result-limit" data-value={r.downtime_limit_ms.to_string()}>{format!("{} ms", group(r.downtime_limit_ms, 0))}</output></dd>
                    </div>
                }
            </dl>
        </section>
    }
}
