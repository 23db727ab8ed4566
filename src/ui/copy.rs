//! A command with a copy button, and a button that copies text it builds. The clipboard
//! API can be missing or refused (insecure origin, iframe policy): then a shown command is
//! selected for Ctrl+C.

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// Write `text` to the clipboard; `done(true)` once it is there, `done(false)`
/// when the browser has no clipboard API or refuses it.
pub fn write_clipboard(text: &str, done: impl Fn(bool) + 'static) {
    let clip = web_sys::window().map(|w| w.navigator().clipboard());
    match clip.filter(|c| !c.is_undefined()).map(|c| c.write_text(text)) {
        Some(pr) => yew::platform::spawn_local(async move { done(JsFuture::from(pr).await.is_ok()) }),
        None => done(false),
    }
}

fn select_text(id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Some(el), Some(sel)) = (doc.get_element_by_id(id), doc.get_selection().ok().flatten()) else { return };
    let _ = sel.select_all_children(&el);
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Stable id ("copy-hmp"); a shown command gets `{id}-text`.
    pub id: AttrValue,
    pub label: AttrValue,
    /// A command, shown with its label and copied as it is.
    #[prop_or_default]
    pub text: AttrValue,
    /// Instead of a command: a button that builds the text when clicked (a report is not
    /// worth building on every keystroke).
    #[prop_or_default]
    pub make: Option<Callback<(), String>>,
}

/// A command with its copy button, or (with `make`) a button that copies text it builds,
/// with a status next to it. One component for both (`CopyCommand` and `CopyAction`
/// name it at their call sites): each component costs its own Yew glue in the wasm.
#[function_component(CopyButton)]
pub fn copy_button(p: &Props) -> Html {
    let status = use_state(String::new);
    if let Some(make) = &p.make {
        let onclick = {
            let (status, make) = (status.clone(), make.clone());
            Callback::from(move |_: MouseEvent| {
                let status = status.clone();
                write_clipboard(&make.emit(()), move |ok| {
                    status.set(if ok { "Copied" } else { "The browser refused the clipboard" }.to_string())
                });
            })
        };
        return html! {
            <span class="copy-action">
                <button type="button" id={p.id.clone()} {onclick}>{p.label.clone()}</button>
                <span class="copy-status" role="status">{(*status).clone()}</span>
            </span>
        };
    }
    let text_id = format!("{}-text", p.id);
    let onclick = {
        let (status, text, text_id) = (status.clone(), p.text.to_string(), text_id.clone());
        Callback::from(move |_: MouseEvent| {
            let (status, text_id) = (status.clone(), text_id.clone());
            write_clipboard(&text, move |ok| {
                if ok {
                    status.set("Copied".into());
                } else {
                    select_text(&text_id);
                    status.set("Selected: press Ctrl+C".into());
                }
            });
        })
    };
    html! {
        <div class="copy">
            <span class="copy-label">{p.label.clone()}</span>
            <code id={text_id}>{p.text.clone()}</code>
            <button type="button" id={p.id.clone()} data-copy={p.text.clone()} {onclick}
                aria-label={format!("Copy the {} command", p.label)}>{"Copy"}</button>
            <span class="copy-status" role="status">{(*status).clone()}</span>
        </div>
    }
}

/// A command with a copy button.
pub type CopyCommand = CopyButton;
/// A button that copies text it builds on click.
pub type CopyAction = CopyButton;
