//! Every formula for the snapshot in focus, with the printed value placed
//! beside the formula that reproduces it.

use super::derivation::DerivationView;
use super::shared::Shared;
use crate::core::inference::PrintedFormula;
use crate::core::units::group;
use crate::page::headings::switchover_heading;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared,
}

#[function_component(Formulas)]
pub fn formulas(p: &Props) -> Html {
    let a = &p.analysis;
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
    html! {
        <section class="formulas" aria-labelledby="formulas-h">
            <h2 id="formulas-h">{"How expected downtime is computed"}</h2>
            if let (Some(pb), Some(e)) = (echo, printed) {
                <p class="printed card" id="printed-other">
                    <strong>{format!("QEMU printed {} ms. ", group(e, 0))}</strong>{&pb.explanation}
                </p>
            }
            <DerivationView d={f.f1.clone()} printed={badge(PrintedFormula::F1)} />
            <DerivationView d={f.f2.clone()} printed={badge(PrintedFormula::F2)} />
            <DerivationView d={f.f3.clone()} />
            <DerivationView d={f.today.clone()} />
            <DerivationView d={f.switchover.clone()} verdict={AttrValue::from(switchover_heading(f.switches_over))} />
        </section>
    }
}
