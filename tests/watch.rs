//! `converge watch` without QEMU: a fake QMP server (std threads, a unix socket or
//! TCP) replays real recorded series from tests/data/corpus/runs and drives the whole
//! poll loop and its decision logic. What the fake receives is what watch wrote.

use converge::core::advice::commands::{render, Interface, Setting, DOMAIN};
use converge::core::options::Options;
use converge::core::units::{BytesPerSec, Millis};
use converge::watch::decide::{Decision, Policy};
use converge::watch::monitor::Fault;
use converge::watch::qmp::QmpClient;
use converge::watch::screen::{Mode, Screen};
use converge::watch::{watch, Config, Outcome, Summary};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const RUNS: &str = "tests/data/corpus/runs";

fn load(p: &Path) -> Value {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    v.get("return").cloned().unwrap_or(v)
}

/// A recorded run: what QEMU answered before, during (one reply per poll) and after.
#[derive(Clone)]
struct Replay {
    version: Value,
    params: Value,
    caps: Value,
    series: Vec<Value>,
    after: Value,
}

fn replay(run: &str) -> Replay {
    let dir = PathBuf::from(RUNS).join(run);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("_qmp.json"))
        .collect();
    files.sort();
    Replay {
        version: load(&dir.join("before/qmp_query-version.json")),
        params: load(&dir.join("before/qmp_query-migrate-parameters.json")),
        caps: load(&dir.join("before/qmp_query-migrate-capabilities.json")),
        series: files.iter().map(|p| load(p)).collect(),
        after: load(&dir.join("after/qmp_query-migrate_final.json")),
    }
}

#[derive(Clone, Default)]
struct Faults {
    no_greeting: bool,
    error_on_query_migrate: bool,
    close_after_polls: Option<usize>,
    /// (poll, ms): the operator sets downtime-limit by hand after this many polls.
    outside_limit: Option<(usize, u64)>,
}

/// Everything the fake received that changes QEMU.
type Writes = Arc<Mutex<Vec<Value>>>;

fn serve<S: std::io::Read + Write>(stream: S, reader: impl std::io::Read, mut r: Replay, f: Faults, writes: Writes) {
    let mut out = stream;
    if f.no_greeting {
        let _ = out.write_all(b"QEMU 10.0.2 monitor - type 'help' for more information\r\n(qemu) ");
        std::thread::sleep(Duration::from_millis(300));
        return;
    }
    let greet = json!({"QMP": {"version": {"qemu": {"major": 10, "minor": 0, "micro": 2}, "package": ""}, "capabilities": ["oob"]}});
    let _ = writeln!(out, "{greet}");
    let mut polls = 0usize;
    let mut series = r.series.drain(..).collect::<std::collections::VecDeque<_>>();
    for line in BufReader::new(reader).lines() {
        let Ok(line) = line else { return };
        let Ok(cmd) = serde_json::from_str::<Value>(&line) else { return };
        let id = cmd["id"].clone();
        let name = cmd["execute"].as_str().unwrap_or("").to_string();
        let ret = match name.as_str() {
            "qmp_capabilities" => json!({}),
            "query-version" => r.version.clone(),
            "query-migrate-parameters" => r.params.clone(),
            "query-migrate-capabilities" => r.caps.clone(),
            "query-migrate" => {
                if f.close_after_polls == Some(polls) {
                    return; // the process died: the socket closes
                }
                if f.error_on_query_migrate {
                    let e = json!({"error": {"class": "GenericError", "desc": "fake refusal"}, "id": id});
                    let _ = writeln!(out, "{e}");
                    continue;
                }
                polls += 1;
                if let Some((_, ms)) = f.outside_limit.filter(|(at, _)| *at == polls) {
                    r.params["downtime-limit"] = json!(ms);
                }
                // An event between replies: must not be taken for the reply.
                let _ = writeln!(out, "{}", json!({"event": "MIGRATION_PASS", "data": {"pass": polls}}));
                series.pop_front().unwrap_or_else(|| r.after.clone())
            }
            "migrate-set-parameters" => {
                let args = cmd["arguments"].clone();
                writes.lock().unwrap().push(args.clone());
                if let Some(o) = args.as_object() {
                    for (k, v) in o {
                        r.params[k] = v.clone();
                    }
                }
                json!({})
            }
            _ => {
                let e = json!({"error": {"class": "CommandNotFound", "desc": format!("The command {name} has not been found")}, "id": id});
                let _ = writeln!(out, "{e}");
                continue;
            }
        };
        let _ = writeln!(out, "{}", json!({"return": ret, "id": id}));
    }
}

fn sock_path(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("watch-fake");
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(format!("{name}.sock"));
    let _ = std::fs::remove_file(&p);
    p
}

fn fake_unix(name: &str, r: Replay, f: Faults) -> (String, Writes) {
    let path = sock_path(name);
    let l = UnixListener::bind(&path).unwrap();
    let writes: Writes = Arc::default();
    let w = writes.clone();
    std::thread::spawn(move || {
        if let Ok((s, _)) = l.accept() {
            let rd = s.try_clone().unwrap();
            serve(s, rd, r, f, w);
        }
    });
    (path.to_string_lossy().into_owned(), writes)
}

fn config(apply: bool, max_pause: Option<f64>, record: Option<PathBuf>) -> Config {
    Config {
        interval: Duration::from_millis(1),
        apply,
        policy: Policy { max_pause_ms: max_pause, link_bytes_per_s: None },
        options: Options::default(),
        record,
        stop: Arc::new(AtomicBool::new(false)),
    }
}

fn run(target: &str, cfg: &Config) -> (Summary, String) {
    let (mut screen, out) = Screen::captured(Mode::Lines);
    let s = match QmpClient::connect(target) {
        Ok(mut c) => watch(&mut c, &mut || None, cfg, &mut screen),
        Err(f) => panic!("connect: {f}"),
    };
    (s, out.text())
}

fn keys(s: &Summary) -> Vec<(usize, Option<u64>)> {
    s.decisions
        .iter()
        .filter_map(|d| match d {
            Decision::SetLimit { evidence, .. }
            | Decision::Refuse { evidence, .. }
            | Decision::SetAvailSwitchover { evidence, .. } => Some((evidence.post_sync_points, evidence.last_sync)),
            Decision::Wait { .. } => None,
        })
        .collect()
}

/// The real 10.0.2 run B (64 MiB/s dirtied behind a 32 MiB/s cap, 300 ms, cancelled at
/// 60 s): without --apply nothing is written, the would-be decisions never repeat evidence.
#[test]
fn without_apply_nothing_is_written() {
    let (sock, writes) = fake_unix("b-noapply", replay("10.0.2-B"), Faults::default());
    let (s, out) = run(&sock, &config(false, Some(15_000.0), None));
    assert!(writes.lock().unwrap().is_empty(), "{out}");
    assert!(s.writes.is_empty());
    assert_eq!(s.outcome, Outcome::Failed { status: "cancelled".into(), error: None });
    assert_eq!(s.polls, 121, "every recorded reply, the last one `cancelled`");
    let k = keys(&s);
    assert!(!k.is_empty(), "the series never converges at 300 ms: a decision is due\n{out}");
    let mut uniq = k.clone();
    uniq.dedup();
    assert_eq!(uniq, k, "never twice on the same evidence");
    assert!(out.contains("would set downtime-limit"), "{out}");
    assert!(out.contains("verdict: never converges at 300 ms"), "{out}");
}

/// With --apply the limit is set once, to the engine's recommendation, above 300 ms,
/// and never lowered: the replayed series (which does not react) never asks again.
#[test]
fn apply_sets_the_limit_once_and_never_lowers() {
    let (sock, writes) = fake_unix("b-apply", replay("10.0.2-B"), Faults::default());
    let (s, out) = run(&sock, &config(true, Some(15_000.0), None));
    let w = writes.lock().unwrap().clone();
    assert_eq!(w.len(), 1, "{out}");
    let set = w[0]["downtime-limit"].as_u64().expect("a downtime-limit write");
    let Some(Decision::SetLimit { ms, evidence }) = s.decisions.iter().find(|d| d.acts()) else { panic!("{out}") };
    assert_eq!(*ms, set);
    assert!(set > 300 && set <= 15_000, "{set}");
    // The engine's need on the evidence it acted on, rounded up as sent.
    assert_eq!(set as f64, evidence.limit_needed_ms.ceil());
    assert!(evidence.stalled || evidence.confidence == "high", "{evidence:?}");
    assert!(evidence.post_sync_points >= 1);
    assert_eq!(s.limit_in_force_ms, set as f64, "the limit read back is the one set");
    // What was sent is the engine's own QMP command, as printed for the user to paste.
    let printed = render(&Setting::DowntimeLimit(Millis(set as f64)), Interface::Qmp, DOMAIN).unwrap();
    assert_eq!(s.writes, vec![printed.clone()]);
    assert!(out.contains(&format!("sent: {printed}")), "{out}");
}

/// A need above --max-pause: nothing written; the refusal names the levers.
#[test]
fn max_pause_is_respected() {
    let (sock, writes) = fake_unix("b-maxpause", replay("10.0.2-B"), Faults::default());
    let (s, out) = run(&sock, &config(true, Some(1_000.0), None));
    assert!(writes.lock().unwrap().is_empty(), "{out}");
    let refusals: Vec<_> = s.decisions.iter().filter(|d| matches!(d, Decision::Refuse { .. })).collect();
    assert!(!refusals.is_empty(), "{out}");
    let Decision::Refuse { need_ms, max_pause_ms, levers, .. } = refusals[0] else { unreachable!() };
    assert!(*need_ms > 1_000.0 && *max_pause_ms == 1_000.0);
    assert!(levers.iter().any(|l| l.starts_with("max-bandwidth:")), "{levers:?}");
    assert!(out.contains("Levers that would help: "), "{out}");
    let k = keys(&s);
    let mut uniq = k.clone();
    uniq.dedup();
    assert_eq!(uniq, k, "a refusal is logged once per evidence");
}

/// An idle guest that converges at 300 ms (run A): no decision acts.
#[test]
fn a_converging_migration_is_left_alone() {
    let (sock, writes) = fake_unix("a-idle", replay("10.0.2-A"), Faults::default());
    let (s, out) = run(&sock, &config(true, Some(15_000.0), None));
    assert!(writes.lock().unwrap().is_empty(), "{out}");
    assert!(s.decisions.is_empty(), "{:?}", s.decisions);
    assert_eq!(s.outcome, Outcome::Completed);
    assert!(s.measured_downtime_ms.is_some_and(|d| d > 0.0), "{out}");
}

/// The same never-converging numbers in postcopy, setup or pre-switchover: not acted on.
#[test]
fn only_an_active_precopy_migration_is_tuned() {
    for status in ["postcopy-active", "setup", "pre-switchover"] {
        let mut r = replay("10.0.2-B");
        for s in &mut r.series {
            s["status"] = json!(status);
        }
        let (sock, writes) = fake_unix(&format!("b-{status}"), r, Faults::default());
        let (s, out) = run(&sock, &config(true, Some(15_000.0), None));
        assert!(writes.lock().unwrap().is_empty(), "{status}: {out}");
        assert!(s.decisions.is_empty(), "{status}: {:?}", s.decisions);
    }
}

/// --record writes a transcript that the report reads: the same snapshots, the same numbers.
#[test]
fn the_recording_is_a_paste() {
    let rec = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("watch-b-record.txt");
    let (sock, _) = fake_unix("b-record", replay("10.0.2-B"), Faults::default());
    let (s, _) = run(&sock, &config(false, None, Some(rec.clone())));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_converge")).arg("--json").arg(&rec).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let snaps = v["snapshots"].as_array().unwrap();
    assert_eq!(snaps.len() as u64, s.polls);
    let r = replay("10.0.2-B");
    assert_eq!(snaps[10]["remaining_bytes"].as_f64(), r.series[10]["ram"]["remaining"].as_f64());
    assert_eq!(snaps[10]["expected_downtime_ms"].as_f64(), r.series[10]["expected-downtime"].as_f64());
    assert_eq!(v["version"], "10.0.2");
    assert_eq!(v["parameters"]["downtime_limit_ms"].as_f64(), Some(300.0), "{}", v["parameters"]);
}

/// QMP over TCP works the same.
#[test]
fn qmp_over_tcp() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let writes: Writes = Arc::default();
    let w = writes.clone();
    std::thread::spawn(move || {
        if let Ok((s, _)) = l.accept() {
            let rd = s.try_clone().unwrap();
            serve(s, rd, replay("10.0.2-A"), Faults::default(), w);
        }
    });
    let (s, out) = run(&addr, &config(false, None, None));
    assert_eq!(s.outcome, Outcome::Completed, "{out}");
}

fn fault_of(name: &str, f: Faults) -> Fault {
    let (sock, _) = fake_unix(name, replay("10.0.2-B"), f);
    match QmpClient::connect(&sock) {
        Err(e) => e,
        Ok(mut c) => {
            let (mut screen, _) = Screen::captured(Mode::Lines);
            match watch(&mut c, &mut || None, &config(true, Some(15_000.0), None), &mut screen).outcome {
                Outcome::Fault(e) => e,
                o => panic!("{name}: expected a fault, got {o:?}"),
            }
        }
    }
}

#[test]
fn faults_are_named() {
    assert!(matches!(fault_of("nogreet", Faults { no_greeting: true, ..Faults::default() }), Fault::NoGreeting { .. }));
    let e = fault_of("err", Faults { error_on_query_migrate: true, ..Faults::default() });
    assert_eq!(e.to_string(), "QEMU refused query-migrate: GenericError: fake refusal");
    let e = fault_of("closed", Faults { close_after_polls: Some(5), ..Faults::default() });
    assert!(matches!(&e, Fault::Closed { during, .. } if during == "query-migrate"), "{e}");
    let missing = sock_path("never-bound");
    let Err(e) = QmpClient::connect(&missing.to_string_lossy()) else { panic!("connected to nothing") };
    assert!(e.to_string().starts_with("cannot connect to QMP at "), "{e}");
}

/// A monitor with no migration: named, not watched.
#[test]
fn not_migrating_is_a_fault() {
    let mut r = replay("10.0.2-B");
    r.series = vec![json!({})];
    let (sock, _) = fake_unix("none", r, Faults::default());
    let (mut screen, _) = Screen::captured(Mode::Lines);
    let mut c = QmpClient::connect(&sock).unwrap();
    let o = watch(&mut c, &mut || None, &config(false, None, None), &mut screen).outcome;
    assert!(matches!(&o, Outcome::Fault(Fault::NotMigrating { status, .. }) if status == "none"), "{o:?}");
}

/// With --link-speed on QEMU 8.2+, setting avail-switchover-bandwidth to the link speed
/// lets the 300 ms in force pass (run B: ~257 MiB after each sync over 10 GbE): that is
/// preferred to raising the limit, and sent as the engine's command, once.
#[test]
fn link_speed_prefers_avail_switchover() {
    let (sock, writes) = fake_unix("b-link", replay("10.0.2-B"), Faults::default());
    let mut cfg = config(true, Some(15_000.0), None);
    cfg.policy.link_bytes_per_s = Some(1.25e9);
    cfg.options.link_bytes_per_s = Some(1.25e9);
    let (s, out) = run(&sock, &cfg);
    let w = writes.lock().unwrap().clone();
    // The replay does not react (a real QEMU switches over at the next sync), so only the
    // first write is this decision's; later passes are new evidence.
    assert_eq!(w.first(), Some(&json!({"avail-switchover-bandwidth": 1_250_000_000u64})), "{out}");
    let Some(Decision::SetAvailSwitchover { limit_with_avail_ms, .. }) = s.decisions.iter().find(|d| d.acts()) else {
        panic!("{out}")
    };
    assert!(*limit_with_avail_ms <= 300.0, "{limit_with_avail_ms}");
    let printed = render(&Setting::avail_switchover(BytesPerSec(1.25e9)), Interface::Qmp, DOMAIN).unwrap();
    assert_eq!(s.writes.first(), Some(&printed));
}

/// On a terminal (a pty from `script`) the view redraws in place with cursor moves and
/// ends on the result line; the process exits 0 on completion.
#[test]
fn terminal_view_redraws_in_place() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` (util-linux) for a pty");
        return;
    }
    let (sock, _) = fake_unix("a-tty", replay("10.0.2-A"), Faults::default());
    let cmd = format!("{} watch --qmp {sock} --interval 0.01", env!("CARGO_BIN_EXE_converge"));
    let out = std::process::Command::new("script").args(["-qec", &cmd, "/dev/null"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("\x1b[") && text.contains("F\x1b[J"), "cursor up + clear expected: {text:?}");
    assert!(text.contains("completed: measured downtime"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}

/// Someone raises the limit by hand after watch read the parameters at start: watch reads
/// them again before writing and, finding a higher limit, sets nothing (never lowers).
#[test]
fn a_limit_raised_outside_is_never_lowered() {
    let f = Faults { outside_limit: Some((3, 20_000)), ..Faults::default() };
    let (sock, writes) = fake_unix("b-outside", replay("10.0.2-B"), f);
    let (s, out) = run(&sock, &config(true, Some(15_000.0), None));
    assert!(writes.lock().unwrap().is_empty(), "{out}");
    assert!(s.decisions.iter().any(|d| d.acts()), "the decision was taken on the stale 300 ms: {out}");
    assert!(out.contains("nothing set: downtime-limit is already 20,000 ms (changed outside watch)"), "{out}");
}
