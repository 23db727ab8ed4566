//! Embedding (issue 14 point 7): the iframe snippet for the view on screen, with
//! the sandbox flags "Open in Converge" needs, a `theme=` parameter, a height that
//! fits the compact embed at a docs column's width, and the inputs it is for.

use crate::core::plan::Plan;

/// The sandbox the snippet carries: scripts and same-origin run the page (localStorage
/// for the theme), popups let "Open in Converge" open the full page in a new tab.
pub const SANDBOX: &str = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox";

/// Width the height is computed for: a typical docs column.
pub const COLUMN_PX: f64 = 700.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The iframe snippet: `src` already holds the `#embed=1&theme=..&z=..` fragment.
pub fn snippet(src: &str, height_px: u32, inputs: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{height_px}\" style=\"border:0;width:100%;max-width:100%\" loading=\"lazy\" sandbox=\"{SANDBOX}\"></iframe>",
        esc(src),
        esc(&format!("Converge: {inputs}"))
    )
}

/// Lines a text takes at `width_px` (about 8 px per character of 16 px text).
fn lines(chars: usize, width_px: f64, px_per_char: f64) -> f64 {
    let per_line = (width_px / px_per_char).max(20.0);
    (chars as f64 / per_line).ceil().max(1.0)
}

/// Height of the compact embed for this plan at `COLUMN_PX`, with room for fonts that
/// run wider; the e2e test checks it against the page as rendered.
pub fn height_px(plan: &Plan, inputs: &str) -> u32 {
    const LINE: f64 = 24.0;
    const GAP: f64 = 16.0;
    let card = COLUMN_PX - 2.0 * 16.0 - 2.0 * 17.0; // page and card padding, borders
    let text = |n: usize| lines(n, card, 8.0) * LINE + GAP;
    let mut h = 2.0 * 16.0; // page padding
                            // The head card: heading, inputs, diagnosis, plan, steps, confidence.
    h += 2.0 * 17.0 + 1.5 * LINE + GAP;
    h += text(inputs.chars().count());
    h += text(plan.diagnosis.text.chars().count());
    h += text(plan.action.text.chars().count() + 6);
    for s in &plan.action.steps {
        h += LINE + 8.0;
        for c in &s.commands {
            // A command row: label, code in monospace (~8.6 px a character), button; then its status line.
            h += (lines(c.text.chars().count(), card - 160.0, 8.6) * 20.0).max(36.0) + 20.0;
        }
        h += GAP;
    }
    let raise = plan.confidence.raise_by.first().map(|r| r.chars().count()).unwrap_or(0);
    h += text(raise + 30);
    // The options card: heading, notes, a table row per option (name and setting: two lines or more).
    if !plan.options.is_empty() || !plan.action.notes.is_empty() {
        h += GAP + 2.0 * 17.0 + 1.5 * LINE + GAP;
        h += plan.action.notes.iter().map(|n| text(n.chars().count())).sum::<f64>();
        if !plan.options.is_empty() {
            h += 2.0 * LINE;
            let name_col = card * 0.4;
            h += plan
                .options
                .iter()
                .map(|o| (1.0 + lines(o.setting.chars().count(), name_col, 7.0)) * 20.0 + 8.0)
                .sum::<f64>();
        }
    }
    h += GAP + LINE; // "Open in Converge"
    ((h * 1.15) / 10.0).ceil() as u32 * 10
}
