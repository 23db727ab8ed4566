//! Everything the page's user chose, in one value, and every way it changes as an
//! `Action`. ui/state.rs makes it Yew's `Reducible`; the transitions are here, pure,
//! so the race between a typing pause and an example is tested natively.

use super::examples::{self, Example};
use super::fields::{self, Edits, FormField};
use super::theme::Theme;
use super::url_state::ViewState;
use crate::core::units::{Bytes, Mbps, PageSize};
use crate::core::{Options, Platform};
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The text analysed. While keys are typed the paste box runs ahead of it until
    /// the keys pause (`Action::Typed`).
    pub text: Rc<str>,
    pub edits: Edits,
    /// Backing page size of guest RAM (the HPTE size on a POWER hash-MMU guest).
    pub backing: PageSize,
    /// Where the guest runs; None: not stated, the platform story stays conditional.
    pub platform: Option<Platform>,
    /// The link speed field as typed, Mbit/s.
    pub link_speed: String,
    /// The libvirt domain or VM name as typed, filled into the commands.
    pub domain: String,
    pub theme: Theme,
    /// The calculation-only view (`embed=1`).
    pub embed: bool,
    /// Counts the times the text was replaced whole (a paste, an example). Typing
    /// that began before such a replacement is stale and is dropped.
    pub epoch: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Text replaced whole: a paste, a drop, a big paste's kept tail.
    Paste(String),
    /// The keys paused: the box's text, as of the `epoch` the typing began in.
    Typed {
        text: String,
        epoch: u64,
    },
    /// An example chosen from the menu, by key.
    Example(&'static str),
    Edit(FormField, String),
    /// Back to the pasted values (the form's edits only).
    Reset,
    Platform(Option<Platform>),
    Backing(PageSize),
    LinkSpeed(String),
    Domain(String),
    ToggleTheme {
        system_dark: bool,
    },
    /// Light, dark, or back to following the system.
    SetTheme(Theme),
}

impl State {
    /// The first view: the link's, else the last paste (not in an embed), else the seed.
    /// A text that is one of the examples comes with that example's platform and backing.
    pub fn initial(link: ViewState, last_paste: Option<String>, theme: Theme) -> State {
        let from_link = link.text.is_some();
        let text =
            link.text.or(if link.embed { None } else { last_paste }).unwrap_or_else(|| examples::SEED.to_string());
        let example = if from_link { None } else { examples::EXAMPLES.iter().find(|e| e.text == text) };
        // Inserted one by one (the last of a key wins, as `collect` keeps it): collecting
        // into a BTreeMap sorts first, a sort instance the page's wasm does not need.
        let mut edits = Edits::new();
        for (f, t) in link.fields {
            edits.insert(f, t);
        }
        State {
            backing: link
                .backing
                .map(|b| PageSize(Bytes(b)))
                .or(example.map(|e| e.backing))
                .unwrap_or(Options::default().backing_page),
            platform: link.platform.or(example.and_then(|e| e.platform)),
            text: Rc::from(text),
            edits,
            link_speed: link.link.unwrap_or_default(),
            domain: link.domain.unwrap_or_default(),
            // An embed takes the theme its host page asks for.
            theme: if link.embed { link.theme.unwrap_or(theme) } else { theme },
            embed: link.embed,
            epoch: 0,
        }
    }

    pub fn reduce(&self, action: Action) -> State {
        let mut s = self.clone();
        match action {
            Action::Paste(text) => {
                s.text = Rc::from(text);
                s.epoch += 1;
            }
            Action::Typed { text, epoch } => {
                if epoch == self.epoch {
                    s.text = Rc::from(text);
                }
            }
            Action::Example(key) => {
                if let Some(ex) = examples::find(key) {
                    s.load(ex);
                }
            }
            Action::Edit(field, text) => {
                s.edits.insert(field, text);
            }
            Action::Reset => s.edits.clear(),
            Action::Platform(p) => s.platform = p,
            Action::Backing(b) => s.backing = b,
            Action::LinkSpeed(t) => s.link_speed = t,
            Action::Domain(d) => s.domain = d,
            Action::SetTheme(t) => s.theme = t,
            Action::ToggleTheme { system_dark } => s.theme = self.theme.toggled(system_dark),
        }
        s
    }

    fn load(&mut self, ex: &Example) {
        self.text = Rc::from(ex.text);
        self.edits.clear();
        self.link_speed.clear();
        self.backing = ex.backing;
        self.platform = ex.platform;
        self.epoch += 1;
    }

    /// The link speed typed, in bytes/s (none for empty, zero or not a number).
    pub fn link_bytes_per_s(&self) -> Option<f64> {
        let mbps = fields::number(&self.link_speed).filter(|v| *v > 0.0)?;
        Some(Mbps(mbps).to_bytes_per_ms().to_bytes_per_sec().0)
    }

    /// What the analysis assumes beyond the text.
    pub fn options(&self) -> Options {
        Options {
            backing_page: self.backing,
            overrides: fields::overrides(&self.edits),
            link_bytes_per_s: self.link_bytes_per_s(),
            platform: self.platform,
            domain: Some(self.domain.trim().to_string()).filter(|d| !d.is_empty()),
        }
    }

    /// The view for a link (defaults left out, so links stay short).
    pub fn view(&self) -> ViewState {
        let default_backing = self.backing == Options::default().backing_page;
        ViewState {
            text: Some(self.text.to_string()),
            fields: self.edits.iter().map(|(f, t)| (*f, t.clone())).collect(),
            backing: (!default_backing).then_some((self.backing.0).0),
            platform: self.platform,
            link: (!self.link_speed.is_empty()).then(|| self.link_speed.clone()),
            domain: Some(self.domain.trim().to_string()).filter(|d| !d.is_empty()),
            embed: self.embed,
            theme: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::url_state;

    fn seed() -> State {
        State::initial(ViewState::default(), None, Theme::Auto)
    }

    #[test]
    fn the_seed_opens_as_a_power_hash_guest_on_16m_pages() {
        let s = seed();
        assert_eq!(&*s.text, examples::SEED);
        assert_eq!(s.platform, Some(Platform::PowerHash));
        assert_eq!(s.backing, PageSize(Bytes(16.0 * 1024.0 * 1024.0)));
        // A last paste that is no example states no platform.
        let other = State::initial(ViewState::default(), Some("hello".into()), Theme::Auto);
        assert_eq!((&*other.text, other.platform), ("hello", None));
    }

    #[test]
    fn an_example_picked_while_keys_wait_is_not_overwritten_by_them() {
        // A key typed on the seed: its pause is due 250 ms later, carrying the epoch it began in.
        let s = seed();
        let typed = Action::Typed { text: format!("{}x", examples::SEED), epoch: s.epoch };
        // Within those 250 ms an example is picked; then the pause fires.
        let s = s.reduce(Action::Example("never")).reduce(typed);
        let never = examples::find("never").map(|e| e.text);
        assert_eq!(Some(&*s.text), never, "the typed text came back over the example");
        assert_eq!(s.platform, Some(Platform::X86));
    }

    #[test]
    fn a_paste_also_supersedes_waiting_keys_but_a_form_edit_does_not() {
        let s = seed();
        let typed = Action::Typed { text: "typed".into(), epoch: s.epoch };
        let pasted = s.reduce(Action::Paste("pasted".into())).reduce(typed.clone());
        assert_eq!(&*pasted.text, "pasted");
        let edited = s.reduce(Action::Edit(FormField::DowntimeLimit, "500".into())).reduce(typed);
        assert_eq!(&*edited.text, "typed");
        assert_eq!(edited.edits.get(&FormField::DowntimeLimit).map(String::as_str), Some("500"));
    }

    #[test]
    fn an_example_clears_edits_and_link_speed_and_sets_its_platform() {
        let s = seed()
            .reduce(Action::Edit(FormField::Throughput, "1".into()))
            .reduce(Action::LinkSpeed("10000".into()))
            .reduce(Action::Platform(None))
            .reduce(Action::Example("seed"));
        assert!(s.edits.is_empty() && s.link_speed.is_empty());
        assert_eq!(s.platform, Some(Platform::PowerHash));
        assert_eq!(s.reduce(Action::Reset).edits, Edits::new());
    }

    #[test]
    fn options_carry_the_platform_and_the_link_speed_in_bytes_per_second() {
        let s = seed()
            .reduce(Action::Platform(Some(Platform::PowerRadix)))
            .reduce(Action::LinkSpeed("10,000".into()))
            .reduce(Action::Edit(FormField::DowntimeLimit, "4500".into()));
        let o = s.options();
        assert_eq!(o.platform, Some(Platform::PowerRadix));
        // 10 Gbit/s = 1.25e9 bytes/s.
        assert_eq!(o.link_bytes_per_s, Some(1.25e9));
        assert_eq!(o.overrides.downtime_limit_ms, Some(4500.0));
        for junk in ["", "0", "fast"] {
            assert_eq!(s.reduce(Action::LinkSpeed(junk.into())).options().link_bytes_per_s, None, "{junk:?}");
        }
    }

    #[test]
    fn a_link_reproduces_the_view() {
        let s = seed()
            .reduce(Action::Example("qmp"))
            .reduce(Action::Platform(None))
            .reduce(Action::Backing(PageSize(Bytes(65536.0))))
            .reduce(Action::LinkSpeed("25000".into()))
            .reduce(Action::Edit(FormField::MaxBandwidth, "1e9".into()));
        let link = url_state::testing::open(&format!("#{}", url_state::encode(&s.view(), url_state::testing::deflate)));
        let again = State::initial(link, Some("stale last paste".into()), Theme::Dark);
        assert_eq!(again.text, s.text);
        assert_eq!(again.options(), s.options());
        assert_eq!(again.platform, None, "not stated stays not stated");
    }

    #[test]
    fn the_domain_fills_the_commands_and_travels_in_the_link() {
        let s = seed().reduce(Action::Domain(" guest-01 ".into()));
        assert_eq!(s.options().domain.as_deref(), Some("guest-01"));
        let link = url_state::testing::open(&format!("#{}", url_state::encode(&s.view(), url_state::testing::deflate)));
        assert_eq!(State::initial(link, None, Theme::Auto).options().domain.as_deref(), Some("guest-01"));
        assert_eq!(s.reduce(Action::Domain("  ".into())).options().domain, None);
    }

    #[test]
    fn the_theme_can_go_back_to_following_the_system_and_an_embed_takes_its_hosts() {
        let s = seed().reduce(Action::SetTheme(Theme::Dark)).reduce(Action::SetTheme(Theme::Auto));
        assert_eq!(s.theme, Theme::Auto);
        let embed = ViewState { embed: true, theme: Some(Theme::Light), ..ViewState::default() };
        assert_eq!(State::initial(embed.clone(), None, Theme::Dark).theme, Theme::Light);
        // Outside an embed the reader's own choice stands.
        assert_eq!(State::initial(ViewState { embed: false, ..embed }, None, Theme::Dark).theme, Theme::Dark);
    }

    #[test]
    fn the_theme_toggle_flips_what_is_seen() {
        let s = seed();
        assert_eq!(s.reduce(Action::ToggleTheme { system_dark: true }).theme, Theme::Light);
        assert_eq!(s.reduce(Action::ToggleTheme { system_dark: false }).theme, Theme::Dark);
    }
}
