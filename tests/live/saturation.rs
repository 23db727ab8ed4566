//! (H10) A saturated rate is a lower bound: run B's guest (64 MiB/s of distinct pages over
//! 256 MiB) at max-bandwidth 65 MiB/s, the "more bandwidth" the old plan promised would let
//! 300 ms suffice. Watched alone (no --apply) for 30 s it does not converge, and watch says so.

use super::harness::*;
use converge::core::units::*;
use converge::watch::monitor::Monitor;
use std::time::Instant;

const CAP_65MIB: u64 = 65 * 1024 * 1024;

#[test]
#[ignore = "live: needs QEMU 10 and the guest from `make test-live`"]
fn saturated_guest_at_twice_the_bandwidth_still_does_not_converge() {
    let t0 = Instant::now();
    let pair = Pair::start("saturation", DIRTY_64MIB);
    let mut ctl = pair.migrate(CAP_65MIB, 300);
    let sock = pair.src.qmp.to_string_lossy().into_owned();
    let alone = converge(&["watch", "--qmp", &sock, "--duration", "30", "--interval", "1"]);
    let out = text(&alone);
    let m = query(&mut ctl, "query-migrate");
    let _ = ctl.execute("migrate_cancel", None);
    assert_eq!(m["status"], "active", "it converged at 65 MiB/s and 300 ms: {m}\n{out}");
    assert_eq!(alone.status.code(), Some(5), "stopped by --duration while still migrating:\n{out}");
    let verdict = out.lines().rev().find(|l| l.contains("verdict:")).unwrap_or_default().to_string();
    assert!(verdict.contains("never converges at 300 ms"), "{out}");
    // The printed rate followed the bandwidth up (32 -> ~64 MiB/s in run B): a lower bound.
    let pages = m.pointer("/ram/dirty-pages-rate").and_then(serde_json::Value::as_f64).unwrap_or(f64::NAN);
    let printed = PagesPerSec(pages).to_bytes_per_sec(PageSize::TARGET_4K).to_bytes_per_ms();
    let sent = Mbps(m.pointer("/ram/mbps").and_then(serde_json::Value::as_f64).unwrap_or(f64::NAN)).to_bytes_per_ms();
    let ratio = printed / sent;
    assert!(ratio >= 0.9, "printed {} vs sent {}: {m}", human_rate(printed), human_rate(sent));
    figure(&format!(
        "saturation qmp: max-bandwidth 65 MiB/s, 300 ms: still {} after 30 s; printed dirty rate {} = {ratio:.3}x the {} sent; sync count {}; test {:.0} s",
        m["status"],
        human_rate(printed),
        human_rate(sent),
        m.pointer("/ram/dirty-sync-count").cloned().unwrap_or_default(),
        t0.elapsed().as_secs_f64()
    ));
}
