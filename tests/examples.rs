//! Every example the page offers, pinned as the full text report the page's
//! "Copy text report" gives for it (numbat's pattern: one snapshot per example,
//! and adding an example adds a snapshot). The page's content is tested here
//! without a browser; tests/e2e/examples.rs checks the DOM shows these numbers.
//! Review a change with `INSTA_UPDATE=always cargo test --test examples` and `git diff`.

use converge::core::{analyse, parse, report};
use converge::page::examples::{self, EXAMPLES};
use converge::page::headings::{switchover_heading, SWITCHES_OVER};

#[test]
fn every_example_report_is_pinned() {
    for ex in EXAMPLES {
        let a = analyse(parse::parse(ex.text), ex.options());
        insta::assert_snapshot!(ex.key, report::text(&a), ex.title);
    }
}

#[test]
fn examples_have_distinct_keys_statistics_and_a_stated_platform() {
    let mut keys: Vec<&str> = EXAMPLES.iter().map(|e| e.key).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), EXAMPLES.len(), "duplicate example keys");
    for ex in EXAMPLES {
        let a = analyse(parse::parse(ex.text), ex.options());
        assert!(a.focus.is_some(), "{}: no snapshot with statistics", ex.key);
        assert!(a.paste.errors.is_empty(), "{}: lines not understood: {:?}", ex.key, a.paste.errors);
        assert!(ex.platform.is_some(), "{}: an example says where its guest ran", ex.key);
    }
    assert_eq!(examples::find("seed").map(|e| e.text), Some(examples::SEED));
}

#[test]
fn every_examples_switchover_heading_agrees_with_its_note() {
    // Its last snapshot is QEMU's final state after completing; its heading must
    // agree with the note under it, whichever side of the threshold it is on.
    for ex in EXAMPLES {
        let a = analyse(parse::parse(ex.text), ex.options());
        let Some(f) = a.focus_formulas() else { continue };
        let heading = switchover_heading(f.switches_over);
        let note = f.switchover.notes.join(" ");
        if !note.is_empty() {
            assert!(note.contains(heading), "{}: heading {heading:?} vs note {note:?}", ex.key);
        }
        if ex.key == "autoconverge" {
            assert_eq!(heading, SWITCHES_OVER, "auto-converge throttles until the remainder fits");
        }
    }
}
