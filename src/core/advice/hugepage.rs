//! Hugepage amplification. On a POWER hash-MMU host KVM reports dirtiness per
//! HPTE, so one write marks a whole backing page (16 MiB) dirty and QEMU resends
//! all of its 4 KiB target pages. The pending bytes then come in whole backing
//! pages: N huge pages touched per pass impose a floor of N x page size.

use super::inputs::ModelInputs;
use crate::core::units::*;
use serde::Serialize;

/// The backing page sizes the tool compares.
pub const PAGE_SIZES: [(f64, &str); 5] =
    [(4.0 * KIB, "4 KiB"), (64.0 * KIB, "64 KiB"), (2.0 * MIB, "2 MiB"), (16.0 * MIB, "16 MiB"), (GIB, "1 GiB")];

/// The floor and the limit it needs, for one backing page size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageSizeRow {
    pub page_bytes: f64,
    pub label: String,
    /// Target pages resent per dirtied backing page.
    pub amplification: f64,
    /// The same N touched spots, each in its own page of this size (capped at RAM).
    pub floor_bytes: f64,
    pub limit_needed_ms: f64,
    pub is_current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hugepage {
    pub backing_page_bytes: f64,
    pub target_page_bytes: f64,
    /// backing / target: 16 MiB / 4 KiB = 4096.
    pub amplification: f64,
    pub dirty_pages_rate: f64,
    /// Printed rate / amplification: backing pages touched per second, if every dirty
    /// target page comes from a whole dirtied backing page (HPT dirty tracking).
    pub backing_pages_per_s: f64,
    /// Pending after a sync, in backing pages.
    pub pending_backing_pages: f64,
    /// N: whole backing pages the pending stands for (rounded up).
    pub working_set_pages: f64,
    /// N x page size.
    pub floor_bytes: f64,
    /// The switchover threshold at the limit in force, in backing pages.
    pub threshold_backing_pages: f64,
    pub threshold_bytes: f64,
    pub by_page_size: Vec<PageSizeRow>,
    pub notes: Vec<String>,
}

/// Whole backing pages that `bytes` stands for: rounded up, but a sliver under 1 %
/// of a page (KiB truncation, device state) does not count as another page.
pub fn whole_pages(bytes: f64, page: f64) -> f64 {
    if !super::positive(bytes) || !super::positive(page) {
        return 0.0;
    }
    (bytes / page - 0.01).ceil().max(1.0)
}

/// The pending floor of a writable working set of `n` backing pages, and the limit it needs.
pub fn floor_for_working_set(n: f64, page_bytes: f64, threshold_bw: f64) -> (f64, f64) {
    let floor = n.max(0.0) * page_bytes.max(0.0);
    (floor, if threshold_bw > 0.0 { floor / threshold_bw } else { f64::INFINITY })
}

/// Limit needed for N touched spots with each page size (for charts and the table).
pub fn required_limit_vs_page_size(
    spots: f64,
    threshold_bw: f64,
    total_ram: Option<f64>,
    current: f64,
) -> Vec<PageSizeRow> {
    PAGE_SIZES
        .iter()
        .map(|&(size, label)| {
            let floor = (spots * size).min(total_ram.unwrap_or(f64::INFINITY));
            PageSizeRow {
                page_bytes: size,
                label: label.to_string(),
                amplification: size / (4.0 * KIB),
                floor_bytes: floor,
                limit_needed_ms: if threshold_bw > 0.0 { floor / threshold_bw } else { f64::INFINITY },
                is_current: (size - current).abs() < 1.0,
            }
        })
        .collect()
}

pub fn analyse(i: &ModelInputs) -> Option<Hugepage> {
    let page = i.backing_page_bytes;
    if !super::positive(page) || !super::positive(i.threshold_bandwidth_bytes_per_ms) {
        return None;
    }
    let amp = page / i.target_page_bytes.max(1.0);
    let pending_pages = i.pending_bytes / page;
    let n = whole_pages(i.pending_bytes, page);
    let threshold = i.threshold_bandwidth_bytes_per_ms * i.limit_ms;
    let size = human_bytes(Bytes(page));
    let amplified = amp > 1.0;
    let mut notes = if amplified {
        vec![
            format!(
                "With {size} backing pages one write dirties {size}: QEMU resends {} target pages of {} for it (amplification x{}).",
                group(amp, 0),
                human_bytes(Bytes(i.target_page_bytes)),
                group(amp, 0)
            ),
            format!(
                "The printed {} pages/s is then {} {size} pages touched per second: the guest's real writes can be that few.",
                group(i.dirty_pages_rate, 0),
                group(i.dirty_pages_rate / amp, 2)
            ),
        ]
    } else {
        vec![format!("With {size} backing pages dirty tracking is per target page: the printed {} pages/s are the pages touched per second, with no amplification.", group(i.dirty_pages_rate, 0))]
    };
    notes.extend([
        format!(
            "A writable working set of N {size} pages keeps at least N x {size} pending after every sync; the limit must exceed N x {size} / bandwidth. Here N = {} ({} pending), so the floor is {}; at {} ms the threshold is {} = {} pages.",
            group(n, 0),
            human_bytes(Bytes(i.pending_bytes)),
            human_bytes(Bytes(n * page)),
            group(i.limit_ms, 0),
            human_bytes(Bytes(threshold)),
            group(threshold / page, 2)
        ),
        "dirty pages rate counts a page once per sync period: a guest that rewrites the same pages is understated, by up to the number of rewrites per period.".to_string(),
    ]);
    if page <= i.target_page_bytes {
        notes.push("With 4 KiB backing there is no amplification: the table shows what the same touched spots would cost with larger pages.".into());
    } else {
        notes.push(format!(
            "The rows for smaller pages assume each touched {size} page holds a single written spot: the real floor with smaller pages lies between that row and the pending now."
        ));
    }
    Some(Hugepage {
        backing_page_bytes: page,
        target_page_bytes: i.target_page_bytes,
        amplification: amp,
        dirty_pages_rate: i.dirty_pages_rate,
        backing_pages_per_s: i.dirty_pages_rate / amp,
        pending_backing_pages: pending_pages,
        working_set_pages: n,
        floor_bytes: n * page,
        threshold_backing_pages: threshold / page,
        threshold_bytes: threshold,
        by_page_size: required_limit_vs_page_size(n, i.threshold_bandwidth_bytes_per_ms, i.total_ram_bytes, page),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_of_n_huge_pages() {
        // Two 16 MiB pages at the seed's 108,353.75 bytes/ms need more than 309.7 ms: above 300.
        let (floor, ms) = floor_for_working_set(2.0, 16.0 * MIB, 108_353.75);
        assert_eq!(floor, 32.0 * MIB);
        assert!((ms - 33_554_432.0 / 108_353.75).abs() < 1e-9 && ms > 300.0);
        assert_eq!(whole_pages(376_892.0 * 1024.0, 16.0 * MIB), 23.0);
        assert_eq!(whole_pages(0.0, 16.0 * MIB), 0.0);
    }
}
