//! The theme's browser half: the stored choice, the system's preference, and
//! <html data-theme>. The choice itself is src/page/theme.rs.

use super::storage;
pub use crate::page::theme::Theme;

pub fn load() -> Theme {
    Theme::from_key(storage::get(storage::THEME).as_deref())
}

/// Apply to <html> and remember; Auto is remembered too, so going back to following
/// the system survives a reload. An embed applies its host's theme without storing it.
pub fn apply(t: Theme, remember: bool) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", t.key());
    }
    if remember {
        storage::set(storage::THEME, t.key());
    }
}

pub fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}
