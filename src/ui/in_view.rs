//! Whether an element is in (or within `MARGIN` of) the viewport, reported by an
//! IntersectionObserver: a chart draws only once it is seen. Where the browser has no
//! IntersectionObserver there is no observer, and the caller counts the element as in
//! view (drawn at once).

use wasm_bindgen::prelude::*;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};
use yew::Callback;

/// Begin a little before the element scrolls in, so it is drawn as it appears.
const MARGIN: &str = "200px 0px";

/// Observes one element while it lives; dropping it disconnects the observer.
pub struct InView {
    observer: IntersectionObserver,
    _on_change: Closure<dyn FnMut(js_sys::Array)>,
}

impl InView {
    pub fn observe(el: &Element, in_view: Callback<bool>) -> Option<InView> {
        let on_change = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // Entries come oldest first: the last says where the element is now.
            if let Some(e) = entries.iter().last().and_then(|e| e.dyn_into::<IntersectionObserverEntry>().ok()) {
                in_view.emit(e.is_intersecting());
            }
        });
        let init = IntersectionObserverInit::new();
        init.set_root_margin(MARGIN);
        let observer = IntersectionObserver::new_with_options(on_change.as_ref().unchecked_ref(), &init).ok()?;
        observer.observe(el);
        Some(InView { observer, _on_change: on_change })
    }
}

impl Drop for InView {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
