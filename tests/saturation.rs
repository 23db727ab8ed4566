//! A saturated dirty rate is a lower bound (H10): on the run-B captures (a guest writing
//! 64 MiB/s of distinct 4 KiB pages over 256 MiB behind a 32 MiB/s cap) every pass re-dirties
//! the ~256 MiB it sent and QEMU prints about the bandwidth as the rate. The plan must then
//! never promise that more bandwidth suffices; the seed (one 2.12 snapshot) is not touched.
use converge::core::advice::{RateBound, Saturation};
use converge::core::plan::*;
use converge::core::units::*;
use converge::core::{analyse, parse, Analysis, Options, Platform};
mod advice_support;
use advice_support::{corpus_text, hmp_series};

fn x86() -> Options {
    Options { backing_page: PageSize::TARGET_4K, ..Options::default() }
}

/// The run's series, every 12th output, without and with its `info migrate_parameters`.
fn run_b(run: &str) -> [Analysis; 2] {
    let series = hmp_series(run, 12, 12, 10);
    let params = corpus_text(&format!("runs/{run}/before/hmp_info_migrate_parameters.txt"));
    [
        analyse(parse::parse(&series), x86()),
        analyse(parse::parse(&format!("(qemu) info migrate_parameters\n{params}{series}")), x86()),
    ]
}

const RUNS: [&str; 3] = ["10.0.2-B", "7.2.22-B", "10.2.2-B"];

#[test]
fn run_b_series_are_seen_saturated_with_the_flat_256_mib() {
    for run in RUNS {
        for a in run_b(run) {
            let i = a.advice.inputs.as_ref().expect("inputs");
            match &i.rate_bound {
                RateBound::LowerBound { saturation, ratio, per_pass, points, reason, .. } => {
                    assert_eq!(*saturation, Saturation::Seen, "{run}");
                    assert!(*ratio >= 0.9, "{run}: {ratio}");
                    // The post-sync pending of run B: 256-263 MiB pass after pass.
                    assert!((255.0..264.0).contains(&(per_pass.0 / MIB)), "{run}: {}", per_pass.0 / MIB);
                    assert!(*points >= 2, "{run}");
                    assert!(reason.contains("migration/ram.c") && reason.contains("a model"), "{reason}");
                }
                m => panic!("{run}: {m:?}"),
            }
            assert!(a.plan.diagnosis.text.contains("is a lower bound because every pass re-dirtied"), "{run}");
        }
    }
}

#[test]
fn run_b_plans_never_say_the_limit_suffices_with_more_bandwidth() {
    for run in RUNS {
        for a in run_b(run) {
            let p = &a.plan.action;
            assert_eq!(p.kind, ActionKind::SetDowntimeLimit, "{run}: {}", p.text);
            assert!(!p.text.contains("suffices"), "{run}: {}", p.text);
            // The headline pause is the limit's: pending at the measured rate up to the limit.
            let limit = p.steps[0].limit.expect("limit");
            let pause = p.pause.as_ref().expect("pause");
            assert_eq!(pause.high, limit, "{run}");
            assert!(pause.low.expect("low").0 > 7_000.0, "{run}: {pause:?}");
            let bw = a.plan.options.iter().find(|o| o.lever == Lever::MaxBandwidth).expect("max-bandwidth offered");
            assert!(bw.is_trial(), "{run}");
            assert_eq!(bw.confidence, Some(Level::Low));
            assert_eq!(bw.total_time, None, "{run}: no time on a rate the paste cannot tell");
            let why = bw.costs.iter().find(|c| c.kind == CostKind::MayNotHelp).expect("why");
            assert!(why.text.contains("converges only if the guest writes less than"), "{}", why.text);
            assert!(p.notes[0].contains("can be tried first"), "{run}: {:?}", p.notes);
            // The advice's lever no longer claims convergence at the limit in force either.
            let lever = a.advice.levers.iter().find(|l| l.name == "max-bandwidth").expect("lever");
            assert_eq!(lever.converges_at_limit_in_force, None, "{run}");
            assert!(lever.effect.contains("is a lower bound"), "{}", lever.effect);
        }
    }
}

#[test]
fn the_rate_the_guest_must_stay_below_is_under_the_new_bandwidth_and_above_the_printed_one() {
    let [a, _] = run_b("10.0.2-B");
    let bw = a.plan.options.iter().find(|o| o.lever == Lever::MaxBandwidth).expect("max-bandwidth");
    let why = &bw.costs.iter().find(|c| c.kind == CostKind::MayNotHelp).expect("why").text;
    // 65 MiB/s new; 256 MiB shrinking below 65 MiB/s x 300 ms within 50 passes needs < ~0.95x.
    assert!(why.contains("less than 61 MiB/s (the pre-copy simulation at 65 MiB/s, a model)"), "{why}");
    // The guest in run B writes 64 MiB/s (corpus README): above it, so no convergence.
    assert!(why.contains("the measured 32.4 MiB/s is a lower bound"), "{why}");
}

#[test]
fn one_snapshot_of_a_5_1_qemu_at_the_bandwidth_is_possibly_saturated() {
    let a = analyse(parse::parse(&hmp_series("10.0.2-B", 60, 1, 1)), x86());
    let i = a.advice.inputs.as_ref().expect("inputs");
    assert!(
        matches!(i.rate_bound, RateBound::LowerBound { saturation: Saturation::Possible, .. }),
        "{:?}",
        i.rate_bound
    );
    assert!(!a.plan.action.text.contains("suffices"), "{}", a.plan.action.text);
    assert!(a.plan.diagnosis.text.contains("may be only a lower bound"), "{}", a.plan.diagnosis.text);
}

#[test]
fn the_seed_and_a_converging_series_keep_their_measured_rate() {
    let seed = analyse(
        parse::parse(&corpus_text("seed/as_pasted.txt")),
        Options { platform: Some(Platform::PowerHash), ..Options::default() },
    );
    let i = seed.advice.inputs.as_ref().expect("inputs");
    // 2.12, one snapshot, ratio 1.48: the rate counts every dirty page, one snapshot cannot tell.
    assert_eq!(i.rate_bound, RateBound::Measured);
    assert_eq!(seed.plan.diagnosis.rate_bound, RateBound::Measured);
    assert!(seed.plan.options.iter().all(|o| o.confidence.is_none()));
    let d = analyse(parse::parse(&hmp_series("10.0.2-D", 15, 15, 12)), x86());
    // Run D throttles (auto-converge): dirty/bw 0.40 and the pending falls 257 -> 67 MiB.
    assert_eq!(d.advice.inputs.as_ref().expect("inputs").rate_bound, RateBound::Measured);
    assert_eq!(d.plan.diagnosis.rate_bound, RateBound::Measured);
}
