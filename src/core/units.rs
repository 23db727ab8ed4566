//! Units as types. QEMU mixes KiB ("kbytes"), 10^6 bit/s ("mbps"), bytes per
//! millisecond (its internal bandwidth) and 4 KiB target pages; each gets its own
//! type so that a KiB-vs-kB or Mbit-vs-MiB mix-up does not compile. Every
//! conversion is a named method, so a derivation can show it as a step.

use serde::Serialize;
use std::fmt;
use std::ops::{Add, Div, Mul, Sub};

/// A byte count (f64: derived values such as re-dirtied bytes are fractional).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
pub struct Bytes(pub f64);

/// HMP's "kbytes": 1024 bytes (QEMU prints `value >> 10`).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
pub struct KiB(pub f64);

/// Decimal kilobytes (1000 bytes): only to reproduce the seed document's mistake.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
pub struct DecimalKB(pub f64);

/// QEMU's "mbps": 10^6 bits per second (libvirt converts with x 125000).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
pub struct Mbps(pub f64);

/// Binary MiB per second (libvirt's `Memory bandwidth`).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
pub struct MiBPerSec(pub f64);

/// Bytes per second (`max-bandwidth`, `avail-switchover-bandwidth`).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
pub struct BytesPerSec(pub f64);

/// Bytes per millisecond: QEMU's internal `bandwidth` (= mbps x 125).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
pub struct BytesPerMs(pub f64);

/// Milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
pub struct Millis(pub f64);

/// Target pages per second, as `dirty pages rate` counts them.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
pub struct PagesPerSec(pub f64);

/// Bytes of one page (target page 4 KiB; backing page 64 KiB .. 1 GiB).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
pub struct PageSize(pub Bytes);

pub const KIB: f64 = 1024.0;
pub const MIB: f64 = 1024.0 * 1024.0;
pub const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
pub const TIB: f64 = 1024.0 * GIB;

/// libvirt's "unlimited" max-bandwidth: INT64_MAX / 2^20 MiB/s turned back into bytes/s.
pub const LIBVIRT_UNLIMITED_BYTES_PER_SEC: u64 = 9_223_372_036_853_727_232;
/// QEMU's maximum downtime-limit (migration/options.c: 2000 seconds).
pub const MAX_DOWNTIME_LIMIT_MS: f64 = 2_000_000.0;

impl KiB {
    pub fn to_bytes(self) -> Bytes {
        Bytes(self.0 * KIB)
    }
}
impl DecimalKB {
    pub fn to_bytes(self) -> Bytes {
        Bytes(self.0 * 1000.0)
    }
}
impl Mbps {
    /// x 125: 10^6 bit/s / 8 bit/byte / 1000 ms/s.
    pub fn to_bytes_per_ms(self) -> BytesPerMs {
        BytesPerMs(self.0 * 125.0)
    }
}
impl MiBPerSec {
    pub fn to_bytes_per_ms(self) -> BytesPerMs {
        BytesPerMs(self.0 * MIB / 1000.0)
    }
}
impl BytesPerSec {
    pub fn to_bytes_per_ms(self) -> BytesPerMs {
        BytesPerMs(self.0 / 1000.0)
    }
    pub fn from_mib_per_sec(mib: u64) -> BytesPerSec {
        BytesPerSec(mib as f64 * MIB)
    }
    /// Whole MiB/s, rounded down (virsh migrate-setspeed's unit).
    pub fn whole_mib_per_sec(self) -> u64 {
        (self.0.max(0.0) / MIB).floor() as u64
    }
    /// The MiB/s when this is a whole number of them.
    pub fn exact_mib_per_sec(self) -> Option<u64> {
        let mib = self.whole_mib_per_sec();
        (BytesPerSec::from_mib_per_sec(mib).0 == self.0).then_some(mib)
    }
    /// True for libvirt's "unlimited" sentinel and anything near it.
    pub fn is_unlimited(self) -> bool {
        self.0 >= LIBVIRT_UNLIMITED_BYTES_PER_SEC as f64 * 0.5
    }
}
impl BytesPerMs {
    pub fn to_bytes_per_sec(self) -> BytesPerSec {
        BytesPerSec(self.0 * 1000.0)
    }
    pub fn to_mbps(self) -> Mbps {
        Mbps(self.0 / 125.0)
    }
}
impl Millis {
    pub fn from_secs(s: f64) -> Millis {
        Millis(s * 1000.0)
    }
    pub fn to_secs(self) -> f64 {
        self.0 / 1000.0
    }
}
impl PagesPerSec {
    /// pages/s x bytes/page = bytes/s.
    pub fn to_bytes_per_sec(self, page: PageSize) -> BytesPerSec {
        BytesPerSec(self.0 * (page.0).0)
    }
}
impl PageSize {
    pub const TARGET_4K: PageSize = PageSize(Bytes(4096.0));
    pub fn bytes(self) -> Bytes {
        self.0
    }
    /// How many target pages one page of this size stands for (16M / 4K = 4096).
    pub fn target_pages(self, target: PageSize) -> f64 {
        (self.0).0 / (target.0).0
    }
}

// The arithmetic that is physically meaningful, and nothing else.
impl Div<BytesPerMs> for Bytes {
    type Output = Millis;
    fn div(self, bw: BytesPerMs) -> Millis {
        Millis(self.0 / bw.0)
    }
}
impl Mul<Millis> for BytesPerMs {
    type Output = Bytes;
    fn mul(self, t: Millis) -> Bytes {
        Bytes(self.0 * t.0)
    }
}
impl Mul<Millis> for BytesPerSec {
    type Output = Bytes;
    fn mul(self, t: Millis) -> Bytes {
        Bytes(self.0 * t.0 / 1000.0)
    }
}
impl Div<BytesPerMs> for BytesPerSec {
    /// (bytes/s) / (bytes/ms): QEMU 2.10's formula 1 yields "ms of sending per second of dirtying".
    type Output = f64;
    fn div(self, bw: BytesPerMs) -> f64 {
        self.0 / bw.0
    }
}
impl Div for Bytes {
    /// A ratio of two sizes (pages per page, x threshold).
    type Output = f64;
    fn div(self, o: Bytes) -> f64 {
        self.0 / o.0
    }
}
impl Div for BytesPerMs {
    /// A ratio of two bandwidths (dirtying vs sending).
    type Output = f64;
    fn div(self, o: BytesPerMs) -> f64 {
        self.0 / o.0
    }
}
impl Div<Millis> for Bytes {
    type Output = BytesPerMs;
    fn div(self, t: Millis) -> BytesPerMs {
        BytesPerMs(self.0 / t.0)
    }
}
impl Bytes {
    pub const INFINITE: Bytes = Bytes(f64::INFINITY);
    /// In GiB (nova sizes its ramp in GiB of guest RAM).
    pub fn gib(self) -> f64 {
        self.0 / GIB
    }
}
macro_rules! additive {
    ($($t:ident),*) => {$(
        impl Add for $t { type Output = $t; fn add(self, o: $t) -> $t { $t(self.0 + o.0) } }
        impl Sub for $t { type Output = $t; fn sub(self, o: $t) -> $t { $t(self.0 - o.0) } }
        impl Mul<f64> for $t { type Output = $t; fn mul(self, k: f64) -> $t { $t(self.0 * k) } }
        impl $t {
            pub fn min(self, o: $t) -> $t { $t(self.0.min(o.0)) }
            pub fn max(self, o: $t) -> $t { $t(self.0.max(o.0)) }
        }
    )*};
}
additive!(Bytes, Millis, BytesPerMs, BytesPerSec, PagesPerSec);

/// Number with thousands separators and at most `decimals` decimals, trailing zeros cut.
/// Truncated, not rounded, as QEMU truncates what it prints: 1475.9454 shows as 1,475.94,
/// the figure the seed write-up and QEMU's reviewers quote.
pub fn group(v: f64, decimals: usize) -> String {
    let mut out = String::with_capacity(27);
    // Writing to a String cannot fail.
    let _ = write_group(&mut out, v, decimals);
    out
}

/// `group(v, decimals)` as a Display: text built with `format!` gets the digits written
/// straight into it, without a String of their own.
pub struct Grouped(pub f64, pub usize);

impl fmt::Display for Grouped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_group(f, self.0, self.1)
    }
}

// `dyn`, not `impl fmt::Write`: one copy for both the String (`group`) and the Formatter
// (`Grouped`), where a generic writer compiled it twice into the page.
fn write_group(out: &mut dyn fmt::Write, v: f64, decimals: usize) -> fmt::Result {
    if !v.is_finite() {
        return out.write_str(if v.is_nan() { "n/a" } else { "∞" });
    }
    // A whole number is shown with all its digits: the truncation nudge below would add
    // 9,223,372 to 9223372036853727232 (libvirt's unlimited max-bandwidth).
    if v.fract() == 0.0 && v.abs() < 1.8e19 {
        if v < 0.0 {
            out.write_str("-")?;
        }
        return write_grouped(out, itoa::Buffer::new().format(v.abs() as u64));
    }
    let scale = 10f64.powi(decimals.min(12) as i32);
    // The relative nudge keeps 0.29 (stored as 0.28999...) from truncating to 0.28.
    let truncated = (v.abs() * scale * (1.0 + 1e-12)).trunc() / scale;
    if !truncated.is_finite() {
        // Near f64::MAX the nudge overflows: the value is as good as infinite.
        return out.write_str(if v < 0.0 { "-∞" } else { "∞" });
    }
    // No decimals: `truncated` is whole, and below 2^64 its digits are those of the u64
    // (what `{:.0}` prints), written without the float formatter.
    if decimals == 0 && truncated < 1.8e19 {
        let mut buf = itoa::Buffer::new();
        let digits = buf.format(truncated as u64);
        if v < 0.0 && digits.bytes().any(|b| b != b'0') {
            out.write_str("-")?;
        }
        return write_grouped(out, digits);
    }
    let s = format!("{:.*}", decimals, truncated);
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let frac = frac.trim_end_matches('0');
    if v < 0.0 && (int.bytes().any(|b| b.is_ascii_digit() && b != b'0') || frac.bytes().any(|b| b != b'0')) {
        out.write_str("-")?;
    }
    write_grouped(out, int)?;
    if !frac.is_empty() {
        out.write_str(".")?;
        out.write_str(frac)?;
    }
    Ok(())
}

/// Writes ASCII digits with a ',' before each group of three from the right.
fn write_grouped(out: &mut dyn fmt::Write, digits: &str) -> fmt::Result {
    // The first group is 1-3 digits long, then groups of three.
    let mut at = match digits.len() % 3 {
        0 => 3.min(digits.len()),
        n => n,
    };
    out.write_str(digits.get(..at).unwrap_or(digits))?;
    while let Some(group) = digits.get(at..at + 3) {
        out.write_str(",")?;
        out.write_str(group)?;
        at += 3;
    }
    Ok(())
}

/// A whole number with thousands separators, every digit as printed (no float on the way).
pub fn group_int(n: u64) -> String {
    let mut out = String::with_capacity(26);
    let _ = write_grouped(&mut out, itoa::Buffer::new().format(n));
    out
}

/// `v` rounded to `decimals` (where `group` truncates), "∞" or "n/a" when not finite:
/// for ratios and percentages, which are no QEMU output to reproduce.
pub fn rounded(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{:.*}", decimals, v)
    } else {
        group(v, decimals)
    }
}

/// A duration for people: ms, then seconds (1 decimal) from `seconds_from` ms, then minutes
/// (1 decimal) from `minutes_from` ms. Callers pick the thresholds their context reads best with.
pub fn human_duration(ms: f64, seconds_from: f64, minutes_from: f64) -> String {
    if ms >= minutes_from {
        format!("{} min", group(ms / 60_000.0, 1))
    } else if ms >= seconds_from {
        format!("{} s", group(ms / 1000.0, 1))
    } else {
        format!("{} ms", group(ms, 0))
    }
}

/// A bandwidth for people: "103 MiB/s".
pub fn human_rate(bw: BytesPerMs) -> String {
    format!("{}/s", human_bytes(Bytes(bw.to_bytes_per_sec().0)))
}

/// A limit or pause in whole ms, grouped and truncated as QEMU prints it ("4,500 ms").
pub fn grouped_ms(ms: Millis) -> String {
    format!("{} ms", group(ms.0, 0))
}

/// The engine's one duration formatter: ms below 10 s, then seconds, then minutes from 2 min.
pub fn human_ms(ms: Millis) -> String {
    human_duration(ms.0, 10_000.0, 120_000.0)
}

/// The binary prefix a size reads best with: the size in GiB, MiB or KiB and that unit, or
/// the bytes themselves and `None` below 1 KiB (callers spell bytes their own way).
pub fn binary_prefix(b: Bytes) -> (f64, Option<&'static str>) {
    let v = b.0;
    if v.abs() >= GIB {
        (v / GIB, Some("GiB"))
    } else if v.abs() >= MIB {
        (v / MIB, Some("MiB"))
    } else if v.abs() >= KIB {
        (v / KIB, Some("KiB"))
    } else {
        (v, None)
    }
}

/// Bytes with a binary prefix, 3 significant figures at most (e.g. "368 MiB", "4.02 GiB").
pub fn human_bytes(b: Bytes) -> String {
    let (x, unit) = binary_prefix(b);
    let decimals = if unit.is_none() || x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{} {}", group(x, decimals), unit.unwrap_or("B"))
}

/// `Display` as "<grouped number> <unit>", with the decimals that unit deserves.
macro_rules! display_with_unit {
    ($($t:ident: $decimals:expr, $unit:expr;)*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", group(self.0, $decimals), $unit)
            }
        }
    )*};
}
display_with_unit! {
    Bytes: 0, "bytes";
    KiB: 3, "KiB";
    Mbps: 5, "Mbit/s";
    MiBPerSec: 3, "MiB/s";
    BytesPerSec: 0, "bytes/s";
    BytesPerMs: 3, "bytes/ms";
    Millis: 2, "ms";
    PagesPerSec: 2, "pages/s";
}
impl fmt::Display for PageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", human_bytes(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `group` as it was before it wrote into one buffer: the new one must print the same.
    fn group_before(v: f64, decimals: usize) -> String {
        if !v.is_finite() {
            return if v.is_nan() { "n/a".into() } else { "∞".into() };
        }
        if v.fract() == 0.0 && v.abs() < 1.8e19 {
            let n = group_int_before(v.abs() as u64);
            return if v < 0.0 { format!("-{n}") } else { n };
        }
        let scale = 10f64.powi(decimals.min(12) as i32);
        let truncated = (v.abs() * scale * (1.0 + 1e-12)).trunc() / scale;
        if !truncated.is_finite() {
            return if v < 0.0 { "-∞".into() } else { "∞".into() };
        }
        let s = format!("{:.*}", decimals, truncated);
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
            None => (s.clone(), String::new()),
        };
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push('.');
            out.push_str(&frac);
        }
        if v < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.insert(0, '-');
        }
        out
    }

    fn group_int_before(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn group_prints_as_before_at_the_edges() {
        for v in [
            0.0,
            -0.0,
            0.29,
            -0.001,
            -0.5,
            1475.9454,
            -1475.9454,
            999.999,
            1e15,
            1.8e19,
            -1.8e19,
            1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            9223372036853727232.0,
        ] {
            for d in 0..14 {
                assert_eq!(group(v, d), group_before(v, d), "{v} {d}");
            }
        }
        for n in [0, 1, 9, 10, 999, 1000, 123_456_789, u64::MAX] {
            assert_eq!(group_int(n), group_int_before(n));
        }
    }

    proptest::proptest! {
        #[test]
        fn group_prints_as_before(v in proptest::num::f64::ANY, d in 0usize..14) {
            proptest::prop_assert_eq!(group(v, d), group_before(v, d));
            proptest::prop_assert_eq!(Grouped(v, d).to_string(), group_before(v, d));
        }

        #[test]
        fn group_of_whole_and_scaled_numbers_as_before(n in proptest::num::i64::ANY, shift in 0u32..20, d in 0usize..5) {
            let v = n as f64 / 10f64.powi(shift as i32);
            proptest::prop_assert_eq!(group(v, d), group_before(v, d));
            proptest::prop_assert_eq!(group_int(n.unsigned_abs()), group_int_before(n.unsigned_abs()));
        }
    }

    #[test]
    fn seed_bandwidth_is_mbps_times_125() {
        assert_eq!(Mbps(866.83).to_bytes_per_ms(), BytesPerMs(108_353.75));
    }

    #[test]
    fn kib_and_decimal_kb_differ_by_2_4_percent() {
        let exact = KiB(376_892.0).to_bytes();
        let decimal = DecimalKB(376_892.0).to_bytes();
        assert_eq!(exact, Bytes(385_937_408.0));
        assert_eq!(decimal, Bytes(376_892_000.0));
    }

    #[test]
    fn libvirt_unlimited_is_recognised() {
        assert!(BytesPerSec(LIBVIRT_UNLIMITED_BYTES_PER_SEC as f64).is_unlimited());
        assert!(!BytesPerSec(33_554_432.0).is_unlimited());
    }

    #[test]
    fn grouping_and_human_sizes() {
        assert_eq!(group(108_353.75, 3), "108,353.75");
        assert_eq!(group(-1234.5, 1), "-1,234.5");
        assert_eq!(group(0.0, 2), "0");
        assert_eq!(group(1475.9454, 2), "1,475.94");
        assert_eq!(group(0.29, 2), "0.29");
        assert_eq!(group(-0.001, 2), "0");
        assert_eq!(human_bytes(Bytes(368.0 * MIB)), "368 MiB");
        assert_eq!(human_bytes(Bytes(4.02 * GIB)), "4.02 GiB");
        // The prefix steps up at 1024 of the smaller unit; below 1 KiB the bytes come back bare.
        assert_eq!(binary_prefix(Bytes(1023.0)), (1023.0, None));
        assert_eq!(binary_prefix(Bytes(1024.0)), (1.0, Some("KiB")));
        assert_eq!(binary_prefix(Bytes(-2.0 * MIB)), (-2.0, Some("MiB")));
        assert_eq!(human_bytes(Bytes(1023.0)), "1,023 B");
        // Truncated as QEMU prints ms: 299.6 reads 299.
        assert_eq!(grouped_ms(Millis(4500.0)), "4,500 ms");
        assert_eq!(grouped_ms(Millis(299.6)), "299 ms");
        assert_eq!(PageSize(Bytes(16.0 * MIB)).target_pages(PageSize::TARGET_4K), 4096.0);
    }

    #[test]
    fn whole_numbers_keep_every_digit() {
        // libvirt's unlimited max-bandwidth; the float path showed 9,223,372,036,862,951,424.
        assert_eq!(group(9_223_372_036_853_727_232.0, 0), "9,223,372,036,853,727,232");
        assert_eq!(BytesPerSec(9_223_372_036_853_727_232.0).to_string(), "9,223,372,036,853,727,232 bytes/s");
        assert_eq!(group_int(18_446_744_073_709_551_612), "18,446,744,073,709,551,612");
        assert_eq!(group_int(0), "0");
        assert_eq!(group(-300.0, 2), "-300");
    }
}
