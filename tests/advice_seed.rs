//! The seed: a 16M-hugepage POWER8 guest on a QEMU 2.12-era monitor, 300 ms limit.
mod advice_support;
use advice_support::*;
use converge::core::advice::{Advice, Level};
use converge::core::inference::PrintedFormula;
use converge::core::units::*;
use converge::core::{analyse, Options, Platform};

fn seed() -> Advice {
    analyse(seed_paste(), seed_options()).advice
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn recommends_above_the_exact_3562_ms_and_says_300_does_not_converge() {
    let a = seed();
    let r = a.recommendation.expect("recommendation");
    // 376892 KiB x 1024 / (866.83 x 125) = 3561.8 ms: the live remaining, since 2.12 printed formula 1.
    assert!(close(r.base_ms.0, 3561.83, 0.01), "base {}", r.base_ms.0);
    assert!(r.downtime_limit_ms.0 > 3561.8);
    assert_eq!(r.downtime_limit_ms.0, 4500.0, "3561.8 + 25 % = 4452.3, rounded up to a typeable 4500");
    assert_eq!(r.margin_pct, 25.0);
    assert_eq!(r.confidence.level, Level::Low);
    assert_eq!(r.converges_now, Some(false));
    assert_eq!(r.limit_in_force_ms.0, 300.0);
    assert!(close(r.expected_pause_ms.0, 3561.83, 0.01));
    assert!(r.basis.contains("live remaining"), "{}", r.basis);
    assert!(r.confidence.reasons.iter().any(|x| x.contains("one snapshot")));
}

#[test]
fn gives_every_command_for_the_recommended_limit() {
    let c = seed().recommendation.expect("rec").commands;
    assert_eq!(c.hmp, "migrate_set_parameter downtime-limit 4500");
    assert!(c.qmp.contains("\"migrate-set-parameters\"") && c.qmp.contains("\"downtime-limit\": 4500"));
    assert_eq!(c.virsh, "virsh migrate-setmaxdowntime DOMAIN 4500");
    assert_eq!(c.hmp_old_seconds, "migrate_set_downtime 4.5");
}

#[test]
fn warns_about_a_seconds_long_pause_and_the_next_sync() {
    let r = seed().recommendation.expect("rec");
    assert!(r.warnings.iter().any(|w| w.contains("4.5 s") && w.contains("heartbeat")), "{:?}", r.warnings);
    // 39044 pages/s x 4096 = 159.9 MB/s is 1.48x the 108.35 MB/s: 3561.8 ms of sending re-dirties 569.6 MB.
    let next = r.next_sync_bytes.expect("next sync estimate").0;
    assert!(close(next, 39044.0 * 4096.0 * 3.5618, 2e5), "next {next}");
    assert!(close(r.next_sync_limit_ms.unwrap_or_default().0, 5257.1, 0.5));
    assert!(!r.exceeds_qemu_max);
}

#[test]
fn simulation_never_converges_at_300_ms_and_names_the_limit_that_would() {
    let a = seed();
    let s = a.simulation.expect("simulation");
    assert!(!s.converges);
    assert_eq!(s.passes, 50);
    assert_eq!(s.limit_ms.0, 300.0);
    // Working set assumed = pending now, so every pass re-dirties 368 MiB.
    assert!(close(s.converging_limit_ms.expect("limit").0, 3561.8, 0.1));
    assert!(s.assumptions.iter().any(|x| x.contains("not multiplied again")));
    let at = a.simulation_at_recommended.expect("at recommended");
    assert!(at.converges);
    assert_eq!(at.passes, 1);
    assert!(close(at.final_pause_ms.unwrap_or_default().0, 3561.8, 0.1));
    // Without the cap the first sync would hold 569.6 MB: 5257 ms.
    let free = a.simulation_uncapped.expect("uncapped");
    assert!(close(free.converging_limit_ms.expect("limit").0, 5257.1, 0.5));
}

#[test]
fn hugepage_amplification_in_16m_pages() {
    let h = seed().hugepage.expect("hugepage");
    assert_eq!(h.amplification, 4096.0);
    assert!(close(h.backing_pages_per_s, 39044.0 / 4096.0, 1e-9)); // 9.53 huge pages/s
    assert_eq!(h.working_set_pages, 23.0); // 376892 KiB = 23.003 x 16 MiB
    assert!(close(h.threshold_backing_pages, 108_353.75 * 300.0 / 16_777_216.0, 1e-9)); // 1.94 pages
    let row64 = h.by_page_size.iter().find(|r| r.label == "64 KiB").expect("64K row");
    assert_eq!(row64.floor_bytes.0, 23.0 * 65536.0);
    assert!(h.by_page_size.iter().any(|r| r.is_current && r.label == "16 MiB"));
}

#[test]
fn unlimited_max_bandwidth_means_no_capped_effect() {
    let a = seed();
    let i = a.inputs.expect("inputs");
    assert!(i.max_bandwidth_unlimited);
    assert_eq!(i.live_phase_capped, Some(false));
    assert_eq!(i.supports_avail_switchover, Some(false), "QEMU 2.x has no avail-switchover-bandwidth");
    let lever = a.levers.iter().find(|l| l.name == "max-bandwidth").expect("lever");
    assert!(lever.effect.contains("changes nothing"));
}

#[test]
fn ramp_policies_on_the_seed() {
    let a = seed();
    let get = |p: &str| a.ramps.iter().find(|r| r.policy.starts_with(p)).expect(p).clone();
    for r in &a.ramps {
        assert!(!r.source.is_empty(), "{} names no source", r.policy);
    }
    // nova: 8 GiB (above its 2 GiB floor), 500 ms at most.
    assert!(!get("OpenStack nova").converges, "nova tops out at 500 ms");
    // oVirt: 10 s polls, one item per poll: 500 ms at 50 s, abort at 60 s (3.56 s passes).
    let ov = get("oVirt (minimal");
    assert!(!ov.converges);
    assert_eq!(ov.schedule.last().map(|s| (s.at_ms.0, s.limit_ms.0)), Some((50_000.0, 500.0)));
    assert!(ov.outcome.contains("it aborts at 60"), "{}", ov.outcome);
    let suspend = get("oVirt (suspend");
    assert_eq!(suspend.limit_reached_ms.map(|v| v.0), Some(5000.0));
    // 5,000 ms at the 60 s poll; QEMU switches over at the next sync, 17 passes of 3,561.8 ms in.
    assert!(
        close(suspend.converges_after_ms.unwrap_or_default().0, 17.0 * 3561.827, 0.5),
        "{:?}",
        suspend.converges_after_ms.map(|v| v.0)
    );
    assert_eq!(get("Proxmox").limit_reached_ms.map(|v| v.0), Some(6400.0));
    // KubeVirt's merged tuning stops at 1,050 ms: it never reaches the 3,562 ms needed.
    let kv = get("KubeVirt");
    assert!(!kv.converges, "{}", kv.outcome);
    assert_eq!(kv.schedule.last().map(|s| s.limit_ms.0), Some(1050.0));
    assert!(kv.outcome.contains("1,050 ms is below the 3,561 ms needed"), "{}", kv.outcome);
}

#[test]
fn power8_to_power9_prerequisites() {
    let p = seed().power.expect("power");
    let all = p.items.join(" ");
    assert!(all.contains("max-cpu-compat=power8"));
    assert!(all.contains("disable_radix"));
    assert!(all.contains("cap-hpt-max-page-size=16M"));
    // One confidence scale on the page (the plan's): the list says in words what is verified.
    assert!(!p.basis.contains("medium") && !p.basis.contains("confidence"), "{}", p.basis);
    assert!(p.basis.starts_with("the page-size check and the cap's default and migration are read from QEMU's source"));
    let json = serde_json::to_value(&p).expect("json");
    assert!(json.get("confidence").is_none(), "{json}");
}

#[test]
fn json_has_the_report_fields() {
    let v = serde_json::to_value(seed()).expect("json");
    let r = &v["recommendation"];
    assert_eq!(r["downtime_limit_ms"], 4500.0);
    assert_eq!(r["converges_now"], false);
    assert!(r["expected_pause_ms"].as_f64().unwrap_or(0.0) > 3561.0);
    assert!(r["basis"].as_str().unwrap_or("").contains("3,561.8"));
    let s = &v["simulation"];
    assert_eq!(s["converges"], false);
    assert_eq!(s["passes"], 50);
    assert!(s["total_time_ms"].as_f64().unwrap_or(0.0) > 0.0);
}

#[test]
fn a_given_link_speed_gives_the_real_pause() {
    let o = Options { link_bytes_per_s: Some(1.25e9), ..Options::default() };
    let a = analyse(seed_paste(), o).advice;
    let sw = a.switchover_bandwidth.expect("sw");
    assert!(close(sw.limit_with_avail_ms.unwrap_or_default().0, 385_937_408.0 / 1.25e6, 1e-6));
    // 308.7 ms
}

#[test]
fn advice_text_snapshot() {
    insta::assert_snapshot!("seed_advice", seed().to_text());
}

fn seed_on(platform: Option<Platform>) -> converge::core::Analysis {
    analyse(seed_paste(), Options { platform, ..seed_options() })
}

#[test]
fn amplification_follows_the_platform_and_the_limit_does_not() {
    let mut limits = Vec::new();
    for (platform, amp, lower) in [
        (Some(Platform::PowerHash), 4096.0, 16.0),
        (None, 4096.0, 16.0),
        (Some(Platform::X86), 1.0, 1.0),
        (Some(Platform::PowerRadix), 16.0, 16.0),
    ] {
        let an = seed_on(platform);
        let a = &an.advice;
        limits.push(a.recommendation.as_ref().expect("rec").downtime_limit_ms);
        let h = a.hugepage.as_ref().expect("hugepage");
        assert_eq!((h.amplification, h.amplification_lower_bound), (amp, lower), "{platform:?}");
        assert_eq!(h.conditional, platform.is_none());
        let json = converge::core::report::json(&an);
        assert_eq!(json["advice"]["hugepage"]["amplification"], amp, "{platform:?}");
        let rows = json["advice"]["hugepage"]["by_page_size"].as_array().expect("rows").clone();
        let row_amps: Vec<f64> = rows.iter().map(|r| r["amplification"].as_f64().unwrap_or(-1.0)).collect();
        match platform {
            // x86: 4 KiB, 2 MiB, 1 GiB backing all log 4 KiB pages.
            Some(Platform::X86) => assert_eq!(row_amps, vec![1.0, 1.0, 1.0]),
            Some(Platform::PowerRadix) => assert_eq!(row_amps, vec![16.0, 16.0, 16.0]),
            // HPTE sizes 64 KiB, 16 MiB, 16 GiB.
            _ => assert_eq!(row_amps, vec![16.0, 4096.0, 4_194_304.0]),
        }
        let text = a.to_text();
        let pseries = text.contains("cap-hpt-max-page-size");
        assert_eq!(pseries, matches!(platform, Some(Platform::PowerHash) | None), "{platform:?}");
        assert_eq!(a.power.is_some(), pseries, "{platform:?}");
        if platform.is_none() {
            assert!(text.contains("If this is a POWER hash-MMU guest"), "{text}");
            assert!(a.power.as_ref().is_some_and(|p| p.conditional && p.basis.starts_with("if this is")));
            assert!(text.contains("(POWER hash-MMU only) -machine pseries"), "{text}");
        }
        if platform == Some(Platform::X86) {
            assert!(!text.contains("x4,096") && !text.contains("16 MiB page"), "{text}");
        }
    }
    // The measured rate and pending already include any amplification.
    assert!(limits.iter().all(|l| l.0 == 4500.0), "{limits:?}");
}

#[test]
fn the_pause_is_bounded_by_the_limit_plus_what_power_hash_adds() {
    let r = seed().recommendation.expect("rec");
    // 108,353.75 bytes/ms x 4,500 ms = 487.6 MB: at most 4,500 ms at the same bandwidth.
    assert!(
        r.pause_note.contains("108,353.75 bytes/ms x 4,500 ms = 465 MiB, which takes at most 4,500 ms"),
        "{}",
        r.pause_note
    );
    // One more sync after the stop: 16 MiB per page touched = 154 ms at 103 MiB/s.
    assert!(r.pause_note.contains("ram_save_complete() syncs once more"), "{}", r.pause_note);
    assert!(r.pause_note.contains("adds 16 MiB (154 ms at 103 MiB/s)"), "{}", r.pause_note);
    // The HPT of an 8 GiB guest is RAM/128 = 64 MiB: 619 ms if every entry changed (a model).
    assert!(r.pause_note.contains("64 MiB for 8 GiB of RAM (619 ms)"), "{}", r.pause_note);
    assert_eq!(converge::core::advice::recommend::spapr_hpt_bytes(Bytes(8.0 * GIB + 256.0 * KIB)), Bytes(64.0 * MIB));
    let x86 = seed_on(Some(Platform::X86)).advice.recommendation.expect("rec");
    assert!(!x86.pause_note.contains("ram_save_complete"), "{}", x86.pause_note);
}

#[test]
fn one_answer_for_the_lower_bound_and_the_next_sync() {
    let r = seed().recommendation.expect("rec");
    // 4,500 ms covers the 368 MiB live remaining; the next sync may need 5,257 ms: said once.
    assert!(r.basis.contains("It covers the 368 MiB pending now, a floor"), "{}", r.basis);
    assert!(r.basis.contains("which needs 5,257 ms; 4,500 ms does not cover that"), "{}", r.basis);
    assert!(!r.warnings.iter().any(|w| w.contains("5,257")), "{:?}", r.warnings);
}

#[test]
fn the_dirty_rate_is_read_for_its_era() {
    let text = seed().to_text();
    assert!(text.contains("This QEMU (up to 5.0) counts every page KVM reported dirty"), "{text}");
    assert!(text.contains("up to QEMU 5.0 it counts every page KVM reported dirty"), "{text}");
    let d = analyse(seed_paste(), seed_options());
    let f3 = &d.focus_formulas().expect("f").f3;
    assert!(f3.notes.iter().any(|n| n.contains("up to QEMU 5.0")), "{:?}", f3.notes);
}

#[test]
fn the_checklist_and_the_16m_story_hold_to_the_sources() {
    let a = seed();
    let items = a.power.expect("power").items.join(" ");
    assert!(items.contains("at least 16 MiB") && items.contains("spapr_check_pagesize"), "{items}");
    assert!(items.contains("pseries-3.0") && items.contains("4.1 and later"), "{items}");
    assert!(items.contains("not verified here: the same vsmt and cap-htm"), "{items}");
    assert!(!items.contains("must boot with disable_radix"), "{items}");
    let h = a.hugepage.expect("hugepage");
    assert_eq!(h.whole_pages_under_threshold, 1.0, "300 ms x 866.83 Mbit/s = 32.5 MB: one 16 MiB page");
    assert!(h.notes.iter().any(|n| n.contains("at most 1 whole 16 MiB page fits")), "{:?}", h.notes);
    assert!(h.notes.iter().any(|n| n.contains("need not converge even when idle")), "{:?}", h.notes);
    // The first pass of a 16 MiB hash guest: no unqualified "an idle guest converges".
    let mut p = seed_paste();
    let s = &mut p.snapshots[0];
    s.dirty_sync_count = Some(f(1, 26, "dirty sync count: 1", ""));
    s.dirty_pages_rate = Some(f(PagesPerSec(0.0), 28, "dirty pages rate: 0 pages", "pages"));
    s.expected_downtime = Some(f(Millis(300.0), 16, "expected downtime: 300 milliseconds", "milliseconds"));
    let r = analyse(p.clone(), seed_options()).advice.recommendation.expect("rec");
    assert!(r.basis.contains("a guest on 16 MiB HPTEs may not even when idle"), "{}", r.basis);
    let r = analyse(p, Options { platform: Some(Platform::X86), ..x86_options() }).advice.recommendation.expect("rec");
    assert!(r.basis.contains("an idle guest converges under the 300 ms"), "{}", r.basis);
}

#[test]
fn an_echo_of_a_limit_changed_before_the_first_estimate_is_recognised() {
    // The migration started at 300 ms; the limit was raised to 500 ms before QEMU's first
    // estimate: QEMU still prints 300 (migrate_fd_connect set it once).
    let mut p = seed_paste();
    p.parameters.downtime_limit = Some(f(Millis(500.0), 10, "downtime-limit: 500 milliseconds", "milliseconds"));
    let s = &mut p.snapshots[0];
    s.dirty_sync_count = Some(f(1, 26, "dirty sync count: 1", ""));
    s.dirty_pages_rate = Some(f(PagesPerSec(0.0), 28, "dirty pages rate: 0 pages", "pages"));
    s.expected_downtime = Some(f(Millis(300.0), 16, "expected downtime: 300 milliseconds", "milliseconds"));
    let a = analyse(p.clone(), seed_options());
    let pb = a.focus_formulas().and_then(|f| f.printed_by.clone()).expect("printed by");
    assert_eq!(pb.formula, PrintedFormula::Echo, "{}", pb.explanation);
    assert!(pb.explanation.contains("the limit is now 500 ms"), "{}", pb.explanation);
    // Right after the first sync: the rate is measured, the estimate not yet recomputed.
    let s = &mut p.snapshots[0];
    s.dirty_sync_count = Some(f(2, 26, "dirty sync count: 2", ""));
    s.dirty_pages_rate = Some(f(PagesPerSec(39_044.0), 28, "dirty pages rate: 39044 pages", "pages"));
    let a = analyse(p.clone(), seed_options());
    assert_eq!(a.focus_formulas().and_then(|f| f.printed_by.clone()).expect("pb").formula, PrintedFormula::Echo);
    // Later passes: a value that is neither an estimate nor the limit stays unexplained.
    p.snapshots[0].dirty_sync_count = Some(f(6, 26, "dirty sync count: 6", ""));
    let a = analyse(p, seed_options());
    assert_ne!(a.focus_formulas().and_then(|f| f.printed_by.clone()).expect("pb").formula, PrintedFormula::Echo);
}

#[test]
fn the_switchover_verdict_is_typed() {
    let a = analyse(seed_paste(), seed_options());
    assert_eq!(a.focus_formulas().expect("f").switches_over, Some(false));
    let json = converge::core::report::json(&a);
    assert_eq!(json["snapshots"][0]["formulas"]["switches_over_now"], false);
}
