//! What one poll shows: a block redrawn in place on a terminal, one line per
//! poll when piped, or one JSON object per poll (`--json`, the names of
//! `converge --json`). Shells render; the verdict and decision come decided.

use super::decide::{Decision, Verdict};
use crate::core::analysis::Analysis;
use crate::core::model::Snapshot;
use crate::core::report;
use crate::core::units::{group, grouped_ms, human_bytes, human_duration, Bytes, BytesPerMs, Millis};
use serde_json::{json, Value};

pub struct Frame<'a> {
    pub poll: u64,
    pub elapsed_ms: f64,
    pub analysis: &'a Analysis,
    pub verdict: Verdict,
    pub decision: &'a Decision,
}

fn rate(bw: BytesPerMs) -> String {
    format!("{}/s", human_bytes(Bytes(bw.to_bytes_per_sec().0)))
}

pub fn verdict_text(v: Verdict, limit_ms: f64) -> String {
    match v {
        Verdict::Converges => format!("converges at {}", grouped_ms(Millis(limit_ms))),
        Verdict::NeverConverges => format!("never converges at {}", grouped_ms(Millis(limit_ms))),
        Verdict::NotYetKnown => format!("not yet known at {}", grouped_ms(Millis(limit_ms))),
    }
}

fn bar(done: f64, total: f64, width: usize) -> String {
    let f = if total > 0.0 { (done / total).clamp(0.0, 1.0) } else { 0.0 };
    let n = (f * width as f64).round() as usize;
    format!("[{}{}] {:.0} %", "#".repeat(n), "-".repeat(width - n), f * 100.0)
}

fn last(a: &Analysis) -> Option<&Snapshot> {
    a.paste.snapshots.last()
}

fn sync_count(s: &Snapshot) -> Option<u64> {
    s.dirty_sync_count.as_ref().map(|c| c.value)
}

/// The decision as one sentence for the log and the view.
pub fn decision_text(d: &Decision, applying: bool) -> String {
    let verb = |what: String| if applying { what } else { format!("would {what} (no --apply: nothing written)") };
    match d {
        Decision::Wait { reason } => format!("waiting: {reason}"),
        Decision::SetLimit { ms: n, evidence } => {
            format!("{} — evidence: {}", verb(format!("set downtime-limit {}", grouped_ms(Millis(*n as f64)))), evidence.describe())
        }
        Decision::SetAvailSwitchover { bytes_per_s, limit_with_avail_ms, evidence } => format!(
            "{} (the limit in force then passes: needs {}) — evidence: {}",
            verb(format!("set avail-switchover-bandwidth {} bytes/s (the link speed)", group(*bytes_per_s as f64, 0))),
            grouped_ms(Millis(*limit_with_avail_ms)),
            evidence.describe()
        ),
        Decision::Refuse { need_ms, max_pause_ms, levers, evidence } => format!(
            "nothing changed: it needs downtime-limit {}, above --max-pause {} — evidence: {}. Levers that would help: {}",
            grouped_ms(Millis(*need_ms)),
            grouped_ms(Millis(*max_pause_ms)),
            evidence.describe(),
            levers.join(" | ")
        ),
    }
}

/// The block redrawn on a terminal.
pub fn block(f: &Frame) -> Vec<String> {
    let a = f.analysis;
    let mut out = Vec::new();
    let Some(s) = last(a) else { return vec!["waiting for the first query-migrate reply".into()] };
    let sync = sync_count(s);
    out.push(format!(
        "status {} · pass {} · {} since watch started",
        s.status_name(),
        sync.map(|c| format!("{c} (dirty sync {c})")).unwrap_or_else(|| "?".into()),
        human_duration(f.elapsed_ms, 1000.0, 120_000.0)
    ));
    if let (Some(rem), Some(total)) = (s.remaining.as_ref(), s.total.as_ref()) {
        let r = rem.value;
        if sync.unwrap_or(0) <= 1 {
            out.push(format!(
                "remaining {} of {} {}",
                human_bytes(r),
                human_bytes(total.value),
                bar(total.value.0 - r.0, total.value.0, 30)
            ));
        } else {
            out.push(format!("remaining {} (re-sending what the guest dirtied)", human_bytes(r)));
        }
    }
    let bw = s.bandwidth().map(rate).unwrap_or_else(|| "n/a".into());
    let dirty = s
        .dirty_pages_rate
        .as_ref()
        .map(|d| {
            format!(
                "{} pages/s ({}/s)",
                group(d.value.0, 0),
                human_bytes(Bytes(d.value.to_bytes_per_sec(s.target_page()).0))
            )
        })
        .unwrap_or_else(|| "n/a".into());
    out.push(format!("bandwidth {bw} · dirty rate {dirty}"));
    if let Some(e) = s.expected_downtime.as_ref() {
        let by = a.focus_formulas().and_then(|fm| fm.printed_by.as_ref());
        let why = by
            .map(|p| format!("{} ({}): {}", p.formula, p.era, p.explanation))
            .unwrap_or_else(|| "formula not identified".into());
        out.push(format!("QEMU's expected downtime {} = {why}", grouped_ms(Millis(e.value.0))));
    }
    if let Some(series) = a.advice.series.as_ref() {
        if !series.points.is_empty() {
            let pts: Vec<String> =
                series.points.iter().rev().take(6).rev().map(|p| human_bytes(p.pending_bytes)).collect();
            out.push(format!("post-sync pending (last {}): {}", pts.len(), pts.join(", ")));
        }
    }
    let limit = a.paste.downtime_limit().0 .0;
    let rec = a.advice.recommendation.as_ref();
    out.push(format!(
        "verdict: {} · recommended downtime-limit {}",
        verdict_text(f.verdict, limit),
        rec.map(|r| format!("{} (confidence {})", grouped_ms(Millis(r.downtime_limit_ms.0)), r.confidence.level))
            .unwrap_or_else(|| "n/a".into())
    ));
    out
}

/// One line per poll when piped.
pub fn line(f: &Frame) -> String {
    let a = f.analysis;
    let Some(s) = last(a) else { return format!("poll {}: no reply yet", f.poll) };
    let limit = a.paste.downtime_limit().0 .0;
    let mut parts = vec![
        format!("t={}", human_duration(f.elapsed_ms, 0.0, f64::INFINITY)),
        s.status_name().to_string(),
        format!("sync {}", sync_count(s).map(|c| c.to_string()).unwrap_or_else(|| "?".into())),
    ];
    if let Some(r) = s.remaining.as_ref() {
        parts.push(format!("remaining {}", human_bytes(r.value)));
    }
    if let Some(bw) = s.bandwidth() {
        parts.push(format!("bw {}", rate(bw)));
    }
    if let Some(d) = s.dirty_pages_rate.as_ref() {
        parts.push(format!("dirty {} pages/s", group(d.value.0, 0)));
    }
    if let Some(e) = s.expected_downtime.as_ref() {
        let by = a.focus_formulas().and_then(|fm| fm.printed_by.as_ref()).map(|p| p.formula.as_str().to_string());
        parts.push(format!("expected {} ({})", grouped_ms(Millis(e.value.0)), by.unwrap_or_else(|| "?".into())));
    }
    if let Some(series) = a.advice.series.as_ref().filter(|s| !s.points.is_empty()) {
        let low = series.low_point.and_then(|i| series.points.get(i)).map(|p| human_bytes(p.pending_bytes));
        parts.push(format!("post-sync points {} (low {})", series.points.len(), low.unwrap_or_default()));
    }
    parts.push(format!("verdict: {}", verdict_text(f.verdict, limit)));
    if let Some(r) = a.advice.recommendation.as_ref() {
        parts.push(format!(
            "recommended {} ({} confidence)",
            grouped_ms(Millis(r.downtime_limit_ms.0)),
            r.confidence.level.as_str()
        ));
    }
    parts.join(" · ")
}

/// One JSON object per poll: the focus snapshot, parameters and recommendation
/// under the names `converge --json` uses, plus the verdict and decision.
pub fn json(f: &Frame) -> Value {
    let mut full = report::json(f.analysis);
    let take = |v: &mut Value, k: &str| v.get_mut(k).map(Value::take).unwrap_or(Value::Null);
    let snapshot =
        full.get_mut("snapshots").and_then(|s| s.as_array_mut()).and_then(|a| a.pop()).unwrap_or(Value::Null);
    json!({
        "poll": f.poll,
        "elapsed_ms": f.elapsed_ms,
        "snapshot": snapshot,
        "parameters": take(&mut full, "parameters"),
        "version": take(&mut full, "version"),
        "recommendation": take(&mut full, "recommendation"),
        "series": f.analysis.advice.series,
        "verdict": f.verdict,
        "limit_in_force_ms": f.analysis.paste.downtime_limit().0 .0,
        "decision": f.decision,
    })
}
