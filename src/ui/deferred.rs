//! What is below the plan, rendered in the task after the first paint: the first
//! paint (header, paste, plan) is not held up by the derivations, options, charts
//! and glossary. Only this wrapper re-renders when its time comes; the page's root
//! and what is above stay as they are. After that it is a plain pass-through.

use super::hooks::use_painted;
use yew::prelude::*;

#[derive(Properties)]
pub struct Props {
    pub children: Html,
}

/// Never equal: the root rebuilds the children on each of its renders (new callbacks
/// every time), and each component in them compares its own props when Yew reconciles
/// them. Deep-comparing the `Html` here saved nothing and brought ~1.9 KiB of
/// virtual-DOM comparison into the wasm (issue 12).
impl PartialEq for Props {
    fn eq(&self, _: &Props) -> bool {
        false
    }
}

#[function_component(Deferred)]
pub fn deferred(p: &Props) -> Html {
    if use_painted() {
        p.children.clone()
    } else {
        Html::default()
    }
}
