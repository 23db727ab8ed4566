//! The analysis as the views receive it. `Rc<Analysis>` compares by value (the
//! analysis is not `Eq`, so `Rc` cannot short-cut), and every view would
//! deep-compare it on each render; the memo hands out a new `Rc` only when it
//! recomputes, so the pointer says it all.

use crate::core::Analysis;
use std::ops::Deref;
use std::rc::Rc;

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
