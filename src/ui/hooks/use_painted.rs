//! False for the first render, true from the task after the first paint: what the
//! page renders only when this is true (everything below the plan) does not hold
//! up the first paint. An animation frame callback runs just before a paint, so a
//! timeout set from it runs just after.

use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[hook]
pub fn use_painted() -> bool {
    let painted = use_state_eq(|| false);
    {
        let painted = painted.clone();
        use_effect_with((), move |_| {
            let set = painted.setter();
            let after_paint = Closure::once_into_js(move || Timeout::new(0, move || set.set(true)).forget());
            let asked = web_sys::window().and_then(|w| w.request_animation_frame(after_paint.unchecked_ref()).ok());
            if asked.is_none() {
                painted.set(true);
            }
        });
    }
    *painted
}
