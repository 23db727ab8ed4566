//! Issue 6 in a real browser (headless Chromium via chromedriver):
//! - privacy: every request the browser makes goes through a logging proxy
//!   while real examples and hostile markup are pasted; anything beyond the
//!   page's own files fails the test, and so does any CSP violation;
//! - a 10 MB paste: the tab survives and answers; the freeze is measured;
//! - hosting: a `--public-url /some/sub/path/` build served by a plain static
//!   server renders, then works again with the server cut (service worker).
//! Needs dist/ (`make test` builds it); the sub-path test runs `trunk build` itself.
#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code)]
#[path = "../e2e/harness.rs"]
mod harness;

mod browser;
mod net;
mod offline;
mod privacy;
mod typing;
