//! What else can be pulled: the levers with their numeric effect, the hugepage
//! amplification, and the POWER8 -> POWER9 checklist.

use super::shared::Shared;
use crate::core::advice::{Hugepage, Lever, PowerPrereqs};
use crate::core::units::{group, human_duration};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared,
}

fn ms(v: f64) -> String {
    human_duration(v, 10_000.0, f64::INFINITY)
}

fn lever(l: &Lever) -> Html {
    let verdict = match l.converges_at_limit_in_force {
        Some(true) => "converges at the limit in force",
        Some(false) => "still needs a higher limit",
        None => "",
    };
    html! {
        <li class="lever">
            <h4>{&l.name}</h4>
            <p class="small">{"Now: "}{&l.current}</p>
            <p>{&l.effect}
                if let Some(n) = l.limit_needed_ms { {format!(" Limit then needed: {}.", ms(n))} }
                if !verdict.is_empty() { {format!(" Result: {verdict}.")} }
            </p>
            if !l.commands.is_empty() {
                <ul class="cmds">{ for l.commands.iter().map(|c| html! { <li><code>{c}</code></li> }) }</ul>
            }
            if !l.caveats.is_empty() {
                <ul class="caveats">{ for l.caveats.iter().map(|c| html! { <li>{"Caveat: "}{c}</li> }) }</ul>
            }
        </li>
    }
}

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
            <p class="small">{"Confidence: "}{&p.confidence}</p>
        </div>
    }
}

#[function_component(Levers)]
pub fn levers(p: &Props) -> Html {
    let adv = &p.analysis.advice;
    if adv.levers.is_empty() && adv.hugepage.is_none() && adv.power.is_none() {
        return html! {};
    }
    html! {
        <section class="levers card" id="levers" aria-labelledby="levers-h">
            <h2 id="levers-h">{"Other levers"}</h2>
            if !adv.levers.is_empty() {
                <ul class="lever-list">{ for adv.levers.iter().map(lever) }</ul>
            }
            <div class="levers-more">
                { adv.hugepage.as_ref().map(hugepage).unwrap_or_default() }
                { adv.power.as_ref().map(power).unwrap_or_default() }
            </div>
        </section>
    }
}
