//! The advice on real pasted text, through the parser: the seed as the user pasted
//! it, HMP series of the corpus runs (three layouts) and libvirt's domjobinfo polls.
mod advice_support;
use advice_support::*;
use converge::core::advice::Advice;
use converge::core::parse::parse;
use converge::core::{analyse, analyse_text};
use std::path::Path;

fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).into_owned()
}

/// `info migrate_parameters` then every HMP `info migrate` of a run, as one paste.
fn hmp_series(run: &str, active_only: bool) -> String {
    let dir = corpus(run);
    let mut text = read(&dir.join("after/hmp_info_migrate_parameters.txt"));
    let mut files: Vec<_> = std::fs::read_dir(dir.join("snapshots"))
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("_hmp.txt"))
        .collect();
    files.sort();
    for f in files {
        let t = read(&f);
        if active_only && !(t.contains("status: active") || t.contains("\tactive")) {
            continue;
        }
        text.push('\n');
        text.push_str(&t);
    }
    text
}

fn advise_text(text: &str) -> Advice {
    analyse(parse(text), x86_options()).advice
}

#[test]
fn the_seed_as_pasted() {
    let text = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/seed/as_pasted.txt"));
    let a = analyse_text(&text).advice;
    let r = a.recommendation.expect("rec");
    assert!((r.base_ms.0 - 3561.83).abs() < 0.01, "{}", r.base_ms.0);
    assert_eq!(r.downtime_limit_ms.0, 4500.0);
    assert_eq!(r.converges_now, Some(false));
    assert!(a.inputs.expect("inputs").max_bandwidth_unlimited);
}

#[test]
fn hmp_series_of_b_runs_in_three_layouts_agree_with_qmp() {
    for run in ["7.2.22-B", "10.0.2-B", "10.2.2-B"] {
        let hmp = advise_text(&hmp_series(run, true));
        let qmp = analyse_run(run, false).advice;
        let (h, q) = (hmp.recommendation.expect("hmp rec"), qmp.recommendation.expect("qmp rec"));
        assert_eq!(h.converges_now, Some(false), "{run}");
        // HMP truncates to KiB (5.1 layout) or rounds to 3 significant digits (10.1): within 1 %.
        assert!((h.base_ms.0 / q.base_ms.0 - 1.0).abs() < 0.01, "{run}: hmp {} vs qmp {}", h.base_ms.0, q.base_ms.0);
        assert_eq!(h.downtime_limit_ms, q.downtime_limit_ms, "{run}");
        assert_eq!(hmp.series.expect("series").stalled, Some(true), "{run}");
        assert_eq!(hmp.inputs.expect("inputs").live_phase_capped, Some(true), "{run}");
    }
}

#[test]
fn hmp_series_of_converged_runs_say_so() {
    for run in ["7.2.22-A", "10.0.2-D", "10.0.2-E", "10.2.2-A"] {
        let a = advise_text(&hmp_series(run, false));
        let r = a.recommendation.unwrap_or_else(|| panic!("{run}: {:?}", a.notes));
        assert_eq!(r.converges_now, Some(true), "{run}: {}", r.basis);
    }
}

fn virsh_polls(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/virsh").join(name);
    let mut files: Vec<_> = std::fs::read_dir(dir.join("poll"))
        .expect("poll")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("_src_domjobinfo.txt"))
        .collect();
    files.sort();
    files.iter().map(|f| read(f)).collect::<Vec<_>>().join("\n")
}

#[test]
fn virsh_polls_of_the_aborted_dirty_guest() {
    let a = advise_text(&virsh_polls("02-dirty-32MiBps-abort"));
    let r = a.recommendation.expect("rec");
    assert_eq!(r.converges_now, Some(false));
    // Expected downtime 8143 ms at 32.564 MiB/s: about 278 MB after each sync.
    assert!((7800.0..8700.0).contains(&r.base_ms.0), "{}", r.base_ms.0);
    assert!(!a.simulation.expect("sim").converges);
}

#[test]
fn virsh_idle_migration_completed() {
    let text = virsh_polls("01-idle-8MiBps");
    let done = read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/corpus/virsh/01-idle-8MiBps/src_domjobinfo_completed.txt"),
    );
    let a = advise_text(&format!("{text}\n{done}"));
    let r = a.recommendation.expect("rec");
    assert_eq!(r.converges_now, Some(true));
    assert_eq!(r.expected_pause_ms.0, 25.0, "Total downtime: 25 ms");
}
