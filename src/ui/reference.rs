//! Everything under the plan's options: the formulas, the charts, the ramps, the
//! levers and the glossary. One component around plain functions (each was its own
//! component: a component's machinery is ~0.7 KiB of wasm, issue 12). Still one
//! component, not functions called from the root: it renders only once `Deferred`
//! mounts it (not before the first paint), and skips re-rendering when the root
//! re-renders with the same analysis, theme and tick.

use super::charts::charts;
use super::formulas::formulas;
use super::glossary::glossary;
use super::levers::levers;
use super::ramps::ramps;
use super::shared::Shared;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared,
    pub dark: bool,
    pub tick: u32,
}

#[function_component(Reference)]
pub fn reference(p: &Props) -> Html {
    let a = &p.analysis;
    html! {
        <>
            { formulas(a) }
            { charts(a, p.dark, p.tick) }
            { ramps(a) }
            { levers(a) }
            { glossary() }
        </>
    }
}
