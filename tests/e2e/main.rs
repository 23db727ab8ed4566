//! WebDriver tests of the trunk-built page (dist/) in headless Chromium.
//! `make test` builds dist/ first; run alone with `cargo test --test e2e`.
#![cfg(not(target_arch = "wasm32"))]

mod examples;
mod harness;
mod interact;
mod seed;
mod visual;
