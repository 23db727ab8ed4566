//! One formula as readable steps: a header that reads well on its own (title,
//! era, result, what QEMU printed when this formula reproduces it), the steps
//! in a collapsible list, and the notes that say what the number means.

use super::line_link::line_link;
use crate::core::derivation::Derivation;
use crate::page::headings::result_text;
use yew::prelude::*;

/// A plain function, not a component (issue 12: a component costs its own copy of Yew's
/// lifecycle code in the wasm, and its props a clone and a deep compare of the derivation
/// on each render of the formulas section, which re-renders only for a new analysis). `printed`: "QEMU printed 1475 ms" when this is the formula
/// that reproduces the printed value; `verdict`: the header's result in words when the
/// engine gives one (the switchover step), otherwise the derivation's result.
pub fn derivation_view(d: &Derivation, printed: Option<Html>, verdict: Option<&str>) -> Html {
    let key = d.id.key();
    let value = d.result.as_ref().map(|q| q.value.to_string()).unwrap_or_default();
    html! {
        <article ~className={if d.result.is_none() { "derivation none" } else { "derivation" }} id={format!("d-{key}")} aria-labelledby={format!("d-{key}-h")}>
            <header>
                <h3 id={format!("d-{key}-h")}>{&d.title}</h3>
                <p class="era">{&d.era}</p>
                <p class="value"><output id={format!("d-{key}-value")} data-value={value}>{verdict.map(str::to_string).unwrap_or_else(|| result_text(d))}</output></p>
                if let Some(pr) = printed { <p class="printed">{pr}</p> }
            </header>
            if let Some(m) = &d.missing { <p class="missing">{"Missing: "}{m}</p> }
            if !d.steps.is_empty() {
                <details>
                    <summary>{format!("{} steps", d.steps.len())}</summary>
                    <ol class="steps">
                        { for d.steps.iter().map(|s| html! {
                            <li>
                                <p class="what">{&s.what}{" "}{ s.line.map(line_link).unwrap_or_default() }</p>
                                <p class="expr"><code>{&s.expr}</code>{" = "}<strong>{s.value.show(2)}</strong></p>
                            </li>
                        }) }
                    </ol>
                </details>
            }
            if !d.notes.is_empty() {
                <ul class="notes">{ for d.notes.iter().map(|n| html! { <li>{n}</li> }) }</ul>
            }
        </article>
    }
}
