//! Building snapshots: opening one per `Migration status:` / `Status:` / `Job type:`
//! line or QMP reply, putting values into it, and closing it. A value whose slot is
//! already filled also starts a new snapshot, so a pasted time series without
//! status lines still splits correctly.

use super::values::Val;
use super::Parser;
use crate::core::model::{Dialect, Field, Precision, Snapshot, Source, Status, Throughput};
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

impl Parser {
    /// Closes the open snapshot: a missing dirty rate after the place QEMU prints it means 0
    /// (QEMU prints `dirty pages rate` / `dirty=` only when non-zero).
    pub(crate) fn close(&mut self) {
        let Some(open) = self.open.take() else { return };
        if let (Some(anchor), Some(s)) = (open.dirty_anchor, self.paste.snapshots.get_mut(open.idx)) {
            if s.dirty_pages_rate.is_none() {
                s.dirty_pages_rate = Some(Field::exact(PagesPerSec(0.0), anchor));
            }
        }
    }

    /// Starts a new snapshot of this family at this line.
    pub(crate) fn start(&mut self, family: Family, no: usize) {
        self.close();
        self.paste.snapshots.push(Snapshot::new(family.default_dialect(), no));
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
        if let Some(s) = self.paste.snapshots.last_mut() {
            s.status = Some(Field::exact(status, Source { line: no, raw: raw.to_string(), unit: String::new() }));
        }
    }

    /// QEMU's reason for a failure, on the snapshot being read.
    pub(crate) fn set_error(&mut self, family: Family, no: usize, raw: &str, text: &str) {
        let idx = self.current(family, no);
        if let Some(s) = self.snap(idx) {
            s.error = Some(Field::exact(
                text.trim().to_string(),
                Source { line: no, raw: raw.to_string(), unit: String::new() },
            ));
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
        if let Some(o) = &mut self.open {
            o.dirty_anchor = Some(Source { line: no, raw: raw.to_string(), unit: String::new() });
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
        let Some(s) = self.paste.snapshots.get_mut(idx) else { return };
        s.last_line = s.last_line.max(no);
        let source = Source { line: no, raw: raw.to_string(), unit: val.unit.clone() };
        let precision = match (target, val.precision) {
            // QEMU stores expected_downtime as an integer cut from a double.
            (Target::Expected, Precision::Exact) => Precision::Truncated { step: 1.0 },
            // Page sizes are whole KiB, so `4 kbytes` is exact.
            (Target::PageSize, _) => Precision::Exact,
            (_, p) => p,
        };
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
                s.extra.insert(k.to_string(), Field { value: v, source, precision });
            }
        }
    }
}

fn slot_taken(s: &Snapshot, t: Target) -> bool {
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
