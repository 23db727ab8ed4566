//! Headless Chromium for the privacy tests: the page harness's browser (fresh
//! profile per session, so no service worker or cache carries over) with
//! Chromium's own background traffic switched off, so the record is the page's.

use crate::harness::{run_with, Browser, R};
use fantoccini::Client;

/// Chromium's own traffic (updates, time, sign-in, search preconnect) is not the page's.
const QUIET: &[&str] = &[
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pings",
    "--disable-client-side-phishing-detection",
    "--disable-domain-reliability",
    "--disable-search-engine-choice-screen",
    "--disable-field-trial-config",
    "--no-service-autorun",
    "--metrics-recording-only",
    "--password-store=basic",
    "--disable-breakpad",
    "--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,\
     NetworkTimeServiceQuerying,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,\
     PrivacySandboxSettings4,SafeBrowsing,PreconnectToSearch,SignInProfileCreation,AccountConsistency",
];

pub fn with_browser(extra: Vec<String>, f: impl AsyncFnOnce(&Client) -> R) {
    let mut args: Vec<String> = QUIET.iter().map(|s| s.to_string()).collect();
    args.extend(extra);
    run_with(Browser::default(), args, f)
}
