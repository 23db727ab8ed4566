//! The one-line result a formula's header shows. The verdicts are the engine's:
//! the switchover heading reads `formulas::switches_over`, never the ratio.

use crate::core::derivation::{Derivation, FormulaId};
use crate::core::formulas;

pub const SWITCHES_OVER: &str = "QEMU would switch over now";
pub const KEEPS_ITERATING: &str = "QEMU keeps iterating";

pub fn result_text(d: &Derivation) -> String {
    match (d.id, formulas::switches_over(d), &d.result) {
        (FormulaId::Switchover, Some(true), _) => SWITCHES_OVER.into(),
        (FormulaId::Switchover, Some(false), _) => KEEPS_ITERATING.into(),
        (_, _, Some(q)) => q.show(2),
        (_, _, None) => "not computable".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyse_text;

    /// The heading and the note under it say the same thing, on both sides of the threshold.
    fn heading_and_note(text: &str) -> (String, String) {
        let a = analyse_text(text);
        let d = &a.focus_formulas().expect("a snapshot").switchover;
        (result_text(d), d.notes.join(" "))
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
}
