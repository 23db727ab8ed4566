//! Example pastes, embedded at build time: the user's seed and real captures from
//! tests/data/corpus (byte for byte; only `(qemu)` command echoes are added between
//! files, as a terminal shows them). Generated once from the corpus index; edit freely.
//! Native, so tests/examples.rs pins each one's full report as a snapshot.

use crate::core::units::{Bytes, PageSize, KIB, MIB};
use crate::core::{Options, Platform};

pub struct Example {
    /// Stable id (used in the URL and the tests).
    pub key: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Backing page size of the guest's RAM, which no output shows: 16 MiB for the
    /// seed's POWER8 hugepages, 4 KiB for the corpus's x86 TCG guests.
    pub backing: PageSize,
    /// Where the guest ran, which no output shows either: the seed is a POWER8
    /// hash-MMU guest, the corpus was captured from x86 TCG guests.
    pub platform: Option<Platform>,
    pub text: &'static str,
}

/// The seed write-up's paste: `info migrate_parameters` and `info migrate` from a
/// 16M-hugepage POWER8 guest on a QEMU 2.12-era monitor.
pub const SEED: &str = include_str!("../../tests/data/corpus/seed/as_pasted.txt");

pub const EXAMPLES: &[Example] = &[
    Example {
        key: "seed",
        title: "Seed: POWER8, 16M hugepages, QEMU 2.12-era HMP",
        description: "The user's paste: info migrate_parameters and info migrate from a guest that never converges.",
        backing: PageSize(Bytes(16.0 * MIB)),
        platform: Some(Platform::PowerHash),
        text: concat!(
    include_str!("../../tests/data/corpus/seed/as_pasted.txt"),
        ),
    },
    Example {
        key: "converging",
        title: "Converging: idle guest, QEMU 10.0.2 HMP",
        description: "Real capture: an idle 512 MiB guest; QEMU echoes the 300 ms limit as expected downtime until it has a dirty rate, then completes with 5 ms downtime.",
        backing: PageSize(Bytes(4.0 * KIB)),
        platform: Some(Platform::X86),
        text: concat!(
    "(qemu) info migrate_parameters\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-A/before/hmp_info_migrate_parameters.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-A/snapshots/0020_t+010.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-A/after/hmp_info_migrate_final.txt"),
        ),
    },
    Example {
        key: "never",
        title: "Never converging: 64 MiB/s of dirtying at 32 MiB/s, QEMU 7.2.22 HMP series",
        description: "Real capture: a guest dirtying distinct pages faster than the capped link sends them; a series of info migrate outputs every 3 s.",
        backing: PageSize(Bytes(4.0 * KIB)),
        platform: Some(Platform::X86),
        text: concat!(
    "(qemu) info migrate_parameters\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/before/hmp_info_migrate_parameters.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0020_t+010.001_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0026_t+013.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0032_t+016.001_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0038_t+019.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0044_t+022.001_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0050_t+025.001_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0056_t+028.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0062_t+031.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0068_t+034.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0074_t+037.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0080_t+040.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/7.2.22-B/snapshots/0086_t+043.001_hmp.txt"),
        ),
    },
    Example {
        key: "autoconverge",
        title: "Auto-converge: throttled until it fits, QEMU 10.0.2 HMP series",
        description: "Real capture: the same guest with auto-converge on; the vCPU throttle climbs until the remainder fits the 300 ms limit.",
        backing: PageSize(Bytes(4.0 * KIB)),
        platform: Some(Platform::X86),
        text: concat!(
    "(qemu) info migrate_capabilities\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/before/hmp_info_migrate_capabilities.txt"),
    "(qemu) info migrate_parameters\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/before/hmp_info_migrate_parameters.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0020_t+010.001_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0032_t+016.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0044_t+022.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0056_t+028.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0068_t+034.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0080_t+040.006_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0092_t+046.001_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0104_t+052.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0116_t+058.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0128_t+064.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0140_t+070.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0152_t+076.001_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0164_t+082.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/snapshots/0176_t+088.002_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-D/after/hmp_info_migrate_final.txt"),
        ),
    },
    Example {
        key: "qmp",
        title: "QMP query-migrate, QEMU 10.0.2",
        description: "Real capture: query-migrate-parameters and query-migrate replies (bytes, mbps) from the never-converging guest.",
        backing: PageSize(Bytes(4.0 * KIB)),
        platform: Some(Platform::X86),
        text: concat!(
    include_str!("../../tests/data/corpus/runs/10.0.2-B/before/qmp_query-migrate-parameters.json"),
    "\n",
    include_str!("../../tests/data/corpus/runs/10.0.2-B/snapshots/0026_t+013.002_qmp.json"),
        ),
    },
    Example {
        key: "hmp101",
        title: "QEMU 10.1+ layout (10.2.2 HMP)",
        description: "Real capture: the reorganised info migrate with sizes rounded to 3 significant digits.",
        backing: PageSize(Bytes(4.0 * KIB)),
        platform: Some(Platform::X86),
        text: concat!(
    "(qemu) info migrate_parameters\n",
    include_str!("../../tests/data/corpus/runs/10.2.2-B/before/hmp_info_migrate_parameters.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.2.2-B/snapshots/0027_t+013.502_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.2.2-B/snapshots/0033_t+016.502_hmp.txt"),
    "(qemu) info migrate\n",
    include_str!("../../tests/data/corpus/runs/10.2.2-B/snapshots/0039_t+019.502_hmp.txt"),
        ),
    },
    Example {
        key: "virsh",
        title: "libvirt virsh domjobinfo (libvirt 9.0, QEMU 10.0.2)",
        description: "Real capture: domjobinfo of the never-converging guest (MiB, MiB/s).",
        backing: PageSize(Bytes(4.0 * KIB)),
        platform: Some(Platform::X86),
        text: concat!(
    "# virsh domjobinfo mig02\n",
    include_str!("../../tests/data/corpus/virsh/02-dirty-32MiBps-abort/poll/0030_t+015.000_src_domjobinfo.txt"),
        ),
    },
];

pub fn find(key: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.key == key)
}

impl Example {
    /// What the page analyses this example with (no form edits, no link speed).
    pub fn options(&self) -> Options {
        Options { backing_page: self.backing, platform: self.platform, ..Options::default() }
    }
}
