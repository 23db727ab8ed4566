//! The Yew page (wasm32 only): paste area, parameter form, the formulas as
//! steps, the advice, charts. Every view reads one `Analysis` computed from the
//! page's `State` (src/page/state.rs); views render the engine's numbers and
//! verdicts and decide nothing of their own.
//!
//! A class that depends on state is set as the `className` property (`~className={..}`),
//! which is the class attribute in the DOM: html! turns `class={..}` into Yew's `Classes`,
//! an ordered set built on every render, about 1.9 KiB of wasm for five conditional classes
//! (issue 12). A literal `class="..."` stays an attribute.

mod app;
#[cfg(feature = "bench")]
pub mod bench; // timing hooks for `make bench`, only in its build
mod big_paste;
mod chart_axis;
mod chart_legend;
mod charts;
mod copy;
mod deferred;
mod deflate;
mod derivation;
mod embed;
mod form;
mod formulas;
mod glossary;
mod hooks;
mod in_view;
mod levers;
mod line_link;
mod location;
mod measured_canvas;
mod paste;
mod plan;
mod platform;
mod ramps;
mod reference;
mod shared;
mod state;
mod storage;
mod theme;

pub use app::App;

use crate::page::url_state::{ViewState, MAX_TEXT};

/// Mount the page on <body>. A link's text is inflated first (the browser's inflater is
/// asynchronous), so the page opens on it rather than switching to it.
pub fn start() {
    let opened = location::initial();
    let render = |link: ViewState| {
        yew::Renderer::<App>::with_props(app::Props { link }).render();
    };
    match opened.z {
        None => render(opened.view),
        Some(z) => yew::platform::spawn_local(async move {
            let text = deflate::inflate(&z, MAX_TEXT).await;
            render(ViewState { text, ..opened.view });
        }),
    }
}
