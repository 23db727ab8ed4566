//! Nothing a user pastes may panic (a panic kills the wasm page). Property tests
//! over arbitrary text, over pastes built from monitor vocabulary, and over
//! mutations of the real captures. The case count follows PROPTEST_CASES
//! (256 by default, for CI); run with a large count locally.

use converge::core::analyse_text;
use converge::core::model::Paste;
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Every real capture small enough to mutate quickly (logs and manifests left out).
fn corpus() -> &'static Vec<Vec<u8>> {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut out = Vec::new();
        let mut stack = vec![PathBuf::from("tests/data/corpus")];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else { continue };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let name = p.to_string_lossy();
                let skip = name.ends_with(".log")
                    || name.ends_with(".xml")
                    || name.ends_with("manifest.json")
                    || name.ends_with(".md");
                if let (false, Ok(b)) = (skip, std::fs::read(&p)) {
                    if b.len() < 64 * 1024 {
                        out.push(b);
                    }
                }
            }
        }
        out.sort();
        assert!(out.len() > 1500, "{}", out.len());
        out
    })
}

/// The invariants every parse keeps, whatever the input.
fn check(text: &str) {
    let a = analyse_text(text);
    let p: &Paste = &a.paste;
    let lines = text.split('\n').count().max(text.split('\r').count());
    for d in &p.errors {
        assert!(d.line <= lines, "diagnostic line {} of {}", d.line, lines);
    }
    assert!(p.lines_understood <= lines);
    assert_eq!(a.formulas.len(), p.snapshots.len());
    for s in &p.snapshots {
        assert!(s.first_line <= s.last_line);
    }
}

/// Pieces of monitor output, JSON and terminal noise to build pastes from.
const VOCAB: &[&str] = &[
    "Migration status: active",
    "Status: \t\tactive",
    "total time: 130874 milliseconds",
    "expected downtime: 1475 ms",
    "remaining ram: 376892 kbytes",
    "throughput: 866.83 mbps",
    "dirty pages rate: 39044 pages",
    "page size: 4 kbytes",
    "Time (ms): total=1, setup=2, exp_down=3",
    "  Sizes: pagesize=4 KiB, total=513 MiB",
    "  Transfers: transferred=977 MiB, remain=111 MiB",
    "  Page Rates (pps): transfer=8237, dirty=8311",
    "  Others: dirty_syncs=4",
    "Sizes (KiB): pagesize=4, total=9",
    "socket address: [",
    "]",
    "Outgoing migration blocked:",
    "  reason",
    "Postcopy vCPU Blocktime (ms):",
    " [1, 2,",
    "  3]",
    "XBZRLE: size=1, pages=2",
    "  miss_rate=0.00, overflow=0",
    "downtime-limit: 300 ms",
    "max-bandwidth: 9223372036853727232 bytes/second",
    "xbzrle: off",
    "block-incremental: off",
    "capabilities: xbzrle: off events: on",
    "globals:",
    "Globals:",
    "(qemu) info migrate",
    "(qemu) ",
    "Job type:         Unbounded",
    "Job type: 2",
    "Memory remaining: 257.539 MiB",
    "Memory bandwidth: 32.564 MiB/s",
    "memory_bps: 34145460",
    "downtime: 7889",
    "virsh # migrate-getmaxdowntime vm",
    "$ virsh migrate-getspeed vm",
    "300",
    "8796093022207",
    "10.2.2",
    "[stderr]",
    "error: failed",
    "{",
    "}",
    "[",
    "]",
    "{\"return\": {}}",
    "<- {\"return\": {\"status\": \"active\", \"ram\": {\"remaining\": 1}}}",
    "-> {\"execute\": \"query-migrate\"}",
    "\"ram\": {",
    "\"remaining\": 116027392,",
    "{\"return\": \"Status: \\t\\tactive\\r\\n\"}",
    "{\"return\": [{\"state\": true, \"capability\": \"events\"}]}",
    "{\"return\": {\"qemu\": {\"major\": 10, \"minor\": 2, \"micro\": 2}}}",
    "\x1b[K",
    "\x1b[D",
    "\x1b[C",
    "\x1b[999999C",
    "\x1b]0;t\x07",
    "\x08",
    "\r",
    "\t",
    "\"",
    "\\",
    ":",
    "=",
    ",",
    "é",
    "\u{0}",
    "1e+03 KiB",
    // Issue 13: quoted, annotated, logged, pre-release and broken output.
    "> ",
    ">> ",
    "| ",
    "   <---- look",
    " # why",
    " // note",
    " 这里",
    "qemu-system-x86_64: warning: x",
    "QEMU 10.0.2 monitor - type 'help' for more information",
    "[root@h ~]# ./virsh domjobinfo vm",
    "2021-06-02 09:14:03.121+0000: 41900: info : qemuMonitorJSONIOProcessLine:242 : QEMU_MONITOR_RECV_REPLY: mon=0x1 reply=",
    "2021-06-02 09:14:07.126+0000: 41900: error : virJSONValueFromString:1894 : internal error: cannot parse json ",
    " len=48 ret=48 errno=0",
    "\"mbps\": -nan,",
    "\"mbps\": inf",
    "nan",
    "2601",
    "  Bandwidth (mbps): \t1043.11",
    "  Sizes (KB): psize=4, total=16777992,",
    "    transferred=10957716, remain=251408,",
    "  Pages: normal=2731212, zero=1396721, rate_per_sec=31870",
    "throughput: -nan mbps",
    "remaining ram: 18446744073709551612 kbytes",
    "expected downtime: -41 ms",
    "total ram: 1 kbytes",
    "\"remaining\": 18446744073709547520,",
    "\"expected-downtime\": -12,",
    "{u'return': {u'ram': {u'mbps': nan, u'total': 4295229440L}, u'x': True}}",
    "u'remaining': 1L,",
    "[09:14:03] ",
    "Jun 02 09:14:01 ",
    "&gt; ",
    "\u{a0}",
    "\u{201c}",
];

fn vocab_paste() -> impl Strategy<Value = String> {
    prop::collection::vec((0..VOCAB.len(), prop::sample::select(vec!["\n", "\r\n", "", " ", "\r"])), 0..60)
        .prop_map(|parts| parts.into_iter().map(|(i, sep)| format!("{}{}", VOCAB[i], sep)).collect())
}

#[derive(Clone, Debug)]
enum Mutation {
    Insert(Index, u8),
    Delete(Index, usize),
    Replace(Index, u8),
    /// Copy a line of another corpus file into this one.
    Splice(Index, Index, Index),
    Digits(Index, String),
    Duplicate(Index, usize),
}

fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![any::<u8>(), prop::sample::select(b"{}[]\":,=.-0123456789 \t\r\n\x1b\\kMiBms".to_vec())]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), byte()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<Index>(), 1usize..32).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), byte()).prop_map(|(i, b)| Mutation::Replace(i, b)),
        (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(a, b, c)| Mutation::Splice(a, b, c)),
        (any::<Index>(), "[0-9]{1,25}(\\.[0-9]{0,4})?").prop_map(|(i, d)| Mutation::Digits(i, d)),
        (any::<Index>(), 1usize..400).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn apply(mut b: Vec<u8>, ms: &[Mutation]) -> Vec<u8> {
    let files = corpus();
    for m in ms {
        let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
        match m {
            Mutation::Insert(i, x) => {
                let k = at(i, b.len());
                b.insert(k.min(b.len()), *x);
            }
            Mutation::Delete(i, n) => {
                if !b.is_empty() {
                    let k = i.index(b.len());
                    let end = (k + n).min(b.len());
                    b.drain(k..end);
                }
            }
            Mutation::Replace(i, x) => {
                if !b.is_empty() {
                    let k = i.index(b.len());
                    b[k] = *x;
                }
            }
            Mutation::Splice(f, l, i) => {
                let other = &files[f.index(files.len())];
                let lines: Vec<&[u8]> = other.split(|c| *c == b'\n').collect();
                let line = lines[l.index(lines.len())];
                let k = at(i, b.len()).min(b.len());
                let mut piece = line.to_vec();
                piece.push(b'\n');
                b.splice(k..k, piece);
            }
            Mutation::Digits(i, d) => {
                let k = at(i, b.len()).min(b.len());
                b.splice(k..k, d.bytes());
            }
            Mutation::Duplicate(i, n) => {
                if !b.is_empty() {
                    let k = i.index(b.len());
                    let end = (k + n).min(b.len());
                    let copy = b[k..end].to_vec();
                    b.splice(end..end, copy);
                }
            }
        }
    }
    b
}

/// Runs one property with proptest's default config (PROPTEST_CASES, else 256) and
/// prints how many cases passed, so a long local run can be reported.
fn run<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value)) {
    use proptest::test_runner::{Config, TestRunner};
    use std::sync::atomic::{AtomicU64, Ordering};
    let cases = AtomicU64::new(0);
    // A failure prints its shrunk input; no regression file is written.
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |v| {
        cases.fetch_add(1, Ordering::Relaxed);
        test(v);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    eprintln!("{name}: {} cases run, none panicked", cases.load(Ordering::Relaxed));
}

#[test]
fn arbitrary_text_never_panics() {
    run("arbitrary text", any::<String>(), |s| check(&s));
}

#[test]
fn arbitrary_bytes_never_panic() {
    run("arbitrary bytes", prop::collection::vec(any::<u8>(), 0..2048), |b| check(&String::from_utf8_lossy(&b)));
}

#[test]
fn monitor_vocabulary_pastes_never_panic() {
    run("monitor vocabulary", vocab_paste(), |s| check(&s));
}

#[test]
fn mutated_real_captures_never_panic() {
    run("mutated captures", (any::<Index>(), prop::collection::vec(mutation(), 1..10)), |(f, ms)| {
        let files = corpus();
        let b = apply(files[f.index(files.len())].clone(), &ms);
        check(&String::from_utf8_lossy(&b));
    });
}

#[test]
fn concatenated_captures_never_panic() {
    run(
        "concatenated captures",
        (prop::collection::vec(any::<Index>(), 1..6), prop::collection::vec(mutation(), 0..4)),
        |(fs, ms)| {
            let files = corpus();
            let mut b = Vec::new();
            for f in fs {
                b.extend_from_slice(&files[f.index(files.len())]);
            }
            check(&String::from_utf8_lossy(&apply(b, &ms)));
        },
    );
}

/// Hostile shapes, each about 2 MB: they must finish (the parser is one pass).
#[test]
fn large_hostile_inputs_finish() {
    let mb = 2 * 1024 * 1024;
    let shapes: Vec<String> = vec![
        "{\n".repeat(mb / 2),
        "{}".repeat(mb / 2),
        "[".repeat(mb),
        "\x1b[D".repeat(mb / 3) + "x",
        "\x1b[200Cx".repeat(mb / 7),
        "a: b\n".repeat(mb / 5),
        "remaining ram: 1 kbytes\n".repeat(mb / 24),
        "\"".repeat(mb),
        "Migration status: active\r".repeat(mb / 25),
        format!("{{\"return\": \"{}\"}}", "Status: active\\r\\n".repeat(mb / 20)),
    ];
    for s in shapes {
        let t = std::time::Instant::now();
        let p = converge::core::parse::parse(&s);
        assert!(p.errors.len() <= 501);
        assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
    }
}

#[test]
fn ten_megabytes_of_real_output_parses() {
    let base = std::fs::read_to_string(Path::new("tests/data/corpus/runs/10.0.2-D/snapshots/0183_t+091.502_hmp.txt"))
        .expect("capture");
    let n = 10 * 1024 * 1024 / base.len();
    let text = format!("(qemu) info migrate\n{base}").repeat(n);
    let p = converge::core::parse::parse(&text);
    assert!(p.errors.is_empty());
    // Every one was read; past 4,096 an even sample is kept, the last one always (issue 13.7).
    let m = p.summary.as_ref().expect("summarised");
    assert_eq!((m.read, m.kept), (n, p.snapshots.len()));
    assert!(p.snapshots.len() <= 4096, "{}", p.snapshots.len());
    assert_eq!(p.snapshots.last().map(|s| s.seq), Some(n - 1));
    assert!(p.snapshots.windows(2).all(|w| w[0].seq < w[1].seq));
}
