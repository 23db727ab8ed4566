//! Timing hooks for `make bench` (bench/run.mjs builds the page with
//! `--features bench`; the shipped page has none): time parse + analyse inside
//! the page's own wasm, without the DOM. Trunk exposes them as
//! `window.wasmBindings.bench_analyse(text, runs)`.

use wasm_bindgen::prelude::*;

/// Milliseconds taken by each of `runs` parse + analyse passes over `text`.
#[wasm_bindgen]
pub fn bench_analyse(text: &str, runs: u32) -> Vec<f64> {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else { return Vec::new() };
    (0..runs)
        .map(|_| {
            let t0 = perf.now();
            let a = crate::core::analyse_text(text);
            let dt = perf.now() - t0;
            drop(std::hint::black_box(a));
            dt
        })
        .collect()
}

/// How many snapshots the page finds in `text` (checks it parsed the paste).
#[wasm_bindgen]
pub fn bench_snapshots(text: &str) -> usize {
    crate::core::analyse_text(text).paste.snapshots.len()
}
