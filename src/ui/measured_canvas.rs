//! plotters' canvas backend with text measured by the canvas itself. plotters
//! measures a label on wasm by appending a styled `<span>` to <body> and reading
//! its offsetWidth: a forced layout of the whole page per label (~30 per chart
//! draw), and the reason the CSP once needed `style-src-attr 'unsafe-inline'`.
//! `measureText` on the canvas's own 2D context gives the same widths (the span's
//! was the rounded advance width) without touching the DOM; the height is the line
//! box the span had. Everything else is CanvasBackend's.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub struct MeasuredCanvas {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
}

/// The span inherited <body>'s line-height (static/style.css), so a label's height
/// was its line box: 1.5 font sizes. Kept, so axis titles, captions and legends sit
/// where they always did.
const LINE_HEIGHT: f64 = 1.5;

type Error = <CanvasBackend as DrawingBackend>::ErrorType;
type Drawn = Result<(), DrawingErrorKind<Error>>;

/// A chart's drawing area on this backend, for the charts and their legend.
pub type Area = DrawingArea<MeasuredCanvas, Shift>;
/// plotters' own error, not a `Box<dyn Error>`: a chart that fails stays blank, its error
/// dropped, and boxing kept its Debug and Display in the wasm (issue 12).
pub type DrawResult = Result<(), DrawingAreaErrorKind<Error>>;

impl MeasuredCanvas {
    pub fn new(canvas: &HtmlCanvasElement) -> Option<MeasuredCanvas> {
        // The same context object CanvasBackend draws with (a canvas has one 2D context).
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        let inner = CanvasBackend::with_canvas_object(canvas.clone())?;
        Some(MeasuredCanvas { inner, context })
    }
}

/// The CSS font CanvasBackend::draw_text sets for the same style.
fn css_font<S: BackendTextStyle>(style: &S) -> String {
    format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str())
}

impl DrawingBackend for MeasuredCanvas {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawn {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Drawn {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Drawn {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> Drawn {
        self.inner.draw_rect(ul, br, style, fill)
    }
    // Paths go on as `&mut dyn Iterator`: one copy of CanvasBackend's loop, not one per
    // iterator type plotters passes (issue 12).
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Drawn {
        self.inner.draw_path(&mut path.into_iter() as &mut dyn Iterator<Item = BackendCoord>, style)
    }
    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, radius: u32, style: &S, fill: bool) -> Drawn {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> Drawn {
        self.inner.fill_polygon(&mut vert.into_iter() as &mut dyn Iterator<Item = BackendCoord>, style)
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Drawn {
        self.inner.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Error>> {
        self.context.set_font(&css_font(style));
        let Ok(m) = self.context.measure_text(text) else { return Ok((0, 0)) };
        // Rounded as offsetWidth and offsetHeight rounded them: the charts keep their layout.
        let height = style.size() * LINE_HEIGHT;
        Ok((m.width().round().max(0.0) as u32, height.round().max(0.0) as u32))
    }
}
