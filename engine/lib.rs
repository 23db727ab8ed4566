//! Converge's web-free engine, built as its own crate (see engine/Cargo.toml for why);
//! the code lives in src/core and is used as `converge::core`.

#[path = "../src/core/mod.rs"]
pub mod core;
