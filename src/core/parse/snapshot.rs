//! Building snapshots: opening one per `Migration status:` / `Status:` / `Job type:`
//! line or QMP reply, putting values into it, and closing it. A value whose slot is
//! already filled also starts a new snapshot, so a pasted time series without
//! status lines still splits correctly.

use super::values::Val;
use super::Parser;
use crate::core::model::{
    CounterBug, Dialect, Field, FlaggedCounter, Precision, Snapshot, Source, SourceText, Status, Throughput,
};
use crate::core::units::*;

/// Which reader owns the open snapshot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Family {
    /// `Migration status:` layout (QEMU 2.x - 10.0).
    HmpOld,
    /// `Status:` layout (QEMU 10.1+).
    Hmp10,
    /// virsh domjobinfo.
    Virsh,
    /// virsh domjobinfo --rawstats.
    VirshRaw,
    Qmp,
}

impl Family {
    fn default_dialect(self) -> Dialect {
        match self {
            Family::HmpOld => Dialect::HmpMs,
            Family::Hmp10 => Dialect::Hmp10_1,
            Family::Virsh | Family::VirshRaw => Dialect::Virsh,
            Family::Qmp => Dialect::Qmp,
        }
    }
}

pub(crate) struct Open {
    pub idx: usize,
    pub family: Family,
    /// The line after which QEMU would have printed the dirty rate had it been non-zero.
    pub dirty_anchor: Option<Source>,
}

/// Where a value goes in the snapshot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Target {
    TotalTime,
    Expected,
    Downtime,
    Setup,
    Transferred,
    Remaining,
    Total,
    Mbps,
    MiBps,
    Dirty,
    PageSize,
    Syncs,
    Pps,
    Throttle,
    DowntimeBytes,
    Extra(&'static str),
}

impl Target {
    /// The QMP name of the value (what flags and exact integers are keyed by).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Target::TotalTime => "total-time",
            Target::Expected => "expected-downtime",
            Target::Downtime => "downtime",
            Target::Setup => "setup-time",
            Target::Transferred => "transferred",
            Target::Remaining => "remaining",
            Target::Total => "total",
            Target::Mbps | Target::MiBps => "mbps",
            Target::Dirty => "dirty-pages-rate",
            Target::PageSize => "page-size",
            Target::Syncs => "dirty-sync-count",
            Target::Pps => "pages-per-second",
            Target::Throttle => "cpu-throttle-percentage",
            Target::DowntimeBytes => "downtime-bytes",
            Target::Extra(k) => k,
        }
    }
}

/// 2^63: no byte, ms or page counter of a real migration reaches it; QEMU printing it or more
/// means a negative int64 went out through a PRIu64 (or the kbytes of one, 2^53).
const WRAP: f64 = 9_223_372_036_854_775_808.0;

/// f64 holds every whole number up to 2^53 exactly; beyond, the printed digits are kept apart.
pub(crate) const F64_EXACT: u64 = 1 << 53;

/// Why a value read cleanly still cannot be true (in base units: bytes, ms, pages).
pub(crate) fn impossible(v: f64, int: Option<u64>, unit: &str) -> Option<CounterBug> {
    if v.is_nan() {
        return Some(CounterBug::NotANumber);
    }
    if v.is_infinite() {
        return Some(CounterBug::Infinite);
    }
    if v < 0.0 {
        return Some(CounterBug::Negative);
    }
    let kbytes = || matches!(unit, "kbytes" | "KiB" | "KB");
    let printed_wrap = int.is_some_and(|n| n >= 1 << 63 || (n >= 1 << 53 && kbytes()));
    (printed_wrap || v >= WRAP).then_some(CounterBug::Wraparound)
}

impl Parser {
    /// Closes the open snapshot: a missing dirty rate after the place QEMU prints it means 0
    /// (QEMU prints `dirty pages rate` / `dirty=` only when non-zero).
    pub(crate) fn close(&mut self) {
        let Some(open) = self.open.take() else { return };
        if let (Some(anchor), Some(s)) = (open.dirty_anchor, self.paste.snapshots.get_mut(open.idx)) {
            // A rate QEMU printed but got wrong is not a rate left out for being zero.
            if s.dirty_pages_rate.is_none() && s.flag("dirty-pages-rate").is_none() {
                s.dirty_pages_rate = Some(Field::exact(PagesPerSec(0.0), anchor));
            }
        }
        if let Some(s) = self.paste.snapshots.get_mut(open.idx) {
            flag_remaining_above_total(s);
        }
        self.closed(open.idx);
    }

    /// Starts a new snapshot of this family at this line.
    pub(crate) fn start(&mut self, family: Family, no: usize) {
        self.close();
        self.make_room();
        let mut s = Snapshot::new(family.default_dialect(), no);
        s.seq = self.next_seq();
        self.paste.snapshots.push(s);
        self.open = Some(Open { idx: self.paste.snapshots.len() - 1, family, dirty_anchor: None });
    }

    /// The open snapshot if it belongs to this family, else a new one.
    pub(crate) fn current(&mut self, family: Family, no: usize) -> usize {
        match &self.open {
            Some(o) if o.family == family && o.idx < self.paste.snapshots.len() => o.idx,
            _ => {
                self.start(family, no);
                self.paste.snapshots.len() - 1
            }
        }
    }

    pub(crate) fn snap(&mut self, idx: usize) -> Option<&mut Snapshot> {
        self.paste.snapshots.get_mut(idx)
    }

    pub(crate) fn set_status(&mut self, family: Family, no: usize, raw: &str, status: Status) {
        self.start(family, no);
        let source = self.source(no, raw, SourceText::EMPTY);
        if let Some(s) = self.paste.snapshots.last_mut() {
            s.status = Some(Field::exact(status, source));
        }
    }

    /// QEMU's reason for a failure, on the snapshot being read.
    pub(crate) fn set_error(&mut self, family: Family, no: usize, raw: &str, text: &str) {
        let idx = self.current(family, no);
        let source = self.source(no, raw, SourceText::EMPTY);
        if let Some(s) = self.snap(idx) {
            s.error = Some(Field::exact(text.trim().to_string(), source));
        }
    }

    pub(crate) fn set_dialect(&mut self, family: Family, no: usize, dialect: Dialect) {
        let idx = self.current(family, no);
        if let Some(s) = self.snap(idx) {
            s.dialect = dialect;
        }
    }

    /// Remembers where a zero dirty rate would have been left out.
    pub(crate) fn dirty_anchor(&mut self, family: Family, no: usize, raw: &str) {
        self.current(family, no);
        let source = self.source(no, raw, SourceText::EMPTY);
        if let Some(o) = &mut self.open {
            o.dirty_anchor = Some(source);
        }
    }

    /// Puts one value into the open snapshot of `family` (a new one if the slot is taken).
    pub(crate) fn put(&mut self, family: Family, no: usize, raw: &str, target: Target, val: Val) {
        let mut idx = self.current(family, no);
        let taken = self.paste.snapshots.get(idx).map(|s| slot_taken(s, target)).unwrap_or(false);
        if taken {
            self.start(family, no);
            idx = self.paste.snapshots.len() - 1;
        }
        let source = self.source(no, raw, val.unit.clone());
        let Some(s) = self.paste.snapshots.get_mut(idx) else { return };
        s.last_line = s.last_line.max(no);
        let precision = match (target, val.precision) {
            // QEMU stores expected_downtime as an integer cut from a double.
            (Target::Expected, Precision::Exact) => Precision::Truncated { step: 1.0 },
            // Page sizes are whole KiB, so `4 kbytes` is exact.
            (Target::PageSize, _) => Precision::Exact,
            (_, p) => p,
        };
        if let Some(bug) = impossible(val.v, val.int, &val.unit) {
            let printed = match val.int {
                Some(n) => n.to_string(),
                None => format!("{}", val.v),
            };
            let field = target.name().to_string();
            s.flagged.retain(|f| f.field != field);
            s.flagged.push(FlaggedCounter { field, printed, source, bug });
            return;
        }
        if let Some(n) = val.int.filter(|&n| n > F64_EXACT) {
            s.exact.insert(target.name().to_string(), n);
        }
        let v = val.v;
        fn f<T>(value: T, source: Source, precision: Precision) -> Option<Field<T>> {
            Some(Field { value, source, precision })
        }
        match target {
            Target::TotalTime => s.total_time = f(Millis(v), source, precision),
            Target::Expected => s.expected_downtime = f(Millis(v), source, precision),
            Target::Downtime => s.downtime = f(Millis(v), source, precision),
            Target::Setup => s.setup_time = f(Millis(v), source, precision),
            Target::Transferred => s.transferred = f(Bytes(v), source, precision),
            Target::Remaining => s.remaining = f(Bytes(v), source, precision),
            Target::Total => s.total = f(Bytes(v), source, precision),
            Target::Mbps => s.throughput = f(Throughput::Mbps(Mbps(v)), source, precision),
            Target::MiBps => s.throughput = f(Throughput::MiBPerSec(MiBPerSec(v)), source, precision),
            Target::Dirty => s.dirty_pages_rate = f(PagesPerSec(v), source, precision),
            Target::PageSize => s.page_size = f(PageSize(Bytes(v)), source, precision),
            Target::Syncs => s.dirty_sync_count = f(v.max(0.0) as u64, source, precision),
            Target::Pps => s.pages_per_second = f(PagesPerSec(v), source, precision),
            Target::Throttle => s.cpu_throttle_percentage = f(v, source, precision),
            Target::DowntimeBytes => s.downtime_bytes = f(Bytes(v), source, precision),
            Target::Extra(k) => {
                s.extra.insert(k.into(), Field { value: v, source, precision });
            }
        }
    }

    /// A value the reader saw printed but could not take as a number (`-nan`, `-5`): flagged.
    pub(crate) fn put_broken(
        &mut self,
        family: Family,
        no: usize,
        raw: &str,
        target: Target,
        printed: &str,
        bug: CounterBug,
    ) {
        let mut idx = self.current(family, no);
        if self.paste.snapshots.get(idx).is_some_and(|s| slot_taken(s, target)) {
            self.start(family, no);
            idx = self.paste.snapshots.len() - 1;
        }
        let (_, unit) = super::values::number_and_unit(printed);
        let source = self.source(no, raw, super::values::unit_text(unit));
        let Some(s) = self.paste.snapshots.get_mut(idx) else { return };
        s.last_line = s.last_line.max(no);
        let printed = super::values::number_and_unit(printed).0.to_string();
        let field = target.name().to_string();
        s.flagged.retain(|f| f.field != field);
        s.flagged.push(FlaggedCounter { field, printed, source, bug });
    }
}

/// `remaining` above `total` (beyond both values' printing precision) cannot be: flagged.
fn flag_remaining_above_total(s: &mut Snapshot) {
    let (Some(r), Some(t)) = (&s.remaining, &s.total) else { return };
    let lo = match r.precision {
        Precision::Rounded { lo, .. } => lo,
        _ => r.value.0,
    };
    let hi = match t.precision {
        Precision::Rounded { hi, .. } => hi,
        Precision::Truncated { step } => t.value.0 + step,
        Precision::Exact => t.value.0,
    };
    if lo <= hi {
        return;
    }
    if let Some(r) = s.remaining.take() {
        let printed = match r.source.unit.as_str() {
            "kbytes" => format!("{}", r.value.0 / crate::core::units::KIB),
            _ => s.exact.get("remaining").map(|n| n.to_string()).unwrap_or_else(|| format!("{}", r.value.0)),
        };
        s.flagged.push(FlaggedCounter {
            field: "remaining".into(),
            printed,
            source: r.source,
            bug: CounterBug::AboveTotal,
        });
    }
}

fn slot_taken(s: &Snapshot, t: Target) -> bool {
    if !s.flagged.is_empty() && s.flagged.iter().any(|f| f.field == t.name()) {
        return true;
    }
    match t {
        Target::TotalTime => s.total_time.is_some(),
        Target::Expected => s.expected_downtime.is_some(),
        Target::Downtime => s.downtime.is_some(),
        Target::Setup => s.setup_time.is_some(),
        Target::Transferred => s.transferred.is_some(),
        Target::Remaining => s.remaining.is_some(),
        Target::Total => s.total.is_some(),
        Target::Mbps | Target::MiBps => s.throughput.is_some(),
        Target::Dirty => s.dirty_pages_rate.is_some(),
        Target::PageSize => s.page_size.is_some(),
        Target::Syncs => s.dirty_sync_count.is_some(),
        Target::Pps => s.pages_per_second.is_some(),
        Target::Throttle => s.cpu_throttle_percentage.is_some(),
        Target::DowntimeBytes => s.downtime_bytes.is_some(),
        Target::Extra(k) => s.extra.contains_key(k),
    }
}
