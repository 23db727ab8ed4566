//! The one-line result a formula's header shows, and the switchover step's heading.
//! The verdict is the engine's typed field (`SnapshotFormulas::switches_over`); this
//! only words it.

use crate::core::derivation::Derivation;
use crate::core::plan::prose::sig3;
use crate::core::units::group;

pub const SWITCHES_OVER: &str = "QEMU would switch over now";
pub const KEEPS_ITERATING: &str = "QEMU keeps iterating";
pub const NOT_COMPUTABLE: &str = "not computable";

/// A formula's result as its header shows it: whole units from 100 up, cut as QEMU cuts ("3,561 ms"),
/// 3 significant digits below ("211 ms", "9.53 ms"). The steps keep every digit.
pub fn result_text(d: &Derivation) -> String {
    d.result
        .as_ref()
        .map(|q| {
            let v = if q.value.abs() >= 100.0 { group(q.value, 0) } else { sig3(q.value) };
            if q.unit.is_empty() {
                v
            } else {
                format!("{v} {}", q.unit)
            }
        })
        .unwrap_or_else(|| NOT_COMPUTABLE.into())
}

/// The switchover step's header: the engine's verdict in words, never the ratio compared here.
pub fn switchover_heading(switches_over: Option<bool>) -> &'static str {
    match switches_over {
        Some(true) => SWITCHES_OVER,
        Some(false) => KEEPS_ITERATING,
        None => NOT_COMPUTABLE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyse_text;

    /// The heading and the note under it say the same thing, on both sides of the threshold.
    fn heading_and_note(text: &str) -> (&'static str, String) {
        let a = analyse_text(text);
        let f = a.focus_formulas().expect("a snapshot");
        (switchover_heading(f.switches_over), f.switchover.notes.join(" "))
    }

    #[test]
    fn headings_round_and_the_steps_keep_every_digit() {
        let a = analyse_text(include_str!("../../tests/data/corpus/seed/as_pasted.txt"));
        let f = a.focus_formulas().expect("a snapshot");
        // 39044 x 4096 / 108,353.75 = 1,475.94 ms; 376892 x 1024 / 108,353.75 = 3,561.82 ms:
        // whole ms, cut as QEMU cuts (1,475 is what it printed).
        assert_eq!(result_text(&f.f1), "1,475 ms");
        assert_eq!(result_text(&f.f2), "3,561 ms");
        let last = f.f2.steps.last().expect("steps");
        assert_eq!(last.value.show(2), "3,561.82 ms");
    }

    #[test]
    fn the_seed_keeps_iterating() {
        let (h, note) = heading_and_note(include_str!("../../tests/data/corpus/seed/as_pasted.txt"));
        assert_eq!(h, KEEPS_ITERATING);
        assert!(note.contains(KEEPS_ITERATING), "{note}");
    }

    #[test]
    fn below_the_threshold_switches_over() {
        // The hand-made 2.5-era snapshot the code review found headed "keeps iterating"
        // while its note said it would switch over: its ratio is below 1, not equal to it.
        let (h, note) = heading_and_note(include_str!("../../tests/data/handmade/hmp_2_5_capabilities_line.txt"));
        assert_eq!(h, SWITCHES_OVER);
        assert!(note.contains(SWITCHES_OVER), "{note}");
    }

    #[test]
    fn a_real_10_2_snapshot_in_its_first_pass_switches_over() {
        // 6.97 MiB remain; 275.94 Mbit/s x the default 300 ms allows 10,347,750 bytes.
        let text = include_str!("../../tests/data/corpus/runs/10.2.2-B/snapshots/0020_t+010.001_hmp.txt");
        let (h, note) = heading_and_note(text);
        assert_eq!(h, SWITCHES_OVER);
        assert!(note.contains("with a pause of about 211.88 ms"), "{note}");
    }
}
