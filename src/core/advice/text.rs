//! The advice as plain text: the CLI's report and the snapshot tests' subject.

use super::*;
use crate::core::options::Platform;
use crate::core::units::*;
use std::fmt::Write;

fn ms(v: f64) -> String {
    format!("{} ms", group(v, 0))
}

fn b(v: f64) -> String {
    human_bytes(Bytes(v))
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "converges",
        Some(false) => "does not converge",
        None => "cannot tell yet",
    }
}

pub fn render(a: &Advice) -> String {
    let mut o = String::new();
    if a.recommendation.is_none() {
        notes(&mut o, &a.notes);
    }
    if let Some(r) = &a.recommendation {
        recommendation(&mut o, r);
    }
    if let Some(i) = &a.inputs {
        inputs(&mut o, i);
    }
    if let Some(s) = &a.series {
        series(&mut o, s);
    }
    if let Some(s) = &a.simulation {
        simulation(&mut o, s, a);
    }
    if let Some(sw) = &a.switchover_bandwidth {
        switchover(&mut o, sw);
    }
    if let Some(h) = &a.hugepage {
        hugepage(&mut o, h);
    }
    if !a.ramps.is_empty() {
        ramps(&mut o, &a.ramps);
    }
    if !a.levers.is_empty() {
        levers(&mut o, &a.levers);
    }
    if let Some(p) = &a.power {
        let _ = writeln!(o, "POWER8 -> POWER9 prerequisites ({})", p.confidence);
        for it in &p.items {
            let _ = writeln!(o, "  - {it}");
        }
        o.push('\n');
    }
    if a.recommendation.is_some() {
        notes(&mut o, &a.notes);
    }
    o
}

fn notes(o: &mut String, ns: &[String]) {
    if ns.is_empty() {
        return;
    }
    let _ = writeln!(o, "Notes");
    for n in ns {
        let _ = writeln!(o, "  - {n}");
    }
    o.push('\n');
}

fn recommendation(o: &mut String, r: &Recommendation) {
    let _ = writeln!(o, "Recommendation");
    let _ = writeln!(
        o,
        "  downtime-limit {}   (in force: {}{}, {})",
        ms(r.downtime_limit_ms),
        ms(r.limit_in_force_ms),
        if r.limit_pasted { "" } else { ", QEMU's default" },
        yes_no(r.converges_now)
    );
    let _ = writeln!(o, "  why: {}", r.basis);
    let _ = writeln!(o, "  confidence: {} (+{:.0} % margin)", r.confidence.level, r.confidence.margin_pct);
    for why in &r.confidence.reasons {
        let _ = writeln!(o, "    - {why}");
    }
    let _ = writeln!(o, "  pause at switchover: about {}. {}", ms(r.expected_pause_ms), r.pause_note);
    let _ = writeln!(o, "  set it with:");
    let _ = writeln!(o, "    HMP:   {}", r.commands.hmp);
    let _ = writeln!(o, "    QMP:   {}", r.commands.qmp);
    let _ = writeln!(o, "    virsh: {}", r.commands.virsh);
    let _ = writeln!(o, "    HMP before QEMU 2.8 (seconds): {}", r.commands.hmp_old_seconds);
    for w in &r.warnings {
        let _ = writeln!(o, "  ! {w}");
    }
    o.push('\n');
}

fn inputs(o: &mut String, i: &ModelInputs) {
    let _ = writeln!(
        o,
        "Model inputs (snapshot {}, lines {}-{}, {}, {})",
        i.snapshot + 1,
        i.snapshot_lines.0,
        i.snapshot_lines.1,
        i.dialect,
        i.status
    );
    let _ = writeln!(o, "  pending after a sync: {} ({})", human_bytes(i.pending_bytes), i.pending_source.describe());
    let _ = writeln!(o, "  live remaining: {}", human_bytes(i.live_remaining_bytes));
    let _ =
        writeln!(o, "  live-phase bandwidth: {} ({})", i.bandwidth_bytes_per_ms, human_rate(i.bandwidth_bytes_per_ms));
    let _ =
        writeln!(o, "  threshold bandwidth: {} ({})", i.threshold_bandwidth_bytes_per_ms, i.threshold_bandwidth_source);
    let _ = writeln!(
        o,
        "  dirty pages rate: {} pages/s = {}, {} x the bandwidth{}",
        group(i.dirty_pages_rate.0, 0),
        human_rate(i.dirty_bytes_per_ms),
        rounded(i.dirty_bytes_per_ms / i.bandwidth_bytes_per_ms, 2),
        match (&i.dirty_rate_bug, i.rate_measured) {
            (Some(_), _) => " (not usable: a QEMU counter bug, see the confidence)",
            (None, true) => "",
            (None, false) => " (not measured yet)",
        }
    );
    match i.working_set_bytes {
        Some(w) => {
            let _ = writeln!(o, "  working set: {} ({})", human_bytes(w), i.working_set_basis);
        }
        None => {
            let _ = writeln!(o, "  working set: none ({})", i.working_set_basis);
        }
    }
    let _ = writeln!(
        o,
        "  downtime-limit in force: {}{}",
        ms(i.limit_ms.0),
        if i.limit_pasted { "" } else { " (not pasted: QEMU's default)" }
    );
    let mb = match (i.max_bandwidth_bytes_per_s, i.max_bandwidth_unlimited) {
        (Some(_), true) => "libvirt's unlimited".to_string(),
        (Some(v), false) => format!(
            "{}{}",
            human_rate(v.to_bytes_per_ms()),
            if i.live_phase_capped == Some(true) { ", the live phase runs at it" } else { "" }
        ),
        (None, _) => "not pasted".to_string(),
    };
    let _ = writeln!(o, "  max-bandwidth: {mb}");
    let _ = writeln!(
        o,
        "  final-copy bandwidth: {}",
        i.link_bytes_per_ms
            .map(|l| format!("{} ({})", human_rate(l), i.link_source))
            .unwrap_or_else(|| i.link_source.clone())
    );
    let granule = hugepage::dirty_granule(i.platform, i.backing_page_bytes);
    let backing = match i.platform {
        Some(Platform::X86) | Some(Platform::PowerRadix) => "backing page size does not matter here".to_string(),
        _ => format!("backing page {}", human_bytes(i.backing_page_bytes)),
    };
    let _ = writeln!(
        o,
        "  platform: {}; dirty logging per {}{} ({backing}, target page {})",
        i.platform
            .map(|p| p.name())
            .unwrap_or("not given (the hugepage story below holds only for a POWER hash-MMU guest)"),
        human_bytes(granule),
        if i.platform.is_none() { " if POWER hash-MMU" } else { "" },
        human_bytes(i.target_page_bytes)
    );
    o.push('\n');
}

fn series(o: &mut String, s: &SeriesSummary) {
    let _ = writeln!(o, "Series ({} active snapshots, {} post-sync points)", s.samples.len(), s.points.len());
    for (k, p) in s.points.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {} sync {}: {} pending at {} -> needs {}{}",
            if Some(k) == s.low_point { "*" } else { " " },
            p.sync_count.map(|c| c.to_string()).unwrap_or_else(|| "?".into()),
            b(p.pending_bytes),
            p.time_ms.map(|t| format!("{} s", group(Millis(t).to_secs(), 1))).unwrap_or_else(|| "?".into()),
            ms(p.limit_needed_ms),
            if matches!(p.source, PendingSource::LiveRemaining) { " (live remaining, lower bound)" } else { "" }
        );
    }
    let _ = writeln!(
        o,
        "  bandwidth: {} .. {} bytes/ms, mean {}, spread {:.1} %, trend {:+.1} % ({})",
        group(s.bandwidth_min, 2),
        group(s.bandwidth_max, 2),
        group(s.bandwidth_mean, 2),
        s.bandwidth_spread_pct,
        s.bandwidth_trend_pct,
        if s.bandwidth_stable { "stable" } else { "unstable" }
    );
    let _ = writeln!(o, "  stall: {}", s.stall_reason);
    if s.forced_syncs {
        let _ = writeln!(o, "  auto-converge on a QEMU 9.2+ (or undated) forces a bitmap sync every 5 s (cpu-throttle.c): each point is the pending after a sync period, which can end mid-pass; the limit it needs is an upper bound.");
    }
    o.push('\n');
}

fn sim_summary(s: &Simulation) -> String {
    if s.converges {
        format!(
            "switches over after {} pass(es), {} in all, {} sent, final pause {}",
            s.passes,
            human_ms(Millis(s.total_time_ms)),
            b(s.data_sent_bytes),
            ms(s.final_pause_ms.unwrap_or(0.0))
        )
    } else {
        let at = match (s.converging_limit_ms, s.passes_at_converging_limit) {
            (Some(l), Some(p)) => format!("; it would above {} (after {} pass(es))", ms(l), p),
            _ => "; no limit up to QEMU's 2,000,000 ms makes it converge".into(),
        };
        format!("never converges at this limit within {} passes{}", s.passes, at)
    }
}

fn simulation(o: &mut String, s: &Simulation, a: &Advice) {
    let _ = writeln!(o, "Pre-copy simulation at {}: {}", ms(s.limit_ms), sim_summary(s));
    for p in s.pass_detail.iter().take(6) {
        let _ = writeln!(
            o,
            "  pass {}: send {} in {}, re-dirtied {} vs threshold {}{}",
            p.index,
            b(p.send_bytes),
            human_ms(Millis(p.time_ms)),
            b(p.redirtied_bytes),
            b(p.threshold_bytes),
            if p.switches_over { " -> switch over" } else { "" }
        );
    }
    if s.pass_detail.len() > 6 {
        let _ = writeln!(o, "  ... {} more passes", s.pass_detail.len() - 6);
    }
    if let Some(r) = &a.simulation_at_recommended {
        let _ = writeln!(o, "  at the recommended {}: {}", ms(r.limit_ms), sim_summary(r));
    }
    if let Some(u) = &a.simulation_uncapped {
        let _ = writeln!(o, "  with no working-set cap (the guest keeps touching new pages): {}", sim_summary(u));
    }
    let _ = writeln!(o, "  assumptions:");
    for x in &s.assumptions {
        let _ = writeln!(o, "    - {x}");
    }
    o.push('\n');
}

fn switchover(o: &mut String, s: &SwitchoverBandwidth) {
    let _ = writeln!(o, "Capped bandwidth and avail-switchover-bandwidth");
    for e in &s.explanation {
        let _ = writeln!(o, "  {e}");
    }
    for l in &s.links {
        let _ = writeln!(
            o,
            "    {:<8} limit above {}{}",
            l.label,
            ms(l.limit_needed_ms),
            if l.limit_in_force_enough { " (the limit in force is enough)" } else { "" }
        );
    }
    for c in &s.commands {
        let _ = writeln!(o, "    {c}");
    }
    o.push('\n');
}

fn hugepage(o: &mut String, h: &Hugepage) {
    let _ = writeln!(
        o,
        "Hugepage amplification ({}dirty logging per {}, x{}{})",
        if h.conditional { "if POWER hash-MMU: " } else { "" },
        human_bytes(h.granule_bytes),
        group(h.amplification, 0),
        if h.amplification_lower_bound < h.amplification {
            format!(" upper bound, x{} lower", group(h.amplification_lower_bound, 0))
        } else {
            String::new()
        }
    );
    for n in &h.notes {
        let _ = writeln!(o, "  {n}");
    }
    for r in &h.by_page_size {
        let _ = writeln!(
            o,
            "    {:<7} x{:<9} floor {:<10} limit above {}{}",
            r.label,
            group(r.amplification, 0),
            b(r.floor_bytes),
            ms(r.limit_needed_ms),
            if r.is_current { "  <- now" } else { "" }
        );
    }
    o.push('\n');
}

fn ramps(o: &mut String, rs: &[RampOutcome]) {
    let _ = writeln!(o, "Ramp policies on these numbers");
    for r in rs {
        let pause = r.pause_ms.map(|p| format!("; pause about {}", ms(p))).unwrap_or_default();
        let _ = writeln!(o, "  {}: {}{}", r.policy, r.outcome, pause);
        let _ = writeln!(o, "    rule: {}", r.rule);
        let _ = writeln!(o, "    source: {}", r.source);
    }
    o.push('\n');
}

fn levers(o: &mut String, ls: &[Lever]) {
    let _ = writeln!(o, "Levers");
    for l in ls {
        let _ = writeln!(o, "  {} (now: {})", l.name, l.current);
        let _ = writeln!(o, "    {}", l.effect);
        for c in &l.commands {
            let _ = writeln!(o, "    $ {c}");
        }
        for c in &l.caveats {
            let _ = writeln!(o, "    caveat: {c}");
        }
    }
    o.push('\n');
}
