//! `converge watch`: polls a live migration (QMP over a unix socket or TCP, or
//! libvirt through virsh), feeds the growing series to the same engine as the
//! page, shows it live, and with `--apply` sets the limit it needs once.

pub mod decide;
pub mod monitor;
pub mod qmp;
pub mod screen;
pub mod transcript;
pub mod view;
pub mod virsh;

use crate::core::advice::commands::Setting;
use crate::core::analysis::{analyse, Analysis};
use crate::core::model::Status;
use crate::core::options::Options;
use crate::core::parse::parse;
use crate::core::units::{group, grouped_ms, Millis};
use decide::{Decider, Decision, Policy};
use monitor::{Fault, Monitor};
use screen::Screen;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use transcript::Transcript;

pub struct Config {
    pub interval: Duration,
    pub apply: bool,
    pub policy: Policy,
    pub options: Options,
    pub record: Option<PathBuf>,
    /// Set from outside (Ctrl-C) to stop watching.
    pub stop: Arc<AtomicBool>,
}

/// How watching ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Completed,
    /// Failed or cancelled, with QEMU's status and reason.
    Failed {
        status: String,
        error: Option<String>,
    },
    Fault(Fault),
    /// Stopped before the migration ended, and why.
    Stopped(String),
}

/// What one watch did: the outcome, every write, and the numbers to compare.
#[derive(Debug, Clone)]
pub struct Summary {
    pub outcome: Outcome,
    /// Every decision that acted (or, without --apply, would have), in order.
    pub decisions: Vec<Decision>,
    /// The commands actually sent to change a parameter.
    pub writes: Vec<String>,
    pub polls: u64,
    pub measured_downtime_ms: Option<f64>,
    pub total_time_ms: Option<f64>,
    /// The engine's pause estimate when it acted (pending / live-phase bandwidth).
    pub predicted_pause_ms: Option<f64>,
    pub limit_in_force_ms: f64,
}

fn record(m: &mut dyn Monitor, t: &mut Transcript, command: &str, args: Option<Value>) -> Result<Value, Fault> {
    let r = m.execute(command, args.clone())?;
    t.qmp(command, args.as_ref(), &r);
    Ok(r)
}

fn status_of(a: &Analysis) -> Option<Status> {
    a.paste.snapshots.last().and_then(|s| s.status.as_ref()).map(|f| f.value.clone())
}

/// The loop. `final_job` fetches the result once QEMU is gone (libvirt: domjobinfo --completed).
pub fn watch(
    m: &mut dyn Monitor,
    final_job: &mut dyn FnMut() -> Option<(String, String)>,
    cfg: &Config,
    screen: &mut Screen,
) -> Summary {
    let mut s = Summary::new(Outcome::Stopped("not started".into()));
    let mut t = match Transcript::new(cfg.record.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            s.outcome = Outcome::Fault(Fault::Record(e));
            return s;
        }
    };
    s.outcome = match run(m, final_job, cfg, screen, &mut t, &mut s) {
        Ok(o) => o,
        Err(f) => Outcome::Fault(f),
    };
    if let Some(e) = &t.record_error {
        screen.log(&format!("warning: {e}"));
    }
    s
}

fn run(
    m: &mut dyn Monitor,
    final_job: &mut dyn FnMut() -> Option<(String, String)>,
    cfg: &Config,
    screen: &mut Screen,
    t: &mut Transcript,
    s: &mut Summary,
) -> Result<Outcome, Fault> {
    let start = Instant::now();
    // Version, parameters and capabilities once at start (and parameters after each change).
    record(m, t, "query-version", None)?;
    record(m, t, "query-migrate-parameters", None)?;
    record(m, t, "query-migrate-capabilities", None)?;
    let mut decider = Decider::default();
    let mut seen_migration = false;
    loop {
        if cfg.stop.load(Ordering::SeqCst) {
            return Ok(Outcome::Stopped("interrupted".into()));
        }
        let reply = match m.execute("query-migrate", None) {
            Ok(r) => r,
            Err(f) => {
                // libvirt: the source QEMU stops once the migration ends; its job record remains.
                if seen_migration {
                    if let Some((cmd, text)) = final_job() {
                        t.raw(&cmd, &text);
                        let a = analyse(parse(t.text()), cfg.options.clone());
                        if let Some(o) = finish(&a, s, screen) {
                            return Ok(o);
                        }
                    }
                }
                return Err(f);
            }
        };
        t.qmp("query-migrate", None, &reply);
        s.polls += 1;
        let status = reply.get("status").and_then(Value::as_str).unwrap_or("none").to_string();
        if !seen_migration && status == "none" {
            return Err(Fault::NotMigrating { target: m.target(), status });
        }
        seen_migration = true;
        let a = analyse(parse(t.text()), cfg.options.clone());
        s.limit_in_force_ms = a.paste.downtime_limit().0 .0;
        let decision = decider.decide(&a, &cfg.policy);
        if !matches!(decision, Decision::Wait { .. }) {
            screen.log(&view::decision_text(&decision, cfg.apply));
            s.decisions.push(decision.clone());
            if cfg.apply && decision.acts() {
                act(m, t, &decision, &a, s, screen)?;
            }
        }
        let frame = view::Frame {
            poll: s.polls,
            elapsed_ms: start.elapsed().as_secs_f64() * 1e3,
            analysis: &a,
            verdict: decide::verdict(&a),
            decision: &decision,
        };
        if screen.frame(&frame).is_err() {
            return Ok(Outcome::Stopped("standard output closed".into()));
        }
        if let Some(o) = finish(&a, s, screen) {
            return Ok(o);
        }
        let until = Instant::now() + cfg.interval;
        while Instant::now() < until {
            if cfg.stop.load(Ordering::SeqCst) {
                return Ok(Outcome::Stopped("interrupted".into()));
            }
            std::thread::sleep(Duration::from_millis(50).min(until.saturating_duration_since(Instant::now())));
        }
    }
}

/// Writes one decision: the parameters read again first (someone may have changed them
/// since the start, and a limit is never lowered), the engine's command, then read back.
fn act(
    m: &mut dyn Monitor,
    t: &mut Transcript,
    decision: &Decision,
    a: &Analysis,
    s: &mut Summary,
    screen: &mut Screen,
) -> Result<(), Fault> {
    let Some(setting) = decision.setting() else { return Ok(()) };
    let now = record(m, t, "query-migrate-parameters", None)?;
    if let Some(reason) = changed_outside(&setting, &now) {
        screen.log(&format!("nothing set: {reason}"));
        return Ok(());
    }
    s.predicted_pause_ms = a.advice.recommendation.as_ref().map(|r| r.expected_pause_ms.0);
    let sent = m.apply(&setting)?;
    screen.log(&format!("sent: {sent}"));
    s.writes.push(sent);
    let p = record(m, t, "query-migrate-parameters", None)?;
    let shown = |k: &str| p.get(k).and_then(Value::as_u64).map(|v| group(v as f64, 0)).unwrap_or_default();
    screen.log(&format!(
        "read back: downtime-limit {} ms, avail-switchover-bandwidth {} bytes/s",
        shown("downtime-limit"),
        shown("avail-switchover-bandwidth")
    ));
    Ok(())
}

/// Some(why) when the parameters read just now already cover the setting: a limit at or
/// above it (never lower one), or an avail-switchover-bandwidth someone set.
fn changed_outside(setting: &Setting, params: &Value) -> Option<String> {
    let get = |k: &str| params.get(k).and_then(Value::as_f64);
    match setting {
        Setting::DowntimeLimit(ms) => get("downtime-limit").filter(|now| *now >= ms.0).map(|now| {
            format!("downtime-limit is already {} ms (changed outside watch); a limit is never lowered", group(now, 0))
        }),
        Setting::AvailSwitchoverBandwidth(_) => get("avail-switchover-bandwidth").filter(|now| *now > 0.0).map(|now| {
            format!("avail-switchover-bandwidth is already {} bytes/s (set outside watch); kept", group(now, 0))
        }),
        Setting::MaxBandwidth(_) => None,
    }
}

/// Some when the migration has ended: the measured numbers beside the prediction.
fn finish(a: &Analysis, s: &mut Summary, screen: &mut Screen) -> Option<Outcome> {
    let snap = a.paste.snapshots.last()?;
    let status = status_of(a)?;
    s.measured_downtime_ms = snap.downtime.as_ref().map(|d| d.value.0);
    s.total_time_ms = snap.total_time.as_ref().map(|d| d.value.0);
    let limit = a.paste.downtime_limit().0 .0;
    s.limit_in_force_ms = limit;
    let outcome = match status {
        Status::Completed => Outcome::Completed,
        Status::Failed | Status::Cancelled => {
            Outcome::Failed { status: status.name().to_string(), error: snap.error.as_ref().map(|e| e.value.clone()) }
        }
        _ => return None,
    };
    let n = |v: Option<f64>| v.map(|x| grouped_ms(Millis(x))).unwrap_or_else(|| "n/a".into());
    let predicted = match s.predicted_pause_ms {
        Some(p) => format!("; the engine's estimate when it acted: {} (pending / live-phase bandwidth)", n(Some(p))),
        None => String::new(),
    };
    screen.log(&format!(
        "{}: measured downtime {} (limit in force {}: the pause is at most the limit{predicted}), total time {}",
        status.name(),
        n(s.measured_downtime_ms),
        n(Some(limit)),
        n(s.total_time_ms)
    ));
    if let Outcome::Failed { error: Some(e), .. } = &outcome {
        screen.log(&format!("QEMU's reason: {e}"));
    }
    Some(outcome)
}

impl Summary {
    pub fn new(outcome: Outcome) -> Summary {
        Summary {
            outcome,
            decisions: Vec::new(),
            writes: Vec::new(),
            polls: 0,
            measured_downtime_ms: None,
            total_time_ms: None,
            predicted_pause_ms: None,
            limit_in_force_ms: 0.0,
        }
    }
}
