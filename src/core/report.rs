//! The report the CLI prints and the page can copy: readable text, or JSON with
//! stable names (`snapshots`, `parameters`, `capabilities`, `errors`,
//! `recommendation`, `simulation`) for scripts.

use super::analysis::Analysis;
use super::formulas::SnapshotFormulas;
use super::model::{FlaggedCounter, Paste, Snapshot};
use super::units::*;
use super::writer;
use serde_json::{json, Map, Value};
use std::fmt::{self, Write};

fn num(v: Option<f64>) -> Value {
    match v {
        Some(x) if x.is_finite() => json!(x),
        _ => Value::Null,
    }
}

fn snapshot_json(i: usize, s: &Snapshot, f: &SnapshotFormulas) -> Value {
    json!({
        "index": i,
        "first_line": s.first_line,
        "dialect": s.dialect.key(),
        "status": s.status_name(),
        "total_time_ms": num(s.total_time.as_ref().map(|t| t.value.0)),
        "remaining_bytes": num(s.remaining.as_ref().map(|r| r.value.0)),
        "transferred_bytes": num(s.transferred.as_ref().map(|r| r.value.0)),
        "total_bytes": num(s.total.as_ref().map(|r| r.value.0)),
        "bandwidth_bytes_per_ms": num(s.bandwidth().map(|b| b.0)),
        "dirty_pages_rate": num(s.dirty_pages_rate.as_ref().map(|r| r.value.0)),
        "page_size_bytes": num(s.page_size.as_ref().map(|p| p.value.bytes().0)),
        "dirty_sync_count": s.dirty_sync_count.as_ref().map(|c| c.value),
        "cpu_throttle_percentage": num(s.cpu_throttle_percentage.as_ref().map(|c| c.value)),
        "expected_downtime_ms": num(s.expected_downtime.as_ref().map(|e| e.value.0)),
        "downtime_ms": num(s.downtime.as_ref().map(|e| e.value.0)),
        "error": s.error.as_ref().map(|e| e.value.as_str()),
        "formulas": {
            "f1_ms": num(f.f1.result_ms()),
            "f2_ms": num(f.f2.result_ms()),
            "f2_decimal_kb_ms": num(f.f2_decimal_ms),
            "f3_ms": num(f.f3.result_ms()),
            "today_ms": num(f.today.result_ms()),
            "switches_over_now": f.switches_over,
        },
        "printed_by": f.printed_by,
        "seq": s.seq,
        "flagged": flagged_json(s),
        "exact": s.exact,
    })
}

/// QEMU counter bugs: the value as printed, why it cannot be, and that no formula used it.
fn flagged_json(s: &Snapshot) -> Value {
    let v: Vec<Value> = s
        .flagged
        .iter()
        .map(|f| {
            json!({"field": f.field, "printed": f.printed, "unit": f.source.unit, "line": f.source.line,
                   "bug": f.bug, "why": f.bug.explain(), "used_in_formulas": false})
        })
        .collect();
    Value::Array(v)
}

/// Every counter bug in the paste (at most 20 lines), for the text report.
fn flagged(o: &mut impl Write, p: &Paste) -> fmt::Result {
    // The first 20 by line, in stable order: each goes in after those on its line or
    // earlier, and the list keeps 20 (no sort instance in the page's wasm, issue 12).
    let mut first: Vec<&FlaggedCounter> = Vec::with_capacity(21);
    let mut total = 0;
    for f in p.snapshots.iter().flat_map(|s| &s.flagged) {
        total += 1;
        let at = first.iter().position(|g| g.source.line > f.source.line).unwrap_or(first.len());
        first.insert(at, f);
        first.truncate(20);
    }
    if total == 0 {
        return Ok(());
    }
    writeln!(o)?;
    writeln!(
        o,
        "QEMU counter bugs: shown as printed, left out of every formula and recommendation (each that needs one names it):"
    )?;
    for f in &first {
        let unit = if f.source.unit.is_empty() { String::new() } else { format!(" {}", f.source.unit) };
        writeln!(o, "  line {}: {} = {}{}: {}", f.source.line, f.field, f.printed, unit, f.bug.explain())?;
    }
    if total > 20 {
        writeln!(o, "  … and {} more", total - 20)?;
    }
    Ok(())
}

fn parameters_json(p: &Paste) -> Value {
    let q = &p.parameters;
    let mut m = Map::new();
    m.insert("downtime_limit_ms".into(), num(q.downtime_limit.as_ref().map(|f| f.value.0)));
    m.insert("max_bandwidth_bytes_per_s".into(), num(q.max_bandwidth.as_ref().map(|f| f.value.0)));
    m.insert("max_bandwidth_unlimited".into(), json!(q.max_bandwidth.as_ref().map(|f| f.value.is_unlimited())));
    m.insert(
        "avail_switchover_bandwidth_bytes_per_s".into(),
        num(q.avail_switchover_bandwidth.as_ref().map(|f| f.value.0)),
    );
    for (k, f) in [
        ("cpu_throttle_initial", &q.cpu_throttle_initial),
        ("cpu_throttle_increment", &q.cpu_throttle_increment),
        ("max_cpu_throttle", &q.max_cpu_throttle),
        ("throttle_trigger_threshold", &q.throttle_trigger_threshold),
    ] {
        if let Some(f) = f {
            m.insert(k.into(), json!(f.value));
        }
    }
    let other: Map<String, Value> = q.other.iter().map(|(k, f)| (k.clone(), json!(f.value))).collect();
    m.insert("other".into(), Value::Object(other));
    m.insert("exact".into(), json!(q.exact));
    Value::Object(m)
}

/// The machine-readable report (`converge --json`).
pub fn json(a: &Analysis) -> Value {
    let p = &a.paste;
    let snapshots: Vec<Value> =
        p.snapshots.iter().zip(&a.formulas).enumerate().map(|(i, (s, f))| snapshot_json(i, s, f)).collect();
    let capabilities: Map<String, Value> = p.capabilities.iter().map(|(k, f)| (k.clone(), json!(f.value))).collect();
    let errors: Vec<Value> = p.errors.iter().map(|e| json!({"line": e.line, "message": e.message})).collect();
    let focus = a.focus_formulas().map(|f| {
        json!({
            "index": a.focus,
            "derivations": [&f.f1, &f.f2, &f.f3, &f.today, &f.switchover],
        })
    });
    json!({
        "snapshots": snapshots,
        "parameters": parameters_json(p),
        "capabilities": capabilities,
        "version": p.version.as_ref().map(|v| v.to_string()),
        "errors": errors,
        "lines_understood": p.lines_understood,
        "summary": p.summary.as_ref().map(|m| json!({"read": m.read, "kept": m.kept, "stride": m.stride, "boundary_stride": m.boundary_stride, "why": m.explain()})),
        "qemu_messages": p.qemu_messages.iter().map(|e| json!({"line": e.line, "message": e.message})).collect::<Vec<_>>(),
        "focus": focus,
        "plan": a.plan,
        "recommendation": a.advice.recommendation,
        "simulation": a.advice.simulation,
        "advice": a.advice,
    })
}

fn opt_ms(v: Option<f64>) -> String {
    v.map(|x| format!("{} ms", group(x, 2))).unwrap_or_else(|| "-".into())
}

fn series_table(o: &mut impl Write, a: &Analysis) -> fmt::Result {
    writeln!(o, "  #   line  status      remaining        expected   F2 (live)   F1")?;
    for (i, (s, f)) in a.paste.snapshots.iter().zip(&a.formulas).enumerate() {
        writeln!(
            o,
            "  {:<3} {:<5} {:<11} {:<16} {:<10} {:<11} {}",
            i + 1,
            s.first_line,
            s.status_name(),
            s.remaining.as_ref().map(|r| human_bytes(r.value)).unwrap_or_else(|| "-".into()),
            opt_ms(s.expected_downtime.as_ref().map(|e| e.value.0)),
            opt_ms(f.f2.result_ms()),
            opt_ms(f.f1.result_ms()),
        )?;
    }
    Ok(())
}

/// The readable report (`converge FILE`), the same explanation the page shows.
pub fn text(a: &Analysis) -> String {
    writer::text(|o| write_text(o, a))
}

fn write_text(o: &mut impl Write, a: &Analysis) -> fmt::Result {
    let p = &a.paste;
    // What to do comes first; how it was found follows.
    super::plan::text::write(o, &a.plan)?;
    writeln!(o)?;
    let n = p.snapshots.len();
    let read = p.summary.as_ref().map(|m| m.read).unwrap_or(n);
    writeln!(
        o,
        "Read {} snapshot{}, {} line{} understood, {} not understood.",
        read,
        if read == 1 { "" } else { "s" },
        p.lines_understood,
        if p.lines_understood == 1 { "" } else { "s" },
        p.errors.len()
    )?;
    if let Some(m) = &p.summary {
        writeln!(o, "Summarised: {}.", m.explain())?;
    }
    if let Some(v) = &p.version {
        writeln!(o, "QEMU version {v} (line {}).", v.source.line)?;
    }
    let (limit, pasted) = p.downtime_limit();
    writeln!(o, "downtime-limit: {}{}", limit, if pasted { "" } else { " (not pasted: QEMU's default)" })?;
    if let Some(mb) = &p.parameters.max_bandwidth {
        let unl = if mb.value.is_unlimited() { " (libvirt's \"unlimited\")" } else { "" };
        let printed = match p.parameters.exact.get("max-bandwidth") {
            Some(&n) => format!("{} bytes/s", group_int(n)),
            None => mb.value.to_string(),
        };
        writeln!(o, "max-bandwidth: {} = {}/s{}", printed, human_bytes(Bytes(mb.value.0)), unl)?;
    }
    if let Some(av) = &p.parameters.avail_switchover_bandwidth {
        writeln!(o, "avail-switchover-bandwidth: {}", av.value)?;
    }
    if n > 1 {
        writeln!(o)?;
        writeln!(o, "Series, in paste order:")?;
        series_table(o, a)?;
    }
    flagged(o, p)?;
    if let (Some(s), Some(f)) = (a.focus_snapshot(), a.focus_formulas()) {
        writeln!(o)?;
        writeln!(
            o,
            "Snapshot {} of {} (line {}), {}, status {}:",
            a.focus.map(|i| i + 1).unwrap_or(0),
            n,
            s.first_line,
            s.dialect.label(),
            s.status_name()
        )?;
        if let Some(e) = &s.error {
            writeln!(o, "QEMU reports the failure: {} (line {}).", e.value, e.source.line)?;
        }
        if let Some(e) = &s.expected_downtime {
            writeln!(o, "QEMU printed expected downtime {} (line {}).", e.value, e.source.line)?;
        }
        if let Some(d) = &s.downtime {
            writeln!(o, "QEMU measured downtime {} (line {}).", d.value, d.source.line)?;
        }
        if let Some(pb) = &f.printed_by {
            writeln!(o, "Which formula printed it: {} — {}", pb.era, pb.explanation)?;
        }
        writeln!(o)?;
        for d in [&f.f1, &f.f2, &f.f3, &f.today, &f.switchover] {
            d.write_text(o)?;
            writeln!(o)?;
        }
    }
    let advice = a.advice.to_text();
    if !advice.is_empty() {
        writeln!(o, "{advice}")?;
    }
    if !p.errors.is_empty() {
        writeln!(o, "Lines not understood:")?;
        for e in &p.errors {
            writeln!(o, "  line {}: {}", e.line, e.detail())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{CounterBug, Dialect, Source};
    use crate::core::text::SourceText;

    fn counter(line: usize, field: &str) -> FlaggedCounter {
        let source = Source { line, raw: SourceText::EMPTY, unit: SourceText::from_static("kbytes") };
        FlaggedCounter { field: field.into(), printed: "-1".into(), source, bug: CounterBug::Negative }
    }

    /// The report lists the first 20 counter bugs by line, ties in paste order: the same
    /// lines as a stable sort by line would give, here with lines out of order (as QMP's
    /// alphabetical keys leave them), ties, and more than 20.
    #[test]
    fn counter_bugs_are_the_first_twenty_by_line_in_stable_order() {
        let mut p = Paste::default();
        let lines =
            [[40, 12, 12, 7, 30, 3, 12, 50, 1], [44, 2, 2, 90, 18, 18, 5, 60, 9], [33, 3, 70, 11, 12, 8, 4, 6, 2]];
        for (n, ls) in lines.iter().enumerate() {
            let mut s = Snapshot::new(Dialect::HmpMs, n * 100 + 1);
            s.flagged = ls.iter().enumerate().map(|(i, &l)| counter(l, &format!("c{n}-{i}"))).collect();
            p.snapshots.push(s);
        }
        let mut out = String::new();
        flagged(&mut out, &p).unwrap();

        let mut all: Vec<&FlaggedCounter> = p.snapshots.iter().flat_map(|s| &s.flagged).collect();
        all.sort_by_key(|f| f.source.line);
        let listed: Vec<&str> = out.lines().filter(|l| l.starts_with("  line ")).collect();
        assert_eq!(listed.len(), 20, "{out}");
        for (l, f) in listed.iter().zip(&all) {
            assert!(l.starts_with(&format!("  line {}: {} = -1 kbytes: ", f.source.line, f.field)), "{l} vs {f:?}");
        }
        assert!(out.ends_with("  … and 7 more\n"), "{out}");
    }
}
