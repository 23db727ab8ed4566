//! WebDriver tests of the trunk-built page (dist/) in headless Chromium. They need
//! dist/ and chromedriver, so plain `cargo test` skips them (#[ignore]); `make test`
//! builds dist/ and runs them with `cargo test --test e2e -- --ignored`.
//!
//! - the page: the seed, every example against `converge --json`, editing, links,
//!   embed, storage, keyboard, screenshots and axe (seed, examples, interact, visual);
//! - privacy: every request the browser makes goes through a logging proxy while real
//!   examples and hostile markup are pasted; anything beyond the page's own files fails,
//!   and so does any CSP violation; a 10 MB paste: the tab survives (privacy);
//! - hosting: a `--public-url /some/sub/path/` build served by a plain static server
//!   renders, then works again with the server cut (offline; it runs `trunk build`);
//! - the typing pause and its race with an example (typing);
//! - the first render: plan first, the rest next, charts drawn when seen (first_render).
#![cfg(not(target_arch = "wasm32"))]

#[path = "../advice_support/mod.rs"]
mod advice_support;
mod examples;
mod first_render;
mod harness;
mod interact;
mod offline;
mod plan;
mod privacy;
mod quiet_browser;
mod seed;
mod server;
mod typing;
mod verdicts;
mod visual;
