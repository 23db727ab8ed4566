//! Round a limit up to a value a person would type: two significant figures, in
//! half steps once the leading digit is 5 or more (4,452 -> 4,500; 8,765 -> 9,000;
//! 12,001 -> 13,000; 87 -> 90), never below the input.

/// Round `ms` up to a typeable value; at least 1 ms.
pub fn typeable_ms(ms: f64) -> f64 {
    if !(ms.is_finite()) || ms <= 1.0 {
        return 1.0;
    }
    let decade = 10f64.powf(ms.log10().floor());
    let half = if ms / decade >= 5.0 { 5.0 } else { 1.0 };
    let step = (decade / 10.0 * half).max(1.0);
    let r = (ms / step).ceil() * step;
    // Guard against float error putting r a hair below ms.
    if r < ms {
        r + step
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::typeable_ms;

    #[test]
    fn rounds_up_to_typeable_steps() {
        assert_eq!(typeable_ms(4452.3), 4500.0);
        assert_eq!(typeable_ms(8765.0), 9000.0);
        assert_eq!(typeable_ms(87.0), 90.0);
        assert_eq!(typeable_ms(250.0), 250.0);
        assert_eq!(typeable_ms(3561.8), 3600.0);
        assert_eq!(typeable_ms(12_001.0), 13_000.0);
        assert_eq!(typeable_ms(1_999_999.0), 2_000_000.0);
        assert_eq!(typeable_ms(0.0), 1.0);
        assert_eq!(typeable_ms(f64::NAN), 1.0);
        assert_eq!(typeable_ms(3.2), 4.0);
    }
}
