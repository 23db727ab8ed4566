//! The whole path a paste takes: bytes -> text -> parse -> formulas -> advice
//! -> JSON (what the page and `converge --json` show). Any panic is a finding,
//! because a wasm panic kills the page.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The page receives text, not bytes; lossy decoding mirrors a paste of
    // mixed encodings (a raw HMP transcript with VT100 escapes, for one).
    let text = String::from_utf8_lossy(data);
    let analysis = converge::core::analyse_text(&text);
    // Serialising walks every field, so NaN/inf or a bad index shows up here too.
    let _ = serde_json::to_string(&analysis);
});
