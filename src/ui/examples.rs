//! Example pastes, embedded at build time: the user's seed and real captures.

/// The seed write-up's paste: `info migrate_parameters` and `info migrate` from a
/// 16M-hugepage POWER8 guest on a QEMU 2.12-era monitor.
pub const SEED: &str = include_str!("../../tests/data/corpus/seed/as_pasted.txt");
