//! The Yew page (wasm32 only): paste area, parameter form, the formulas as
//! steps, the advice, charts. Every view reads one `Analysis` computed from the
//! text and the form's overrides; nothing here does domain arithmetic.

mod advice;
mod app;
pub mod bench; // hidden timing hooks for `make bench`
mod big_paste;
mod charts;
mod copy;
mod derivation;
pub mod examples;
mod form;
mod formulas;
mod levers;
mod paste;
mod ramps;
mod results;
mod storage;
mod theme;
pub mod url_state;

pub use app::App;

/// Mount the page on <body>.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
