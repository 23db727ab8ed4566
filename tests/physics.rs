//! QEMU 3.0+ prints the bytes dirty at the last bitmap sync / bandwidth, while the
//! printed `remaining` is live and only shrinks during a pass. So on every real
//! 3.0+ snapshot where QEMU has measured a dirty rate, expected downtime x bandwidth
//! must cover the live remaining, and the engine must say formula 2 printed it.

use converge::core::inference::{self, PrintedFormula};
use converge::core::parse::parse;

#[test]
fn expected_times_bandwidth_covers_remaining_on_every_3_0_plus_snapshot() {
    let (mut checked, mut echoes, mut just_synced, mut with_avail) = (0, 0, 0, 0);
    let runs = std::fs::read_dir("tests/data/corpus/runs").unwrap();
    for run in runs {
        let run = run.unwrap().path();
        if !run.is_dir() {
            continue;
        }
        let params = std::fs::read_to_string(run.join("before/hmp_info_migrate_parameters.txt")).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(run.join("snapshots")).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for f in names
            .iter()
            .filter(|p| p.to_string_lossy().ends_with("_qmp.json") || p.to_string_lossy().ends_with("_hmp.txt"))
        {
            // Parameters pasted with the snapshot, as a user would: the limit decides echoes.
            let text = format!("{params}\n{}", std::fs::read_to_string(f).unwrap());
            let paste = parse(&text);
            let Some(s) = paste.snapshots.first() else { panic!("{}: no snapshot", f.display()) };
            // QEMU 8.2+ divides by avail-switchover-bandwidth / 1000 when it is set.
            let (Some(e), Some((bw, _)), Some(r)) =
                (&s.expected_downtime, inference::expected_bandwidth(s, &paste), &s.remaining)
            else {
                continue;
            };
            let rate0 = s.dirty_pages_rate.as_ref().is_none_or(|d| d.value.0 == 0.0);
            if inference::echoes_limit(s, &paste) {
                echoes += 1;
                if !rate0 {
                    just_synced += 1; // the rate is measured, the estimate not yet recomputed
                }
                continue;
            }
            assert!(!rate0, "{}: no dirty rate, yet not an echo of the limit", f.display());
            // Slack: the printed ms are truncated (1 ms of bandwidth) and HMP/10.1 sizes are
            // truncated or rounded (their upper bound is what the live value can be).
            let upper = match r.precision {
                converge::core::model::Precision::Rounded { hi, .. } => hi,
                _ => r.value.0,
            };
            let covered = bw.0 * (e.value.0 + 1.0);
            let lo_remaining = match r.precision {
                converge::core::model::Precision::Rounded { lo, .. } => lo,
                _ => r.value.0,
            };
            assert!(
                covered >= lo_remaining,
                "{}: {} ms x {} bytes/ms < remaining {}",
                f.display(),
                e.value.0,
                bw.0,
                upper
            );
            let pb = inference::printed_by(s, &paste).unwrap();
            assert_eq!(pb.formula, PrintedFormula::F2, "{}: {}", f.display(), pb.explanation);
            if inference::avail_switchover(&paste).is_some() {
                with_avail += 1;
                assert!(pb.era.contains("avail-switchover-bandwidth"), "{}: {}", f.display(), pb.era);
            }
            checked += 1;
        }
    }
    assert!(checked > 700 && echoes > 100, "checked {checked}, echoes {echoes}");
    // 10.0.2-V64 (avail 64 MiB/s behind a 32 MiB/s cap): every estimate explained with avail / 1000.
    assert!(with_avail > 60, "estimates under avail-switchover-bandwidth: {with_avail}");
    // The moment between the first sync and the first estimate is real and rare.
    assert!(just_synced > 0 && just_synced < 40, "just synced: {just_synced}");
    eprintln!("checked {checked} estimates, {echoes} echoes of the limit ({just_synced} right after a sync)");
}

#[test]
fn formula_1_is_recognised_through_libvirt_too() {
    // libvirt shows QMP's numbers in MiB/s with 3 decimals: 103.334 MiB/s = 108,353.55 bytes/ms,
    // and 39,044 x 4,096 / that = 1,475.95 ms; QEMU printed 1475: a 2.10-2.12 QEMU behind libvirt.
    let text = std::fs::read_to_string("tests/data/handmade/virsh_2_12_era.txt").unwrap();
    let p = parse(&text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let s = &p.snapshots[0];
    let pb = inference::printed_by(s, &p).unwrap();
    assert_eq!(pb.formula, PrintedFormula::F1, "{}", pb.explanation);
    assert_eq!(p.parameters.downtime_limit.as_ref().map(|f| f.value.0), Some(300.0));
}
