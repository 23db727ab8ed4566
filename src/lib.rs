//! Converge: explains QEMU live-migration expected downtime and recommends the
//! downtime-limit that makes a migration finish.
//!
//! `core` is web-free and tested natively; `page` is the page's browser-free
//! logic (state, form fields, link format, examples), also tested natively; `ui`
//! renders it with Yew (wasm32 only); `cli` is the command-line shell on the same
//! core (native only). ARCHITECTURE.md says who may import whom.

pub use converge_engine::core;
pub mod page;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(not(target_arch = "wasm32"))]
pub mod watch;
