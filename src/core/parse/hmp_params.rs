//! `info migrate_parameters`, `info migrate_capabilities` and the `globals`
//! lines of `info migrate`. All three are `name: value` lines; the name and the
//! value tell them apart (`block-incremental: off` is a parameter even though
//! its value looks like a capability's).

use super::values::{self, Val};
use super::{Command, Parser, Sub, Verdict};
use crate::core::model::{Field, Source, SourceText};
use crate::core::units::{BytesPerSec, Millis};

/// Capability names of QEMU 2.x - 10.x (FORMAT-DIFF.md plus older ones).
pub(crate) const CAPABILITIES: &[&str] = &[
    "xbzrle",
    "rdma-pin-all",
    "auto-converge",
    "zero-blocks",
    "compress",
    "events",
    "postcopy-ram",
    "x-colo",
    "release-ram",
    "block",
    "return-path",
    "pause-before-switchover",
    "multifd",
    "x-multifd",
    "dirty-bitmaps",
    "postcopy-blocktime",
    "late-block-activate",
    "x-ignore-shared",
    "validate-uuid",
    "background-snapshot",
    "zero-copy-send",
    "postcopy-preempt",
    "switchover-ack",
    "dirty-limit",
    "mapped-ram",
];

/// `info migrate` globals (QEMU 3.0+): understood, not used.
const GLOBALS: &[&str] = &[
    "store-global-state",
    "only-migratable",
    "send-configuration",
    "send-section-footer",
    "decompress-error-check",
    "clear-bitmap-shift",
    "send-switchover-start",
];

/// A parameter name as QEMU spells it: lower-case words joined by '-'.
fn is_param_name(s: &str) -> bool {
    // By bytes: a byte of a non-ASCII char is none of these, as the char was not.
    s.len() <= 64
        && matches!(s.as_bytes().first(), Some(b'a'..=b'z'))
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An `info migrate` global's name: no reader but `param_or_capability` knows these labels.
/// By length before any string comparison (every labelled line asks): the globals are 15
/// to 22 bytes long (a test holds the list to that).
pub(crate) fn is_global(label: &str) -> bool {
    (15..=22).contains(&label.len()) && GLOBALS.contains(&label)
}

/// What QEMU prints after a parameter's name: nothing, one word (`on`, `none`, `''`), or a
/// number and its unit (`300 ms`, `33554432 bytes/second`). A poster's `note: this is the
/// source` is none of these, so it is not taken for a parameter.
fn is_param_value(v: &str) -> bool {
    // No blank (the usual `on`, `18`): one word or none, without the word splitter.
    if v.bytes().all(|b| b.is_ascii_graphic()) {
        return true;
    }
    let mut words = v.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (None, _, _) | (Some(_), None, _) => true,
        (Some(n), Some(_), None) => n.starts_with(|c: char| c.is_ascii_digit()),
        _ => v.starts_with('\'') && v.ends_with('\''),
    }
}

fn on_off(v: &str) -> Option<bool> {
    match v {
        "on" | "true" | "enabled" => Some(true),
        "off" | "false" | "disabled" => Some(false),
        _ => None,
    }
}

impl Parser {
    /// `name: value` as a global, a capability or a parameter.
    pub(crate) fn param_or_capability(&mut self, no: usize, raw: &str, name: &str, value: &str) -> Verdict {
        if !is_param_name(name) || !is_param_value(value) {
            return Verdict::NotMine;
        }
        if is_global(name) {
            return Verdict::Ok;
        }
        let flag = on_off(value);
        let known_cap = CAPABILITIES.contains(&name);
        let in_caps = self.caps_context || self.command == Command::InfoCapabilities;
        if let Some(b) = flag {
            if known_cap || (in_caps && !is_known_param(name)) {
                self.close();
                self.caps_context = true;
                self.set_capability(no, raw, name, b);
                return Verdict::Ok;
            }
        } else if known_cap {
            return Verdict::Bad(format!("expected on or off for the capability {name}"));
        }
        self.close();
        self.caps_context = false;
        self.parameter(no, raw, name, value)
    }

    pub(crate) fn set_capability(&mut self, no: usize, raw: &str, name: &str, on: bool) {
        let source = self.source(no, raw, SourceText::EMPTY);
        self.paste.capabilities.insert(name.to_string(), Field::exact(on, source));
    }

    /// QEMU 2.x `capabilities: xbzrle: off rdma-pin-all: off ...` on one line.
    pub(crate) fn one_line_capabilities(&mut self, no: usize, raw: &str, value: &str) -> Verdict {
        let mut words: Vec<&str> = value.split_whitespace().collect();
        // A mail client wrapped the long line after a name (`... zero-blocks:` / `off compress: ...`).
        let dangling = if words.len() % 2 == 1 { words.pop().filter(|w| w.ends_with(':')) } else { None };
        if words.len() % 2 == 1 || (dangling.is_none() && value.split_whitespace().count() % 2 == 1) {
            return Verdict::Bad("expected name: on|off pairs".into());
        }
        let mut pairs = Vec::new();
        for pair in words.chunks(2) {
            let (Some(n), Some(v)) = (pair.first(), pair.get(1)) else { continue };
            match (n.strip_suffix(':'), on_off(v)) {
                (Some(n), Some(b)) if is_param_name(n) => pairs.push((n, b)),
                _ => return Verdict::Bad("expected name: on|off pairs".into()),
            }
        }
        self.close();
        for (n, b) in pairs {
            self.set_capability(no, raw, n, b);
        }
        self.caps_wrap = Some(dangling.unwrap_or("").to_string());
        Verdict::Ok
    }

    /// The rest of a wrapped one-line `capabilities:` (only `name: on|off` pairs, maybe the
    /// value of a name the line before ended with).
    pub(crate) fn capabilities_wrap(&mut self, no: usize, raw: &str, t: &str) -> Verdict {
        let Some(before) = self.caps_wrap.take() else { return Verdict::NotMine };
        let joined = format!("{before} {t}");
        let words: Vec<&str> = joined.split_whitespace().collect();
        let pairs_only = words.chunks(2).all(|p| {
            p.first().and_then(|n| n.strip_suffix(':')).is_some_and(is_param_name)
                && p.get(1).is_none_or(|v| on_off(v).is_some())
        });
        if words.is_empty() || !pairs_only {
            return Verdict::NotMine;
        }
        self.one_line_capabilities(no, raw, &joined)
    }

    /// One `info migrate_parameters` line.
    pub(crate) fn parameter(&mut self, no: usize, raw: &str, name: &str, value: &str) -> Verdict {
        let base = self.source(no, raw, SourceText::EMPTY);
        let src = |unit: &str| Source { unit: values::unit_text(unit), ..base.clone() };
        let p = &mut self.paste.parameters;
        match canonical_parameter(name) {
            "downtime-limit" => match values::uint_with_unit(value, &["ms", "milliseconds", ""]) {
                Some(v) => p.downtime_limit = Some(Field::exact(Millis(v.v), src(&v.unit))),
                None => return Verdict::Bad("expected a whole number of ms (\"300 ms\")".into()),
            },
            "max-bandwidth" | "avail-switchover-bandwidth" => {
                match values::uint_with_unit(value, &["bytes/second", ""]) {
                    Some(Val { v, unit, int, .. }) => {
                        if let Some(n) = int.filter(|&n| n > super::snapshot::F64_EXACT) {
                            p.exact.insert(name.to_string(), n);
                        }
                        let f = Some(Field::exact(BytesPerSec(v), src(&unit)));
                        if name == "max-bandwidth" {
                            p.max_bandwidth = f;
                        } else {
                            p.avail_switchover_bandwidth = f;
                        }
                    }
                    None => return Verdict::Bad("expected a whole number of bytes/second".into()),
                }
            }
            "cpu-throttle-initial" | "cpu-throttle-increment" | "max-cpu-throttle" | "throttle-trigger-threshold" => {
                match values::uint_with_unit(value, &["", "%"]) {
                    Some(v) => {
                        let f = Some(Field::exact(v.v, src(&v.unit)));
                        match canonical_parameter(name) {
                            "cpu-throttle-initial" => p.cpu_throttle_initial = f,
                            "cpu-throttle-increment" => p.cpu_throttle_increment = f,
                            "max-cpu-throttle" => p.max_cpu_throttle = f,
                            _ => p.throttle_trigger_threshold = f,
                        }
                    }
                    None => return Verdict::Bad("expected a whole percentage".into()),
                }
            }
            "block-bitmap-mapping" => {
                self.sub = Sub::BitmapMapping;
                return Verdict::Ok;
            }
            _ => {
                let (_, unit) = values::number_and_unit(value);
                let unit = if values::uint(values::number_and_unit(value).0).is_some() { unit } else { "" };
                p.other.insert(name.to_string(), Field::exact(value.to_string(), src(unit)));
            }
        }
        Verdict::Ok
    }
}

/// Parameters whose value is on/off (so that they are not taken for capabilities).
fn is_known_param(name: &str) -> bool {
    matches!(
        name,
        "block-incremental" | "cpu-throttle-tailslow" | "compress-wait-thread" | "direct-io" | "x-multifd-page-count"
    )
}

/// QEMU 2.7-2.8 named the throttle parameters `x-cpu-throttle-*` before they became stable.
pub(crate) fn canonical_parameter(name: &str) -> &str {
    match name {
        "x-cpu-throttle-initial" => "cpu-throttle-initial",
        "x-cpu-throttle-increment" => "cpu-throttle-increment",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn is_param_value_as_by_words(v in "[a1' \t\u{a0}é]{0,8}") {
            let mut words = v.split_whitespace();
            let want = match (words.next(), words.next(), words.next()) {
                (None, _, _) | (Some(_), None, _) => true,
                (Some(n), Some(_), None) => n.starts_with(|c: char| c.is_ascii_digit()),
                _ => v.starts_with('\'') && v.ends_with('\''),
            };
            proptest::prop_assert_eq!(is_param_value(&v), want);
        }
    }

    #[test]
    fn is_global_is_the_globals_list() {
        for g in GLOBALS {
            assert!(is_global(g), "{g}");
        }
        for g in GLOBALS {
            assert!((15..=22).contains(&g.len()), "{g}");
        }
        for other in ["", "globals", "store-global-stat", "Store-Global-State", "xbzrle", "downtime-limit"] {
            assert!(!is_global(other), "{other}");
        }
    }
}
