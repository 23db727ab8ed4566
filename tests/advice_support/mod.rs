//! Pastes for the advice, plan and page tests: the seed by hand (the golden numbers,
//! independent of the parser), the corpus runs from their real QMP replies through the real
//! parser, and corpus files and HMP series as a user pastes them.
#![allow(dead_code)]

use converge::core::model::*;
use converge::core::parse::parse;
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

/// A run's directory in the corpus.
pub fn corpus(run: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/runs").join(run)
}

/// A file of the corpus by its path under tests/data/corpus ("seed/as_pasted.txt").
pub fn corpus_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus").join(rel)
}

/// A corpus file's text as captured (CRLF kept).
pub fn corpus_text(rel: &str) -> String {
    let p = corpus_file(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `info migrate` outputs of a run as a user pastes them: every `step`-th snapshot from
/// `first`, at most `n`, each after a `(qemu) info migrate` prompt (CRLF kept as captured).
pub fn hmp_series(run: &str, first: usize, step: usize, n: usize) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus(run).join("snapshots"))
        .expect("snapshots")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("_hmp.txt"))
        .collect();
    files.sort();
    let mut out = String::new();
    for f in files.iter().skip(first - 1).step_by(step).take(n) {
        out.push_str("(qemu) info migrate\n");
        out.push_str(&std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())));
    }
    out
}

fn parse_file(p: &Path) -> Paste {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let paste = parse(&text);
    assert!(paste.errors.is_empty(), "{}: {:?}", p.display(), paste.errors);
    paste
}

/// The QMP snapshots of a run (paste order), read by the real parser, with the parameters,
/// capabilities and version the run really had. `full`: every snapshot plus the final
/// status after the run (completed, or cancelled with its statistics gone); otherwise only
/// the snapshots taken while active.
pub fn run_paste(run: &str, full: bool) -> Paste {
    let dir = corpus(run);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("snapshots"))
        .expect("snapshots dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("_qmp.json"))
        .collect();
    files.sort();
    if full {
        files.push(dir.join("after/qmp_query-migrate_final.json"));
    }
    let mut p = Paste::default();
    for file in &files {
        let snap = parse_file(file).snapshots.into_iter().next().unwrap_or_else(|| panic!("{}", file.display()));
        if full || snap.status.as_ref().map(|s| s.value == Status::Active).unwrap_or(false) {
            p.snapshots.push(snap);
        }
    }
    p.parameters = parse_file(&dir.join("after/qmp_query-migrate-parameters.json")).parameters;
    p.capabilities = parse_file(&dir.join("before/qmp_query-migrate-capabilities.json")).capabilities;
    p.version = parse_file(&dir.join("before/qmp_query-version.json")).version;
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
