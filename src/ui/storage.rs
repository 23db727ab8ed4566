//! localStorage where the browser allows it. Sandboxed iframes and some privacy
//! modes throw on access; every call here swallows that, so the page still works.

fn store() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    store()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(s) = store() {
        let _ = s.set_item(key, value);
    }
}

pub const LAST_PASTE: &str = "converge.last-paste";
pub const THEME: &str = "converge.theme";
