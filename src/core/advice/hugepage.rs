//! Hugepage amplification, only where KVM has it. While migration logs dirty pages:
//! - x86 maps 4 KiB pages whatever backs the RAM (arch/x86/kvm/mmu/mmu.c
//!   kvm_mmu_hugepage_adjust returns early when dirty tracking is on); TCG logs 4 KiB
//!   target pages: x1.
//! - A POWER radix guest maps single host pages (book3s_64_mmu_radix.c
//!   kvmppc_book3s_instantiate_page: "If we're logging dirty pages, always map single
//!   pages"): the host PAGE_SIZE, 64 KiB on usual ppc64 kernels: x16.
//! - A POWER hash-MMU (HPT) guest is dirtied per HPTE (book3s_64_mmu_hv.c
//!   kvm_test_clear_dirty_npages, "can be more than 1 if we find a huge-page HPTE"): a
//!   write through a 16 MiB HPTE resends 4,096 target pages. Linux maps user memory with
//!   64 KiB HPTEs, so x4,096 is the upper bound and x16 the lower.
//!
//! There the pending bytes come in whole pages: N pages touched per pass impose a
//! floor of N x page size.

use super::inputs::ModelInputs;
use crate::core::options::Platform;
use crate::core::units::*;
use serde::Serialize;

/// The host page size KVM logs at on a POWER radix guest (usual ppc64 kernels).
pub const PPC64_HOST_PAGE: Bytes = Bytes(64.0 * KIB);
/// The 4 KiB pages x86 KVM logs at, and TCG's target pages.
const BASE_PAGE: Bytes = Bytes(4.0 * KIB);

/// The page sizes each platform's table compares (bytes, label).
fn page_sizes(platform: Option<Platform>) -> &'static [(f64, &'static str)] {
    match platform {
        Some(Platform::X86) => &[(4.0 * KIB, "4 KiB"), (2.0 * MIB, "2 MiB"), (GIB, "1 GiB")],
        Some(Platform::PowerRadix) => &[(64.0 * KIB, "64 KiB"), (2.0 * MIB, "2 MiB"), (GIB, "1 GiB")],
        // HPTE sizes of a hash-MMU guest.
        Some(Platform::PowerHash) | None => &[(64.0 * KIB, "64 KiB"), (16.0 * MIB, "16 MiB"), (16.0 * GIB, "16 GiB")],
    }
}

/// The bytes one write dirties during pre-copy with `page` backing (the HPTE size on
/// hash), on this platform; unstated is read as hash, and the story is then conditional.
pub fn dirty_granule(platform: Option<Platform>, page: Bytes) -> Bytes {
    match platform {
        Some(Platform::X86) => BASE_PAGE,
        Some(Platform::PowerRadix) => PPC64_HOST_PAGE,
        Some(Platform::PowerHash) | None => page.max(PPC64_HOST_PAGE),
    }
}

/// `rest` as a sentence, behind "If this is a POWER hash-MMU guest: " when the platform
/// was not given (capitalised either way).
pub fn conditional(platform: Option<Platform>, rest: &str) -> String {
    let cond = if_hash(platform);
    if cond.is_empty() {
        crate::core::writer::capitalised(rest)
    } else {
        format!("{cond}{rest}")
    }
}

/// "If this is a POWER hash-MMU guest: " when the platform was not given.
pub fn if_hash(platform: Option<Platform>) -> &'static str {
    if platform.is_none() {
        "If this is a POWER hash-MMU guest: "
    } else {
        ""
    }
}

/// The floor and the limit it needs, for one backing page size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageSizeRow {
    pub page_bytes: Bytes,
    pub label: String,
    /// Target pages resent per dirtied page of this size on this platform.
    pub amplification: f64,
    /// The same N touched spots, each in its own page of this size (capped at RAM).
    pub floor_bytes: Bytes,
    pub limit_needed_ms: Millis,
    pub is_current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hugepage {
    /// The platform given; None keeps the story conditional (read as a POWER hash-MMU guest).
    pub platform: Option<Platform>,
    /// True when the platform was not stated: every number here holds only "if this is a
    /// POWER hash-MMU guest" (the recommendation does not depend on it).
    pub conditional: bool,
    pub backing_page_bytes: Bytes,
    /// What one write dirties during pre-copy on this platform.
    pub granule_bytes: Bytes,
    pub target_page_bytes: Bytes,
    /// granule / target: 16 MiB HPTE / 4 KiB = 4096 (an upper bound on hash); 1 on x86.
    pub amplification: f64,
    /// The lower bound: user memory of a hash-MMU Linux guest uses 64 KiB HPTEs (x16).
    pub amplification_lower_bound: f64,
    pub dirty_pages_rate: PagesPerSec,
    /// Printed rate / amplification: granules touched per second, if every dirty target
    /// page comes from a whole dirtied granule.
    pub backing_pages_per_s: f64,
    /// Pending after a sync, in granules.
    pub pending_backing_pages: f64,
    /// N: whole granules the pending stands for (rounded up).
    pub working_set_pages: f64,
    /// N x granule.
    pub floor_bytes: Bytes,
    /// The switchover threshold at the limit in force, in granules.
    pub threshold_backing_pages: f64,
    /// Whole granules that fit under the threshold (QEMU's test is strict).
    pub whole_pages_under_threshold: f64,
    pub threshold_bytes: Bytes,
    pub by_page_size: Vec<PageSizeRow>,
    pub notes: Vec<String>,
}

/// Whole backing pages that `bytes` stands for: rounded up, but a sliver under 1 %
/// of a page (KiB truncation, device state) does not count as another page.
pub fn whole_pages(bytes: Bytes, page: Bytes) -> f64 {
    if !super::positive(bytes.0) || !super::positive(page.0) {
        return 0.0;
    }
    (bytes / page - 0.01).ceil().max(1.0)
}

/// Whole pages strictly under a threshold: n x page < threshold.
pub fn whole_pages_under(threshold: Bytes, page: Bytes) -> f64 {
    if !super::positive(threshold.0) || !super::positive(page.0) {
        return 0.0;
    }
    ((threshold / page).ceil() - 1.0).max(0.0)
}

/// Limit needed for N touched spots with each page size of the platform (for charts and the table).
pub fn required_limit_vs_page_size(
    platform: Option<Platform>,
    spots: f64,
    threshold_bw: BytesPerMs,
    total_ram: Option<Bytes>,
    current: Bytes,
) -> Vec<PageSizeRow> {
    page_sizes(platform)
        .iter()
        .map(|&(size, label)| {
            let granule = dirty_granule(platform, Bytes(size));
            let floor = (granule * spots).min(total_ram.unwrap_or(Bytes::INFINITE));
            PageSizeRow {
                page_bytes: Bytes(size),
                label: label.to_string(),
                amplification: granule / BASE_PAGE,
                floor_bytes: floor,
                limit_needed_ms: if threshold_bw.0 > 0.0 { floor / threshold_bw } else { Millis(f64::INFINITY) },
                is_current: (size - current.0).abs() < 1.0,
            }
        })
        .collect()
}

pub fn analyse(i: &ModelInputs) -> Option<Hugepage> {
    let page = i.backing_page_bytes;
    if !super::positive(page.0) || !super::positive(i.threshold_bandwidth_bytes_per_ms.0) {
        return None;
    }
    let granule = dirty_granule(i.platform, page);
    let target = i.target_page_bytes.max(Bytes(1.0));
    let amp = granule / target;
    let hash = matches!(i.platform, Some(Platform::PowerHash) | None);
    let amp_lo = if hash { PPC64_HOST_PAGE.min(granule) / target } else { amp };
    let pending_pages = i.pending_bytes / granule;
    let n = whole_pages(i.pending_bytes, granule);
    let threshold = i.threshold_bandwidth_bytes_per_ms * i.limit_ms;
    let fit = whole_pages_under(threshold, granule);
    let size = human_bytes(granule);
    let rate = i.dirty_pages_rate.0;
    // A rate QEMU printed wrong is not re-read as pages touched.
    let sound = i.dirty_rate_bug.is_none();
    let mut notes = match i.platform {
        Some(Platform::X86) => vec![format!(
            "x86 (and TCG): while migration logs dirty pages KVM maps guest RAM with 4 KiB pages whatever backs it, 2 MiB or 1 GiB hugetlbfs included (arch/x86/kvm/mmu/mmu.c kvm_mmu_hugepage_adjust): no amplification. {}the backing page size changes nothing during pre-copy.",
            if sound { format!("The printed {} pages/s are 4 KiB pages touched per second, and ", group(rate, 0)) } else { "So ".into() }
        )],
        Some(Platform::PowerRadix) => vec![format!(
            "POWER radix guest: while dirty logging is on KVM maps single host pages (book3s_64_mmu_radix.c kvmppc_book3s_instantiate_page), so a write dirties one host page, 64 KiB on usual ppc64 kernels: x16 over the 4 KiB target pages, whatever backs the RAM.{}",
            if sound { format!(" The printed {} pages/s are then {} host pages touched per second.", group(rate, 0), group(rate / amp, 2)) } else { String::new() }
        )],
        Some(Platform::PowerHash) | None => vec![
            conditional(i.platform, &format!(
                "KVM reports dirtiness per HPTE (book3s_64_mmu_hv.c kvm_test_clear_dirty_npages), so one write through a {size} HPTE dirties {size} and QEMU resends {} target pages of {} (x{}). Linux maps its kernel linear map with 16 MiB HPTEs but user memory usually with 64 KiB ones: x{} is the upper bound, x{} the lower.",
                group(amp, 0),
                human_bytes(target),
                group(amp, 0),
                group(amp, 0),
                group(amp_lo, 0)
            )),
            conditional(i.platform, &format!(
                "the printed {} pages/s is then as few as {} {size} pages touched per second.",
                group(rate, 0),
                group(rate / amp, 2)
            )),
        ]
        .into_iter()
        .take(if sound { 2 } else { 1 })
        .collect(),
    };
    if i.platform.is_none() {
        notes.push("The platform was not given: on x86, TCG or a POWER radix guest none of this holds (x1, or x16 with 64 KiB host pages). The recommended limit does not depend on it: the measured rate and pending already include any amplification.".into());
    }
    if granule > target {
        notes.push(conditional(i.platform, &format!(
            "a writable working set of N {size} pages keeps at least N x {size} pending after every sync; the limit must exceed N x {size} / bandwidth. Here N = {} ({} pending), so the floor is {}; at {} ms the threshold is {} = {} pages: at most {} whole {size} page fit{} under it.",
            group(n, 0),
            human_bytes(i.pending_bytes),
            human_bytes(granule * n),
            group(i.limit_ms.0, 0),
            human_bytes(threshold),
            group(threshold / granule, 2),
            group(fit, 0),
            if fit == 1.0 { "s" } else { "" }
        )));
    }
    if hash && granule.0 >= 16.0 * MIB && fit < 2.0 {
        notes.push(conditional(i.platform, &format!("such a guest need not converge even when idle: the seed's 2019 write-up reports a 16 MiB-hugepage POWER8 guest that did not converge at 300 ms with nothing running; here two {size} pages touched per pass already keep it iterating.")));
    }
    if hash {
        notes.push(conditional(i.platform, &format!(
            "the rows assume each touched {size} page holds a single written spot: the real floor with smaller HPTEs lies between that row and the pending now."
        )));
    }
    Some(Hugepage {
        platform: i.platform,
        conditional: i.platform.is_none(),
        backing_page_bytes: page,
        granule_bytes: granule,
        target_page_bytes: i.target_page_bytes,
        amplification: amp,
        amplification_lower_bound: amp_lo,
        dirty_pages_rate: i.dirty_pages_rate,
        backing_pages_per_s: rate / amp,
        pending_backing_pages: pending_pages,
        working_set_pages: n,
        floor_bytes: granule * n,
        threshold_backing_pages: threshold / granule,
        whole_pages_under_threshold: fit,
        threshold_bytes: threshold,
        by_page_size: required_limit_vs_page_size(
            i.platform,
            n,
            i.threshold_bandwidth_bytes_per_ms,
            i.total_ram_bytes,
            page,
        ),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_of_n_huge_pages() {
        // Two 16 MiB pages at the seed's 108,353.75 bytes/ms need more than 309.7 ms: above 300.
        let rows = required_limit_vs_page_size(
            Some(Platform::PowerHash),
            2.0,
            BytesPerMs(108_353.75),
            None,
            Bytes(16.0 * MIB),
        );
        let row = rows.iter().find(|r| r.is_current).expect("16 MiB row");
        assert_eq!(row.floor_bytes, Bytes(32.0 * MIB));
        let need = row.limit_needed_ms.0;
        assert!((need - 33_554_432.0 / 108_353.75).abs() < 1e-9 && need > 300.0);
        let huge = Bytes(16.0 * MIB);
        assert_eq!(whole_pages(KiB(376_892.0).to_bytes(), huge), 23.0);
        assert_eq!(whole_pages(Bytes(0.0), huge), 0.0);
        // 300 ms at the seed's bandwidth: 32,506,125 bytes = 1.94 pages: one whole 16 MiB page fits.
        assert_eq!(whole_pages_under(BytesPerMs(108_353.75) * Millis(300.0), huge), 1.0);
        assert_eq!(whole_pages_under(huge * 2.0, huge), 1.0, "strict: two pages do not fit in two");
    }

    #[test]
    fn only_hash_amplifies() {
        assert_eq!(dirty_granule(Some(Platform::X86), Bytes(GIB)), Bytes(4.0 * KIB));
        assert_eq!(dirty_granule(Some(Platform::PowerRadix), Bytes(2.0 * MIB)), Bytes(64.0 * KIB));
        assert_eq!(dirty_granule(Some(Platform::PowerHash), Bytes(16.0 * MIB)), Bytes(16.0 * MIB));
        assert_eq!(dirty_granule(Some(Platform::PowerHash), Bytes(4.0 * KIB)), Bytes(64.0 * KIB));
    }
}
