//! The series legend inside a chart, laid out as plotters' `configure_series_labels`
//! lays it out (same box, margins and line pitch), but with its labels measured by
//! the backend (src/ui/measured_canvas.rs): plotters measures each legend line
//! through a `<span>` in the document, two forced layouts per line.

use super::measured_canvas::{Area, DrawResult};
use plotters::prelude::*;

/// How a series is marked, drawn left of its label (as the series draws it).
#[derive(Clone, Copy)]
pub enum Mark {
    Dot(RGBColor),
    Cross(RGBColor),
    Square(RGBColor),
    /// A line of this stroke width.
    Line(RGBColor, u32),
}

#[derive(Clone, Copy)]
pub enum Corner {
    UpperRight,
    LowerRight,
}

/// plotters' defaults: margin 10, 30 px for the marks, lines 1.25 font sizes apart, 5 px from the edge.
const MARGIN: i32 = 10;
const MARK_AREA: i32 = 30;
const EDGE: i32 = 5;
const FONT_PX: f64 = 12.0;

fn mark(area: &Area, m: Mark, (x, y): (i32, i32)) -> DrawResult {
    match m {
        Mark::Dot(c) => area.draw(&Circle::new((x + 10, y), 4, c.filled())),
        Mark::Cross(c) => area.draw(&Cross::new((x + 10, y), 5, c.stroke_width(2))),
        Mark::Square(c) => area.draw(&Rectangle::new([(x + 6, y - 4), (x + 14, y + 4)], c.filled())),
        Mark::Line(c, w) => area.draw(&PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(w))),
    }
}

/// Draw the legend box in a corner of `area` (the chart's plotting area).
pub fn draw(area: &Area, corner: Corner, entries: &[(&str, Mark)], fg: RGBColor, grid: RGBColor) -> DrawResult {
    let font = (FontFamily::SansSerif, FONT_PX).into_font().color(&fg);
    let pitch = (FONT_PX * 1.25).round() as i32;
    let mut sizes = Vec::with_capacity(entries.len());
    for (label, _) in entries {
        sizes.push(area.estimate_text_size(label, &font)?);
    }
    let text_w = sizes.iter().map(|s| s.0 as i32).max().unwrap_or(0);
    let text_h = sizes.iter().enumerate().map(|(i, s)| i as i32 * pitch + s.1 as i32).max().unwrap_or(0);
    let (w, h) = (text_w + MARK_AREA + 2 * MARGIN, text_h + 2 * MARGIN);
    let (area_w, area_h) = area.dim_in_pixel();
    let x = area_w as i32 - w - EDGE;
    let y = match corner {
        Corner::UpperRight => EDGE,
        Corner::LowerRight => area_h as i32 - h - EDGE,
    };
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], grid.mix(0.15).filled()))?;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], grid))?;
    for (i, ((label, m), size)) in entries.iter().zip(&sizes).enumerate() {
        let top = y + MARGIN + i as i32 * pitch;
        // draw_text, which the axis labels use, not a Text element: the same backend call.
        area.draw_text(label, &font, (x + MARK_AREA + MARGIN, top))?;
        mark(area, *m, (x + MARGIN, top + size.1 as i32 / 2))?;
    }
    Ok(())
}
