//! The live tests' harness: real QEMU 10 guests (TCG) migrated over loopback.
//! Everything is started by PID and stopped by PID (SIGTERM, then SIGKILL).
//! `make test-live` installs QEMU and builds the guest into target/live/ first.

#![allow(dead_code)]

use converge::watch::monitor::Monitor;
use converge::watch::qmp::QmpClient;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_converge");

/// 64 MiB/s of distinct 4 KiB pages over 256 MiB (live-qemu.md's non-converging case).
pub const DIRTY_64MIB: &str = "dmb=256 dstride=4096 drate=16384";
pub const CAP_32MIB: u64 = 32 * 1024 * 1024;

pub fn live_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/live")
}

pub fn run_dir(name: &str) -> PathBuf {
    let d = live_dir().join("runs").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("run dir");
    d
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

pub fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("timed out after {timeout:?} waiting for {what}");
}

pub fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned()
}

/// Stops a child by its PID: SIGTERM, then SIGKILL after 5 s.
pub fn stop(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

pub struct Vm {
    pub child: Child,
    /// For `converge watch` (QEMU serves one client per QMP socket).
    pub qmp: PathBuf,
    /// For the test itself.
    pub ctl: PathBuf,
    pub console: PathBuf,
}

impl Drop for Vm {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

impl Vm {
    pub fn start(dir: &Path, name: &str, append: &str, incoming: Option<u16>) -> Vm {
        let qmp = dir.join(format!("{name}-qmp.sock"));
        let ctl = dir.join(format!("{name}-ctl.sock"));
        let console = dir.join(format!("{name}-console.log"));
        let live = live_dir();
        let mut c = Command::new("qemu-system-x86_64");
        c.args(["-machine", "pc", "-accel", "tcg", "-cpu", "qemu64", "-smp", "1", "-m", "512", "-nodefaults"])
            .args(["-display", "none", "-vga", "none", "-net", "none"])
            .arg("-kernel")
            .arg(live.join("vmlinuz"))
            .arg("-initrd")
            .arg(live.join("initrd.gz"))
            .args(["-append", &format!("console=ttyS0 quiet panic=-1 {append}")])
            .arg("-serial")
            .arg(format!("file:{}", console.display()))
            .arg("-qmp")
            .arg(format!("unix:{},server=on,wait=off", qmp.display()))
            .arg("-qmp")
            .arg(format!("unix:{},server=on,wait=off", ctl.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(dir.join(format!("{name}-stderr.log"))).expect("stderr log")));
        if let Some(port) = incoming {
            c.args(["-incoming", &format!("tcp:127.0.0.1:{port}")]);
        }
        let child = c.spawn().expect("qemu-system-x86_64 (run `make test-live`, which installs QEMU 10)");
        let vm = Vm { child, qmp, ctl, console };
        wait_for(&format!("{name} QMP sockets"), Duration::from_secs(20), || vm.qmp.exists() && vm.ctl.exists());
        vm
    }

    pub fn control(&self) -> QmpClient {
        QmpClient::connect(&self.ctl.to_string_lossy()).expect("the test's QMP socket")
    }
}

/// A source guest running the dirtier and a destination waiting for it.
pub struct Pair {
    pub dir: PathBuf,
    pub port: u16,
    pub src: Vm,
    pub dst: Vm,
}

impl Pair {
    pub fn start(name: &str, append: &str) -> Pair {
        let dir = run_dir(name);
        let port = free_port();
        let src = Vm::start(&dir, "src", append, None);
        let dst = Vm::start(&dir, "dst", append, Some(port));
        // Boot to "dirtier ready" takes ~10 s under TCG; allow for busy cores.
        wait_for("the dirtier on the source console", Duration::from_secs(120), || {
            read(&src.console).contains("dirtier ready")
        });
        Pair { dir, port, src, dst }
    }

    /// Starts a capped migration at the given limit; returns the test's QMP client.
    pub fn migrate(&self, max_bandwidth: u64, limit_ms: u64) -> QmpClient {
        let mut c = self.src.control();
        c.execute("migrate-set-parameters", Some(json!({"max-bandwidth": max_bandwidth, "downtime-limit": limit_ms})))
            .expect("migrate-set-parameters");
        c.execute("migrate", Some(json!({"uri": format!("tcp:127.0.0.1:{}", self.port)}))).expect("migrate");
        c
    }
}

pub fn query(c: &mut QmpClient, cmd: &str) -> Value {
    c.execute(cmd, None).unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

/// Runs `converge ARGS` to the end.
pub fn converge(args: &[&str]) -> Output {
    Command::new(BIN).args(args).stdin(Stdio::null()).output().expect("converge binary")
}

pub fn converge_spawn(args: &[&str], out: &Path) -> Child {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::fs::File::create(out).expect("stdout file")))
        .stderr(Stdio::from(std::fs::File::create(out.with_extension("stderr")).expect("stderr file")))
        .spawn()
        .expect("converge binary")
}

pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// JSON lines from `watch --json`.
pub fn json_lines(s: &str) -> Vec<Value> {
    s.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// One line appended to tests/live's figures file, for the report.
pub fn figure(line: &str) {
    use std::io::Write;
    eprintln!("FIGURE {line}");
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(live_dir().join("figures.txt")) {
        let _ = writeln!(f, "{line}");
    }
}
