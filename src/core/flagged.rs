//! What a QEMU counter bug keeps from being computed. The parser keeps an impossible
//! counter as printed (`Snapshot::flagged`) and leaves its usable field empty; every
//! formula and the advice that needs it then names it, its line and what QEMU printed,
//! instead of saying the line is missing.

use super::model::{FlaggedCounter, Snapshot};

/// The counters the formulas and the advice read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    Throughput,
    Remaining,
    DirtyRate,
    ExpectedDowntime,
}

impl Counter {
    /// The QMP-style name the parser flags it under.
    fn key(self) -> &'static str {
        match self {
            Counter::Throughput => "mbps",
            Counter::Remaining => "remaining",
            Counter::DirtyRate => "dirty-pages-rate",
            Counter::ExpectedDowntime => "expected-downtime",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Counter::Throughput => "throughput",
            Counter::Remaining => "remaining ram",
            Counter::DirtyRate => "dirty pages rate",
            Counter::ExpectedDowntime => "expected downtime",
        }
    }
}

/// The flag on this counter, if QEMU printed an impossible value for it.
pub fn flag(s: &Snapshot, c: Counter) -> Option<&FlaggedCounter> {
    s.flag(c.key())
}

/// "the dirty pages rate on line 43 is a QEMU counter bug (printed -1 pages)", if flagged.
pub fn bug(s: &Snapshot, c: Counter) -> Option<String> {
    flag(s, c).map(|f| {
        let unit = if f.source.unit.is_empty() { String::new() } else { format!(" {}", f.source.unit) };
        format!("the {} on line {} is a QEMU counter bug (printed {}{})", c.label(), f.source.line, f.printed, unit)
    })
}

/// The same, opening a sentence of its own.
pub fn bug_sentence(s: &Snapshot, c: Counter) -> Option<String> {
    bug(s, c).map(|b| crate::core::writer::capitalised(&b))
}

/// Why `who` has no result: the flagged counter by name when that is the cause, else `otherwise`.
pub fn cannot_compute(s: &Snapshot, c: Counter, who: &str, otherwise: impl FnOnce() -> String) -> String {
    match bug(s, c) {
        Some(b) => format!("{b}: {who} cannot be computed"),
        None => otherwise(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{CounterBug, Dialect, Source};

    #[test]
    fn names_the_counter_its_line_and_what_was_printed() {
        let mut s = Snapshot::new(Dialect::HmpMs, 10);
        s.flagged.push(FlaggedCounter {
            field: "mbps".into(),
            printed: "-nan".into(),
            source: Source { line: 14, raw: "throughput: -nan mbps".into(), unit: "mbps".into() },
            bug: CounterBug::NotANumber,
        });
        assert_eq!(
            cannot_compute(&s, Counter::Throughput, "formula 1", || "no throughput line".into()),
            "the throughput on line 14 is a QEMU counter bug (printed -nan mbps): formula 1 cannot be computed"
        );
        assert_eq!(cannot_compute(&s, Counter::Remaining, "formula 2", || "no remaining".into()), "no remaining");
    }
}
