//! A calculation shown as data: ordered steps, each a sentence, the expression
//! with the real numbers and units substituted, and the value. The page, the CLI
//! and the JSON report all render the same Derivation.

use super::units::group;
use super::writer;
use serde::Serialize;
use std::fmt::{self, Write};

/// A number with the unit it is in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: &'static str,
}

impl Quantity {
    pub fn new(value: f64, unit: &'static str) -> Quantity {
        Quantity { value, unit }
    }
    /// "1,475.94 ms": grouped, at most `decimals` decimals.
    pub fn show(&self, decimals: usize) -> String {
        if self.unit.is_empty() {
            group(self.value, decimals)
        } else {
            format!("{} {}", group(self.value, decimals), self.unit)
        }
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.show(2))
    }
}

/// One step of a derivation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// What this step does, in a sentence.
    pub what: String,
    /// The expression with numbers and units substituted, e.g. "39,044 pages/s x 4,096 bytes".
    pub expr: String,
    pub value: Quantity,
    /// Paste line the inputs of this step came from, if any.
    pub line: Option<usize>,
}

/// Which calculation a derivation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FormulaId {
    /// QEMU 2.10-2.12: dirty pages rate x page size / bandwidth.
    F1,
    /// QEMU 3.0+: remaining / bandwidth (KiB-exact).
    F2,
    /// The 2019 proposal: (remaining + re-dirtied while sending it) / bandwidth.
    F3,
    /// QEMU 8.2+: dirty bytes at the last sync / expected bandwidth (back-solved).
    Today,
    /// Would QEMU switch over now: pending < bandwidth x downtime-limit.
    Switchover,
}

impl FormulaId {
    pub fn key(self) -> &'static str {
        match self {
            FormulaId::F1 => "f1",
            FormulaId::F2 => "f2",
            FormulaId::F3 => "f3",
            FormulaId::Today => "today",
            FormulaId::Switchover => "switchover",
        }
    }
}

/// Text that is only built when a derivation explains itself: a string, or a closure
/// that formats one. Numbers-only derivations (a long series) skip the formatting.
pub trait Text {
    fn text(self) -> String;
}
impl Text for String {
    fn text(self) -> String {
        self
    }
}
impl Text for &str {
    fn text(self) -> String {
        self.to_string()
    }
}
impl<F: FnOnce() -> String> Text for F {
    fn text(self) -> String {
        self()
    }
}

/// A whole calculation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Derivation {
    pub id: FormulaId,
    /// Both fixed text: no String per derivation (five a snapshot, thousands a series).
    pub title: &'static str,
    /// Which QEMU versions used it ("QEMU 2.10-2.12").
    pub era: &'static str,
    pub steps: Vec<Step>,
    /// The final value; None when an input is missing.
    pub result: Option<Quantity>,
    /// Why there is no result ("no throughput line: formula 2 needs the bandwidth").
    pub missing: Option<String>,
    /// What the result means and where it goes wrong.
    pub notes: Vec<String>,
    /// False for numbers-only derivations: steps and notes are not built.
    #[serde(skip)]
    pub explain: bool,
}

impl Derivation {
    pub fn new(id: FormulaId, title: &'static str, era: &'static str) -> Derivation {
        Derivation { id, title, era, steps: Vec::new(), result: None, missing: None, notes: Vec::new(), explain: true }
    }
    pub fn step(&mut self, what: impl Text, expr: impl Text, value: Quantity, line: Option<usize>) -> f64 {
        let v = value.value;
        if self.explain {
            self.steps.push(Step { what: what.text(), expr: expr.text(), value, line });
        }
        v
    }
    pub fn missing(mut self, why: impl Into<String>) -> Derivation {
        self.missing = Some(why.into());
        self
    }
    pub fn note(&mut self, n: impl Text) {
        if self.explain {
            self.notes.push(n.text());
        }
    }
    pub fn result_ms(&self) -> Option<f64> {
        self.result.as_ref().map(|q| q.value)
    }

    /// Plain-text rendering, the same the CLI prints and the snapshot tests pin.
    pub fn to_text(&self) -> String {
        writer::text(|o| self.write_text(o))
    }

    /// The plain text, written as every text report is (see `writer`).
    pub fn write_text(&self, o: &mut impl Write) -> fmt::Result {
        writeln!(o, "{} [{}]", self.title, self.era)?;
        for (i, s) in self.steps.iter().enumerate() {
            let line = s.line.map(|l| format!("  (line {l})")).unwrap_or_default();
            writeln!(o, "  {}. {}{}", i + 1, s.what, line)?;
            writeln!(o, "     {} = {}", s.expr, s.value.show(2))?;
        }
        match (&self.result, &self.missing) {
            (Some(r), _) => writeln!(o, "  => {}", r.show(2))?,
            (None, Some(m)) => writeln!(o, "  => not computable: {m}")?,
            (None, None) => {}
        }
        for n in &self.notes {
            writeln!(o, "  note: {n}")?;
        }
        Ok(())
    }
}
