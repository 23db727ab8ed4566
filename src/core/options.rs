//! What the analysis assumes beyond the paste: the values typed over the parsed ones,
//! the platform the guest runs on, the backing page size and the link speed. Its own
//! module so that the advice can read them without importing the orchestrator.

use super::units::*;
use serde::Serialize;

/// Where the guest runs: it decides whether KVM's dirty logging amplifies writes
/// (only the POWER hash MMU does, per HPTE; see advice/hugepage.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    /// x86 (any hugetlbfs backing) and TCG: dirty logging at 4 KiB.
    X86,
    /// POWER guest on the hash MMU (HPT) under KVM-HV: dirty per HPTE.
    PowerHash,
    /// POWER radix guest: dirty logging at the host page size (64 KiB usually).
    PowerRadix,
}

impl Platform {
    /// `x86`, `power-hash`, `power-radix` (the CLI's and the URL's spelling).
    pub fn from_name(s: &str) -> Option<Platform> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x86" | "x86_64" | "tcg" => Some(Platform::X86),
            "power-hash" | "hash" | "hpt" => Some(Platform::PowerHash),
            "power-radix" | "radix" => Some(Platform::PowerRadix),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Platform::X86 => "x86",
            Platform::PowerHash => "power-hash",
            Platform::PowerRadix => "power-radix",
        }
    }
}

/// Values the user typed over the parsed ones (the page's form, the CLI's flags).
/// They apply to the snapshot in focus; with no snapshot they make one.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Overrides {
    pub remaining_bytes: Option<f64>,
    pub throughput_mbps: Option<f64>,
    pub dirty_pages_rate: Option<f64>,
    pub expected_downtime_ms: Option<f64>,
    pub downtime_limit_ms: Option<f64>,
    pub max_bandwidth_bytes_per_s: Option<f64>,
    pub avail_switchover_bandwidth_bytes_per_s: Option<f64>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        *self == Overrides::default()
    }
}

/// What the analysis assumes beyond the paste.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Options {
    /// Backing page size of guest RAM (16 MiB for the POWER8 hash-MMU hugepage case).
    pub backing_page: PageSize,
    pub overrides: Overrides,
    /// The link's real speed (bytes/s), if the user knows it: the final copy runs at it
    /// because QEMU lifts max-bandwidth at switchover.
    pub link_bytes_per_s: Option<f64>,
    /// Where the guest runs, when the user said so; `None` keeps the platform story
    /// conditional ("if this is a POWER hash-MMU guest").
    pub platform: Option<Platform>,
    /// The libvirt domain (or VM) name, so printed commands are complete.
    pub domain: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            backing_page: PageSize(Bytes(16.0 * MIB)),
            overrides: Overrides::default(),
            link_bytes_per_s: None,
            platform: None,
            domain: None,
        }
    }
}
