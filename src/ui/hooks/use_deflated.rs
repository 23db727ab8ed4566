//! The paste's deflate for a link, made ahead: the browser's compressor is asynchronous
//! (ui/deflate.rs), and a click's clipboard write is not (Safari refuses one made after an
//! await). Each new text is deflated once, a moment after it settles (not during the first
//! render: a stream's first use costs about a millisecond); a click takes what is made.

use super::super::deflate::deflate;
use crate::page::url_state;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// How long after a change of text it is deflated.
const SETTLE_MS: u32 = 300;

/// The newest text, its deflate once made, and the timer that will make it.
type Slot = (Rc<str>, Option<Vec<u8>>, Option<Timeout>);

#[derive(Clone)]
pub struct Deflated(Rc<RefCell<Slot>>);

impl Deflated {
    /// `text`'s raw deflate: the browser's when made for this text, else stored blocks
    /// (a longer link that opens the same; also where the browser has no CompressionStream).
    pub fn of(&self, text: &str) -> Vec<u8> {
        match &*self.0.borrow() {
            (t, Some(z), _) if **t == *text => z.clone(),
            _ => url_state::stored(text.as_bytes()),
        }
    }
}

#[hook]
pub fn use_deflated(text: Rc<str>) -> Deflated {
    let slot = use_mut_ref(|| (Rc::from(""), None, None));
    {
        let slot = slot.clone();
        use_effect_with(text, move |t| {
            let (later, text) = (slot.clone(), Rc::clone(t));
            // Replacing the timer cancels the one for the text before.
            let timer = Timeout::new(SETTLE_MS, move || {
                yew::platform::spawn_local(async move {
                    let z = deflate(&text).await;
                    let mut s = later.borrow_mut();
                    // A newer text may have come meanwhile: its own deflate is on its way.
                    if Rc::ptr_eq(&s.0, &text) {
                        s.1 = z;
                    }
                });
            });
            *slot.borrow_mut() = (Rc::clone(t), None, Some(timer));
        });
    }
    Deflated(slot)
}
