//! A counter that moves when the window is resized or the system colour scheme
//! changes: charts redraw on it and the Auto theme follows the system.

use yew::prelude::*;

#[hook]
pub fn use_redraw_tick() -> u32 {
    let tick = use_state(|| 0u32);
    {
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let t2 = tick.clone();
            let listener = web_sys::window()
                .map(|w| gloo::events::EventListener::new(&w, "resize", move |_| tick.set(tick.wrapping_add(1))));
            let scheme = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|m| gloo::events::EventListener::new(&m, "change", move |_| t2.set(t2.wrapping_add(1))));
            move || drop((listener, scheme))
        });
    }
    *tick
}
