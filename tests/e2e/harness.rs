//! Test plumbing: dist/ served by server.rs, one chromedriver per test, a
//! headless Chromium session, and helpers to read the page.

use crate::server::Site;
use fantoccini::{error::CmdError, wd::WebDriverCompatibleCommand, Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

pub type R<T = ()> = Result<T, Box<dyn std::error::Error>>;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where screenshots go (git-ignored).
pub fn artifacts() -> PathBuf {
    let d = root().join("tests/artifacts");
    let _ = std::fs::create_dir_all(&d);
    d
}

/// Serve dist/ on 127.0.0.1 for the whole test process; returns the base URL.
pub fn base_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let dist = root().join("dist");
        assert!(
            dist.join("index.html").exists(),
            "dist/index.html is missing: run `make test` (or `trunk build --release`) before these tests"
        );
        Site::start(dist, "/").url()
    })
}

/// Kills chromedriver when the test ends, also on panic.
struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The browser's profile directory, unique to one test. On drop it ends the
/// Chromium processes started with it (found by that path, killed by PID: a test
/// that panics never reaches `close()`, and its browser would outlive it) and
/// removes the directory.
struct Profile(PathBuf);
impl Drop for Profile {
    fn drop(&mut self) {
        let needle = self.0.display().to_string();
        if let Ok(procs) = std::fs::read_dir("/proc") {
            for p in procs.flatten() {
                let Ok(pid) = p.file_name().to_string_lossy().parse::<u32>() else { continue };
                let cmd = std::fs::read(p.path().join("cmdline")).unwrap_or_default();
                if String::from_utf8_lossy(&cmd).contains(&needle) {
                    let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How to start the browser.
#[derive(Clone, Copy)]
pub struct Browser {
    pub width: u32,
    pub height: u32,
}

impl Default for Browser {
    fn default() -> Self {
        Browser { width: 1280, height: 1000 }
    }
}

/// One browser at a time: the machine has 2 cores and Chromium is heavy.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// Start chromedriver + headless Chromium, run `f`, always close both.
pub fn run(b: Browser, f: impl AsyncFnOnce(&Client) -> R) {
    run_with(b, Vec::new(), f)
}

/// `run` with extra Chromium flags (the privacy tests add a proxy and silence
/// Chromium's own background traffic).
pub fn run_with(b: Browser, extra: Vec<String>, f: impl AsyncFnOnce(&Client) -> R) {
    let _one = ONE_BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    base_url(); // fails early, before a browser starts, when dist/ is missing
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let exe = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let child = Command::new(&exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {exe}: {e} (apt-get install chromium-driver, or `make setup`)"));
    let _driver = Driver(child);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let result: R = rt.block_on(async {
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = Profile(std::env::temp_dir().join(format!("converge-e2e-{}-{port}", std::process::id())));
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--hide-scrollbars".into(),
            format!("--user-data-dir={}", profile.0.display()),
            format!("--window-size={},{}", b.width, b.height),
        ];
        args.extend(extra);
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }));
        caps.insert("goog:loggingPrefs".into(), serde_json::json!({ "browser": "ALL" }));
        let c = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await?;
        let r = f(&c).await;
        let _ = c.close().await;
        drop(profile);
        r
    });
    if let Err(e) = result {
        panic!("e2e failed: {e}");
    }
}

/// Open the page (optionally with a hash) and wait until the app has rendered.
pub async fn open(c: &Client, hash: &str) -> R {
    c.goto(&format!("{}{}", base_url(), hash)).await?;
    page_ready(c).await
}

/// Wait for the whole page: the paste and the plan come first, what is below them
/// in the task after the first paint (src/ui/deferred.rs), the glossary last.
pub async fn page_ready(c: &Client) -> R {
    c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("#paste")).await?;
    c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("#glossary")).await?;
    Ok(())
}

/// Each chart's draw count (`data-drawn` on its canvas; 0: never drawn), by canvas id.
pub async fn chart_draws(c: &Client) -> R<serde_json::Value> {
    Ok(c.execute(
        "return Object.fromEntries([...document.querySelectorAll('figure.chart canvas')].map(cv => [cv.id, Number(cv.dataset.drawn || 0)]))",
        vec![],
    )
    .await?)
}

/// Charts draw only once scrolled into view (src/ui/charts.rs): bring each into view
/// in turn, wait a few frames for it to draw or redraw, and go back to where the
/// page was. Returns the draw counts after.
pub async fn show_charts(c: &Client) -> R<serde_json::Value> {
    c.execute_async(
        "const done = arguments[arguments.length - 1]; const y = scrollY; \
         const frames = n => new Promise(r => { const f = () => n-- > 0 ? requestAnimationFrame(f) : setTimeout(r, 0); f(); }); \
         (async () => { for (const cv of document.querySelectorAll('figure.chart canvas')) { \
             cv.scrollIntoView({ block: 'center' }); \
             for (let i = 0; i < 50 && !cv.dataset.drawn; i++) await frames(1); \
             await frames(3); } \
           scrollTo(0, y); await frames(2); done(true); })();",
        vec![],
    )
    .await?;
    chart_draws(c).await
}

/// The unrounded value a result element carries in `data-value`.
pub async fn value(c: &Client, css: &str) -> R<Option<f64>> {
    let e = c.find(Locator::Css(css)).await?;
    let v = e.attr("data-value").await?.unwrap_or_default();
    Ok(v.parse::<f64>().ok())
}

/// An unrounded number the page keeps in another attribute than `data-value`.
pub async fn attr_value(c: &Client, css: &str, attr: &str) -> R<Option<f64>> {
    let v = c.find(Locator::Css(css)).await?.attr(attr).await?.unwrap_or_default();
    Ok(v.parse::<f64>().ok())
}

/// Replace the paste area's text the way a paste does (one input event).
pub async fn paste(c: &Client, text: &str) -> R {
    c.execute(
        "const t = document.getElementById('paste'); t.focus(); t.value = arguments[0]; \
         t.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));",
        vec![serde_json::Value::String(text.to_string())],
    )
    .await?;
    settle(c).await
}

/// Stand in for the clipboard: what the page copies lands in `window.__copied`.
pub async fn catch_copies(c: &Client) -> R {
    c.execute(
        "Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: t => { window.__copied = t; return Promise.resolve(); } } });",
        vec![],
    )
    .await?;
    Ok(())
}

/// Let Yew re-render (it schedules renders on a microtask / animation frame).
pub async fn settle(c: &Client) -> R {
    c.execute_async(
        "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => setTimeout(done, 0));",
        vec![],
    )
    .await?;
    Ok(())
}

pub async fn screenshot(c: &Client, name: &str) -> R {
    let png = c.screenshot().await?;
    std::fs::write(artifacts().join(name), png)?;
    Ok(())
}

/// GET /session/{id}/se/log {type: browser}: Chromium's console messages since the last call.
#[derive(Debug)]
struct BrowserLog;
impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or("")))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// POST /session/{id}/goog/cdp/execute: one Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp(serde_json::Value);
impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or("")))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

pub async fn cdp(c: &Client, cmd: &str, params: serde_json::Value) -> Result<serde_json::Value, CmdError> {
    c.issue_cmd(Cdp(serde_json::json!({ "cmd": cmd, "params": params }))).await
}

/// A phone-sized viewport (Chromium's windows cannot be narrower than about 500 px).
pub async fn emulate_width(c: &Client, width: u32, height: u32) -> R {
    cdp(
        c,
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": true }),
    )
    .await?;
    Ok(())
}

/// prefers-color-scheme: dark, as a system setting would give it.
pub async fn emulate_dark(c: &Client) -> R {
    cdp(
        c,
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )
    .await?;
    Ok(())
}

/// The whole page, not only the viewport (charts drawn first), in parts of at most 1,400 px
/// (`name` for the first, `name-2.png`, ... for the rest) so each can be looked at.
pub async fn full_screenshot(c: &Client, name: &str) -> R {
    show_charts(c).await?;
    let size = c
        .execute("const e = document.documentElement; return [e.clientWidth, Math.ceil(e.scrollHeight)]", vec![])
        .await?;
    let w = size[0].as_f64().unwrap_or(1280.0);
    let h = size[1].as_f64().unwrap_or(1000.0).min(20000.0);
    let stem = name.trim_end_matches(".png");
    let (mut y, mut part) = (0.0, 1);
    while y < h {
        let ph = (h - y).min(1400.0);
        let shot = cdp(
            c,
            "Page.captureScreenshot",
            serde_json::json!({ "format": "png", "captureBeyondViewport": true, "clip": { "x": 0, "y": y, "width": w, "height": ph, "scale": 1 } }),
        )
        .await?;
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap_or(""))?;
        let file = if part == 1 { format!("{stem}.png") } else { format!("{stem}-{part}.png") };
        std::fs::write(artifacts().join(file), png)?;
        y += ph;
        part += 1;
    }
    Ok(())
}

/// One element, e.g. a chart section (charts drawn first).
pub async fn element_screenshot(c: &Client, css: &str, name: &str) -> R {
    show_charts(c).await?;
    let r = c
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect(); \
             return [r.left + scrollX, r.top + scrollY, r.width, r.height]",
            vec![serde_json::Value::String(css.into())],
        )
        .await?;
    let f = |i: usize| r[i].as_f64().unwrap_or(0.0);
    let shot = cdp(
        c,
        "Page.captureScreenshot",
        serde_json::json!({ "format": "png", "captureBeyondViewport": true, "clip": { "x": f(0), "y": f(1), "width": f(2), "height": f(3).min(4000.0), "scale": 1 } }),
    )
    .await?;
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap_or(""))?;
    std::fs::write(artifacts().join(name), png)?;
    Ok(())
}

/// Console entries at WARNING or SEVERE, as "LEVEL message".
pub async fn console_problems(c: &Client) -> Result<Vec<String>, CmdError> {
    let v = c.issue_cmd(BrowserLog).await?;
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .filter(|e| matches!(e["level"].as_str(), Some("WARNING") | Some("SEVERE")))
        .map(|e| format!("{} {}", e["level"].as_str().unwrap_or(""), e["message"].as_str().unwrap_or("")))
        .collect())
}
