//! What the options table does not say: the hugepage amplification behind a POWER
//! hash-MMU guest's pending, and the POWER8 -> POWER9 checklist. The levers
//! themselves (with their pause, time and command) are the plan's options table.

use crate::core::advice::{Hugepage, PowerPrereqs};
use crate::core::units::group;
use yew::prelude::*;

fn hugepage(h: &Hugepage) -> Html {
    html! {
        <div id="hugepage">
            <h3>{format!("Hugepage amplification: x{}", group(h.amplification, 0))}</h3>
            <ul class="notes">{ for h.notes.iter().map(|n| html! { <li>{n}</li> }) }</ul>
        </div>
    }
}

fn power(p: &PowerPrereqs) -> Html {
    html! {
        <div id="power">
            <h3>{"POWER8 → POWER9 checklist"}</h3>
            <ol class="checklist">{ for p.items.iter().map(|i| html! { <li>{i}</li> }) }</ol>
            <p class="small" id="power-basis">{"What is verified: "}{&p.basis}{"."}</p>
        </div>
    }
}

/// A plain function (no hooks): rendered inside `Reference` (src/ui/reference.rs).
pub fn levers(a: &crate::core::Analysis) -> Html {
    let adv = &a.advice;
    if adv.hugepage.is_none() && adv.power.is_none() {
        return html! {};
    }
    html! {
        <section class="levers card" id="levers" aria-labelledby="levers-h">
            <h2 id="levers-h">{"Huge pages and POWER"}</h2>
            <div class="levers-more">
                { adv.hugepage.as_ref().map(hugepage).unwrap_or_default() }
                { adv.power.as_ref().map(power).unwrap_or_default() }
            </div>
        </section>
    }
}
