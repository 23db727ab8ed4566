//! The engine alone (bench/engine-page/Cargo.toml says why): a textarea holding the seed
//! the page opens with, and under it the plain-text report of its analysis, re-made on
//! every input as the page re-analyses.

use converge_engine::core::{analysis::analyse_text, report};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

const SEED: &str = include_str!("../../../tests/data/corpus/seed/as_pasted.txt");

#[function_component]
fn App() -> Html {
    let text = use_state(|| SEED.to_string());
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let report = report::text(&analyse_text(&text));
    html! {
        <main>
            <h1>{ "Engine alone" }</h1>
            <textarea id="input" value={(*text).clone()} {oninput} />
            <pre id="result">{ report }</pre>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
