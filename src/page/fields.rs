//! The parameter form's fields as one enum: each knows its label, unit, URL key,
//! where its value comes from in the analysis and which override it sets. A field
//! misspelled anywhere is a compile error, not a value silently ignored.

use crate::core::model::{Source, Throughput};
use crate::core::options::Overrides;
use crate::core::units::{human_bytes, Bytes, BytesPerSec, Mbps};
use crate::core::Analysis;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormField {
    Remaining,
    Throughput,
    DirtyRate,
    ExpectedDowntime,
    DowntimeLimit,
    MaxBandwidth,
    AvailSwitchoverBandwidth,
}

/// Edited fields: the text as typed ("" = edited to empty: use the parsed value), at
/// most one per field, in field order. A sorted list of at most seven, not a BTreeMap:
/// the map's generic code (insert, clone, compare, drop) cost the page's wasm more.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edits(Vec<(FormField, String)>);

impl Edits {
    pub fn new() -> Edits {
        Edits::default()
    }

    pub fn get(&self, field: &FormField) -> Option<&String> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, t)| t)
    }

    /// Sets the field's text (replacing an earlier edit of it).
    pub fn insert(&mut self, field: FormField, text: String) {
        match self.0.iter().position(|(f, _)| *f >= field) {
            Some(i) if self.0[i].0 == field => self.0[i].1 = text,
            Some(i) => self.0.insert(i, (field, text)),
            None => self.0.push((field, text)),
        }
    }

    pub fn clear(&mut self) {
        self.0.clear()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In field order.
    pub fn iter(&self) -> impl Iterator<Item = (&FormField, &String)> {
        self.0.iter().map(|(f, t)| (f, t))
    }
}

impl FormField {
    /// In the form's order.
    pub const ALL: [FormField; 7] = [
        FormField::Remaining,
        FormField::Throughput,
        FormField::DirtyRate,
        FormField::ExpectedDowntime,
        FormField::DowntimeLimit,
        FormField::MaxBandwidth,
        FormField::AvailSwitchoverBandwidth,
    ];

    /// The key in the URL fragment and the element id (`f-{key}`); stable, links depend on it.
    pub fn key(self) -> &'static str {
        match self {
            FormField::Remaining => "remaining",
            FormField::Throughput => "throughput",
            FormField::DirtyRate => "dirty",
            FormField::ExpectedDowntime => "expected",
            FormField::DowntimeLimit => "limit",
            FormField::MaxBandwidth => "max-bw",
            FormField::AvailSwitchoverBandwidth => "avail-bw",
        }
    }

    pub fn from_key(key: &str) -> Option<FormField> {
        FormField::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            FormField::Remaining => "Remaining RAM",
            FormField::Throughput => "Throughput",
            FormField::DirtyRate => "Dirty pages rate",
            FormField::ExpectedDowntime => "Expected downtime printed",
            FormField::DowntimeLimit => "downtime-limit",
            FormField::MaxBandwidth => "max-bandwidth",
            FormField::AvailSwitchoverBandwidth => "avail-switchover-bandwidth",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            FormField::Remaining => "bytes",
            FormField::Throughput => "Mbit/s",
            FormField::DirtyRate => "pages/s",
            FormField::ExpectedDowntime | FormField::DowntimeLimit => "ms",
            FormField::MaxBandwidth | FormField::AvailSwitchoverBandwidth => "bytes/s",
        }
    }

    /// The value in force (in this field's unit) and the line it came from.
    pub fn get(self, a: &Analysis) -> Option<(f64, &Source)> {
        let p = &a.paste.parameters;
        let s = a.focus_snapshot();
        match self {
            FormField::Remaining => s?.remaining.as_ref().map(|f| (f.value.0, &f.source)),
            FormField::Throughput => s?.throughput.as_ref().map(|f| {
                let m = match f.value {
                    Throughput::Mbps(m) => m,
                    Throughput::MiBPerSec(m) => m.to_bytes_per_ms().to_mbps(),
                };
                (m.0, &f.source)
            }),
            FormField::DirtyRate => s?.dirty_pages_rate.as_ref().map(|f| (f.value.0, &f.source)),
            FormField::ExpectedDowntime => s?.expected_downtime.as_ref().map(|f| (f.value.0, &f.source)),
            FormField::DowntimeLimit => p.downtime_limit.as_ref().map(|f| (f.value.0, &f.source)),
            FormField::MaxBandwidth => p.max_bandwidth.as_ref().map(|f| (f.value.0, &f.source)),
            FormField::AvailSwitchoverBandwidth => {
                p.avail_switchover_bandwidth.as_ref().map(|f| (f.value.0, &f.source))
            }
        }
    }

    /// Put a typed value (in this field's unit) over the parsed one.
    pub fn set(self, o: &mut Overrides, v: f64) {
        let slot = match self {
            FormField::Remaining => &mut o.remaining_bytes,
            FormField::Throughput => &mut o.throughput_mbps,
            FormField::DirtyRate => &mut o.dirty_pages_rate,
            FormField::ExpectedDowntime => &mut o.expected_downtime_ms,
            FormField::DowntimeLimit => &mut o.downtime_limit_ms,
            FormField::MaxBandwidth => &mut o.max_bandwidth_bytes_per_s,
            FormField::AvailSwitchoverBandwidth => &mut o.avail_switchover_bandwidth_bytes_per_s,
        };
        *slot = Some(v);
    }

    /// A note on what a number means, shown under the field.
    pub fn hint(self, v: f64) -> Option<String> {
        match self {
            FormField::Remaining => Some(format!("= {}", human_bytes(Bytes(v)))),
            FormField::MaxBandwidth if BytesPerSec(v).is_unlimited() => Some("libvirt's \"unlimited\"".into()),
            FormField::MaxBandwidth | FormField::AvailSwitchoverBandwidth if v > 0.0 => {
                Some(format!("= {}/s", human_bytes(Bytes(v))))
            }
            FormField::AvailSwitchoverBandwidth => Some("0 = use the measured bandwidth".into()),
            FormField::Throughput => Some(per_second(Mbps(v))),
            _ => None,
        }
    }
}

/// "= 103 MiB/s" for a rate in Mbit/s.
pub fn per_second(m: Mbps) -> String {
    format!("= {}/s", human_bytes(Bytes(m.to_bytes_per_ms().to_bytes_per_sec().0)))
}

/// "1,500" or "1 500" typed: the number; None for anything else (negative, NaN, words).
pub fn number(text: &str) -> Option<f64> {
    let t: String = text.chars().filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}')).collect();
    t.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

/// The overrides the edits make: fields whose text is not a number are left to the paste.
pub fn overrides(e: &Edits) -> Overrides {
    let mut o = Overrides::default();
    for (field, text) in e.iter() {
        if let Some(v) = number(text) {
            field.set(&mut o, v);
        }
    }
    o
}

/// Plain digits an input can hold and `number` reads back (bytes to the byte:
/// virsh's "108.328 MiB" is not more exact than that).
pub fn plain(v: f64) -> String {
    if v.abs() >= 1e6 && v.abs() < 1e21 {
        format!("{:.0}", v.round())
    } else if v.fract() == 0.0 && v.abs() < 1e21 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::units::LIBVIRT_UNLIMITED_BYTES_PER_SEC;
    use crate::core::{analyse, parse, Options};

    const SEED: &str = include_str!("../../tests/data/corpus/seed/as_pasted.txt");

    #[test]
    fn keys_round_trip_and_are_unique() {
        for f in FormField::ALL {
            assert_eq!(FormField::from_key(f.key()), Some(f));
        }
        assert_eq!(FormField::from_key("max_bw"), None);
    }

    #[test]
    fn numbers_take_separators_and_refuse_the_rest() {
        assert_eq!(number("1,500"), Some(1500.0));
        assert_eq!(number("1 500.5"), Some(1500.5));
        assert_eq!(number("12x"), None);
        assert_eq!(number("-3"), None);
        assert_eq!(number("NaN"), None);
        assert_eq!(number("inf"), None);
        assert_eq!(plain(376892.0 * 1024.0), "385937408");
        assert_eq!(plain(866.83), "866.83");
        assert_eq!(number(&plain(108.328 * 1048576.0)), Some(113_590_141.0));
    }

    #[test]
    fn every_field_shows_the_seed_value_and_sets_its_own_override() {
        let a = analyse(parse::parse(SEED), Options::default());
        let shown: Vec<Option<f64>> = FormField::ALL.iter().map(|f| f.get(&a).map(|(v, _)| v)).collect();
        // 376892 kbytes x 1024; 866.83 mbps; 39044 pages; 1475 ms printed; the seed's 300 ms limit and 2^33 max-bandwidth.
        assert_eq!(shown[..5], [Some(385_937_408.0), Some(866.83), Some(39044.0), Some(1475.0), Some(300.0)]);
        let mut edits = Edits::new();
        for (i, f) in FormField::ALL.into_iter().enumerate() {
            edits.insert(f, format!("{}", i + 1));
        }
        edits.insert(FormField::DirtyRate, "12x".into());
        let o = overrides(&edits);
        assert_eq!(
            (o.remaining_bytes, o.throughput_mbps, o.dirty_pages_rate, o.expected_downtime_ms),
            (Some(1.0), Some(2.0), None, Some(4.0))
        );
        assert_eq!(
            (o.downtime_limit_ms, o.max_bandwidth_bytes_per_s, o.avail_switchover_bandwidth_bytes_per_s),
            (Some(5.0), Some(6.0), Some(7.0))
        );
        let edited = analyse(parse::parse(SEED), Options { overrides: o, ..Options::default() });
        assert_eq!(FormField::DowntimeLimit.get(&edited).map(|(v, s)| (v, s.line)), Some((5.0, 0)));
    }

    #[test]
    fn edits_keep_field_order_and_the_last_text_of_a_field() {
        let mut e = Edits::new();
        e.insert(FormField::MaxBandwidth, "1".into());
        e.insert(FormField::Remaining, "2".into());
        e.insert(FormField::DowntimeLimit, "3".into());
        e.insert(FormField::Remaining, "4".into());
        let all: Vec<(FormField, &str)> = e.iter().map(|(f, t)| (*f, t.as_str())).collect();
        assert_eq!(all, [(FormField::Remaining, "4"), (FormField::DowntimeLimit, "3"), (FormField::MaxBandwidth, "1")]);
        assert_eq!(e.get(&FormField::DowntimeLimit).map(String::as_str), Some("3"));
        assert_eq!(e.get(&FormField::Throughput), None);
        e.clear();
        assert!(e.is_empty() && e == Edits::new());
    }

    #[test]
    fn unlimited_is_the_engines_threshold() {
        // The engine calls anything from half of libvirt's sentinel up "unlimited"; so does the hint.
        let half = LIBVIRT_UNLIMITED_BYTES_PER_SEC as f64 * 0.5;
        let unlimited = FormField::MaxBandwidth.hint(half).unwrap_or_default();
        assert_eq!(unlimited, "libvirt's \"unlimited\"");
        // 4.0e18 was the page's own threshold: below the engine's, so not unlimited.
        let below = FormField::MaxBandwidth.hint(4.0e18).unwrap_or_default();
        assert!(below.starts_with("= ") && below.ends_with("GiB/s"), "{below}");
    }

    #[test]
    fn throughput_hint_is_the_mbps_rate_in_bytes() {
        // 866.83 Mbit/s = 108,353,750 bytes/s = 103 MiB/s.
        assert_eq!(FormField::Throughput.hint(866.83).as_deref(), Some("= 103 MiB/s"));
    }
}
