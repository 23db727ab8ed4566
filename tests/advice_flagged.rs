//! Issue 13 item 5, engine side: a counter QEMU printed wrong (flagged by the parser) is
//! used by no formula and no recommendation, and each that needed it names it, its line
//! and what QEMU printed, instead of saying the line is missing. The pastes are the
//! hand-made ones with broken counters (tests/data/handmade/, see its README).

use converge::core::advice::PendingSource;
use converge::core::{analyse_text, Analysis};

fn handmade(name: &str) -> String {
    std::fs::read_to_string(format!("tests/data/handmade/{name}")).expect(name)
}

/// Lines `from..=to` (1-based) of the broken-counters paste, then its parameters (last 3 lines).
fn broken_lines(ranges: &[(usize, usize)], drop: &str) -> String {
    let text = handmade("hmp_broken_counters.txt");
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<&str> = Vec::new();
    for &(from, to) in ranges {
        out.extend(lines[from - 1..to].iter().filter(|l| drop.is_empty() || !l.starts_with(drop)));
    }
    out.extend(&lines[lines.len() - 3..]);
    out.join("\n")
}

fn missing(a: &Analysis, snapshot: usize) -> [Option<String>; 5] {
    let f = &a.formulas[snapshot];
    [&f.f1, &f.f2, &f.f3, &f.today, &f.switchover].map(|d| d.missing.clone())
}

#[test]
fn every_formula_names_the_counter_bug_it_cannot_use() {
    let a = analyse_text(&handmade("hmp_broken_counters.txt"));
    // Snapshot 1: throughput -nan (line 14), remaining wrapped (line 15): the bandwidth stops all five.
    let nan = "the throughput on line 14 is a QEMU counter bug (printed -nan mbps)";
    assert_eq!(
        missing(&a, 0),
        [
            Some(format!("{nan}: formula 1 cannot be computed")),
            Some(format!("{nan}: formula 2 cannot be computed")),
            Some(format!("{nan}: formula 3 cannot be computed")),
            Some(format!("{nan}: today's formula cannot be computed")),
            Some(format!("{nan}: the switchover test cannot be computed")),
        ]
    );
    // Snapshot 2: the bandwidth is sound; remaining above total RAM (line 33), dirty rate -1
    // (line 43), expected downtime -41 (line 29): each formula names what it lacks.
    let rate = "the dirty pages rate on line 43 is a QEMU counter bug (printed -1 pages)";
    let rem = "the remaining ram on line 33 is a QEMU counter bug (printed 4401740 kbytes)";
    assert_eq!(
        missing(&a, 1),
        [
            Some(format!("{rate}: formula 1 cannot be computed")),
            Some(format!("{rem}: formula 2 cannot be computed")),
            Some(format!("{rem}: formula 3 cannot be computed")),
            Some("the expected downtime on line 29 is a QEMU counter bug (printed -41 ms): today's formula cannot be computed".into()),
            Some(format!("{rem}: the switchover test cannot be computed")),
        ]
    );
    // Snapshot 3 is sound: nothing is missing, and no text says "no throughput line".
    assert_eq!(missing(&a, 2), [None, None, None, None, None]);
    let report = converge::core::report::text(&a);
    assert!(!report.contains("no throughput line") && !report.contains("no remaining ram line"), "{report}");
}

#[test]
fn a_paste_with_no_usable_snapshot_says_which_counters_stop_the_advice() {
    // The first two snapshots only: neither has both a sound remaining and throughput.
    let a = analyse_text(&broken_lines(&[(1, 44)], ""));
    assert_eq!(a.paste.snapshots.len(), 2);
    assert!(a.advice.recommendation.is_none() && a.advice.inputs.is_none());
    assert_eq!(
        a.advice.notes,
        vec!["The last snapshot (line 27) cannot be modelled: the remaining ram on line 33 is a QEMU counter bug (printed 4401740 kbytes). No snapshot before it has both a usable remaining and throughput, so no downtime-limit can be computed: paste a later snapshot.".to_string()]
    );
    assert!(!a.advice.to_text().contains("needs both"));
}

#[test]
fn a_broken_rate_and_expected_downtime_leave_a_limit_for_the_pending_now_and_say_why() {
    // Snapshot 2 without its total ram line: remaining (4,401,740 kbytes) is then usable,
    // expected downtime -41 ms and dirty pages rate -1 stay flagged.
    let text = broken_lines(&[(26, 44)], "total ram");
    let a = analyse_text(&text);
    let s = &a.paste.snapshots[0];
    assert!(s.remaining.is_some() && s.expected_downtime.is_none() && s.dirty_pages_rate.is_none());
    let i = a.advice.inputs.as_ref().expect("modelled");
    let expected = "the expected downtime on line 4 is a QEMU counter bug (printed -41 ms)";
    let rate = "the dirty pages rate on line 17 is a QEMU counter bug (printed -1 pages)";
    assert_eq!(i.expected_downtime_bug.as_deref(), Some(expected));
    assert_eq!(i.dirty_rate_bug.as_deref(), Some(rate));
    // Nothing back-solved from -41 ms, no rate taken as measured (not "before the first sync" either).
    assert_eq!(i.pending_source, PendingSource::LiveRemaining);
    assert!(!i.rate_measured && !i.before_first_sync());
    let r = a.advice.recommendation.as_ref().expect("a limit for the pending now");
    let base = 4_401_740.0 * 1024.0 / (1944.10 * 125.0);
    assert!((r.base_ms.0 - base).abs() < 1e-6, "{} vs {base}", r.base_ms);
    assert!(r.downtime_limit_ms.0 >= base * 1.25, "low confidence margin");
    assert_eq!(r.converges_now, None, "the paste cannot tell without a rate");
    let reasons = r.confidence.reasons.join("\n");
    assert!(reasons.contains(&format!("{expected}: no last-sync bytes can be back-solved")), "{reasons}");
    assert!(reasons.contains(&format!("{rate}: the model runs without a dirty rate")), "{reasons}");
    assert!(!reasons.contains("first pass"), "{reasons}");
    assert!(!r.pause_note.contains("before the first sync"), "{}", r.pause_note);
    // The switchover test says why its pending is only the live remaining.
    let sw = &a.formulas[0].switchover;
    assert!(sw.notes.iter().any(|n| n.starts_with("The expected downtime on line 4 is a QEMU counter bug")), "{sw:?}");
    // The parts that run on the rate say they saw none.
    assert!(a.advice.notes.iter().any(|n| n.starts_with("The dirty pages rate on line 17") && n.contains("best case")));
    let ac = a.advice.levers.iter().find(|l| l.name == "auto-converge").expect("lever");
    assert!(ac.effect.starts_with(rate), "{}", ac.effect);
    // Ramps are replayed against the pending now, not against a limit of 0 ms.
    let nova = &a.advice.ramps[0];
    assert!(!nova.converges && nova.outcome.contains("18,547 ms needed"), "{}", nova.outcome);
    let hp = a.advice.hugepage.as_ref().expect("hugepage");
    assert!(!hp.notes.iter().any(|n| n.contains("the printed 0 pages/s")), "{:?}", hp.notes);
}

#[test]
fn a_later_snapshot_with_a_broken_counter_is_passed_over_by_name() {
    // The sound snapshot (lines 45-63) pasted before the one with remaining above total RAM.
    let a = analyse_text(&broken_lines(&[(45, 63), (26, 44)], ""));
    let i = a.advice.inputs.as_ref().expect("modelled");
    assert_eq!(i.snapshot, 0);
    assert!(a.advice.notes.iter().any(|n| n
        == "The snapshot at line 21 is later but not modelled: the remaining ram on line 27 is a QEMU counter bug (printed 4401740 kbytes). The advice starts from the snapshot at line 2, the last with a usable remaining and throughput."));
}

#[test]
fn a_libvirt_log_whose_last_reply_printed_nan_is_modelled_from_the_reply_before() {
    let a = analyse_text(&handmade("libvirtd_log_qmp.txt"));
    let last = a.paste.snapshots.len() - 1;
    assert_eq!(a.paste.snapshots[last].first_line, 14);
    assert_eq!(
        a.formulas[last].f2.missing.as_deref(),
        Some("the throughput on line 14 is a QEMU counter bug (printed -nan): formula 2 cannot be computed")
    );
    let i = a.advice.inputs.as_ref().expect("modelled");
    assert!(i.snapshot < last);
    assert!(a.advice.notes.iter().any(|n| n.starts_with("The snapshot at line 14 is later but not modelled: the throughput on line 14 is a QEMU counter bug (printed -nan).")), "{:?}", a.advice.notes);
}
