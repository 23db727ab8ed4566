//! HMP `info migrate` in its layouts: `Migration status:` lines (QEMU 2.x - 10.0,
//! times in `milliseconds` up to 5.0 and `ms` from 5.1) and the regrouped
//! `Status:` / `Time (ms):` / `RAM info:` layout of QEMU 10.1+ (plus the 2025
//! development variant with `Sizes (KiB)`).

use super::snapshot::{Family, Target};
use super::values::{self, Val};
use super::{Parser, Sub, Verdict};
use crate::core::model::{Dialect, Precision, SourceText, Status};
use crate::core::units::KIB;

const MS: &[&str] = &["ms", "milliseconds"];

/// How a value of the old layout is printed.
#[derive(Clone, Copy)]
enum Form {
    Millis,
    KBytes,
    Mbps,
    /// "N pages" (the unit may be missing).
    Pages,
    /// A bare whole number.
    Count,
    /// A bare decimal ("0.00").
    Rate,
    /// "N bytes".
    ByteCount,
    /// "N us".
    Micros,
    /// "N times".
    Times,
}

/// What a label of the old layout (lower-case) is.
#[derive(Clone, Copy)]
enum Old {
    /// A value: how it is printed and where it goes.
    Value(Form, Target),
    Status,
    Capabilities,
    Globals,
    Blocked,
    SocketAddress,
    PostcopyBlocktime,
    ErrorDescription,
}

/// The old layout's labels, sorted by length then bytes: a line's label is looked up among
/// those of its length (`OLD_BY_LENGTH`), where a `match` on strings would compare it with
/// every arm before the one that fits (most lines of a paste are of this layout).
const OLD_LABELS: &[(&str, Old)] = {
    use Form::*;
    use Old::*;
    use Target::*;
    &[
        ("setup", Value(Millis, Setup)),
        ("normal", Value(Pages, Extra("normal"))),
        ("globals", Globals),
        ("skipped", Value(Pages, Extra("skipped"))),
        ("downtime", Value(Millis, Downtime)),
        ("duplicate", Value(Pages, Extra("duplicate"))),
        ("page size", Value(KBytes, PageSize)),
        ("total ram", Value(KBytes, Total)),
        ("cache size", Value(ByteCount, Extra("xbzrle-cache-size"))),
        ("throughput", Value(Form::Mbps, Target::Mbps)),
        ("total disk", Value(KBytes, Extra("disk-total"))),
        ("total time", Value(Millis, TotalTime)),
        ("precopy ram", Value(KBytes, Extra("precopy-bytes"))),
        ("capabilities", Capabilities),
        ("downtime ram", Value(KBytes, DowntimeBytes)),
        ("normal bytes", Value(KBytes, Extra("normal-bytes"))),
        ("postcopy ram", Value(KBytes, Extra("postcopy-bytes"))),
        ("xbzrle pages", Value(Pages, Extra("xbzrle-pages"))),
        ("multifd bytes", Value(KBytes, Extra("multifd-bytes"))),
        ("remaining ram", Value(KBytes, Remaining)),
        ("remaining disk", Value(KBytes, Extra("disk-remaining"))),
        ("socket address", SocketAddress),
        ("compressed size", Value(KBytes, Extra("compressed-size"))),
        ("transferred ram", Value(KBytes, Transferred)),
        ("xbzrle overflow", Value(Count, Extra("xbzrle-overflow"))),
        ("compression busy", Value(Count, Extra("compression-busy"))),
        ("compression rate", Value(Rate, Extra("compression-rate"))),
        ("dirty pages rate", Value(Pages, Dirty)),
        ("dirty sync count", Value(Count, Syncs)),
        ("migration status", Status),
        ("pages-per-second", Value(Count, Pps)),
        ("transferred disk", Value(KBytes, Extra("disk-transferred"))),
        ("compression pages", Value(Pages, Extra("compression-pages"))),
        ("error description", ErrorDescription),
        ("expected downtime", Value(Millis, Expected)),
        ("xbzrle cache miss", Value(Pages, Extra("xbzrle-cache-miss"))),
        ("postcopy blocktime", Value(Count, Extra("postcopy-blocktime"))),
        ("xbzrle transferred", Value(KBytes, Extra("xbzrle-bytes"))),
        ("xbzrle encoding rate", Value(Rate, Extra("xbzrle-encoding-rate"))),
        ("compression busy rate", Value(Rate, Extra("compression-busy-rate"))),
        ("postcopy request count", Value(Count, Extra("postcopy-requests"))),
        ("xbzrle cache miss rate", Value(Rate, Extra("xbzrle-cache-miss-rate"))),
        ("cpu throttle percentage", Value(Count, Throttle)),
        ("postcopy vcpu blocktime", PostcopyBlocktime),
        ("vfio device transferred", Value(KBytes, Extra("vfio-bytes"))),
        ("dirty-limit throttle time", Value(Micros, Extra("dirty-limit-throttle-time-per-round"))),
        ("dirty-limit ring full time", Value(Micros, Extra("dirty-limit-ring-full-time"))),
        ("outgoing migration blocked", Blocked),
        ("zero-copy-send fallbacks happened", Value(Times, Extra("dirty-sync-missed-zero-copy"))),
    ]
};

/// The longest label of the old layout.
const LONGEST_OLD: usize = {
    let (mut i, mut n) = (0, 0);
    while i < OLD_LABELS.len() {
        if OLD_LABELS[i].0.len() > n {
            n = OLD_LABELS[i].0.len();
        }
        i += 1;
    }
    n
};

/// `OLD_BY_LENGTH[n]`: where the labels of length n start in `OLD_LABELS` (they end where
/// those of n + 1 start). A line's label is compared only with the few of its own length,
/// mostly by their first byte, instead of a binary search's calls (the size-optimised build
/// inlines neither the search nor its comparison).
const OLD_BY_LENGTH: [u8; LONGEST_OLD + 2] = {
    let mut starts = [0u8; LONGEST_OLD + 2];
    let mut n = 0;
    while n < starts.len() {
        let mut i = 0;
        while i < OLD_LABELS.len() && OLD_LABELS[i].0.len() < n {
            i += 1;
        }
        starts[n] = i as u8;
        n += 1;
    }
    starts
};

fn old_label(label: &str) -> Option<Old> {
    let n = label.len();
    let (&from, &to) = (OLD_BY_LENGTH.get(n)?, OLD_BY_LENGTH.get(n + 1)?);
    let first = label.as_bytes().first();
    OLD_LABELS
        .get(from as usize..to as usize)?
        .iter()
        .find(|(k, _)| k.as_bytes().first() == first && k.as_bytes() == label.as_bytes())
        .map(|(_, old)| *old)
}

fn read(form: Form, value: &str) -> Result<Val, &'static str> {
    let v = match form {
        Form::Millis => values::uint_with_unit(value, MS),
        Form::KBytes => values::kbytes(value),
        Form::Mbps => values::decimal_with_unit(value, &["mbps"]),
        Form::Pages => values::uint_with_unit(value, &["pages", ""]),
        Form::Count => values::uint_with_unit(value, &[""]),
        Form::Rate => values::decimal_with_unit(value, &[""]),
        Form::ByteCount => values::uint_with_unit(value, &["bytes"]),
        Form::Micros => values::uint_with_unit(value, &["us"]),
        Form::Times => values::uint_with_unit(value, &["times"]),
    };
    v.ok_or(match form {
        Form::Millis => "expected a whole number of ms (\"300 ms\" or \"300 milliseconds\")",
        Form::KBytes => "expected a whole number of kbytes",
        Form::Mbps => "expected a number of mbps (\"866.83 mbps\")",
        Form::Pages => "expected a whole number of pages",
        Form::Count => "expected a whole number",
        Form::Rate => "expected a number",
        Form::ByteCount => "expected a whole number of bytes",
        Form::Micros => "expected a whole number of us",
        Form::Times => "expected \"N times\"",
    })
}

impl Parser {
    /// A line of the `Migration status:` layout.
    pub(crate) fn hmp_old_line(&mut self, no: usize, raw: &str, label: &str, value: &str) -> Verdict {
        const F: Family = Family::HmpOld;
        let (form, target) = match old_label(label) {
            None => return Verdict::NotMine,
            Some(Old::Value(form, target)) => (form, target),
            Some(Old::Status) => return self.status_line(F, no, raw, value),
            // 2.x prints the capabilities on one line before the status.
            Some(Old::Capabilities) if !value.is_empty() => return self.one_line_capabilities(no, raw, value),
            // 2.x: `globals: store-global-state=1, ...`; 3.0+: `globals:` then name: value lines.
            Some(Old::Globals) => return Verdict::Ok,
            Some(Old::Blocked) => {
                self.sub = Sub::Blocked;
                return Verdict::Ok;
            }
            Some(Old::SocketAddress) if value.starts_with('[') => {
                if !value.ends_with(']') {
                    self.sub = Sub::Sockets;
                }
                return Verdict::Ok;
            }
            Some(Old::PostcopyBlocktime) => return Verdict::Ok,
            Some(Old::ErrorDescription) => {
                self.set_error(F, no, raw, value);
                return Verdict::Ok;
            }
            Some(Old::Capabilities | Old::SocketAddress) => return Verdict::NotMine,
        };
        let val = match read(form, value) {
            Ok(v) => v,
            Err(e) => {
                // `throughput: -nan mbps`, `expected downtime: -12 ms`: QEMU's bug, kept as printed.
                if let Some(bug) = values::broken(values::number_and_unit(value).0) {
                    self.put_broken(F, no, raw, target, value, bug);
                    return Verdict::Ok;
                }
                return Verdict::Bad(e.to_string());
            }
        };
        let dialect = match (form, val.unit.as_str()) {
            (Form::Millis, "milliseconds") => Some(Dialect::HmpMilliseconds),
            (Form::Millis, _) => Some(Dialect::HmpMs),
            _ => None,
        };
        self.put(F, no, raw, target, val);
        // The time unit tells the era: "milliseconds" up to QEMU 5.0, "ms" from 5.1.
        if let Some(d) = dialect {
            self.set_dialect(F, no, d);
        }
        // `Extra(k) if k == ..`: no call of the derived PartialEq per line.
        if matches!(target, Target::PageSize | Target::Pps)
            || matches!(target, Target::Extra(k) if k == "multifd-bytes")
        {
            self.dirty_anchor(F, no, raw);
        }
        Verdict::Ok
    }

    /// `Migration status:` / `Status:`: starts a snapshot. 10.1+ puts the reason of a
    /// failure after the status (`failed (Broken pipe)`).
    fn status_line(&mut self, family: Family, no: usize, raw: &str, value: &str) -> Verdict {
        let word = value.split_whitespace().next().unwrap_or("");
        if word.is_empty() {
            return Verdict::Bad("expected a migration status (active, completed, ...)".into());
        }
        self.set_status(family, no, raw, Status::from_qemu(word));
        if let Some(reason) = value.split_once('(').and_then(|(_, r)| r.strip_suffix(')')) {
            self.set_error(family, no, raw, reason);
        }
        Verdict::Ok
    }

    /// A line of the QEMU 10.1+ layout.
    pub(crate) fn hmp10_line(&mut self, no: usize, raw: &str, label: &str, value: &str) -> Verdict {
        const F: Family = Family::Hmp10;
        match label {
            "status" => self.status_line(F, no, raw, value),
            "time (ms)" => self.hmp10_items(no, raw, value, |k| match k {
                "total" => Some((Item::Ms, Target::TotalTime)),
                "setup" => Some((Item::Ms, Target::Setup)),
                "exp_down" => Some((Item::Ms, Target::Expected)),
                "down" => Some((Item::Ms, Target::Downtime)),
                _ => None,
            }),
            "ram info" | "globals" => Verdict::Ok,
            "throughput (mbps)" | "bandwidth (mbps)" => match values::decimal_with_unit(value, &[""]) {
                Some(mut v) => {
                    v.unit = SourceText::from_static("Mbps");
                    self.put(F, no, raw, Target::Mbps, v);
                    Verdict::Ok
                }
                None => match values::broken(value) {
                    Some(bug) => {
                        self.put_broken(F, no, raw, Target::Mbps, value, bug);
                        Verdict::Ok
                    }
                    None => Verdict::Bad("expected a number of Mbps (\"270.46\")".into()),
                },
            },
            "sizes" => self.hmp10_items(no, raw, value, |k| match k {
                "pagesize" => Some((Item::Iec, Target::PageSize)),
                "total" => Some((Item::Iec, Target::Total)),
                _ => None,
            }),
            "transfers" => self.hmp10_items(no, raw, value, |k| match k {
                "transferred" => Some((Item::Iec, Target::Transferred)),
                "remain" => Some((Item::Iec, Target::Remaining)),
                _ => None,
            }),
            "channels" => self.hmp10_items(no, raw, value, channel),
            "sizes (kib)" | "transfers (kib)" | "channels (kib)" => {
                self.set_dialect(F, no, Dialect::Hmp10_1Kib);
                self.hmp10_items(no, raw, value, |k| match k {
                    "pagesize" => Some((Item::Kib, Target::PageSize)),
                    "total" => Some((Item::Kib, Target::Total)),
                    "transferred" => Some((Item::Kib, Target::Transferred)),
                    "remain" => Some((Item::Kib, Target::Remaining)),
                    k => channel(k).map(|(_, t)| (Item::Kib, t)),
                })
            }
            // Development trees before 10.1 (2025): `Sizes (KB): psize=4, total=16777992,` with
            // `transferred=..., remain=...,` on the next line, `Pages: ..., rate_per_sec=...`.
            "sizes (kb)" => {
                self.set_dialect(F, no, Dialect::Hmp10_1Kib);
                self.kv_continues = value.trim_end().ends_with(',').then_some(sizes_kb as KvItems);
                self.hmp10_items(no, raw, value, sizes_kb)
            }
            "pages" => self.hmp10_items(no, raw, value, |k| match k {
                "normal" => Some((Item::Count, Target::Extra("normal"))),
                "zero" => Some((Item::Count, Target::Extra("duplicate"))),
                "rate_per_sec" | "pps" => Some((Item::Count, Target::Pps)),
                "dirty_rate" | "dirty" => Some((Item::Count, Target::Dirty)),
                _ => None,
            }),
            "page types" => self.hmp10_items(no, raw, value, |k| match k {
                "normal" => Some((Item::Count, Target::Extra("normal"))),
                "zero" => Some((Item::Count, Target::Extra("duplicate"))),
                _ => None,
            }),
            "page rates (pps)" => {
                let v = self.hmp10_items(no, raw, value, |k| match k {
                    "transfer" | "transfer_rate" => Some((Item::Count, Target::Pps)),
                    "dirty" | "dirty_rate" => Some((Item::Count, Target::Dirty)),
                    _ => None,
                });
                self.dirty_anchor(F, no, raw);
                v
            }
            "others" => {
                let v = self.hmp10_items(no, raw, value, |k| match k {
                    "dirty_syncs" => Some((Item::Count, Target::Syncs)),
                    "postcopy_req" => Some((Item::Count, Target::Extra("postcopy-requests"))),
                    "downtime_bytes" => Some((Item::Count, Target::DowntimeBytes)),
                    "zerocopy_fallbacks" => Some((Item::Count, Target::Extra("dirty-sync-missed-zero-copy"))),
                    "dirty_pages_rate" => Some((Item::Count, Target::Dirty)),
                    _ => None,
                });
                // The development layout printed the dirty rate here, only when non-zero.
                let kib = self.open.as_ref().and_then(|o| self.paste.snapshots.get(o.idx)).map(|s| s.dialect)
                    == Some(Dialect::Hmp10_1Kib);
                if kib {
                    self.dirty_anchor(F, no, raw);
                }
                v
            }
            "cpu throttle (%)" => self.hmp10_single(no, raw, value, Target::Throttle),
            "dirty-limit throttle (us)" => {
                self.hmp10_single(no, raw, value, Target::Extra("dirty-limit-throttle-time-per-round"))
            }
            "dirty-limit ring full (us)" => {
                self.hmp10_single(no, raw, value, Target::Extra("dirty-limit-ring-full-time"))
            }
            "postcopy blocktime (ms)" => self.hmp10_single(no, raw, value, Target::Extra("postcopy-blocktime")),
            "postcopy latency (ns)" | "postcopy latency (us)" => {
                self.hmp10_single(no, raw, value, Target::Extra("postcopy-latency"))
            }
            "postcopy non-vcpu latencies (ns)" | "postcopy non-vcpu latencies (us)" => {
                self.hmp10_single(no, raw, value, Target::Extra("postcopy-non-vcpu-latency"))
            }
            "postcopy vcpu blocktime (ms)" | "postcopy vcpu latencies (ns)" | "postcopy vcpu latencies (us)" => {
                self.sub = super::Sub::NumberList;
                Verdict::Ok
            }
            "postcopy latency distribution" => {
                self.sub = super::Sub::LatencyDist;
                Verdict::Ok
            }
            "sockets" if value.starts_with('[') => {
                if !value.ends_with(']') {
                    self.sub = Sub::Sockets;
                }
                Verdict::Ok
            }
            // `XBZRLE: size=...` (10.1 `info migrate -a`); `xbzrle: off` is the capability.
            "xbzrle" if value.contains('=') => self.hmp10_items(no, raw, value, xbzrle),
            _ => Verdict::NotMine,
        }
    }

    /// The XBZRLE block's second line (`miss_rate=0.00, encode_rate=0.00, overflow=0`) has no label.
    pub(crate) fn hmp10_continuation(&mut self, no: usize, t: &str) -> Verdict {
        let items = values::kv_items(t);
        let empty = items.clone().next().is_none();
        // The second line of a `key=value,` list that ended in a comma.
        if let Some(known) = self.kv_pending.take() {
            if !empty && items.clone().all(|(k, _)| known(k).is_some()) {
                self.kv_continues = t.ends_with(',').then_some(known);
                return self.hmp10_items(no, t, t, known);
            }
        }
        if empty || !items.clone().all(|(k, _)| xbzrle(k).is_some()) {
            return Verdict::NotMine;
        }
        self.hmp10_items(no, t, t, xbzrle)
    }

    fn hmp10_single(&mut self, no: usize, raw: &str, value: &str, target: Target) -> Verdict {
        match values::uint(value) {
            Some(n) => {
                self.put(Family::Hmp10, no, raw, target, Val::whole(n, n as f64, Precision::Exact, ""));
                Verdict::Ok
            }
            None => Verdict::Bad("expected a whole number".into()),
        }
    }

    /// `key=value, ...` items; every item must be known and well-formed.
    fn hmp10_items(
        &mut self,
        no: usize,
        raw: &str,
        value: &str,
        // A fn pointer, not `impl Fn`: one copy of this reader for every item table.
        known: KvItems,
    ) -> Verdict {
        let items = values::kv_items(value);
        if items.clone().next().is_none() {
            return Verdict::Bad("expected key=value items".into());
        }
        let mut problems = Vec::new();
        for (k, v) in items {
            let Some((item, target)) = known(k) else {
                problems.push(format!("unknown item \"{}\"", values::clip(k, 30)));
                continue;
            };
            let val = match item {
                Item::Ms => values::uint(v).map(|n| Val::whole(n, n as f64, Precision::Exact, "ms")),
                Item::Count => values::uint(v).map(|n| Val::whole(n, n as f64, Precision::Exact, "")),
                Item::Rate => values::decimal(v).map(|(x, d)| Val {
                    v: x,
                    precision: values::rounded(x, d),
                    unit: SourceText::EMPTY,
                    int: values::uint(v),
                }),
                Item::Iec => values::iec_size_3g(v),
                Item::Kib => {
                    values::uint(v).map(|n| Val::whole(n, n as f64 * KIB, Precision::Truncated { step: KIB }, "KiB"))
                }
            };
            // Only a value that did not read can be a broken one.
            match val.ok_or_else(|| values::broken(v)) {
                Ok(val) => self.put(Family::Hmp10, no, raw, target, val),
                Err(Some(bug)) => self.put_broken(Family::Hmp10, no, raw, target, v, bug),
                Err(None) => problems.push(format!("{k}={}: {}", values::clip(v, 30), item.expected())),
            }
        }
        if problems.is_empty() {
            Verdict::Ok
        } else {
            let more = problems.len().saturating_sub(4);
            problems.truncate(4);
            if more > 0 {
                problems.push(format!("{more} more"));
            }
            Verdict::Bad(problems.join("; "))
        }
    }
}

/// What one `key=value` item holds.
#[derive(Clone, Copy)]
pub(crate) enum Item {
    Ms,
    Count,
    Rate,
    /// `977 MiB`: 3 significant digits, binary units.
    Iec,
    /// A whole number of KiB (development layout).
    Kib,
}

impl Item {
    fn expected(self) -> &'static str {
        match self {
            Item::Ms => "expected whole ms",
            Item::Count => "expected a whole number",
            Item::Rate => "expected a number",
            Item::Iec => "expected a size like \"977 MiB\" or \"0 B\"",
            Item::Kib => "expected a whole number of KiB",
        }
    }
}

/// Reads the items of one `key=value` list.
pub(crate) type KvItems = fn(&str) -> Option<(Item, Target)>;

/// `Sizes (KB):` of the development layout: whole KiB (`bytes >> 10`, as `kbytes` were).
fn sizes_kb(k: &str) -> Option<(Item, Target)> {
    match k {
        "psize" | "pagesize" => Some((Item::Kib, Target::PageSize)),
        "total" => Some((Item::Kib, Target::Total)),
        "transferred" => Some((Item::Kib, Target::Transferred)),
        "remain" | "remaining" => Some((Item::Kib, Target::Remaining)),
        _ => None,
    }
}

fn channel(k: &str) -> Option<(Item, Target)> {
    match k {
        "precopy" => Some((Item::Iec, Target::Extra("precopy-bytes"))),
        "multifd" => Some((Item::Iec, Target::Extra("multifd-bytes"))),
        "postcopy" => Some((Item::Iec, Target::Extra("postcopy-bytes"))),
        "vfio" => Some((Item::Iec, Target::Extra("vfio-bytes"))),
        _ => None,
    }
}

fn xbzrle(k: &str) -> Option<(Item, Target)> {
    match k {
        "size" => Some((Item::Count, Target::Extra("xbzrle-cache-size"))),
        "transferred" => Some((Item::Count, Target::Extra("xbzrle-bytes"))),
        "pages" => Some((Item::Count, Target::Extra("xbzrle-pages"))),
        "miss" => Some((Item::Count, Target::Extra("xbzrle-cache-miss"))),
        "miss_rate" => Some((Item::Rate, Target::Extra("xbzrle-cache-miss-rate"))),
        "encode_rate" => Some((Item::Rate, Target::Extra("xbzrle-encoding-rate"))),
        "overflow" => Some((Item::Count, Target::Extra("xbzrle-overflow"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_length_then_bytes(a: &str, b: &str) -> std::cmp::Ordering {
        a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes()))
    }

    #[test]
    fn old_labels_are_grouped_by_length_and_all_found() {
        for w in OLD_LABELS.windows(2) {
            assert!(by_length_then_bytes(w[0].0, w[1].0).is_lt(), "{:?} before {:?}", w[0].0, w[1].0);
        }
        for (label, _) in OLD_LABELS {
            assert!(old_label(label).is_some(), "{label}");
        }
        assert!(matches!(old_label("throughput"), Some(Old::Value(Form::Mbps, Target::Mbps))));
        assert!(matches!(old_label("migration status"), Some(Old::Status)));
        assert!(old_label("status").is_none() && old_label("").is_none() && old_label("zzz").is_none());
        let long = "x".repeat(LONGEST_OLD + 5);
        assert!(old_label(&long).is_none() && old_label("total rAm").is_none() && old_label("setuP").is_none());
    }
}
