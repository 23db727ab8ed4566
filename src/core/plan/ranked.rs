//! Every lever that would make this migration finish, with the pause and total time it
//! implies on these numbers, what it costs and how it applies; sorted by pause
//! (issue 14 point 3). Levers this QEMU or this platform lacks are listed apart, with why.

use super::commands::{self, Command, Interface};
use super::confidence::Level;
use super::diagnosis::Cap;
use super::prose;
use crate::core::advice::auto_converge;
use crate::core::advice::rounding::typeable_ms;
use crate::core::advice::{hugepage, simulate, Advice, ModelInputs, Recommendation, SimInput};
use crate::core::model::Version;
use crate::core::options::{Options, Platform};
use crate::core::units::*;
use serde::Serialize;
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lever {
    DowntimeLimit,
    MaxBandwidth,
    AvailSwitchoverBandwidth,
    AutoConverge,
    Postcopy,
    SmallerPages,
}

impl Lever {
    pub fn name(self) -> &'static str {
        match self {
            Lever::DowntimeLimit => "raise downtime-limit",
            Lever::MaxBandwidth => "raise max-bandwidth",
            Lever::AvailSwitchoverBandwidth => "set avail-switchover-bandwidth",
            Lever::AutoConverge => "auto-converge",
            Lever::Postcopy => "postcopy",
            Lever::SmallerPages => "smaller backing pages",
        }
    }
}

/// How the pause was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PauseBasis {
    /// Pending / final-copy bandwidth, from the paste (low) to the next sync's estimate or the limit (high).
    Estimate,
    /// Only bounded: QEMU switches over when pending < threshold bandwidth x limit.
    AtMost,
    /// Between the one-spot-per-page floor and the pending now (smaller pages).
    Between,
    /// Postcopy's: the first fault's page at the final-copy rate (from the paste) up to
    /// that plus the device state, which no QEMU output gives (a model).
    PartlyModel,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pause {
    pub low: Option<Millis>,
    pub high: Millis,
    pub basis: PauseBasis,
}

impl Pause {
    /// "3.56 s .. 5.26 s", "at most 300 ms", "155 ms .. 165 ms, partly a model".
    pub fn describe(&self) -> String {
        match (self.basis, self.low) {
            (PauseBasis::PartlyModel, Some(l)) if l.0 >= 1.0 => {
                format!("{} .. {}, partly a model", prose::duration(l), prose::duration(self.high))
            }
            (PauseBasis::PartlyModel, _) => format!("about {}, a model", prose::duration(self.high)),
            (_, Some(l)) if (self.high.0 - l.0).abs() >= 0.5 => {
                format!("{} .. {}", prose::duration(l), prose::duration(self.high))
            }
            (PauseBasis::AtMost, _) | (_, None) => format!("at most {}", prose::duration(self.high)),
            (_, Some(l)) => format!("about {}", prose::duration(l)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applies {
    /// On the running migration (a parameter).
    Now,
    /// Cancel and start the migration again (a capability: QEMU refuses capability
    /// changes while a migration runs, migration/options.c qmp_migrate_set_capabilities).
    RestartMigration,
    /// Restart the guest with another configuration, then migrate.
    RestartGuest,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostKind {
    GuestPause,
    GuestThrottled,
    PostcopyRisk,
    SharedLink,
    RestartMigration,
    RestartGuest,
    FewerHugepages,
    /// It may not make the migration finish: the evidence cannot tell (a saturated dirty rate).
    MayNotHelp,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cost {
    pub kind: CostKind,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedOption {
    pub lever: Lever,
    /// What to set, in words ("downtime-limit 4,500 ms").
    pub setting: String,
    pub pause: Pause,
    /// From now to the guest running on the destination, if it can be told.
    pub total_time: Option<Millis>,
    pub applies: Applies,
    pub costs: Vec<Cost>,
    /// The downtime-limit this option needs (the one in force when unchanged).
    pub limit: Millis,
    pub commands: Vec<Command>,
    /// Where the numbers come from ("simulation", "model", ...).
    pub basis: String,
    /// Only when this option's own evidence is weaker than the plan's (a trial that may not help).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Level>,
}

impl RankedOption {
    /// Worth trying, but the paste cannot tell that it works.
    pub fn is_trial(&self) -> bool {
        self.confidence == Some(Level::Low)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotOffered {
    pub lever: Lever,
    pub reason: String,
}

/// What the options are computed from.
pub struct Ctx<'a> {
    pub i: &'a ModelInputs,
    pub sim: &'a SimInput,
    pub rec: &'a Recommendation,
    pub advice: &'a Advice,
    pub version: Option<&'a Version>,
    /// The oldest QEMU that prints the snapshot's dialect, when the version is not pasted.
    pub dialect_floor: Option<(u32, u32)>,
    /// A QEMU older than this, when the printed expected downtime dates it (formula 1: before 3.0).
    pub dated_below: Option<(u32, u32)>,
    pub options: &'a Options,
    pub cap: Option<&'a Cap>,
    /// The plan's limits: the first step, and a second one if the next sync may need more.
    pub step_limits: (Millis, Option<Millis>),
}

impl Ctx<'_> {
    fn domain(&self) -> Option<&str> {
        self.options.domain.as_deref()
    }
    /// Bandwidth of the final copy: the link when known (QEMU lifts max-bandwidth), else the measured one.
    fn switchover_bw(&self) -> BytesPerMs {
        self.i.link_bytes_per_ms.unwrap_or(self.i.bandwidth_bytes_per_ms)
    }
    fn thr(&self) -> BytesPerMs {
        self.i.threshold_bandwidth_bytes_per_ms
    }
    fn limit_in_force(&self) -> Millis {
        self.i.limit_ms
    }
    /// Sending the guest's RAM again after a restarted migration (zero pages are cheap: an upper bound).
    fn restart_ms(&self) -> Option<Millis> {
        self.i.total_ram_bytes.map(|t| t / self.i.bandwidth_bytes_per_ms)
    }
    fn at_least(&self, v: (u32, u32)) -> Option<bool> {
        match (self.version, self.dialect_floor, self.dated_below) {
            (Some(x), _, _) => Some((x.major, x.minor) >= v),
            (None, Some(f), _) if f >= v => Some(true),
            (None, _, Some(b)) if v >= b => Some(false),
            _ => None,
        }
    }
    /// A pause bounded by the threshold: pending < threshold x limit, sent at the final-copy rate.
    fn bound(&self, limit: Millis) -> Millis {
        (self.thr() * limit) / self.switchover_bw()
    }
}

fn pause_cost(high: Millis) -> Cost {
    Cost {
        kind: CostKind::GuestPause,
        text: format!("the guest stands still up to {}: TCP peers retransmit, cluster heartbeats (corosync's token is 1-3 s) may fence the node, the guest clock steps", prose::duration(high)),
    }
}

fn restart_migration_cost(c: &Ctx) -> Cost {
    Cost {
        kind: CostKind::RestartMigration,
        text: match c.restart_ms() {
            Some(t) => format!("cancel and start the migration again (a capability cannot change while it runs): the first pass resends the RAM, up to {} more", prose::duration(t)),
            None => "cancel and start the migration again (a capability cannot change while it runs)".into(),
        },
    }
}

pub fn downtime_limit(c: &Ctx) -> Result<RankedOption, NotOffered> {
    if c.rec.exceeds_qemu_max {
        return Err(NotOffered {
            lever: Lever::DowntimeLimit,
            reason: format!("it needs {}, above QEMU's maximum downtime-limit of 2,000 s", prose::limit(c.rec.base_ms)),
        });
    }
    let (first, second) = c.step_limits;
    let sw = c.switchover_bw();
    let low = c.rec.base_pending_bytes / sw;
    let high = match (second, c.rec.next_sync_bytes) {
        (Some(_), Some(n)) => n / sw,
        _ => c.bound(first),
    };
    let setting = match second {
        Some(s) => format!("downtime-limit {}, {} if the next sync leaves more", prose::limit(first), prose::limit(s)),
        None => format!("downtime-limit {}", prose::limit(first)),
    };
    let old = c.at_least((2, 8)) == Some(false);
    Ok(RankedOption {
        lever: Lever::DowntimeLimit,
        setting,
        pause: Pause { low: Some(low), high: Millis(high.0.max(low.0)), basis: PauseBasis::Estimate },
        total_time: c.advice.simulation_at_recommended.as_ref().filter(|s| s.converges).map(|s| s.total_time_ms),
        applies: Applies::Now,
        costs: vec![pause_cost(Millis(high.0.max(low.0)))],
        limit: second.unwrap_or(first),
        commands: commands::downtime_limit(first, c.domain(), old),
        basis: "pending after a sync / final-copy bandwidth; the simulation for the time".into(),
        confidence: None,
    })
}

pub fn max_bandwidth(c: &Ctx) -> Result<RankedOption, NotOffered> {
    let i = c.i;
    let Some(cap) = c.cap else {
        let reason = if i.max_bandwidth_unlimited {
            "max-bandwidth is already unlimited: the measured rate is what the link delivers".to_string()
        } else if i.max_bandwidth_bytes_per_s.is_some() {
            "the throughput is well below max-bandwidth: the live phase is not capped".to_string()
        } else {
            "max-bandwidth was not pasted and the throughput is not at QEMU's 32 or 128 MiB/s default: paste `info migrate_parameters`".to_string()
        };
        return Err(NotOffered { lever: Lever::MaxBandwidth, reason });
    };
    let bw = i.bandwidth_bytes_per_ms;
    let (new, given) = match i.link_bytes_per_ms {
        Some(l) if l.0 > bw.0 * 1.05 => (l, true),
        _ => (bw * 2.0, false),
    };
    let new = BytesPerSec::from_mib_per_sec(new.to_bytes_per_sec().whole_mib_per_sec()).to_bytes_per_ms();
    let mut s = c.sim.clone();
    s.bandwidth = new;
    if i.avail_switchover_bytes_per_s.map(|a| a.0).unwrap_or(0.0) <= 0.0 {
        s.threshold_bandwidth = new;
    }
    s.switchover_bandwidth = s.switchover_bandwidth.max(new);
    let run = simulate::run(&s, i.limit_ms);
    let setting = format!("max-bandwidth {}", prose::mib_per_s(new.to_bytes_per_sec()));
    let room = if given {
        "the link's given speed".to_string()
    } else {
        format!(
            "twice the {} now; whether the link has that room is not known (a model)",
            prose::rate(bw.to_bytes_per_sec())
        )
    };
    let mut commands = commands::max_bandwidth(new.to_bytes_per_sec(), c.domain());
    let (limit, pause, total) = if run.converges {
        let high = (s.threshold_bandwidth * i.limit_ms) / s.switchover_bandwidth;
        (
            c.limit_in_force(),
            Pause { low: run.final_pause_ms, high, basis: PauseBasis::Estimate },
            Some(run.total_time_ms),
        )
    } else {
        let need = Millis(typeable_ms((c.rec.base_pending_bytes / s.threshold_bandwidth).0));
        if need.0 > MAX_DOWNTIME_LIMIT_MS {
            return Err(NotOffered {
                lever: Lever::MaxBandwidth,
                reason: "even at twice the rate the limit needed is above QEMU's maximum".into(),
            });
        }
        let at = simulate::run(&s, need);
        commands.extend(commands::downtime_limit(need, c.domain(), false));
        let low = c.rec.base_pending_bytes / s.switchover_bandwidth;
        (
            need,
            Pause {
                low: Some(low),
                high: (s.threshold_bandwidth * need) / s.switchover_bandwidth,
                basis: PauseBasis::Estimate,
            },
            at.converges.then_some(at.total_time_ms),
        )
    };
    let _ = cap;
    let mut costs = vec![Cost {
        kind: CostKind::SharedLink,
        text: format!("{room}; the migration takes that much of the link from the guests' own traffic"),
    }];
    // A saturated rate is a lower bound: the simulation on it cannot promise convergence.
    let trial = i.rate_bound.clause().map(|why| {
        let below = highest_converging_rate(&s, limit);
        costs.insert(
            0,
            Cost {
                kind: CostKind::MayNotHelp,
                text: format!(
                    "it may not help: it converges only if the guest writes less than {} (the pre-copy simulation at {}, a model); {why}",
                    prose::mib_per_s(below),
                    prose::mib_per_s(new.to_bytes_per_sec())
                ),
            },
        );
    });
    let setting =
        if limit.0 > i.limit_ms.0 { format!("{setting} and downtime-limit {}", prose::limit(limit)) } else { setting };
    Ok(RankedOption {
        lever: Lever::MaxBandwidth,
        setting,
        pause,
        // How long depends on the real write rate, which the paste does not show.
        total_time: if trial.is_some() { None } else { total },
        applies: Applies::Now,
        costs,
        limit,
        commands,
        basis: if trial.is_some() {
            "pre-copy simulation at the new rate, on a printed dirty rate that is only a lower bound".into()
        } else {
            "pre-copy simulation at the new rate".into()
        },
        confidence: trial.map(|_| Level::Low),
    })
}

/// The highest guest write rate at which the simulation `s` still switches over at
/// `limit`, whole MiB/s rounded down (the rate the guest must stay below).
fn highest_converging_rate(s: &SimInput, limit: Millis) -> BytesPerSec {
    let converges = |d: BytesPerMs| {
        let mut x = s.clone();
        x.dirty_bytes_per_ms = d;
        simulate::run(&x, limit).converges
    };
    let (mut lo, mut hi) = (BytesPerMs(0.0), s.bandwidth * 2.0);
    if !converges(lo) {
        return BytesPerSec(0.0);
    }
    for _ in 0..40 {
        let mid = (lo + hi) * 0.5;
        if converges(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    BytesPerSec::from_mib_per_sec(lo.to_bytes_per_sec().whole_mib_per_sec())
}

pub fn avail_switchover(c: &Ctx) -> Result<RankedOption, NotOffered> {
    let i = c.i;
    let not = |reason: String| Err(NotOffered { lever: Lever::AvailSwitchoverBandwidth, reason });
    if i.supports_avail_switchover != Some(true) {
        return not(match &i.qemu_version {
            Some(v) => format!("needs QEMU 8.2 or later; this is {v}"),
            None => "needs QEMU 8.2 or later; this paste looks older (or its version is unknown)".into(),
        });
    }
    let Some(link) = i.link_bytes_per_ms.filter(|l| l.0 > 0.0) else {
        return not("needs the link's real speed (measure it between the two hosts, e.g. with iperf3, and give it as the link speed): a guessed value can pause the guest far beyond the limit".into());
    };
    let link = link.to_bytes_per_sec().0.floor();
    let link = BytesPerSec(link).to_bytes_per_ms();
    let pending = c.rec.base_pending_bytes;
    let need = pending / link;
    let mut commands = commands::avail_switchover(link.to_bytes_per_sec());
    let limit = if need.0 < i.limit_ms.0 { c.limit_in_force() } else { Millis(typeable_ms(need.0)) };
    if limit.0 > i.limit_ms.0 {
        commands.extend(commands::downtime_limit(limit, c.domain(), false));
    }
    let mut s = c.sim.clone();
    s.threshold_bandwidth = link;
    s.switchover_bandwidth = link;
    let run = simulate::run(&s, limit);
    Ok(RankedOption {
        lever: Lever::AvailSwitchoverBandwidth,
        setting: format!(
            "avail-switchover-bandwidth {} (the link's speed){}",
            prose::rate(link.to_bytes_per_sec()),
            if limit.0 > i.limit_ms.0 { format!(" and downtime-limit {}", prose::limit(limit)) } else { String::new() }
        ),
        pause: Pause { low: Some(need), high: Millis(limit.0.max(need.0)), basis: PauseBasis::Estimate },
        total_time: run.converges.then_some(run.total_time_ms),
        applies: Applies::Now,
        costs: vec![Cost {
            kind: CostKind::GuestPause,
            text: "if the link delivers less than this at switchover, the pause exceeds the limit".into(),
        }],
        limit,
        commands,
        basis: "pending / the link's speed (QEMU 8.2+ uses it in the threshold)".into(),
        confidence: None,
    })
}

pub fn auto_converge(c: &Ctx) -> Result<RankedOption, NotOffered> {
    let i = c.i;
    let not = |reason: String| Err(NotOffered { lever: Lever::AutoConverge, reason });
    if i.auto_converge == Some(true) {
        return not(format!(
            "already on{}",
            i.cpu_throttle_pct.map(|t| format!(": the vCPUs are throttled {} % now", group(t, 0))).unwrap_or_default()
        ));
    }
    let run = auto_converge::run(i, c.sim);
    let (conv, passes, throttle, time) = (run.converges, run.passes, run.throttle_pct, run.time_ms);
    if !conv {
        return not(format!(
            "even at {} % throttle the simulation does not switch over at {}",
            group(throttle, 0),
            prose::limit(c.limit_in_force())
        ));
    }
    let total = c.restart_ms().map(|r| r + time);
    let mut costs = vec![Cost {
        kind: CostKind::GuestThrottled,
        text: match i.rate_bound.clause() {
            Some(why) => format!("the vCPUs run throttled, at least {} % by the end: {why}, so the throttle needed and the time are lower bounds", group(throttle, 0)),
            None => format!("the vCPUs run throttled, {} % by the end (the printed rate undercounts rewrites: real throttles run higher)", group(throttle, 0)),
        },
    }];
    costs.push(restart_migration_cost(c));
    Ok(RankedOption {
        lever: Lever::AutoConverge,
        setting: format!(
            "auto-converge on (switches over after {}{passes} passes at the {} in force)",
            if i.rate_bound.is_lower_bound() { "at least " } else { "" },
            prose::limit(c.limit_in_force())
        ),
        pause: Pause { low: None, high: c.bound(c.limit_in_force()), basis: PauseBasis::AtMost },
        total_time: total,
        applies: Applies::RestartMigration,
        costs,
        limit: c.limit_in_force(),
        commands: commands::auto_converge(c.domain()),
        basis: "QEMU's throttle steps replayed on the printed rate (model); total time includes resending the RAM"
            .into(),
        confidence: None,
    })
}

/// The device state postcopy sends with the guest stopped (vCPUs, virtio and other
/// non-RAM state). No QEMU output gives it: a model of a guest with a few vCPUs and
/// virtio devices, which send well under this.
pub const POSTCOPY_DEVICE_STATE_MODEL: Bytes = Bytes(MIB);

/// The page a postcopy fault waits for: the RAM block's host page. On x86 and radix the
/// page's size field is not used, so the floor is their base page (4 KiB, or the
/// dirty-logging granule); otherwise the backing the person gave.
fn postcopy_page(i: &ModelInputs) -> Bytes {
    match i.platform {
        Some(Platform::X86) | Some(Platform::PowerRadix) => hugepage::dirty_granule(i.platform, i.backing_page_bytes),
        Some(Platform::PowerHash) | None => i.backing_page_bytes,
    }
}

/// Postcopy's pause (migration/migration.c postcopy_start, QEMU 2.5+): the source stops
/// the guest, sends the device state QEMU cannot postcopy in one package, and the
/// destination resumes it; then the first access to a page not yet copied waits for that
/// whole backing page (a hugetlbfs RAM block is placed a host page at a time). The
/// page's wait is from the paste; the device state is a model. A POWER hash-MMU
/// guest's HPT delta comes on top, as for every option (the plan's note says so).
pub fn postcopy_pause(i: &ModelInputs) -> Pause {
    let bw = i.link_bytes_per_ms.unwrap_or(i.bandwidth_bytes_per_ms);
    let fault = postcopy_page(i) / bw;
    let state = POSTCOPY_DEVICE_STATE_MODEL / bw;
    Pause { low: Some(fault), high: Millis(fault.0 + state.0), basis: PauseBasis::PartlyModel }
}

pub fn postcopy(c: &Ctx) -> Result<RankedOption, NotOffered> {
    let i = c.i;
    if c.at_least((2, 6)) == Some(false) {
        return Err(NotOffered { lever: Lever::Postcopy, reason: "postcopy-ram needs QEMU 2.6 or later".into() });
    }
    let on = i.postcopy_ram == Some(true);
    let bw = i.bandwidth_bytes_per_ms;
    let pull = i.pending_bytes / bw;
    let total = if on { Some(pull) } else { c.restart_ms().map(|r| r + pull) };
    let recover = match c.at_least((3, 0)) {
        Some(true) => "if the network or the destination fails meanwhile, the guest is paused until `migrate_recover` (QEMU 3.0+) resumes it",
        Some(false) => "if the network or the destination fails meanwhile the guest is lost: this QEMU predates postcopy recovery (3.0; its expected downtime formula dates it)",
        None => "if the network or the destination fails meanwhile the guest is paused (QEMU 3.0+ can recover it) or lost (older QEMU)",
    };
    let mut costs = vec![Cost {
        kind: CostKind::PostcopyRisk,
        text: format!(
            "the guest runs on the destination while {} is pulled over ({}); {recover}",
            prose::size(i.pending_bytes),
            prose::duration(pull)
        ),
    }];
    if c.options.platform == Some(Platform::PowerHash) && i.backing_page_bytes > i.target_page_bytes {
        costs.push(Cost {
            kind: CostKind::PostcopyRisk,
            text: format!(
                "each fault on a page not yet copied waits for a whole {} page, about {} at this rate",
                prose::size(i.backing_page_bytes),
                prose::duration(i.backing_page_bytes / bw)
            ),
        });
    }
    let pause = postcopy_pause(i);
    costs.insert(
        0,
        Cost {
            kind: CostKind::GuestPause,
            text: format!(
                "the pause is the device state ({} assumed: a model, no QEMU output gives it) and the first fault's {} page, both at {} (migration.c postcopy_start): {}",
                prose::size(POSTCOPY_DEVICE_STATE_MODEL),
                prose::size(postcopy_page(i)),
                prose::rate(c.switchover_bw().to_bytes_per_sec()),
                pause.describe()
            ),
        },
    );
    if !on {
        costs.push(restart_migration_cost(c));
    }
    Ok(RankedOption {
        lever: Lever::Postcopy,
        setting: if on {
            "start postcopy now (postcopy-ram is on)".into()
        } else {
            "postcopy-ram on both sides, then start postcopy after the first pass".into()
        },
        pause,
        total_time: total,
        applies: if on { Applies::Now } else { Applies::RestartMigration },
        costs,
        limit: c.limit_in_force(),
        commands: commands::postcopy(c.domain(), on),
        basis: "the first fault's page at the final-copy rate (from the paste) plus the device state (a model)".into(),
        confidence: None,
    })
}

pub fn smaller_pages(c: &Ctx) -> Result<RankedOption, NotOffered> {
    let i = c.i;
    let not = |reason: &str| Err(NotOffered { lever: Lever::SmallerPages, reason: reason.into() });
    match c.options.platform {
        Some(Platform::PowerHash) if i.backing_page_bytes.0 > 64.0 * KIB => {}
        Some(Platform::PowerHash) => return not("the backing pages are already 64 KiB or smaller"),
        Some(Platform::X86) => {
            return not("x86 logs dirty memory per 4 KiB page whatever backs the RAM: smaller pages change nothing")
        }
        Some(Platform::PowerRadix) => {
            return not("a radix guest logs dirty memory at the host page size whatever backs the RAM")
        }
        None => {
            return not(
                "only a POWER hash-MMU guest dirties whole huge pages: say where the guest runs to see this lever",
            )
        }
    }
    let Some(lever) = c.advice.levers.iter().find(|l| l.name == "smaller backing pages") else {
        return not("no page-size model for this paste");
    };
    let Some(need) = lever.limit_needed_ms else { return not("no page-size model for this paste") };
    let now = i.pending_bytes / c.switchover_bw();
    let commands = lever.commands.iter().map(|t| commands::cmd(Interface::Config, t.clone())).collect();
    Ok(RankedOption {
        lever: Lever::SmallerPages,
        setting: "64 KiB backing pages (cap-hpt-max-page-size=64K), after a guest restart".into(),
        pause: Pause { low: Some(need), high: now.max(need), basis: PauseBasis::Between },
        total_time: None,
        applies: Applies::RestartGuest,
        costs: vec![
            Cost {
                kind: CostKind::RestartGuest,
                text: "the guest restarts with the new configuration on both hosts".into(),
            },
            Cost { kind: CostKind::FewerHugepages, text: "the guest loses its 16 MiB pages: more TLB misses".into() },
        ],
        limit: c.limit_in_force(),
        commands,
        basis: "one written spot per 16 MiB page (low) up to the pending now (high): a model".into(),
        confidence: None,
    })
}

/// Every lever, offered ones sorted by pause (worst case, then best case, then total time).
pub fn rank(c: &Ctx) -> (Vec<RankedOption>, Vec<NotOffered>) {
    let all =
        [downtime_limit(c), max_bandwidth(c), avail_switchover(c), auto_converge(c), postcopy(c), smaller_pages(c)];
    let by_pause = |o: &RankedOption| {
        (
            o.pause.high.0,
            o.pause.low.map(|l| l.0).unwrap_or(o.pause.high.0),
            o.total_time.map(|t| t.0).unwrap_or(f64::INFINITY),
        )
    };
    // Each offered option goes in after those that pause no longer (a stable order, as
    // sort_by gives): at most six, and no sort instance in the page's wasm (issue 12).
    let (mut offered, mut not) = (Vec::<RankedOption>::new(), Vec::new());
    for r in all {
        match r {
            Ok(o) => {
                let at = offered.partition_point(|p| by_pause(p).partial_cmp(&by_pause(&o)) != Some(Ordering::Greater));
                offered.insert(at, o);
            }
            Err(n) => not.push(n),
        }
    }
    (offered, not)
}
