//! The plan as the first block of the text report.

use super::*;
use std::fmt::Write;

pub fn render(p: &Plan) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", p.diagnosis.text);
    let _ = writeln!(o, "Plan: {}", p.action.text);
    for n in &p.action.notes {
        let _ = writeln!(o, "  {n}");
    }
    for s in &p.action.steps {
        let when = match &s.when {
            When::Now => "now".to_string(),
            When::IfNextSyncLeavesMore { pending } => {
                format!("if the next sync leaves more (up to {})", prose::size(*pending))
            }
            When::IfNotDoneWithin { time } => format!("if not done within {}", prose::duration(*time)),
        };
        let _ = writeln!(o, "  {when}: {}", s.setting);
        for c in &s.commands {
            let _ = writeln!(o, "    {:<7} {}", c.interface.label(), c.text);
        }
    }
    let _ = writeln!(o, "Confidence: {}", p.confidence.level.name());
    for r in &p.confidence.raise_by {
        let _ = writeln!(o, "  to raise it: {r}");
    }
    if !p.options.is_empty() {
        let _ = writeln!(o, "\nOptions, by pause:");
        for (n, x) in p.options.iter().enumerate() {
            let total = x.total_time.map(|t| format!(", done in about {}", prose::duration(t))).unwrap_or_default();
            let applies = match x.applies {
                Applies::Now => "now",
                Applies::RestartMigration => "restart the migration",
                Applies::RestartGuest => "restart the guest",
            };
            let _ = writeln!(o, "  {}. {}: pause {}{total} ({applies})", n + 1, x.lever.name(), x.pause.describe());
            let _ = writeln!(o, "     {}", x.setting);
            for c in &x.costs {
                let _ = writeln!(o, "     cost: {}", c.text);
            }
            for c in &x.commands {
                let _ = writeln!(o, "     {:<7} {}", c.interface.label(), c.text);
            }
        }
    }
    if !p.not_offered.is_empty() {
        let _ = writeln!(o, "  Not offered:");
        for n in &p.not_offered {
            let _ = writeln!(o, "  - {}: {}", n.lever.name(), n.reason);
        }
    }
    if !p.stack.is_empty() {
        let _ = writeln!(o, "\nIn your management stack:");
        for s in &p.stack {
            let _ = writeln!(o, "  {}: {}", s.stack.name(), s.setting.replace('\n', "; "));
            let _ = writeln!(o, "     {}", s.effect);
        }
    }
    o
}
