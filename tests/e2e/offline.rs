//! Hosted under a sub-path by a plain static server, then with the network cut.

use crate::harness::{page_ready, paste, root};
use crate::quiet_browser::with_browser;
use crate::server::Site;
use fantoccini::{Client, Locator};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

const SUB: &str = "/some/sub/path/";

/// `trunk build --release --public-url /some/sub/path/` into target/ (cargo's
/// build is shared with `make build`, so only wasm-bindgen + wasm-opt rerun).
fn build_for_sub_path() -> PathBuf {
    let out = root().join("target/e2e-subpath-dist");
    let path = format!("{}:{}", root().join("node_modules/.bin").display(), std::env::var("PATH").unwrap_or_default());
    let status = Command::new("trunk")
        .args(["build", "--release", "--public-url", SUB, "--dist"])
        .arg(&out)
        .current_dir(root())
        .env("PATH", path)
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .status()
        .unwrap_or_else(|e| panic!("cannot run trunk: {e} (`make setup` installs it)"));
    assert!(status.success(), "trunk build --public-url {SUB} failed");
    out
}

async fn f1(c: &Client) -> Result<Option<f64>, fantoccini::error::CmdError> {
    let e = c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("#d-f1-value")).await?;
    Ok(e.attr("data-value").await?.and_then(|v| v.parse().ok()))
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn sub_path_build_renders_then_works_offline_from_the_service_worker() {
    let dist = build_for_sub_path();
    let html = std::fs::read_to_string(dist.join("index.html")).expect("index.html");
    assert!(html.contains(&format!("'{SUB}converge-")), "the loader does not use the public URL");
    // A documentation page embedding it with the README's iframe snippet.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let snippet =
        readme.split("```html\n").nth(1).and_then(|r| r.split("```").next()).expect("an html snippet in the README");
    let docs = format!("<!DOCTYPE html><title>docs</title><h1>Docs</h1>{}", snippet.replace("/tools/converge/", SUB));
    std::fs::write(dist.join("docs-embed.html"), docs).expect("write the docs page");
    let site = Site::start(dist, SUB);
    with_browser(vec![], async |c| {
        // First visit: online, under the sub-path.
        c.goto(&site.url()).await?;
        page_ready(c).await?;
        let online = f1(c).await?;
        assert!(online.is_some_and(|v| (v - 1475.94).abs() < 0.01), "seed F1 online: {online:?}");
        let outside: Vec<_> = site.requests().into_iter().filter(|r| !r.path.starts_with(SUB)).collect();
        assert!(outside.is_empty(), "requests outside the sub-path: {outside:?}");
        // Wait until the service worker has precached everything and controls the page.
        let ready = c
            .execute_async(
                "const done = arguments[0]; setTimeout(() => done('timeout'), 20000); \
                 navigator.serviceWorker.ready.then(r => { const check = () => navigator.serviceWorker.controller ? done(r.scope) : setTimeout(check, 100); check(); });",
                vec![],
            )
            .await?;
        assert_eq!(ready.as_str(), Some(site.url().as_str()), "service worker scope");

        // Embedded in a documentation page with the README's snippet.
        c.goto(&format!("{}docs-embed.html", site.url())).await?;
        c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("iframe")).await?;
        c.enter_frame(0).await?;
        // The embed shows the plan (issue 14): the same diagnosis as the full page.
        let diagnosis = c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("#diagnosis")).await?;
        let embedded = diagnosis.text().await?;
        assert!(
            embedded.starts_with("Stuck: the guest dirties 152 MiB/s"),
            "the embedded page computes the same: {embedded}"
        );
        c.enter_parent_frame().await?;
        c.goto(&site.url()).await?;
        page_ready(c).await?;

        // Network cut: every connection to the host is dropped unanswered.
        site.cut();
        let before = site.requests().len();
        c.refresh().await?;
        page_ready(c).await?;
        let offline = f1(c).await?;
        assert_eq!(offline, online, "offline reload shows another result");
        // It still computes offline.
        paste(
            c,
            &std::fs::read_to_string(root().join("tests/data/corpus/seed/as_pasted.txt"))?
                .replace("throughput: 866.83 mbps", "throughput: 1733.66 mbps"),
        )
        .await?;
        let halved = f1(c).await?;
        assert!(halved.is_some_and(|v| (v - 1475.94 / 2.0).abs() < 0.01), "offline recompute: {halved:?}");
        let tried: Vec<_> = site.requests().into_iter().skip(before).collect();
        assert!(tried.iter().all(|r| !r.served), "something was served after the cut: {tried:?}");
        eprintln!("offline: reload served by the service worker; {} requests tried the dead network", tried.len());
        Ok(())
    });
}
