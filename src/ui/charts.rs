//! Charts drawn with plotters on a canvas: (a) simulated passes against the
//! switchover threshold, (b) the pasted series over time with the post-sync
//! points marked, (c) the limit needed against the backing page size. Each has a
//! one-line summary (also the canvas's accessible name) and a data table; they
//! redraw on theme change and resize. Series differ by marker and dash, not only colour.

use crate::core::units::{group, human_bytes, human_duration, Bytes, MIB};
use crate::core::Analysis;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// What a chart shows, as plain data (compared to decide whether to redraw).
#[derive(Clone, Debug, PartialEq)]
pub enum Plot {
    /// Pending bytes per pass at two limits, with each limit's threshold.
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

/// What the x axis of a log-log "limit needed" chart is.
#[derive(Clone, Copy)]
enum LimitAxis {
    PageSize,
    Bandwidth,
}

struct Palette {
    fg: RGBColor,
    grid: RGBColor,
    a: RGBColor,
    b: RGBColor,
    c: RGBColor,
}

fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            fg: RGBColor(230, 237, 243),
            grid: RGBColor(61, 68, 77),
            a: RGBColor(108, 182, 255),
            b: RGBColor(255, 166, 87),
            c: RGBColor(86, 211, 100),
        }
    } else {
        Palette {
            fg: RGBColor(27, 31, 36),
            grid: RGBColor(208, 215, 222),
            a: RGBColor(5, 80, 174),
            b: RGBColor(188, 76, 0),
            c: RGBColor(17, 99, 41),
        }
    }
}

/// A range that plotters can draw even for flat or empty data.
fn span(values: impl Iterator<Item = f64>, floor_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if floor_zero {
        lo = lo.min(0.0);
    }
    if hi - lo < 1e-9 {
        hi = lo + hi.abs().max(1.0);
    }
    (lo, hi + (hi - lo) * 0.08)
}

type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;
type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn draw_passes(
    root: &Area,
    p: &Palette,
    cur: &[(f64, f64)],
    rec: &[(f64, f64)],
    ct: f64,
    rt: f64,
    legend: bool,
) -> DrawResult {
    let (_, ymax) = span(cur.iter().chain(rec).map(|x| x.1).chain([ct, rt]), true);
    // Head room above the data for the legend.
    let ymax = ymax * 1.6;
    let xmax = cur.iter().chain(rec).map(|x| x.0).fold(1.0, f64::max) + 0.5;
    let mut ch = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(34)
        .y_label_area_size(64)
        .build_cartesian_2d(0.5..xmax, 0.0..ymax)?;
    ch.configure_mesh()
        .light_line_style(p.grid.mix(0.4))
        .bold_line_style(p.grid)
        .axis_style(p.fg)
        .label_style(("sans-serif", 13).into_font().color(&p.fg))
        .x_desc("pass")
        .y_desc("pending, MiB")
        .y_label_formatter(&|v| group(*v, 0))
        .x_label_formatter(&|v| group(*v, 0))
        .draw()?;
    let (a, b) = (p.a, p.b);
    ch.draw_series(LineSeries::new(cur.iter().copied(), a.stroke_width(2)))?
        .label("pending at the limit in force (circles)")
        .legend(move |(x, y)| Circle::new((x + 10, y), 4, a.filled()));
    ch.draw_series(cur.iter().map(|&(x, y)| Circle::new((x, y), 4, a.filled())))?;
    ch.draw_series(DashedLineSeries::new([(0.5, ct), (xmax, ct)], 6, 4, a.stroke_width(1)))?
        .label("threshold at the limit in force (dashed)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], a.stroke_width(1)));
    ch.draw_series(LineSeries::new(rec.iter().copied(), b.stroke_width(2)))?
        .label("pending at the recommended limit (crosses)")
        .legend(move |(x, y)| Cross::new((x + 10, y), 5, b.stroke_width(2)));
    ch.draw_series(rec.iter().map(|&(x, y)| Cross::new((x, y), 5, b.stroke_width(2))))?;
    ch.draw_series(DashedLineSeries::new([(0.5, rt), (xmax, rt)], 2, 3, b.stroke_width(2)))?
        .label("threshold at the recommended limit (dotted)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], b.stroke_width(2)));
    if legend {
        ch.configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(p.grid.mix(0.15))
            .border_style(p.grid)
            .label_font(("sans-serif", 12).into_font().color(&p.fg))
            .draw()?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn panel(
    area: &Area,
    p: &Palette,
    name: &str,
    xr: (f64, f64),
    pts: &[(f64, f64)],
    color: RGBColor,
    marks: &[(f64, f64)],
    lowest: Option<(f64, f64)>,
    last: bool,
) -> DrawResult {
    let (lo, hi) = span(pts.iter().map(|x| x.1).chain(marks.iter().map(|m| m.1)), true);
    let mut ch = ChartBuilder::on(area)
        .margin(6)
        .x_label_area_size(if last { 30 } else { 4 })
        .y_label_area_size(64)
        .caption(name, ("sans-serif", 13).into_font().color(&p.fg))
        .build_cartesian_2d(xr.0..xr.1, lo..hi)?;
    let mut mesh = ch.configure_mesh();
    mesh.light_line_style(p.grid.mix(0.3))
        .bold_line_style(p.grid)
        .axis_style(p.fg)
        .y_labels(4)
        .label_style(("sans-serif", 12).into_font().color(&p.fg))
        .y_label_formatter(&|v| group(*v, 0))
        .x_label_formatter(&|v| group(*v, 0));
    if last {
        mesh.x_desc("time since migrate, s");
    } else {
        mesh.x_labels(0);
    }
    mesh.draw()?;
    ch.draw_series(LineSeries::new(pts.iter().copied(), color.stroke_width(2)))?;
    ch.draw_series(pts.iter().map(|&(x, y)| Circle::new((x, y), 2, color.filled())))?;
    // Post-sync points: hollow triangles, the values QEMU's switchover test sees.
    ch.draw_series(marks.iter().map(|&(x, y)| TriangleMarker::new((x, y), 7, p.fg.stroke_width(2))))?;
    // The lowest of them, the one that sets the limit: a ring around its triangle.
    ch.draw_series(lowest.map(|(x, y)| Circle::new((x, y), 11, p.fg.stroke_width(2))))?;
    Ok(())
}

fn draw_series(
    root: &Area,
    p: &Palette,
    rem: &[(f64, f64)],
    exp: &[(f64, f64)],
    thr: &[(f64, f64)],
    marks: &[(f64, f64)],
    lowest: Option<(f64, f64)>,
) -> DrawResult {
    let xr = span(rem.iter().chain(exp).chain(thr).map(|x| x.0), false);
    let parts = root.split_evenly((3, 1));
    let (Some(a), Some(b), Some(c)) = (parts.first(), parts.get(1), parts.get(2)) else { return Ok(()) };
    panel(
        a,
        p,
        "remaining, MiB (triangles: pending after each sync; ringed: the lowest)",
        xr,
        rem,
        p.a,
        marks,
        lowest,
        false,
    )?;
    panel(b, p, "expected downtime printed, ms", xr, exp, p.b, &[], None, false)?;
    panel(c, p, "throughput, MiB/s", xr, thr, p.c, &[], None, true)?;
    Ok(())
}

fn draw_limit(
    root: &Area,
    p: &Palette,
    axis: LimitAxis,
    rows: &[(f64, f64)],
    current: f64,
    in_force: f64,
    legend: bool,
) -> DrawResult {
    let rows: Vec<(f64, f64)> = rows.iter().copied().filter(|r| r.0 > 0.0 && r.1 > 0.0 && r.1.is_finite()).collect();
    if rows.is_empty() {
        return Ok(());
    }
    // x is log2 of the page size, so the ticks fall on powers of two (4 KiB, 64 KiB, ...).
    let rows: Vec<(f64, f64)> = rows.iter().map(|r| (r.0.log2(), r.1)).collect();
    let current = current.max(1.0).log2();
    let xmin = rows.iter().map(|r| r.0).fold(f64::INFINITY, f64::min) - 1.0;
    let xmax = rows.iter().map(|r| r.0).fold(0.0, f64::max) + 1.0;
    let ymin = rows.iter().map(|r| r.1).chain([in_force]).filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min) / 20.0; // room for the legend below the data
    let ymax = rows.iter().map(|r| r.1).chain([in_force]).fold(0.0, f64::max) * 3.0;
    let mut ch = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(34)
        .y_label_area_size(72)
        .margin_right(28)
        .build_cartesian_2d(xmin..xmax, (ymin..ymax).log_scale())?;
    ch.configure_mesh()
        .light_line_style(p.grid.mix(0.3))
        .bold_line_style(p.grid)
        .axis_style(p.fg)
        .label_style(("sans-serif", 12).into_font().color(&p.fg))
        .x_desc(match axis {
            LimitAxis::PageSize => "backing page size",
            LimitAxis::Bandwidth => "switchover bandwidth",
        })
        // About every 4th power of two on a phone, every 2nd otherwise: labels must not collide.
        .x_labels(((xmax - xmin) / if legend { 2.0 } else { 5.0 }) as usize + 1)
        .y_desc("limit needed, ms (log)")
        .x_label_formatter(&|v| match axis {
            LimitAxis::PageSize => human_bytes(Bytes(v.exp2())),
            LimitAxis::Bandwidth => format!("{}/s", human_bytes(Bytes(v.exp2()))),
        })
        .y_label_formatter(&|v| group(*v, if *v < 10.0 { 1 } else { 0 }))
        .draw()?;
    let (a, b) = (p.a, p.b);
    ch.draw_series(LineSeries::new(rows.iter().copied(), a.stroke_width(2)))?
        .label(match axis {
            LimitAxis::PageSize => "limit needed (squares; filled = the size chosen)",
            LimitAxis::Bandwidth => "limit needed (squares; filled = the measured bandwidth)",
        })
        .legend(move |(x, y)| Rectangle::new([(x + 6, y - 4), (x + 14, y + 4)], a.filled()));
    ch.draw_series(rows.iter().map(|&(x, y)| {
        let style = if (x - current).abs() < 0.01 { a.filled() } else { a.stroke_width(2) };
        EmptyElement::at((x, y)) + Rectangle::new([(-5, -5), (5, 5)], style)
    }))?;
    ch.draw_series(DashedLineSeries::new([(xmin, in_force), (xmax, in_force)], 6, 4, b.stroke_width(2)))?
        .label("downtime-limit in force (dashed)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], b.stroke_width(2)));
    if legend {
        ch.configure_series_labels()
            // Where the line is not: page sizes rise to the right, bandwidths fall.
            .position(match axis {
                LimitAxis::PageSize => SeriesLabelPosition::LowerRight,
                LimitAxis::Bandwidth => SeriesLabelPosition::UpperRight,
            })
            .background_style(p.grid.mix(0.15))
            .border_style(p.grid)
            .label_font(("sans-serif", 12).into_font().color(&p.fg))
            .draw()?;
    }
    Ok(())
}

fn draw(canvas: &HtmlCanvasElement, plot: &Plot, dark: bool) {
    // Match the canvas's drawing buffer to its laid-out width (redrawn on resize).
    let w = canvas.client_width().max(280) as u32;
    canvas.set_width(w);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else { return };
    let root = backend.into_drawing_area();
    let p = palette(dark);
    let bg = if dark { RGBColor(22, 27, 34) } else { RGBColor(255, 255, 255) };
    if root.fill(&bg).is_err() {
        return;
    }
    // On a phone the legend would cover the plot: the figure's text legend says the same.
    let legend = w >= 480;
    let _ = match plot {
        Plot::Passes { current, recommended, current_threshold, recommended_threshold } => {
            draw_passes(&root, &p, current, recommended, *current_threshold, *recommended_threshold, legend)
        }
        Plot::Series { remaining, expected, throughput, post_sync, lowest } => {
            draw_series(&root, &p, remaining, expected, throughput, post_sync, *lowest)
        }
        Plot::PageSize { rows, current_page, in_force } => {
            draw_limit(&root, &p, LimitAxis::PageSize, rows, *current_page, *in_force, legend)
        }
        Plot::Bandwidth { rows, measured, in_force } => {
            draw_limit(&root, &p, LimitAxis::Bandwidth, rows, *measured, *in_force, legend)
        }
    };
    let _ = root.present();
}

#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    pub id: AttrValue,
    pub plot: Plot,
    pub summary: AttrValue,
    pub height: u32,
    pub dark: bool,
    /// Bumped on window resize.
    pub tick: u32,
}

#[function_component(ChartCanvas)]
pub fn chart_canvas(p: &CanvasProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((p.plot.clone(), p.dark, p.tick), move |(plot, dark, _)| {
            if let Some(c) = node.cast::<HtmlCanvasElement>() {
                draw(&c, plot, *dark);
            }
        });
    }
    html! { <canvas ref={node} id={p.id.clone()} height={p.height.to_string()} role="img" aria-label={p.summary.clone()} /> }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Rc<Analysis>,
    pub dark: bool,
    pub tick: u32,
}

fn ms(v: f64) -> String {
    // Chart values can be a few ms: keep one decimal there.
    if v < 10.0 {
        format!("{} ms", group(v, 1))
    } else {
        human_duration(v, 10_000.0, f64::INFINITY)
    }
}

fn mib(b: f64) -> f64 {
    b / MIB
}

/// At most this many passes are drawn: the rest repeat.
const PASSES_SHOWN: usize = 12;

#[function_component(Charts)]
pub fn charts(p: &Props) -> Html {
    let adv = &p.analysis.advice;
    let mut figures = Vec::new();

    if let (Some(now), Some(rec)) = (&adv.simulation, &adv.simulation_at_recommended) {
        let pts = |s: &crate::core::advice::Simulation| -> Vec<(f64, f64)> {
            s.pass_detail.iter().take(PASSES_SHOWN).map(|x| (x.index as f64, mib(x.send_bytes))).collect()
        };
        let th =
            |s: &crate::core::advice::Simulation| s.pass_detail.first().map(|x| mib(x.threshold_bytes)).unwrap_or(0.0);
        let plot = Plot::Passes {
            current: pts(now),
            recommended: pts(rec),
            current_threshold: th(now),
            recommended_threshold: th(rec),
        };
        let summary = format!(
            "At {} the migration {}; at {} it {}.",
            ms(now.limit_ms),
            if now.converges {
                format!("switches over after {} pass(es)", now.passes)
            } else {
                format!("never gets under the threshold in {} passes", now.passes)
            },
            ms(rec.limit_ms),
            if rec.converges {
                format!("switches over after {} pass(es)", rec.passes)
            } else {
                "still does not converge".to_string()
            },
        );
        let rows = now.pass_detail.iter().take(PASSES_SHOWN).map(|x| {
            let r = rec.pass_detail.iter().find(|y| y.index == x.index);
            html! { <tr><td>{x.index}</td><td>{human_bytes(Bytes(x.send_bytes))}</td><td>{human_bytes(Bytes(x.threshold_bytes))}</td>
                <td>{if x.switches_over { "yes" } else { "no" }}</td>
                <td>{r.map(|y| human_bytes(Bytes(y.send_bytes))).unwrap_or_else(|| "—".into())}</td>
                <td>{r.map(|y| human_bytes(Bytes(y.threshold_bytes))).unwrap_or_else(|| "—".into())}</td>
                <td>{r.map(|y| if y.switches_over { "yes" } else { "no" }).unwrap_or("—")}</td></tr> }
        });
        figures.push(html! {
            <figure class="chart" id="chart-passes">
                <figcaption><strong>{"Simulated pre-copy passes"}</strong>{" — "}<span class="summary">{summary.clone()}</span></figcaption>
                <p class="legend">{"Circles: pending per pass at the limit in force, dashed line: its threshold. Crosses: at the recommended limit, dotted line: its threshold."}</p>
                <ChartCanvas id="canvas-passes" plot={plot} summary={format!("Simulated pre-copy passes. {summary}")} height={280} dark={p.dark} tick={p.tick} />
                <details><summary>{"Data table"}</summary>
                    <table class="data">
                        <thead><tr><th scope="col">{"Pass"}</th><th scope="col">{format!("Pending at {}", ms(now.limit_ms))}</th><th scope="col">{"Threshold"}</th><th scope="col">{"Switches over"}</th>
                            <th scope="col">{format!("Pending at {}", ms(rec.limit_ms))}</th><th scope="col">{"Threshold"}</th><th scope="col">{"Switches over"}</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </details>
            </figure>
        });
    }

    let paste = &p.analysis.paste;
    if let Some(series) = adv.series.as_ref().filter(|s| s.samples.len() >= 2) {
        let t = |ms: Option<f64>, i: usize| ms.map(|m| m / 1000.0).unwrap_or(i as f64);
        let remaining: Vec<(f64, f64)> =
            series.samples.iter().enumerate().map(|(i, s)| (t(s.time_ms, i), mib(s.remaining_bytes))).collect();
        let throughput: Vec<(f64, f64)> = series
            .samples
            .iter()
            .enumerate()
            .map(|(i, s)| (t(s.time_ms, i), s.bandwidth_bytes_per_ms * 1000.0 / MIB))
            .collect();
        let expected: Vec<(f64, f64)> = series
            .samples
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                paste
                    .snapshots
                    .get(s.snapshot)
                    .and_then(|sn| sn.expected_downtime.as_ref())
                    .map(|e| (t(s.time_ms, i), e.value.0))
            })
            .collect();
        let post_sync: Vec<(f64, f64)> =
            series.points.iter().enumerate().map(|(i, pt)| (t(pt.time_ms, i), mib(pt.pending_bytes))).collect();
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
        let rows = series.samples.iter().enumerate().map(|(i, s)| {
            let sync = series.points.iter().any(|pt| pt.snapshot == s.snapshot);
            let e = paste.snapshots.get(s.snapshot).and_then(|sn| sn.expected_downtime.as_ref()).map(|e| ms(e.value.0)).unwrap_or_else(|| "—".into());
            html! { <tr><td>{group(t(s.time_ms, i), 1)}</td><td>{human_bytes(Bytes(s.remaining_bytes))}</td><td>{e}</td>
                <td>{format!("{}/s", human_bytes(Bytes(s.bandwidth_bytes_per_ms * 1000.0)))}</td><td>{if sync { "yes" } else { "" }}</td></tr> }
        });
        figures.push(html! {
            <figure class="chart" id="chart-series">
                <figcaption><strong>{"The pasted series"}</strong>{" — "}<span class="summary">{summary.clone()}</span></figcaption>
                <p class="legend">{"Three panels over time: remaining (triangles: pending after each sync; ringed: the lowest), the expected downtime QEMU printed, the throughput."}</p>
                <ChartCanvas id="canvas-series" plot={Plot::Series { remaining, expected, throughput, post_sync, lowest }} summary={format!("The pasted series. {summary}")} height={420} dark={p.dark} tick={p.tick} />
                <details><summary>{"Data table"}</summary>
                    <table class="data">
                        <thead><tr><th scope="col">{"Time, s"}</th><th scope="col">{"Remaining"}</th><th scope="col">{"Expected downtime"}</th><th scope="col">{"Throughput"}</th><th scope="col">{"Just after a sync"}</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </details>
            </figure>
        });
    }

    let by_page = adv.limit_vs_page_size();
    if let (false, Some(r)) = (by_page.is_empty(), adv.recommendation.as_ref()) {
        let current = by_page.iter().find(|x| x.is_current).map(|x| x.page_bytes).unwrap_or(0.0);
        let fits: Vec<&str> =
            by_page.iter().filter(|x| x.limit_needed_ms < r.limit_in_force_ms).map(|x| x.label.as_str()).collect();
        let summary = format!(
            "For the same touched pages: from {} ({}) to {} ({}); at {} {}.",
            ms(by_page.first().map(|x| x.limit_needed_ms).unwrap_or(0.0)),
            by_page.first().map(|x| x.label.as_str()).unwrap_or(""),
            ms(by_page.last().map(|x| x.limit_needed_ms).unwrap_or(0.0)),
            by_page.last().map(|x| x.label.as_str()).unwrap_or(""),
            ms(r.limit_in_force_ms),
            match fits.len() {
                0 => "no page size fits".to_string(),
                1 => format!("only {} fits", fits.join("")),
                _ => format!("{} fit", fits.join(", ")),
            },
        );
        let plot = Plot::PageSize {
            rows: by_page.iter().map(|x| (x.page_bytes, x.limit_needed_ms)).collect(),
            current_page: current,
            in_force: r.limit_in_force_ms,
        };
        figures.push(html! {
            <figure class="chart" id="chart-pagesize">
                <figcaption><strong>{"Limit needed against the backing page size"}</strong>{" — "}<span class="summary">{summary.clone()}</span></figcaption>
                <p class="legend">{"Squares: the limit needed (filled: the size chosen); dashed line: the downtime-limit in force. Both axes logarithmic."}</p>
                <ChartCanvas id="canvas-pagesize" plot={plot} summary={format!("Limit needed against the backing page size. {summary}")} height={280} dark={p.dark} tick={p.tick} />
                <details><summary>{"Data table"}</summary>
                    <table class="data">
                        <thead><tr><th scope="col">{"Backing page"}</th><th scope="col">{"Amplification"}</th><th scope="col">{"Pending floor"}</th><th scope="col">{"Limit needed"}</th><th scope="col">{"Chosen"}</th></tr></thead>
                        <tbody>{ for by_page.iter().map(|x| html! {
                            <tr><td>{&x.label}</td><td>{format!("x{}", group(x.amplification, 0))}</td><td>{human_bytes(Bytes(x.floor_bytes))}</td><td>{ms(x.limit_needed_ms)}</td><td>{if x.is_current { "yes" } else { "" }}</td></tr>
                        }) }</tbody>
                    </table>
                </details>
            </figure>
        });
    }

    if let Some(r) =
        adv.recommendation.as_ref().filter(|r| r.base_pending_bytes > 0.0 && r.threshold_bandwidth_bytes_per_ms > 0.0)
    {
        // Powers of two from 8 MiB/s to 16 GiB/s, plus the measured rate (marked).
        let measured = r.threshold_bandwidth_bytes_per_ms * 1000.0;
        let mut bws: Vec<f64> = (23..=34).map(|e| 2f64.powi(e)).collect();
        bws.push(measured);
        bws.sort_by(f64::total_cmp);
        let rows: Vec<(f64, f64)> = adv
            .limit_vs_bandwidth(&bws.iter().map(|b| b / 1000.0).collect::<Vec<_>>())
            .into_iter()
            .map(|(b, l)| (b * 1000.0, l))
            .collect();
        let fits = rows.iter().find(|x| x.1 < r.limit_in_force_ms).map(|x| x.0);
        let summary = format!(
            "For {} pending: {} at the measured {}/s; the limit in force ({}) is enough from {}.",
            human_bytes(Bytes(r.base_pending_bytes)),
            ms(r.base_ms),
            human_bytes(Bytes(measured)),
            ms(r.limit_in_force_ms),
            fits.map(|b| format!("{}/s", human_bytes(Bytes(b)))).unwrap_or_else(|| "no bandwidth shown".into()),
        );
        let table = rows.iter().map(|&(b, l)| html! {
            <tr><td>{format!("{}/s", human_bytes(Bytes(b)))}</td><td>{ms(l)}</td><td>{if (b - measured).abs() < 1.0 { "measured" } else { "" }}</td></tr>
        });
        figures.push(html! {
            <figure class="chart" id="chart-bandwidth">
                <figcaption><strong>{"Limit needed against the switchover bandwidth"}</strong>{" — "}<span class="summary">{summary.clone()}</span></figcaption>
                <p class="legend">{"Squares: the limit needed (filled: the measured bandwidth); dashed line: the downtime-limit in force. Both axes logarithmic."}</p>
                <ChartCanvas id="canvas-bandwidth" plot={Plot::Bandwidth { rows: rows.clone(), measured, in_force: r.limit_in_force_ms }} summary={format!("Limit needed against the switchover bandwidth. {summary}")} height={280} dark={p.dark} tick={p.tick} />
                <details><summary>{"Data table"}</summary>
                    <table class="data">
                        <thead><tr><th scope="col">{"Bandwidth"}</th><th scope="col">{"Limit needed"}</th><th scope="col">{"Note"}</th></tr></thead>
                        <tbody>{ for table }</tbody>
                    </table>
                </details>
            </figure>
        });
    }

    if figures.is_empty() {
        return html! {};
    }
    html! {
        <section class="charts card" id="charts" aria-labelledby="charts-h">
            <h2 id="charts-h">{"Charts"}</h2>
            <div class="chart-grid">{ for figures }</div>
        </section>
    }
}
