//! The page's one state value as Yew's `Reducible`. The transitions live in
//! src/page/state.rs, where they are tested natively.

pub use crate::page::state::{Action, State};
use std::rc::Rc;
use yew::Reducible;

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = State::reduce(&self, action);
        // Unchanged (a stale typing pause, an unknown example): no re-render.
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}
