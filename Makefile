# Converge: `make run` serves the page on http://127.0.0.1:8080, `make test` builds
# the page and runs every test (native, e2e in headless Chromium, wasm in the browser),
# `make check` is the format and lint gate plus the native tests (no browser needed).
# All install what is missing first; nothing is downloaded by Trunk itself.
SHELL := /bin/bash
TRUNK_VERSION        := 0.21.14
WASM_BINDGEN_VERSION := 0.2.129
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
# npm's binaryen 132 first: Debian's binaryen 108 cannot parse wasm-bindgen 0.2.129 output.
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: setup build run test test-native test-wasm test-live clean

setup:
	@command -v chromedriver >/dev/null && command -v chromium >/dev/null || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver)
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -q " $(TRUNK_VERSION)$$" || \
	  cargo install --locked trunk --version $(TRUNK_VERSION)
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" || \
	  cargo install --locked wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@test -x node_modules/.bin/wasm-opt -a -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund

build: setup
	trunk build --release

run: setup
	# Its own dist: the served build carries a live-reload script, which the e2e tests would flag.
	trunk serve --release --address 127.0.0.1 --port 8080 --dist target/serve-dist

.PHONY: check test-e2e

# The gate CI runs first: formatting, clippy on both targets (the page's code is
# wasm32-only, so native clippy never sees it), then the native tests.
check:
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	cargo clippy --locked --target wasm32-unknown-unknown --lib --bins -- -D warnings
	cargo test --locked

test: build test-native test-e2e test-wasm

# Native: the engine's unit and snapshot tests, the page's pure logic, the CLI
# (what plain `cargo test` runs on a fresh clone: no browser, no dist/).
test-native:
	cargo test --locked

# The WebDriver tests against dist/ in headless Chromium (#[ignore]d in plain `cargo test`).
test-e2e:
	cargo test --locked --test e2e -- --ignored

# The wasm side in headless Chromium (wasm-bindgen-test-runner finds chromedriver on PATH).
test-wasm:
	cargo test --locked --target wasm32-unknown-unknown --test web

# Real migrations (issue 10): installs QEMU 10 (bookworm-backports), busybox-static, gcc and
# libvirt from Debian, builds the guest into target/live/ (cached), then runs the live tests
# a-e one at a time on TCG (each boots guests and migrates them over loopback).
test-live:
	scripts/live/setup.sh
	scripts/live/build-guest.sh
	rm -f target/live/figures.txt
	time cargo test --locked --test live -- --ignored --test-threads=1
	@cat target/live/figures.txt

clean:
	rm -rf dist tests/artifacts

# --- benchmark and fuzzing ---------------------------------------------------------------
.PHONY: bench fuzz
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_SECONDS ?= 300

# One table: gzip transfer, first render (vs a minimal Yew app built the same way),
# 2,000-snapshot parse + analyse in the browser and natively, typing lag, a 10 MB paste.
bench: setup
	@test -d bench/node_modules/puppeteer-core || (cd bench && npm ci --no-audit --no-fund)
	node bench/run.mjs

# libFuzzer over parse + analyse; the stable toolchain accepts cargo-fuzz's -Z flags
# with RUSTC_BOOTSTRAP=1. Corpus seeded from tests/data/. Findings land in fuzz/artifacts/.
# -s none: the code is safe Rust, so a panic is the finding; AddressSanitizer (the
# default, `-s address`) finds the same here at a third of the speed.
fuzz:
	@cargo fuzz --version 2>/dev/null | grep -q " $(CARGO_FUZZ_VERSION)$$" || cargo install --locked cargo-fuzz --version $(CARGO_FUZZ_VERSION)
	fuzz/seed.sh
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -s none parse_analyse -- -max_total_time=$(FUZZ_SECONDS) -dict=hmp.dict -max_len=65536
