#[cfg(target_arch = "wasm32")]
fn main() {
    converge::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(converge::cli::main(std::env::args().skip(1).collect()));
}
