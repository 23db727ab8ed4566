//! The seed: a 16M-hugepage POWER8 guest on a QEMU 2.12-era monitor, 300 ms limit.
mod advice_support;
use advice_support::*;
use converge::core::advice::Advice;
use converge::core::{analyse, Options};

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
    assert!(close(r.base_ms, 3561.83, 0.01), "base {}", r.base_ms);
    assert!(r.downtime_limit_ms > 3561.8);
    assert_eq!(r.downtime_limit_ms, 4500.0, "3561.8 + 25 % = 4452.3, rounded up to a typeable 4500");
    assert_eq!(r.margin_pct, 25.0);
    assert_eq!(r.confidence.level, "low");
    assert_eq!(r.converges_now, Some(false));
    assert_eq!(r.limit_in_force_ms, 300.0);
    assert!(close(r.expected_pause_ms, 3561.83, 0.01));
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
    let next = r.next_sync_bytes.expect("next sync estimate");
    assert!(close(next, 39044.0 * 4096.0 * 3.5618, 2e5), "next {next}");
    assert!(close(r.next_sync_limit_ms.unwrap_or(0.0), 5257.1, 0.5));
    assert!(!r.exceeds_qemu_max);
}

#[test]
fn simulation_never_converges_at_300_ms_and_names_the_limit_that_would() {
    let a = seed();
    let s = a.simulation.expect("simulation");
    assert!(!s.converges);
    assert_eq!(s.passes, 50);
    assert_eq!(s.limit_ms, 300.0);
    // Working set assumed = pending now, so every pass re-dirties 368 MiB.
    assert!(close(s.converging_limit_ms.expect("limit"), 3561.8, 0.1));
    assert!(s.assumptions.iter().any(|x| x.contains("not multiplied again")));
    let at = a.simulation_at_recommended.expect("at recommended");
    assert!(at.converges);
    assert_eq!(at.passes, 1);
    assert!(close(at.final_pause_ms.unwrap_or(0.0), 3561.8, 0.1));
    // Without the cap the first sync would hold 569.6 MB: 5257 ms.
    let free = a.simulation_uncapped.expect("uncapped");
    assert!(close(free.converging_limit_ms.expect("limit"), 5257.1, 0.5));
}

#[test]
fn hugepage_amplification_in_16m_pages() {
    let h = seed().hugepage.expect("hugepage");
    assert_eq!(h.amplification, 4096.0);
    assert!(close(h.backing_pages_per_s, 39044.0 / 4096.0, 1e-9)); // 9.53 huge pages/s
    assert_eq!(h.working_set_pages, 23.0); // 376892 KiB = 23.003 x 16 MiB
    assert!(close(h.threshold_backing_pages, 108_353.75 * 300.0 / 16_777_216.0, 1e-9)); // 1.94 pages
    let row64 = h.by_page_size.iter().find(|r| r.label == "64 KiB").expect("64K row");
    assert_eq!(row64.floor_bytes, 23.0 * 65536.0);
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
    assert!(!get("OpenStack nova").converges, "nova tops out at 500 ms");
    assert!(!get("oVirt (minimal").converges);
    let suspend = get("oVirt (suspend");
    assert_eq!(suspend.limit_reached_ms, Some(5000.0));
    assert_eq!(get("Proxmox").limit_reached_ms, Some(6400.0));
    let kv = get("KubeVirt");
    assert_eq!(kv.limit_reached_ms, Some(4800.0));
    assert!(close(kv.pause_ms.unwrap_or(0.0), 3561.8, 0.1));
}

#[test]
fn power8_to_power9_prerequisites() {
    let p = seed().power.expect("power");
    let all = p.items.join(" ");
    assert!(all.contains("max-cpu-compat=power8"));
    assert!(all.contains("disable_radix"));
    assert!(all.contains("cap-hpt-max-page-size=16M"));
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
    assert!(close(sw.limit_with_avail_ms.unwrap_or(0.0), 385_937_408.0 / 1.25e6, 1e-6));
    // 308.7 ms
}

#[test]
fn advice_text_snapshot() {
    insta::assert_snapshot!("seed_advice", seed().to_text());
}
