//! Every command the engine prints, collected from what it really prints (the plan's typed
//! commands, the recommendation's, the levers' and avail-switchover's strings) for real
//! pastes under the CLI's options, so the live tests send each one to QEMU or libvirt.

#![allow(dead_code)]

use converge::core::advice::commands::{render, Interface as TypedIface, Setting, INTERFACES};
use converge::core::plan::{Command, Interface};
use converge::core::{analyse, parse::parse, Analysis, Options};
use std::path::Path;

/// Where a printed command is typed, as the engine labels it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Hmp,
    Qmp,
    Virsh,
    /// `migrate_set_downtime` seconds, printed under an "HMP before 2.8" label.
    HmpOld,
    /// A template with `<unit>` or `...` for the user to fill in: nothing to send.
    Template,
    /// A guest or host configuration line (QEMU command line, libvirt XML, hugetlbfs).
    Config,
}

#[derive(Clone, Debug)]
pub struct Printed {
    pub kind: Kind,
    pub text: String,
    /// The value it means to set, when it sets a parameter.
    pub setting: Option<Setting>,
    /// Which paste and options first printed it.
    pub from: String,
}

/// A corpus run's real replies as one QMP transcript (what `watch --record` writes).
pub fn run_transcript(run: &str) -> String {
    let dir = Path::new("tests/data/corpus/runs").join(run);
    let mut files: Vec<_> = std::fs::read_dir(dir.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("_qmp.json"))
        .collect();
    files.sort();
    let mut t = String::new();
    for f in [dir.join("before/qmp_query-version.json"), dir.join("before/qmp_query-migrate-parameters.json")]
        .iter()
        .chain(&files)
    {
        t.push_str(&std::fs::read_to_string(f).unwrap());
        t.push('\n');
    }
    t
}

/// The pastes: the seed (also as from a QEMU 2.6, for the plan's old-QEMU commands), the
/// x86 QEMU 10.0.2 and 10.2.2 never-converging series.
pub fn pastes() -> Vec<(&'static str, String)> {
    let seed = std::fs::read_to_string("tests/data/corpus/seed/as_pasted.txt").unwrap();
    vec![
        ("seed as QEMU 2.6.0", format!("QEMU emulator version 2.6.0\n{seed}")),
        ("seed", seed),
        ("10.0.2-B", run_transcript("10.0.2-B")),
        ("10.2.2-B", run_transcript("10.2.2-B")),
    ]
}

/// A lever's command string as typed: the annotation after three spaces is not part of it.
fn typed_part(s: &str) -> &str {
    s.split("   (").next().unwrap_or(s).trim()
}

fn kind_of_string(s: &str) -> Kind {
    if s.contains('<') || s.contains("...") {
        Kind::Template
    } else if s.starts_with("virsh ") {
        Kind::Virsh
    } else if s.starts_with('{') {
        Kind::Qmp
    } else if s.starts_with("migrate_set_downtime") {
        Kind::HmpOld
    } else if s.starts_with("migrate") {
        Kind::Hmp
    } else {
        Kind::Config
    }
}

fn kind_of(i: Interface) -> Option<Kind> {
    match i {
        Interface::Hmp => Some(Kind::Hmp),
        Interface::Qmp => Some(Kind::Qmp),
        Interface::Virsh => Some(Kind::Virsh),
        Interface::HmpBefore2_8 => Some(Kind::HmpOld),
        Interface::Config => Some(Kind::Config),
    }
}

/// Everything one analysis prints, with the setting each parameter command means. A
/// string command that sets a parameter must be the rendering of a setting the engine
/// holds (the plan's, the recommendation's, avail-switchover's, or the link given).
pub fn of(a: &Analysis, from: &str) -> Vec<Printed> {
    let mut out = Vec::new();
    let domain = a.options.domain.as_deref().unwrap_or(converge::core::advice::commands::DOMAIN);
    let typed = |c: &Command| kind_of(c.interface).map(|k| (k, c.text.clone(), c.setting));
    let plan =
        a.plan.action.steps.iter().flat_map(|s| &s.commands).chain(a.plan.options.iter().flat_map(|o| &o.commands));
    out.extend(plan.filter_map(typed));
    let mut known: Vec<Setting> = out.iter().filter_map(|p: &(Kind, String, Option<Setting>)| p.2).collect();
    if let Some(r) = &a.advice.recommendation {
        let c = &r.commands;
        for (k, t) in [(Kind::Hmp, &c.hmp), (Kind::Qmp, &c.qmp), (Kind::Virsh, &c.virsh)] {
            out.push((k, t.clone(), Some(c.setting)));
        }
        out.push((Kind::HmpOld, c.hmp_old_seconds.clone(), Some(c.setting)));
        known.push(c.setting);
    }
    if let Some(s) = &a.advice.switchover_bandwidth {
        known.extend(s.settings.iter().copied());
    }
    if let Some(l) = a.options.link_bytes_per_s {
        let l = converge::core::units::BytesPerSec(l);
        known.extend([Setting::max_bandwidth_whole_mib(l), Setting::avail_switchover(l)]);
    }
    let strings = a
        .advice
        .levers
        .iter()
        .flat_map(|l| &l.commands)
        .chain(a.advice.switchover_bandwidth.iter().flat_map(|s| &s.commands));
    for s in strings {
        let t = typed_part(s).to_string();
        let k = kind_of_string(&t);
        // The advice's strings carry the placeholder DOMAIN; the meaning is the setting's.
        let setting = known.iter().copied().find(|st| {
            INTERFACES.iter().any(|i| {
                render(st, *i, converge::core::advice::commands::DOMAIN).as_deref() == Some(&t)
                    || render(st, *i, domain).as_deref() == Some(&t)
            })
        });
        out.push((k, t, setting));
    }
    out.into_iter().map(|(kind, text, setting)| Printed { kind, text, setting, from: from.into() }).collect()
}

/// What the engine prints for every paste, with and without a link speed and a domain;
/// one entry per distinct command text.
pub fn all(domain: &str) -> Vec<Printed> {
    let mut v: Vec<Printed> = Vec::new();
    for (name, text) in pastes() {
        for link in [None, Some(1.25e9)] {
            for dom in [None, Some(domain.to_string())] {
                let opts = Options { link_bytes_per_s: link, domain: dom.clone(), ..Options::default() };
                let from = format!(
                    "{name}{}{}",
                    link.map(|_| " --link-speed 1250000000").unwrap_or(""),
                    dom.as_deref().map(|d| format!(" --domain {d}")).unwrap_or_default()
                );
                for p in of(&analyse(parse(&text), opts), &from) {
                    if !v.iter().any(|q| q.text == p.text) {
                        v.push(p);
                    }
                }
            }
        }
    }
    v.sort_by(|a, b| (a.kind, &a.text).cmp(&(b.kind, &b.text)));
    v
}

/// A template filled in as its placeholder says (`<ms>`, `<MiB/s>`, `<bytes/s>`), DOMAIN
/// replaced by `domain`, with the setting it then means; None for templates with `...`.
pub fn filled(p: &Printed, domain: &str) -> Option<Printed> {
    use converge::core::units::{BytesPerSec, Millis};
    if p.kind != Kind::Template || p.text.contains("...") {
        return None;
    }
    let (hole, value) = [("<ms>", "4500"), ("<MiB/s>", "48"), ("<bytes/s>", "50331648")]
        .into_iter()
        .find(|(h, _)| p.text.contains(h))?;
    let bw = BytesPerSec::from_mib_per_sec(48);
    let setting = if p.text.contains("downtime") {
        Setting::DowntimeLimit(Millis(4500.0))
    } else if p.text.contains("avail-switchover-bandwidth") {
        Setting::AvailSwitchoverBandwidth(bw)
    } else {
        Setting::MaxBandwidth(bw)
    };
    let text = p.text.replace(hole, value).replace(" DOMAIN", &format!(" {domain}"));
    let kind = kind_of_string(&text);
    Some(Printed { kind, text, setting: Some(setting), from: format!("{} (template filled in)", p.from) })
}

/// The parameter a command sets and the value QEMU must then report.
pub fn meant(s: &Setting) -> (&'static str, u64) {
    match s {
        Setting::DowntimeLimit(ms) => ("downtime-limit", ms.0.round().max(1.0) as u64),
        Setting::MaxBandwidth(b) => ("max-bandwidth", b.0.floor() as u64),
        Setting::AvailSwitchoverBandwidth(b) => ("avail-switchover-bandwidth", b.0.floor() as u64),
    }
}

/// True when the command sets a migration parameter (and so must carry its setting).
pub fn sets_parameter(text: &str) -> bool {
    text.contains("migrate_set_parameter")
        || text.contains("migrate-set-parameters")
        || text.contains("migrate-setmaxdowntime")
        || text.contains("migrate-setspeed")
}

/// The capability a capability command turns on: (name, state).
pub fn capability(text: &str) -> Option<String> {
    if let Some(rest) = text.strip_prefix("migrate_set_capability ") {
        let mut w = rest.split_whitespace();
        let (name, state) = (w.next()?, w.next()?);
        return (state == "on").then(|| name.to_string());
    }
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    if v["execute"] != "migrate-set-capabilities" {
        return None;
    }
    let caps = v.pointer("/arguments/capabilities")?.as_array()?;
    match caps.as_slice() {
        [c] if c["state"] == true => c["capability"].as_str().map(str::to_string),
        _ => None,
    }
}

/// For the typed-setting check: every interface's rendering of the settings the engine holds.
pub fn renderings(s: &Setting, domain: &str) -> Vec<String> {
    [TypedIface::Hmp, TypedIface::Qmp, TypedIface::Virsh].into_iter().filter_map(|i| render(s, i, domain)).collect()
}
