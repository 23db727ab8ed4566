//! The "where the guest runs" choices: the platform, and the page size that only
//! a POWER hash-MMU guest's dirty logging follows (reference section 5: KVM-HV
//! reports dirtiness per HPTE; x86 and POWER radix log at the base page size
//! whatever backs the RAM).

use crate::core::advice::hugepage::required_limit_vs_page_size;
use crate::core::units::{human_bytes, Bytes, BytesPerMs};
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

/// The page sizes offered: the engine's page-size table for this platform (the
/// sizes its chart compares), plus the current size when the table lacks it (so
/// the menu always shows what the analysis uses), each with what it typically is.
pub fn page_sizes(p: Option<Platform>, current: Bytes) -> Vec<(f64, String)> {
    let table = required_limit_vs_page_size(p, 0.0, BytesPerMs(0.0), None, current);
    let mut sizes: Vec<(f64, String)> = table.into_iter().map(|r| (r.page_bytes.0, r.label)).collect();
    if !sizes.iter().any(|(b, _)| (b - current.0).abs() < 0.5) {
        // The engine's table is ascending: the current size goes in at its place (as a
        // stable sort would put it, without a sort instance in the wasm).
        let at = sizes.iter().position(|(b, _)| *b > current.0).unwrap_or(sizes.len());
        sizes.insert(at, (current.0, human_bytes(current)));
    }
    sizes
        .into_iter()
        .map(|(bytes, label)| {
            let what = match label.as_str() {
                "4 KiB" => " (no hugepages)",
                "64 KiB" => " (POWER base pages)",
                "2 MiB" => " (x86/radix hugepages)",
                "16 MiB" => " (POWER hugepages)",
                "1 GiB" => " (x86/radix hugepages)",
                "16 GiB" => " (POWER hugepages)",
                _ => "",
            };
            (bytes, format!("{label}{what}"))
        })
        .collect()
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
        // The engine's HPTE sizes for a hash-MMU guest, with the seed's 16 MiB among them.
        let hash: Vec<String> =
            page_sizes(Some(Platform::PowerHash), Bytes(16.0 * 1048576.0)).into_iter().map(|(_, l)| l).collect();
        assert_eq!(hash, ["64 KiB (POWER base pages)", "16 MiB (POWER hugepages)", "16 GiB (POWER hugepages)"]);
        // A size the table lacks is still offered, so the menu shows what the analysis uses.
        let x86: Vec<f64> =
            page_sizes(Some(Platform::X86), Bytes(16.0 * 1048576.0)).into_iter().map(|(b, _)| b).collect();
        assert_eq!(x86, [4096.0, 2097152.0, 16777216.0, 1073741824.0]);
        // ... in its place at either end of the ascending list too.
        let sizes = |p, b: f64| -> Vec<f64> { page_sizes(p, Bytes(b)).into_iter().map(|(b, _)| b).collect() };
        assert_eq!(sizes(None, 4096.0), [4096.0, 65536.0, 16777216.0, 17179869184.0]);
        assert_eq!(
            sizes(Some(Platform::PowerRadix), 2.0 * 1073741824.0),
            [65536.0, 2097152.0, 1073741824.0, 2147483648.0]
        );
    }
}
