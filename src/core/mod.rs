//! The web-free engine: parsers, the snapshot model, formulas as derivations,
//! advice, and the text/JSON report. No yew, web-sys or gloo here.

pub mod advice;
pub mod analysis;
pub mod derivation;
pub mod flagged;
pub mod formulas;
pub mod inference;
pub mod model;
pub mod options;
pub mod parse;
pub mod plan;
pub mod report;
pub mod text;
pub mod units;
pub mod writer;

pub use analysis::{analyse, analyse_text, Analysis};
pub use options::{Options, Overrides, Platform};
