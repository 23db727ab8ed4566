//! Every real run of the corpus, from its real QMP replies: converging runs say so,
//! the B runs (64 MiB/s of dirtying behind a 32 MiB/s cap) do not at 300 ms.
mod advice_support;
use advice_support::*;
use converge::core::advice::Level;
use converge::core::inference::PrintedFormula;
use converge::core::model::{Paste, Status};
use converge::core::units::*;
use converge::core::{analyse, Options};

const CONVERGED: [&str; 5] = ["7.2.22-A", "10.0.2-A", "10.0.2-D", "10.0.2-E", "10.2.2-A"];
const STUCK: [&str; 3] = ["7.2.22-B", "10.0.2-B", "10.2.2-B"];

#[test]
fn manifest_outcomes_match_the_lists_above() {
    for r in CONVERGED {
        assert_eq!(manifest(r)["outcome"], "converged", "{r}");
    }
    for r in STUCK {
        assert_eq!(manifest(r)["outcome"], "cancelled (did not converge)", "{r}");
    }
}

#[test]
fn converged_runs_say_so_with_their_measured_downtime() {
    for r in CONVERGED {
        let a = analyse_run(r, true).advice;
        let rec = a.recommendation.unwrap_or_else(|| panic!("{r}: no recommendation"));
        assert_eq!(rec.converges_now, Some(true), "{r}");
        assert_eq!(rec.downtime_limit_ms.0, 300.0, "{r}: keep the limit that worked");
        let measured = manifest(r)["final_downtime_ms"].as_f64().expect("downtime");
        assert_eq!(rec.expected_pause_ms.0, measured, "{r}");
        let sim = a.simulation.unwrap_or_else(|| panic!("{r}: no simulation"));
        assert!(sim.converges, "{r}: the simulation from the last active snapshot converges");
    }
}

#[test]
fn converging_runs_converge_in_the_simulation_from_their_active_snapshots() {
    for r in CONVERGED {
        let a = analyse_run(r, false).advice;
        let sim = a.simulation.unwrap_or_else(|| panic!("{r}: no simulation"));
        assert!(sim.converges, "{r}: {}", sim.outcome);
        let rec = a.recommendation.expect("rec");
        assert_eq!(rec.downtime_limit_ms.0, 300.0, "{r}");
        assert_ne!(rec.converges_now, Some(false), "{r}");
    }
    // The idle and E runs end in the first pass: QEMU had not measured a dirty rate yet.
    for r in ["7.2.22-A", "10.0.2-A", "10.0.2-E", "10.2.2-A"] {
        let a = analyse_run(r, false).advice;
        assert_eq!(a.recommendation.expect("rec").converges_now, None, "{r}");
        assert_eq!(a.simulation.expect("sim").passes, 1, "{r}");
    }
    // D (auto-converge) has shrinking post-sync points: 300 ms works.
    let d = analyse_run("10.0.2-D", false).advice;
    assert_eq!(d.recommendation.expect("rec").converges_now, Some(true));
    let series = d.series.expect("series");
    assert_eq!(series.stalled, Some(false));
    // QEMU 10.0.2 with auto-converge: a sync every 5 s, one point each, none lost or merged.
    assert!(series.forced_syncs);
    let syncs: Vec<u64> = series.points.iter().filter_map(|p| p.sync_count).collect();
    assert!(syncs.len() >= 18, "{syncs:?}");
    assert!(syncs.windows(2).all(|w| w[1] > w[0]), "{syncs:?}");
    let (first, last) = (
        series.points[0].time_ms.map(|v| v.0).unwrap_or(0.0),
        series.points.last().and_then(|p| p.time_ms.map(|v| v.0)).unwrap_or(0.0),
    );
    let per_point = (last - first) / (syncs.len() - 1) as f64;
    assert!((4000.0..5500.0).contains(&per_point), "{per_point} ms per sync");
}

#[test]
fn b_runs_do_not_converge_at_300_ms() {
    for r in STUCK {
        for full in [false, true] {
            let a = analyse_run(r, full).advice;
            let rec = a.recommendation.unwrap_or_else(|| panic!("{r}: no recommendation"));
            assert_eq!(rec.converges_now, Some(false), "{r}");
            let sim = a.simulation.expect("sim");
            assert!(!sim.converges, "{r}");
            // 256 MiB working set re-dirtied every pass at ~32.6 MiB/s: about 8 s.
            let need = sim.converging_limit_ms.expect("converging limit").0;
            assert!((7800.0..8600.0).contains(&need), "{r}: {need}");
            let at = a.simulation_at_recommended.expect("at rec");
            assert!(at.converges && at.passes == 1, "{r}: {}", at.outcome);
            let s = a.series.expect("series");
            assert_eq!(s.stalled, Some(true), "{r}: {}", s.stall_reason);
            assert!(s.bandwidth_stable, "{r}");
        }
    }
}

#[test]
fn the_limit_recommended_from_a_b_run_switches_over_at_every_post_sync_point() {
    for r in STUCK {
        let a = analyse_run(r, false).advice;
        let rec = a.recommendation.expect("rec");
        let s = a.series.expect("series");
        assert!(s.points.len() >= 5, "{r}: {} points", s.points.len());
        let worst = s.points.iter().map(|p| p.limit_needed_ms.0).fold(0.0, f64::max);
        for p in &s.points {
            assert!(p.pending_bytes < p.bandwidth_bytes_per_ms * rec.downtime_limit_ms, "{r}: sync {:?}", p.sync_count);
        }
        assert!(
            rec.downtime_limit_ms.0 < worst * 1.35,
            "{r}: {} is more than margin + rounding over {worst}",
            rec.downtime_limit_ms
        );
        assert_eq!(rec.confidence.level, Level::High, "{r}");
        assert!(rec.downtime_limit_ms.0 >= 1000.0 && rec.warnings.iter().any(|w| w.contains("heartbeat")));
    }
    // 10.0.2-B: the post-sync pending is 7889 ms x 273.16368 Mbps = 269.4 MB, QEMU's own last-sync bytes.
    let a = analyse_run("10.0.2-B", false).advice;
    let rec = a.recommendation.expect("rec");
    assert!(
        (rec.base_pending_bytes.0 - 7889.0 * 273.16368 * 125.0).abs() < 7889.0 * 125.0,
        "{}",
        rec.base_pending_bytes.0
    );
    assert_eq!(rec.downtime_limit_ms.0, 9000.0);
}

#[test]
fn the_capped_live_phase_is_recognised_and_the_link_measured() {
    let b = analyse_run("10.0.2-B", true).advice;
    let i = b.inputs.expect("inputs");
    assert_eq!(i.max_bandwidth_bytes_per_s, Some(BytesPerSec(33_554_432.0)));
    assert_eq!(i.live_phase_capped, Some(true));
    assert_eq!(i.supports_avail_switchover, Some(true));
    // D's switchover: 8,762,049 bytes in 6 ms, after a 32 MiB/s live phase.
    let d = analyse_run("10.0.2-D", true).advice;
    let link = d.inputs.expect("inputs").link_bytes_per_ms.expect("measured link");
    assert_eq!(link, BytesPerMs(8_762_049.0 / 6.0));
}

#[test]
fn avail_switchover_at_the_measured_link_speed_makes_300_ms_enough_for_b() {
    // The link speed D measured at its switchover (1.46 GB/s over loopback).
    let o = Options { link_bytes_per_s: Some(8_762_049.0 / 6.0 * 1000.0), ..x86_options() };
    let a = analyse(run_paste("10.0.2-B", false), o).advice;
    let sw = a.switchover_bandwidth.expect("sw");
    let with = sw.limit_with_avail_ms.expect("with avail").0;
    assert!((150.0..250.0).contains(&with), "{with}");
    assert!(sw.limit_without_ms > Millis(7800.0));
    let rec = a.recommendation.expect("rec");
    assert!(rec.pause_at_link_ms.expect("pause at link").0 < 300.0);
    let lever = a.levers.iter().find(|l| l.name == "avail-switchover-bandwidth").expect("lever");
    assert_eq!(lever.converges_at_limit_in_force, Some(true));
}

#[test]
fn a_cancelled_run_has_no_statistics_left() {
    let full = run_paste("10.0.2-B", true);
    let last = full.snapshots.last().cloned().expect("final");
    assert_eq!(last.status.as_ref().map(|s| s.value.clone()), Some(Status::Cancelled));
    let mut p = Paste { parameters: full.parameters.clone(), ..Paste::default() };
    p.snapshots.push(last);
    let a = analyse(p, x86_options()).advice;
    assert!(a.recommendation.is_none());
    assert!(a.simulation.is_none());
    assert!(a.notes.iter().any(|n| n.contains("cancelled")), "{:?}", a.notes);
}

#[test]
fn auto_converge_triggers_on_b() {
    let a = analyse_run("10.0.2-B", false).advice;
    let l = a.levers.iter().find(|l| l.name == "auto-converge").expect("lever");
    assert!(l.current.starts_with("off"));
    assert!(l.effect.contains("trigger 50 %"), "{}", l.effect);
}

#[test]
fn text_snapshots() {
    insta::assert_snapshot!("b_10_0_2_active", analyse_run("10.0.2-B", false).advice.to_text());
    insta::assert_snapshot!("d_10_0_2_completed", analyse_run("10.0.2-D", true).advice.to_text());
    insta::assert_snapshot!("a_10_2_2_first_pass", analyse_run("10.2.2-A", false).advice.to_text());
}

#[test]
fn chart_helpers_rerun_the_model_at_any_limit() {
    let a = analyse_run("10.0.2-B", false).advice;
    assert!(!a.simulate_at(Millis(300.0)).expect("sim").converges);
    assert!(a.simulate_at(Millis(9000.0)).expect("sim").converges);
    let pts = a.sync_points();
    assert_eq!(pts.len(), a.series.as_ref().expect("series").points.len());
    let curve = a.limit_vs_bandwidth(&[BytesPerMs(33_807.386), BytesPerMs(1_250_000.0), BytesPerMs(0.0)]);
    assert_eq!(curve.len(), 2, "a zero bandwidth is left out");
    assert!(curve[0].1 .0 > 7800.0 && curve[1].1 .0 < 300.0);
}

#[test]
fn the_measured_switchover_quoted_in_the_advice_is_the_corpus_run_d() {
    let m = manifest("10.0.2-D");
    assert_eq!(m["final_ram"]["downtime-bytes"], 8_762_049);
    assert_eq!(m["final_downtime_ms"], 6);
    let text = converge::core::advice::switchover_bw::MEASURED;
    assert!(text.contains("8,762,049 bytes") && text.contains("6 ms"));
    // 8,762,049 bytes at the live phase's 273.16368 Mbps: 256.6 ms.
    assert!(text.contains("257 ms"));
    assert_eq!((8_762_049.0f64 / (273.16368 * 125.0)).round(), 257.0);
}

#[test]
fn avail_switchover_estimates_are_back_solved_with_avail_over_1000() {
    // 10.0.2-V64: max-bandwidth 32 MiB/s (measured 273.16 Mbps = 34,145 bytes/ms),
    // avail-switchover-bandwidth 64 MiB/s = 67,108.864 bytes/ms. QEMU printed 4,014 ms while
    // remaining was up to 259 MB: 4,014 x 34,145 = 137 MB cannot be the last-sync bytes,
    // 4,014 x 67,108.864 = 269.4 MB can (migration.c migration_update_counters, 8.2+).
    let p = run_paste("10.0.2-V64", false);
    let a = analyse(p.clone(), x86_options());
    let (i, f) = (a.focus.expect("focus"), a.focus_formulas().expect("formulas"));
    let s = &a.paste.snapshots[i];
    assert_eq!(s.expected_downtime.as_ref().map(|e| e.value.0), Some(4014.0));
    let pb = f.printed_by.as_ref().expect("printed by");
    assert_eq!(pb.formula, PrintedFormula::F2, "{}", pb.explanation);
    assert!(pb.era.contains("avail-switchover-bandwidth"));
    let today = f.today.result_ms().expect("today");
    assert!((today - 4014.0).abs() < 1.0, "today's formula reproduces the printed value: {today}");
    let inputs = a.advice.inputs.as_ref().expect("inputs");
    assert_eq!(inputs.threshold_bandwidth_bytes_per_ms, BytesPerMs(67_108.864));
    assert!((inputs.pending_bytes.0 - 4014.0 * 67_108.864).abs() < 1.0, "{}", inputs.pending_bytes);
    let r = a.advice.recommendation.as_ref().expect("rec");
    assert!((r.base_ms.0 - 4014.0).abs() < 1.0, "pending / avail: {}", r.base_ms.0);
    // Raising the limit alone must beat pending / avail, not pending / the capped bandwidth.
    let sw = a.advice.switchover_bandwidth.as_ref().expect("sw");
    assert!((sw.limit_without_ms.0 - 4014.0).abs() < 1.0, "{:?}", sw.limit_without_ms);
    // avail is set: no advice to set it.
    assert!(!r.warnings.iter().any(|w| w.contains("fixes the estimate instead")), "{:?}", r.warnings);
    assert_eq!(r.converges_now, Some(false));
    assert_eq!(f.switches_over, Some(false));
    // The same snapshots without the parameters: the paste dates the QEMU (10.0.2) but cannot
    // show avail, so the engine says the estimate may have been divided by it.
    let mut bare = p;
    bare.parameters = Default::default();
    let a = analyse(bare, x86_options());
    let f = a.focus_formulas().expect("formulas");
    assert!(f.today.notes.iter().any(|n| n.contains("its parameters were not pasted")), "{:?}", f.today.notes);
    // Early in a pass remaining exceeds what the measured bandwidth explains: the engine names avail.
    let unknown: Vec<_> = a
        .formulas
        .iter()
        .filter_map(|f| f.printed_by.as_ref())
        .filter(|p| p.formula == PrintedFormula::Unknown)
        .collect();
    assert!(unknown.len() > 10, "{}", unknown.len());
    for pb in unknown {
        assert!(
            pb.explanation.contains("avail-switchover-bandwidth / 1000, which would then be at least"),
            "{}",
            pb.explanation
        );
    }
}

#[test]
fn auto_converge_steps_every_second_high_period_as_run_d_did() {
    use converge::core::advice::{auto_converge, SimInput};
    // Run D (QEMU 10.0.2, auto-converge on, 64 MiB/s of dirtying behind 32 MiB/s): the real
    // throttle rose 20, 30, ..., 90 % every 10 s, i.e. on every second 5 s forced sync.
    let full = run_paste("10.0.2-D", true);
    let real: Vec<(f64, f64)> = full
        .snapshots
        .iter()
        .filter_map(|s| Some((s.total_time.as_ref()?.value.0, s.cpu_throttle_percentage.as_ref()?.value)))
        .collect();
    let rises: Vec<f64> = real.windows(2).filter(|w| w[1].1 > w[0].1).map(|w| w[1].0).collect();
    assert_eq!(rises.len(), 7, "{rises:?}");
    for w in rises.windows(2) {
        assert!((w[1] - w[0] - 10_000.0).abs() < 600.0, "real rises 10 s apart: {rises:?}");
    }
    // The model from the snapshot at sync 12 (rate 8,320 pages/s, about the bandwidth), with
    // auto-converge just turned on: every period is high until the throttle bites.
    let mut p = run_paste("10.0.2-D", false);
    let at =
        p.snapshots.iter().position(|s| s.dirty_sync_count.as_ref().is_some_and(|c| c.value == 12)).expect("sync 12");
    p.snapshots.truncate(at + 1);
    let a = analyse(p, x86_options()).advice;
    let i = a.inputs.as_ref().expect("inputs");
    assert_eq!(i.forced_sync_5s, Some(true), "10.0.2 forces a sync every 5 s");
    let run = auto_converge::run(i, &SimInput::from_inputs(i));
    eprintln!(
        "model: {} syncs, {} passes, {} ms, {} %: {:?}",
        run.syncs, run.passes, run.time_ms, run.throttle_pct, run.steps
    );
    assert!(run.forced_syncs && run.converges, "{run:?}");
    // While a pass outlasts 5 s, the syncs are the forced ones: a step every 2 of them, 10 s apart.
    let (s0, s1) = (&run.steps[0], &run.steps[1]);
    assert_eq!((s0.sync, s0.at_ms.0, s0.throttle_pct), (2, 10_000.0, 20.0));
    assert_eq!((s1.sync, s1.at_ms.0, s1.throttle_pct), (4, 20_000.0, 30.0));
    for w in run.steps.windows(2) {
        assert!(w[1].sync - w[0].sync >= 2, "never two steps in a row: {:?}", run.steps);
        assert_eq!(w[1].throttle_pct - w[0].throttle_pct, 10.0);
    }
}

#[test]
fn the_switchover_verdict_is_typed_on_real_snapshots_below_the_threshold() {
    let (mut below, mut above) = (0, 0);
    for run in RUNS {
        let a = analyse_run(run, true);
        for (s, f) in a.paste.snapshots.iter().zip(&a.formulas) {
            let Some(v) = f.switches_over else { continue };
            let ratio = f.switchover.result_ms().expect("ratio");
            assert_eq!(v, ratio < 1.0, "{run} line {}: ratio {ratio}", s.first_line);
            if v {
                below += 1;
            } else {
                above += 1;
            }
        }
    }
    eprintln!("{below} snapshots below the threshold, {above} above");
    assert!(below > 0 && above > 100, "{below} below, {above} above");
}
