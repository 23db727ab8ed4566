//! Every command the engine can print, read back by the rules of the program that will
//! execute it: HMP `migrate_set_parameter` reads bandwidths with qemu_strtosz_MiB (a bare
//! number is MiB, suffixes B/K/M/G/T/P/E are binary), QMP takes bytes/s, virsh
//! `migrate-setspeed` MiB/s, and every downtime-limit is ms (`migrate_set_downtime`: s).
//! The walk covers the real texts: the advice text and the JSON report of the seed and of
//! every corpus run, with and without a link speed, on every platform.
mod advice_support;
use advice_support::*;
use converge::core::advice::commands::{self, Interface, Parameter, Setting, DOMAIN, INTERFACES};
use converge::core::model::Paste;
use converge::core::units::*;
use converge::core::{analyse, report, Analysis, Options, Platform};
use serde_json::Value;
use std::collections::BTreeMap;

/// A command read back: which parameter, and its value in bytes/s (bandwidths) or ms,
/// or the unit its placeholder names.
#[derive(Clone, Debug, PartialEq)]
enum Read {
    Value(Parameter, f64),
    Placeholder(Parameter, String),
}

/// qemu_strtosz_MiB (util/cutils.c do_strtosz with default unit 'M'): a number, then an
/// optional binary suffix; no suffix means MiB.
fn strtosz_mib(s: &str) -> Option<f64> {
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, suffix) = s.split_at(end);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix.to_ascii_uppercase().as_str() {
        "" | "M" => MIB,
        "B" => 1.0,
        "K" => KIB,
        "G" => GIB,
        "T" => GIB * 1024.0,
        _ => return None,
    };
    // QEMU refuses a fraction of a byte: "1.5B" is an error.
    if suffix.eq_ignore_ascii_case("B") && num.contains('.') {
        return None;
    }
    Some(n * mult)
}

fn param(name: &str) -> Option<Parameter> {
    match name {
        "downtime-limit" => Some(Parameter::DowntimeLimit),
        "max-bandwidth" => Some(Parameter::MaxBandwidth),
        "avail-switchover-bandwidth" => Some(Parameter::AvailSwitchoverBandwidth),
        _ => None,
    }
}

fn placeholder(v: &str) -> Option<String> {
    v.strip_prefix('<').and_then(|r| r.split_once('>')).map(|(u, rest)| format!("<{u}>{rest}"))
}

fn read_hmp(args: &str) -> Option<Read> {
    let (name, value) = args.trim().split_once(' ')?;
    let p = param(name)?;
    if let Some(ph) = placeholder(value) {
        return Some(Read::Placeholder(p, ph));
    }
    Some(match p {
        // downtime-limit is visited as a plain uint64 (ms).
        Parameter::DowntimeLimit => Read::Value(p, value.parse::<u64>().ok()? as f64),
        _ => Read::Value(p, strtosz_mib(value)?),
    })
}

fn read_qmp(json: &str) -> Option<Read> {
    // A placeholder is not JSON: read it as the unit it names.
    if let Some(i) = json.find('<') {
        let j = json[i..].find('>')? + i;
        let key = json[..i].rsplit('"').nth(1)?;
        return Some(Read::Placeholder(param(key)?, json[i..=j].to_string()));
    }
    let v: Value = serde_json::from_str(json).ok()?;
    assert_eq!(v["execute"], "migrate-set-parameters", "{json}");
    let args = v["arguments"].as_object()?;
    assert_eq!(args.len(), 1, "{json}");
    let (k, n) = args.iter().next()?;
    // QMP sizes are integers (uint64/size): a fraction would be refused.
    Some(Read::Value(param(k)?, n.as_u64()? as f64))
}

fn read_virsh(args: &str) -> Option<Read> {
    let mut w = args.split_whitespace();
    let (cmd, dom, value) = (w.next()?, w.next()?, w.next()?);
    assert_eq!(dom, DOMAIN);
    let p = match cmd {
        "migrate-setmaxdowntime" => Parameter::DowntimeLimit,
        "migrate-setspeed" => Parameter::MaxBandwidth,
        _ => return None,
    };
    if let Some(ph) = placeholder(value) {
        return Some(Read::Placeholder(p, ph));
    }
    let n = value.parse::<u64>().ok()? as f64;
    Some(Read::Value(p, if p == Parameter::DowntimeLimit { n } else { n * MIB }))
}

/// Every command in a piece of text, read back (interface, what it sets).
fn commands_in(text: &str) -> Vec<(Interface, Read, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(i) = line.find("migrate_set_parameter ") {
            let rest = &line[i + "migrate_set_parameter ".len()..];
            let cmd = rest.split("   ").next().unwrap_or(rest);
            let r = read_hmp(cmd).unwrap_or_else(|| panic!("HMP command QEMU would refuse: {line}"));
            out.push((Interface::Hmp, r, line.to_string()));
        }
        if let Some(i) = line.find("migrate_set_downtime ") {
            let secs: f64 = line[i + "migrate_set_downtime ".len()..].trim().parse().expect("seconds");
            out.push((Interface::Hmp, Read::Value(Parameter::DowntimeLimit, secs * 1000.0), line.to_string()));
        }
        if let Some(i) = line.find("{\"execute\": \"migrate-set-parameters\"") {
            let rest = &line[i..];
            let mut depth = 0;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map(|(j, _)| j + 1)
                .expect("balanced");
            let r = read_qmp(&rest[..end]).unwrap_or_else(|| panic!("QMP command QEMU would refuse: {line}"));
            out.push((Interface::Qmp, r, line.to_string()));
        }
        if let Some(i) = line.find("virsh migrate-set") {
            let r = read_virsh(&line[i + "virsh ".len()..]).unwrap_or_else(|| panic!("virsh would refuse: {line}"));
            out.push((Interface::Virsh, r, line.to_string()));
        }
    }
    out
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The placeholder each interface must name: what QEMU or virsh reads there.
fn placeholder_ok(iface: Interface, p: Parameter, ph: &str) -> bool {
    match (p, iface) {
        (Parameter::DowntimeLimit, _) => ph == "<ms>",
        (_, Interface::Hmp) => ph == "<MiB/s>M",
        (_, Interface::Qmp) => ph == "<bytes/s>",
        (Parameter::MaxBandwidth, Interface::Virsh) => ph == "<MiB/s>",
        (Parameter::AvailSwitchoverBandwidth, Interface::Virsh) => false,
        // No placeholder is printed for these (render_placeholder gives none).
        (_, Interface::HmpBefore2_8 | Interface::Config) => false,
    }
}

/// Checks one analysis: every command reads back; per parameter, every concrete value
/// in the text and in the JSON means the same ms or bytes/s. Returns the values found and
/// how many commands there were.
fn read_back(name: &str, a: &Analysis) -> (BTreeMap<String, Vec<f64>>, usize) {
    let text = a.advice.to_text();
    let mut json = Vec::new();
    // The plan (issue 14) prints several limits by design (two steps, a fallback, one per
    // option); tests/plan.rs reads each of its commands back against its typed setting.
    let mut report = report::json(a);
    if let Some(m) = report.as_object_mut() {
        m.remove("plan");
    }
    strings(&report, &mut json);
    let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut seen = 0;
    for t in std::iter::once(text).chain(json) {
        for (iface, r, line) in commands_in(&t) {
            seen += 1;
            match r {
                Read::Placeholder(p, ph) => {
                    assert!(placeholder_ok(iface, p, &ph), "{name}: {iface:?} placeholder {ph} for {p:?}: {line}")
                }
                Read::Value(p, v) => values.entry(p.name().to_string()).or_default().push(v),
            }
        }
    }
    for (p, vs) in &values {
        // downtime-limit in seconds is printed to the ms; bandwidths are whole bytes.
        assert!(vs.iter().all(|v| (v - vs[0]).abs() < 1e-6 * vs[0].max(1.0)), "{name}: {p} printed as {vs:?}");
    }
    (values, seen)
}

fn check(name: &str, a: &Analysis) -> BTreeMap<String, Vec<f64>> {
    let (values, seen) = read_back(name, a);
    assert!(seen >= 4, "{name}: only {seen} commands found");
    values
}

#[test]
fn every_rendered_setting_means_the_same_in_every_interface() {
    for s in commands::catalogue() {
        let want = match s {
            Setting::DowntimeLimit(ms) => ms.0,
            Setting::MaxBandwidth(b) | Setting::AvailSwitchoverBandwidth(b) => b.0,
        };
        let mut rendered = 0;
        for iface in INTERFACES {
            let Some(cmd) = commands::render(&s, iface, DOMAIN) else {
                assert!(matches!((s, iface), (Setting::AvailSwitchoverBandwidth(_), Interface::Virsh)));
                continue;
            };
            rendered += 1;
            let read = commands_in(&cmd);
            assert_eq!(read.len(), 1, "{cmd}");
            assert_eq!(read[0].1, Read::Value(s.parameter(), want), "{cmd}");
        }
        assert!(rendered >= 2);
    }
}

#[test]
fn the_unit_trap_is_caught() {
    // What the engine printed before: QEMU 10.0.2 read it as 1,310,720,000,000,000 bytes/s.
    let old = commands_in("migrate_set_parameter avail-switchover-bandwidth 1250000000");
    assert_eq!(old[0].1, Read::Value(Parameter::AvailSwitchoverBandwidth, 1_310_720_000_000_000.0));
    assert_eq!(strtosz_mib("1192M"), Some(1192.0 * MIB));
    assert_eq!(strtosz_mib("1250000000B"), Some(1.25e9));
    assert_eq!(strtosz_mib("12x"), None);
}

fn with(platform: Option<Platform>, link: Option<f64>, backing: f64) -> Options {
    Options { platform, link_bytes_per_s: link, backing_page: PageSize(Bytes(backing)), ..Options::default() }
}

fn option_sets() -> Vec<Options> {
    let mut v = Vec::new();
    for platform in [None, Some(Platform::X86), Some(Platform::PowerHash), Some(Platform::PowerRadix)] {
        for link in [None, Some(1.25e9), Some(125e6)] {
            v.push(with(platform, link, 16.0 * MIB));
        }
    }
    v
}

fn all_pastes() -> Vec<(String, Paste)> {
    let mut v = vec![("seed".to_string(), seed_paste())];
    for run in RUNS.iter().chain(["10.0.2-V64"].iter()) {
        v.push((format!("{run} active"), run_paste(run, false)));
        v.push((format!("{run} full"), run_paste(run, true)));
    }
    v
}

#[test]
fn every_printed_command_reads_back_the_same_value_in_every_interface() {
    let (mut avail_commands, mut checked) = (0, 0);
    for (name, paste) in all_pastes() {
        for o in option_sets() {
            let link = o.link_bytes_per_s;
            let a = analyse(paste.clone(), o);
            let values = check(&name, &a);
            checked += 1;
            let inputs = a.advice.inputs.as_ref();
            let supports = inputs.and_then(|i| i.supports_avail_switchover);
            match values.get("avail-switchover-bandwidth") {
                Some(vs) => {
                    avail_commands += 1;
                    // Only from the link speed the user gave, never above it, never before 8.2.
                    let l = link.unwrap_or_else(|| panic!("{name}: avail command without a link speed"));
                    assert!(vs.iter().all(|v| *v <= l && *v > l - 1.0), "{name}: {vs:?} vs link {l}");
                    assert_ne!(supports, Some(false), "{name}: avail command for a QEMU before 8.2");
                }
                None => {
                    assert!(link.is_none() || supports == Some(false) || inputs.is_none(), "{name}: no avail command")
                }
            }
            if let Some(vs) = values.get("max-bandwidth") {
                let l = link.unwrap_or_else(|| panic!("{name}: max-bandwidth value without a link speed"));
                assert!(vs.iter().all(|v| *v <= l && *v > l - MIB), "{name}: {vs:?}");
            }
        }
    }
    assert!(checked >= 200 && avail_commands >= 40, "checked {checked}, avail commands {avail_commands}");
}

#[test]
fn the_seed_prints_no_avail_command_and_names_placeholder_units() {
    for o in option_sets() {
        let a = analyse(seed_paste(), o);
        let text = a.advice.to_text();
        assert!(!text.contains("migrate_set_parameter avail-switchover-bandwidth"), "{text}");
        assert!(!text.contains("\"avail-switchover-bandwidth\":"), "QEMU 2.12 has no such parameter");
        let sw = a.advice.switchover_bandwidth.expect("sw");
        assert!(sw.settings.is_empty() && sw.commands.is_empty());
    }
    let text = analyse(seed_paste(), seed_options()).advice.to_text();
    assert!(text.contains("migrate_set_parameter max-bandwidth <MiB/s>M"), "{text}");
    assert!(text.contains("virsh migrate-setspeed DOMAIN <MiB/s>"), "{text}");
}

#[test]
fn a_qemu_10_run_gets_the_avail_command_only_from_the_given_link() {
    let a = analyse(run_paste("10.0.2-B", false), with(Some(Platform::X86), None, 4.0 * KIB)).advice;
    let sw = a.switchover_bandwidth.expect("sw");
    assert!(sw.commands.is_empty(), "{:?}", sw.commands);
    assert!(sw.explanation.iter().any(|e| e.contains("measure what the link")), "{:?}", sw.explanation);
    let a = analyse(run_paste("10.0.2-B", false), with(Some(Platform::X86), Some(1.25e9), 4.0 * KIB)).advice;
    let sw = a.switchover_bandwidth.expect("sw");
    assert_eq!(sw.settings, vec![Setting::AvailSwitchoverBandwidth(BytesPerSec(1.25e9))]);
    assert_eq!(sw.commands[0], "migrate_set_parameter avail-switchover-bandwidth 1250000000B");
    assert_eq!(
        sw.commands[1],
        r#"{"execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": 1250000000}}"#
    );
    assert_eq!(sw.commands.len(), 2, "libvirt has no avail-switchover-bandwidth");
}

/// Every file of the corpus as a user would paste it (through the real parser), with and
/// without a link speed: each command it prints reads back consistently.
#[test]
fn every_corpus_capture_prints_consistent_commands() {
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("tests/data/corpus")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt" || x == "json") && !p.ends_with("manifest.json") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 1900, "{}", files.len());
    let mut with_commands = 0;
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).expect("read")).into_owned();
        let paste = converge::core::parse::parse(&text);
        for link in [None, Some(1.25e9)] {
            let a = analyse(paste.clone(), with(Some(Platform::X86), link, 4.0 * KIB));
            let (_, seen) = read_back(&f.display().to_string(), &a);
            with_commands += (seen > 0) as usize;
        }
    }
    assert!(with_commands > 1000, "{with_commands} analyses printed commands");
}
