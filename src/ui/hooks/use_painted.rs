//! False for the first render, true from the task after the first paint: what the
//! page renders only when this is true (everything below the plan) does not hold
//! up the first paint. An animation frame callback runs just before a paint, so a
//! task queued from it runs just after. Every component asking before then is told
//! in that one task, so their renders are one pass (no frame between them).
//!
//! The frame is asked for during the first render that asks, not in an effect: Yew
//! runs effects after a first render that took over 16 ms in a later task (its
//! scheduler yields to a timeout), which can come after the first frame; a frame
//! asked for then was the next one, a whole frame (and the timeout) later.

use gloo::timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

thread_local! {
    static PAINTED: Cell<bool> = const { Cell::new(false) };
    static ASKED: Cell<bool> = const { Cell::new(false) };
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

/// Once, from the first render that asks: the frame that paints this render.
fn ask_for_the_frame() {
    if ASKED.replace(true) {
        return;
    }
    let after_paint = Closure::once_into_js(after_paint);
    let asked = web_sys::window().and_then(|w| w.request_animation_frame(after_paint.unchecked_ref()).ok());
    if asked.is_none() {
        painted();
    }
}

#[hook]
pub fn use_painted() -> bool {
    let state = use_state_eq(|| {
        ask_for_the_frame();
        PAINTED.get()
    });
    {
        let set = state.setter();
        use_effect_with((), move |_| {
            // The paint may have come before this effect ran (see above): then at once.
            if PAINTED.get() {
                set.set(true);
            } else {
                WAITING.with_borrow_mut(|w| w.push(set));
            }
        });
    }
    *state
}
