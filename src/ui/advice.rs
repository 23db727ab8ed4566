//! The recommendation card: the downtime-limit to set, the pause to expect, how
//! sure the advice is and why, the commands to set it, and the capped-bandwidth
//! note with the avail-switchover-bandwidth alternative. Renders whatever the
//! engine's advice provides and says so when it has none.

use super::copy::CopyCommand;
use super::shared::Shared;
use crate::core::advice::{Recommendation, SwitchoverBandwidth};
use crate::core::units::{group, human_bytes, human_duration, Bytes};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared,
}

fn ms(v: f64) -> String {
    human_duration(v, 10_000.0, f64::INFINITY)
}

#[function_component(AdviceCard)]
pub fn advice_card(p: &Props) -> Html {
    let a = &p.analysis;
    let adv = &a.advice;
    html! {
        <section class="advice card" id="advice" aria-labelledby="advice-h">
            <h2 id="advice-h">{"Recommendation"}</h2>
            { adv.recommendation.as_ref().map(recommendation).unwrap_or_else(|| html! {
                <p id="no-recommendation">{"No recommendation for this paste: it needs a snapshot with remaining RAM and throughput (or type them into the form)."}</p>
            }) }
            if let Some(s) = &adv.simulation {
                <p class="simulation" id="simulation"><strong>{"At the limit in force: "}</strong>{&s.outcome}</p>
            }
            if let Some(s) = &adv.simulation_at_recommended {
                <p class="simulation" id="simulation-rec"><strong>{"At the recommended limit: "}</strong>{&s.outcome}</p>
            }
            { adv.switchover_bandwidth.as_ref().map(switchover).unwrap_or_default() }
            if !adv.notes.is_empty() {
                <ul class="notes">{ for adv.notes.iter().map(|n| html! { <li>{n}</li> }) }</ul>
            }
        </section>
    }
}

fn recommendation(r: &Recommendation) -> Html {
    let verdict = match r.converges_now {
        Some(true) => format!("At the limit in force ({}) this migration converges.", ms(r.limit_in_force_ms)),
        Some(false) => format!(
            "At the limit in force ({}{}) this migration does not converge.",
            ms(r.limit_in_force_ms),
            if r.limit_pasted { "" } else { ", QEMU's default" }
        ),
        None => "The paste does not yet tell whether the limit in force converges.".to_string(),
    };
    let level = r.confidence.level.as_str();
    html! {
        <>
            <p class="headline">
                {"Set downtime-limit to "}
                <output id="rec-limit" data-value={r.downtime_limit_ms.to_string()}>{format!("{} ms", group(r.downtime_limit_ms, 0))}</output>
                {"; the guest then pauses for about "}
                <output id="rec-pause" data-value={r.expected_pause_ms.to_string()}>{ms(r.expected_pause_ms)}</output>
                if let Some(l) = r.pause_at_link_ms { {format!(" ({} at the link's speed)", ms(l))} }
                {"."}
            </p>
            <p id="rec-verdict" class={classes!("verdict", r.converges_now.map(|c| if c { "yes" } else { "no" }))}>{verdict}</p>
            <p class="confidence" id="rec-confidence">
                <strong>{format!("How sure: {level}")}</strong>{format!(" (+{} % margin). ", group(r.confidence.margin_pct, 0))}{&r.basis}
            </p>
            <details class="reasons">
                <summary>{"Why this confidence"}</summary>
                <ul>{ for r.confidence.reasons.iter().map(|x| html! { <li>{x}</li> }) }</ul>
                <p>{&r.pause_note}</p>
            </details>
            if r.exceeds_qemu_max {
                <p class="warning" role="note"><strong>{"Warning: "}</strong>{"the limit this needs is above QEMU's maximum of 2,000 s: raising the limit alone cannot finish this migration."}</p>
            }
            if let (Some(b), Some(l)) = (r.next_sync_bytes, r.next_sync_limit_ms) {
                <p class="note-inline">{format!("If the guest keeps dirtying at the printed rate, the next sync may leave {} pending, which would need {}.", human_bytes(Bytes(b)), ms(l))}</p>
            }
            <div class="commands">
                <CopyCommand id="copy-hmp" label="HMP" text={r.commands.hmp.clone()} />
                <CopyCommand id="copy-qmp" label="QMP" text={r.commands.qmp.clone()} />
                <CopyCommand id="copy-virsh" label="virsh" text={r.commands.virsh.clone()} />
            </div>
            <p class="small">{"QEMU before 2.8 sets it in seconds: "}<code>{&r.commands.hmp_old_seconds}</code></p>
            if !r.warnings.is_empty() {
                <ul class="warnings">{ for r.warnings.iter().map(|w| html! { <li><strong>{"Before you set it: "}</strong>{w}</li> }) }</ul>
            }
        </>
    }
}

fn switchover(s: &SwitchoverBandwidth) -> Html {
    html! {
        <div class="note" id="capped-note">
            <h3>{"Capped bandwidth and avail-switchover-bandwidth"}</h3>
            <ul>{ for s.explanation.iter().map(|x| html! { <li>{x}</li> }) }</ul>
            <table class="data" id="links-table">
                <caption>{"Limit needed if avail-switchover-bandwidth is set to the link's speed"}</caption>
                <thead><tr><th scope="col">{"Link"}</th><th scope="col">{"Limit needed"}</th><th scope="col">{"Limit in force enough?"}</th></tr></thead>
                <tbody>
                    { for s.links.iter().map(|l| html! {
                        <tr><th scope="row">{&l.label}</th><td>{ms(l.limit_needed_ms)}</td><td>{if l.limit_in_force_enough { "yes" } else { "no" }}</td></tr>
                    }) }
                </tbody>
            </table>
            <div class="commands">
                { for s.commands.iter().enumerate().map(|(i, c)| html! {
                    <CopyCommand id={if i == 0 { "copy-avail" } else { "copy-avail-qmp" }} label={if c.starts_with('{') { "QMP" } else { "HMP" }} text={c.clone()} />
                }) }
            </div>
        </div>
    }
}
