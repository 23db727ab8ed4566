//! Hand-made pastes for what no real capture has: QEMU 2.x extras, the 10.1
//! development layout, QMP transcripts, terminal noise, mixed order, garbage.

use converge::core::model::{Dialect, Precision, Status, Throughput};
use converge::core::parse::parse;

#[test]
fn qemu_2x_with_capabilities_and_globals_lines() {
    let text = "\
(qemu) info migrate
capabilities: xbzrle: off rdma-pin-all: off auto-converge: on zero-blocks: off compress: off events: off postcopy-ram: off x-colo: off release-ram: off return-path: off
globals: store-global-state=1, only_migratable=0, send-configuration=1, send-section-footer=1
Migration status: active
total time: 5020 milliseconds
expected downtime: 300 milliseconds
setup: 12 milliseconds
transferred ram: 166720 kbytes
throughput: 268.44 mbps
remaining ram: 7910332 kbytes
total ram: 8389440 kbytes
duplicate: 78121 pages
skipped: 0 pages
normal: 41411 pages
normal bytes: 165644 kbytes
dirty sync count: 1
page size: 4 kbytes
cpu throttle percentage: 20
";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.capability("auto-converge"), Some(true));
    assert_eq!(p.capability("xbzrle"), Some(false));
    assert_eq!(p.capabilities.len(), 10);
    assert_eq!(p.capabilities["return-path"].source.line, 2);
    assert_eq!(p.snapshots.len(), 1);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::HmpMilliseconds);
    assert_eq!(s.first_line, 4);
    assert_eq!(s.setup_time.as_ref().map(|f| f.value.0), Some(12.0));
    assert_eq!(s.cpu_throttle_percentage.as_ref().map(|f| f.value), Some(20.0));
    assert_eq!(s.extra["skipped"].value, 0.0);
    assert_eq!(s.extra["normal-bytes"].value, 165644.0 * 1024.0);
    // No `pages-per-second` before 4.0 and no dirty line: the rate is 0, from after `page size`.
    let d = s.dirty_pages_rate.as_ref().unwrap();
    assert_eq!((d.value.0, d.source.line), (0.0, 17));
    assert_eq!(p.lines_understood, 18);
}

#[test]
fn qemu_3x_globals_block_then_status() {
    let text = "globals:\nstore-global-state: on\nonly-migratable: off\nsend-configuration: on\nsend-section-footer: on\ndecompress-error-check: on\nMigration status: completed\ntotal time: 10139 ms\ndowntime: 190 ms\nsetup: 1 ms\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert!(p.capabilities.is_empty() && p.parameters.other.is_empty(), "globals are neither");
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::HmpMs);
    assert_eq!(s.downtime.as_ref().map(|f| (f.value.0, f.source.line)), Some((190.0, 9)));
    assert!(s.expected_downtime.is_none());
}

#[test]
fn qemu_10_1_development_layout_in_kib() {
    let text = "\
Status: active
Time (ms): total=40504, setup=14, exp_down=145
RAM info:
  Throughput (Mbps): 6102.65
  Sizes (KiB): pagesize=4, total=16777992, transferred=37673019, remain=2136404
  Page Types: normal=9394288, zero=600672
  Others: dirty_syncs=3, dirty_pages_rate=278378, postcopy_req=4078
";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::Hmp10_1Kib);
    let r = s.remaining.as_ref().unwrap();
    assert_eq!(r.value.0, 2136404.0 * 1024.0);
    assert_eq!(r.precision, Precision::Truncated { step: 1024.0 });
    assert_eq!(s.page_size.as_ref().map(|f| f.value.0 .0), Some(4096.0));
    assert_eq!(s.dirty_pages_rate.as_ref().map(|f| f.value.0), Some(278378.0));
    assert_eq!(s.expected_downtime.as_ref().map(|f| f.value.0), Some(145.0));
    assert_eq!(s.extra["postcopy-requests"].value, 4078.0);
    assert_eq!(s.extra["duplicate"].value, 600672.0);
}

#[test]
fn qemu_10_1_all_with_throttle_xbzrle_and_globals() {
    let text = "\
Status: \t\tactive
Time (ms): \t\ttotal=92500, setup=0, exp_down=376
RAM info:
  Throughput (Mbps): \t273.16
  Sizes: \t\tpagesize=4 KiB, total=513 MiB
  Transfers: \t\ttransferred=2.93 GiB, remain=7.06 MiB
    Channels: \t\tprecopy=2.93 GiB, multifd=0 B, postcopy=0 B
    Page Types: \tnormal=768698, zero=48683
  Page Rates (pps): \ttransfer=8320, dirty=3268
  Others: \t\tdirty_syncs=22
Globals:
  store-global-state: on
  only-migratable: off
  clear-bitmap-shift: 18
XBZRLE: size=67108864, transferred=0, pages=0, miss=0
  miss_rate=0.00, encode_rate=0.00, overflow=0
CPU Throttle (%): 90
";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.snapshots.len(), 1);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::Hmp10_1);
    assert_eq!(s.cpu_throttle_percentage.as_ref().map(|f| (f.value, f.source.line)), Some((90.0, 17)));
    assert_eq!(s.extra["xbzrle-cache-size"].value, 67108864.0);
    assert_eq!(s.extra["xbzrle-overflow"].source.line, 16);
    let r = s.remaining.as_ref().unwrap();
    assert_eq!(r.source.unit, "MiB");
    match r.precision {
        Precision::Rounded { lo, hi } => {
            assert!((lo - 7.055 * 1048576.0).abs() < 1.0 && (hi - 7.065 * 1048576.0).abs() < 1.0, "{lo} {hi}");
        }
        p => panic!("{p:?}"),
    }
    assert_eq!(s.dirty_pages_rate.as_ref().map(|f| f.value.0), Some(3268.0));
    assert_eq!(s.last_line, 17);
}

#[test]
fn qmp_transcript_with_several_replies_events_and_pretty_printing() {
    let text = r#"-> { "execute": "qmp_capabilities" }
<- { "return": {} }
-> {"execute": "query-migrate-parameters"}
<- {"return": {"downtime-limit": 300, "max-bandwidth": 33554432, "avail-switchover-bandwidth": 0, "tls-creds": "", "cpu-throttle-tailslow": false}}
{"timestamp": {"seconds": 1795654144, "microseconds": 150000}, "event": "MIGRATION", "data": {"status": "setup"}}
-> { "execute": "query-migrate" }
<- {
     "return": {
       "expected-downtime": 7968,
       "status": "active",
       "setup-time": 1,
       "total-time": 30002,
       "ram": {
         "total": 537403392,
         "remaining": 116027392,
         "mbps": 270.45908910891086,
         "transferred": 1024528099,
         "dirty-pages-rate": 8311,
         "page-size": 4096,
         "duplicate": 46496
       }
     }
   }
<- {"return": [{"state": false, "capability": "xbzrle"}, {"state": true, "capability": "auto-converge"}]}
"#;
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| f.value.0), Some(300.0));
    let bw = p.parameters.max_bandwidth.as_ref().unwrap();
    assert_eq!((bw.value.0, bw.source.line, bw.source.raw.as_str()), (33554432.0, 4, "\"max-bandwidth\": 33554432"));
    assert_eq!(p.parameters.other["cpu-throttle-tailslow"].value, "off");
    assert_eq!(p.snapshots.len(), 1);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::Qmp);
    assert_eq!((s.first_line, s.last_line), (7, 23));
    let r = s.remaining.as_ref().unwrap();
    assert_eq!((r.value.0, r.source.line, r.precision), (116027392.0, 15, Precision::Exact));
    assert_eq!(r.source.raw, "\"remaining\": 116027392");
    assert_eq!(s.status.as_ref().map(|f| (&f.value, f.source.line)), Some((&Status::Active, 10)));
    assert_eq!(
        s.throughput.as_ref().map(|f| f.value),
        Some(Throughput::Mbps(converge::core::units::Mbps(270.45908910891086)))
    );
    assert_eq!(s.extra["duplicate"].source.line, 20);
    assert_eq!(p.capability("auto-converge"), Some(true));
    assert_eq!(p.capabilities["xbzrle"].source.line, 24);
    assert_eq!(p.lines_understood, 24);
}

#[test]
fn bare_query_migrate_object_without_wrapper_and_two_replies_on_one_line() {
    let p = parse(
        r#"{"status": "completed", "downtime": 25, "total-time": 23502, "ram": {"remaining": 0, "mbps": 74.07}}{"return": {"status": "cancelled"}}"#,
    );
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.snapshots.len(), 2);
    assert_eq!(p.snapshots[0].downtime.as_ref().map(|f| f.value.0), Some(25.0));
    assert_eq!(p.snapshots[1].status_name(), "cancelled");
}

#[test]
fn human_monitor_command_reply_is_read_as_hmp() {
    let p = parse(
        r#"{"return": "globals:\r\nstore-global-state: on\r\nMigration status: active\r\ntotal time: 30500 ms\r\nremaining ram: 105448 kbytes\r\nthroughput: 268.57 mbps\r\n"}"#,
    );
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::HmpMs);
    assert_eq!(s.remaining.as_ref().map(|f| (f.value.0, f.source.line)), Some((105448.0 * 1024.0, 1)));
    assert_eq!(p.lines_understood, 1);
}

#[test]
fn malformed_json_names_the_line_and_the_rest_still_parses() {
    let text = "{\"return\": {\n  \"status\": \"active\",\n  \"total-time\": 12,,\n}}\nMigration status: active\nremaining ram: 10 kbytes\n";
    let p = parse(text);
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    assert_eq!(p.errors[0].line, 3);
    assert!(p.errors[0].message.contains("malformed JSON"), "{}", p.errors[0].message);
    assert!(p.errors[0].message.contains("line 3 column"), "serde's own words: {}", p.errors[0].message);
    assert_eq!(p.snapshots.len(), 1);
    assert_eq!(p.snapshots[0].remaining.as_ref().map(|f| f.source.line), Some(6));
}

#[test]
fn unclosed_json_does_not_swallow_what_follows() {
    let text = "<- {\"return\": {\"status\": \"active\",\n   \"total-time\": 12\nMigration status: active\nremaining ram: 10 kbytes\n";
    let p = parse(text);
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    assert_eq!(p.errors[0].line, 1);
    assert!(p.errors[0].message.contains("not closed"));
    // The line the open value took is named too.
    assert!(p.errors[0].message.contains("lines 1-2 not read"), "{}", p.errors[0].message);
    assert_eq!(p.snapshots.len(), 1);
    assert_eq!(p.snapshots[0].dialect, Dialect::HmpMs);
}

#[test]
fn interactive_monitor_escape_codes_and_crlf() {
    let text = "(qemu) i\x1b[K\x1b[Din\x1b[K\x1b[D\x1b[Dinf\x1b[K\x1b[D\x1b[D\x1b[Dinfo migrate_parameters\x1b[K\r\n\
downtime-limit: 300 ms\r\n\
max-bandwidth: 33554432 bytes/second\r\n\
\x1b[1mmax-cpu-throttle: 99\x1b[0m\r\n\
(qemu) ";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let d = p.parameters.downtime_limit.as_ref().unwrap();
    assert_eq!(
        (d.value.0, d.source.line, d.source.raw.as_str(), d.source.unit.as_str()),
        (300.0, 2, "downtime-limit: 300 ms", "ms")
    );
    assert_eq!(p.parameters.max_cpu_throttle.as_ref().map(|f| f.value), Some(99.0));
    assert_eq!(p.lines_understood, 5);
}

#[test]
fn parameters_capabilities_and_status_in_any_order() {
    let text = "\
Migration status: active
remaining ram: 96668 kbytes
throughput: 273.16 mbps
auto-converge: on
downtime-limit: 2000 ms
pause-before-switchover: off
total time: 30501 ms
block-incremental: off
cpu-throttle-tailslow: off
";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.capability("auto-converge"), Some(true));
    assert_eq!(p.capability("pause-before-switchover"), Some(false));
    assert_eq!(p.capability("block-incremental"), None);
    assert_eq!(p.capability("cpu-throttle-tailslow"), None);
    assert_eq!(p.parameters.other["block-incremental"].value, "off");
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| f.value.0), Some(2000.0));
    // The status block was interrupted: the later `total time` is a snapshot of its own.
    assert_eq!(p.snapshots.len(), 2);
    assert_eq!(p.snapshots[0].remaining.as_ref().map(|f| f.value.0), Some(96668.0 * 1024.0));
    assert_eq!(p.snapshots[1].total_time.as_ref().map(|f| f.source.line), Some(7));
}

#[test]
fn unknown_capability_after_known_ones_is_a_capability() {
    let p = parse("(qemu) info migrate_capabilities\nxbzrle: off\nfuture-thing: on\n");
    assert!(p.errors.is_empty());
    assert_eq!(p.capability("future-thing"), Some(true));
}

#[test]
fn garbage_lines_are_reported_with_their_numbers() {
    let text = "Migration status: active\n\nremaining ram: abc kbytes\nthroughput: 866.83 mbps\nhello world\ntotal time: 5 s\nStatus: \nTime (ms): total=abc, setup=1\n";
    let p = parse(text);
    let lines: Vec<usize> = p.errors.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![3, 5, 6, 7, 8], "{:?}", p.errors);
    assert_eq!(p.errors[0].message, "line 3: \"remaining ram: abc kbytes\": expected a whole number of kbytes");
    assert!(p.errors[1].message.starts_with("line 5: \"hello world\": not a line of"));
    assert!(p.errors[2].message.contains("expected a whole number of ms"));
    assert!(p.errors[4].message.contains("total=abc"), "{}", p.errors[4].message);
    assert_eq!(p.lines_understood, 2);
    // The good item of a half-bad 10.1 line is still used (in a 10.1 snapshot of its own).
    assert_eq!(p.snapshots.len(), 2);
    assert_eq!(p.snapshots[0].total_time.as_ref().map(|f| f.value.0), None);
    assert_eq!(p.snapshots[1].dialect, Dialect::Hmp10_1);
    assert_eq!(p.snapshots[1].setup_time.as_ref().map(|f| f.value.0), Some(1.0));
}

#[test]
fn time_series_without_status_lines_splits_on_repeated_values() {
    let text = "remaining ram: 100 kbytes\nthroughput: 1.00 mbps\nremaining ram: 90 kbytes\nthroughput: 2.00 mbps\n";
    let p = parse(text);
    assert_eq!(p.snapshots.len(), 2);
    assert_eq!(p.snapshots[1].remaining.as_ref().map(|f| f.value.0), Some(90.0 * 1024.0));
}

#[test]
fn failed_status_with_reason_and_socket_and_blocked_blocks() {
    let text = "\
Outgoing migration blocked:
  Migration is disabled when VirtFS export path '/x' is mounted in the guest
  another reason
Migration status: failed (Unable to write to socket: Broken pipe)
total time: 0 ms
socket address: [
\ttcp:127.0.0.1:4444
]
";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.snapshots[0].status.as_ref().map(|f| &f.value), Some(&Status::Failed));
}

#[test]
fn virsh_prompts_and_bare_values() {
    let text = "virsh # migrate-getmaxdowntime vm1\n300\nuser@host:~$ virsh -c qemu:///system migrate-getspeed vm1\n32\n$ virsh domjobinfo vm1\nJob type:         Unbounded   \nMemory remaining: 257.539 MiB\nMemory bandwidth: 32.564 MiB/s\nDirty rate:       0            pages/s\nerror: some failure\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| (f.value.0, f.source.line)), Some((300.0, 2)));
    assert_eq!(p.parameters.max_bandwidth.as_ref().map(|f| f.value.0), Some(32.0 * 1048576.0));
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::Virsh);
    assert_eq!(s.status.as_ref().map(|f| &f.value), Some(&Status::Active));
    assert!(matches!(s.throughput.as_ref().map(|f| f.value), Some(Throughput::MiBPerSec(_))));
    // A stray number without its command is an error, not a limit.
    let q = parse("Migration status: active\n300\n");
    assert_eq!(q.errors.len(), 1);
    assert!(q.parameters.downtime_limit.is_none());
}

#[test]
fn versions_in_their_forms() {
    for (t, v) in [
        ("10.2.2", (10, 2, 2)),
        ("7.2.22Debian 1:7.2+dfsg-7", (7, 2, 22)),
        ("QEMU emulator version 2.12.0", (2, 12, 0)),
    ] {
        let p = parse(t);
        assert!(p.errors.is_empty(), "{t}: {:?}", p.errors);
        assert_eq!(p.version.map(|x| (x.major, x.minor, x.micro)), Some(v), "{t}");
    }
    let q = parse(r#"{"return": {"qemu": {"micro": 2, "minor": 2, "major": 10}, "package": ""}}"#);
    assert_eq!(q.version.map(|x| (x.major, x.minor, x.micro)), Some((10, 2, 2)));
}

#[test]
fn old_mac_line_ends_and_markdown_fences() {
    let p = parse("```\rdowntime-limit: 300 milliseconds\r```\r");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| (f.value.0, f.source.line)), Some((300.0, 2)));
}

#[test]
fn non_ascii_and_empty_input() {
    let p = parse("");
    assert!(p.snapshots.is_empty() && p.errors.is_empty());
    let q = parse("remaining ram: ３７ kbytes\nthroughput: 8６6.83 mbps\nΣ: ü\n");
    assert_eq!(q.errors.len(), 3, "{:?}", q.errors);
}

#[test]
fn qmp_shell_prompt_and_pretty_reply() {
    let text = "(QEMU) query-migrate\n{\n    \"return\": {\n        \"status\": \"completed\",\n        \"downtime\": 202\n    }\n}\n(QEMU) ";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.snapshots[0].downtime.as_ref().map(|f| (f.value.0, f.source.line)), Some((202.0, 5)));
    assert_eq!(p.lines_understood, 8);
}

#[test]
fn domjobinfo_without_its_job_type_line() {
    let p =
        parse("Memory remaining: 257.539 MiB\nMemory bandwidth: 32.564 MiB/s\nPage size:        4096         bytes\n");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.snapshots.len(), 1);
    let s = &p.snapshots[0];
    assert_eq!(s.dialect, Dialect::Virsh);
    assert!(s.status.is_none());
    assert_eq!(s.page_size.as_ref().map(|f| f.value.0 .0), Some(4096.0));
}

/// The sample output of the QEMU commit that introduced the 10.1 layout (column-aligned with spaces).
#[test]
fn qemu_10_1_upstream_postcopy_sample() {
    let text = "\
(qemu) info migrate
Status:                 postcopy-active
Time (ms):              total=47317, setup=5, down=8
RAM info:
  Throughput (Mbps):    1342.83
  Sizes:                pagesize=4 KiB, total=4.02 GiB
  Transfers:            transferred=1.41 GiB, remain=2.46 GiB
    Channels:           precopy=15.2 MiB, multifd=0 B, postcopy=1.39 GiB
    Page Types:         normal=367713, zero=41195
  Page Rates (pps):     transfer=40900, dirty=4
  Others:               dirty_syncs=2, postcopy_req=57503
";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let s = &p.snapshots[0];
    assert_eq!(s.status.as_ref().map(|f| &f.value), Some(&Status::PostcopyActive));
    assert!(s.is_active());
    assert_eq!(s.downtime.as_ref().map(|f| f.value.0), Some(8.0));
    assert_eq!(s.dirty_pages_rate.as_ref().map(|f| f.value.0), Some(4.0));
    let pre = &s.extra["precopy-bytes"];
    assert_eq!(pre.value, 15.2 * 1048576.0);
    match pre.precision {
        Precision::Rounded { lo, hi } => {
            assert!((lo - 15.15 * 1048576.0).abs() < 1e-3 && (hi - 15.25 * 1048576.0).abs() < 1e-3, "{lo} {hi}")
        }
        p => panic!("{p:?}"),
    }
    let total = s.total.as_ref().unwrap();
    match total.precision {
        Precision::Rounded { lo, hi } => {
            assert!(lo < 4.02 * 1073741824.0 && hi > 4.02 * 1073741824.0 && hi - lo < 0.011 * 1073741824.0)
        }
        p => panic!("{p:?}"),
    }
    assert_eq!(s.extra["postcopy-requests"].value, 57503.0);
}

#[test]
fn qemu_2_7_experimental_throttle_names() {
    let p = converge::core::parse::parse(
        "x-cpu-throttle-initial: 30\nx-cpu-throttle-increment: 5\ndowntime-limit: 300 milliseconds\n",
    );
    assert_eq!(p.parameters.cpu_throttle_initial.as_ref().map(|f| f.value), Some(30.0));
    assert_eq!(p.parameters.cpu_throttle_increment.as_ref().map(|f| f.value), Some(5.0));
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let q = converge::core::parse::parse(r#"{"return": {"x-cpu-throttle-initial": 40, "downtime-limit": 300}}"#);
    assert_eq!(q.parameters.cpu_throttle_initial.as_ref().map(|f| f.value), Some(40.0));
}

#[test]
fn failures_keep_qemus_reason_in_every_layout() {
    let text = std::fs::read_to_string("tests/data/handmade/virsh_monitor_command_and_failures.txt").unwrap();
    let p = converge::core::parse::parse(&text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.snapshots.len(), 3);
    assert_eq!(
        p.snapshots[0].remaining.as_ref().map(|f| f.value.0),
        Some(98_988_032.0),
        "pretty QMP with libvirt's id"
    );
    for s in &p.snapshots[1..] {
        assert_eq!(s.status_name(), "failed");
        assert_eq!(s.error.as_ref().map(|e| e.value.as_str()), Some("Unable to write to socket: Broken pipe"));
    }
    assert_eq!(p.snapshots[1].error.as_ref().map(|e| e.source.line), Some(25));
    let old = converge::core::parse::parse("Migration status: failed (Connection refused)\ntotal time: 0 ms\n");
    assert_eq!(old.snapshots[0].error.as_ref().map(|e| e.value.as_str()), Some("Connection refused"));
    let q = converge::core::parse::parse(r#"{"return": {"status": "failed", "error-desc": "Connection refused"}}"#);
    assert_eq!(q.snapshots[0].error.as_ref().map(|e| e.value.as_str()), Some("Connection refused"));
}
