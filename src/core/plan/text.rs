//! The plan as the first block of the text report.

use super::*;
use crate::core::writer;
use std::fmt::{self, Write};

pub fn render(p: &Plan) -> String {
    writer::text(|o| write(o, p))
}

/// The plan's lines, in the writers' style (core/writer.rs).
pub fn write(o: &mut impl Write, p: &Plan) -> fmt::Result {
    writeln!(o, "{}", p.diagnosis.text)?;
    writeln!(o, "Plan: {}", p.action.text)?;
    for n in &p.action.notes {
        writeln!(o, "  {n}")?;
    }
    for s in &p.action.steps {
        let when = match &s.when {
            When::Now => "now".to_string(),
            When::IfNextSyncLeavesMore { pending } => {
                format!("if the next sync leaves more (up to {})", prose::size(*pending))
            }
            When::IfNotDoneWithin { time } => format!("if not done within {}", prose::duration(*time)),
        };
        writeln!(o, "  {when}: {}", s.setting)?;
        for c in &s.commands {
            writeln!(o, "    {:<7} {}", c.interface.label(), c.text)?;
        }
    }
    writeln!(o, "Confidence: {}", p.confidence.level.name())?;
    for r in &p.confidence.raise_by {
        writeln!(o, "  to raise it: {r}")?;
    }
    if !p.options.is_empty() {
        writeln!(o, "\nOptions, by pause:")?;
        for (n, x) in p.options.iter().enumerate() {
            let total = x.total_time.map(|t| format!(", done in about {}", prose::duration(t))).unwrap_or_default();
            let applies = match x.applies {
                Applies::Now => "now",
                Applies::RestartMigration => "restart the migration",
                Applies::RestartGuest => "restart the guest",
            };
            writeln!(o, "  {}. {}: pause {}{total} ({applies})", n + 1, x.lever.name(), x.pause.describe())?;
            writeln!(o, "     {}", x.setting)?;
            for c in &x.costs {
                writeln!(o, "     cost: {}", c.text)?;
            }
            for c in &x.commands {
                writeln!(o, "     {:<7} {}", c.interface.label(), c.text)?;
            }
        }
    }
    if !p.not_offered.is_empty() {
        writeln!(o, "  Not offered:")?;
        for n in &p.not_offered {
            writeln!(o, "  - {}: {}", n.lever.name(), n.reason)?;
        }
    }
    if !p.stack.is_empty() {
        writeln!(o, "\nIn your management stack:")?;
        for s in &p.stack {
            writeln!(o, "  {}: {}", s.stack.name(), s.setting.replace('\n', "; "))?;
            writeln!(o, "     {}", s.effect)?;
        }
    }
    Ok(())
}
