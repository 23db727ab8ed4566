//! In-browser tests (wasm-bindgen-test in headless Chromium): the page renders
//! the seed's numbers. The pure parts (link format, form fields, state) are
//! tested natively in src/page/.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

/// The element's text once it is rendered (Yew renders on a later tick), or None after ~2 s.
async fn rendered(doc: &web_sys::Document, id: &str) -> Option<web_sys::Element> {
    for _ in 0..200 {
        if let Some(e) = doc.get_element_by_id(id) {
            return Some(e);
        }
        yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    None
}

#[wasm_bindgen_test]
async fn page_renders_the_seed_numbers() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<converge::ui::App>::with_root(root).render();
    let f1 = rendered(&doc, "d-f1-value").await.expect("#d-f1-value rendered");
    let f1: f64 = f1.get_attribute("data-value").unwrap().parse().unwrap();
    // 39044 pages x 4096 bytes / 108,353.75 bytes/ms.
    assert!((f1 - 1475.9454).abs() < 1e-3, "{f1}");
    // 376892 KiB x 1024 / 108,353.75 = 3,561.8299...: the header shows whole ms, cut as QEMU cuts (the steps keep every digit).
    let f2 = doc.get_element_by_id("d-f2-value").unwrap().text_content().unwrap();
    assert_eq!(f2, "3,561 ms");
    // The seed is a POWER hash-MMU guest on 16 MiB pages, and the switchover heading is the engine's verdict.
    let platform = doc.get_element_by_id("f-platform").unwrap().unchecked_into::<web_sys::HtmlSelectElement>();
    assert_eq!(platform.value(), "power-hash");
    let sw = doc.get_element_by_id("d-switchover-value").unwrap().text_content().unwrap();
    assert_eq!(sw, "QEMU keeps iterating");
}
