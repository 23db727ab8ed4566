// The page's allocator (src/main.rs is the one place for it): Talc instead of Rust's
// default dlmalloc, smaller in the wasm.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    converge::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(converge::cli::main(std::env::args().skip(1).collect()));
}
