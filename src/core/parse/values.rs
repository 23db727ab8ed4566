//! Number, size and unit readers. Each returns the value in base units (bytes,
//! ms, ...) with how precisely the printed text pins it down. No panics: every
//! reader works on chars and returns None on anything unexpected.

use crate::core::model::{CounterBug, Precision, SourceText};
use crate::core::units::KIB;

/// A number read from the paste, in base units, with its precision and printed unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Val {
    pub v: f64,
    pub precision: Precision,
    pub unit: SourceText,
    /// The whole number exactly as printed, when it was one (f64 loses digits above 2^53).
    pub int: Option<u64>,
}

impl Val {
    /// An exactly printed value; the unit is the program's own word (no search, no copy).
    pub fn exact(v: f64, unit: &'static str) -> Val {
        Val { v, precision: Precision::Exact, unit: SourceText::from_static(unit), int: None }
    }
    /// A printed whole number, kept exactly besides its value in base units; the unit is the
    /// program's own word (no search of the known units).
    pub fn whole(n: u64, v: f64, precision: Precision, unit: &'static str) -> Val {
        Val { v, precision, unit: SourceText::from_static(unit), int: Some(n) }
    }
}

/// Units QEMU and libvirt print: kept as the program's own words, so no value copies one.
pub(super) const KNOWN_UNITS: &[&str] = &[
    "kbytes",
    "ms",
    "milliseconds",
    "mbps",
    "Mbps",
    "pages",
    "bytes",
    "bytes/second",
    "bytes/s",
    "B",
    "KiB",
    "MiB",
    "GiB",
    "TiB",
    "PiB",
    "EiB",
    "KB",
    "MB",
    "GB",
    "MiB/s",
    "GiB/s",
    "KiB/s",
    "B/s",
    "pages/s",
    "us",
    "times",
    "%",
];

/// A printed unit as `SourceText`: a known one without a copy.
pub fn unit_text(unit: &str) -> SourceText {
    match KNOWN_UNITS.iter().find(|&&u| u == unit) {
        Some(u) => SourceText::from_static(u),
        None => SourceText::from(unit),
    }
}

/// A printed number that cannot be a counter's value: `nan`, `-nan`, `inf`, or below zero.
pub fn broken(s: &str) -> Option<CounterBug> {
    let s = s.trim();
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    match body.to_ascii_lowercase().as_str() {
        "nan" | "nan(ind)" => return Some(CounterBug::NotANumber),
        "inf" | "infinity" => return Some(CounterBug::Infinite),
        _ => {}
    }
    (s.starts_with('-') && decimal(body).is_some_and(|(v, _)| v > 0.0)).then_some(CounterBug::Negative)
}

/// A whole number made of ASCII digits only ("376892").
pub fn uint(s: &str) -> Option<u64> {
    let s = super::find::trim(s);
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    // As `parse::<u64>` on all-digit text: None past u64::MAX.
    s.bytes().try_fold(0u64, |n, b| match b {
        b'0'..=b'9' => n.checked_mul(10)?.checked_add(u64::from(b - b'0')),
        _ => None,
    })
}

/// A plain decimal ("866.83", "7", "0.977", "1e+03" as %g prints it), not negative.
/// Returns the value and the number of decimals printed.
pub fn decimal(s: &str) -> Option<(f64, usize)> {
    let s = super::find::trim(s);
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    // By bytes: 'e', 'E' and '.' are ASCII, so each cut is a char boundary.
    let (mant, exp) = match s.bytes().position(|b| b == b'e' || b == b'E') {
        Some(i) => (s.get(..i)?, Some(s.get(i + 1..)?)),
        None => (s, None),
    };
    let (int, frac) = match mant.bytes().position(|b| b == b'.') {
        Some(i) => (mant.get(..i)?, mant.get(i + 1..)?),
        None => (mant, ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if mant.as_bytes().last() == Some(&b'.') {
        return None;
    }
    if let Some(e) = exp {
        let digits = e.strip_prefix('+').or_else(|| e.strip_prefix('-')).unwrap_or(e);
        if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    // Up to 15 digits and no exponent: the digits as a whole number and the power of ten are
    // both exact in f64, so their quotient is the correctly rounded value `parse` returns.
    let v: f64 = match (exp, POW10.get(frac.len())) {
        (None, Some(scale)) if int.len() + frac.len() <= 15 => {
            let n = int.bytes().chain(frac.bytes()).fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
            n as f64 / scale
        }
        _ => s.parse().ok()?,
    };
    if !v.is_finite() {
        return None;
    }
    Some((v, frac.len()))
}

/// 10^0 ..= 10^15, each exact in f64.
const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// Splits "376892 kbytes" into ("376892", "kbytes"); the unit may be empty.
pub fn number_and_unit(s: &str) -> (&str, &str) {
    let s = super::find::trim(s);
    // By bytes up to the first blank; a char outside ASCII first takes the char walk.
    match s.bytes().position(|b| super::find::is_ascii_blank(b) || !b.is_ascii()) {
        Some(at) if s.as_bytes().get(at).is_some_and(u8::is_ascii) => {
            (s.get(..at).unwrap_or(s), super::find::trim(s.get(at + 1..).unwrap_or("")))
        }
        Some(_) => match s.split_once(char::is_whitespace) {
            Some((n, u)) => (n, u.trim()),
            None => (s, ""),
        },
        None => (s, ""),
    }
}

/// Interval of a value printed with `decimals` decimals (rounded half a unit of the last digit).
pub fn rounded(v: f64, decimals: usize) -> Precision {
    let half = 0.5 * 10f64.powi(-(decimals.min(30) as i32));
    Precision::Rounded { lo: (v - half).max(0.0), hi: v + half }
}

/// A binary unit's factor, and the unit as the program's own word (no search to keep it).
fn iec_factor(unit: &str) -> Option<(f64, &'static str)> {
    Some(match unit {
        "B" => (1.0, "B"),
        "bytes" => (1.0, "bytes"),
        "KiB" => (KIB, "KiB"),
        "MiB" => (KIB * KIB, "MiB"),
        "GiB" => (KIB * KIB * KIB, "GiB"),
        "TiB" => (KIB * KIB * KIB * KIB, "TiB"),
        "PiB" => (KIB * KIB * KIB * KIB * KIB, "PiB"),
        "EiB" => (KIB * KIB * KIB * KIB * KIB * KIB, "EiB"),
        _ => return None,
    })
}

/// QEMU 10.1+ `size_to_str` output ("977 MiB", "4.02 GiB", "0 B", "1e+03 KiB"): printed with
/// %0.3g, i.e. 3 significant digits with trailing zeros cut, so the real value lies within
/// half a unit of the third significant digit. Byte counts below 1000 are printed exactly.
pub fn iec_size_3g(s: &str) -> Option<Val> {
    let (num, unit) = number_and_unit(s);
    let (factor, unit) = iec_factor(unit)?;
    let (x, _) = decimal(num)?;
    let v = x * factor;
    if factor == 1.0 || x == 0.0 {
        return Some(Val::exact(v, unit));
    }
    let mag = x.log10().floor() as i32;
    let half = 0.5 * 10f64.powi(mag - 2) * factor;
    let precision = Precision::Rounded { lo: (v - half).max(0.0), hi: v + half };
    Some(Val { v, precision, unit: SourceText::from_static(unit), int: None })
}

/// libvirt's sizes ("257.539 MiB", "0.000 B"): fixed decimals, binary units.
pub fn iec_size_fixed(s: &str) -> Option<Val> {
    let (num, unit) = number_and_unit(s);
    let (factor, unit) = iec_factor(unit)?;
    let (x, decimals) = decimal(num)?;
    let v = x * factor;
    if factor == 1.0 {
        return Some(Val::exact(v, unit));
    }
    let precision = match rounded(x, decimals) {
        Precision::Rounded { lo, hi } => Precision::Rounded { lo: lo * factor, hi: hi * factor },
        p => p,
    };
    Some(Val { v, precision, unit: SourceText::from_static(unit), int: None })
}

/// HMP "N kbytes": QEMU printed bytes >> 10, so the bytes lie in [N*1024, N*1024 + 1024).
pub fn kbytes(s: &str) -> Option<Val> {
    let (num, unit) = number_and_unit(s);
    if unit != "kbytes" {
        return None;
    }
    let n = uint(num)?;
    Some(Val::whole(n, n as f64 * KIB, Precision::Truncated { step: KIB }, "kbytes"))
}

/// A whole number with one of the allowed units (or none when "" is allowed).
pub fn uint_with_unit(s: &str, units: &[&'static str]) -> Option<Val> {
    let (num, unit) = number_and_unit(s);
    // The allowed word itself is the unit kept: no search of the known units, no copy.
    let unit = units.iter().find(|u| **u == unit)?;
    let n = uint(num)?;
    Some(Val::whole(n, n as f64, Precision::Exact, unit))
}

/// A decimal with one of the allowed units; precision from the printed decimals.
pub fn decimal_with_unit(s: &str, units: &[&'static str]) -> Option<Val> {
    let (num, unit) = number_and_unit(s);
    let unit = units.iter().find(|u| **u == unit)?;
    let (v, d) = decimal(num)?;
    let precision = if d == 0 { Precision::Exact } else { rounded(v, d) };
    Some(Val { v, precision, unit: SourceText::from_static(unit), int: uint(num) })
}

/// "key=value, key=value" lists of the 10.1+ layout. Items without '=' are returned with an empty key.
/// An iterator, not a Vec: most lines of a 10.1 paste are one list each.
pub fn kv_items(s: &str) -> KvList<'_> {
    KvList { rest: s }
}

/// The items of a `key=value` list not read yet; split by bytes (',' and '=' are ASCII,
/// so every cut is a char boundary), as a plain loop the size-optimised build keeps cheap.
#[derive(Clone)]
pub struct KvList<'a> {
    rest: &'a str,
}

impl<'a> Iterator for KvList<'a> {
    type Item = (&'a str, &'a str);
    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        use super::find::trim;
        while !self.rest.is_empty() {
            let (piece, rest) = match self.rest.bytes().position(|b| b == b',') {
                Some(at) => (self.rest.get(..at)?, self.rest.get(at + 1..)?),
                None => (self.rest, ""),
            };
            self.rest = rest;
            let p = trim(piece);
            if p.is_empty() {
                continue;
            }
            return Some(match p.bytes().position(|b| b == b'=') {
                Some(at) => (trim(p.get(..at)?), trim(p.get(at + 1..)?)),
                None => ("", p),
            });
        }
        None
    }
}

/// At most `max` chars of `s`, with an ellipsis when cut (char-safe).
pub fn clip(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers() {
        assert_eq!(uint("376892"), Some(376892));
        assert_eq!(uint(" 0 "), Some(0));
        assert_eq!(uint("abc"), None);
        assert_eq!(uint("-1"), None);
        assert_eq!(uint("99999999999999999999999"), None);
        assert_eq!(uint(""), None);
        assert_eq!(uint("18446744073709551615"), Some(u64::MAX));
        assert_eq!(uint("18446744073709551616"), None);
        assert_eq!(uint("00000000000000000007"), Some(7));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn number_and_unit_as_the_char_walk(t in "[1 \t\u{a0}\u{3000}\u{85}ék]{0,8}") {
            let s = t.trim();
            let want = match s.split_once(char::is_whitespace) {
                Some((n, u)) => (n, u.trim()),
                None => (s, ""),
            };
            proptest::prop_assert_eq!(number_and_unit(&t), want);
        }

        #[test]
        fn uint_as_std(t in "[0-9 +a-]{0,22}") {
            let s = t.trim();
            let want = if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                s.parse::<u64>().ok()
            };
            proptest::prop_assert_eq!(uint(&t), want);
        }

        #[test]
        fn decimal_as_parse(int in "[0-9]{1,9}", frac in proptest::option::of("[0-9]{0,9}")) {
            let t = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
            let want = match frac.as_deref() {
                Some("") => None,
                f => Some((t.parse::<f64>().unwrap(), f.map_or(0, str::len))),
            };
            proptest::prop_assert_eq!(decimal(&t), want);
        }

        #[test]
        fn kv_items_as_the_split_chain(t in "[a= ,\t\u{a0}é1]{0,16}") {
            let want: Vec<(&str, &str)> = t
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.trim(), v.trim()),
                    None => ("", p),
                })
                .collect();
            proptest::prop_assert_eq!(kv_items(&t).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn decimals_and_g_format() {
        assert_eq!(decimal("866.83"), Some((866.83, 2)));
        assert_eq!(decimal("7"), Some((7.0, 0)));
        assert_eq!(decimal("1e+03"), Some((1000.0, 0)));
        assert_eq!(decimal("1."), None);
        assert_eq!(decimal(".5"), None);
        assert_eq!(decimal("inf"), None);
        assert_eq!(decimal("NaN"), None);
        assert_eq!(decimal("1e"), None);
    }

    #[test]
    fn kbytes_are_truncated_kib() {
        let v = kbytes("376892 kbytes").unwrap();
        assert_eq!(v.v, 385_937_408.0);
        assert_eq!(v.precision, Precision::Truncated { step: 1024.0 });
        assert!(kbytes("376892 kB").is_none());
        assert!(kbytes("abc kbytes").is_none());
    }

    #[test]
    fn qemu_10_1_sizes_are_3_significant_digits() {
        let v = iec_size_3g("111 MiB").unwrap();
        assert_eq!(v.v, 111.0 * 1048576.0);
        assert_eq!(v.precision, Precision::Rounded { lo: 110.5 * 1048576.0, hi: 111.5 * 1048576.0 });
        // QMP said 116027392 bytes for this one (10.2.2-B snapshot 60).
        if let Precision::Rounded { lo, hi } = v.precision {
            assert!(lo <= 116027392.0 && 116027392.0 <= hi);
        }
        let g = iec_size_3g("4.02 GiB").unwrap();
        if let Precision::Rounded { lo, hi } = g.precision {
            assert!((hi - lo - 0.01 * 1073741824.0).abs() < 1.0);
        } else {
            panic!("expected rounded");
        }
        assert_eq!(iec_size_3g("0 B").unwrap().precision, Precision::Exact);
        assert_eq!(iec_size_3g("744 B").unwrap().v, 744.0);
        assert_eq!(iec_size_3g("4 KiB").unwrap().v, 4096.0);
        assert!(iec_size_3g("4 KB").is_none());
        assert!(iec_size_3g("MiB").is_none());
    }

    #[test]
    fn libvirt_sizes_have_three_decimals() {
        let v = iec_size_fixed("257.539 MiB").unwrap();
        assert!((v.v - 257.539 * 1048576.0).abs() < 1e-3);
        if let Precision::Rounded { lo, hi } = v.precision {
            assert!((hi - lo - 0.001 * 1048576.0).abs() < 1e-3);
        } else {
            panic!("expected rounded");
        }
        assert_eq!(iec_size_fixed("0.000 B").unwrap().precision, Precision::Exact);
    }

    #[test]
    fn units_are_checked() {
        assert_eq!(uint_with_unit("300 ms", &["ms", "milliseconds"]).unwrap().v, 300.0);
        assert_eq!(uint_with_unit("300 milliseconds", &["ms", "milliseconds"]).unwrap().unit, "milliseconds");
        assert!(uint_with_unit("300 s", &["ms"]).is_none());
        let m = decimal_with_unit("866.83 mbps", &["mbps"]).unwrap();
        assert_eq!(m.v, 866.83);
        assert!(matches!(m.precision, Precision::Rounded { .. }));
    }

    #[test]
    fn kv_lists_and_clipping() {
        assert_eq!(
            kv_items("total=30002, setup=1, exp_down=7968").collect::<Vec<_>>(),
            vec![("total", "30002"), ("setup", "1"), ("exp_down", "7968")]
        );
        assert_eq!(
            kv_items("pagesize=4 KiB, total=513 MiB").collect::<Vec<_>>(),
            vec![("pagesize", "4 KiB"), ("total", "513 MiB")]
        );
        assert_eq!(clip("ééééé", 3), "ééé…");
        assert_eq!(clip("abc", 3), "abc");
    }
}
