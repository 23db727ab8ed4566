//! The page's charts as data: each figure is a function of the analysis that
//! returns what to plot, the one-line summary (also the canvas's accessible name),
//! the legend and the data table. ui/charts.rs draws any `Figure` with one
//! component; what a figure says is decided (and tested) here.

use crate::core::advice::Simulation;
use crate::core::units::{group, human_bytes, human_duration, Bytes, BytesPerMs, BytesPerSec, Millis, MIB};
use crate::core::Analysis;

/// What a chart shows, as plain data (compared to decide whether to redraw).
#[derive(Clone, Debug, PartialEq)]
pub enum Plot {
    /// Pending MiB per pass at two limits, with each limit's threshold.
    Passes {
        current: Vec<(f64, f64)>,
        recommended: Vec<(f64, f64)>,
        current_threshold: f64,
        recommended_threshold: f64,
    },
    /// Time (s) against remaining (MiB), expected downtime (ms), throughput (MiB/s); post-sync points.
    Series {
        remaining: Vec<(f64, f64)>,
        expected: Vec<(f64, f64)>,
        throughput: Vec<(f64, f64)>,
        post_sync: Vec<(f64, f64)>,
        lowest: Option<(f64, f64)>,
    },
    /// Backing page size (bytes) against the limit needed (ms); the limit in force.
    PageSize { rows: Vec<(f64, f64)>, current_page: f64, in_force: f64 },
    /// Switchover bandwidth (bytes/s) against the limit needed (ms); the measured bandwidth.
    Bandwidth { rows: Vec<(f64, f64)>, measured: f64, in_force: f64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// `chart-{id}` is the figure's element id, `canvas-{id}` its canvas's.
    pub id: &'static str,
    pub title: &'static str,
    pub summary: String,
    pub legend: &'static str,
    pub plot: Plot,
    /// Canvas height, px.
    pub height: u32,
    pub table: Table,
}

/// Every figure the analysis has data for, in page order.
pub fn figures(a: &Analysis) -> Vec<Figure> {
    [passes(a), series(a), page_size(a), bandwidth(a)].into_iter().flatten().collect()
}

/// Chart values can be a few ms: one decimal there.
fn ms(v: Millis) -> String {
    if v.0 < 10.0 {
        format!("{} ms", group(v.0, 1))
    } else {
        human_duration(v.0, 10_000.0, f64::INFINITY)
    }
}

/// Axis scale of the pending and remaining charts.
fn mib(b: Bytes) -> f64 {
    b.0 / MIB
}

/// Axis scale of the series' time: seconds since the paste's clock started, or the
/// sample's index when the paste shows no time.
fn seconds(ms: Option<Millis>, index: usize) -> f64 {
    ms.map(Millis::to_secs).unwrap_or(index as f64)
}

fn per_second(b: BytesPerSec) -> String {
    format!("{}/s", human_bytes(Bytes(b.0)))
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// At most this many passes are drawn: the rest repeat.
const PASSES_SHOWN: usize = 12;

/// The triangle marking a post-sync point in the series chart: its corners around the
/// point, in canvas pixels. They are the corners plotters' `TriangleMarker` (0.3.7,
/// element/points.rs) computes at size 7, the ceiling of 7 x cos and 7 x sin of -90°, -210°
/// and -330° added to the point, for any point at least 4 px right of the canvas's left
/// edge. As constants the page needs no sin and cos (about 3.5 KiB of libm, issue 12).
pub const TRIANGLE: [(i32, i32); 3] = [(0, -7), (-6, 4), (7, 4)];

fn passes(a: &Analysis) -> Option<Figure> {
    let (now, rec) = (a.advice.simulation.as_ref()?, a.advice.simulation_at_recommended.as_ref()?);
    let pts = |s: &Simulation| -> Vec<(f64, f64)> {
        s.pass_detail.iter().take(PASSES_SHOWN).map(|x| (x.index as f64, mib(x.send_bytes))).collect()
    };
    let th = |s: &Simulation| s.pass_detail.first().map(|x| mib(x.threshold_bytes)).unwrap_or(0.0);
    let summary = format!(
        "At {} the migration {}; at {} it {}.",
        ms(now.limit_ms),
        if now.converges {
            format!("switches over after {}", crate::core::plan::prose::passes(now.passes))
        } else {
            format!("never gets under the threshold in {} passes", now.passes)
        },
        ms(rec.limit_ms),
        if rec.converges {
            format!("switches over after {}", crate::core::plan::prose::passes(rec.passes))
        } else {
            "still does not converge".into()
        },
    );
    let rows = now
        .pass_detail
        .iter()
        .take(PASSES_SHOWN)
        .map(|x| {
            let r = rec.pass_detail.iter().find(|y| y.index == x.index);
            let dash = || "—".to_string();
            vec![
                x.index.to_string(),
                human_bytes(x.send_bytes),
                human_bytes(x.threshold_bytes),
                yes(x.switches_over),
                r.map(|y| human_bytes(y.send_bytes)).unwrap_or_else(dash),
                r.map(|y| human_bytes(y.threshold_bytes)).unwrap_or_else(dash),
                r.map(|y| yes(y.switches_over)).unwrap_or_else(dash),
            ]
        })
        .collect();
    Some(Figure {
        id: "passes",
        title: "Simulated pre-copy passes",
        summary,
        legend: "Circles: pending per pass at the limit in force, dashed line: its threshold. Crosses: at the recommended limit, dotted line: its threshold.",
        plot: Plot::Passes {
            current: pts(now),
            recommended: pts(rec),
            current_threshold: th(now),
            recommended_threshold: th(rec),
        },
        height: 280,
        table: Table {
            head: vec![
                "Pass".into(),
                format!("Pending at {}", ms(now.limit_ms)),
                "Threshold".into(),
                "Switches over".into(),
                format!("Pending at {}", ms(rec.limit_ms)),
                "Threshold".into(),
                "Switches over".into(),
            ],
            rows,
        },
    })
}

fn series(a: &Analysis) -> Option<Figure> {
    let series = a.advice.series.as_ref().filter(|s| s.samples.len() >= 2)?;
    let snapshots = &a.paste.snapshots;
    let expected_ms =
        |snapshot: usize| snapshots.get(snapshot).and_then(|s| s.expected_downtime.as_ref()).map(|e| e.value);
    let t = |i: usize, ms: Option<Millis>| seconds(ms, i);
    let remaining: Vec<(f64, f64)> =
        series.samples.iter().enumerate().map(|(i, s)| (t(i, s.time_ms), mib(s.remaining_bytes))).collect();
    let throughput: Vec<(f64, f64)> = series
        .samples
        .iter()
        .enumerate()
        .map(|(i, s)| (t(i, s.time_ms), s.bandwidth_bytes_per_ms.to_bytes_per_sec().0 / MIB))
        .collect();
    let expected: Vec<(f64, f64)> = series
        .samples
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((t(i, s.time_ms), expected_ms(s.snapshot)?.0)))
        .collect();
    let post_sync: Vec<(f64, f64)> =
        series.points.iter().enumerate().map(|(i, pt)| (t(i, pt.time_ms), mib(pt.pending_bytes))).collect();
    let low = series.low_point.and_then(|i| series.points.get(i));
    let lowest = series.low_point.and_then(|i| post_sync.get(i).copied());
    let summary = format!(
        "{} snapshots over {}: remaining swings between {} and {}; {} post-sync points{}; throughput {}.",
        series.samples.len(),
        remaining.last().map(|l| format!("{} s", group(l.0 - remaining[0].0, 1))).unwrap_or_default(),
        group(remaining.iter().map(|r| r.1).fold(f64::INFINITY, f64::min), 0) + " MiB",
        group(remaining.iter().map(|r| r.1).fold(0.0, f64::max), 0) + " MiB",
        series.points.len(),
        low.map(|l| format!(", the lowest needs a limit of {}", ms(l.limit_needed_ms))).unwrap_or_default(),
        if series.bandwidth_stable { "stable" } else { "varies" },
    );
    let rows = series
        .samples
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let sync = series.points.iter().any(|pt| pt.snapshot == s.snapshot);
            vec![
                group(t(i, s.time_ms), 1),
                human_bytes(s.remaining_bytes),
                expected_ms(s.snapshot).map(ms).unwrap_or_else(|| "—".into()),
                per_second(s.bandwidth_bytes_per_ms.to_bytes_per_sec()),
                if sync { "yes" } else { "" }.to_string(),
            ]
        })
        .collect();
    Some(Figure {
        id: "series",
        title: "The pasted series",
        summary,
        legend: "Three panels over time: remaining (triangles: pending after each sync; ringed: the lowest), the expected downtime QEMU printed, the throughput.",
        plot: Plot::Series { remaining, expected, throughput, post_sync, lowest },
        height: 420,
        table: Table {
            head: ["Time, s", "Remaining", "Expected downtime", "Throughput", "Just after a sync"].map(String::from).to_vec(),
            rows,
        },
    })
}

fn page_size(a: &Analysis) -> Option<Figure> {
    let by_page = a.advice.limit_vs_page_size();
    let r = a.advice.recommendation.as_ref().filter(|_| !by_page.is_empty())?;
    let current = by_page.iter().find(|x| x.is_current).map(|x| x.page_bytes).unwrap_or_default();
    let fits: Vec<&str> =
        by_page.iter().filter(|x| x.limit_needed_ms < r.limit_in_force_ms).map(|x| x.label.as_str()).collect();
    let (first, last) = (by_page.first()?, by_page.last()?);
    let summary = format!(
        "For the same touched pages: from {} ({}) to {} ({}); at {} {}.",
        ms(first.limit_needed_ms),
        first.label,
        ms(last.limit_needed_ms),
        last.label,
        ms(r.limit_in_force_ms),
        match fits.len() {
            0 => "no page size fits".to_string(),
            1 => format!("only {} fits", fits.join("")),
            _ => format!("{} fit", fits.join(", ")),
        },
    );
    let rows = by_page
        .iter()
        .map(|x| {
            vec![
                x.label.clone(),
                format!("x{}", group(x.amplification, 0)),
                human_bytes(x.floor_bytes),
                ms(x.limit_needed_ms),
                if x.is_current { "yes" } else { "" }.to_string(),
            ]
        })
        .collect();
    Some(Figure {
        id: "pagesize",
        title: "Limit needed against the backing page size",
        summary,
        legend: "Squares: the limit needed (filled: the size chosen); dashed line: the downtime-limit in force. Both axes logarithmic.",
        plot: Plot::PageSize {
            rows: by_page.iter().map(|x| (x.page_bytes.0, x.limit_needed_ms.0)).collect(),
            current_page: current.0,
            in_force: r.limit_in_force_ms.0,
        },
        height: 280,
        table: Table {
            head: ["Backing page", "Amplification", "Pending floor", "Limit needed", "Chosen"].map(String::from).to_vec(),
            rows,
        },
    })
}

/// Powers of two from 8 MiB/s to 16 GiB/s: the bandwidths the chart sweeps.
fn swept_bandwidths() -> impl Iterator<Item = BytesPerSec> {
    (23..=34).map(|e| BytesPerSec(2f64.powi(e)))
}

fn bandwidth(a: &Analysis) -> Option<Figure> {
    let r = a
        .advice
        .recommendation
        .as_ref()
        .filter(|r| r.base_pending_bytes.0 > 0.0 && r.threshold_bandwidth_bytes_per_ms.0 > 0.0)?;
    let measured = r.threshold_bandwidth_bytes_per_ms.to_bytes_per_sec();
    // The sweep is ascending: the measured bandwidth goes in after every swept one not above
    // it (where a stable sort would put it, without a sort instance in the wasm).
    let mut bws: Vec<BytesPerSec> = swept_bandwidths().collect();
    let at = bws.iter().position(|b| b.0 > measured.0).unwrap_or(bws.len());
    bws.insert(at, measured);
    let per_ms: Vec<BytesPerMs> = bws.iter().map(|b| b.to_bytes_per_ms()).collect();
    let rows: Vec<(f64, f64)> =
        a.advice.limit_vs_bandwidth(&per_ms).into_iter().map(|(b, l)| (b.to_bytes_per_sec().0, l.0)).collect();
    let fits = rows.iter().find(|x| x.1 < r.limit_in_force_ms.0).map(|x| BytesPerSec(x.0));
    let summary = format!(
        "For {} pending: {} at the measured {}; the limit in force ({}) is enough from {}.",
        human_bytes(r.base_pending_bytes),
        ms(r.base_ms),
        per_second(measured),
        ms(r.limit_in_force_ms),
        fits.map(per_second).unwrap_or_else(|| "no bandwidth shown".into()),
    );
    let table = rows
        .iter()
        .map(|&(b, l)| {
            let note = if (b - measured.0).abs() < 1.0 { "measured" } else { "" };
            vec![per_second(BytesPerSec(b)), ms(Millis(l)), note.to_string()]
        })
        .collect();
    Some(Figure {
        id: "bandwidth",
        title: "Limit needed against the switchover bandwidth",
        summary,
        legend: "Squares: the limit needed (filled: the measured bandwidth); dashed line: the downtime-limit in force. Both axes logarithmic.",
        plot: Plot::Bandwidth { rows, measured: measured.0, in_force: r.limit_in_force_ms.0 },
        height: 280,
        table: Table { head: ["Bandwidth", "Limit needed", "Note"].map(String::from).to_vec(), rows: table },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{analyse, parse};
    use crate::page::examples::find;

    #[test]
    fn the_triangle_has_the_corners_plotters_triangle_marker_computes() {
        // TriangleMarker::draw: deg -> rad = deg x PI / 180; corner = (ceil(cos(rad) x size + x),
        // ceil(sin(rad) x size + y)), for -90, -210, -330 degrees.
        let corner = |deg: i32, (x, y): (i32, i32)| {
            let rad = f64::from(deg) * std::f64::consts::PI / 180.0;
            ((rad.cos() * 7.0 + f64::from(x)).ceil() as i32, (rad.sin() * 7.0 + f64::from(y)).ceil() as i32)
        };
        for x in (4..3000).step_by(7) {
            for y in (-20..2000).step_by(13) {
                let theirs: Vec<_> = [-90, -210, -330].iter().map(|&d| corner(d, (x, y))).collect();
                let ours: Vec<_> = TRIANGLE.iter().map(|&(dx, dy)| (x + dx, y + dy)).collect();
                assert_eq!(ours, theirs, "at ({x}, {y})");
            }
        }
    }

    fn of(key: &str) -> Vec<Figure> {
        let ex = find(key).expect("example");
        figures(&analyse(parse::parse(ex.text), ex.options()))
    }

    #[test]
    fn the_seed_has_passes_page_size_and_bandwidth_but_no_series() {
        let f = of("seed");
        let ids: Vec<&str> = f.iter().map(|f| f.id).collect();
        assert_eq!(ids, ["passes", "pagesize", "bandwidth"]);
        for fig in &f {
            assert!(fig.table.rows.iter().all(|r| r.len() == fig.table.head.len()), "{}: ragged table", fig.id);
        }
        let bw = &f[2];
        // 385,937,408 bytes / 108,353.75 bytes/ms = 3,561.8 ms at 103 MiB/s (866.83 Mbit/s).
        assert!(bw.summary.starts_with("For 368 MiB pending: 3,561 ms at the measured 103 MiB/s;"), "{}", bw.summary);
        assert_eq!(bw.table.rows.len(), 13, "12 powers of two and the measured rate");
        assert_eq!(bw.table.rows.iter().filter(|r| r[2] == "measured").count(), 1);
    }

    #[test]
    fn a_series_example_has_its_series_chart() {
        let f = of("never");
        let s = f.iter().find(|f| f.id == "series").expect("a series chart");
        assert!(s.summary.starts_with("12 snapshots over 33 s"), "{}", s.summary);
        assert_eq!(s.table.rows.len(), 12);
        let Plot::Series { throughput, .. } = &s.plot else { panic!("not a series plot") };
        // The capped 32 MiB/s link.
        assert!(throughput.iter().all(|p| (p.1 - 32.0).abs() < 2.0), "{throughput:?}");
    }
}
