//! Light/dark: follows prefers-color-scheme until the user picks one with the
//! toggle; the choice is kept in localStorage and set as <html data-theme>.

use super::storage;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn load() -> Theme {
        match storage::get(storage::THEME).as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::Auto,
        }
    }
    fn key(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    /// Whether the page is dark now (Auto asks the media query).
    pub fn is_dark(self) -> bool {
        match self {
            Theme::Dark => true,
            Theme::Light => false,
            Theme::Auto => system_dark(),
        }
    }
    /// The toggle flips what the user sees.
    pub fn toggled(self) -> Theme {
        if self.is_dark() {
            Theme::Light
        } else {
            Theme::Dark
        }
    }
    /// Apply to <html> and remember.
    pub fn apply(self) {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-theme", self.key());
        }
        if self != Theme::Auto {
            storage::set(storage::THEME, self.key());
        }
    }
}

pub fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}
