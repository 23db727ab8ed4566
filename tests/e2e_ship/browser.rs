//! Headless Chromium through chromedriver, with extra flags (a proxy) and a
//! fresh profile per session, so no service worker or cache carries over.

use crate::harness::R;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The browser's profile directory, unique to one session. On drop (also when
/// a test panics and never reaches `close()`) it ends the Chromium processes
/// started with it, found by that path and killed by PID, and removes it.
struct Profile(std::path::PathBuf);
impl Drop for Profile {
    fn drop(&mut self) {
        let needle = self.0.display().to_string();
        for p in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = p.file_name().to_string_lossy().parse::<u32>() else { continue };
            let cmd = std::fs::read(p.path().join("cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmd).contains(&needle) {
                let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            }
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One browser at a time: 2 cores, and the timings below must not compete.
static ONE: Mutex<()> = Mutex::new(());

pub fn with_browser(extra: Vec<String>, f: impl AsyncFnOnce(&Client) -> R) {
    let _one = ONE.lock().unwrap_or_else(|p| p.into_inner());
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let exe = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let child = Command::new(&exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {exe}: {e} (apt-get install chromium-driver, or `make setup`)"));
    let _driver = Driver(child);
    let profile = Profile(std::env::temp_dir().join(format!("converge-ship-{}-{port}", std::process::id())));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let result: R = rt.block_on(async {
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut args: Vec<String> = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            // Chromium's own background traffic (updates, time, sign-in, search
            // preconnect) is not the page's: switch it off so the record is the page's.
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--no-first-run", "--no-default-browser-check", "--no-pings",
            "--disable-client-side-phishing-detection", "--disable-domain-reliability",
            "--disable-search-engine-choice-screen", "--disable-field-trial-config", "--no-service-autorun",
            "--metrics-recording-only", "--password-store=basic", "--disable-breakpad",
            "--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,\
             NetworkTimeServiceQuerying,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,\
             PrivacySandboxSettings4,SafeBrowsing,PreconnectToSearch,SignInProfileCreation,AccountConsistency",
            "--window-size=1280,1000",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        args.extend(extra);
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }));
        caps.insert("goog:loggingPrefs".into(), serde_json::json!({ "browser": "ALL" }));
        let c = ClientBuilder::new(HttpConnector::new()).capabilities(caps).connect(&format!("http://127.0.0.1:{port}")).await?;
        let r = f(&c).await;
        let _ = c.close().await;
        r
    });
    drop(profile);
    if let Err(e) = result {
        panic!("e2e failed: {e}");
    }
}
