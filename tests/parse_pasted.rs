//! Issue 13: what people really paste. Each test reads a hand-made paste in one of
//! the shapes monitor output takes once a person copies it into mail, a bug report
//! or a chat (tests/data/handmade/, see its README), and checks that every value
//! QEMU printed is read, and every line that is not is named with its number.

use converge::core::model::{CounterBug, Dialect, Paste, Status};
use converge::core::parse::parse;

fn handmade(name: &str) -> String {
    std::fs::read_to_string(format!("tests/data/handmade/{name}")).expect(name)
}

/// The line numbers of the diagnostics, in order.
fn error_lines(p: &Paste) -> Vec<usize> {
    p.errors.iter().map(|d| d.line).collect()
}

#[test]
fn class1_mail_quotes_remarks_blank_lines_and_stderr() {
    let p = parse(&handmade("mail_quoted_annotated.txt"));
    // Only the poster's prose is not understood, each line named.
    assert_eq!(error_lines(&p), vec![1, 2, 4, 5, 37, 39], "{:#?}", p.errors);
    assert!(p.errors.iter().all(|d| d.message.starts_with(&format!("line {}: ", d.line))));
    assert_eq!(p.snapshots.len(), 1);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::HmpMilliseconds);
    assert_eq!(s.first_line, 10);
    // `<---- this never goes below 4 s`, `// 1G link`, `# goes up and down`, CJK: values still read.
    let e = s.expected_downtime.as_ref().unwrap();
    assert_eq!((e.value.0, e.source.line), (4123.0, 14));
    assert_eq!(s.throughput.as_ref().map(|t| t.source.line), Some(19));
    assert_eq!(s.bandwidth().map(|b| b.0), Some(941.43 * 125.0));
    assert_eq!(s.remaining.as_ref().map(|r| (r.value.0, r.source.line)), Some((512_372.0 * 1024.0, 20)));
    assert_eq!(s.dirty_sync_count.as_ref().map(|c| (c.value, c.source.line)), Some((38, 27)));
    assert_eq!(s.dirty_pages_rate.as_ref().map(|d| d.value.0), Some(29_012.0));
    assert_eq!(s.total.as_ref().map(|t| t.value.0), Some(67_109_120.0 * 1024.0));
    // `(26 GB)` after a unit is the poster's; a `# remark` line does not end the snapshot.
    assert_eq!(s.extra["normal-bytes"].value, 27_660_748.0 * 1024.0);
    assert_eq!(s.last_line, 31);
    // `>>` (deeper quote) QEMU stderr in the middle: context, not an error, not a value.
    assert_eq!(p.qemu_messages.len(), 1);
    assert_eq!(p.qemu_messages[0].line, 22);
    assert!(p.qemu_messages[0].message.starts_with("qemu-system-ppc64: warning"));
    // `| ` quoted parameters.
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| (f.value.0, f.source.line)), Some((300.0, 34)));
    assert_eq!(p.capability("auto-converge"), Some(false));
    assert_eq!(p.capabilities.len(), 14);
}

#[test]
fn class2_banner_prompts_and_an_indented_block() {
    let p = parse(&handmade("prompts_banners_indented.txt"));
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    // The monitor's banner gives the version.
    let v = p.version.as_ref().unwrap();
    assert_eq!((v.major, v.minor, v.micro, v.source.line), (6, 2, 0, 1));
    assert_eq!(p.snapshots.len(), 2);
    let hmp = &p.snapshots[0];
    assert_eq!(hmp.dialect, Dialect::HmpMs);
    // The whole block is indented: `Outgoing migration blocked:` takes only the line indented
    // past it, so `Migration status:` (as indented as the header) still opens the snapshot.
    assert_eq!(hmp.first_line, 12);
    assert_eq!(hmp.status.as_ref().map(|s| s.value.clone()), Some(Status::Active));
    assert_eq!(hmp.remaining.as_ref().map(|r| r.value.0), Some(97_588.0 * 1024.0));
    assert_eq!(hmp.dirty_pages_rate.as_ref().map(|d| (d.value.0, d.source.line)), Some((24_875.0, 28)));
    assert_eq!(p.lines_understood, 48);
    // `[root@host ~]# ./virsh migrate-getmaxdowntime` then the bare number: the limit.
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| (f.value.0, f.source.line)), Some((500.0, 32)));
    // `$ virsh migrate-getspeed`: MiB/s; libvirt's unlimited, every digit kept.
    let mb = p.parameters.max_bandwidth.as_ref().unwrap();
    assert_eq!(mb.value.0, 9_223_372_036_853_727_232.0);
    assert!(mb.value.is_unlimited());
    // `virsh # domjobinfo`.
    let v = &p.snapshots[1];
    assert_eq!(v.dialect, Dialect::Virsh);
    assert_eq!(v.first_line, 38);
    assert_eq!(v.dirty_sync_count.as_ref().map(|c| c.value), Some(9));
}

#[test]
fn class2_prompts_are_not_taken_for_values() {
    // A shell command between two snapshots ends the first; `# ` and `$ ` alone are prompts.
    let text = "$ virsh qemu-monitor-command vm --hmp 'info migrate'\nremaining ram: 10 kbytes\n# \nuser@kvm01:~$ sleep 5\nremaining ram: 8 kbytes\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(p.snapshots.len(), 2);
    assert_eq!(p.snapshots[1].first_line, 5);
    assert!(p.parameters.other.is_empty());
    let _ = CounterBug::Wraparound;
}

#[test]
fn class3_libvirt_log_lines_carry_qmp() {
    let p = parse(&handmade("libvirtd_log_qmp.txt"));
    // Every log line is recognised: the command echoes, the `Line [...]` debug copy (not
    // read twice), the event, the error lines and libvirt's ` fd=-1` / ` len=48` tails.
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(p.lines_understood, 15);
    assert_eq!(p.snapshots.len(), 3);
    let a = &p.snapshots[0];
    assert_eq!((a.dialect, a.first_line), (Dialect::Qmp, 7));
    assert_eq!(a.remaining.as_ref().map(|r| r.value.0), Some(268_349_440.0));
    assert_eq!(a.bandwidth().map(|b| b.0), Some(1030.71 * 125.0));
    // A reply the log/mail wrapped over five lines, cut inside numbers (`2601` / `45792`).
    let b = &p.snapshots[1];
    assert_eq!((b.first_line, b.last_line), (8, 12));
    assert_eq!(b.remaining.as_ref().map(|r| (r.value.0, r.source.line)), Some((260_145_792.0, 10)));
    assert_eq!(b.dirty_pages_rate.as_ref().map(|r| (r.value.0, r.source.line)), Some((32_988.0, 11)));
    assert_eq!(b.dirty_sync_count.as_ref().map(|c| c.value), Some(13));
    // `cannot parse json` with `"mbps": -nan`: the other fields are read, mbps is named.
    let c = &p.snapshots[2];
    assert_eq!(c.first_line, 14);
    assert!(c.throughput.is_none());
    assert_eq!(c.remaining.as_ref().map(|r| r.value.0), Some(255_852_544.0));
    assert_eq!(c.dirty_sync_count.as_ref().map(|s| s.value), Some(14));
    let f = c.flag("mbps").expect("mbps flagged");
    assert_eq!((f.printed.as_str(), f.bug, f.source.line), ("-nan", CounterBug::NotANumber, 14));
    assert_eq!(f.source.raw, "\"mbps\": -nan");
}

#[test]
fn class3_pretty_printed_reply_with_nan_and_inf() {
    let text = "<- {\n    \"return\": {\n        \"status\": \"active\",\n        \"total-time\": 3021,\n        \"ram\": {\n            \"mbps\": nan,\n            \"dirty-pages-rate\": 0,\n            \"remaining\": 536866816,\n            \"total\": 537403392\n        },\n        \"xbzrle-cache\": {\"cache-miss-rate\": inf}\n    }\n}\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.remaining.as_ref().map(|r| r.value.0), Some(536_866_816.0));
    assert_eq!(s.total_time.as_ref().map(|r| r.value.0), Some(3021.0));
    assert_eq!(s.flag("mbps").map(|f| (f.printed.as_str(), f.source.line)), Some(("nan", 6)));
    assert_eq!(s.flag("xbzrle-cache-miss-rate").map(|f| f.bug), Some(CounterBug::Infinite));
    assert!(s.throughput.is_none() && !s.extra.contains_key("xbzrle-cache-miss-rate"));
}

#[test]
fn class4_prerelease_10_1_layout_beside_the_released_one() {
    let p = parse(&handmade("hmp_10_1_prerelease_kb.txt"));
    assert_eq!(error_lines(&p), vec![22], "{:#?}", p.errors);
    let v = p.version.as_ref().unwrap();
    assert_eq!((v.major, v.minor, v.micro), (10, 0, 50));
    assert_eq!(p.snapshots.len(), 3);
    let dev = &p.snapshots[0];
    assert_eq!(dev.dialect, Dialect::Hmp10_1Kib);
    assert_eq!(dev.expected_downtime.as_ref().map(|e| e.value.0), Some(1834.0));
    assert_eq!(dev.bandwidth().map(|b| b.0), Some(1043.11 * 125.0));
    assert_eq!(dev.page_size.as_ref().map(|f| f.value.0 .0), Some(4096.0));
    assert_eq!(dev.total.as_ref().map(|t| (t.value.0, t.source.line)), Some((16_777_992.0 * 1024.0, 8)));
    // `transferred=..., remain=...,` continues `Sizes (KB):` on the next line.
    let r = dev.remaining.as_ref().unwrap();
    assert_eq!((r.value.0, r.source.line), (251_408.0 * 1024.0, 9));
    assert_eq!(dev.transferred.as_ref().map(|t| t.value.0), Some(10_957_716.0 * 1024.0));
    assert_eq!(dev.pages_per_second.as_ref().map(|t| t.value.0), Some(31_870.0));
    assert_eq!(dev.extra["duplicate"].value, 1_396_721.0);
    assert_eq!(dev.dirty_pages_rate.as_ref().map(|d| d.value.0), Some(33_002.0));
    assert_eq!(dev.dirty_sync_count.as_ref().map(|c| c.value), Some(11));
    let done = &p.snapshots[1];
    assert_eq!(done.status.as_ref().map(|s| s.value.clone()), Some(Status::Completed));
    assert_eq!(done.downtime.as_ref().map(|d| d.value.0), Some(288.0));
    assert_eq!(done.remaining.as_ref().map(|r| (r.value.0, r.source.line)), Some((0.0, 18)));
    let released = &p.snapshots[2];
    assert_eq!(released.dialect, Dialect::Hmp10_1);
    assert_eq!(released.remaining.as_ref().map(|r| r.value.0), Some(238.0 * 1024.0 * 1024.0));
}

#[test]
fn class4_a_continuation_line_only_follows_a_trailing_comma() {
    // Without the comma on the line before, a bare `transferred=` list is not understood.
    let p = parse("Status: active\n  Sizes (KB): psize=4, total=1024\n    transferred=10, remain=5,\n");
    assert_eq!(error_lines(&p), vec![3]);
    assert!(p.snapshots[0].remaining.is_none());
}

#[test]
fn class4_qmp_keys_in_any_order_and_pre_1_0_block_migration() {
    let text = r#"{"return": {"disk": {"total": 21474836480, "remaining": 16374562816, "transferred": 5100273664},
 "ram": {"mbps": 268.44, "remaining": 939524096, "transferred": 134217728, "total": 1073741824},
 "total-time": 40211, "status": "active"}}"#;
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.remaining.as_ref().map(|r| (r.value.0, r.source.line)), Some((939_524_096.0, 2)));
    assert_eq!(s.extra["disk-remaining"].value, 16_374_562_816.0);
    assert_eq!(s.status.as_ref().map(|f| f.source.line), Some(3));
    assert_eq!(s.total_time.as_ref().map(|t| t.value.0), Some(40_211.0));

    let p = parse(&handmade("block_migration_0_12.txt"));
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(p.snapshots.len(), 2);
    let s = &p.snapshots[1];
    assert_eq!(s.extra["disk-remaining"].value, 15_728_640.0 * 1024.0);
    assert_eq!(s.extra["disk-total"].source.line, 17);
    assert_eq!(s.remaining.as_ref().map(|r| r.value.0), Some(786_432.0 * 1024.0));
}

#[test]
fn class5_impossible_counters_are_flagged_and_left_out() {
    let text = handmade("hmp_broken_counters.txt");
    let p = parse(&text);
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(p.snapshots.len(), 3);
    let flags = |i: usize| -> Vec<(String, String, CounterBug, usize)> {
        let mut v: Vec<_> =
            p.snapshots[i].flagged.iter().map(|f| (f.field.clone(), f.printed.clone(), f.bug, f.source.line)).collect();
        v.sort_by_key(|f| f.3);
        v
    };
    // First pass, one second in: QEMU divided by zero and wrapped remaining below zero.
    assert_eq!(
        flags(0),
        vec![
            ("mbps".into(), "-nan".into(), CounterBug::NotANumber, 14),
            ("remaining".into(), "18446744073709551612".into(), CounterBug::Wraparound, 15),
        ]
    );
    let s = &p.snapshots[0];
    assert!(s.throughput.is_none() && s.remaining.is_none());
    assert_eq!(s.flag("remaining").map(|f| f.source.unit.as_str()), Some("kbytes"));
    // Second: negative expected downtime and dirty rate, remaining above total RAM.
    assert_eq!(
        flags(1),
        vec![
            ("expected-downtime".into(), "-41".into(), CounterBug::Negative, 29),
            ("remaining".into(), "4401740".into(), CounterBug::AboveTotal, 33),
            ("dirty-pages-rate".into(), "-1".into(), CounterBug::Negative, 43),
        ]
    );
    let s = &p.snapshots[1];
    assert!(s.expected_downtime.is_none() && s.remaining.is_none());
    // A flagged dirty rate is not the zero QEMU means by leaving the line out.
    assert!(s.dirty_pages_rate.is_none());
    assert!(p.snapshots[2].flagged.is_empty());

    // No formula sees them: only the third snapshot has what F1 and F2 need.
    let a = converge::core::analyse_text(&text);
    let f2: Vec<Option<f64>> = a.formulas.iter().map(|f| f.f2.result_ms()).collect();
    assert_eq!(f2[0], None);
    assert_eq!(f2[1], None);
    assert!(f2[2].is_some_and(|ms| (ms - 100_348.0 * 1024.0 / (1992.46 * 125.0)).abs() < 1e-6));
    assert_eq!(a.formulas[1].f1.result_ms(), None);
    assert_eq!(a.focus, Some(2));
    // The report shows each as printed and says it was left out.
    let report = converge::core::report::text(&a);
    assert!(report.contains("line 15: remaining = 18446744073709551612 kbytes: 2^63 or more"), "{report}");
    assert!(report.contains("line 33: remaining = 4401740 kbytes: more remaining than the guest's total RAM"));
    assert!(report.contains("left out of every formula and recommendation"));
    let json = converge::core::report::json(&a);
    assert_eq!(json["snapshots"][0]["flagged"][1]["printed"], "18446744073709551612");
    assert_eq!(json["snapshots"][0]["flagged"][1]["used_in_formulas"], false);
}

#[test]
fn class5_qmp_negative_and_wrapped_counters() {
    let text = r#"{"return": {"status": "active", "expected-downtime": -12, "total-time": 5000,
 "ram": {"remaining": 18446744073709547520, "total": 4295229440, "mbps": 850.5, "dirty-pages-rate": 100,
 "normal": 18446744073709551615}}}"#;
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.flag("expected-downtime").map(|f| (f.printed.as_str(), f.bug)), Some(("-12", CounterBug::Negative)));
    assert_eq!(
        s.flag("remaining").map(|f| (f.printed.as_str(), f.bug, f.source.line)),
        Some(("18446744073709547520", CounterBug::Wraparound, 2))
    );
    assert_eq!(s.flag("normal").map(|f| f.printed.as_str()), Some("18446744073709551615"));
    assert!(s.remaining.is_none() && s.expected_downtime.is_none() && !s.extra.contains_key("normal"));
    assert_eq!(s.bandwidth().map(|b| b.0), Some(850.5 * 125.0));
}

#[test]
fn class6_integers_are_shown_exactly_as_printed() {
    // libvirt's unlimited (HMP) and INT64_MAX (QMP): every digit, grouped.
    let a = converge::core::analyse_text("max-bandwidth: 9223372036853727232 bytes/second\n");
    let report = converge::core::report::text(&a);
    assert!(report.contains("max-bandwidth: 9,223,372,036,853,727,232 bytes/s"), "{report}");
    let a =
        converge::core::analyse_text(r#"{"return": {"downtime-limit": 300, "max-bandwidth": 9223372036854775807}}"#);
    assert_eq!(a.paste.parameters.exact.get("max-bandwidth"), Some(&9_223_372_036_854_775_807));
    let report = converge::core::report::text(&a);
    assert!(report.contains("max-bandwidth: 9,223,372,036,854,775,807 bytes/s"), "{report}");
    // A counter past 2^53 keeps its digits beside the f64 the formulas use.
    let p = parse(
        r#"{"return": {"status": "active", "ram": {"transferred": 9007199254740993, "remaining": 4096, "total": 9007199254740993}}}"#,
    );
    let s = &p.snapshots[0];
    assert_eq!(s.exact.get("transferred"), Some(&9_007_199_254_740_993));
    assert_eq!(s.exact.get("total"), Some(&9_007_199_254_740_993));
    assert!(!s.exact.contains_key("remaining"), "f64 holds 4096 exactly");
    assert_eq!(converge::core::units::group_int(s.exact["transferred"]), "9,007,199,254,740,993");
}

#[test]
fn class7_a_huge_paste_is_summarised_keeping_every_sync_boundary() {
    // The real `remaining ram` values of 7.2.22-B, cycled, in two-line snapshots whose dirty
    // sync count steps every 300: 60,000 snapshots, 200 sync boundaries.
    let dir = std::path::Path::new("tests/data/corpus/runs/7.2.22-B/snapshots");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    let remaining: Vec<String> = files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with("_hmp.txt"))
        .flat_map(|f| std::fs::read_to_string(f).unwrap().lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| l.starts_with("remaining ram:"))
        .collect();
    assert!(remaining.len() > 100);
    let n = 60_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("dirty sync count: {}\n{}\n", i / 300 + 1, remaining[i % remaining.len()]));
    }
    let a = converge::core::analyse_text(&text);
    let p = &a.paste;
    assert!(p.errors.is_empty());
    let m = p.summary.as_ref().expect("summarised");
    assert_eq!((m.read, m.kept), (n, p.snapshots.len()));
    assert!(p.snapshots.len() <= 4096);
    // Every first snapshot after a sync (what the advice series is made of) is kept, and the last.
    let seqs: std::collections::BTreeSet<usize> = p.snapshots.iter().map(|s| s.seq).collect();
    assert!((0..n).step_by(300).all(|b| seqs.contains(&b)));
    assert!(seqs.contains(&(n - 1)));
    // Each kept snapshot is the one the paste held at that place.
    for s in &p.snapshots {
        assert_eq!(s.first_line, 2 * s.seq + 1);
        assert_eq!(s.dirty_sync_count.as_ref().map(|c| c.value), Some((s.seq / 300 + 1) as u64));
    }
    // An even sample between boundaries, not only the boundaries.
    assert!(p.snapshots.len() > 1000, "{}", p.snapshots.len());
    assert_eq!(a.formulas.len(), p.snapshots.len());
    assert!(converge::core::report::text(&a).contains(&format!("Summarised: {} of 60000 snapshots kept", m.kept)));
}

#[test]
fn class1_text_copied_from_a_web_page() {
    // No-break spaces, a BOM and curly quotes around every JSON string (a blog's typography).
    let p = parse(&handmade("blog_post_copy.txt"));
    assert_eq!(error_lines(&p), vec![1, 11], "{:#?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::Qmp);
    assert_eq!((s.first_line, s.last_line), (3, 9));
    assert_eq!(s.expected_downtime.as_ref().map(|e| (e.value.0, e.source.line)), Some((5893.0, 5)));
    assert_eq!(s.remaining.as_ref().map(|r| (r.value.0, r.source.line)), Some((1_571_901_440.0, 7)));
    assert_eq!(s.dirty_sync_count.as_ref().map(|c| (c.value, c.source.line)), Some((214, 8)));
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| (f.value.0, f.source.line)), Some((300.0, 12)));
}

#[test]
fn class1_mail_wrapped_capabilities_and_prose_with_a_colon() {
    // A 72-column mail client wrapped QEMU 2.x's one-line capabilities, once after a name.
    let text = "> capabilities: xbzrle: off rdma-pin-all: off auto-converge: on zero-blocks:\n> off compress: off events: off postcopy-ram: off x-colo: off release-ram:\n> off return-path: off\n>\n> Migration status: active\n> note: this is from the source host\n> remaining ram: 10 kbytes\n";
    let p = parse(text);
    assert_eq!(error_lines(&p), vec![6], "{:#?}", p.errors);
    assert_eq!(p.capabilities.len(), 10);
    assert_eq!(p.capability("auto-converge"), Some(true));
    assert_eq!(p.capabilities["zero-blocks"].source.line, 2);
    assert_eq!(p.capabilities["return-path"].source.line, 3);
    // `note: this is ...` is prose, not a parameter named `note`.
    assert!(p.parameters.other.is_empty());
    assert_eq!(p.snapshots.len(), 1);
    assert_eq!(p.snapshots[0].remaining.as_ref().map(|r| r.source.line), Some(7));
}

#[test]
fn class2_lines_behind_a_polling_scripts_timestamps() {
    // `virsh domjobinfo | ts` in a shell loop, then a QMP reply logged with `[date]`.
    let p = parse(&handmade("polled_with_timestamps.txt"));
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(p.lines_understood, 25);
    assert_eq!(p.snapshots.len(), 3);
    let first_lines: Vec<usize> = p.snapshots.iter().map(|s| s.first_line).collect();
    assert_eq!(first_lines, vec![2, 18, 28]);
    let syncs: Vec<Option<u64>> = p.snapshots.iter().map(|s| s.dirty_sync_count.as_ref().map(|c| c.value)).collect();
    assert_eq!(syncs, vec![Some(12), Some(13), Some(14)]);
    let s = &p.snapshots[1];
    assert_eq!(s.dialect, Dialect::Virsh);
    assert_eq!(s.expected_downtime.as_ref().map(|e| (e.value.0, e.source.line)), Some((2090.0, 25)));
    let q = &p.snapshots[2];
    assert_eq!(q.dialect, Dialect::Qmp);
    assert_eq!(q.remaining.as_ref().map(|r| r.value.0), Some(252_706_816.0));
}

#[test]
fn class5_virsh_rawstats_and_10_1_layouts_flag_too() {
    let p =
        parse("Job type: 2\nmemory_remaining: 18446744073709551612\nmemory_total: 4295229440\nmemory_bps: 106312500\n");
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(
        s.flag("remaining").map(|f| (f.printed.as_str(), f.bug)),
        Some(("18446744073709551612", CounterBug::Wraparound))
    );
    assert!(s.remaining.is_none() && s.throughput.is_some());

    let p = parse("Status: active\nTime (ms): total=1006, setup=3, exp_down=300\nRAM info:\n  Throughput (Mbps): -nan\n  Sizes: pagesize=4 KiB, total=4 GiB\n  Transfers: transferred=0 B, remain=5.1 GiB\n  Page Rates (pps): transfer=nan\n");
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    let s = &p.snapshots[0];
    let mut bugs: Vec<(&str, CounterBug)> = s.flagged.iter().map(|f| (f.field.as_str(), f.bug)).collect();
    bugs.sort_by_key(|b| b.0);
    assert_eq!(
        bugs,
        vec![
            ("mbps", CounterBug::NotANumber),
            ("pages-per-second", CounterBug::NotANumber),
            ("remaining", CounterBug::AboveTotal),
        ]
    );
    // 5.1 GiB is above 4 GiB even at the edges of both 3-digit roundings.
    assert!(s.remaining.is_none() && s.throughput.is_none() && s.pages_per_second.is_none());
}

#[test]
fn class7_when_every_snapshot_is_a_boundary_those_are_sampled_evenly_and_it_says_so() {
    let n = 50_000;
    let text: String =
        (0..n).map(|i| format!("dirty sync count: {}\nremaining ram: {} kbytes\n", i + 1, 1000 + i)).collect();
    let p = parse(&text);
    let m = p.summary.as_ref().expect("summarised");
    assert!(m.boundary_stride > 1, "{m:?}");
    assert!(p.snapshots.len() <= 4096);
    // Every snapshot is a boundary, so rank = seq: the kept ones are the multiples of the
    // boundary stride, evenly over the whole paste, and the last.
    let seqs: Vec<usize> = p.snapshots.iter().map(|s| s.seq).collect();
    assert_eq!(seqs.first(), Some(&0));
    assert_eq!(seqs.last(), Some(&(n - 1)));
    assert!(seqs[..seqs.len() - 1].iter().all(|q| q % m.boundary_stride == 0));
    assert!(seqs.windows(2).all(|w| w[1] - w[0] <= m.boundary_stride));
    assert!(m.explain().contains("too many to keep all"), "{}", m.explain());
}

#[test]
fn class3_old_qmp_shell_prints_python_repr() {
    // qmp-shell before QEMU 2.x's JSON pretty-printing printed the reply as a Python 2 dict.
    let text = "(QEMU) query-migrate\n{u'return': {u'status': u'active', u'setup-time': 5, u'expected-downtime': 1203, u'total-time': 60712,\n u'ram': {u'total': 4295229440L, u'remaining': 268435456L, u'mbps': 268.44, u'dirty-pages-rate': 7800,\n u'transferred': 2004877312L, u'dirty-sync-count': 4, u'normal-bytes': 1996488704L, u'skipped': 0}}}\n(QEMU) query-migrate-capabilities\n{u'return': [{u'state': False, u'capability': u'xbzrle'}, {u'state': True, u'capability': u'auto-converge'}]}\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::Qmp);
    assert_eq!(s.remaining.as_ref().map(|r| (r.value.0, r.source.line)), Some((268_435_456.0, 3)));
    assert_eq!(s.remaining.as_ref().map(|r| r.source.raw.as_str()), Some("'remaining': 268435456"));
    assert_eq!(s.expected_downtime.as_ref().map(|e| e.value.0), Some(1203.0));
    assert_eq!(s.bandwidth().map(|b| b.0), Some(268.44 * 125.0));
    assert_eq!(p.capability("auto-converge"), Some(true));
    assert_eq!(p.capability("xbzrle"), Some(false));
}

#[test]
fn class3_a_log_wrapped_at_a_fixed_width_cuts_keys_and_numbers() {
    // A terminal 80 columns wide cut the log line wherever it reached the edge.
    let line = "2021-06-02 09:14:03.121+0000: 41900: info : qemuMonitorJSONIOProcessLine:242 : QEMU_MONITOR_RECV_REPLY: mon=0x7f1e54044460 reply={\"return\": {\"expected-downtime\": -5, \"status\": \"active\", \"total-time\": 97211, \"ram\": {\"total\": 17180262400, \"remaining\": 260145792, \"mbps\": 1031.02, \"dirty-pages-rate\": 32988, \"dirty-sync-count\": 13}}, \"id\": \"libvirt-391\"}";
    let chars: Vec<char> = line.chars().collect();
    let text: String = chars.chunks(80).map(|c| c.iter().collect::<String>() + "\n").collect();
    let p = parse(&text);
    assert!(p.errors.is_empty(), "{text}\n{:#?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.remaining.as_ref().map(|r| r.value.0), Some(260_145_792.0));
    assert_eq!(s.dirty_pages_rate.as_ref().map(|r| r.value.0), Some(32_988.0));
    assert_eq!(s.bandwidth().map(|b| b.0), Some(1031.02 * 125.0));
    assert_eq!(s.flag("expected-downtime").map(|f| f.printed.as_str()), Some("-5"));
    assert_eq!(p.lines_understood, text.lines().count());
}
