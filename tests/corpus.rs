//! The real captures under tests/data/corpus: every file parses without a panic,
//! every snapshot file gives one snapshot of the right dialect, and HMP, QMP, the
//! manifests and virsh agree on the numbers within what each format can show.

use converge::core::model::{Dialect, Paste, Precision, Snapshot, Status, Throughput};
use converge::core::parse::parse;
use serde_json::Value;
use std::path::{Path, PathBuf};

const CORPUS: &str = "tests/data/corpus";

fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).expect("read corpus file")).into_owned()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn runs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(CORPUS).join("runs"))
        .expect("runs dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    assert_eq!(v.len(), 9, "nine runs in the corpus");
    v
}

fn hmp_dialect(run: &Path) -> Dialect {
    let name = run.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("10.2.2") {
        Dialect::Hmp10_1
    } else {
        Dialect::HmpMs
    }
}

/// (hmp file, qmp file) pairs of one run, in order.
fn pairs(run: &Path) -> Vec<(PathBuf, PathBuf)> {
    let files = files_under(&run.join("snapshots"));
    let hmp: Vec<&PathBuf> = files.iter().filter(|p| p.to_string_lossy().ends_with("_hmp.txt")).collect();
    let qmp: Vec<&PathBuf> = files.iter().filter(|p| p.to_string_lossy().ends_with("_qmp.json")).collect();
    assert_eq!(hmp.len(), qmp.len(), "{}", run.display());
    hmp.into_iter().cloned().zip(qmp.into_iter().cloned()).collect()
}

fn one(p: &Path) -> Snapshot {
    let paste = parse(&read(p));
    assert!(paste.errors.is_empty(), "{}: {:?}", p.display(), paste.errors);
    assert_eq!(paste.snapshots.len(), 1, "{}", p.display());
    paste.snapshots.into_iter().next().expect("one snapshot")
}

#[test]
fn every_corpus_file_parses_and_diagnostics_name_real_lines() {
    let files = files_under(Path::new(CORPUS));
    assert!(files.len() > 1900, "{} files", files.len());
    for f in files {
        let text = read(&f);
        let p = parse(&text);
        let lines = text.split('\n').count();
        for d in &p.errors {
            assert!(d.line >= 1 && d.line <= lines, "{}: {:?}", f.display(), d);
            assert!(d.message.starts_with(&format!("line {}: ", d.line)), "{:?}", d);
        }
        assert!(p.lines_understood <= lines);
    }
}

#[test]
fn snapshot_files_give_one_snapshot_of_their_dialect() {
    let mut n = 0;
    for run in runs() {
        for f in files_under(&run.join("snapshots")) {
            let name = f.to_string_lossy().into_owned();
            let s = one(&f);
            let want = if name.ends_with("_qmp.json") { Dialect::Qmp } else { hmp_dialect(&run) };
            assert_eq!(s.dialect, want, "{name}");
            n += 1;
        }
    }
    assert_eq!(n, 1442 + 182, "the eight first runs, then 10.0.2-V64");
}

/// Does the HMP value allow the QMP bytes? 5.1 layout: kbytes are bytes >> 10;
/// 10.1 layout: 3 significant digits.
fn allows(dialect: Dialect, hmp: f64, prec: Precision, qmp: f64) -> bool {
    match (dialect, prec) {
        (Dialect::HmpMs, Precision::Truncated { step }) => step == 1024.0 && (0.0..1024.0).contains(&(qmp - hmp)),
        (Dialect::Hmp10_1, Precision::Rounded { lo, hi }) => lo <= qmp && qmp <= hi,
        (Dialect::Hmp10_1, Precision::Exact) => hmp == qmp,
        _ => false,
    }
}

#[test]
fn hmp_and_qmp_taken_together_agree() {
    // HMP is polled a few ms before QMP, so now and then a page was sent or a bitmap
    // sync happened in between. When transferred bytes and the sync count show that
    // nothing moved, remaining and total must agree within what HMP can print.
    let (mut compared, mut same_moment, mut agree) = (0, 0, 0);
    for run in runs() {
        for (h, q) in pairs(&run) {
            let hs = one(&h);
            let qs = one(&q);
            assert_eq!(hs.status.as_ref().map(|f| &f.value), qs.status.as_ref().map(|f| &f.value), "{}", h.display());
            compared += 1;
            let (Some(hr), Some(qr)) = (&hs.remaining, &qs.remaining) else {
                // Cancelled: the statistics are gone on both sides.
                assert!(hs.remaining.is_none() && qs.remaining.is_none(), "{}", h.display());
                assert_eq!(qs.status.as_ref().map(|f| &f.value), Some(&Status::Cancelled));
                continue;
            };
            let (ht, qt) = (hs.total.as_ref().unwrap(), qs.total.as_ref().unwrap());
            assert!(allows(hs.dialect, ht.value.0, ht.precision, qt.value.0), "total {}", h.display());
            let (hx, qx) = (hs.transferred.as_ref().unwrap(), qs.transferred.as_ref().unwrap());
            let still = allows(hs.dialect, hx.value.0, hx.precision, qx.value.0)
                && hs.dirty_sync_count.as_ref().map(|f| f.value) == qs.dirty_sync_count.as_ref().map(|f| f.value)
                && hs.extra.get("normal").map(|f| f.value) == qs.extra.get("normal").map(|f| f.value);
            let ok = allows(hs.dialect, hr.value.0, hr.precision, qr.value.0);
            if still {
                same_moment += 1;
                assert!(ok, "remaining {}: qmp {} hmp {} {:?}", h.display(), qr.value.0, hr.value.0, hr.precision);
                assert_eq!(
                    hs.dirty_pages_rate.as_ref().map(|f| f.value.0),
                    qs.dirty_pages_rate.as_ref().map(|f| f.value.0),
                    "dirty pages rate {}",
                    h.display()
                );
                let (Some(Throughput::Mbps(hm)), Some(Throughput::Mbps(qm))) =
                    (hs.throughput.as_ref().map(|f| f.value), qs.throughput.as_ref().map(|f| f.value))
                else {
                    panic!("throughput in mbps in {}", h.display())
                };
                assert!((hm.0 - qm.0).abs() <= 0.005 + 1e-9, "mbps {}: {} vs {}", h.display(), hm.0, qm.0);
            }
            agree += ok as usize;
        }
    }
    assert_eq!(compared, 720 + 91, "the eight first runs, then 10.0.2-V64");
    assert!(same_moment >= 650, "{same_moment}");
    assert!(agree >= same_moment, "{agree} {same_moment}");
    eprintln!("{compared} pairs, {same_moment} taken with nothing sent in between, {agree} agree on remaining");
}

#[test]
fn qmp_snapshots_match_the_manifests() {
    for run in runs() {
        let m: Value = serde_json::from_str(&read(&run.join("manifest.json"))).expect("manifest");
        let snaps = m["snapshots"].as_array().expect("snapshots");
        assert!(!snaps.is_empty());
        for e in snaps {
            let q = one(&run.join(e["qmp_file"].as_str().expect("qmp_file")));
            assert_eq!(q.status_name(), e["status"].as_str().unwrap_or("?"));
            let num = |k: &str| e.get(k).and_then(Value::as_f64);
            assert_eq!(q.remaining.as_ref().map(|f| f.value.0), num("remaining"), "{e}");
            assert_eq!(q.transferred.as_ref().map(|f| f.value.0), num("transferred"));
            assert_eq!(q.total.as_ref().map(|f| f.value.0), num("total"));
            assert_eq!(q.dirty_pages_rate.as_ref().map(|f| f.value.0), num("dirty_pages_rate"));
            assert_eq!(q.pages_per_second.as_ref().map(|f| f.value.0), num("pages_per_second"));
            assert_eq!(q.expected_downtime.as_ref().map(|f| f.value.0), num("expected_downtime_ms"));
            assert_eq!(q.total_time.as_ref().map(|f| f.value.0), num("total_time_ms"));
            assert_eq!(q.dirty_sync_count.as_ref().map(|f| f.value as f64), num("dirty_sync_count"));
            let mbps = q.throughput.as_ref().map(|f| match f.value {
                Throughput::Mbps(m) => m.0,
                Throughput::MiBPerSec(_) => f64::NAN,
            });
            match (mbps, num("mbps")) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-4, "{a} vs {b}"),
                (a, b) => assert_eq!(a, b),
            }
            // The HMP file of the same moment gives one snapshot too.
            let h = one(&run.join(e["hmp_file"].as_str().expect("hmp_file")));
            assert_eq!(h.status_name(), q.status_name());
        }
    }
}

#[test]
fn a_runs_hmp_series_pasted_together_splits_in_order() {
    for run in runs() {
        let ps = pairs(&run);
        let mut text = String::new();
        for (h, _) in &ps {
            text.push_str("(qemu) info migrate\r\n");
            text.push_str(&read(h));
        }
        let p = parse(&text);
        assert!(p.errors.is_empty(), "{}: {:?}", run.display(), p.errors.first());
        assert_eq!(p.snapshots.len(), ps.len(), "{}", run.display());
        for ((h, _), s) in ps.iter().zip(&p.snapshots) {
            let alone = one(h);
            assert_eq!(s.remaining.as_ref().map(|f| f.value), alone.remaining.as_ref().map(|f| f.value));
            assert_eq!(s.total_time.as_ref().map(|f| f.value), alone.total_time.as_ref().map(|f| f.value));
            assert_eq!(s.status_name(), alone.status_name());
        }
        // Line numbers point into the concatenation.
        let lines: Vec<&str> = text.split('\n').collect();
        for s in &p.snapshots {
            if let Some(r) = &s.remaining {
                assert!(lines[r.source.line - 1].contains(r.source.raw.split(':').next().unwrap_or("")));
            }
        }
        // Series order follows total time.
        let times: Vec<f64> = p
            .snapshots
            .iter()
            .filter(|s| s.remaining.is_some())
            .filter_map(|s| s.total_time.as_ref())
            .map(|f| f.value.0)
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{}", run.display());
    }
}

#[test]
fn the_10_1_all_output_and_final_files_parse() {
    let all = parse(&read(Path::new("tests/data/corpus/runs/10.2.2-A/after/hmp_info_migrate_all_final.txt")));
    assert!(all.errors.is_empty(), "{:?}", all.errors);
    let s = &all.snapshots[0];
    assert_eq!(s.status_name(), "completed");
    assert_eq!(s.downtime.as_ref().map(|f| f.value.0), Some(3.0));
    assert_eq!(s.downtime_bytes.as_ref().map(|f| f.value.0), Some(1322544.0));
    assert_eq!(s.extra.get("duplicate").map(|f| f.value), Some(81441.0));
    // No `dirty=` after completion: QEMU prints it only when non-zero.
    assert_eq!(s.dirty_pages_rate.as_ref().map(|f| f.value.0), Some(0.0));
    let q = parse(&read(Path::new("tests/data/corpus/runs/10.2.2-A/after/qmp_query-migrate_final.json")));
    let qs = &q.snapshots[0];
    assert_eq!(qs.downtime.as_ref().map(|f| f.value.0), Some(3.0));
    if let (Some(h), Some(qq)) = (&s.transferred, &qs.transferred) {
        assert!(allows(Dialect::Hmp10_1, h.value.0, h.precision, qq.value.0), "{h:?} {}", qq.value.0);
    }
    // human-monitor-command reply holds HMP text.
    let hm = parse(&read(Path::new(
        "tests/data/corpus/runs/10.2.2-B/after/qmp_human-monitor-command_info_migrate_final.json",
    )));
    assert!(hm.errors.is_empty(), "{:?}", hm.errors);
    assert_eq!(hm.snapshots.len(), 1);
    assert_eq!(hm.snapshots[0].dialect, Dialect::Hmp10_1);
    assert_eq!(hm.snapshots[0].status_name(), "cancelled");
    assert_eq!(hm.snapshots[0].status.as_ref().map(|f| f.source.line), Some(1));
}

#[test]
fn parameters_capabilities_and_version_in_both_protocols() {
    for run in runs() {
        let b = run.join("before");
        let hp = parse(&read(&b.join("hmp_info_migrate_parameters.txt")));
        let qp = parse(&read(&b.join("qmp_query-migrate-parameters.json")));
        assert!(hp.errors.is_empty() && qp.errors.is_empty(), "{:?} {:?}", hp.errors, qp.errors);
        for p in [&hp, &qp] {
            assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| f.value.0), Some(300.0), "{}", run.display());
            assert_eq!(p.parameters.max_cpu_throttle.as_ref().map(|f| f.value), Some(99.0));
            assert_eq!(p.parameters.cpu_throttle_initial.as_ref().map(|f| f.value), Some(20.0));
            assert!(p.capabilities.is_empty(), "cpu-throttle-tailslow is a parameter");
        }
        let m: Value = serde_json::from_str(&read(&run.join("manifest.json"))).expect("manifest");
        let bw = m["effective_parameters"]["max-bandwidth"].as_f64();
        assert_eq!(hp.parameters.max_bandwidth.as_ref().map(|f| f.value.0), bw);
        assert_eq!(qp.parameters.max_bandwidth.as_ref().map(|f| f.value.0), bw);
        assert_eq!(hp.parameters.other.get("cpu-throttle-tailslow").map(|f| f.value.as_str()), Some("off"));

        let hc = parse(&read(&b.join("hmp_info_migrate_capabilities.txt")));
        let qc = parse(&read(&b.join("qmp_query-migrate-capabilities.json")));
        assert!(hc.errors.is_empty() && qc.errors.is_empty());
        assert!(hc.capabilities.len() >= 20, "{}", hc.capabilities.len());
        let hk: Vec<(&String, bool)> = hc.capabilities.iter().map(|(k, f)| (k, f.value)).collect();
        let qk: Vec<(&String, bool)> = qc.capabilities.iter().map(|(k, f)| (k, f.value)).collect();
        assert_eq!(hk, qk, "{}", run.display());
        let on: Vec<String> = m["effective_capabilities_on"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let parsed_on: Vec<String> = hc.capabilities.iter().filter(|(_, f)| f.value).map(|(k, _)| k.clone()).collect();
        assert_eq!(parsed_on, on, "{}", run.display());

        let raw = parse(&read(&b.join("hmp_raw_transcript_example.bin")));
        assert!(raw.errors.is_empty(), "{:?}", raw.errors);
        assert_eq!(raw.capabilities.len(), hc.capabilities.len());
        let events = raw.capabilities.get("events").expect("events");
        assert!(events.value);
        let raw_text = read(&b.join("hmp_raw_transcript_example.bin"));
        assert!(raw_text.split('\n').nth(events.source.line - 1).unwrap_or("").starts_with("events: on"));
        assert_eq!(events.source.raw, "events: on");

        let hv = b.join("hmp_info_version.txt");
        if hv.exists() {
            let v = parse(&read(&hv)).version.expect("version");
            let qv = parse(&read(&b.join("qmp_query-version.json"))).version.expect("qmp version");
            assert_eq!((v.major, v.minor, v.micro), (qv.major, qv.minor, qv.micro));
            let name = run.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with(&format!("{}.{}.{}", v.major, v.minor, v.micro)), "{name}");
        }
    }
}

#[test]
fn seed_paste_gives_the_write_up_numbers_and_formulas() {
    let text = read(Path::new("tests/data/corpus/seed/as_pasted.txt"));
    let p: Paste = parse(&text);
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| f.value.0), Some(300.0));
    assert_eq!(p.parameters.max_bandwidth.as_ref().map(|f| f.value.0), Some(9223372036853727232.0));
    assert_eq!(p.snapshots.len(), 1);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::HmpMilliseconds);
    assert_eq!(s.remaining.as_ref().map(|f| f.value.0), Some(376892.0 * 1024.0));
    assert_eq!(s.throughput.as_ref().map(|f| f.value), Some(Throughput::Mbps(converge::core::units::Mbps(866.83))));
    assert_eq!(s.dirty_pages_rate.as_ref().map(|f| f.value.0), Some(39044.0));
    assert_eq!(s.expected_downtime.as_ref().map(|f| f.value.0), Some(1475.0));
    assert_eq!(s.page_size.as_ref().map(|f| f.value.0 .0), Some(4096.0));

    let a = converge::core::analyse_text(&text);
    let f = &a.formulas[0];
    let r = |d: &converge::core::derivation::Derivation| d.result.as_ref().map(|q| q.value).unwrap_or(f64::NAN);
    assert!((r(&f.f1) - 1475.94).abs() <= 0.01, "f1 {}", r(&f.f1));
    assert!((r(&f.f2) - 3561.8).abs() <= 0.1, "f2 {}", r(&f.f2));
    let f2d = f.f2_decimal_ms.unwrap_or(f64::NAN);
    assert!((f2d - 3478.3).abs() <= 0.1, "f2 decimal {f2d}");
    assert!((r(&f.f3) - 8819.0).abs() <= 1.0, "f3 {}", r(&f.f3));
}

#[test]
fn virsh_polls_and_job_info() {
    let root = Path::new(CORPUS).join("virsh");
    let mut with_job = 0;
    for f in files_under(&root).into_iter().filter(|f| f.to_string_lossy().contains("/poll/")) {
        let text = read(&f);
        let p = parse(&text);
        assert!(p.errors.is_empty(), "{}: {:?}", f.display(), p.errors);
        if text.contains("Job type:") {
            assert_eq!(p.snapshots.len(), 1, "{}", f.display());
            assert_eq!(p.snapshots[0].dialect, Dialect::Virsh);
            with_job += 1;
        } else {
            assert!(p.snapshots.is_empty(), "{}", f.display());
        }
    }
    assert!(with_job > 100, "{with_job}");

    // One active poll, read by hand from the file.
    let p = parse(&read(&root.join("02-dirty-32MiBps-abort/poll/0010_t+005.000_src_domjobinfo.txt")));
    let s = &p.snapshots[0];
    assert_eq!(s.status.as_ref().map(|f| &f.value), Some(&Status::Active));
    assert_eq!(s.total_time.as_ref().map(|f| f.value.0), Some(4999.0));
    let rem = s.remaining.as_ref().unwrap();
    assert!((rem.value.0 - 338.789 * 1048576.0).abs() < 1e-3);
    assert!(
        matches!(s.throughput.as_ref().map(|f| f.value), Some(Throughput::MiBPerSec(m)) if (m.0 - 32.564).abs() < 1e-9)
    );
    assert_eq!(s.dirty_pages_rate.as_ref().map(|f| f.value.0), Some(0.0));
    assert_eq!(s.page_size.as_ref().map(|f| f.value.0 .0), Some(4096.0));
    assert_eq!(s.dirty_sync_count.as_ref().map(|f| f.value), Some(1));
    assert_eq!(s.expected_downtime.as_ref().map(|f| f.value.0), Some(300.0));
    assert_eq!(s.setup_time.as_ref().map(|f| f.value.0), Some(1.0));

    // --completed and --rawstats of the same job agree within libvirt's 3 decimals.
    let d = root.join("01-idle-8MiBps");
    let h = parse(&read(&d.join("src_domjobinfo_completed.txt")));
    let r = parse(&read(&d.join("src_domjobinfo_completed_rawstats.txt")));
    assert!(h.errors.is_empty() && r.errors.is_empty(), "{:?} {:?}", h.errors, r.errors);
    let (hs, rs) = (&h.snapshots[0], &r.snapshots[0]);
    assert_eq!(hs.status_name(), "completed");
    assert_eq!(rs.status_name(), "completed");
    assert_eq!(hs.downtime.as_ref().map(|f| f.value.0), Some(25.0));
    assert_eq!(rs.downtime.as_ref().map(|f| f.value.0), Some(25.0));
    let (ht, rt) = (hs.transferred.as_ref().unwrap(), rs.transferred.as_ref().unwrap());
    assert_eq!(rt.value.0, 214401322.0);
    match ht.precision {
        Precision::Rounded { lo, hi } => assert!(lo <= rt.value.0 && rt.value.0 <= hi),
        p => panic!("{p:?}"),
    }
    let bw_h = hs.bandwidth().unwrap().0 * 1000.0;
    let bw_r = rs.bandwidth().unwrap().0 * 1000.0;
    assert!((bw_r - 9258196.0).abs() < 1e-3, "{bw_r}");
    assert!((bw_h - bw_r).abs() <= 0.0005 * 1048576.0, "{bw_h} vs {bw_r}");

    // An active --rawstats: `downtime` there is the expected downtime.
    let raw = parse(&read(&root.join("02-dirty-32MiBps-abort/poll/0056_t+028.040_src_domjobinfo_rawstats.txt")));
    let s = &raw.snapshots[0];
    assert_eq!(s.expected_downtime.as_ref().map(|f| f.value.0), Some(7889.0));
    assert!(s.downtime.is_none());
    assert_eq!(s.remaining.as_ref().map(|f| f.value.0), Some(194408448.0));
    assert_eq!(s.dirty_pages_rate.as_ref().map(|f| f.value.0), Some(8315.0));

    // migrate-getmaxdowntime alone in its file; getspeed needs its command.
    let g = parse(&read(&d.join("src_migrate-getmaxdowntime.txt")));
    assert_eq!(g.parameters.downtime_limit.as_ref().map(|f| f.value.0), Some(300.0));
    let sp = read(&d.join("src_migrate-getspeed.txt"));
    assert!(parse(&sp).parameters.max_bandwidth.is_none());
    let with_cmd = parse(&format!("$ virsh migrate-getspeed mig01\n{sp}"));
    assert_eq!(with_cmd.parameters.max_bandwidth.as_ref().map(|f| f.value.0), Some(8796093022207.0 * 1048576.0));
    assert!(with_cmd.errors.is_empty());
    let v = parse(&read(&d.join("src_virsh_version.txt")));
    assert!(v.errors.is_empty());
    assert_eq!(v.version.map(|v| (v.major, v.minor, v.micro)), Some((10, 0, 2)));
}
