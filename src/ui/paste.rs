//! The paste area, the examples menu, and what the parser made of the paste:
//! counts, and every line it did not understand, by line.

use super::line_link::line_link;
use super::shared::Shared;
use crate::page::examples::EXAMPLES;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub text: Rc<str>,
    pub analysis: Shared,
    pub on_text: Callback<String>,
    /// An example was chosen: its text.
    pub on_example: Callback<&'static str>,
    /// A key typed (not a paste or drop): the page waits for a pause before
    /// re-analysing.
    pub on_typing: Callback<String>,
}

#[function_component(PasteArea)]
pub fn paste_area(p: &Props) -> Html {
    // On a phone the paste folds into one bar once it holds statistics, so the plan is on
    // the first screen (issue 12 item 1); "edit" opens it, a paste or an example folds it.
    let editing = use_state(|| false);
    let area = use_node_ref();
    let edit = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(true))
    };
    {
        // Once open (rendered), the text area takes the focus: "edit" leads straight to it.
        let area = area.clone();
        use_effect_with(*editing, move |open| {
            if let (true, Some(t)) = (*open, area.cast::<HtmlTextAreaElement>()) {
                let _ = t.focus();
            }
        });
    }
    let (on_text, on_typing, fold) = (p.on_text.clone(), p.on_typing.clone(), editing.clone());
    let oninput = Callback::from(move |e: InputEvent| {
        let ta: HtmlTextAreaElement = e.target_unchecked_into();
        // Yew hands any `input` event over as an InputEvent; a scripted `new Event('input')`
        // (autofill, extensions, tests) has no inputType, and reading it threw. Such an
        // event is taken as a paste.
        let typed = e.dyn_ref::<InputEvent>().map(|ie| ie.input_type()).is_some_and(|t| {
            matches!(
                t.as_str(),
                "insertText"
                    | "insertLineBreak"
                    | "deleteContentBackward"
                    | "deleteContentForward"
                    | "deleteWordBackward"
                    | "deleteWordForward"
            )
        });
        if typed {
            on_typing.emit(ta.value())
        } else {
            // A paste or a drop: on a phone the card folds and the plan moves up.
            fold.set(false);
            on_text.emit(ta.value())
        }
    });
    let on_example = p.on_example.clone();
    let onchange = Callback::from(move |e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        if let Some(ex) = EXAMPLES.iter().find(|x| x.key == s.value()) {
            on_example.emit(ex.key);
        }
    });
    let onchange = {
        let editing = editing.clone();
        Callback::from(move |e: Event| {
            editing.set(false);
            onchange.emit(e)
        })
    };
    // A huge paste keeps only its tail (see big_paste.rs for why and what); the note
    // says so, empty when there is none (a `String` state, the same hook code as the
    // copy buttons' status rather than one more instance in the wasm).
    let big = use_state(String::new);
    let onpaste = {
        let (on_text, big, editing) = (p.on_text.clone(), big.clone(), editing.clone());
        Callback::from(move |e: Event| match super::big_paste::take_over(&e) {
            Some((kept, note)) => {
                big.set(note);
                editing.set(false);
                on_text.emit(kept);
            }
            None => big.set(String::new()),
        })
    };
    // The menu shows the example the paste area holds, so arrow keys step through them.
    let loaded = EXAMPLES.iter().find(|e| e.text == &*p.text);
    let paste = &p.analysis.paste;
    let n = paste.snapshots.len();
    html! {
        <section ~className={if n > 0 && !*editing { "paste card folded" } else { "paste card" }} aria-labelledby="paste-h">
            // Shown only on narrow screens (style.css), and only while folded.
            <button type="button" class="paste-bar" id="paste-bar" onclick={edit}>
                {format!("Pasted: {n} snapshot{} · ", if n == 1 { "" } else { "s" })}<span class="edit">{"edit"}</span>
            </button>
            <div class="paste-head">
                <h2 id="paste-h"><label for="paste">{"QEMU / libvirt output"}</label></h2>
                <label class="examples">
                    <span>{"Examples"}</span>
                    <select id="example" {onchange}>
                        <option value="" selected={loaded.is_none()}>{"Load an example…"}</option>
                        { for EXAMPLES.iter().map(|x| html! {
                            <option value={x.key} title={x.description} selected={loaded.map(|l| l.key == x.key).unwrap_or(false)}>{x.title}</option>
                        }) }
                    </select>
                </label>
            </div>
            <textarea id="paste" ref={area} spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off" rows="22"
                aria-describedby="parse-summary" value={p.text.to_string()} {oninput} {onpaste} />
            if !big.is_empty() { <p id="paste-trimmed" class="hint" role="status">{(*big).clone()}</p> }
            if let Some(ex) = loaded {
                <p class="hint" id="example-loaded"><strong>{"Example: "}{ex.title}{". "}</strong>{ex.description}</p>
            } else {
            <p class="hint">{"Paste "}<code>{"info migrate"}</code>{", "}<code>{"info migrate_parameters"}</code>{", "}
                <code>{"query-migrate"}</code>{" or "}<code>{"virsh domjobinfo"}</code>{" output; several one after another make a series."}</p>
            }
            // Fixed height, always present: a line that becomes (un)readable while typing must not move the page.
            // Focusable (to scroll it by keyboard) only when it lists lines: nothing focusable that does nothing.
            <div class="diagnostics" role="region" aria-labelledby="parse-summary" tabindex={(!paste.errors.is_empty()).then_some("0")}>
                <p id="parse-summary" class="parse-summary">
                    {format!("{} snapshot{}, {} line{} understood, {} not understood{}",
                        n, if n == 1 { "" } else { "s" },
                        paste.lines_understood, if paste.lines_understood == 1 { "" } else { "s" },
                        paste.errors.len(), if paste.errors.is_empty() { "." } else { ":" })}
                </p>
                if !paste.errors.is_empty() {
                    <ul id="diagnostics">
                        { for paste.errors.iter().map(|d| html! {
                            <li data-line={d.line.to_string()}>{line_link(d.line)}{": "}{d.detail()}</li>
                        }) }
                    </ul>
                }
            </div>
        </section>
    }
}
