//! What a paste says, after parsing: snapshots of migration statistics in paste
//! order, the parameters and capabilities, and every line that was not
//! understood. Each value keeps where it came from (line, raw text, unit as printed).

pub use super::text::SourceText;
use super::units::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Where a value came from in the paste.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Source {
    /// 1-based line number in the paste as the user gave it.
    pub line: usize,
    /// The line's text after terminal clean-up (escapes and prompts removed): a span
    /// of the cleaned paste, shared by every value read from it.
    pub raw: SourceText,
    /// The unit exactly as printed ("kbytes", "mbps", "MiB", "bytes/second", ...); empty if none.
    pub unit: SourceText,
}

/// How exactly the printed value pins down the real one.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Precision {
    /// The printed number is the value (QMP bytes, page counts).
    Exact,
    /// Truncated to whole units of this many bytes/ms/...: real value in [v, v + step)
    /// (HMP `kbytes` is `bytes >> 10`; HMP ms are integer-truncated).
    Truncated { step: f64 },
    /// Rounded to 3 significant digits (QEMU 10.1+ sizes): real value in [lo, hi].
    Rounded { lo: f64, hi: f64 },
}

impl Precision {
    /// Half the width of a rounded value's interval, in % of `of`; None unless rounded.
    pub fn rounding_pct(&self, of: f64) -> Option<f64> {
        match *self {
            Precision::Rounded { lo, hi } => Some((hi - lo) / 2.0 / of * 100.0),
            _ => None,
        }
    }
}

/// One parsed value with its provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field<T> {
    pub value: T,
    pub source: Source,
    pub precision: Precision,
}

impl<T> Field<T> {
    pub fn exact(value: T, source: Source) -> Self {
        Field { value, source, precision: Precision::Exact }
    }
}

/// The output format a snapshot was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Dialect {
    /// HMP `info migrate`, QEMU 2.x - 5.0: times in `milliseconds`.
    HmpMilliseconds,
    /// HMP `info migrate`, QEMU 5.1 - 10.0: times in `ms`.
    HmpMs,
    /// HMP `info migrate`, QEMU 10.1+: `Status:`, `Time (ms): ...`, sizes with IEC units.
    Hmp10_1,
    /// The 2025 development variants of 10.1+: `Sizes (KiB): ...` and `Sizes (KB): psize=...`.
    Hmp10_1Kib,
    /// QMP `query-migrate` JSON.
    Qmp,
    /// libvirt `virsh domjobinfo`.
    Virsh,
    /// Typed in by hand (the page's form or the CLI's flags), no paste.
    Manual,
}

impl Dialect {
    pub fn label(self) -> &'static str {
        match self {
            Dialect::HmpMilliseconds => "HMP info migrate (QEMU 2.x-5.0, \"milliseconds\")",
            Dialect::HmpMs => "HMP info migrate (QEMU 5.1-10.0, \"ms\")",
            Dialect::Hmp10_1 => "HMP info migrate (QEMU 10.1+ layout)",
            Dialect::Hmp10_1Kib => "HMP info migrate (QEMU 10.1 development layout, Sizes (KiB))",
            Dialect::Qmp => "QMP query-migrate",
            Dialect::Virsh => "libvirt virsh domjobinfo",
            Dialect::Manual => "numbers typed in",
        }
    }
    /// Stable short name used in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Dialect::HmpMilliseconds => "hmp-2.x",
            Dialect::HmpMs => "hmp-5.1",
            Dialect::Hmp10_1 => "hmp-10.1",
            Dialect::Hmp10_1Kib => "hmp-10.1-kib",
            Dialect::Qmp => "qmp",
            Dialect::Virsh => "virsh",
            Dialect::Manual => "manual",
        }
    }
}

/// QEMU's MigrationStatus (libvirt's job types map onto it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    None,
    Setup,
    Active,
    PreSwitchover,
    Device,
    PostcopyActive,
    PostcopyPaused,
    Completed,
    Failed,
    Cancelling,
    Cancelled,
    Other(String),
}

impl Status {
    /// From QEMU's lower-case names ("active", "postcopy-active", ...).
    pub fn from_qemu(s: &str) -> Status {
        // Lower-case already, as QEMU prints it: no copy to compare.
        let t = s.trim();
        let lower: std::borrow::Cow<str> =
            if t.bytes().any(|b| b.is_ascii_uppercase()) { t.to_ascii_lowercase().into() } else { t.into() };
        match lower.as_ref() {
            "none" => Status::None,
            "setup" => Status::Setup,
            "active" => Status::Active,
            "pre-switchover" => Status::PreSwitchover,
            "device" => Status::Device,
            "postcopy-active" => Status::PostcopyActive,
            "postcopy-paused" => Status::PostcopyPaused,
            "completed" => Status::Completed,
            "failed" => Status::Failed,
            "cancelling" => Status::Cancelling,
            "cancelled" => Status::Cancelled,
            other => Status::Other(other.to_string()),
        }
    }
    pub fn name(&self) -> &str {
        match self {
            Status::None => "none",
            Status::Setup => "setup",
            Status::Active => "active",
            Status::PreSwitchover => "pre-switchover",
            Status::Device => "device",
            Status::PostcopyActive => "postcopy-active",
            Status::PostcopyPaused => "postcopy-paused",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Cancelling => "cancelling",
            Status::Cancelled => "cancelled",
            Status::Other(s) => s,
        }
    }
}

/// The bandwidth as printed: QEMU's Mbit/s or libvirt's MiB/s.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Throughput {
    Mbps(Mbps),
    MiBPerSec(MiBPerSec),
}

impl Throughput {
    pub fn to_bytes_per_ms(self) -> BytesPerMs {
        match self {
            Throughput::Mbps(m) => m.to_bytes_per_ms(),
            Throughput::MiBPerSec(m) => m.to_bytes_per_ms(),
        }
    }
}

/// One `info migrate` / `query-migrate` / `domjobinfo` output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    pub dialect: Dialect,
    /// First and last line of the paste this snapshot was read from (1-based).
    pub first_line: usize,
    pub last_line: usize,
    pub status: Option<Field<Status>>,
    pub total_time: Option<Field<Millis>>,
    pub setup_time: Option<Field<Millis>>,
    /// `expected downtime` as printed (only while active).
    pub expected_downtime: Option<Field<Millis>>,
    /// Measured `downtime` (after completion).
    pub downtime: Option<Field<Millis>>,
    pub transferred: Option<Field<Bytes>>,
    pub remaining: Option<Field<Bytes>>,
    pub total: Option<Field<Bytes>>,
    pub throughput: Option<Field<Throughput>>,
    /// Target pages dirtied per second (counted once per sync period).
    pub dirty_pages_rate: Option<Field<PagesPerSec>>,
    pub page_size: Option<Field<PageSize>>,
    /// `dirty sync count` / `dirty_syncs` / libvirt `Iteration`.
    pub dirty_sync_count: Option<Field<u64>>,
    pub pages_per_second: Option<Field<PagesPerSec>>,
    pub cpu_throttle_percentage: Option<Field<f64>>,
    /// Bytes sent while the guest was stopped (QMP downtime-bytes, HMP `downtime ram`).
    pub downtime_bytes: Option<Field<Bytes>>,
    /// Why QEMU says it failed (HMP `error description:`, 10.1+ `Status: failed (...)`, QMP `error-desc`).
    pub error: Option<Field<String>>,
    /// Everything else that was understood (duplicate, normal, multifd bytes, ...), by QMP-style name
    /// (the program's own word for an HMP or virsh value, so no copy per snapshot; QMP's as read).
    pub extra: BTreeMap<Cow<'static, str>, Field<f64>>,
    /// Counters QEMU printed that cannot be true: kept as printed, never in a usable field.
    pub flagged: Vec<FlaggedCounter>,
    /// Integers printed beyond what an f64 holds exactly (> 2^53), by QMP-style name, as printed.
    pub exact: BTreeMap<String, u64>,
    /// Position among all the snapshots the paste held (differs from the index once summarised).
    pub seq: usize,
}

impl Snapshot {
    pub fn new(dialect: Dialect, first_line: usize) -> Snapshot {
        Snapshot {
            dialect,
            first_line,
            last_line: first_line,
            status: None,
            total_time: None,
            setup_time: None,
            expected_downtime: None,
            downtime: None,
            transferred: None,
            remaining: None,
            total: None,
            throughput: None,
            dirty_pages_rate: None,
            page_size: None,
            dirty_sync_count: None,
            pages_per_second: None,
            cpu_throttle_percentage: None,
            downtime_bytes: None,
            error: None,
            extra: BTreeMap::new(),
            flagged: Vec::new(),
            exact: BTreeMap::new(),
            seq: 0,
        }
    }

    /// The flag on this QMP-style field ("remaining", "mbps", ...), if QEMU's value was impossible.
    pub fn flag(&self, field: &str) -> Option<&FlaggedCounter> {
        self.flagged.iter().find(|f| f.field == field)
    }

    pub fn status_name(&self) -> &str {
        self.status.as_ref().map(|s| s.value.name()).unwrap_or("unknown")
    }

    /// QEMU's bandwidth in bytes/ms, whatever unit it was printed in.
    pub fn bandwidth(&self) -> Option<BytesPerMs> {
        self.throughput.as_ref().map(|t| t.value.to_bytes_per_ms())
    }

    /// Target page size; QEMU's is 4 KiB on every target this tool meets, so that is the default.
    pub fn target_page(&self) -> PageSize {
        self.page_size.as_ref().map(|p| p.value).unwrap_or(PageSize::TARGET_4K)
    }

    /// Enough to compute anything from: what is left and how fast it goes.
    pub fn has_stats(&self) -> bool {
        self.remaining.is_some() && self.throughput.is_some()
    }

    pub fn is_active(&self) -> bool {
        matches!(
            self.status.as_ref().map(|s| &s.value),
            Some(Status::Active) | Some(Status::PreSwitchover) | Some(Status::Device) | Some(Status::PostcopyActive)
        )
    }
}

/// Why a printed counter cannot be true. Each is a QEMU accounting bug, not the user's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CounterBug {
    /// `nan` / `-nan` where a number belongs (a rate divided by a zero time).
    NotANumber,
    /// `inf` / `-inf`.
    Infinite,
    /// Below zero where only zero or more can be (a rate, an expected downtime).
    Negative,
    /// 2^63 or more in bytes, ms or pages: a negative 64-bit value printed as unsigned.
    Wraparound,
    /// `remaining` above the guest's total RAM.
    AboveTotal,
}

impl CounterBug {
    pub fn explain(self) -> &'static str {
        match self {
            CounterBug::NotANumber => "not a number (model: a rate computed over a zero interval)",
            CounterBug::Infinite => "infinite (model: a rate divided by a zero interval)",
            CounterBug::Negative => "below zero, which this counter cannot be",
            CounterBug::Wraparound => {
                "2^63 or more, which no real counter reaches (model: a value below zero printed unsigned, a wraparound)"
            }
            CounterBug::AboveTotal => "more remaining than the guest's total RAM",
        }
    }
}

/// A counter QEMU printed that cannot be true: shown as printed, left out of every formula.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlaggedCounter {
    /// QMP-style name ("remaining", "mbps", "expected-downtime", ...).
    pub field: String,
    /// The value exactly as printed ("18446744073709551612", "-nan").
    pub printed: String,
    pub source: Source,
    pub bug: CounterBug,
}

/// When a paste holds more snapshots than are worth keeping, which ones were kept.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Snapshots the paste held.
    pub read: usize,
    /// Snapshots kept in `Paste::snapshots`.
    pub kept: usize,
    /// Every `stride`-th ordinary snapshot was kept.
    pub stride: usize,
    /// Every `boundary_stride`-th of those that matter on their own (1: all of them).
    pub boundary_stride: usize,
}

impl Summary {
    pub fn explain(&self) -> String {
        let boundaries = if self.boundary_stride > 1 {
            format!(
                "every {} of the dirty-sync boundaries (first snapshot after a sync), status changes, failures and flagged counters (too many to keep all)",
                ordinal(self.boundary_stride)
            )
        } else {
            "every dirty-sync boundary (first snapshot after a sync), status change, failure and flagged counter".into()
        };
        format!(
            "{} of {} snapshots kept: the first and last, {}, and every {} of the rest",
            self.kept,
            self.read,
            boundaries,
            ordinal(self.stride)
        )
    }
}

/// "2nd", "64th", "one" for 1.
fn ordinal(n: usize) -> String {
    match (n % 10, n % 100) {
        _ if n == 1 => "one".into(),
        (1, r) if r != 11 => format!("{n}st"),
        (2, r) if r != 12 => format!("{n}nd"),
        (3, r) if r != 13 => format!("{n}rd"),
        _ => format!("{n}th"),
    }
}

/// `info migrate_parameters` / `query-migrate-parameters` (and libvirt's equivalents).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Parameters {
    pub downtime_limit: Option<Field<Millis>>,
    pub max_bandwidth: Option<Field<BytesPerSec>>,
    pub avail_switchover_bandwidth: Option<Field<BytesPerSec>>,
    pub cpu_throttle_initial: Option<Field<f64>>,
    pub cpu_throttle_increment: Option<Field<f64>>,
    pub max_cpu_throttle: Option<Field<f64>>,
    pub throttle_trigger_threshold: Option<Field<f64>>,
    /// Every other parameter as printed (name -> value text).
    pub other: BTreeMap<String, Field<String>>,
    /// Integers printed beyond what an f64 holds exactly (> 2^53), by parameter name, as printed.
    pub exact: BTreeMap<String, u64>,
}

/// What QEMU said about itself (`info version`, `query-version`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub micro: u32,
    pub source: Source,
}

impl Version {
    /// This QEMU is `major.minor` or later.
    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.micro)
    }
}

/// A line the parser could not use, or a value it could not read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub line: usize,
    pub message: String,
}

impl Diagnostic {
    /// The message without its leading "line N: ", for displays that show the line apart.
    pub fn detail(&self) -> &str {
        let prefix = format!("line {}: ", self.line);
        self.message.strip_prefix(prefix.as_str()).unwrap_or(&self.message)
    }
}

/// Everything read from one paste.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Paste {
    /// In paste order: a time series when several were pasted.
    pub snapshots: Vec<Snapshot>,
    pub parameters: Parameters,
    pub capabilities: BTreeMap<String, Field<bool>>,
    pub version: Option<Version>,
    /// Lines that were not understood, or values that did not parse. Never fatal.
    pub errors: Vec<Diagnostic>,
    /// Number of non-blank lines that were used.
    pub lines_understood: usize,
    /// QEMU's own stderr lines found in the paste (`qemu-system-x86_64: ...`), as context.
    pub qemu_messages: Vec<Diagnostic>,
    /// Set when the paste held too many snapshots to keep them all.
    pub summary: Option<Summary>,
}

impl Paste {
    /// The parameter in force: pasted, else QEMU's default (300 ms).
    pub fn downtime_limit(&self) -> (Millis, bool) {
        match &self.parameters.downtime_limit {
            Some(f) => (f.value, true),
            None => (Millis(300.0), false),
        }
    }
    pub fn capability(&self, name: &str) -> Option<bool> {
        self.capabilities.get(name).map(|f| f.value)
    }
}
