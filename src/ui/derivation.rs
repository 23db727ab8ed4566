//! One formula as readable steps: a header that reads well on its own (title,
//! era, result, what QEMU printed when this formula reproduces it), the steps
//! in a collapsible list, and the notes that say what the number means.

use super::line_link::line_link;
use crate::core::derivation::Derivation;
use crate::page::headings::result_text;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub d: Derivation,
    /// "QEMU printed 1475 ms" when this is the formula that reproduces the printed value.
    #[prop_or_default]
    pub printed: Option<Html>,
    #[prop_or_default]
    pub open: bool,
    /// The header's result in words when the engine gives a verdict (the switchover
    /// step); otherwise the derivation's result.
    #[prop_or_default]
    pub verdict: Option<AttrValue>,
    /// Extra content under the notes (the KiB vs kB comparison, ...).
    #[prop_or_default]
    pub children: Html,
}

#[function_component(DerivationView)]
pub fn derivation_view(p: &Props) -> Html {
    let d = &p.d;
    let key = d.id.key();
    let value = d.result.as_ref().map(|q| q.value.to_string()).unwrap_or_default();
    html! {
        <article class={classes!("derivation", d.result.is_none().then_some("none"))} id={format!("d-{key}")} aria-labelledby={format!("d-{key}-h")}>
            <header>
                <h3 id={format!("d-{key}-h")}>{&d.title}</h3>
                <p class="era">{&d.era}</p>
                <p class="value"><output id={format!("d-{key}-value")} data-value={value}>{p.verdict.clone().map(|v| v.to_string()).unwrap_or_else(|| result_text(d))}</output></p>
                if let Some(pr) = &p.printed { <p class="printed">{pr.clone()}</p> }
            </header>
            if let Some(m) = &d.missing { <p class="missing">{"Missing: "}{m}</p> }
            if !d.steps.is_empty() {
                <details open={p.open}>
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
            { p.children.clone() }
        </article>
    }
}
