//! Small hooks the page's root uses.

mod use_debounce;
mod use_deflated;
mod use_painted;
mod use_redraw_tick;

pub use use_debounce::use_debounce;
pub use use_deflated::use_deflated;
pub use use_painted::use_painted;
pub use use_redraw_tick::use_redraw_tick;
