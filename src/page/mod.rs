//! The page's logic that needs no browser: what the user chose (`state`), the
//! form's fields, the link format, the examples, the big-paste cut and the
//! headings. Built and tested natively; `ui` (wasm32) renders it with Yew.
//! May import `core`; never `ui`, `cli`, yew or web-sys.

pub mod big_paste;
pub mod examples;
pub mod fields;
pub mod figures;
pub mod headings;
pub mod platform;
pub mod state;
pub mod theme;
pub mod url_state;
