//! One call from text to everything the page and the CLI show: the parsed paste,
//! the formulas for every snapshot, and the advice for the snapshot in focus.

use super::advice::{self, Advice};
use super::formulas::{self, SnapshotFormulas};
use super::model::{Dialect, Field, Paste, Precision, Snapshot, Source, Status, Throughput};
pub use super::options::{Options, Overrides};
use super::parse;
use super::plan::{self, Plan};
use super::units::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    pub paste: Paste,
    /// One per snapshot, in paste order.
    pub formulas: Vec<SnapshotFormulas>,
    /// Index of the snapshot the advice is for: the last one with statistics.
    pub focus: Option<usize>,
    pub advice: Advice,
    /// What the person acts on: diagnosis, plan, ranked options (built from the advice).
    pub plan: Plan,
    pub options: Options,
}

impl Analysis {
    pub fn focus_snapshot(&self) -> Option<&Snapshot> {
        self.focus.and_then(|i| self.paste.snapshots.get(i))
    }
    pub fn focus_formulas(&self) -> Option<&SnapshotFormulas> {
        self.focus.and_then(|i| self.formulas.get(i))
    }
}

/// Parse and analyse with the default options.
pub fn analyse_text(text: &str) -> Analysis {
    analyse(parse::parse(text), Options::default())
}

/// The snapshot to advise on: the last one carrying statistics, else the last one.
fn pick_focus(p: &Paste) -> Option<usize> {
    let n = p.snapshots.len();
    (0..n).rev().find(|&i| p.snapshots[i].has_stats()).or(n.checked_sub(1))
}

fn edited<T>(value: T, what: &str) -> Field<T> {
    Field {
        value,
        source: Source { line: 0, raw: format!("{what} (edited)").into(), unit: Default::default() },
        precision: Precision::Exact,
    }
}

fn apply(paste: &mut Paste, focus: &mut Option<usize>, o: &Overrides) {
    if let Some(v) = o.downtime_limit_ms {
        paste.parameters.downtime_limit = Some(edited(Millis(v), "downtime-limit"));
    }
    if let Some(v) = o.max_bandwidth_bytes_per_s {
        paste.parameters.max_bandwidth = Some(edited(BytesPerSec(v), "max-bandwidth"));
    }
    if let Some(v) = o.avail_switchover_bandwidth_bytes_per_s {
        paste.parameters.avail_switchover_bandwidth = Some(edited(BytesPerSec(v), "avail-switchover-bandwidth"));
    }
    let touches_snapshot = o.remaining_bytes.is_some()
        || o.throughput_mbps.is_some()
        || o.dirty_pages_rate.is_some()
        || o.expected_downtime_ms.is_some();
    if !touches_snapshot {
        return;
    }
    if focus.is_none() {
        let mut s = Snapshot::new(Dialect::Manual, 0);
        s.status = Some(edited(Status::Active, "status"));
        paste.snapshots.push(s);
        *focus = Some(paste.snapshots.len() - 1);
    }
    let Some(s) = focus.and_then(|i| paste.snapshots.get_mut(i)) else { return };
    if let Some(v) = o.remaining_bytes {
        s.remaining = Some(edited(Bytes(v), "remaining"));
    }
    if let Some(v) = o.throughput_mbps {
        s.throughput = Some(edited(Throughput::Mbps(Mbps(v)), "throughput"));
    }
    if let Some(v) = o.dirty_pages_rate {
        s.dirty_pages_rate = Some(edited(PagesPerSec(v), "dirty pages rate"));
    }
    if let Some(v) = o.expected_downtime_ms {
        s.expected_downtime = Some(edited(Millis(v), "expected downtime"));
    }
}

pub fn analyse(mut paste: Paste, options: Options) -> Analysis {
    let mut focus = pick_focus(&paste);
    apply(&mut paste, &mut focus, &options.overrides);
    // Steps are text for the focus snapshot only: a long series needs just the numbers.
    let formulas: Vec<SnapshotFormulas> = paste
        .snapshots
        .iter()
        .enumerate()
        .map(|(i, s)| if Some(i) == focus { formulas::all(s, &paste) } else { formulas::numbers(s, &paste) })
        .collect();
    let advice = advice::advise(&paste, focus, &options);
    let plan = plan::build(&paste, &formulas, focus, &advice, &options);
    Analysis { paste, formulas, focus, advice, plan, options }
}
