//! Round a limit up to a value a person would type: 2 significant figures in
//! half-decade steps (4,452 -> 4,500; 8,765 -> 9,000; 87 -> 90), never below the input.

/// Round `ms` up to a multiple of 5 x 10^(digits - 2); at least 1 ms.
pub fn typeable_ms(ms: f64) -> f64 {
    if !(ms.is_finite()) || ms <= 1.0 {
        return 1.0;
    }
    let exp = ms.log10().floor() - 1.0;
    let step = (5.0 * 10f64.powf(exp)).max(1.0);
    let r = (ms / step).ceil() * step;
    // Guard against float error putting r a hair below ms.
    if r < ms { r + step } else { r }
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
        assert_eq!(typeable_ms(3561.8), 4000.0);
        assert_eq!(typeable_ms(12_001.0), 12_500.0);
        assert_eq!(typeable_ms(0.0), 1.0);
        assert_eq!(typeable_ms(f64::NAN), 1.0);
        assert_eq!(typeable_ms(3.2), 4.0);
    }
}
