//! The page's root: holds the pasted text and recomputes the analysis on every edit.

use super::examples;
use super::results::Results;
use crate::core::{analyse, parse, Options};
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let text = use_state(|| examples::SEED.to_string());
    let options = use_state(Options::default);
    let analysis = {
        let t = (*text).clone();
        let o = (*options).clone();
        use_memo((t, o), |(t, o)| analyse(parse::parse(t), o.clone()))
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(ta.value());
        })
    };
    html! {
        <main class="page">
            <header><h1>{"Converge"}</h1>
                <p class="tagline">{"Why QEMU's expected downtime is what it is, and the downtime-limit that lets the migration finish."}</p>
            </header>
            <div class="layout">
                <section class="paste">
                    <label for="paste">{"QEMU / libvirt output"}</label>
                    <textarea id="paste" spellcheck="false" autocomplete="off" rows="24" value={(*text).clone()} {oninput} />
                </section>
                <Results analysis={Rc::clone(&analysis)} />
            </div>
        </main>
    }
}
