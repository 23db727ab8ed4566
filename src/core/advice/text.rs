//! The advice as plain text: the CLI's report and the snapshot tests' subject.

use super::*;
use crate::core::options::Platform;
use crate::core::units::*;
use crate::core::writer;
use std::fmt::{self, Write};

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "converges",
        Some(false) => "does not converge",
        None => "cannot tell yet",
    }
}

pub fn render(a: &Advice) -> String {
    writer::text(|o| write(o, a))
}

fn write(o: &mut impl Write, a: &Advice) -> fmt::Result {
    if a.recommendation.is_none() {
        notes(o, &a.notes)?;
    }
    if let Some(r) = &a.recommendation {
        recommendation(o, r)?;
    }
    if let Some(i) = &a.inputs {
        inputs(o, i)?;
    }
    if let Some(s) = &a.series {
        series(o, s)?;
    }
    if let Some(s) = &a.simulation {
        simulation(o, s, a)?;
    }
    if let Some(sw) = &a.switchover_bandwidth {
        switchover(o, sw)?;
    }
    if let Some(h) = &a.hugepage {
        hugepage(o, h)?;
    }
    if !a.ramps.is_empty() {
        ramps(o, &a.ramps)?;
    }
    if !a.levers.is_empty() {
        levers(o, &a.levers)?;
    }
    if let Some(p) = &a.power {
        writeln!(o, "POWER8 -> POWER9 prerequisites ({})", p.basis)?;
        for it in &p.items {
            writeln!(o, "  - {it}")?;
        }
        writeln!(o)?;
    }
    if a.recommendation.is_some() {
        notes(o, &a.notes)?;
    }
    Ok(())
}

fn notes(o: &mut impl Write, ns: &[String]) -> fmt::Result {
    if ns.is_empty() {
        return Ok(());
    }
    writeln!(o, "Notes")?;
    for n in ns {
        writeln!(o, "  - {n}")?;
    }
    writeln!(o)
}

fn recommendation(o: &mut impl Write, r: &Recommendation) -> fmt::Result {
    writeln!(o, "Recommendation")?;
    writeln!(
        o,
        "  downtime-limit {}   (in force: {}{}, {})",
        grouped_ms(r.downtime_limit_ms),
        grouped_ms(r.limit_in_force_ms),
        if r.limit_pasted { "" } else { ", QEMU's default" },
        yes_no(r.converges_now)
    )?;
    writeln!(o, "  why: {}", r.basis)?;
    writeln!(o, "  confidence: {} (+{:.0} % margin)", r.confidence.level, r.confidence.margin_pct)?;
    for why in &r.confidence.reasons {
        writeln!(o, "    - {why}")?;
    }
    writeln!(o, "  pause at switchover: about {}. {}", grouped_ms(r.expected_pause_ms), r.pause_note)?;
    writeln!(o, "  set it with:")?;
    writeln!(o, "    HMP:   {}", r.commands.hmp)?;
    writeln!(o, "    QMP:   {}", r.commands.qmp)?;
    writeln!(o, "    virsh: {}", r.commands.virsh)?;
    writeln!(o, "    HMP before QEMU 2.8 (seconds): {}", r.commands.hmp_old_seconds)?;
    for w in &r.warnings {
        writeln!(o, "  ! {w}")?;
    }
    writeln!(o)
}

fn inputs(o: &mut impl Write, i: &ModelInputs) -> fmt::Result {
    writeln!(
        o,
        "Model inputs (snapshot {}, lines {}-{}, {}, {})",
        i.snapshot + 1,
        i.snapshot_lines.0,
        i.snapshot_lines.1,
        i.dialect,
        i.status
    )?;
    writeln!(o, "  pending after a sync: {} ({})", human_bytes(i.pending_bytes), i.pending_source.describe())?;
    writeln!(o, "  live remaining: {}", human_bytes(i.live_remaining_bytes))?;
    writeln!(o, "  live-phase bandwidth: {} ({})", i.bandwidth_bytes_per_ms, human_rate(i.bandwidth_bytes_per_ms))?;
    writeln!(o, "  threshold bandwidth: {} ({})", i.threshold_bandwidth_bytes_per_ms, i.threshold_bandwidth_source)?;
    writeln!(
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
    )?;
    match i.working_set_bytes {
        Some(w) => {
            writeln!(o, "  working set: {} ({})", human_bytes(w), i.working_set_basis)?;
        }
        None => {
            writeln!(o, "  working set: none ({})", i.working_set_basis)?;
        }
    }
    writeln!(
        o,
        "  downtime-limit in force: {}{}",
        grouped_ms(i.limit_ms),
        if i.limit_pasted { "" } else { " (not pasted: QEMU's default)" }
    )?;
    let mb = match (i.max_bandwidth_bytes_per_s, i.max_bandwidth_unlimited) {
        (Some(_), true) => "libvirt's unlimited".to_string(),
        (Some(v), false) => format!(
            "{}{}",
            human_rate(v.to_bytes_per_ms()),
            if i.live_phase_capped == Some(true) { ", the live phase runs at it" } else { "" }
        ),
        (None, _) => "not pasted".to_string(),
    };
    writeln!(o, "  max-bandwidth: {mb}")?;
    writeln!(
        o,
        "  final-copy bandwidth: {}",
        i.link_bytes_per_ms
            .map(|l| format!("{} ({})", human_rate(l), i.link_source))
            .unwrap_or_else(|| i.link_source.clone())
    )?;
    let granule = hugepage::dirty_granule(i.platform, i.backing_page_bytes);
    let backing = match i.platform {
        Some(Platform::X86) | Some(Platform::PowerRadix) => "backing page size does not matter here".to_string(),
        _ => format!("backing page {}", human_bytes(i.backing_page_bytes)),
    };
    writeln!(
        o,
        "  platform: {}; dirty logging per {}{} ({backing}, target page {})",
        i.platform
            .map(|p| p.name())
            .unwrap_or("not given (the hugepage story below holds only for a POWER hash-MMU guest)"),
        human_bytes(granule),
        if i.platform.is_none() { " if POWER hash-MMU" } else { "" },
        human_bytes(i.target_page_bytes)
    )?;
    writeln!(o)
}

fn series(o: &mut impl Write, s: &SeriesSummary) -> fmt::Result {
    writeln!(o, "Series ({} active snapshots, {} post-sync points)", s.samples.len(), s.points.len())?;
    for (k, p) in s.points.iter().enumerate() {
        writeln!(
            o,
            "  {} sync {}: {} pending at {} -> needs {}{}",
            if Some(k) == s.low_point { "*" } else { " " },
            p.sync_count.map(|c| c.to_string()).unwrap_or_else(|| "?".into()),
            human_bytes(p.pending_bytes),
            p.time_ms.map(|t| format!("{} s", group(t.to_secs(), 1))).unwrap_or_else(|| "?".into()),
            grouped_ms(p.limit_needed_ms),
            if matches!(p.source, PendingSource::LiveRemaining) { " (live remaining, lower bound)" } else { "" }
        )?;
    }
    writeln!(
        o,
        "  bandwidth: {} .. {} bytes/ms, mean {}, spread {:.1} %, trend {:+.1} % ({})",
        group(s.bandwidth_min.0, 2),
        group(s.bandwidth_max.0, 2),
        group(s.bandwidth_mean.0, 2),
        s.bandwidth_spread_pct,
        s.bandwidth_trend_pct,
        if s.bandwidth_stable { "stable" } else { "unstable" }
    )?;
    writeln!(o, "  stall: {}", s.stall_reason)?;
    if s.forced_syncs {
        writeln!(o, "  auto-converge on a QEMU 9.2+ (or undated) forces a bitmap sync every 5 s (cpu-throttle.c): each point is the pending after a sync period, which can end mid-pass; the limit it needs is an upper bound.")?;
    }
    writeln!(o)
}

fn sim_summary(s: &Simulation) -> String {
    if s.converges {
        format!(
            "switches over after {} pass(es), {} in all, {} sent, final pause {}",
            s.passes,
            human_ms(s.total_time_ms),
            human_bytes(s.data_sent_bytes),
            grouped_ms(s.final_pause_ms.unwrap_or_default())
        )
    } else {
        let at = match (s.converging_limit_ms, s.passes_at_converging_limit) {
            (Some(l), Some(p)) => format!("; it would above {} (after {} pass(es))", grouped_ms(l), p),
            _ => "; no limit up to QEMU's 2,000,000 ms makes it converge".into(),
        };
        format!("never converges at this limit within {} passes{}", s.passes, at)
    }
}

fn simulation(o: &mut impl Write, s: &Simulation, a: &Advice) -> fmt::Result {
    writeln!(o, "Pre-copy simulation at {}: {}", grouped_ms(s.limit_ms), sim_summary(s))?;
    for p in s.pass_detail.iter().take(6) {
        writeln!(
            o,
            "  pass {}: send {} in {}, re-dirtied {} vs threshold {}{}",
            p.index,
            human_bytes(p.send_bytes),
            human_ms(p.time_ms),
            human_bytes(p.redirtied_bytes),
            human_bytes(p.threshold_bytes),
            if p.switches_over { " -> switch over" } else { "" }
        )?;
    }
    if s.pass_detail.len() > 6 {
        writeln!(o, "  ... {} more passes", s.pass_detail.len() - 6)?;
    }
    if let Some(r) = &a.simulation_at_recommended {
        writeln!(o, "  at the recommended {}: {}", grouped_ms(r.limit_ms), sim_summary(r))?;
    }
    if let Some(u) = &a.simulation_uncapped {
        writeln!(o, "  with no working-set cap (the guest keeps touching new pages): {}", sim_summary(u))?;
    }
    writeln!(o, "  assumptions:")?;
    for x in &s.assumptions {
        writeln!(o, "    - {x}")?;
    }
    writeln!(o)
}

fn switchover(o: &mut impl Write, s: &SwitchoverBandwidth) -> fmt::Result {
    writeln!(o, "Capped bandwidth and avail-switchover-bandwidth")?;
    for e in &s.explanation {
        writeln!(o, "  {e}")?;
    }
    for l in &s.links {
        writeln!(
            o,
            "    {:<8} limit above {}{}",
            l.label,
            grouped_ms(l.limit_needed_ms),
            if l.limit_in_force_enough { " (the limit in force is enough)" } else { "" }
        )?;
    }
    for c in &s.commands {
        writeln!(o, "    {c}")?;
    }
    writeln!(o)
}

fn hugepage(o: &mut impl Write, h: &Hugepage) -> fmt::Result {
    writeln!(
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
    )?;
    for n in &h.notes {
        writeln!(o, "  {n}")?;
    }
    for r in &h.by_page_size {
        writeln!(
            o,
            "    {:<7} x{:<9} floor {:<10} limit above {}{}",
            r.label,
            group(r.amplification, 0),
            human_bytes(r.floor_bytes),
            grouped_ms(r.limit_needed_ms),
            if r.is_current { "  <- now" } else { "" }
        )?;
    }
    writeln!(o)
}

fn ramps(o: &mut impl Write, rs: &[RampOutcome]) -> fmt::Result {
    writeln!(o, "Ramp policies on these numbers")?;
    for r in rs {
        let pause = r.pause_ms.map(|p| format!("; pause about {}", grouped_ms(p))).unwrap_or_default();
        writeln!(o, "  {}: {}{}", r.policy, r.outcome, pause)?;
        writeln!(o, "    rule: {}", r.rule)?;
        writeln!(o, "    source: {}", r.source)?;
    }
    writeln!(o)
}

fn levers(o: &mut impl Write, ls: &[Lever]) -> fmt::Result {
    writeln!(o, "Levers")?;
    for l in ls {
        writeln!(o, "  {} (now: {})", l.name, l.current)?;
        writeln!(o, "    {}", l.effect)?;
        for c in &l.commands {
            writeln!(o, "    $ {c}")?;
        }
        for c in &l.caveats {
            writeln!(o, "    caveat: {c}")?;
        }
    }
    writeln!(o)
}
