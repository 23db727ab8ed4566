//! Edge cases: dirty rate 0, bandwidth 0 or missing, dirty rate above bandwidth
//! with no working-set cap, limits above QEMU's 2000 s, empty pastes; and no panic
//! on any numbers at all.
mod advice_support;
use advice_support::*;
use converge::core::advice::simulate::{self, SimInput};
use converge::core::model::*;
use converge::core::units::*;
use converge::core::{analyse, Options};
use proptest::prelude::*;

/// A QEMU 3.0+-style active snapshot (QMP), with the limit pasted.
fn snap(remaining: f64, mbps: Option<f64>, rate: Option<f64>, sync: u64, expected: Option<f64>) -> Paste {
    let mut s = Snapshot::new(Dialect::Qmp, 1);
    s.status = Some(f(Status::Active, 1, "active", ""));
    s.remaining = Some(f(Bytes(remaining), 2, "remaining", "bytes"));
    s.throughput = mbps.map(|m| f(Throughput::Mbps(Mbps(m)), 3, "mbps", "mbps"));
    s.dirty_pages_rate = rate.map(|r| f(PagesPerSec(r), 4, "dirty-pages-rate", ""));
    s.dirty_sync_count = Some(f(sync, 5, "dirty-sync-count", ""));
    s.expected_downtime = expected.map(|e| f(Millis(e), 6, "expected-downtime", "ms"));
    s.total = Some(f(Bytes(8.0 * GIB), 7, "total", "bytes"));
    let mut p = Paste::default();
    p.snapshots.push(s);
    p.parameters.downtime_limit = Some(f(Millis(300.0), 8, "downtime-limit: 300 ms", "ms"));
    p
}

#[test]
fn dirty_rate_zero_converges_after_one_pass_with_no_pause() {
    // 100 MiB left at 1000 Mbps (125,000 bytes/ms), nothing dirtied: QEMU echoes the limit.
    let a = analyse(snap(100.0 * MIB, Some(1000.0), Some(0.0), 3, Some(300.0)), Options::default()).advice;
    let s = a.simulation.expect("sim");
    assert!(s.converges);
    assert_eq!(s.passes, 1);
    assert_eq!(s.final_pause_ms, Some(Millis(0.0)));
    assert!((s.total_time_ms.0 - 100.0 * MIB / 125_000.0).abs() < 1e-9);
    let r = a.recommendation.expect("rec");
    assert_eq!(r.converges_now, None, "no rate measured: the paste cannot tell");
    assert_eq!(r.downtime_limit_ms.0, 300.0);
}

#[test]
fn bandwidth_zero_or_missing_gives_a_message_not_a_number() {
    for mbps in [Some(0.0), None] {
        let a = analyse(snap(100.0 * MIB, mbps, Some(1000.0), 3, None), Options::default()).advice;
        assert!(a.recommendation.is_none(), "{mbps:?}");
        assert!(a.simulation.is_none());
        let note = a.notes.join(" ");
        assert!(note.contains("throughput"), "{mbps:?}: {note}");
        assert!(!a.to_text().contains("NaN") && !a.to_text().contains("inf"));
    }
}

#[test]
fn dirty_rate_above_bandwidth_with_no_working_set_cap_grows_every_pass() {
    // 1 GiB to send at 100,000 bytes/ms while the guest dirties 200,000 bytes/ms of new pages.
    let input = SimInput {
        start_bytes: Bytes(GIB),
        bandwidth: BytesPerMs(100_000.0),
        threshold_bandwidth: BytesPerMs(100_000.0),
        switchover_bandwidth: BytesPerMs(100_000.0),
        dirty_bytes_per_ms: BytesPerMs(200_000.0),
        working_set: None,
        total_ram: None,
        max_passes: 20,
        rate_counts: None,
    };
    let s = simulate::run(&input, Millis(300.0));
    assert!(!s.converges);
    assert_eq!(s.passes, 20);
    for w in s.pass_detail.windows(2) {
        assert_eq!(w[1].send_bytes, w[0].send_bytes * 2.0, "each pass sends twice the last");
    }
    // Its best chance is the first sync: 2 GiB pending needs 21,474.8 ms.
    assert!((s.converging_limit_ms.expect("limit").0 - 2.0 * GIB / 100_000.0).abs() < 1e-6);
    assert_eq!(s.passes_at_converging_limit, Some(1));
    assert!(s.assumptions.iter().any(|a| a.contains("without bound")));
    // Capped by RAM, the pending stops growing at 8 GiB.
    let capped = simulate::run(&SimInput { total_ram: Some(Bytes(8.0 * GIB)), ..input }, Millis(300.0));
    assert_eq!(capped.pass_detail.last().map(|p| p.redirtied_bytes), Some(Bytes(8.0 * GIB)));
}

#[test]
fn a_limit_above_qemus_2000_s_is_refused_and_clamped() {
    // 250 GiB pending at 1000 Mbps = 2,147,484 ms: above the 2,000,000 ms maximum.
    // The guest dirties 40,000 pages/s = 164 MB/s, more than the 125 MB/s sent.
    let mut p = snap(250.0 * GIB, Some(1000.0), Some(40_000.0), 2, None);
    p.snapshots[0].total = Some(f(Bytes(256.0 * GIB), 7, "total", "bytes"));
    let a = analyse(p, Options::default()).advice;
    let r = a.recommendation.expect("rec");
    assert!(r.exceeds_qemu_max);
    assert_eq!(r.downtime_limit_ms.0, MAX_DOWNTIME_LIMIT_MS);
    assert!(r.warnings.iter().any(|w| w.contains("2,000,000 ms")), "{:?}", r.warnings);
    assert_eq!(r.commands.hmp_old_seconds, "migrate_set_downtime 2000");
    let s = a.simulation.expect("sim");
    assert!(!s.converges);
    assert_eq!(s.converging_limit_ms, None, "no limit up to the maximum works");
}

#[test]
fn empty_paste_and_setup_only_say_why() {
    let a = analyse(Paste::default(), Options::default()).advice;
    assert!(a.recommendation.is_none());
    assert!(a.notes.iter().any(|n| n.contains("No migration statistics")));
    let mut p = Paste::default();
    let mut s = Snapshot::new(Dialect::HmpMs, 3);
    s.status = Some(f(Status::Setup, 3, "Migration status: setup", ""));
    p.snapshots.push(s);
    let a = analyse(p, Options::default()).advice;
    assert!(a.notes.iter().any(|n| n.contains("Line 3") && n.contains("setup")), "{:?}", a.notes);
}

#[test]
fn avail_switchover_bandwidth_sets_the_threshold() {
    // 1 GiB pending, live phase 32 MiB/s-ish (270 Mbps), avail-switchover-bandwidth 1.25 GB/s.
    let mut p = snap(GIB, Some(270.0), Some(8000.0), 4, None);
    p.parameters.avail_switchover_bandwidth =
        Some(f(BytesPerSec(1.25e9), 9, "avail-switchover-bandwidth: 1250000000 bytes/second", "bytes/second"));
    let a = analyse(p, Options::default()).advice;
    let i = a.inputs.expect("inputs");
    assert_eq!(i.threshold_bandwidth_bytes_per_ms, BytesPerMs(1.25e6));
    let r = a.recommendation.expect("rec");
    assert!((r.base_ms.0 - GIB / 1.25e6).abs() < 1e-9, "{}", r.base_ms);
}

#[test]
fn text_snapshot_of_a_cancelled_paste() {
    let mut p = Paste::default();
    let mut s = Snapshot::new(Dialect::HmpMs, 1);
    s.status = Some(f(Status::Cancelled, 1, "Migration status: cancelled", ""));
    s.total_time = Some(f(Millis(0.0), 2, "total time: 0 ms", "ms"));
    p.snapshots.push(s);
    insta::assert_snapshot!("cancelled", analyse(p, Options::default()).advice.to_text());
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(-1.0), Just(f64::NAN), Just(f64::INFINITY), Just(f64::MAX), Just(1e-300), 0.0..1e13f64,]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn never_panics_on_any_numbers(rem in any_f64(), mbps in any_f64(), rate in any_f64(), exp in any_f64(), limit in any_f64(), sync in 0u64..5, page in prop_oneof![Just(0.0), Just(4096.0), Just(16.0 * MIB), any_f64()]) {
        let mut p = snap(rem, Some(mbps), Some(rate), sync, Some(exp));
        p.parameters.downtime_limit = Some(f(Millis(limit), 8, "downtime-limit", "ms"));
        p.parameters.max_bandwidth = Some(f(BytesPerSec(mbps * 1e5), 9, "max-bandwidth", ""));
        let o = Options { backing_page: PageSize(Bytes(page)), link_bytes_per_s: Some(rate * 1e3), ..Options::default() };
        let a = analyse(p, o).advice;
        let text = a.to_text();
        prop_assert!(!text.contains("NaN") && !text.contains("inf "), "{}", text);
        prop_assert!(serde_json::to_string(&a).is_ok());
    }
}

#[test]
fn numbers_typed_in_get_a_recommendation() {
    use converge::core::analysis::Overrides;
    // The seed's numbers typed into the form: same answer as the paste.
    let o = Options {
        overrides: Overrides {
            remaining_bytes: Some(385_937_408.0),
            throughput_mbps: Some(866.83),
            dirty_pages_rate: Some(39_044.0),
            downtime_limit_ms: Some(300.0),
            ..Overrides::default()
        },
        ..Options::default()
    };
    let r = analyse(Paste::default(), o).advice.recommendation.expect("rec");
    assert_eq!(r.downtime_limit_ms.0, 4500.0);
    assert_eq!(r.converges_now, Some(false));
    // Without a dirty rate: the limit still covers the pending bytes given, but convergence is unknown.
    let o = Options {
        overrides: Overrides {
            remaining_bytes: Some(385_937_408.0),
            throughput_mbps: Some(866.83),
            ..Overrides::default()
        },
        ..Options::default()
    };
    let r = analyse(Paste::default(), o).advice.recommendation.expect("rec");
    assert!(r.downtime_limit_ms.0 > 3561.8 && r.downtime_limit_ms.0 <= 4500.0, "{}", r.downtime_limit_ms);
    assert_eq!(r.converges_now, None);
    assert!(r.confidence.reasons.iter().any(|x| x.contains("typed in")));
}

#[test]
fn a_margin_cut_by_the_maximum_is_said() {
    // 1.9e6 ms needed: +margin would pass 2,000,000 ms, so the limit is the maximum with a thin margin.
    let rem = 1_900_000.0 * 125_000.0;
    let mut p = snap(rem, Some(1000.0), Some(40_000.0), 2, None);
    p.snapshots[0].total = Some(f(Bytes(256.0 * GIB), 7, "total", "bytes"));
    let r = analyse(p, Options::default()).advice.recommendation.expect("rec");
    assert!(!r.exceeds_qemu_max);
    assert_eq!(r.downtime_limit_ms.0, MAX_DOWNTIME_LIMIT_MS);
    assert!(r.warnings.iter().any(|w| w.contains("margin is cut")), "{:?}", r.warnings);
}

#[test]
fn a_kept_limit_pauses_for_what_the_shrinking_passes_leave() {
    // Dirty rate 0.63x the bandwidth: the simulation converges at the default 300 ms, so the
    // advice keeps it, and the pause is the simulated final one, not today's 1,204 ms.
    let text = std::fs::read_to_string("tests/data/handmade/qmp_converging_nested.json").unwrap();
    let a = converge::core::analyse_text(&text);
    assert!(a.paste.errors.is_empty(), "{:?}", a.paste.errors);
    let r = a.advice.recommendation.as_ref().unwrap();
    let sim = a.advice.simulation.as_ref().unwrap();
    assert_eq!(r.downtime_limit_ms.0, 300.0);
    assert_eq!(r.converges_now, Some(true));
    assert_eq!(Some(r.expected_pause_ms), sim.final_pause_ms);
    assert!(r.expected_pause_ms.0 <= 300.0, "{}", r.expected_pause_ms);
}

#[test]
fn in_postcopy_no_limit_is_recommended() {
    let text = std::fs::read_to_string("tests/data/handmade/hmp_postcopy_active.txt").unwrap();
    let a = converge::core::analyse_text(&text);
    assert!(a.paste.errors.is_empty(), "{:?}", a.paste.errors);
    let r = a.advice.recommendation.as_ref().unwrap();
    assert_eq!(r.downtime_limit_ms.0, 300.0, "keeps the limit in force");
    assert!(r.basis.starts_with("Postcopy is running"), "{}", r.basis);
    assert!(r.basis.contains("120 MiB is still on the source"), "{}", r.basis);
    let paused = converge::core::analyse_text(&text.replace("postcopy-active", "postcopy-paused"));
    assert!(paused.advice.recommendation.unwrap().basis.contains("migrate_recover"));
}
