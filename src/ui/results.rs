//! The headline numbers: the three formulas for the snapshot in focus, each with
//! a stable id and its unrounded value in `data-value` (the e2e tests read them).

use crate::core::derivation::Derivation;
use crate::core::units::group;
use crate::core::Analysis;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Rc<Analysis>,
}

fn value_of(d: &Derivation) -> Option<f64> {
    d.result.as_ref().map(|q| q.value)
}

/// One result: "1,475.94 ms" or a dash with the reason why there is none.
fn cell(id: &'static str, label: &'static str, v: Option<f64>, why: Option<&str>) -> Html {
    let (shown, data) = match v {
        Some(x) => (format!("{} ms", group(x, 2)), x.to_string()),
        None => ("—".to_string(), String::new()),
    };
    html! {
        <div class="result">
            <dt>{label}</dt>
            <dd>
                <output id={id} data-value={data}>{shown}</output>
                if let (None, Some(w)) = (v, why) { <small class="why">{w.to_string()}</small> }
            </dd>
        </div>
    }
}

#[function_component(Results)]
pub fn results(p: &Props) -> Html {
    let a = &p.analysis;
    let Some(f) = a.focus_formulas() else {
        return html! {
            <section id="results" aria-live="polite" class="results empty">
                <p>{"No migration statistics found yet: paste the output of "}<code>{"info migrate"}</code>
                   {", "}<code>{"query-migrate"}</code>{" or "}<code>{"virsh domjobinfo"}</code>{"."}</p>
            </section>
        };
    };
    html! {
        <section id="results" aria-live="polite" class="results">
            <dl>
                { cell("result-f1", "Formula 1 (QEMU 2.10-2.12)", value_of(&f.f1), f.f1.missing.as_deref()) }
                { cell("result-f2", "Formula 2 (QEMU 3.0+)", value_of(&f.f2), f.f2.missing.as_deref()) }
                if f.f2_decimal_ms.is_some() {
                    { cell("result-f2-decimal", "Formula 2, kbytes misread as 1000 bytes", f.f2_decimal_ms, None) }
                }
                { cell("result-f3", "Formula 3 (2019 proposal)", value_of(&f.f3), f.f3.missing.as_deref()) }
            </dl>
        </section>
    }
}
