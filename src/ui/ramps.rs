//! How the management stacks' downtime ramps would fare with these numbers,
//! side by side.

use super::shared::col_heads;
use crate::core::units::{human_duration, Millis};
use crate::core::Analysis;
use yew::prelude::*;

fn ms(v: Millis) -> String {
    human_duration(v.0, 10_000.0, 60_000.0)
}

/// A plain function (no hooks): rendered inside `Reference` (src/ui/reference.rs).
pub fn ramps(a: &Analysis) -> Html {
    let r = &a.advice.ramps;
    if r.is_empty() {
        return html! {};
    }
    html! {
        <section class="ramps card" id="ramps" aria-labelledby="ramps-h">
            <h2 id="ramps-h">{"Downtime ramps of the management stacks, on these numbers"}</h2>
            <div class="ramp-grid">
                { for r.iter().map(|x| html! {
                    <article ~className={if x.converges { "ramp yes" } else { "ramp no" }}>
                        <h3>{&x.policy}</h3>
                        <p class="ramp-verdict"><strong>{if x.converges { "Converges" } else { "Does not converge" }}</strong>
                            if let Some(t) = x.converges_after_ms { {format!(" after {}", ms(t))} }
                            if let Some(l) = x.limit_reached_ms { {format!(", at a limit of {}", ms(l))} }
                            if let Some(pz) = x.pause_ms { {format!("; pause about {}", ms(pz))} }
                        </p>
                        <p class="small">{&x.outcome}</p>
                        <details>
                            <summary>{format!("Rule and schedule ({} steps)", x.schedule.len())}</summary>
                            <p class="small">{&x.rule}</p>
                            <table class="data">
                                <thead><tr>{col_heads(&["After", "Limit"])}</tr></thead>
                                <tbody>{ for x.schedule.iter().map(|s| html! { <tr><td>{ms(s.at_ms)}</td><td>{ms(s.limit_ms)}</td></tr> }) }</tbody>
                            </table>
                        </details>
                    </article>
                }) }
            </div>
        </section>
    }
}
