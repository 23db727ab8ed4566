//! "Where the guest runs": the platform, the page size its dirty logging follows
//! (a POWER hash-MMU guest's HPTE size), and the link's speed. None of them is in
//! any QEMU output; each feeds the analysis's `Options`.

use crate::core::units::{Bytes, Mbps, PageSize};
use crate::core::Platform;
use crate::page::fields::{number, per_second};
use crate::page::platform::{page_size_applies, page_size_note, page_sizes, select_value, PLATFORMS};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the platform inputs show and whom they tell (the root builds it, the parameter
/// form renders it: no component, so no props to compare, issue 12).
pub struct PlatformInputs {
    pub platform: Option<Platform>,
    pub backing: PageSize,
    /// As typed, Mbit/s.
    pub link_speed: AttrValue,
    pub on_platform: Callback<Option<Platform>>,
    pub on_backing: Callback<PageSize>,
    pub on_link: Callback<String>,
    /// The libvirt domain or VM name, as typed: filled into the commands.
    pub domain: AttrValue,
    pub on_domain: Callback<String>,
}

/// A plain function (no hooks), called by the parameter form on each render of the root.
pub fn guest_platform(p: &PlatformInputs) -> Html {
    let on_platform = p.on_platform.clone();
    let platform_change = Callback::from(move |e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        on_platform.emit(Platform::from_name(&s.value()));
    });
    let on_backing = p.on_backing.clone();
    let backing_change = Callback::from(move |e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        if let Ok(v) = s.value().parse::<f64>() {
            on_backing.emit(PageSize(Bytes(v)));
        }
    });
    let on_link = p.on_link.clone();
    let link_input = Callback::from(move |e: InputEvent| {
        let i: HtmlInputElement = e.target_unchecked_into();
        on_link.emit(i.value());
    });
    let on_domain = p.on_domain.clone();
    let domain_input = Callback::from(move |e: InputEvent| {
        let i: HtmlInputElement = e.target_unchecked_into();
        on_domain.emit(i.value());
    });
    let chosen = select_value(p.platform);
    let backing = (p.backing.0).0;
    let applies = page_size_applies(p.platform);
    let link = p.link_speed.as_str();
    let invalid = !link.trim().is_empty() && number(link).is_none();
    let link_note = match number(link) {
        _ if invalid => "not a number: ignored".to_string(),
        Some(v) if v > 0.0 => {
            format!("{} · the final copy runs at it (max-bandwidth is lifted then)", per_second(Mbps(v)))
        }
        _ => "not in any QEMU output: the link's real speed, if you know it".to_string(),
    };
    html! {
        <div class="guest" role="group" aria-labelledby="guest-h">
            <h3 id="guest-h">{"Where the guest runs"}</h3>
            <div class="fields">
                <div class="field">
                    <label for="f-platform">{"Platform"}</label>
                    <select id="f-platform" onchange={platform_change} aria-describedby="f-platform-src">
                        { for PLATFORMS.iter().map(|(pl, label)| html! {
                            <option value={select_value(*pl)} selected={select_value(*pl) == chosen}>{*label}</option>
                        }) }
                    </select>
                    <small id="f-platform-src" class="src">{"not in any QEMU output: it decides whether dirty logging amplifies writes"}</small>
                </div>
                <div class="field">
                    <label for="f-backing">{if p.platform == Some(Platform::PowerHash) { "HPT page size" } else { "Backing page size of guest RAM" }}</label>
                    <select id="f-backing" onchange={backing_change} disabled={!applies} aria-describedby="f-backing-src">
                        { for page_sizes(p.platform, p.backing.0).into_iter().map(|(b, label)| html! {
                            <option value={b.to_string()} selected={(b - backing).abs() < 0.5}>{label}</option>
                        }) }
                    </select>
                    <small id="f-backing-src" class="src">{page_size_note(p.platform)}</small>
                </div>
                <div class="field">
                    <label for="f-link"><span>{"Link speed"}</span><span class="unit">{"(Mbit/s)"}</span></label>
                    <input id="f-link" name="link" type="text" inputmode="decimal" autocomplete="off" spellcheck="false"
                        value={p.link_speed.clone()} placeholder="not known" aria-describedby="f-link-src"
                        aria-invalid={invalid.to_string()} oninput={link_input} />
                    <small id="f-link-src" class="src">{link_note}</small>
                </div>
                <div class="field">
                    <label for="f-domain">{"Domain or VM name"}</label>
                    <input id="f-domain" name="domain" type="text" autocomplete="off" spellcheck="false"
                        value={p.domain.clone()} placeholder="DOMAIN" aria-describedby="f-domain-src" oninput={domain_input} />
                    <small id="f-domain-src" class="src">{"fills in the virsh commands (not in any QEMU output)"}</small>
                </div>
            </div>
        </div>
    }
}
