//! Small hooks the page's root uses.

mod use_debounce;
mod use_redraw_tick;

pub use use_debounce::use_debounce;
pub use use_redraw_tick::use_redraw_tick;
