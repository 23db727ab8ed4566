//! Exit statuses, documented in the README ("Exit codes"). Scripts branch on them.

/// The report understood something; `watch`: the migration completed.
pub const OK: i32 = 0;
/// Usage error (unknown flag, bad value, unreadable FILE).
pub const USAGE: i32 = 1;
/// The report understood nothing in the input.
pub const NOTHING_UNDERSTOOD: i32 = 2;
/// `watch`: the migration failed or was cancelled.
pub const MIGRATION_FAILED: i32 = 3;
/// `watch`: could not watch: socket missing or refused, no QMP greeting, an `error`
/// reply, the monitor closed (QEMU died), virsh failed, or no migration is running.
pub const FAULT: i32 = 4;
/// `watch`: stopped before the migration ended (Ctrl-C, or standard output closed).
pub const STOPPED: i32 = 5;
