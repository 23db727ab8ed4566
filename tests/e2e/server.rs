//! A plain static file server (as a docs host or GitHub Pages would be) for every
//! e2e test. For the privacy tests it is also the browser's HTTP proxy, so it sees every request the browser makes
//! to any origin, logs it, and serves only its own files. It can be cut off
//! to play "no network".

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The MIME type a plain static server sends for a file of the build.
pub fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("webmanifest") => "application/manifest+json",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// host:port the request was for (from the proxy request line or Host).
    pub host: String,
    pub path: String,
    /// Whether a file was sent (false: 404, foreign origin, or offline).
    pub served: bool,
}

pub struct Site {
    pub port: u16,
    /// URL prefix the files live under, e.g. "/" or "/some/sub/path/".
    pub mount: String,
    log: Arc<Mutex<Vec<Request>>>,
    offline: Arc<AtomicBool>,
}

impl Site {
    /// Serve `dir` under `mount` on 127.0.0.1 until the test process ends.
    pub fn start(dir: PathBuf, mount: &str) -> Site {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = l.local_addr().expect("local addr").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let offline = Arc::new(AtomicBool::new(false));
        let (lg, off, m) = (log.clone(), offline.clone(), mount.to_string());
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let (d, lg, off, m) = (dir.clone(), lg.clone(), off.clone(), m.clone());
                std::thread::spawn(move || handle(s, &d, &m, port, &lg, &off));
            }
        });
        Site { port, mount: mount.to_string(), log, offline }
    }
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.mount)
    }
    pub fn origin(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    /// Every request seen so far.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
    /// From now on drop every connection unanswered, as a dead network does.
    pub fn cut(&self) {
        self.offline.store(true, Ordering::SeqCst);
    }
    /// Chromium flags that send all its HTTP(S) traffic, loopback included, through this server.
    pub fn proxy_args(&self) -> Vec<String> {
        vec![format!("--proxy-server=http://127.0.0.1:{}", self.port), "--proxy-bypass-list=<-loopback>".into()]
    }
}

fn handle(mut s: TcpStream, dir: &Path, mount: &str, port: u16, log: &Mutex<Vec<Request>>, offline: &AtomicBool) {
    let Ok(clone) = s.try_clone() else { return };
    let mut r = BufReader::new(clone);
    let mut line = String::new();
    // A socket opened and closed unused (Chromium pre-connects) is no request.
    if r.read_line(&mut line).map(|n| n == 0).unwrap_or(true) || line.trim().is_empty() {
        return;
    }
    let mut host = String::new();
    let mut h = String::new();
    while r.read_line(&mut h).map(|n| n > 2).unwrap_or(false) {
        if let Some(v) = h.strip_prefix("Host:").or_else(|| h.strip_prefix("host:")) {
            host = v.trim().to_string();
        }
        h.clear();
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("/").to_string();
    // Proxy form "http://host/path", CONNECT "host:443", or origin form "/path".
    let path = if let Some(rest) = target.strip_prefix("http://") {
        let (h, p) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        host = h.to_string();
        if p.is_empty() {
            "/".to_string()
        } else {
            p.to_string()
        }
    } else if method == "CONNECT" {
        host = target.clone();
        String::new()
    } else {
        target.clone()
    };
    let path = path.split(['?', '#']).next().unwrap_or("/").to_string();
    let ours = host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}");
    let mut entry = Request { method: method.clone(), host, path: path.clone(), served: false };
    if offline.load(Ordering::SeqCst) {
        if let Ok(mut l) = log.lock() {
            l.push(entry);
        }
        let _ = s.shutdown(std::net::Shutdown::Both);
        return;
    }
    let file = path.strip_prefix(mount).filter(|rel| ours && method == "GET" && !rel.contains("..")).map(|rel| {
        if rel.is_empty() || rel.ends_with('/') {
            dir.join(rel).join("index.html")
        } else {
            dir.join(rel)
        }
    });
    let (status, body, ct) = match file.as_ref().map(|f| (std::fs::read(f), f)) {
        Some((Ok(b), f)) => ("200 OK", b, content_type(f)),
        _ if !ours => ("403 Forbidden", b"not this origin".to_vec(), "text/plain"),
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    entry.served = status.starts_with("200");
    if let Ok(mut l) = log.lock() {
        l.push(entry);
    }
    let head = format!("HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n", body.len());
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(&body);
}
