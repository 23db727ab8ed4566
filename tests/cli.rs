//! `converge --json` on every corpus file: valid JSON, exit 0 or 2, never a crash;
//! and the seed's numbers through the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            corpus_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn converge(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_converge")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn json_on_every_corpus_file() {
    let mut files = Vec::new();
    corpus_files(Path::new("tests/data/corpus"), &mut files);
    files.sort();
    assert!(files.len() > 1900, "corpus copied into tests/data: {} files", files.len());
    // One process per file would take minutes on 2 cores: sample every run's `before`/`after`
    // and every 7th snapshot here; tests/corpus.rs parses all of them in-process.
    let mut checked = 0;
    for (i, f) in files.iter().enumerate() {
        let name = f.to_string_lossy();
        if (name.contains("/snapshots/") || name.contains("/poll/")) && i % 7 != 0 {
            continue;
        }
        let (code, stdout) = converge(&["--json", &name]);
        assert!(code == 0 || code == 2, "{name}: exit {code}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(v["snapshots"].is_array() && v["errors"].is_array() && v["capabilities"].is_object(), "{name}");
        checked += 1;
    }
    assert!(checked > 300, "checked {checked}");
}

#[test]
fn seed_numbers_through_the_binary() {
    let (code, stdout) = converge(&["--json", "tests/data/corpus/seed/as_pasted.txt"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let s = &v["snapshots"][0];
    assert_eq!(s["dialect"], "hmp-2.x");
    assert_eq!(s["expected_downtime_ms"], 1475.0);
    let f = &s["formulas"];
    assert!((f["f1_ms"].as_f64().unwrap() - 1475.9454).abs() < 1e-3);
    assert!((f["f2_ms"].as_f64().unwrap() - 3561.8279).abs() < 1e-3);
    assert!((f["f2_decimal_kb_ms"].as_f64().unwrap() - 3478.3475).abs() < 1e-3);
    assert!((f["f3_ms"].as_f64().unwrap() - 8818.9).abs() < 0.5);
    assert_eq!(v["parameters"]["downtime_limit_ms"], 300.0);
    assert_eq!(v["parameters"]["max_bandwidth_unlimited"], true);
    assert_eq!(s["printed_by"]["formula"], "f1");
}

#[test]
fn text_report_and_exit_codes() {
    let (code, out) = converge(&["tests/data/corpus/seed/as_pasted.txt"]);
    assert_eq!(code, 0);
    assert!(out.contains("1,475.94 ms") && out.contains("3,561.82 ms") && out.contains("3,478.34 ms"), "{out}");
    let garbage = std::env::temp_dir().join("converge-garbage.txt");
    std::fs::write(&garbage, "hello\nworld\n").unwrap();
    let (code, out) = converge(&["--json", garbage.to_str().unwrap()]);
    assert_eq!(code, 2, "nothing understood -> exit 2");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errors"][0]["line"], 1);
    let (code, _) = converge(&["--no-such-flag"]);
    assert_eq!(code, 1);
    // Numbers typed in, no paste: the seed's inputs by hand.
    let (code, out) =
        converge(&["--json", "--remaining", "385937408", "--mbps", "866.83", "--dirty-pages-rate", "39044"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!((v["snapshots"][0]["formulas"]["f2_ms"].as_f64().unwrap() - 3561.8279).abs() < 1e-3);
}

#[test]
fn text_report_names_each_bad_line_once() {
    let f = std::env::temp_dir().join("converge-bad-line.txt");
    std::fs::write(&f, "Migration status: active\nremaining ram: abc kbytes\n").unwrap();
    let (_, out) = converge(&[f.to_str().unwrap()]);
    assert!(out.contains("  line 2: \"remaining ram: abc kbytes\": expected a whole number of kbytes"), "{out}");
    assert!(!out.contains("line 2: line 2"), "{out}");
}

#[test]
fn link_speed_gives_the_real_pause() {
    let run = |extra: &[&str]| {
        let mut args = vec!["--json", "tests/data/corpus/runs/10.0.2-B/snapshots/0061_t+030.503_qmp.json"];
        args.extend_from_slice(extra);
        let (code, out) = converge(&args);
        assert_eq!(code, 0);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["recommendation"]["pause_at_link_ms"].clone()
    };
    assert!(run(&[]).is_null());
    // 10 GbE: 1.25e9 bytes/s = 1,250,000 bytes/ms; the pause is pending / that, far below the estimate.
    let pause = run(&["--link-speed", "1250000000"]).as_f64().unwrap();
    assert!(pause > 0.0 && pause < 300.0, "{pause}");
}

#[test]
fn platform_and_link_speed_through_the_binary() {
    let seed = "tests/data/corpus/seed/as_pasted.txt";
    let json = |extra: &[&str]| {
        let mut args = vec!["--json", seed];
        args.extend_from_slice(extra);
        let (code, out) = converge(&args);
        assert_eq!(code, 0, "{out}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let hash = json(&["--platform", "power-hash"]);
    assert_eq!(hash["advice"]["hugepage"]["amplification"], 4096.0);
    assert_eq!(hash["advice"]["hugepage"]["conditional"], false);
    let x86 = json(&["--platform", "x86"]);
    assert_eq!(x86["advice"]["hugepage"]["amplification"], 1.0);
    assert!(x86["advice"]["power"].is_null());
    // The recommendation never depended on the platform.
    assert_eq!(hash["recommendation"]["downtime_limit_ms"], 4500.0);
    assert_eq!(x86["recommendation"]["downtime_limit_ms"], 4500.0);
    // QEMU 2.12 has no avail-switchover-bandwidth: no command even with a link speed.
    let linked = json(&["--platform", "x86", "--link-speed", "1250000000"]);
    assert_eq!(linked["advice"]["switchover_bandwidth"]["commands"], serde_json::json!([]));
    // A 10.0.2 capture with the link given: the HMP command says its unit.
    let (code, out) = converge(&[
        "tests/data/corpus/runs/10.0.2-B/snapshots/0061_t+030.503_qmp.json",
        "--platform",
        "x86",
        "--link-speed",
        "1250000000",
    ]);
    assert!(code == 0 || code == 2, "{out}");
    assert!(out.contains("migrate_set_parameter avail-switchover-bandwidth 1250000000B"), "{out}");
    assert!(out.contains("migrate_set_parameter max-bandwidth 1192M"), "{out}");
}

fn run_all(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_converge")).args(args).output().unwrap();
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), s(&out.stdout), s(&out.stderr))
}

/// clap: help is status 0 on stdout, every usage error status 1 on stderr, and `watch`
/// checks its own rules (one target, --apply needs --max-pause, --connect needs --virsh).
#[test]
fn usage_and_help_codes() {
    let (code, out, _) = run_all(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Usage: converge [OPTIONS] [FILE]") && out.contains("watch"), "{out}");
    let (code, out, _) = run_all(&["watch", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--max-pause <MS>") && out.contains("--record <FILE>"), "{out}");
    for bad in [
        vec!["--bogus"],
        vec!["--backing-page", "x"],
        vec!["--mbps", "-3"],
        vec!["--platform", "arm"],
        vec!["a.txt", "b.txt"],
        vec!["watch"],
        vec!["watch", "--qmp", "s.sock", "--apply"],
        vec!["watch", "--qmp", "s.sock", "--virsh", "vm1"],
        vec!["watch", "--qmp", "s.sock", "--connect", "qemu:///system"],
        vec!["watch", "--qmp", "s.sock", "--interval", "0"],
        vec!["watch", "--qmp", "s.sock", "--record", "/nonexistent-dir/rec.txt"],
    ] {
        let (code, out, err) = run_all(&bad);
        assert_eq!(code, 1, "{bad:?}: {out}{err}");
        assert!(err.starts_with("error:") || err.starts_with("converge watch: --record"), "{bad:?}: {err}");
        assert!(!err.contains("panicked"), "{bad:?}: {err}");
    }
    let (_, _, err) = run_all(&["--backing-page", "x"]);
    assert!(err.contains("expected a size such as 64K, 2M, 16M, 1G"), "{err}");
    // Every pre-clap flag is still there.
    let (code, out, err) = run_all(&[
        "--remaining",
        "385937408",
        "--mbps",
        "866.83",
        "--dirty-pages-rate",
        "39044",
        "--downtime-limit",
        "300",
        "--expected-downtime",
        "1475",
        "--max-bandwidth",
        "134217728",
        "--avail-switchover-bandwidth",
        "0",
        "--backing-page",
        "16M",
        "--platform",
        "power-hash",
        "--link-speed",
        "1250000000",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["recommendation"]["downtime_limit_ms"].as_f64().is_some_and(|m| m > 300.0), "{}", v["recommendation"]);
}

/// `converge FILE | head`: the reader goes away before the report is written. No panic,
/// no message, the usual status.
#[test]
fn closed_stdout_is_not_a_panic() {
    // Run B's 121 QMP replies: a JSON report far above a pipe's 64 KiB buffer.
    let dir = Path::new("tests/data/corpus/runs/10.0.2-B/snapshots");
    let mut paste = String::new();
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files.iter().filter(|p| p.to_string_lossy().ends_with("_qmp.json")) {
        paste.push_str(&std::fs::read_to_string(f).unwrap());
        paste.push('\n');
    }
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("closed-stdout-paste.txt");
    std::fs::write(&file, paste).unwrap();
    for json in [true, false] {
        let mut args = vec![file.to_string_lossy().into_owned()];
        if json {
            args.push("--json".into());
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_converge"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // `head` exits before reading
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err, "", "silent");
        assert_eq!(out.status.code(), Some(0), "json={json}");
    }
}
