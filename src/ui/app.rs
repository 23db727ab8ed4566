//! The page's root: one `State` (src/page/state.rs) in a reducer, the analysis
//! memoised on it, and the layout. Callbacks only turn events into actions.

use super::copy::CopyAction;
use super::deferred::Deferred;
use super::embed;
use super::form::parameter_form;
use super::hooks::{use_debounce, use_deflated, use_redraw_tick};
use super::location;
use super::paste::PasteArea;
use super::plan::{inputs_line, plan_head, plan_options};
use super::platform::PlatformInputs;
use super::reference::Reference;
use super::shared::Shared;
use super::state::{Action, State};
use super::storage;
use super::theme;
use crate::core::units::PageSize;
use crate::core::{analyse, parse, Platform};
use crate::page::examples::SEED;
use crate::page::fields::FormField;
use crate::page::url_state::ViewState;
use std::rc::Rc;
use yew::prelude::*;

/// How long typing must pause before the text is analysed.
const TYPING_PAUSE_MS: u32 = 250;

/// The default: opened without a view in its address (as tests/web.rs mounts it).
#[derive(Properties, PartialEq, Default)]
pub struct Props {
    /// The view in the address the page opened with, its text inflated (ui/mod.rs).
    pub link: ViewState,
}

#[function_component(App)]
pub fn app(p: &Props) -> Html {
    // The paste storage held at load: writing the same text back is skipped (up to 256 KiB).
    // Nothing stored counts as the seed, which is what a load then opens: a first visit
    // writes nothing.
    let stored = use_mut_ref(|| None::<String>);
    let state = use_reducer({
        let (stored, link) = (stored.clone(), p.link.clone());
        move || {
            let last = storage::get(storage::LAST_PASTE);
            *stored.borrow_mut() = Some(last.clone().unwrap_or_else(|| SEED.to_string()));
            let s = State::initial(link, last, theme::load());
            // The theme is on <html> before the first paint: set after it (in the effect
            // below), it restyled the whole page once more, and showed the wrong theme first.
            theme::apply(s.theme, false);
            s
        }
    });
    let pause = use_debounce();
    let deflated = use_deflated(Rc::clone(&state.text));
    let tick = use_redraw_tick();
    let analysis =
        Shared(use_memo((Rc::clone(&state.text), state.options()), |(t, o)| analyse(parse::parse(t), o.clone())));

    {
        // Each change of theme after the first: applied and remembered (the first is
        // applied above and is what is stored already, or the embed's host's).
        let (embed, loaded) = (state.embed, use_mut_ref(|| true));
        use_effect_with(state.theme, move |t| {
            if !std::mem::replace(&mut *loaded.borrow_mut(), false) {
                theme::apply(*t, !embed);
            }
        });
    }
    {
        // Only the last paste is remembered as you work. The address bar gets the view
        // only when you copy a link: a fragment never reaches a server, but the address
        // lands in browser history, which browser sync may upload.
        let embed = state.embed;
        use_effect_with(Rc::clone(&state.text), move |t| {
            let unchanged = stored.borrow_mut().take().is_some_and(|s| *s == **t);
            if !embed && !unchanged {
                storage::set(storage::LAST_PASTE, t);
            }
        });
    }

    let on_text = {
        let (state, pause) = (state.clone(), pause.clone());
        Callback::from(move |t: String| {
            pause.cancel();
            state.dispatch(Action::Paste(t));
        })
    };
    let on_typing = {
        let (state, pause) = (state.clone(), pause.clone());
        // Nothing re-renders per key: the textarea already shows what was typed. The
        // epoch makes a pause begun before an example or a paste harmless (and
        // those cancel it too).
        Callback::from(move |text: String| {
            let (st, epoch) = (state.clone(), state.epoch);
            pause.run(TYPING_PAUSE_MS, move || st.dispatch(Action::Typed { text, epoch }));
        })
    };
    let on_example = {
        let (state, pause) = (state.clone(), pause.clone());
        Callback::from(move |key: &'static str| {
            pause.cancel();
            state.dispatch(Action::Example(key));
        })
    };
    let on_edit = {
        let state = state.clone();
        Callback::from(move |(f, t): (FormField, String)| state.dispatch(Action::Edit(f, t)))
    };
    let on_reset = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Reset))
    };
    let on_platform = {
        let state = state.clone();
        Callback::from(move |p: Option<Platform>| state.dispatch(Action::Platform(p)))
    };
    let on_backing = {
        let state = state.clone();
        Callback::from(move |b: PageSize| state.dispatch(Action::Backing(b)))
    };
    let on_link = {
        let state = state.clone();
        Callback::from(move |t: String| state.dispatch(Action::LinkSpeed(t)))
    };
    let on_domain = {
        let state = state.clone();
        Callback::from(move |t: String| state.dispatch(Action::Domain(t)))
    };
    let follow_system = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::SetTheme(theme::Theme::Auto)))
    };
    // The view (the whole paste in it) is built on the click, not on every render.
    let embed_code = {
        let (state, a, deflated) = (state.clone(), analysis.clone(), deflated.clone());
        Callback::from(move |_| {
            let inputs = inputs_line(&a);
            let src = location::embed_src(&state.view(), state.theme, |t| deflated.of(t));
            embed::snippet(&src, embed::height_px(&a.plan, &inputs), &inputs)
        })
    };
    let toggle_theme = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::ToggleTheme { system_dark: theme::system_dark() }))
    };
    let link = {
        let state = state.clone();
        Callback::from(move |_| {
            location::write(&state.view(), |t| deflated.of(t));
            location::current_link()
        })
    };
    let dark = state.theme.is_dark(theme::system_dark());
    let platform = PlatformInputs {
        platform: state.platform,
        backing: state.backing,
        link_speed: AttrValue::from(state.link_speed.clone()),
        on_platform,
        on_backing,
        on_link,
        domain: AttrValue::from(state.domain.clone()),
        on_domain,
    };

    if state.embed {
        return html! {
            <main class="page embed" id="main">
                { plan_head(&analysis, true) }
                { plan_options(&analysis, true) }
                <p class="open-full"><a href={location::full_link()} target="_blank" rel="noopener">{"Open in Converge"}</a></p>
            </main>
        };
    }

    html! {
        <>
        <a class="skip" href="#plan">{"Skip to the plan"}</a>
        <header class="top">
            <div>
                <h1>{"Converge"}</h1>
                <p class="tagline">{"Why QEMU's expected downtime is what it is, and the downtime-limit that lets a live migration finish. Everything is computed in your browser."}</p>
            </div>
            <div class="theme-controls">
                <button type="button" id="theme-toggle" class="theme-toggle" aria-pressed={dark.to_string()} onclick={toggle_theme}>
                    {if dark { "Dark mode: on" } else { "Dark mode: off" }}
                </button>
                // Only once a choice overrides the system: nothing focusable that does nothing.
                if state.theme != theme::Theme::Auto {
                    <button type="button" id="theme-auto" class="theme-toggle" onclick={follow_system}>{"Follow the system"}</button>
                }
            </div>
        </header>
        <main class="page" id="main">
            <div class="layout">
                <PasteArea text={Rc::clone(&state.text)} analysis={analysis.clone()} {on_text} {on_example} {on_typing} />
                { plan_head(&analysis, false) }
                // Below the fold: after the first paint (src/ui/deferred.rs).
                <Deferred>
                    { parameter_form(&analysis, &state.edits, &on_edit, &on_reset, &platform) }
                </Deferred>
            </div>
            <Deferred>
                { plan_options(&analysis, false) }
                <div class="actions">
                    <CopyAction id="copy-link" label="Copy link to this view" make={link} />
                    <CopyAction id="copy-report" label="Copy text report" make={{
                        let a = analysis.clone();
                        Callback::from(move |_| crate::core::report::text(&a))
                    }} />
                    <CopyAction id="copy-embed" label="Copy embed code" make={embed_code} />
                </div>
                <Reference analysis={analysis.clone()} {dark} {tick} />
            </Deferred>
        </main>
        </>
    }
}
