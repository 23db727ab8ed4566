//! Light/dark: follows prefers-color-scheme (Auto) until the user picks one with
//! the toggle. The browser half (localStorage, <html data-theme>) is ui/theme.rs.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn key(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    /// A stored choice; anything else (nothing stored, an old value) is Auto.
    pub fn from_key(k: Option<&str>) -> Theme {
        match k {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::Auto,
        }
    }
    /// `theme=auto` in a link names Auto explicitly; anything unknown is no choice.
    pub fn or_auto(self, key: &str) -> Option<Theme> {
        match (self, key) {
            (Theme::Auto, "auto") => Some(Theme::Auto),
            (Theme::Auto, _) => None,
            (t, _) => Some(t),
        }
    }
    /// Whether the page is dark, given what the system prefers.
    pub fn is_dark(self, system_dark: bool) -> bool {
        match self {
            Theme::Dark => true,
            Theme::Light => false,
            Theme::Auto => system_dark,
        }
    }
    /// The toggle flips what the user sees.
    pub fn toggled(self, system_dark: bool) -> Theme {
        if self.is_dark(system_dark) {
            Theme::Light
        } else {
            Theme::Dark
        }
    }
}
