//! Whether an element is in (or within `MARGIN` of) the viewport, kept current by
//! an IntersectionObserver: a chart draws only once it is seen. Where the browser
//! has no IntersectionObserver the element counts as in view (drawn at once, as
//! before).

use wasm_bindgen::prelude::*;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};
use yew::prelude::*;

/// Begin a little before the element scrolls in, so it is drawn as it appears.
const MARGIN: &str = "200px 0px";

#[hook]
pub fn use_in_view(node: NodeRef) -> bool {
    let in_view = use_state_eq(|| false);
    {
        let in_view = in_view.clone();
        use_effect_with(node, move |node| {
            let seen = in_view.setter();
            let on_change = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                // Entries come oldest first: the last says where the element is now.
                if let Some(e) = entries.iter().last().and_then(|e| e.dyn_into::<IntersectionObserverEntry>().ok()) {
                    seen.set(e.is_intersecting());
                }
            });
            let observer = node.cast::<Element>().and_then(|el| {
                let init = IntersectionObserverInit::new();
                init.set_root_margin(MARGIN);
                let o = IntersectionObserver::new_with_options(on_change.as_ref().unchecked_ref(), &init).ok()?;
                o.observe(&el);
                Some(o)
            });
            if observer.is_none() {
                in_view.set(true);
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop(on_change);
            }
        });
    }
    *in_view
}
