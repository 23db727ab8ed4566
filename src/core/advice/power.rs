//! POWER8 -> POWER9 prerequisites for a hugepage-backed guest (guidance, medium
//! confidence: from QEMU's pseries capabilities and the hash/radix MMU split).

use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PowerPrereqs {
    pub items: Vec<String>,
    pub confidence: String,
}

/// Only for backing pages a POWER hash-MMU guest uses (64 KiB and 16 MiB).
pub fn prerequisites(backing: PageSize) -> Option<PowerPrereqs> {
    let b = backing.bytes().0;
    let is_16m = (b - 16.0 * MIB).abs() < 1.0;
    let is_64k = (b - 64.0 * KIB).abs() < 1.0;
    if !is_16m && !is_64k {
        return None;
    }
    let mut items = vec![
        "Run the guest in POWER8 compatibility on both hosts: -machine pseries,max-cpu-compat=power8 (libvirt: <cpu mode='host-model'/> on ppc64, or model power8), with the same machine type version on both.".to_string(),
    ];
    if is_16m {
        items.push("16 MiB pages exist only with the hash MMU: a POWER9 host in its default radix mode offers 2 MiB/1 GiB hugetlb pages, so the target host must boot with disable_radix and provide 16 MiB hugetlbfs backing.".into());
        items.push("Set cap-hpt-max-page-size=16M on both sides (libvirt: <hpt><maxpagesize unit='MiB'>16</maxpagesize></hpt>): a mismatch fails the migration when the destination loads the state.".into());
        items.push("The guest stays a hash-MMU guest on POWER9, so the 16 MiB dirty amplification continues after the migration.".into());
    } else {
        items.push(
            "Set the same cap-hpt-max-page-size (64K) on both sides: a mismatch fails the migration at load time."
                .into(),
        );
    }
    Some(PowerPrereqs {
        items,
        confidence: "medium: guidance from QEMU's pseries machine options, not a tested recipe".into(),
    })
}
