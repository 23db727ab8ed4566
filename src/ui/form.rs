//! The parameter form: what was parsed for the snapshot in focus, where it came
//! from, and editable. An edited field keeps the text as typed (so typing "1."
//! is not reformatted under the cursor); its number goes into `Overrides`.

use super::line_link::line_link;
use super::platform::{guest_platform, PlatformInputs};
use super::shared::col_heads;
use crate::core::model::Source;
use crate::core::units::human_bytes;
use crate::core::Analysis;
use crate::page::fields::{number, plain, Edits, FormField};
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn source_text(src: &Source) -> String {
    if src.line == 0 {
        src.raw.to_string()
    } else {
        format!("line {}: {}", src.line, src.raw.trim())
    }
}

/// A plain function (no hooks). As a component it re-rendered on every render of the
/// root anyway (its callbacks are new each time) and added only Yew's glue. The
/// platform inputs, which are in no QEMU output, come under the parsed ones.
pub fn parameter_form(
    a: &Analysis,
    edits: &Edits,
    on_edit: &Callback<(FormField, String)>,
    on_reset: &Callback<()>,
    platform: &PlatformInputs,
) -> Html {
    let fields = FormField::ALL.into_iter().map(|field| {
        let key = field.key();
        let id = format!("f-{key}");
        let src_id = format!("{id}-src");
        let parsed = field.get(a);
        let edited = edits.get(&field);
        let value = match edited {
            Some(t) => t.clone(),
            None => parsed.map(|(v, _)| plain(v)).unwrap_or_default(),
        };
        let invalid = edited.map(|t| !t.trim().is_empty() && number(t).is_none()).unwrap_or(false);
        let origin = match (edited, parsed) {
            (Some(_), _) => "edited by you".to_string(),
            (None, Some((_, src))) => source_text(src),
            (None, None) => "not in the paste".to_string(),
        };
        let note = if invalid { Some("not a number: ignored".to_string()) } else { number(&value).and_then(|v| field.hint(v)) };
        let on_edit = on_edit.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit((field, i.value()));
        });
        html! {
            <div ~className={if edited.is_some() { "field edited" } else { "field" }}>
                <label for={id.clone()}><span>{field.label()}</span><span class="unit">{format!("({})", field.unit())}</span></label>
                <input id={id.clone()} name={key} type="text" inputmode="decimal" autocomplete="off" spellcheck="false"
                    value={value} placeholder={parsed.map(|(v, _)| plain(v)).unwrap_or_else(|| "not pasted".into())}
                    title={origin.clone()} aria-describedby={src_id.clone()} aria-invalid={invalid.to_string()} {oninput} />
                <small id={src_id} class="src">{origin}{note.map(|n| format!(" · {n}")).unwrap_or_default()}</small>
            </div>
        }
    });
    let on_reset = on_reset.clone();
    let any_edit = !edits.is_empty();
    html! {
        <section class="form card" aria-labelledby="form-h">
            <h2 id="form-h">{"Parameters"}</h2>
            { detected(a) }
            <form class="fields" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { for fields }
            </form>
            <button type="button" class="reset" disabled={!any_edit} onclick={Callback::from(move |_| on_reset.emit(()))}>{"Reset to the pasted values"}</button>
            { guest_platform(platform) }
            { also_parsed(a) }
        </section>
    }
}

/// Dialect, QEMU era, which snapshot is in focus.
fn detected(a: &Analysis) -> Html {
    let n = a.paste.snapshots.len();
    let Some(s) = a.focus_snapshot() else {
        return html! { <p class="detected" id="detected">{"No statistics in the paste yet: type the numbers below, or paste monitor output."}</p> };
    };
    let era = a.focus_formulas().and_then(|f| f.printed_by.as_ref()).map(|p| p.era.clone()).filter(|e| !e.is_empty());
    let version =
        a.paste.version.as_ref().map(|v| format!("QEMU {}.{}.{} (line {})", v.major, v.minor, v.micro, v.source.line));
    html! {
        <dl class="detected" id="detected">
            <div><dt>{"Format"}</dt><dd id="dialect" data-key={s.dialect.key()}>{s.dialect.label()}</dd></div>
            <div><dt>{"QEMU era"}</dt><dd id="era">{version.or(era).unwrap_or_else(|| "not determined".into())}</dd></div>
            <div><dt>{"Snapshot"}</dt><dd>{format!("{} of {} (line {}), status {}", a.focus.map(|i| i + 1).unwrap_or(0), n, s.first_line, s.status_name())}</dd></div>
            if let Some(e) = &s.error {
                <div><dt>{"QEMU says"}</dt><dd id="failure" title={format!("line {}: {}", e.source.line, e.source.raw)}>{&e.value}</dd></div>
            }
        </dl>
    }
}

/// Everything else read from the paste, with its line: read-only, for checking.
fn also_parsed(a: &Analysis) -> Html {
    let mut rows: Vec<(String, String, usize)> = Vec::new();
    if let Some(s) = a.focus_snapshot() {
        // One formatting call for every value (through &dyn Display), not a format!
        // per field: the same text, with the argument-building code in the wasm once.
        let mut add = |name: &str, v: &dyn std::fmt::Display, src: &Source| {
            rows.push((name.to_string(), v.to_string(), src.line))
        };
        if let Some(f) = &s.status {
            add("status", &f.value.name(), &f.source)
        }
        if let Some(f) = &s.total_time {
            add("total time", &f.value, &f.source)
        }
        if let Some(f) = &s.setup_time {
            add("setup", &f.value, &f.source)
        }
        if let Some(f) = &s.downtime {
            add("downtime (measured)", &f.value, &f.source)
        }
        if let Some(f) = &s.transferred {
            add("transferred", &human_bytes(f.value), &f.source)
        }
        if let Some(f) = &s.total {
            add("total RAM", &human_bytes(f.value), &f.source)
        }
        if let Some(f) = &s.page_size {
            add("target page size", &f.value, &f.source)
        }
        if let Some(f) = &s.dirty_sync_count {
            add("dirty sync count", &f.value, &f.source)
        }
        if let Some(f) = &s.pages_per_second {
            add("pages per second", &f.value, &f.source)
        }
        if let Some(f) = &s.cpu_throttle_percentage {
            add("CPU throttle", &format_args!("{} %", f.value), &f.source)
        }
        if let Some(f) = &s.downtime_bytes {
            add("downtime bytes", &human_bytes(f.value), &f.source)
        }
    }
    for (k, f) in &a.paste.capabilities {
        rows.push((format!("capability {k}"), if f.value { "on".into() } else { "off".into() }, f.source.line));
    }
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <details class="also-parsed">
            <summary>{format!("Also read from the paste ({})", rows.len())}</summary>
            <table class="data" id="also-parsed">
                <thead><tr>{col_heads(&["Value", "Read as", "Line"])}</tr></thead>
                <tbody>{ for rows.into_iter().map(|(n, v, l)| html! {
                    <tr><th scope="row">{n}</th><td>{v}</td><td>{line_link(l)}</td></tr>
                }) }</tbody>
            </table>
        </details>
    }
}
