//! The glossary (issue 14 point 6): the seven words the plan cannot avoid, each
//! defined once, and reachable from its first use on the page (a link on the
//! first occurrence; later ones stay plain text so the Tab order stays short).

use std::cell::RefCell;
use yew::prelude::*;

/// (anchor, term, the words that count as a use, definition).
pub const TERMS: [(&str, &str, &[&str], &str); 7] = [
    ("g-pass", "pass", &["passes", "pass"], "One round of pre-copy: QEMU sends every page that was dirty at the last sync while the guest keeps running."),
    ("g-sync", "sync", &["sync"], "A dirty-bitmap sync: QEMU collects the pages the guest wrote since the previous one (`dirty sync count` counts them) and, at each, decides whether to switch over."),
    ("g-pending", "pending", &["pending"], "The bytes still to send after a sync: what the switchover would copy with the guest paused."),
    ("g-switchover", "switchover", &["switchover", "switch over", "switches over"], "The end of pre-copy: QEMU pauses the guest, sends what is pending and the device state, and the guest resumes on the destination. That pause is the downtime."),
    ("g-threshold", "threshold", &["threshold", "lets QEMU switch over only below", "lets through"], "QEMU switches over at a sync when pending < bandwidth x downtime-limit (migration.c, migration_iteration_run; with avail-switchover-bandwidth set, 8.2+, that value replaces the bandwidth)."),
    ("g-hpt", "HPT", &["HPT", "hash-MMU", "hash MMU"], "Hashed page table, the POWER hash MMU. On KVM-HV such a guest's writes are logged per HPTE, so one write through a 16 MiB HPTE marks 16 MiB dirty (Linux book3s_64_mmu_hv.c, kvm_test_clear_dirty_npages)."),
    ("g-postcopy", "postcopy", &["postcopy", "post-copy"], "The guest moves to the destination before all its memory has; pages it touches are then fetched on demand. The pause is short, but if the network fails meanwhile the guest is split between the hosts."),
];

/// Which terms already have their link on this page: at most seven anchors, so a list
/// (a HashSet brought its own hashing code into the wasm).
#[derive(Default)]
pub struct Seen(RefCell<Vec<&'static str>>);

/// Earliest use of a not-yet-linked term in `text`: (start, end, anchor).
fn first_use(text: &str, seen: &Seen) -> Option<(usize, usize, &'static str)> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let not_word = |i: usize| i >= bytes.len() || !bytes[i].is_ascii_alphanumeric();
    let mut best: Option<(usize, usize, &'static str)> = None;
    for (anchor, _, words, _) in TERMS {
        if seen.0.borrow().contains(&anchor) {
            continue;
        }
        for w in words {
            let w = w.to_ascii_lowercase();
            let mut from = 0;
            while let Some(at) = lower[from..].find(&w) {
                let (s, e) = (from + at, from + at + w.len());
                if (s == 0 || not_word(s - 1)) && not_word(e) {
                    if best.map(|b| s < b.0).unwrap_or(true) {
                        best = Some((s, e, anchor));
                    }
                    break;
                }
                from = e;
            }
        }
    }
    best
}

/// `text` with the first use of each glossary term (not linked before) made a link to its definition.
pub fn linked(text: &str, seen: &Seen) -> Html {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some((s, e, anchor)) = first_use(rest, seen) {
        seen.0.borrow_mut().push(anchor);
        parts.push(html! { {rest[..s].to_string()} });
        parts.push(html! { <a class="term" href={format!("#{anchor}")}>{rest[s..e].to_string()}</a> });
        rest = &rest[e..];
    }
    parts.push(html! { {rest.to_string()} });
    html! { <>{ for parts }</> }
}

/// A plain function (no hooks): rendered inside `Reference` (src/ui/reference.rs).
pub fn glossary() -> Html {
    html! {
        <section class="glossary card" id="glossary" aria-labelledby="glossary-h">
            <h2 id="glossary-h">{"Words used here"}</h2>
            <dl>
                { for TERMS.iter().map(|(anchor, term, _, def)| html! {
                    <><dt id={*anchor}>{*term}</dt><dd>{*def}</dd></>
                }) }
            </dl>
        </section>
    }
}
