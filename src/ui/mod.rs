//! The Yew page (wasm32 only): paste area, parameter form, the formulas as
//! steps, the advice, charts. Every view reads one `Analysis` computed from the
//! text and the form's overrides; nothing here does arithmetic of its own
//! beyond chart scaling.

mod app;
pub mod bench; // hidden timing hooks for `make bench`
mod examples;
mod results;

pub use app::App;

/// Mount the page on <body>.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
