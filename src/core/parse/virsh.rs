//! libvirt `virsh domjobinfo` (padded `Label:   value unit` lines), its
//! `--rawstats` form (`memory_remaining: 0`), `error:` lines, and the bare
//! numbers `migrate-getmaxdowntime` / `migrate-getspeed` print.

use super::snapshot::{Family, Target};
use super::values::{self, Val};
use super::{Command, Parser, Verdict};
use crate::core::model::{Field, Source, SourceText, Status};
use crate::core::units::{BytesPerSec, Millis, MAX_DOWNTIME_LIMIT_MS, MIB};

/// libvirt's virDomainJobType, by name or number.
fn job_status(v: &str) -> Option<Status> {
    Some(match v.to_ascii_lowercase().as_str() {
        "none" | "0" => Status::None,
        "bounded" | "1" | "unbounded" | "2" => Status::Active,
        "completed" | "3" => Status::Completed,
        "failed" | "4" => Status::Failed,
        "cancelled" | "5" => Status::Cancelled,
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum Form {
    Millis,
    Size,
    MiBps,
    PagesPerSec,
    Bytes,
    Count,
}

fn human_label(label: &str) -> Option<(Form, Target)> {
    use Target::*;
    Some(match label {
        "time elapsed" => (Form::Millis, TotalTime),
        "time elapsed w/o network" => (Form::Millis, Extra("time-elapsed-net")),
        "data processed" => (Form::Size, Extra("data-processed")),
        "data remaining" => (Form::Size, Extra("data-remaining")),
        "data total" => (Form::Size, Extra("data-total")),
        "memory processed" => (Form::Size, Transferred),
        "memory remaining" => (Form::Size, Remaining),
        "memory total" => (Form::Size, Total),
        "memory bandwidth" => (Form::MiBps, MiBps),
        "dirty rate" => (Form::PagesPerSec, Dirty),
        "page size" => (Form::Bytes, PageSize),
        "iteration" => (Form::Count, Syncs),
        "postcopy requests" => (Form::Count, Extra("postcopy-requests")),
        "constant pages" => (Form::Count, Extra("duplicate")),
        "normal pages" => (Form::Count, Extra("normal")),
        "normal data" => (Form::Size, Extra("normal-bytes")),
        "expected downtime" => (Form::Millis, Expected),
        "total downtime" => (Form::Millis, Downtime),
        "downtime w/o network" => (Form::Millis, Extra("downtime-net")),
        "setup time" => (Form::Millis, Setup),
        "auto converge throttle" => (Form::Count, Throttle),
        "disk processed" => (Form::Size, Extra("disk-transferred")),
        "disk remaining" => (Form::Size, Extra("disk-remaining")),
        "disk total" => (Form::Size, Extra("disk-total")),
        "disk bandwidth" => (Form::MiBps, Extra("disk-mib-per-s")),
        "compression cache" => (Form::Size, Extra("xbzrle-cache-size")),
        "compressed data" => (Form::Size, Extra("xbzrle-bytes")),
        "compressed pages" => (Form::Count, Extra("xbzrle-pages")),
        "compression cache misses" => (Form::Count, Extra("xbzrle-cache-miss")),
        "compression overflows" => (Form::Count, Extra("xbzrle-overflow")),
        _ => return None,
    })
}

fn read(form: Form, value: &str) -> Result<Val, &'static str> {
    let v = match form {
        Form::Millis => values::uint_with_unit(value, &["ms"]),
        Form::Size => values::iec_size_fixed(value),
        Form::MiBps => {
            let (n, u) = values::number_and_unit(value);
            match u.strip_suffix("/s").and_then(|u| values::iec_size_fixed(&format!("{n} {u}"))) {
                Some(mut v) => {
                    // Express it in MiB/s, the unit the model's throughput carries.
                    let k = 1.0 / MIB;
                    v.v *= k;
                    if let crate::core::model::Precision::Rounded { lo, hi } = v.precision {
                        v.precision = crate::core::model::Precision::Rounded { lo: lo * k, hi: hi * k };
                    }
                    v.unit = super::values::unit_text(u);
                    Some(v)
                }
                None => None,
            }
        }
        Form::PagesPerSec => values::uint_with_unit(value, &["pages/s"]),
        Form::Bytes => values::uint_with_unit(value, &["bytes"]),
        Form::Count => values::uint_with_unit(value, &[""]),
    };
    v.ok_or(match form {
        Form::Millis => "expected a whole number of ms",
        Form::Size => "expected a size like \"257.539 MiB\"",
        Form::MiBps => "expected a bandwidth like \"32.564 MiB/s\"",
        Form::PagesPerSec => "expected a whole number of pages/s",
        Form::Bytes => "expected a whole number of bytes",
        Form::Count => "expected a whole number",
    })
}

/// `--rawstats` keys (libvirt typed parameters) and where they go.
fn raw_key(key: &str) -> Option<Target> {
    use Target::*;
    Some(match key {
        "time_elapsed" => TotalTime,
        "time_elapsed_net" => Extra("time-elapsed-net"),
        "downtime_net" => Extra("downtime-net"),
        "setup_time" => Setup,
        "data_total" => Extra("data-total"),
        "data_processed" => Extra("data-processed"),
        "data_remaining" => Extra("data-remaining"),
        "memory_total" => Total,
        "memory_processed" => Transferred,
        "memory_remaining" => Remaining,
        "memory_bps" => Mbps,
        "memory_constant" => Extra("duplicate"),
        "memory_normal" => Extra("normal"),
        "memory_normal_bytes" => Extra("normal-bytes"),
        "memory_dirty_rate" => Dirty,
        "memory_iteration" => Syncs,
        "memory_postcopy_requests" => Extra("postcopy-requests"),
        "memory_page_size" => PageSize,
        "auto_converge_throttle" => Throttle,
        "disk_total" => Extra("disk-total"),
        "disk_processed" => Extra("disk-transferred"),
        "disk_remaining" => Extra("disk-remaining"),
        "disk_bps" => Extra("disk-bytes-per-s"),
        "compression_cache" => Extra("xbzrle-cache-size"),
        "compression_bytes" => Extra("xbzrle-bytes"),
        "compression_pages" => Extra("xbzrle-pages"),
        "compression_cache_misses" => Extra("xbzrle-cache-miss"),
        "compression_overflow" => Extra("xbzrle-overflow"),
        _ => return None,
    })
}

impl Parser {
    /// `Job type:` starts a domjobinfo snapshot (a number means `--rawstats`).
    pub(crate) fn virsh_start_line(&mut self, no: usize, raw: &str, label: &str, value: &str) -> Verdict {
        if label != "job type" {
            return Verdict::NotMine;
        }
        let Some(status) = job_status(value) else {
            return Verdict::Bad("expected a job type (None, Unbounded, Completed, Failed, Cancelled or 0-5)".into());
        };
        let family = if values::uint(value).is_some() { Family::VirshRaw } else { Family::Virsh };
        self.set_status(family, no, raw, status);
        Verdict::Ok
    }

    /// A line of human-readable domjobinfo while one is open.
    pub(crate) fn virsh_line(&mut self, no: usize, raw: &str, label: &str, value: &str) -> Verdict {
        if label == "operation" || label == "errmsg" {
            return Verdict::Ok;
        }
        let Some((form, target)) = human_label(label) else { return Verdict::NotMine };
        match read(form, value) {
            Ok(v) => {
                self.put(Family::Virsh, no, raw, target, v);
                Verdict::Ok
            }
            Err(e) => match values::broken(values::number_and_unit(value).0) {
                Some(bug) => {
                    self.put_broken(Family::Virsh, no, raw, target, value, bug);
                    Verdict::Ok
                }
                None => Verdict::Bad(e.to_string()),
            },
        }
    }

    /// A `--rawstats` line (`memory_remaining: 0`); the keys are unambiguous, so they also
    /// open a raw snapshot when the `Job type:` line was not pasted.
    pub(crate) fn virsh_raw_line(&mut self, no: usize, raw: &str, label: &str, value: &str) -> Verdict {
        let open_raw = self.open.as_ref().map(|o| o.family) == Some(Family::VirshRaw);
        if open_raw && (label == "operation" || label == "success" || label == "errmsg") {
            return Verdict::Ok;
        }
        // Outside a raw snapshot only a key with `_` can be one (checked first: most lines are not).
        if !open_raw && !label.contains('_') {
            return Verdict::NotMine;
        }
        // `downtime` is the expected downtime while the job runs and the measured one after.
        let target = if open_raw && label == "downtime" {
            let active = self
                .open
                .as_ref()
                .and_then(|o| self.paste.snapshots.get(o.idx))
                .map(|s| s.is_active() || s.status.is_none());
            Some(if active == Some(true) { Target::Expected } else { Target::Downtime })
        } else {
            raw_key(label)
        };
        let Some(target) = target else { return Verdict::NotMine };
        let Some(printed) = values::uint(value) else {
            return match values::broken(value) {
                Some(bug) => {
                    self.put_broken(Family::VirshRaw, no, raw, target, value, bug);
                    Verdict::Ok
                }
                None => Verdict::Bad("expected a whole number".into()),
            };
        };
        let n = printed as f64;
        let mut val = match target {
            // libvirt's bytes/s are QEMU's mbps x 125000.
            Target::Mbps => Val::exact(n / 125_000.0, "bytes/s"),
            Target::TotalTime | Target::Setup | Target::Expected | Target::Downtime => Val::exact(n, "ms"),
            Target::Remaining | Target::Transferred | Target::Total | Target::PageSize => Val::exact(n, "bytes"),
            _ => Val::exact(n, ""),
        };
        // Kept as printed: the flag of a wrapped counter shows every digit.
        val.int = Some(printed);
        self.put(Family::VirshRaw, no, raw, target, val);
        Verdict::Ok
    }

    /// Other virsh output that carries nothing for the analysis.
    pub(crate) fn virsh_misc_line(&mut self, label: &str) -> Verdict {
        match label {
            "error" | "compiled against library" | "using library" | "using api" => Verdict::Ok,
            l if l.starts_with("migration") && l.len() == "migration".len() => Verdict::Ok,
            _ => Verdict::NotMine,
        }
    }

    /// A bare number: `migrate-getmaxdowntime` (ms) or `migrate-getspeed` (MiB/s) output.
    pub(crate) fn bare_number(&mut self, no: usize, t: &str) -> Verdict {
        let Some(n) = values::uint(t) else {
            return Verdict::Bad(
                "a bare number; expected it after a virsh migrate-getmaxdowntime or migrate-getspeed command".into(),
            );
        };
        let n = n as f64;
        let base = self.source(no, t, SourceText::EMPTY);
        let src = |unit: &'static str| Source { unit: SourceText::from_static(unit), ..base.clone() };
        match self.command {
            Command::GetMaxDowntime => {
                self.paste.parameters.downtime_limit = Some(Field::exact(Millis(n), src("ms")));
                Verdict::Ok
            }
            Command::GetSpeed => {
                self.paste.parameters.max_bandwidth = Some(Field::exact(BytesPerSec(n * MIB), src("MiB/s")));
                Verdict::Ok
            }
            // Alone in the paste: what migrate-getmaxdowntime prints (if it can be a limit).
            _ if self.nonblank == 1 && n <= MAX_DOWNTIME_LIMIT_MS => {
                self.paste.parameters.downtime_limit = Some(Field::exact(Millis(n), src("ms")));
                Verdict::Ok
            }
            _ => Verdict::Bad(
                "a bare number; expected it after a virsh migrate-getmaxdowntime or migrate-getspeed command".into(),
            ),
        }
    }
}
