//! Numbers for sentences: whole ms or 3 significant digits, MiB/GiB, MiB/s or
//! Gbit/s (issue 14 point 6). Full precision stays in the derivations.

use crate::core::units::*;

/// `x` cut to 3 significant digits, grouped: 3,561.8 -> "3,560", 1.4826 -> "1.48". Truncated like
/// `group` and QEMU's own output, so prose agrees with the derivations (152.5 MiB/s reads 152).
pub fn sig3(x: f64) -> String {
    if !x.is_finite() {
        return group(x, 0);
    }
    if x == 0.0 {
        return "0".into();
    }
    let digits = x.abs().log10().floor() as i32 + 1;
    let decimals = (3 - digits).clamp(0, 6) as usize;
    let scale = 10f64.powi(decimals as i32);
    if digits > 3 {
        let unit = 10f64.powi(digits - 3);
        return group((x / unit * (1.0 + 1e-12)).trunc() * unit, 0);
    }
    let _ = scale;
    group(x, decimals)
}

/// A limit as a person types it: whole ms, grouped ("4,500 ms").
pub fn limit(ms: Millis) -> String {
    grouped_ms(ms)
}

/// "1 pass", "14 passes".
pub fn passes(n: impl Into<u64>) -> String {
    let n = n.into();
    format!("{n} pass{}", if n == 1 { "" } else { "es" })
}

/// A duration in prose: whole ms below 1 s, then seconds or minutes to 3 significant digits.
pub fn duration(ms: Millis) -> String {
    let v = ms.0;
    if v < 1000.0 {
        format!("{} ms", group(v, 0))
    } else if v < 120_000.0 {
        format!("{} s", sig3(v / 1000.0))
    } else {
        format!("{} min", sig3(v / 60_000.0))
    }
}

/// A size with the prefix `human_bytes` picks, cut to 3 significant digits, "bytes" spelt
/// out ("368 MiB", "8 GiB", "512 bytes").
pub fn size(b: Bytes) -> String {
    let (x, unit) = binary_prefix(b);
    format!("{} {}", sig3(x), unit.unwrap_or("bytes"))
}

/// A migration or dirtying rate: MiB/s up to 1 GiB/s, Gbit/s (10^9 bit/s) above.
pub fn rate(r: BytesPerSec) -> String {
    if r.0 >= GIB {
        format!("{} Gbit/s", sig3(r.to_bytes_per_ms().to_mbps().0 / 1000.0))
    } else {
        format!("{} MiB/s", sig3(r.0 / MIB))
    }
}

/// A setting's bandwidth in MiB/s, as the commands carry it ("1,192 MiB/s").
pub fn mib_per_s(r: BytesPerSec) -> String {
    format!("{} MiB/s", group(r.0 / MIB, 2))
}

/// A factor, rounded to 3 significant digits as the advice rounds its ratios ("1.48x").
pub fn factor(x: f64) -> String {
    if !x.is_finite() || x <= 0.0 {
        return format!("{}x", sig3(x));
    }
    let digits = x.log10().floor() as i32 + 1;
    let scale = 10f64.powi(3 - digits);
    format!("{}x", sig3((x * scale).round() / scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_significant_digits_round() {
        assert_eq!(sig3(3561.82), "3,560");
        assert_eq!(sig3(1.4826), "1.48");
        assert_eq!(sig3(34.558), "34.5");
        assert_eq!(sig3(0.5), "0.5");
        assert_eq!(sig3(152.52), "152");
    }

    #[test]
    fn units_read_as_people_write_them() {
        assert_eq!(duration(Millis(3561.82)), "3.56 s");
        assert_eq!(duration(Millis(299.6)), "299 ms");
        assert_eq!(duration(Millis(34_558.09)), "34.5 s");
        assert_eq!(duration(Millis(150_000.0)), "2.5 min");
        assert_eq!(limit(Millis(4500.0)), "4,500 ms");
        assert_eq!(size(Bytes(385_937_408.0)), "368 MiB");
        assert_eq!(size(Bytes(512.0)), "512 bytes");
        assert_eq!(rate(BytesPerSec(108_353_750.0)), "103 MiB/s");
        assert_eq!(rate(BytesPerSec(1_250_000_000.0)), "10 Gbit/s");
        assert_eq!(factor(1.4826), "1.48x");
        assert_eq!(factor(1.4759), "1.48x");
    }
}
