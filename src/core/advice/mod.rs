//! Advice that makes a stuck migration finish: the recommended downtime-limit,
//! the hugepage model, a pre-copy simulation, ramp policies and levers.
//!
//! Every part works from `ModelInputs` (what the paste says, with where each
//! number came from), so the page, the CLI and the tests see the same numbers.

pub mod auto_converge;
pub mod commands;
pub mod hugepage;
pub mod inputs;
pub mod levers;
pub mod power;
pub mod ramp;
pub mod recommend;
pub mod rounding;
pub mod series;
pub mod simulate;
pub mod switchover_bw;
pub mod text;

use super::flagged::{bug_sentence, Counter};
use super::model::{Paste, Status};
use super::options::Options;
use crate::core::units::{BytesPerMs, Millis};
use serde::Serialize;

pub use commands::Commands;
pub use hugepage::Hugepage;
pub use inputs::{ModelInputs, PendingSource};
pub use levers::{Lever, LeverId};
pub use power::PowerPrereqs;
pub use ramp::{RampOutcome, RampPolicy};
pub use recommend::{Confidence, Level, Recommendation};
pub use series::{SeriesSummary, SyncPoint};
pub use simulate::{Pass, SimInput, SimOutcome, Simulation};
pub use switchover_bw::SwitchoverBandwidth;

/// A usable positive number (false for 0, negatives, NaN and infinities).
pub(crate) fn positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

/// Passes the simulation runs before it calls a migration non-converging.
pub const MAX_PASSES: u32 = 50;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Advice {
    pub recommendation: Option<Recommendation>,
    /// Pre-copy simulation at the limit in force (pasted, else QEMU's 300 ms).
    pub simulation: Option<Simulation>,
    /// The same simulation at the recommended limit.
    pub simulation_at_recommended: Option<Simulation>,
    /// The simulation with no working-set cap (the guest keeps touching new pages
    /// at the printed rate); only when that cap changes the outcome.
    pub simulation_uncapped: Option<Simulation>,
    /// The simulation's inputs: `simulate::run(&sim_input, limit)` charts any limit.
    pub sim_input: Option<SimInput>,
    /// What every model here was fed, with the source of each number.
    pub inputs: Option<ModelInputs>,
    /// The time series: one point per sync, bandwidth trend, stall.
    pub series: Option<SeriesSummary>,
    pub hugepage: Option<Hugepage>,
    /// The capped-bandwidth effect and avail-switchover-bandwidth.
    pub switchover_bandwidth: Option<SwitchoverBandwidth>,
    pub ramps: Vec<RampOutcome>,
    pub levers: Vec<Lever>,
    pub power: Option<PowerPrereqs>,
    /// Why a part is missing, or what the paste cannot tell.
    pub notes: Vec<String>,
}

pub fn advise(paste: &Paste, focus: Option<usize>, options: &Options) -> Advice {
    let mut advice = Advice::default();
    let series = series::summarise(paste);
    if let Some(s) = focus.and_then(|i| paste.snapshots.get(i)) {
        let status = s.status.as_ref().map(|f| &f.value);
        if matches!(status, Some(Status::PostcopyActive) | Some(Status::PostcopyPaused)) {
            let paused = matches!(status, Some(Status::PostcopyPaused));
            advice.recommendation = Some(recommend::in_postcopy(
                paste.downtime_limit().0,
                s.remaining.as_ref().map(|r| r.value),
                s.bandwidth(),
                paused,
            ));
            advice.series = series;
            advice.power = power::prerequisites(options.platform, options.backing_page);
            return advice;
        }
    }
    let inputs = match inputs::gather(paste, focus, options, series.as_ref()) {
        Ok(i) => i,
        Err(stop) => {
            advice.recommendation = recommend::completed_only(&stop);
            advice.notes.push(stop.note);
            advice.series = series;
            advice.power = power::prerequisites(options.platform, options.backing_page);
            return advice;
        }
    };
    advice.notes.extend(inputs::passed_over(paste, inputs.snapshot));
    if let Some(b) = paste.snapshots.get(inputs.snapshot).and_then(|s| bug_sentence(s, Counter::DirtyRate)) {
        if inputs.dirty_rate_bug.is_some() {
            advice.notes.push(format!("{b}: the simulation, the auto-converge model and the ramp policies run as if the guest dirtied nothing, so they show the best case, not a prediction."));
        }
    }
    let sim_in = SimInput::from_inputs(&inputs);
    let sim_now = simulate::run(&sim_in, inputs.limit_ms);
    let rec = recommend::recommend(&inputs, series.as_ref(), &sim_now);
    let sim_rec = simulate::run(&sim_in, rec.downtime_limit_ms);
    let uncapped = if sim_in.working_set.is_some() {
        let mut free = sim_in.clone();
        free.working_set = None;
        let s = simulate::run(&free, inputs.limit_ms);
        let differs = s.converging_limit_ms.map(|v| v.0.round()) != sim_now.converging_limit_ms.map(|v| v.0.round());
        differs.then_some(s)
    } else {
        None
    };
    advice.hugepage = hugepage::analyse(&inputs);
    advice.switchover_bandwidth = Some(switchover_bw::analyse(&inputs, rec.base_pending_bytes));
    advice.ramps = ramp::compare(&inputs, &rec);
    advice.levers = levers::all(&inputs, &sim_in, &rec);
    advice.power = power::prerequisites(options.platform, options.backing_page);
    advice.recommendation = Some(rec);
    advice.simulation = Some(sim_now);
    advice.simulation_at_recommended = Some(sim_rec);
    advice.simulation_uncapped = uncapped;
    advice.sim_input = Some(sim_in);
    advice.inputs = Some(inputs);
    advice.series = series;
    advice
}

impl Advice {
    /// Chart data: the simulation at any limit (pending per pass vs threshold).
    pub fn simulate_at(&self, limit: Millis) -> Option<Simulation> {
        self.sim_input.as_ref().map(|s| simulate::run(s, limit))
    }

    /// Chart data: the limit needed for each backing page size (the hugepage table).
    pub fn limit_vs_page_size(&self) -> Vec<hugepage::PageSizeRow> {
        self.hugepage.as_ref().map(|h| h.by_page_size.clone()).unwrap_or_default()
    }

    /// Chart data: (switchover bandwidth bytes/ms, limit needed ms) for the pending after a sync.
    pub fn limit_vs_bandwidth(&self, bandwidths: &[BytesPerMs]) -> Vec<(BytesPerMs, Millis)> {
        self.recommendation
            .as_ref()
            .map(|r| switchover_bw::required_limit_vs_bandwidth(r.base_pending_bytes, bandwidths))
            .unwrap_or_default()
    }

    /// Chart data: the series' post-sync points (the sawtooth's decisive values).
    pub fn sync_points(&self) -> Vec<SyncPoint> {
        self.series.as_ref().map(|s| s.points.clone()).unwrap_or_default()
    }

    /// The readable report the CLI prints and the snapshot tests pin.
    pub fn to_text(&self) -> String {
        text::render(self)
    }
}
