//! POWER8 -> POWER9 prerequisites for a hash-MMU guest with huge HPTEs (reference
//! section 6: QEMU hw/ppc/spapr_caps.c and the hash/radix MMU split). The plan's
//! confidence is the page's one scale; this list says in words what is read from
//! QEMU's source and what is guidance.

use crate::core::options::Platform;
use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PowerPrereqs {
    pub items: Vec<String>,
    /// What is verified and what is guidance, in words (no second confidence scale).
    pub basis: String,
    /// The platform was not given: the list holds only if this is a POWER hash-MMU guest.
    pub conditional: bool,
}

/// Only for a POWER hash-MMU guest (or an unstated platform, conditionally) whose HPTE
/// size is one a POWER8 guest uses (64 KiB or 16 MiB). x86 and radix guests get none.
pub fn prerequisites(platform: Option<Platform>, backing: PageSize) -> Option<PowerPrereqs> {
    if matches!(platform, Some(Platform::X86) | Some(Platform::PowerRadix)) {
        return None;
    }
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
        items.push("16 MiB HPTEs need RAM backing whose page size is at least 16 MiB on both sides: QEMU checks only that the smallest backing page is >= cap-hpt-max-page-size (hw/ppc/spapr_caps.c cap_hpt_maxpagesize_apply -> spapr_check_pagesize). The known-good route is a hash-MMU POWER9 host (booted with disable_radix) with 16 MiB hugetlbfs; whether KVM-HV accepts 16 MiB HPTEs on 1 GiB backing on a radix host is not verified.".into());
        items.push("Set cap-hpt-max-page-size=16M on both sides (libvirt: <hpt><maxpagesize unit='MiB'>16</maxpagesize></hpt>). From machine type pseries-3.0 the default is 64K, so 16M must be set explicitly; the cap travels in the migration stream only for machine types 4.1 and later (older ones are checked by KVM when the destination loads the HPT entries).".into());
        items.push("The guest stays a hash-MMU guest on POWER9, so the 16 MiB dirty amplification continues after the migration.".into());
    } else {
        items.push("Set the same cap-hpt-max-page-size (64K, the default from pseries-3.0) on both sides; it travels in the migration stream for machine types 4.1 and later.".into());
    }
    items.push("Commonly cited, not verified here: the same vsmt and cap-htm settings on both sides.".into());
    let conditional = platform.is_none();
    let basis = if is_16m {
        "the page-size check and the cap's default and migration are read from QEMU's source (hw/ppc/spapr_caps.c); the rest is guidance from QEMU's pseries machine options, not a tested recipe"
    } else {
        "the cap's default and migration are read from QEMU's source (hw/ppc/spapr_caps.c); the rest is guidance from QEMU's pseries machine options, not a tested recipe"
    };
    Some(PowerPrereqs {
        items,
        basis: if conditional {
            format!("if this is a POWER8 hash-MMU guest moving to POWER9; {basis}")
        } else {
            basis.to_string()
        },
        conditional,
    })
}
