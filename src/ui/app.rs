//! The page's root: holds the text, the form's edits, the backing page size and
//! the theme; recomputes the analysis on every change and mirrors the view into
//! the URL and localStorage.

use super::advice::AdviceCard;
use super::charts::Charts;
use super::copy::CopyAction;
use super::examples;
use super::form::{self, Edits, ParameterForm};
use super::formulas::Formulas;
use super::levers::Levers;
use super::paste::PasteArea;
use super::ramps::Ramps;
use super::results::Results;
use super::storage;
use super::theme::Theme;
use super::url_state::{self, ViewState};
use crate::core::units::{Bytes, PageSize};
use crate::core::{analyse, parse, Options};
use std::rc::Rc;
use yew::prelude::*;

/// Where the first view comes from: the link, else the last paste, else the seed.
fn initial() -> (ViewState, String) {
    let v = url_state::read();
    let text = v
        .text
        .clone()
        .or_else(|| if v.embed { None } else { storage::get(storage::LAST_PASTE) })
        .unwrap_or_else(|| examples::SEED.to_string());
    (v, text)
}

#[function_component(App)]
pub fn app() -> Html {
    let init = use_memo((), |_| initial());
    let text = use_state(|| Rc::<str>::from(init.1.as_str()));
    let edits = use_state(|| init.0.fields.iter().cloned().collect::<Edits>());
    let backing = use_state(|| init.0.backing.unwrap_or(Options::default().backing_page.0 .0));
    let embed = init.0.embed;
    let theme = use_state(Theme::load);
    let resized = use_state(|| 0u32);

    // What the analysis reads: the text, except that while keys are typed it waits
    // for a pause (parse, analyse and charts cost ~100 ms per run on a long
    // paste: too much per key; measured by `make bench`).
    let analysed = use_state(|| Rc::clone(&*text));
    let typing_pause = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let keys_pending = use_mut_ref(|| false);
    if *analysed != *text && !*keys_pending.borrow() {
        analysed.set(Rc::clone(&*text));
    }
    let analysis = {
        let deps = (Rc::clone(&*analysed), (*edits).clone(), *backing as u64);
        use_memo(deps, |(t, e, b)| {
            let options = Options {
                backing_page: PageSize(Bytes(*b as f64)),
                overrides: form::overrides(e),
                ..Options::default()
            };
            analyse(parse::parse(t), options)
        })
    };

    {
        let theme = *theme;
        use_effect_with(theme, move |t| t.apply());
    }
    {
        let resized = resized.clone();
        use_effect_with((), move |_| {
            // Charts redraw and Auto theme follows the system: both just re-render.
            let r2 = resized.clone();
            let listener = web_sys::window()
                .map(|w| gloo::events::EventListener::new(&w, "resize", move |_| resized.set(resized.wrapping_add(1))));
            let scheme = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|m| gloo::events::EventListener::new(&m, "change", move |_| r2.set(r2.wrapping_add(1))));
            move || drop((listener, scheme))
        });
    }
    {
        // Only the last paste is remembered as you work. The address bar gets the view
        // only when you copy a link: a fragment never reaches a server, but the address
        // lands in browser history, which browser sync may upload.
        let t = Rc::clone(&*analysed);
        use_effect_with(t, move |t| {
            if !embed {
                storage::set(storage::LAST_PASTE, t);
            }
        });
    }
    let link = {
        let (t, e, b) = (Rc::clone(&*analysed), (*edits).clone(), *backing);
        Callback::from(move |_| {
            let default_backing = (b - Options::default().backing_page.0 .0).abs() < 0.5;
            url_state::write(&ViewState {
                text: Some(t.to_string()),
                fields: e.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                backing: (!default_backing).then_some(b),
                embed,
            });
            current_link()
        })
    };

    let on_text = {
        let (text, pause, pending) = (text.clone(), typing_pause.clone(), keys_pending.clone());
        Callback::from(move |t: String| {
            // A paste supersedes pending keys: analysed at once (see the sync above).
            *pending.borrow_mut() = false;
            pause.borrow_mut().take();
            text.set(Rc::from(t.as_str()));
        })
    };
    let on_typing = {
        let (text, pause, pending) = (text.clone(), typing_pause.clone(), keys_pending.clone());
        Callback::from(move |t: String| {
            // Nothing re-renders per key: the textarea already shows what was typed,
            // and the text is taken (then analysed) once the keys pause.
            *pending.borrow_mut() = true;
            let (text, pending) = (text.clone(), pending.clone());
            // Replacing the timeout cancels the previous one (never dropped from inside itself).
            *pause.borrow_mut() = Some(gloo::timers::callback::Timeout::new(250, move || {
                *pending.borrow_mut() = false;
                text.set(Rc::from(t.as_str()));
            }));
        })
    };
    let on_example = {
        let (text, edits, backing) = (text.clone(), edits.clone(), backing.clone());
        Callback::from(move |key: &'static str| {
            if let Some(ex) = examples::find(key) {
                edits.set(Edits::new());
                backing.set(ex.backing);
                text.set(Rc::from(ex.text));
            }
        })
    };
    let on_edit = {
        let edits = edits.clone();
        Callback::from(move |(k, v): (String, String)| {
            let mut e = (*edits).clone();
            e.insert(k, v);
            edits.set(e);
        })
    };
    let on_reset = {
        let edits = edits.clone();
        Callback::from(move |_| edits.set(Edits::new()))
    };
    let on_backing = {
        let backing = backing.clone();
        Callback::from(move |b: f64| backing.set(b))
    };
    let toggle_theme = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| theme.set(theme.toggled()))
    };
    let dark = theme.is_dark();

    if embed {
        return html! {
            <main class="page embed" id="main">
                <Results analysis={Rc::clone(&analysis)} />
                <Formulas analysis={Rc::clone(&analysis)} />
                <p class="open-full"><a href={full_link()} target="_blank" rel="noopener">{"Open in Converge"}</a></p>
            </main>
        };
    }

    html! {
        <>
        <a class="skip" href="#results">{"Skip to the results"}</a>
        <header class="top">
            <div>
                <h1>{"Converge"}</h1>
                <p class="tagline">{"Why QEMU's expected downtime is what it is, and the downtime-limit that lets a live migration finish. Everything is computed in your browser."}</p>
            </div>
            <button type="button" id="theme-toggle" class="theme-toggle" aria-pressed={dark.to_string()} onclick={toggle_theme}>
                {if dark { "Dark mode: on" } else { "Dark mode: off" }}
            </button>
        </header>
        <main class="page" id="main">
            <div class="layout">
                <PasteArea text={Rc::clone(&text)} analysis={Rc::clone(&analysis)} {on_text} {on_example} on_typing={Some(on_typing)} />
                <ParameterForm analysis={Rc::clone(&analysis)} edits={(*edits).clone()} backing={*backing} {on_edit} {on_backing} {on_reset} />
            </div>
            <Results analysis={Rc::clone(&analysis)} />
            <div class="actions">
                <CopyAction id="copy-link" label="Copy link to this view" make={link} />
                <CopyAction id="copy-report" label="Copy text report" make={{
                    let a = Rc::clone(&analysis);
                    Callback::from(move |_| crate::core::report::text(&a))
                }} />
            </div>
            <div class="columns">
                <Formulas analysis={Rc::clone(&analysis)} />
                <AdviceCard analysis={Rc::clone(&analysis)} />
            </div>
            <Charts analysis={Rc::clone(&analysis)} {dark} tick={*resized} />
            <Ramps analysis={Rc::clone(&analysis)} />
            <Levers analysis={Rc::clone(&analysis)} />
        </main>
        </>
    }
}

/// The page's address with the view in its fragment.
fn current_link() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// The same view without `embed=1`, for the embed's "open" link.
fn full_link() -> String {
    let mut v = url_state::read();
    v.embed = false;
    format!("./#{}", url_state::encode(&v))
}
