//! `converge --json` carries the advice with the field names, and the text
//! report shows it.
use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_converge")).args(args).output().expect("run converge");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn seed_path() -> String {
    format!("{}/tests/data/corpus/seed/as_pasted.txt", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_report_has_recommendation_and_simulation() {
    let v: serde_json::Value = serde_json::from_str(&run(&["--json", &seed_path()])).expect("json");
    let r = &v["recommendation"];
    assert_eq!(r["downtime_limit_ms"], 4500.0);
    assert_eq!(r["converges_now"], false);
    assert!((r["expected_pause_ms"].as_f64().unwrap_or(0.0) - 3561.83).abs() < 0.01);
    assert!(r["basis"].as_str().unwrap_or("").contains("+25 % margin"));
    let s = &v["simulation"];
    assert_eq!(s["converges"], false);
    assert_eq!(s["passes"], 50);
    assert!(s["total_time_ms"].as_f64().unwrap_or(0.0) > 50.0 * 3500.0);
}

#[test]
fn text_report_shows_the_advice() {
    let t = run(&[&seed_path()]);
    for needle in [
        "downtime-limit 4,500 ms",
        "migrate_set_parameter downtime-limit 4500",
        "Pre-copy simulation at 300 ms",
        "Ramp policies",
        "POWER8 -> POWER9",
    ] {
        assert!(t.contains(needle), "missing {needle:?}");
    }
}
