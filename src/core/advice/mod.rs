//! Advice that makes a stuck migration finish: the recommended downtime-limit,
//! the hugepage model, a pre-copy simulation, ramp policies and levers.

use super::analysis::Options;
use super::formulas::SnapshotFormulas;
use super::model::Paste;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recommendation {
    pub downtime_limit_ms: f64,
    pub expected_pause_ms: f64,
    /// At the pasted limit: true, false, or None when the paste cannot tell yet.
    pub converges_now: Option<bool>,
    pub basis: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Simulation {
    pub converges: bool,
    pub passes: u32,
    pub total_time_ms: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Advice {
    pub recommendation: Option<Recommendation>,
    pub simulation: Option<Simulation>,
}

pub fn advise(_paste: &Paste, _formulas: &[SnapshotFormulas], _focus: Option<usize>, _options: &Options) -> Advice {
    Advice::default()
}

impl Advice {
    /// Readable advice for the CLI and the page's copy button (empty when there is none).
    pub fn to_text(&self) -> String {
        String::new()
    }
}
