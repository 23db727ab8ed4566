//! One axis type for every chart: plotters' linear f64 axis or its log axis, chosen at run
//! time. plotters instantiates its whole mesh, axis and label pipeline (and each series'
//! drawing) once per coordinate type; the limit charts' log y axis made it a second
//! `Cartesian2d`, 5.0 KiB of the gzipped wasm (issue 12). Every call forwards to
//! plotters' own axis, so ticks and pixels are plotters' as before.

use crate::core::units::group;
use plotters::coord::combinators::{IntoLogRange, LogCoord};
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use std::ops::Range;

pub enum Axis {
    Linear(RangedCoordf64),
    Log(LogCoord<f64>),
}

impl Axis {
    pub fn linear(r: Range<f64>) -> Axis {
        Axis::Linear(r.into())
    }
    pub fn log(r: Range<f64>) -> Axis {
        Axis::Log(r.log_scale().into())
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        match self {
            Axis::Linear(a) => a.map(value, limit),
            Axis::Log(a) => a.map(value, limit),
        }
    }
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self {
            Axis::Linear(a) => a.key_points(hint),
            Axis::Log(a) => a.key_points(hint),
        }
    }
    fn range(&self) -> Range<f64> {
        match self {
            Axis::Linear(a) => a.range(),
            Axis::Log(a) => a.range(),
        }
    }
}

/// A tick label where a chart sets no formatter of its own: a whole number, grouped.
/// (plotters' default is the value's `Debug`, which no chart showed.)
impl ValueFormatter<f64> for Axis {
    fn format(value: &f64) -> String {
        group(*value, 0)
    }
}
