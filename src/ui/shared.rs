//! What the views share: the analysis as they receive it, and the markup they repeat.
//!
//! The analysis as the views receive it. `Rc<Analysis>` compares by value (the
//! analysis is not `Eq`, so `Rc` cannot short-cut), and every view would
//! deep-compare it on each render; the memo hands out a new `Rc` only when it
//! recomputes, so the pointer says it all.

use crate::core::Analysis;
use std::ops::Deref;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone)]
pub struct Shared(pub Rc<Analysis>);

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for Shared {
    type Target = Analysis;
    fn deref(&self) -> &Analysis {
        &self.0
    }
}

/// A table's column headers, `<th scope="col">` each: one copy of the markup code in the
/// wasm instead of one per header (issue 12).
pub fn col_heads(names: &[&'static str]) -> Html {
    names.iter().map(|n| html! { <th scope="col">{*n}</th> }).collect()
}
