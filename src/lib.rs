//! Converge: explains QEMU live-migration expected downtime and recommends the
//! downtime-limit that makes a migration finish.
//!
//! `core` is web-free and tested natively; `ui` is the Yew page (wasm32 only);
//! `cli` is the command-line shell on the same core (native only).

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(not(target_arch = "wasm32"))]
pub mod watch;
