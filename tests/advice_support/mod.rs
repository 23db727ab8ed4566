//! Pastes built for the advice tests: the seed by hand, and the corpus runs from
//! their real QMP replies (read with serde_json, so these tests do not depend on
//! the parser being finished).
#![allow(dead_code)]

use converge::core::model::*;
use converge::core::units::*;
use converge::core::{analyse, Analysis, Options, Platform};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn src(line: usize, raw: &str, unit: &str) -> Source {
    Source { line, raw: raw.into(), unit: unit.into() }
}

pub fn f<T>(v: T, line: usize, raw: &str, unit: &str) -> Field<T> {
    Field::exact(v, src(line, raw, unit))
}

/// The seed: QEMU 2.12-era HMP `info migrate` and `info migrate_parameters`.
pub fn seed_paste() -> Paste {
    let mut s = Snapshot::new(Dialect::HmpMilliseconds, 14);
    s.last_line = 28;
    s.status = Some(f(Status::Active, 14, "Migration status: active", ""));
    s.total_time = Some(f(Millis(130_874.0), 15, "total time: 130874 milliseconds", "milliseconds"));
    s.expected_downtime = Some(f(Millis(1475.0), 16, "expected downtime: 1475 milliseconds", "milliseconds"));
    s.setup_time = Some(f(Millis(3475.0), 17, "setup: 3475 milliseconds", "milliseconds"));
    s.transferred = Some(f(KiB(18_197_383.0).to_bytes(), 18, "transferred ram: 18197383 kbytes", "kbytes"));
    s.throughput = Some(f(Throughput::Mbps(Mbps(866.83)), 19, "throughput: 866.83 mbps", "mbps"));
    s.remaining = Some(f(KiB(376_892.0).to_bytes(), 20, "remaining ram: 376892 kbytes", "kbytes"));
    s.total = Some(f(KiB(8_388_864.0).to_bytes(), 21, "total ram: 8388864 kbytes", "kbytes"));
    s.dirty_sync_count = Some(f(6, 26, "dirty sync count: 6", ""));
    s.page_size = Some(f(PageSize::TARGET_4K, 27, "page size: 4 kbytes", "kbytes"));
    s.dirty_pages_rate = Some(f(PagesPerSec(39_044.0), 28, "dirty pages rate: 39044 pages", "pages"));
    let mut p = Paste::default();
    p.snapshots.push(s);
    p.parameters.downtime_limit = Some(f(Millis(300.0), 10, "downtime-limit: 300 milliseconds", "milliseconds"));
    p.parameters.max_bandwidth = Some(f(
        BytesPerSec(LIBVIRT_UNLIMITED_BYTES_PER_SEC as f64),
        9,
        "max-bandwidth: 9223372036853727232 bytes/second",
        "bytes/second",
    ));
    p.parameters.cpu_throttle_initial = Some(f(20.0, 5, "cpu-throttle-initial: 20", ""));
    p.parameters.cpu_throttle_increment = Some(f(10.0, 6, "cpu-throttle-increment: 10", ""));
    p
}

/// A run's directory: the shared corpus, or tests/data/advice_runs for the captures only
/// the advice tests read (10.0.2-V64).
pub fn corpus(run: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let extra = root.join("tests/data/advice_runs").join(run);
    if extra.is_dir() {
        extra
    } else {
        root.join("tests/data/corpus/runs").join(run)
    }
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    v.get("return").cloned().unwrap_or(v)
}

/// One QMP query-migrate reply as a Snapshot (line = position in the series).
pub fn qmp_snapshot(v: &Value, line: usize) -> Snapshot {
    let mut s = Snapshot::new(Dialect::Qmp, line);
    let num = |k: &str| v.get(k).and_then(Value::as_f64);
    let ram = |k: &str| v.get("ram").and_then(|r| r.get(k)).and_then(Value::as_f64);
    if let Some(st) = v.get("status").and_then(Value::as_str) {
        s.status = Some(f(Status::from_qemu(st), line, st, ""));
    }
    s.total_time = num("total-time").map(|x| f(Millis(x), line, "total-time", "ms"));
    s.expected_downtime = num("expected-downtime").map(|x| f(Millis(x), line, "expected-downtime", "ms"));
    s.downtime = num("downtime").map(|x| f(Millis(x), line, "downtime", "ms"));
    s.cpu_throttle_percentage = num("cpu-throttle-percentage").map(|x| f(x, line, "cpu-throttle-percentage", ""));
    s.remaining = ram("remaining").map(|x| f(Bytes(x), line, "remaining", "bytes"));
    s.transferred = ram("transferred").map(|x| f(Bytes(x), line, "transferred", "bytes"));
    s.total = ram("total").map(|x| f(Bytes(x), line, "total", "bytes"));
    s.throughput = ram("mbps").map(|x| f(Throughput::Mbps(Mbps(x)), line, "mbps", "mbps"));
    s.dirty_pages_rate = ram("dirty-pages-rate").map(|x| f(PagesPerSec(x), line, "dirty-pages-rate", "pages"));
    s.page_size = ram("page-size").map(|x| f(PageSize(Bytes(x)), line, "page-size", "bytes"));
    s.dirty_sync_count = ram("dirty-sync-count").map(|x| f(x as u64, line, "dirty-sync-count", ""));
    s.downtime_bytes = ram("downtime-bytes").map(|x| f(Bytes(x), line, "downtime-bytes", "bytes"));
    s
}

/// The QMP snapshots of a run (paste order) and the parameters/capabilities/version the
/// run really had. `full`: every snapshot plus the final status after the run (completed,
/// or cancelled with its statistics gone); otherwise only the snapshots taken while active.
pub fn run_paste(run: &str, full: bool) -> Paste {
    let dir = corpus(run);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("snapshots"))
        .expect("snapshots dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("_qmp.json"))
        .collect();
    files.sort();
    let mut p = Paste::default();
    for (i, file) in files.iter().enumerate() {
        let snap = qmp_snapshot(&read_json(file), i + 1);
        if full || snap.status.as_ref().map(|s| s.value == Status::Active).unwrap_or(false) {
            p.snapshots.push(snap);
        }
    }
    if full {
        let n = p.snapshots.len() + 1;
        p.snapshots.push(qmp_snapshot(&read_json(&dir.join("after/qmp_query-migrate_final.json")), n));
    }
    let params = read_json(&dir.join("after/qmp_query-migrate-parameters.json"));
    let pn = |k: &str| params.get(k).and_then(Value::as_f64);
    p.parameters.downtime_limit = pn("downtime-limit").map(|x| f(Millis(x), 0, "downtime-limit", "ms"));
    p.parameters.max_bandwidth = pn("max-bandwidth").map(|x| f(BytesPerSec(x), 0, "max-bandwidth", "bytes/second"));
    p.parameters.avail_switchover_bandwidth =
        pn("avail-switchover-bandwidth").map(|x| f(BytesPerSec(x), 0, "avail-switchover-bandwidth", "bytes/second"));
    p.parameters.cpu_throttle_initial = pn("cpu-throttle-initial").map(|x| f(x, 0, "cpu-throttle-initial", ""));
    p.parameters.cpu_throttle_increment = pn("cpu-throttle-increment").map(|x| f(x, 0, "cpu-throttle-increment", ""));
    p.parameters.max_cpu_throttle = pn("max-cpu-throttle").map(|x| f(x, 0, "max-cpu-throttle", ""));
    p.parameters.throttle_trigger_threshold =
        pn("throttle-trigger-threshold").map(|x| f(x, 0, "throttle-trigger-threshold", ""));
    if let Some(caps) = read_json(&dir.join("before/qmp_query-migrate-capabilities.json")).as_array() {
        for c in caps {
            if let (Some(name), Some(state)) =
                (c.get("capability").and_then(Value::as_str), c.get("state").and_then(Value::as_bool))
            {
                p.capabilities.insert(name.to_string(), f(state, 0, name, ""));
            }
        }
    }
    let v = read_json(&dir.join("before/qmp_query-version.json"));
    let q = v.get("qemu");
    let vn = |k: &str| q.and_then(|q| q.get(k)).and_then(Value::as_u64).unwrap_or(0) as u32;
    p.version = Some(Version {
        major: vn("major"),
        minor: vn("minor"),
        micro: vn("micro"),
        source: src(0, "query-version", ""),
    });
    p
}

/// The corpus guests are x86 TCG: dirty tracking per 4 KiB page.
pub fn x86_options() -> Options {
    Options { backing_page: PageSize::TARGET_4K, platform: Some(Platform::X86), ..Options::default() }
}

/// The seed's guest: POWER8 on the hash MMU with 16 MiB HPTEs (the page's seed example says so too).
pub fn seed_options() -> Options {
    Options { backing_page: PageSize(Bytes(16.0 * MIB)), platform: Some(Platform::PowerHash), ..Options::default() }
}

pub fn analyse_run(run: &str, full: bool) -> Analysis {
    analyse(run_paste(run, full), x86_options())
}

/// The manifest's own record of a run (outcome, measured downtime).
pub fn manifest(run: &str) -> Value {
    let text = std::fs::read_to_string(corpus(run).join("manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("manifest json")
}

pub const RUNS: [&str; 8] =
    ["7.2.22-A", "7.2.22-B", "10.0.2-A", "10.0.2-B", "10.0.2-D", "10.0.2-E", "10.2.2-A", "10.2.2-B"];
