//! The recommendation card: the downtime-limit to set, the pause to expect, how
//! sure the advice is, the commands to set it, and the capped-bandwidth note.
//! Renders whatever the engine's advice provides and says so when it has none.

use super::copy::CopyCommand;
use crate::core::units::{group, human_bytes, Bytes};
use crate::core::Analysis;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Rc<Analysis>,
}

/// The commands that set downtime-limit to `ms`.
pub fn commands(ms: u64) -> [(&'static str, &'static str, String); 3] {
    [
        ("copy-hmp", "HMP", format!("migrate_set_parameter downtime-limit {ms}")),
        ("copy-qmp", "QMP", format!("{{\"execute\":\"migrate-set-parameters\",\"arguments\":{{\"downtime-limit\":{ms}}}}}")),
        ("copy-virsh", "virsh", format!("virsh migrate-setmaxdowntime DOMAIN {ms}")),
    ]
}

#[function_component(AdviceCard)]
pub fn advice_card(p: &Props) -> Html {
    let a = &p.analysis;
    let params = &a.paste.parameters;
    let capped = params.max_bandwidth.as_ref().filter(|m| !m.value.is_unlimited() && m.value.0 > 0.0);
    let avail = params.avail_switchover_bandwidth.as_ref().filter(|v| v.value.0 > 0.0);
    let Some(r) = &a.advice.recommendation else {
        return html! {
            <section class="advice card" id="advice" aria-labelledby="advice-h">
                <h2 id="advice-h">{"Recommendation"}</h2>
                <p id="no-recommendation">{"No recommendation for this paste: it needs a snapshot with remaining RAM and throughput."}</p>
            </section>
        };
    };
    let ms = r.downtime_limit_ms.max(0.0).ceil() as u64;
    let verdict = match r.converges_now {
        Some(true) => "At the current downtime-limit this migration converges.",
        Some(false) => "At the current downtime-limit this migration does not converge.",
        None => "The paste does not yet tell whether the current limit converges.",
    };
    html! {
        <section class="advice card" id="advice" aria-labelledby="advice-h">
            <h2 id="advice-h">{"Recommendation"}</h2>
            <p class="headline">
                {"Set downtime-limit to "}
                <output id="rec-limit" data-value={r.downtime_limit_ms.to_string()}>{format!("{} ms", group(ms as f64, 0))}</output>
                {"; expect the guest to pause for about "}
                <output id="rec-pause" data-value={r.expected_pause_ms.to_string()}>{format!("{} ms", group(r.expected_pause_ms, 0))}</output>
                {"."}
            </p>
            <p id="rec-verdict">{verdict}</p>
            <p class="basis">{"How sure: "}{&r.basis}</p>
            <div class="commands">
                { for commands(ms).into_iter().map(|(id, label, text)| html! {
                    <CopyCommand id={id} label={label} text={text} />
                }) }
            </div>
            <div class="note" id="capped-note">
                if let Some(m) = capped {
                    <p><strong>{"The bandwidth is capped: "}</strong>
                        {format!("max-bandwidth is {}/s. QEMU's estimate and its switchover test use the capped rate, but at switchover QEMU lifts the cap, so the real pause is usually shorter than the estimate.", human_bytes(Bytes(m.value.0)))}</p>
                }
                <p><strong>{"Alternative (QEMU 8.2+): "}</strong>
                    {"instead of raising the limit, tell QEMU how fast the link really is during switchover with avail-switchover-bandwidth (bytes/s); the threshold then uses that rate. "}
                    if let Some(v) = avail { {format!("It is set to {}/s here.", human_bytes(Bytes(v.value.0)))} }
                </p>
                <CopyCommand id="copy-avail" label="HMP" text="migrate_set_parameter avail-switchover-bandwidth LINK_BYTES_PER_SECOND" />
            </div>
            if let Some(s) = &a.advice.simulation {
                <p class="simulation" id="simulation">
                    {format!("Simulated pre-copy at the recommended limit: {} after {} pass{}, {} in total.",
                        if s.converges { "converges" } else { "does not converge" }, s.passes, if s.passes == 1 { "" } else { "es" },
                        format!("{} s", group(s.total_time_ms / 1000.0, 1)))}
                </p>
            }
        </section>
    }
}
