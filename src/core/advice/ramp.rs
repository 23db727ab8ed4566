//! How other managers ramp the downtime-limit of a migration that does not
//! converge, replayed on this paste's numbers. Each policy is a schedule of
//! (time, limit) steps; it converges at the first step whose limit exceeds the
//! limit this migration needs, one pass later (QEMU tests at the next sync).

use super::inputs::ModelInputs;
use super::recommend::Recommendation;
use super::simulate::SimInput;
use crate::core::units::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RampStep {
    /// Time since the ramp started, ms.
    pub at_ms: f64,
    pub limit_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RampOutcome {
    pub policy: String,
    pub rule: String,
    pub schedule: Vec<RampStep>,
    pub converges: bool,
    /// Time from the start of the ramp to switchover.
    pub converges_after_ms: Option<f64>,
    /// The limit in force when it converges.
    pub limit_reached_ms: Option<f64>,
    /// The pause the guest then sees (pending / final-copy bandwidth).
    pub pause_ms: Option<f64>,
    /// What happens instead: abort, timeout, never reaching the needed limit.
    pub outcome: String,
}

/// What every policy is replayed against.
struct Need {
    /// The limit must exceed this.
    limit_ms: f64,
    /// One pass: pending / bandwidth.
    pass_ms: f64,
    pause_ms: f64,
}

fn replay(
    policy: &str,
    rule: String,
    schedule: Vec<RampStep>,
    abort_at_ms: Option<f64>,
    give_up: &str,
    need: &Need,
) -> RampOutcome {
    let hit = schedule.iter().find(|s| s.limit_ms > need.limit_ms).cloned();
    let (converges, after, limit, outcome) = match hit {
        Some(s) => {
            let t = s.at_ms + need.pass_ms;
            match abort_at_ms {
                Some(a) if t > a => (
                    false,
                    None,
                    None,
                    format!(
                        "reaches {} ms at {} but {} at {} first",
                        group(s.limit_ms, 0),
                        secs(s.at_ms),
                        give_up,
                        secs(a)
                    ),
                ),
                _ => (
                    true,
                    Some(t),
                    Some(s.limit_ms),
                    format!("converges at {} ms, {} after the ramp starts", group(s.limit_ms, 0), secs(t)),
                ),
            }
        }
        None => {
            let top = schedule.last().map(|s| s.limit_ms).unwrap_or(0.0);
            let end = abort_at_ms.map(|a| format!("; {} at {}", give_up, secs(a))).unwrap_or_default();
            (
                false,
                None,
                None,
                format!(
                    "never: its highest limit {} ms is below the {} ms needed{}",
                    group(top, 0),
                    group(need.limit_ms, 0),
                    end
                ),
            )
        }
    };
    RampOutcome {
        policy: policy.into(),
        rule,
        schedule,
        converges,
        converges_after_ms: after,
        limit_reached_ms: limit,
        pause_ms: converges.then_some(need.pause_ms),
        outcome,
    }
}

fn secs(ms: f64) -> String {
    if ms >= 120_000.0 {
        format!("{} min", group(ms / 60_000.0, 1))
    } else {
        format!("{} s", group(ms / 1000.0, 1))
    }
}

/// OpenStack nova: linear steps, delay scaled by the data size in GiB.
pub fn nova(data_gib: f64, need_ms: f64) -> (Vec<RampStep>, f64, String) {
    let (downtime, steps, delay_per_gib, timeout_per_gib) = (500.0, 10u32, 75.0, 800.0);
    let delay_ms = (delay_per_gib * data_gib).floor() * 1000.0;
    let base = downtime / steps as f64;
    let offset = (downtime - base) / steps as f64;
    let schedule = (0..=steps)
        .map(|i| RampStep { at_ms: delay_ms * i as f64, limit_ms: (base + offset * i as f64).floor() })
        .collect();
    let rule = format!(
        "live_migration_downtime 500 ms in 10 steps, one every 75 s x {} GiB = {} s; completion timeout 800 s/GiB = {}, then abort. To converge here, set live_migration_downtime above {} ms.",
        group(data_gib, 2),
        group(delay_ms / 1000.0, 0),
        secs(timeout_per_gib * data_gib * 1000.0),
        group(need_ms, 0)
    );
    (schedule, timeout_per_gib * data_gib * 1000.0, rule)
}

/// oVirt convergence schedule: raise per stalled pass, then abort (or a last big step).
pub fn ovirt(pass_ms: f64, last: Option<f64>) -> (Vec<RampStep>, f64) {
    let mut steps: Vec<(f64, f64)> =
        vec![(0.0, 100.0), (1.0, 150.0), (2.0, 200.0), (3.0, 300.0), (4.0, 400.0), (6.0, 500.0)];
    if let Some(l) = last {
        steps.push((7.0, l));
    }
    let abort_after = steps.last().map(|s| s.0 + 1.0).unwrap_or(1.0);
    (
        steps.into_iter().map(|(k, l)| RampStep { at_ms: k * pass_ms, limit_ms: l }).collect(),
        abort_after * pass_ms + pass_ms,
    )
}

/// Proxmox VE: start at 100 ms, double when remaining grew on more than 5 polls (1 s apart).
/// remaining grows once per pass (at the sync), so one doubling per 6 passes (or 6 s).
pub fn proxmox(pass_ms: f64) -> Vec<RampStep> {
    let per_growth = pass_ms.max(1000.0);
    let mut out = Vec::new();
    let mut limit = 100.0;
    let mut k = 0.0;
    while limit <= MAX_DOWNTIME_LIMIT_MS {
        out.push(RampStep { at_ms: k * 6.0 * per_growth, limit_ms: limit });
        limit *= 2.0;
        k += 1.0;
    }
    out
}

/// KubeVirt-style (proposal): from 150 ms, doubling on each stalled pass, 7 steps; progressTimeout 150 s.
pub fn kubevirt(pass_ms: f64) -> (Vec<RampStep>, f64) {
    ((0..7).map(|k| RampStep { at_ms: k as f64 * pass_ms, limit_ms: 150.0 * 2f64.powi(k) }).collect(), 150_000.0)
}

pub fn compare(i: &ModelInputs, sim: &SimInput, rec: &Recommendation) -> Vec<RampOutcome> {
    let _ = sim;
    let need = Need {
        limit_ms: if i.rate_measured { rec.base_ms } else { 0.0 },
        pass_ms: i.pending_bytes / i.bandwidth_bytes_per_ms,
        pause_ms: rec.pause_at_link_ms.unwrap_or(rec.expected_pause_ms),
    };
    let gib = i.total_ram_bytes.map(|t| t / GIB).unwrap_or(1.0).max(1.0 / 1024.0);
    let (nova_s, nova_timeout, nova_rule) = nova(gib, need.limit_ms);
    let (ov, ov_abort) = ovirt(need.pass_ms, None);
    let (ov5, ov5_abort) = ovirt(need.pass_ms, Some(5000.0));
    let (kv, kv_timeout) = kubevirt(need.pass_ms);
    vec![
        replay("OpenStack nova", nova_rule, nova_s, Some(nova_timeout), "the completion timeout aborts it", &need),
        replay(
            "oVirt (minimal downtime)",
            "starts at 100 ms; after 1, 2, 3, 4, 6 stalled passes raises to 150, 200, 300, 400, 500 ms; then aborts (the policy also turns auto-converge on, which this replay leaves out)".into(),
            ov,
            Some(ov_abort),
            "it aborts",
            &need,
        ),
        replay(
            "oVirt (suspend workload if needed)",
            "as above, then a last step to 5000 ms before aborting; the \"Post-copy migration\" policy instead switches to postcopy after 150 and 200 ms".into(),
            ov5,
            Some(ov5_abort),
            "it aborts",
            &need,
        ),
        replay(
            "Proxmox VE",
            "starts at 100 ms; polls every second and doubles the limit when remaining grew on more than 5 polls (once per pass here)".into(),
            proxmox(need.pass_ms),
            None,
            "",
            &need,
        ),
        replay(
            "KubeVirt-style stepped ramp",
            "a proposal, not a shipped default: from 150 ms, doubling on each stalled pass for 7 steps (to 9,600 ms); progressTimeout 150 s without progress aborts".into(),
            kv,
            Some(kv_timeout),
            "progressTimeout aborts it",
            &need,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nova_steps_follow_its_formula() {
        // 8 GiB: delay int(75 x 8) = 600 s; base 500/10 = 50 ms; offset (500-50)/10 = 45 ms.
        let (s, timeout, _) = nova(8.0, 1000.0);
        assert_eq!(s.len(), 11);
        assert_eq!((s[0].at_ms, s[0].limit_ms), (0.0, 50.0));
        assert_eq!((s[1].at_ms, s[1].limit_ms), (600_000.0, 95.0));
        assert_eq!((s[10].at_ms, s[10].limit_ms), (6_000_000.0, 500.0));
        assert_eq!(timeout, 6_400_000.0);
    }

    #[test]
    fn proxmox_doubles_every_six_passes_of_at_least_a_second() {
        let s = proxmox(500.0);
        assert_eq!((s[1].at_ms, s[1].limit_ms), (6000.0, 200.0));
        let s = proxmox(8000.0);
        assert_eq!((s[2].at_ms, s[2].limit_ms), (96_000.0, 400.0));
        assert!(s.last().map(|x| x.limit_ms <= MAX_DOWNTIME_LIMIT_MS).unwrap_or(false));
    }

    #[test]
    fn replay_converges_at_the_first_step_above_the_need_one_pass_later() {
        let need = Need { limit_ms: 4000.0, pass_ms: 3000.0, pause_ms: 3500.0 };
        let (kv, t) = kubevirt(3000.0);
        let o = replay("k", String::new(), kv, Some(t), "aborts", &need);
        assert_eq!(o.limit_reached_ms, Some(4800.0));
        assert_eq!(o.converges_after_ms, Some(5.0 * 3000.0 + 3000.0));
        let (ov, a) = ovirt(3000.0, None);
        let o = replay("o", String::new(), ov, Some(a), "aborts", &need);
        assert!(!o.converges && o.pause_ms.is_none());
    }
}
