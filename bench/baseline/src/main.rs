use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[function_component]
fn App() -> Html {
    let text = use_state(String::new);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    html! {
        <main>
            <h1>{ "Baseline" }</h1>
            <textarea id="input" {oninput} />
            <p id="result">{ format!("{} lines", text.lines().count()) }</p>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
