//! The "where the guest runs" choices: the platform, and the page size that only
//! a POWER hash-MMU guest's dirty logging follows (reference section 5: KVM-HV
//! reports dirtiness per HPTE; x86 and POWER radix log at the base page size
//! whatever backs the RAM).

use crate::core::advice::hugepage::PAGE_SIZES;
use crate::core::Platform;

/// The menu: (value in the select and the URL, what it says). "" is not stated.
pub const PLATFORMS: [(Option<Platform>, &str); 4] = [
    (None, "Not stated"),
    (Some(Platform::X86), "x86 (KVM or TCG)"),
    (Some(Platform::PowerHash), "POWER, hash MMU (HPT)"),
    (Some(Platform::PowerRadix), "POWER, radix MMU"),
];

pub fn select_value(p: Option<Platform>) -> &'static str {
    p.map(Platform::name).unwrap_or("")
}

/// Whether the page size choice changes anything: on a POWER hash-MMU guest it is
/// the HPTE size; not stated, the page tells the hash-MMU story as a condition on it.
pub fn page_size_applies(p: Option<Platform>) -> bool {
    matches!(p, None | Some(Platform::PowerHash))
}

/// What the page size field says under it.
pub fn page_size_note(p: Option<Platform>) -> &'static str {
    match p {
        Some(Platform::PowerHash) => "not in any QEMU output: the largest HPTE, 16 MiB on POWER8 hugepages",
        None => "not in any QEMU output: used only if this is a POWER hash-MMU guest",
        Some(Platform::X86) => "not used: KVM on x86 logs dirty pages at 4 KiB whatever backs the RAM",
        Some(Platform::PowerRadix) => "not used: a radix guest is logged at the host page size (64 KiB usually)",
    }
}

/// The page sizes offered (the engine's table) with what each is typically.
pub fn page_sizes() -> impl Iterator<Item = (f64, String)> {
    PAGE_SIZES.iter().map(|&(bytes, label)| {
        let what = match label {
            "4 KiB" => " (no hugepages)",
            "64 KiB" => " (POWER base pages)",
            "2 MiB" => " (x86 / radix hugepages)",
            "16 MiB" => " (POWER hash-MMU hugepages)",
            _ => " hugepages",
        };
        (bytes, format!("{label}{what}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_round_trips_through_the_menu() {
        for (p, _) in PLATFORMS {
            assert_eq!(Platform::from_name(select_value(p)), p);
        }
    }

    #[test]
    fn the_page_size_matters_only_where_dirty_logging_follows_it() {
        assert!(page_size_applies(Some(Platform::PowerHash)) && page_size_applies(None));
        assert!(!page_size_applies(Some(Platform::X86)) && !page_size_applies(Some(Platform::PowerRadix)));
        let sizes: Vec<String> = page_sizes().map(|(_, l)| l).collect();
        assert!(sizes.contains(&"16 MiB (POWER hash-MMU hugepages)".to_string()), "{sizes:?}");
    }
}
