//! The expected-downtime formulas of QEMU's history, each returned as a
//! Derivation with the pasted numbers substituted, plus the inference of which
//! one the pasted QEMU printed and the switchover test.

use super::derivation::{Derivation, FormulaId, Quantity};
use super::flagged::{bug_sentence, cannot_compute, Counter};
use super::inference::{
    avail_unknown, covers_remaining, echoes_limit, expected_bandwidth, pending_given, printed_by, rate_counts,
    PendingSource, PrintedBy, RateCounts, AVAIL_UNKNOWN,
};
use super::model::{Field, Paste, Precision, Snapshot, Throughput};
use super::units::*;
use serde::Serialize;

/// Whether a derivation writes out its steps and notes, or only computes the result
/// (the snapshots of a long series that are not in focus).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Explain,
    NumbersOnly,
}

/// The bandwidth step every formula starts from: printed unit -> bytes/ms.
fn bandwidth_step(d: &mut Derivation, s: &Snapshot) -> Option<BytesPerMs> {
    let t = s.throughput.as_ref()?;
    let bw = t.value.to_bytes_per_ms();
    let expr = || match t.value {
        Throughput::Mbps(m) => format!("{} x 125 (10^6 bit/s / 8 bit/byte / 1000 ms/s)", m),
        Throughput::MiBPerSec(m) => format!("{} x 1,048,576 bytes/MiB / 1000 ms/s", m),
    };
    d.step(
        "Bandwidth in QEMU's internal unit, bytes per millisecond",
        expr,
        Quantity::new(bw.0, "bytes/ms"),
        Some(t.source.line),
    );
    Some(bw)
}

fn no_bandwidth(d: Derivation, s: &Snapshot, name: &str) -> Derivation {
    d.missing(cannot_compute(s, Counter::Throughput, name, || {
        format!("no throughput line: {name} needs the bandwidth")
    }))
}

/// `name` lacks `c`: the counter bug by name when QEMU printed an impossible value, else `otherwise`.
fn lacks(d: Derivation, s: &Snapshot, c: Counter, name: &str, otherwise: &str) -> Derivation {
    d.missing(cannot_compute(s, c, name, || otherwise.to_string()))
}

/// `remaining` in bytes, with the conversion shown when it was printed in KiB or IEC units.
fn remaining_step(d: &mut Derivation, r: &Field<Bytes>) -> Bytes {
    let unit = r.source.unit.as_str();
    let factor = match unit {
        "KiB" => KIB,
        "MiB" => MIB,
        "GiB" => GIB,
        "TiB" => TIB,
        _ => 1.0,
    };
    let expr = || match unit {
        "kbytes" => format!("{} kbytes x 1,024 (QEMU prints bytes >> 10: kbytes are KiB)", group(r.value.0 / KIB, 0)),
        _ if factor > 1.0 => format!("{} {unit} x {} bytes/{unit}", group(r.value.0 / factor, 3), group(factor, 0)),
        _ => format!("{} as reported (exact bytes)", r.value),
    };
    d.step("Remaining RAM in bytes", expr, Quantity::new(r.value.0, "bytes"), Some(r.source.line));
    if let (Precision::Rounded { lo, hi }, Some(pct)) = (r.precision, r.precision.rounding_pct(r.value.0.max(1.0))) {
        d.note(|| format!(
            "The printed size is rounded ({}): remaining lies between {} and {} bytes, so every result from it carries up to ±{} %.",
            r.source.raw.trim(),
            group(lo, 0),
            group(hi, 0),
            if pct >= 0.1 { group(pct, 1) } else { group(pct, 4) }
        ));
    }
    r.value
}

/// Dirty bytes per second = dirty pages rate x target page size.
fn dirty_rate_step(d: &mut Derivation, s: &Snapshot) -> Option<BytesPerSec> {
    let rate = s.dirty_pages_rate.as_ref()?;
    let page = s.target_page();
    let bps = rate.value.to_bytes_per_sec(page);
    d.step(
        "Dirty rate in bytes per second (dirty pages rate counts target pages)",
        || format!("{} x {}", rate.value, page.bytes()),
        Quantity::new(bps.0, "bytes/s"),
        Some(rate.source.line),
    );
    Some(bps)
}

/// F1, QEMU 2.10-2.12: dirty pages rate x page size / bandwidth.
pub fn f1(s: &Snapshot, detail: Detail) -> Derivation {
    let mut d = Derivation::new(FormulaId::F1, "Formula 1: dirty pages rate x page size / bandwidth", "QEMU 2.10-2.12");
    d.explain = detail == Detail::Explain;
    let Some(bw) = bandwidth_step(&mut d, s) else { return no_bandwidth(d, s, "formula 1") };
    let Some(dirty) = dirty_rate_step(&mut d, s) else {
        let why = "no dirty pages rate: formula 1 needs it (QEMU prints it only once a rate has been measured)";
        return lacks(d, s, Counter::DirtyRate, "formula 1", why);
    };
    if bw.0 <= 0.0 {
        return d.missing("bandwidth is 0: nothing has been sent yet in the last window");
    }
    let v = dirty / bw;
    d.step("Divide by the bandwidth", || format!("{} / {}", BytesPerSec(dirty.0), bw), Quantity::new(v, "ms"), None);
    d.result = Some(Quantity::new(v, "ms"));
    d.note("Dimensionally this is \"ms of sending per second of dirtying\": it ignores how much is left to send, so it is not the time to send the remainder.");
    d
}

/// The bandwidth and remaining steps formulas 2 and 3 open with; `Err` is the derivation
/// finished with what the snapshot lacks (boxed: only the rare path pays for its size).
fn bandwidth_and_remaining(
    mut d: Derivation,
    s: &Snapshot,
    name: &str,
) -> Result<(Derivation, BytesPerMs, Bytes), Box<Derivation>> {
    let Some(bw) = bandwidth_step(&mut d, s) else { return Err(Box::new(no_bandwidth(d, s, name))) };
    let Some(r) = s.remaining.as_ref() else {
        let why = format!("no remaining ram line: {name} needs what is left to send");
        return Err(Box::new(lacks(d, s, Counter::Remaining, name, &why)));
    };
    let rem = remaining_step(&mut d, r);
    Ok((d, bw, rem))
}

/// F2, QEMU 3.0+: remaining / bandwidth, KiB-exact.
pub fn f2(s: &Snapshot, detail: Detail) -> Derivation {
    // Cited by subject and thread: the commit hash quoted earlier could not be confirmed.
    let mut d = Derivation::new(
        FormulaId::F2,
        "Formula 2: remaining / bandwidth",
        "QEMU 3.0+ (\"migration: calculate expected_downtime with ram_bytes_remaining()\", qemu-devel 2018-04)",
    );
    d.explain = detail == Detail::Explain;
    let (mut d, bw, rem) = match bandwidth_and_remaining(d, s, "formula 2") {
        Ok(steps) => steps,
        Err(done) => return *done,
    };
    if bw.0 <= 0.0 {
        return d.missing("bandwidth is 0: nothing has been sent yet in the last window");
    }
    let v = rem / bw;
    d.step("Divide by the bandwidth", || format!("{} / {}", rem, bw), Quantity::new(v.0, "ms"), None);
    d.result = Some(Quantity::new(v.0, "ms"));
    if let Some(dec) = f2_decimal(s).filter(|_| rem.0 > 0.0) {
        d.note(|| format!(
            "Reading kbytes as 1000 bytes gives {} / {} = {} ms, {:.1} % low. QEMU prints remaining >> 10, so 1 kbyte = 1024 bytes and {} ms is the unit-exact value.",
            group(DecimalKB(rem.0 / KIB).to_bytes().0, 0),
            bw,
            group(dec, 2),
            (1.0 - dec / v.0) * 100.0,
            group(v.0, 2)
        ));
    }
    d.note("QEMU 3.0+ divides the bytes dirty at the last bitmap sync, not the live remaining shown here: the printed value stays flat for a whole pass while remaining drains, so it is 1x to many times this.");
    d
}

/// F2 with kbytes taken as 1000 bytes: the seed document's reading. Only for `kbytes` output.
pub fn f2_decimal(s: &Snapshot) -> Option<f64> {
    let r = s.remaining.as_ref()?;
    if r.source.unit != "kbytes" {
        return None;
    }
    let bw = s.bandwidth()?;
    if bw.0 <= 0.0 {
        return None;
    }
    let kb = DecimalKB(r.value.0 / KIB);
    Some((kb.to_bytes() / bw).0)
}

/// F3, the January 2019 proposal: (remaining + dirty bytes rate x remaining/bw) / bw.
pub fn f3(s: &Snapshot, detail: Detail) -> Derivation {
    let mut d = Derivation::new(
        FormulaId::F3,
        "Formula 3: (remaining + bytes re-dirtied while sending it) / bandwidth",
        "2019 proposal (qemu-devel 2019-01, not merged)",
    );
    d.explain = detail == Detail::Explain;
    let (mut d, bw, rem) = match bandwidth_and_remaining(d, s, "formula 3") {
        Ok(steps) => steps,
        Err(done) => return *done,
    };
    let Some(dirty) = dirty_rate_step(&mut d, s) else {
        let why = "no dirty pages rate: formula 3 needs it to estimate what is re-dirtied";
        return lacks(d, s, Counter::DirtyRate, "formula 3", why);
    };
    if bw.0 <= 0.0 {
        return d.missing("bandwidth is 0: nothing has been sent yet in the last window");
    }
    let t = rem / bw;
    d.step("Time to send the remainder", || format!("{} / {}", rem, bw), Quantity::new(t.0, "ms"), None);
    let redirty = dirty * t;
    d.step("Bytes re-dirtied in that time", || format!("{} x {}", dirty, t), Quantity::new(redirty.0, "bytes"), None);
    let total = rem + redirty;
    d.step("Next pass would have to send", || format!("{} + {}", rem, redirty), Quantity::new(total.0, "bytes"), None);
    let v = total / bw;
    d.step("Divide by the bandwidth", || format!("{} / {}", total, bw), Quantity::new(v.0, "ms"), None);
    d.result = Some(Quantity::new(v.0, "ms"));
    d.note("This estimates the next pass, not the downtime: QEMU's reviewers kept formula 2 because expected downtime means \"how long the guest is down if we stop it now\", and a stopped guest dirties nothing (qemu-devel 2019-01, msg06100).");
    d
}

/// Today's QEMU (8.2+): dirty bytes at the last sync / expected bandwidth.
/// From a snapshot, the last-sync bytes are back-solved from the printed estimate.
pub fn today(s: &Snapshot, paste: &Paste, detail: Detail) -> Derivation {
    let mut d = Derivation::new(
        FormulaId::Today,
        "Today's QEMU: dirty bytes at the last sync / expected bandwidth",
        "QEMU 8.2+ (3.0-8.1 the same with the measured bandwidth)",
    );
    d.explain = detail == Detail::Explain;
    let Some(bw) = bandwidth_step(&mut d, s) else { return no_bandwidth(d, s, "today's formula") };
    let Some(e) = s.expected_downtime.as_ref() else {
        let why = "no expected downtime printed (QEMU prints it only while active): nothing to back-solve";
        return lacks(d, s, Counter::ExpectedDowntime, "today's formula", why);
    };
    if echoes_limit(s, paste) {
        return d.missing(format!(
            "QEMU has not computed an estimate from a measured dirty rate yet, so it prints the downtime-limit ({}) as expected downtime: the last-sync bytes cannot be back-solved from it",
            e.value
        ));
    }
    let (ebw, why) = expected_bandwidth(s, paste).unwrap_or((bw, "measured bandwidth"));
    if ebw != bw {
        d.step(
            "Expected bandwidth (QEMU 8.2+: avail-switchover-bandwidth replaces the measured one)",
            || format!("avail-switchover-bandwidth {} / 1000", ebw.to_bytes_per_sec()),
            Quantity::new(ebw.0, "bytes/ms"),
            paste.parameters.avail_switchover_bandwidth.as_ref().map(|f| f.source.line),
        );
    }
    let back_solved = ebw * e.value;
    let rem = s.remaining.as_ref();
    if let Some(b) = bug_sentence(s, Counter::Remaining).filter(|_| rem.is_none()) {
        d.note(|| format!("{b}: the back-solve is not checked against the live remaining."));
    }
    let covers = covers_remaining(s, paste, e.value);
    let last_sync = match (covers, rem) {
        (false, Some(r)) => {
            // Formula 1 era: the printed value is not bytes / bandwidth. The bytes dirty at the
            // last sync are at least the live remaining, so today's QEMU would print at least this.
            remaining_step(&mut d, r);
            d.note(|| format!(
                "Expected downtime x {why} = {} is below the live remaining: this QEMU did not print last-sync bytes / {why}, so today's value can only be bounded from below by the live remaining.",
                back_solved
            ));
            r.value
        }
        _ => {
            d.step(
                || format!("Back-solve the bytes dirty at the last bitmap sync: expected downtime x {why}"),
                || format!("{} x {}", e.value, ebw),
                Quantity::new(back_solved.0, "bytes"),
                Some(e.source.line),
            );
            if let Some(r) = rem {
                d.step(
                    "Check: at least the live remaining (remaining only shrinks during a pass)",
                    || format!("{} >= {}", back_solved, r.value),
                    Quantity::new(back_solved.0 / r.value.0.max(1.0), "x remaining"),
                    Some(r.source.line),
                );
            }
            back_solved
        }
    };
    if avail_unknown(s, paste) {
        d.note(AVAIL_UNKNOWN);
    }
    let v = last_sync / ebw;
    d.step(|| format!("Divide by the {why}"), || format!("{} / {}", last_sync, ebw), Quantity::new(v.0, "ms"), None);
    d.result = Some(Quantity::new(v.0, "ms"));
    if !covers {
        d.note("A lower bound: today's QEMU would print at least this.");
    }
    d
}

/// The switchover derivation and its verdict: Some(true) when pending < threshold
/// (QEMU's strict test), None when the paste lacks a number it needs.
fn switchover_verdict(
    s: &Snapshot,
    paste: &Paste,
    printed: Option<&PrintedBy>,
    detail: Detail,
) -> (Derivation, Option<bool>) {
    let mut d = Derivation::new(
        FormulaId::Switchover,
        "Switchover test: pending bytes < expected bandwidth x downtime-limit",
        "QEMU 3.0+ (migration_iteration_run)",
    );
    d.explain = detail == Detail::Explain;
    let Some(bw) = bandwidth_step(&mut d, s) else { return (no_bandwidth(d, s, "the switchover test"), None) };
    let (ebw, _) = expected_bandwidth(s, paste).unwrap_or((bw, ""));
    let (limit, pasted) = paste.downtime_limit();
    let line = paste.parameters.downtime_limit.as_ref().map(|f| f.source.line);
    let threshold = ebw * limit;
    d.step(
        if pasted {
            "Threshold: bandwidth x downtime-limit"
        } else {
            "Threshold: bandwidth x downtime-limit (not pasted: QEMU's default 300 ms)"
        },
        || format!("{} x {}", ebw, limit),
        Quantity::new(threshold.0, "bytes"),
        line,
    );
    let Some((pending, basis)) = pending_given(s, paste, printed) else {
        let why = "no remaining ram line: the switchover test needs the pending bytes";
        return (lacks(d, s, Counter::Remaining, "the switchover test", why), None);
    };
    if let Some(b) = bug_sentence(s, Counter::ExpectedDowntime).filter(|_| s.expected_downtime.is_none()) {
        d.note(|| {
            format!(
                "{b}: no last-sync bytes can be back-solved from it, so pending is the live remaining, a lower bound."
            )
        });
    }
    let what = match basis {
        PendingSource::LastSyncBackSolved => {
            "Pending after a sync, back-solved: max(expected downtime x bandwidth, remaining)"
        }
        PendingSource::LiveRemaining | PendingSource::SeriesPostSync => "Pending: the live remaining",
    };
    let expr = || match (basis, &s.expected_downtime, &s.remaining) {
        (PendingSource::LastSyncBackSolved, Some(e), Some(r)) => format!("max({} x {}, {})", e.value, ebw, r.value),
        (PendingSource::LastSyncBackSolved, Some(e), None) => format!("{} x {}", e.value, ebw),
        _ => "remaining ram as pasted (no last-sync value to back-solve)".to_string(),
    };
    d.step(what, expr, Quantity::new(pending.0, "bytes"), s.remaining.as_ref().map(|r| r.source.line));
    let ratio = pending.0 / threshold.0.max(1.0);
    let needed = pending / ebw;
    d.step(
        "Compare: pending / threshold (below 1 switches over)",
        || format!("{} / {}", pending, threshold),
        Quantity::new(ratio, "x threshold"),
        None,
    );
    d.step(
        "Smallest limit that passes this test",
        || format!("{} / {}", pending, ebw),
        Quantity::new(needed.0, "ms"),
        None,
    );
    d.note(|| {
        if pending.0 < threshold.0 {
            format!("Pending is below the threshold: QEMU would switch over now, with a pause of about {}.", needed)
        } else {
            format!("Pending is {:.2}x what {} allows: QEMU keeps iterating.", ratio, limit)
        }
    });
    d.result = Some(Quantity::new(ratio, "x threshold"));
    let switches = (threshold.0 > 0.0).then_some(pending.0 < threshold.0);
    (d, switches)
}

/// Every formula for one snapshot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SnapshotFormulas {
    pub f1: Derivation,
    pub f2: Derivation,
    /// F2 with kbytes read as 1000 bytes (only for HMP kbytes output).
    pub f2_decimal_ms: Option<f64>,
    pub f3: Derivation,
    pub today: Derivation,
    pub switchover: Derivation,
    /// Would QEMU switch over now (pending < threshold); None when the paste cannot tell.
    /// Shells read this, never the ratio.
    pub switches_over: Option<bool>,
    pub printed_by: Option<PrintedBy>,
}

pub fn all(s: &Snapshot, paste: &Paste) -> SnapshotFormulas {
    all_with(s, paste, Detail::Explain)
}

/// The same results without the steps' text: for the snapshots of a series that are
/// not in focus, where only the numbers are shown (a 2,000-snapshot paste stays fast).
pub fn numbers(s: &Snapshot, paste: &Paste) -> SnapshotFormulas {
    all_with(s, paste, Detail::NumbersOnly)
}

fn all_with(s: &Snapshot, paste: &Paste, detail: Detail) -> SnapshotFormulas {
    let f1 = f1(s, detail);
    let printed_by = printed_by(s, paste);
    let (switchover, switches_over) = switchover_verdict(s, paste, printed_by.as_ref(), detail);
    let mut f3 = f3(s, detail);
    if f3.result.is_some() {
        let counts = rate_counts(s, paste);
        f3.note(|| match counts {
            Some(c) => format!("What the rate means here: {}.", c.describe()),
            None => format!(
                "What the rate means depends on the QEMU: {}; {}.",
                RateCounts::EveryDirtyPage.describe(),
                RateCounts::NewlyDirty.describe()
            ),
        });
    }
    SnapshotFormulas {
        f2: f2(s, detail),
        f2_decimal_ms: f2_decimal(s),
        f3,
        today: today(s, paste, detail),
        switchover,
        switches_over,
        printed_by,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::inference::{echoes_limit, pending_bytes, PrintedFormula};
    use crate::core::model::{Dialect, Field, Precision, Snapshot, Source, Status};

    fn src(line: usize, unit: &str) -> Source {
        Source { line, raw: Default::default(), unit: unit.into() }
    }

    /// The seed's `info migrate` (QEMU 2.12-era), built by hand so these tests do not depend on the parser.
    fn seed() -> (Snapshot, Paste) {
        let mut s = Snapshot::new(Dialect::HmpMilliseconds, 13);
        s.status = Some(Field::exact(Status::Active, src(13, "")));
        s.expected_downtime = Some(Field::exact(Millis(1475.0), src(15, "milliseconds")));
        s.throughput = Some(Field::exact(Throughput::Mbps(Mbps(866.83)), src(18, "mbps")));
        s.remaining = Some(Field {
            value: KiB(376_892.0).to_bytes(),
            source: src(19, "kbytes"),
            precision: Precision::Truncated { step: 1024.0 },
        });
        s.page_size = Some(Field::exact(PageSize(Bytes(4096.0)), src(26, "kbytes")));
        s.dirty_pages_rate = Some(Field::exact(PagesPerSec(39_044.0), src(27, "pages")));
        let mut p = Paste::default();
        p.parameters.downtime_limit = Some(Field::exact(Millis(300.0), src(10, "milliseconds")));
        (s, p)
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn seed_formula_1_reproduces_the_printed_1475() {
        let (s, p) = seed();
        let d = f1(&s, Detail::Explain);
        assert!(close(d.result_ms().unwrap(), 1475.9454, 0.0001), "{}", d.to_text());
        assert_eq!(d.steps[0].value.value, 108_353.75);
        assert_eq!(d.steps[1].value.value, 159_924_224.0);
        let pb = printed_by(&s, &p).unwrap();
        assert_eq!(pb.formula, PrintedFormula::F1);
    }

    #[test]
    fn seed_formula_2_kib_exact_and_decimal() {
        let (s, _) = seed();
        let d = f2(&s, Detail::Explain);
        assert!(close(d.result_ms().unwrap(), 3561.82, 0.01), "{}", d.to_text());
        assert!(close(f2_decimal(&s).unwrap(), 3478.3475, 0.001));
        assert!(d.notes[0].contains("3,478.34 ms"), "{}", d.notes[0]);
    }

    #[test]
    fn seed_formula_3_is_about_8819() {
        let (s, _) = seed();
        let d = f3(&s, Detail::Explain);
        assert!(close(d.result_ms().unwrap(), 8818.9, 0.1), "{}", d.to_text());
    }

    #[test]
    fn formulas_2_and_3_name_the_line_they_lack() {
        let (mut s, _) = seed();
        s.remaining = None;
        let want = |n: &str| Some(format!("no remaining ram line: formula {n} needs what is left to send"));
        assert_eq!(f2(&s, Detail::Explain).missing, want("2"));
        assert_eq!(f3(&s, Detail::Explain).missing, want("3"));
        s.throughput = None;
        assert_eq!(
            f2(&s, Detail::Explain).missing.as_deref(),
            Some("no throughput line: formula 2 needs the bandwidth")
        );
    }

    #[test]
    fn seed_does_not_switch_over_at_300_ms() {
        let (s, p) = seed();
        let f = all(&s, &p);
        assert_eq!(f.switches_over, Some(false));
        let d = f.switchover;
        assert!((d.result_ms().unwrap() - 11.873).abs() < 1e-3);
        // threshold: 108,353.75 bytes/ms x 300 ms = 32,506,125 bytes (about 31 MiB)
        assert_eq!(d.steps[1].value.value, 32_506_125.0);
        // F1 was printed, so the live remaining is the pending basis, not a back-solve.
        assert_eq!(pending_bytes(&s, &p).unwrap().1, PendingSource::LiveRemaining);
        let t = today(&s, &p, Detail::Explain);
        assert!(t.notes.iter().any(|n| n.contains("below the live remaining")), "{}", t.to_text());
        assert!((t.result_ms().unwrap() - 3561.8279).abs() < 1e-3, "lower bound = remaining / bw");
    }

    #[test]
    fn numbers_only_give_the_same_results_without_text() {
        let (s, p) = seed();
        let (full, quiet) = (all(&s, &p), numbers(&s, &p));
        for (a, b) in [
            (&full.f1, &quiet.f1),
            (&full.f2, &quiet.f2),
            (&full.f3, &quiet.f3),
            (&full.today, &quiet.today),
            (&full.switchover, &quiet.switchover),
        ] {
            assert_eq!(a.result, b.result);
            assert!(!a.steps.is_empty() && b.steps.is_empty() && b.notes.is_empty());
        }
        assert_eq!(full.printed_by, quiet.printed_by);
    }

    #[test]
    fn missing_inputs_say_what_is_missing() {
        let (mut s, _) = seed();
        s.throughput = None;
        assert_eq!(
            f2(&s, Detail::Explain).missing.as_deref(),
            Some("no throughput line: formula 2 needs the bandwidth")
        );
        let (mut s, _) = seed();
        s.dirty_pages_rate = None;
        assert!(f3(&s, Detail::Explain).missing.unwrap().contains("dirty pages rate"));
        assert!(f2(&s, Detail::Explain).result.is_some());
        let (mut s, _) = seed();
        s.throughput = Some(Field::exact(Throughput::Mbps(Mbps(0.0)), src(1, "mbps")));
        assert!(
            f2(&s, Detail::Explain).result.is_none()
                && f1(&s, Detail::Explain).result.is_none()
                && f3(&s, Detail::Explain).result.is_none()
        );
    }

    #[test]
    fn early_phase_echo_of_the_limit() {
        // 10.0.2-B snapshot 1: dirty rate not measured yet, expected downtime = limit.
        let mut s = Snapshot::new(Dialect::Qmp, 1);
        s.expected_downtime = Some(Field::exact(Millis(300.0), src(1, "")));
        s.dirty_pages_rate = Some(Field::exact(PagesPerSec(0.0), src(1, "")));
        s.throughput = Some(Field::exact(Throughput::Mbps(Mbps(273.16368)), src(1, "")));
        s.remaining = Some(Field::exact(Bytes(507_637_760.0), src(1, "bytes")));
        let mut p = Paste::default();
        p.parameters.downtime_limit = Some(Field::exact(Millis(300.0), src(1, "ms")));
        assert_eq!(printed_by(&s, &p).unwrap().formula, PrintedFormula::Echo);
        assert!(today(&s, &p, Detail::Explain).missing.unwrap().contains("has not computed an estimate"));
    }

    #[test]
    fn just_after_the_first_sync_the_limit_is_still_echoed() {
        // 10.0.2-B at t = 10.0 s: the rate is measured, the estimate still shows the limit.
        let mut s = Snapshot::new(Dialect::Qmp, 1);
        s.expected_downtime = Some(Field::exact(Millis(300.0), src(1, "")));
        s.dirty_pages_rate = Some(Field::exact(PagesPerSec(6607.0), src(1, "")));
        s.throughput = Some(Field::exact(Throughput::Mbps(Mbps(268.66872)), src(1, "")));
        s.remaining = Some(Field::exact(Bytes(274_665_472.0), src(1, "bytes")));
        let mut p = Paste::default();
        p.parameters.downtime_limit = Some(Field::exact(Millis(300.0), src(1, "ms")));
        assert!(echoes_limit(&s, &p));
        assert_eq!(printed_by(&s, &p).unwrap().formula, PrintedFormula::Echo);
        assert_eq!(pending_bytes(&s, &p).unwrap().1, PendingSource::LiveRemaining);
        // A real estimate that happens to equal the limit is not an echo.
        s.remaining = Some(Field::exact(Bytes(9_000_000.0), src(1, "bytes")));
        assert!(!echoes_limit(&s, &p));
    }

    #[test]
    fn qemu_3_plus_back_solve_covers_live_remaining() {
        // 7.2.22 QMP at t=30.5 s: expected 8007 ms, remaining 107,978,752 bytes, 268.5672 Mbps.
        let mut s = Snapshot::new(Dialect::Qmp, 1);
        s.expected_downtime = Some(Field::exact(Millis(8007.0), src(2, "")));
        s.dirty_pages_rate = Some(Field::exact(PagesPerSec(8170.0), src(3, "")));
        s.throughput = Some(Field::exact(Throughput::Mbps(Mbps(268.5672)), src(4, "")));
        s.remaining = Some(Field::exact(Bytes(107_978_752.0), src(5, "bytes")));
        let p = Paste::default();
        let d = today(&s, &p, Detail::Explain);
        let last_sync = d.steps[1].value.value;
        assert!(close(last_sync, 268.5672 * 125.0 * 8007.0, 1.0));
        assert!(last_sync >= 107_978_752.0);
        assert_eq!(printed_by(&s, &p).unwrap().formula, PrintedFormula::F2);
        assert_eq!(pending_bytes(&s, &p).unwrap().1, PendingSource::LastSyncBackSolved);
    }
}
