//! False for the first render, true from the task after the first paint: what the
//! page renders only when this is true (everything below the plan) does not hold
//! up the first paint. An animation frame callback runs just before a paint, so a
//! task queued from it runs just after. Every component asking before then is told
//! in that one task, so their renders are one pass (no frame between them).

use gloo::timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

thread_local! {
    static PAINTED: Cell<bool> = const { Cell::new(false) };
    static WAITING: RefCell<Vec<UseStateSetter<bool>>> = const { RefCell::new(Vec::new()) };
}

fn painted() {
    PAINTED.set(true);
    for s in WAITING.take() {
        s.set(true);
    }
}

/// From an animation frame callback: a task right after this frame's paint. A message
/// to ourselves rather than a timeout: timers are held back while the page loads.
fn after_paint() {
    let sent = web_sys::MessageChannel::new().ok().and_then(|channel| {
        let on_message = Closure::once_into_js(painted);
        channel.port1().set_onmessage(Some(on_message.unchecked_ref()));
        channel.port2().post_message(&JsValue::NULL).ok()
    });
    if sent.is_none() {
        Timeout::new(0, painted).forget();
    }
}

#[hook]
pub fn use_painted() -> bool {
    let state = use_state_eq(|| PAINTED.get());
    {
        let set = state.setter();
        use_effect_with((), move |_| {
            if PAINTED.get() {
                return set.set(true);
            }
            let first = WAITING.with_borrow_mut(|w| {
                w.push(set);
                w.len() == 1
            });
            if first {
                let after_paint = Closure::once_into_js(after_paint);
                let asked = web_sys::window().and_then(|w| w.request_animation_frame(after_paint.unchecked_ref()).ok());
                if asked.is_none() {
                    painted();
                }
            }
        });
    }
    *state
}
