//! Charts drawn with plotters on a canvas. What each figure shows, says and
//! tabulates is data (src/page/figures.rs); here one component renders any
//! `Figure` and the drawing code turns its `Plot` into pixels. A chart draws when
//! it first scrolls into view, and redraws on data, theme or size changes only
//! while it is in view (or when it next comes into view): a chart never seen is
//! never drawn. Series differ by marker and dash, not only colour.

use super::chart_axis::Axis;
use super::chart_legend::{self, Corner, Mark};
use super::in_view::InView;
use super::measured_canvas::{Area, DrawResult, MeasuredCanvas};
use crate::core::units::{group, human_bytes, Bytes};
use crate::core::Analysis;
use crate::page::figures::{figures, Figure, Plot, TRIANGLE};
use gloo::events::EventListener;
use plotters::coord::cartesian::Cartesian2d;
use plotters::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlCanvasElement};
use yew::prelude::*;

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

/// A range that plotters can draw even for flat or empty data. (`dyn`: one copy for every chart.)
fn span(values: &mut dyn Iterator<Item = f64>, floor_zero: bool) -> (f64, f64) {
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

type Chart<'a> = ChartContext<'a, MeasuredCanvas, Cartesian2d<Axis, Axis>>;
/// A polyline through the points: the one PathElement a LineSeries draws, without the
/// boxed dynamic element LineSeries wraps it in (its code stays out of the wasm, issue 12).
fn line(ch: &mut Chart, pts: &[(f64, f64)], style: ShapeStyle) -> DrawResult {
    if !pts.is_empty() {
        ch.draw_series([PathElement::new(pts.to_vec(), style)])?;
    }
    Ok(())
}

type Label<'f> = Option<&'f dyn Fn(&f64) -> String>;

/// How a chart's grid, axes and labels differ from the others'. Labels are whole numbers,
/// grouped, unless a formatter is given (src/ui/chart_axis.rs).
struct Mesh<'f> {
    light_alpha: f64,
    font_px: u32,
    x_desc: Option<&'static str>,
    y_desc: Option<&'static str>,
    /// At most this many labels; plotters' default is 11.
    x_labels: usize,
    y_labels: usize,
    x_label: Label<'f>,
    y_label: Label<'f>,
}

/// Grid, axes and labels: one configure_mesh chain for every chart (inlined per call site,
/// it was three copies of plotters' builder code, issue 12).
fn mesh(ch: &mut Chart, p: &Palette, m: Mesh) -> DrawResult {
    let mut mesh = ch.configure_mesh();
    mesh.light_line_style(p.grid.mix(m.light_alpha))
        .bold_line_style(p.grid)
        .axis_style(p.fg)
        .label_style((FontFamily::SansSerif, m.font_px).into_font().color(&p.fg))
        .x_labels(m.x_labels)
        .y_labels(m.y_labels);
    if let Some(d) = m.x_desc {
        mesh.x_desc(d);
    }
    if let Some(d) = m.y_desc {
        mesh.y_desc(d);
    }
    if let Some(f) = m.x_label {
        mesh.x_label_formatter(f);
    }
    if let Some(f) = m.y_label {
        mesh.y_label_formatter(f);
    }
    mesh.draw()
}

fn draw_passes(
    root: &Area,
    p: &Palette,
    cur: &[(f64, f64)],
    rec: &[(f64, f64)],
    ct: f64,
    rt: f64,
    legend: bool,
) -> DrawResult {
    let (_, ymax) = span(&mut cur.iter().chain(rec).map(|x| x.1).chain([ct, rt]), true);
    // Head room above the data for the legend.
    let ymax = ymax * 1.6;
    let xmax = cur.iter().chain(rec).map(|x| x.0).fold(1.0, f64::max) + 0.5;
    let mut ch = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(34)
        .y_label_area_size(64)
        .build_cartesian_2d(Axis::linear(0.5..xmax), Axis::linear(0.0..ymax))?;
    let m = Mesh {
        light_alpha: 0.4,
        font_px: 13,
        x_desc: Some("pass"),
        y_desc: Some("pending, MiB"),
        x_labels: 11,
        y_labels: 11,
        x_label: None,
        y_label: None,
    };
    mesh(&mut ch, p, m)?;
    let (a, b) = (p.a, p.b);
    line(&mut ch, cur, a.stroke_width(2))?;
    ch.draw_series(cur.iter().map(|&(x, y)| Circle::new((x, y), 4, a.filled())))?;
    ch.draw_series(DashedLineSeries::new([(0.5, ct), (xmax, ct)], 6, 4, a.stroke_width(1)))?;
    line(&mut ch, rec, b.stroke_width(2))?;
    ch.draw_series(rec.iter().map(|&(x, y)| Cross::new((x, y), 5, b.stroke_width(2))))?;
    ch.draw_series(DashedLineSeries::new([(0.5, rt), (xmax, rt)], 2, 3, b.stroke_width(2)))?;
    if legend {
        let entries = [
            ("pending at the limit in force (circles)", Mark::Dot(a)),
            ("threshold at the limit in force (dashed)", Mark::Line(a, 1)),
            ("pending at the recommended limit (crosses)", Mark::Cross(b)),
            ("threshold at the recommended limit (dotted)", Mark::Line(b, 2)),
        ];
        chart_legend::draw(&ch.plotting_area().strip_coord_spec(), Corner::UpperRight, &entries, p.fg, p.grid)?;
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
    let (lo, hi) = span(&mut pts.iter().map(|x| x.1).chain(marks.iter().map(|m| m.1)), true);
    let mut ch = ChartBuilder::on(area)
        .margin(6)
        .x_label_area_size(if last { 30 } else { 4 })
        .y_label_area_size(64)
        .caption(name, (FontFamily::SansSerif, 13).into_font().color(&p.fg))
        .build_cartesian_2d(Axis::linear(xr.0..xr.1), Axis::linear(lo..hi))?;
    let m = Mesh {
        light_alpha: 0.3,
        font_px: 12,
        x_desc: last.then_some("time since migrate, s"),
        y_desc: None,
        x_labels: if last { 11 } else { 0 },
        y_labels: 4,
        x_label: None,
        y_label: None,
    };
    mesh(&mut ch, p, m)?;
    line(&mut ch, pts, color.stroke_width(2))?;
    ch.draw_series(pts.iter().map(|&(x, y)| Circle::new((x, y), 2, color.filled())))?;
    // Post-sync points: triangles, the values QEMU's switchover test sees (the same filled
    // polygon TriangleMarker draws, from constant corners: src/page/figures.rs).
    ch.draw_series(
        marks.iter().map(|&(x, y)| EmptyElement::at((x, y)) + Polygon::new(TRIANGLE, p.fg.stroke_width(2))),
    )?;
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
    let xr = span(&mut rem.iter().chain(exp).chain(thr).map(|x| x.0), false);
    // Three rows of equal height, split where plotters' `split_evenly` splits (0.3.7,
    // drawing/area.rs, compute_evenly_split: the first rows take the remainder), through
    // the split the chart builder already has in the wasm.
    let h = root.dim_in_pixel().1 as i32;
    let row = |i: i32| i * (h / 3) + i.min(h % 3);
    let parts = root.split_by_breakpoints(&[] as &[i32], &[row(1), row(2)][..]);
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

/// 2 to the power `v`, a tick of a log2 axis. The ticks fall on whole numbers (the rows
/// are powers of two, the axis runs a power either side), where powi is exact; exp2 (or
/// powf(2, v), which LLVM turns into exp2) kept libm's exp2 and its table in the page.
fn two_to(v: f64) -> f64 {
    if v.fract() == 0.0 && v.abs() < 1000.0 {
        2f64.powi(v as i32)
    } else {
        10f64.powf(v * std::f64::consts::LOG10_2)
    }
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
    // x is log2 of the page size, so the ticks fall on powers of two (4 KiB, 64 KiB, ...).
    let rows: Vec<(f64, f64)> =
        rows.iter().filter(|r| r.0 > 0.0 && r.1 > 0.0 && r.1.is_finite()).map(|r| (r.0.log2(), r.1)).collect();
    if rows.is_empty() {
        return Ok(());
    }
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
        .build_cartesian_2d(Axis::linear(xmin..xmax), Axis::log(ymin..ymax))?;
    let m = Mesh {
        light_alpha: 0.3,
        font_px: 12,
        x_desc: Some(match axis {
            LimitAxis::PageSize => "backing page size",
            LimitAxis::Bandwidth => "switchover bandwidth",
        }),
        y_desc: Some("limit needed, ms (log)"),
        // About every 4th power of two on a phone, every 2nd otherwise: labels must not collide.
        x_labels: ((xmax - xmin) / if legend { 2.0 } else { 5.0 }) as usize + 1,
        y_labels: 11,
        x_label: Some(&|v| match axis {
            LimitAxis::PageSize => human_bytes(Bytes(two_to(*v))),
            LimitAxis::Bandwidth => format!("{}/s", human_bytes(Bytes(two_to(*v)))),
        }),
        y_label: Some(&|v| group(*v, if *v < 10.0 { 1 } else { 0 })),
    };
    mesh(&mut ch, p, m)?;
    let (a, b) = (p.a, p.b);
    line(&mut ch, &rows, a.stroke_width(2))?;
    ch.draw_series(rows.iter().map(|&(x, y)| {
        let style = if (x - current).abs() < 0.01 { a.filled() } else { a.stroke_width(2) };
        EmptyElement::at((x, y)) + Rectangle::new([(-5, -5), (5, 5)], style)
    }))?;
    ch.draw_series(DashedLineSeries::new([(xmin, in_force), (xmax, in_force)], 6, 4, b.stroke_width(2)))?;
    if legend {
        let line = match axis {
            LimitAxis::PageSize => "limit needed (squares; filled = the size chosen)",
            LimitAxis::Bandwidth => "limit needed (squares; filled = the measured bandwidth)",
        };
        let entries = [(line, Mark::Square(a)), ("downtime-limit in force (dashed)", Mark::Line(b, 2))];
        // Where the line is not: page sizes rise to the right, bandwidths fall.
        let corner = match axis {
            LimitAxis::PageSize => Corner::LowerRight,
            LimitAxis::Bandwidth => Corner::UpperRight,
        };
        chart_legend::draw(&ch.plotting_area().strip_coord_spec(), corner, &entries, p.fg, p.grid)?;
    }
    Ok(())
}

fn draw(canvas: &HtmlCanvasElement, plot: &Plot, dark: bool) {
    // Match the canvas's drawing buffer to its laid-out width (redrawn on resize).
    let w = canvas.client_width().max(280) as u32;
    canvas.set_width(w);
    let Some(backend) = MeasuredCanvas::new(canvas) else { return };
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
    /// Bumped on window resize and on a change of the system's colour scheme.
    pub tick: u32,
}

/// What a canvas shows: the plot in a theme at a window size (`tick`).
type Drawn = (Plot, bool, u32);

/// A canvas's drawing state: what it should show, what it shows, how many draws so far
/// (`data-drawn`, read by the e2e tests).
#[derive(Default)]
struct Canvas {
    wanted: Option<Drawn>,
    shown: Option<Drawn>,
    draws: u32,
}

impl Canvas {
    /// Draw what is wanted unless it is shown already.
    fn bring_up_to_date(&mut self, node: &NodeRef) {
        let (Some(want), Some(c)) = (self.wanted.as_ref(), node.cast::<HtmlCanvasElement>()) else { return };
        if self.shown.as_ref() == Some(want) {
            return;
        }
        draw(&c, &want.0, want.1);
        self.draws += 1;
        let _ = c.set_attribute("data-drawn", &self.draws.to_string());
        self.shown = Some(want.clone());
    }
}

/// A chart's canvas. A struct component, not a function component with hooks: its
/// observer, print listener and drawing state live in the struct (each hook was its own
/// generic instance in the wasm, issue 12).
pub struct ChartCanvas {
    node: NodeRef,
    canvas: Rc<RefCell<Canvas>>,
    in_view: bool,
    /// Both live as long as the canvas; dropping them disconnects and removes them.
    observer: Option<InView>,
    print: Option<EventListener>,
}

impl Component for ChartCanvas {
    /// Whether the canvas is in view now.
    type Message = bool;
    type Properties = CanvasProps;

    fn create(_: &Context<Self>) -> Self {
        ChartCanvas { node: NodeRef::default(), canvas: Rc::default(), in_view: false, observer: None, print: None }
    }

    fn update(&mut self, _: &Context<Self>, in_view: bool) -> bool {
        if in_view != self.in_view {
            self.in_view = in_view;
            if in_view {
                self.canvas.borrow_mut().bring_up_to_date(&self.node);
            }
        }
        false
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.observer = self.node.cast::<Element>().and_then(|el| InView::observe(&el, ctx.link().callback(|v| v)));
            self.in_view = self.observer.is_none();
            // Printing shows every chart: drawn in the event itself, before the page is laid
            // out for paper (a re-render would come after it).
            let (node, canvas) = (self.node.clone(), self.canvas.clone());
            self.print = web_sys::window()
                .map(|w| EventListener::new(&w, "beforeprint", move |_| canvas.borrow_mut().bring_up_to_date(&node)));
        }
        let p = ctx.props();
        let mut c = self.canvas.borrow_mut();
        c.wanted = Some((p.plot.clone(), p.dark, p.tick));
        if self.in_view {
            c.bring_up_to_date(&self.node);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let node = self.node.clone();
        // The drawn height, before any drawing: an undrawn canvas (300 px wide by default)
        // would be scaled to the column's width, twice as tall, and everything below would
        // jump when it draws. Plus its 1 px border (static/style.css; boxes are border-box).
        // A property, not an attribute: the CSSOM is allowed where the CSP forbids style attributes.
        let style = JsValue::from(format!("height: {}px", p.height + 2));
        html! { <canvas ref={node} id={p.id.clone()} height={p.height.to_string()} ~style={style} role="img" aria-label={p.summary.clone()} /> }
    }
}

/// One figure: caption with its summary, legend, canvas, and the data as a table. A plain
/// function (no hooks): its canvas is the component that compares what it draws, so an
/// unchanged chart is not redrawn; a component here only added its glue to the wasm.
fn chart_figure(f: &Figure, dark: bool, tick: u32) -> Html {
    html! {
        <figure class="chart" id={format!("chart-{}", f.id)}>
            <figcaption><strong>{f.title}</strong>{" — "}<span class="summary">{f.summary.clone()}</span></figcaption>
            <p class="legend">{f.legend}</p>
            <ChartCanvas id={format!("canvas-{}", f.id)} plot={f.plot.clone()} summary={format!("{}. {}", f.title, f.summary)}
                height={f.height} {dark} {tick} />
            <details><summary>{"Data table"}</summary>
                <table class="data">
                    <thead><tr>{ for f.table.head.iter().map(|h| html! { <th scope="col">{h}</th> }) }</tr></thead>
                    <tbody>{ for f.table.rows.iter().map(|r| html! {
                        <tr>{ for r.iter().map(|c| html! { <td>{c}</td> }) }</tr>
                    }) }</tbody>
                </table>
            </details>
        </figure>
    }
}

/// A plain function (no hooks): rendered inside `Reference` (src/ui/reference.rs),
/// which re-renders on the same props this had (analysis, dark, tick).
pub fn charts(analysis: &Analysis, dark: bool, tick: u32) -> Html {
    let figures = figures(analysis);
    if figures.is_empty() {
        return html! {};
    }
    html! {
        <section class="charts card" id="charts" aria-labelledby="charts-h">
            <h2 id="charts-h">{"Charts"}</h2>
            <div class="chart-grid">{ for figures.iter().map(|f| chart_figure(f, dark, tick)) }</div>
        </section>
    }
}
