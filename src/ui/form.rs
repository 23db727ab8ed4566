//! The parameter form: what was parsed for the snapshot in focus, where it came
//! from, and editable. An edited field keeps the text as typed (so typing "1."
//! is not reformatted under the cursor); its number goes into `Overrides`.

use crate::core::model::{Source, Throughput};
use crate::core::options::Overrides;
use crate::core::units::{human_bytes, Bytes, GIB, KIB, MIB};
use crate::core::Analysis;
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Edited fields: key -> text as typed ("" = edited to empty: use the parsed value).
pub type Edits = BTreeMap<String, String>;

pub struct Spec {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
}

pub const FIELDS: &[Spec] = &[
    Spec { key: "remaining", label: "Remaining RAM", unit: "bytes" },
    Spec { key: "throughput", label: "Throughput", unit: "Mbit/s" },
    Spec { key: "dirty", label: "Dirty pages rate", unit: "pages/s" },
    Spec { key: "expected", label: "Expected downtime printed", unit: "ms" },
    Spec { key: "limit", label: "downtime-limit", unit: "ms" },
    Spec { key: "max-bw", label: "max-bandwidth", unit: "bytes/s" },
    Spec { key: "avail-bw", label: "avail-switchover-bandwidth", unit: "bytes/s" },
];

pub const BACKING: &[(f64, &str)] = &[
    (4.0 * KIB, "4 KiB (no hugepages)"),
    (64.0 * KIB, "64 KiB (POWER base pages)"),
    (2.0 * MIB, "2 MiB (x86 / radix hugepages)"),
    (16.0 * MIB, "16 MiB (POWER hash-MMU hugepages)"),
    (GIB, "1 GiB hugepages"),
];

/// "1,500" or "1 500" typed: the number; None for anything else.
pub fn number(text: &str) -> Option<f64> {
    let t: String = text.chars().filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}')).collect();
    t.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

pub fn overrides(e: &Edits) -> Overrides {
    let get = |k: &str| e.get(k).and_then(|t| number(t));
    Overrides {
        remaining_bytes: get("remaining"),
        throughput_mbps: get("throughput"),
        dirty_pages_rate: get("dirty"),
        expected_downtime_ms: get("expected"),
        downtime_limit_ms: get("limit"),
        max_bandwidth_bytes_per_s: get("max-bw"),
        avail_switchover_bandwidth_bytes_per_s: get("avail-bw"),
    }
}

/// The value in force for a field and where it came from.
fn current<'a>(a: &'a Analysis, key: &str) -> Option<(f64, &'a Source)> {
    let p = &a.paste.parameters;
    let s = a.focus_snapshot();
    match key {
        "remaining" => s?.remaining.as_ref().map(|f| (f.value.0, &f.source)),
        "throughput" => s?.throughput.as_ref().map(|f| {
            let m = match f.value {
                Throughput::Mbps(m) => m.0,
                Throughput::MiBPerSec(m) => m.to_bytes_per_ms().to_mbps().0,
            };
            (m, &f.source)
        }),
        "dirty" => s?.dirty_pages_rate.as_ref().map(|f| (f.value.0, &f.source)),
        "expected" => s?.expected_downtime.as_ref().map(|f| (f.value.0, &f.source)),
        "limit" => p.downtime_limit.as_ref().map(|f| (f.value.0, &f.source)),
        "max-bw" => p.max_bandwidth.as_ref().map(|f| (f.value.0, &f.source)),
        "avail-bw" => p.avail_switchover_bandwidth.as_ref().map(|f| (f.value.0, &f.source)),
        _ => None,
    }
}

/// Plain digits an input can hold and `number` reads back (bytes to the byte:
/// virsh's "108.328 MiB" is not more exact than that).
fn plain(v: f64) -> String {
    if v.abs() >= 1e6 && v.abs() < 1e21 {
        format!("{:.0}", v.round())
    } else if v.fract() == 0.0 && v.abs() < 1e21 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn source_text(src: &Source) -> String {
    if src.line == 0 {
        src.raw.to_string()
    } else {
        format!("line {}: {}", src.line, src.raw.trim())
    }
}

/// A note on what a number means, shown under the field.
fn hint(key: &str, v: f64) -> Option<String> {
    match key {
        "remaining" => Some(format!("= {}", human_bytes(Bytes(v)))),
        "max-bw" if v >= 4.0e18 => Some("libvirt's \"unlimited\"".into()),
        "max-bw" | "avail-bw" if v > 0.0 => Some(format!("= {}/s", human_bytes(Bytes(v)))),
        "avail-bw" => Some("0 = use the measured bandwidth".into()),
        "throughput" => Some(format!("= {}/s", human_bytes(Bytes(v * 125_000.0)))),
        _ => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Rc<Analysis>,
    pub edits: Edits,
    pub backing: f64,
    pub on_edit: Callback<(String, String)>,
    pub on_backing: Callback<f64>,
    pub on_reset: Callback<()>,
}

#[function_component(ParameterForm)]
pub fn parameter_form(p: &Props) -> Html {
    let a = &p.analysis;
    let fields = FIELDS.iter().map(|spec| {
        let id = format!("f-{}", spec.key);
        let src_id = format!("{id}-src");
        let parsed = current(a, spec.key);
        let edited = p.edits.get(spec.key);
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
        let note = if invalid {
            Some("not a number: ignored".to_string())
        } else {
            number(&value).and_then(|v| hint(spec.key, v))
        };
        let key = spec.key.to_string();
        let on_edit = p.on_edit.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit((key.clone(), i.value()));
        });
        html! {
            <div class={classes!("field", edited.map(|_| "edited"))}>
                <label for={id.clone()}><span>{spec.label}</span><span class="unit">{format!("({})", spec.unit)}</span></label>
                <input id={id.clone()} name={spec.key} type="text" inputmode="decimal" autocomplete="off" spellcheck="false"
                    value={value} placeholder={parsed.map(|(v, _)| plain(v)).unwrap_or_else(|| "not pasted".into())}
                    title={origin.clone()} aria-describedby={src_id.clone()} aria-invalid={invalid.to_string()} {oninput} />
                <small id={src_id} class="src">{origin}{note.map(|n| format!(" · {n}")).unwrap_or_default()}</small>
            </div>
        }
    });
    let on_backing = p.on_backing.clone();
    let onchange = Callback::from(move |e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        if let Ok(v) = s.value().parse::<f64>() {
            on_backing.emit(v);
        }
    });
    let on_reset = p.on_reset.clone();
    let any_edit = !p.edits.is_empty();
    html! {
        <section class="form card" aria-labelledby="form-h">
            <h2 id="form-h">{"Parameters"}</h2>
            { detected(a) }
            <form class="fields" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { for fields }
                <div class="field">
                    <label for="f-backing">{"Backing page size of guest RAM"}</label>
                    <select id="f-backing" {onchange} aria-describedby="f-backing-src">
                        { for BACKING.iter().map(|(b, label)| html! {
                            <option value={b.to_string()} selected={(*b - p.backing).abs() < 0.5}>{*label}</option>
                        }) }
                    </select>
                    <small id="f-backing-src" class="src">{"not in any QEMU output: the host's choice (16 MiB on POWER8 hash-MMU hugepages)"}</small>
                </div>
            </form>
            <button type="button" class="reset" disabled={!any_edit} onclick={Callback::from(move |_| on_reset.emit(()))}>{"Reset to the pasted values"}</button>
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
        let mut add = |name: &str, v: String, src: &Source| rows.push((name.to_string(), v, src.line));
        if let Some(f) = &s.status {
            add("status", f.value.name().to_string(), &f.source)
        }
        if let Some(f) = &s.total_time {
            add("total time", format!("{}", f.value), &f.source)
        }
        if let Some(f) = &s.setup_time {
            add("setup", format!("{}", f.value), &f.source)
        }
        if let Some(f) = &s.downtime {
            add("downtime (measured)", format!("{}", f.value), &f.source)
        }
        if let Some(f) = &s.transferred {
            add("transferred", human_bytes(f.value), &f.source)
        }
        if let Some(f) = &s.total {
            add("total RAM", human_bytes(f.value), &f.source)
        }
        if let Some(f) = &s.page_size {
            add("target page size", format!("{}", f.value), &f.source)
        }
        if let Some(f) = &s.dirty_sync_count {
            add("dirty sync count", f.value.to_string(), &f.source)
        }
        if let Some(f) = &s.pages_per_second {
            add("pages per second", format!("{}", f.value), &f.source)
        }
        if let Some(f) = &s.cpu_throttle_percentage {
            add("CPU throttle", format!("{} %", f.value), &f.source)
        }
        if let Some(f) = &s.downtime_bytes {
            add("downtime bytes", human_bytes(f.value), &f.source)
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
                <thead><tr><th scope="col">{"Value"}</th><th scope="col">{"Read as"}</th><th scope="col">{"Line"}</th></tr></thead>
                <tbody>{ for rows.into_iter().map(|(n, v, l)| html! {
                    <tr><th scope="row">{n}</th><td>{v}</td><td>{super::derivation::line_link(l)}</td></tr>
                }) }</tbody>
            </table>
        </details>
    }
}
