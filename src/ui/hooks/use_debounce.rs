//! One pending timer that a newer call replaces and anything can cancel: the
//! typing pause (parse + analyse + charts cost ~100 ms on a long paste, too much
//! per key; measured by `make bench`). An example or a paste cancels it.

use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone)]
pub struct Debounce(Rc<RefCell<Option<Timeout>>>);

impl Debounce {
    /// Run `f` after `ms` unless `run` or `cancel` is called first.
    pub fn run(&self, ms: u32, f: impl FnOnce() + 'static) {
        // Replacing the timeout cancels the previous one. The fired one stays in
        // the slot: dropping it from inside its own callback would free a running closure.
        *self.0.borrow_mut() = Some(Timeout::new(ms, f));
    }
    pub fn cancel(&self) {
        self.0.borrow_mut().take();
    }
}

#[hook]
pub fn use_debounce() -> Debounce {
    let slot = use_mut_ref(|| None::<Timeout>);
    {
        let slot = slot.clone();
        use_effect_with((), move |_| move || drop(slot.borrow_mut().take()));
    }
    Debounce(slot)
}
