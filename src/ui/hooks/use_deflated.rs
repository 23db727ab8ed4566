//! The paste's deflate for a link, made ahead: the browser's compressor is asynchronous
//! (ui/deflate.rs), and a click's clipboard write is not (Safari refuses one made after an
//! await). Each new text is deflated once, after its render; a click takes what is made.

use super::super::deflate::deflate;
use crate::page::url_state;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The newest text asked for, and the deflate made for it (None until it is).
type Slot = (Rc<str>, Option<Vec<u8>>);

#[derive(Clone)]
pub struct Deflated(Rc<RefCell<Slot>>);

impl Deflated {
    /// `text`'s raw deflate: the browser's when made for this text, else stored blocks
    /// (a longer link that opens the same; also where the browser has no CompressionStream).
    pub fn of(&self, text: &str) -> Vec<u8> {
        match &*self.0.borrow() {
            (t, Some(z)) if **t == *text => z.clone(),
            _ => url_state::stored(text.as_bytes()),
        }
    }
}

#[hook]
pub fn use_deflated(text: Rc<str>) -> Deflated {
    let slot = use_mut_ref(|| (Rc::from(""), None));
    {
        let slot = slot.clone();
        use_effect_with(text, move |t| {
            *slot.borrow_mut() = (Rc::clone(t), None);
            let t = Rc::clone(t);
            yew::platform::spawn_local(async move {
                let z = deflate(&t).await;
                let mut s = slot.borrow_mut();
                // A newer text may have been asked for meanwhile: its own deflate is coming.
                if Rc::ptr_eq(&s.0, &t) {
                    s.1 = z;
                }
            });
        });
    }
    Deflated(slot)
}
