//! A paste line reference: a button that selects that line in the paste area.
//! Its own module because the paste area, the formulas and the form all use it.

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Jump to a paste line: a button (the #fragment holds the view state, so no links).
pub fn line_link(line: usize) -> Html {
    if line == 0 {
        return html! { <span class="line">{"(edited)"}</span> };
    }
    let onclick = Callback::from(move |_: MouseEvent| select_line(line));
    html! { <button type="button" class="line" data-line={line.to_string()} {onclick}>{format!("line {line}")}</button> }
}

/// Select line `line` (1-based) of the paste area and scroll it into view.
pub fn select_line(line: usize) {
    let Some(ta) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("paste"))
        // #paste is only ever the paste textarea (paste.rs); an unchecked cast spares the
        // instanceof shim and import that dyn_into needed for this one call.
        .map(|e| e.unchecked_into::<HtmlTextAreaElement>())
    else {
        return;
    };
    let text = ta.value();
    // Offsets are in UTF-16 code units, as the DOM counts them.
    let (mut start, mut pos, mut n) = (0u32, 0u32, 1usize);
    let mut end = None;
    for c in text.chars() {
        if c == '\n' {
            if n == line {
                end = Some(pos);
                break;
            }
            n += 1;
            start = pos + 1;
        }
        pos += c.len_utf16() as u32;
    }
    if n < line {
        return;
    }
    let end = end.unwrap_or(pos);
    let _ = ta.focus();
    let _ = ta.set_selection_range(start, end);
    // Scroll roughly to the line: the textarea has a fixed line height.
    let lh = 13.0 * 1.4;
    ta.set_scroll_top(((line.saturating_sub(3)) as f64 * lh) as i32);
}
