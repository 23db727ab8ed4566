//! In-browser tests (wasm-bindgen-test in headless Chromium): the URL encoding
//! round-trips, and the page renders the seed's numbers.
#![cfg(target_arch = "wasm32")]

use converge::ui::{examples, url_state};
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn url_state_round_trips_text_fields_and_flags() {
    let v = url_state::ViewState {
        text: Some(examples::SEED.to_string()),
        fields: vec![("limit".into(), "1,500".into()), ("throughput".into(), "866.83 &=#".into())],
        backing: Some(2097152.0),
        embed: true,
    };
    let enc = url_state::encode(&v);
    assert!(!enc.contains('#') && !enc.contains(' '), "{enc}");
    // Deflate makes the seed's 700-odd bytes much shorter than base64 of the raw text would be.
    assert!(enc.len() < examples::SEED.len(), "{} >= {}", enc.len(), examples::SEED.len());
    assert_eq!(url_state::decode(&format!("#{enc}")), v);
}

#[wasm_bindgen_test]
fn hostile_fragments_decode_to_nothing_without_panicking() {
    for h in ["#z=%%%", "#z=AAAA", "#page=-1", "#page=NaN", "#=&&=", "#z=////"] {
        let v = url_state::decode(h);
        assert_eq!(v.text, None, "{h}");
        assert_eq!(v.backing, None, "{h}");
    }
}

#[wasm_bindgen_test]
async fn page_renders_the_seed_numbers() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<converge::ui::App>::with_root(root).render();
    yew::platform::time::sleep(std::time::Duration::from_millis(100)).await;
    let f1 = doc.get_element_by_id("result-f1").unwrap().get_attribute("data-value").unwrap();
    let f1: f64 = f1.parse().unwrap();
    assert!((f1 - 1475.9454).abs() < 1e-3, "{f1}");
    let f2 = doc.get_element_by_id("result-f2").unwrap().text_content().unwrap();
    assert!(f2 == "3,561.83 ms" || f2 == "3,561.82 ms", "{f2}"); // rounded or truncated, as the engine formats it
}
