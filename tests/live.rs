//! Live tests (issue 10, a-e) against real QEMU 10 (TCG) and libvirt: `make test-live`
//! installs what they need, builds the guest, and runs them with
//! `cargo test --test live -- --ignored --test-threads=1`. Plain `cargo test` skips them.

#[path = "live/harness.rs"]
mod harness;
#[path = "live/libvirt.rs"]
mod libvirt;
#[path = "live/printed.rs"]
mod printed;
#[path = "live/saturation.rs"]
mod saturation;

use converge::watch::monitor::Monitor;
use harness::*;
use serde_json::Value;
use std::time::{Duration, Instant};

fn num(v: &Value, ptr: &str) -> Option<f64> {
    v.pointer(ptr).and_then(Value::as_f64)
}

/// (a) 64 MiB/s of distinct pages behind a 32 MiB/s cap at 300 ms: `watch` alone says it
/// never converges and what it needs; `watch --apply --max-pause 15000` sets that once,
/// the migration completes within the limit, and the guest runs on at the destination.
#[test]
#[ignore = "live: needs QEMU 10 and the guest from `make test-live`"]
fn a_never_converges_then_apply_completes() {
    let t0 = Instant::now();
    let pair = Pair::start("a", DIRTY_64MIB);
    let mut ctl = pair.migrate(CAP_32MIB, 300);
    let sock = pair.src.qmp.to_string_lossy().into_owned();

    // Watching alone: never writes, says "never converges" and the limit needed.
    let alone = converge(&["watch", "--qmp", &sock, "--duration", "40", "--interval", "1"]);
    let out = text(&alone);
    assert_eq!(alone.status.code(), Some(5), "stopped by --duration while still migrating:\n{out}");
    let verdict = out.lines().rev().find(|l| l.contains("verdict:")).unwrap_or_default().to_string();
    assert!(verdict.contains("never converges at 300 ms"), "{out}");
    assert!(out.contains("would set downtime-limit"), "{out}");
    assert!(!out.contains("sent:"), "no --apply, nothing written:\n{out}");
    let p = query(&mut ctl, "query-migrate-parameters");
    assert_eq!(p["downtime-limit"].as_u64(), Some(300), "watch alone changed the limit: {p}");

    // Applying: one write, completion, downtime within the applied limit.
    let rec = pair.dir.join("a-record.txt");
    let rec_s = rec.to_string_lossy().into_owned();
    let applied = converge(&["watch", "--qmp", &sock, "--apply", "--max-pause", "15000", "--json", "--record", &rec_s]);
    let out = String::from_utf8_lossy(&applied.stdout).into_owned();
    assert_eq!(applied.status.code(), Some(0), "{out}\n{}", String::from_utf8_lossy(&applied.stderr));
    let lines = json_lines(&out);
    let acts: Vec<&Value> =
        lines.iter().filter(|l| l.pointer("/decision/action").and_then(Value::as_str) == Some("set_limit")).collect();
    assert_eq!(acts.len(), 1, "set exactly once:\n{out}");
    let applied_ms = num(acts[0], "/decision/ms").expect("applied ms");
    assert!(applied_ms > 300.0 && applied_ms <= 15_000.0, "{applied_ms}");
    let predicted = acts[0].pointer("/recommendation/expected_pause_ms").and_then(Value::as_f64);
    let last = lines.iter().rev().find(|l| l.get("snapshot").is_some()).expect("a poll");
    assert_eq!(last.pointer("/snapshot/status").and_then(Value::as_str), Some("completed"), "{last}");
    assert_eq!(num(last, "/limit_in_force_ms"), Some(applied_ms), "the limit read back is the one set");
    let downtime = num(last, "/snapshot/downtime_ms").expect("measured downtime");
    assert!(downtime <= applied_ms, "measured downtime {downtime} ms > applied limit {applied_ms} ms");
    // QEMU's own record agrees.
    let m = query(&mut ctl, "query-migrate");
    assert_eq!(m["status"], "completed");
    assert_eq!(m["downtime"].as_f64(), Some(downtime));

    // The guest lives on at the destination.
    wait_for("the dirtier printing on the destination console", Duration::from_secs(60), || {
        read(&pair.dst.console).contains("dirtier alive")
    });

    // The recording is a paste the report reads.
    let report = converge(&[&rec_s]);
    let r = text(&report);
    assert_eq!(report.status.code(), Some(0), "{r}");
    assert!(r.contains("completed"), "{r}");
    figure(&format!(
        "a qmp: verdict never converges at 300 ms; applied {applied_ms} ms; predicted pause {} ms; measured downtime {downtime} ms; total {} ms; test {:.0} s",
        predicted.map(|p| format!("{p:.0}")).unwrap_or_else(|| "n/a".into()),
        m["total-time"],
        t0.elapsed().as_secs_f64()
    ));
}

/// (a, link) The same migration watched with `--link-speed 1000000000`: on QEMU 10 watch
/// prefers avail-switchover-bandwidth = the link speed, which lets the 300 ms in force pass
/// (~257 MiB / 1 GB/s = 270 ms): set once, the limit never raised, the migration completes.
/// The pause is measured, not asserted: it is pending / what the link really delivers, and
/// loopback under TCG on 2 shared cores delivered ~0.66 GB/s in one run here (408 ms), so
/// the 1 GB/s claim was an overstatement, the case the engine warns about.
#[test]
#[ignore = "live: needs QEMU 10 and the guest from `make test-live`"]
fn a_link_speed_sets_avail_switchover() {
    let t0 = Instant::now();
    let pair = Pair::start("a-link", DIRTY_64MIB);
    let mut ctl = pair.migrate(CAP_32MIB, 300);
    let sock = pair.src.qmp.to_string_lossy().into_owned();
    let o =
        converge(&["watch", "--qmp", &sock, "--apply", "--max-pause", "15000", "--link-speed", "1000000000", "--json"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    if o.status.code() != Some(0) {
        let _ = ctl.execute("migrate_cancel", None);
    }
    assert_eq!(o.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&o.stderr));
    let lines = json_lines(&out);
    let acts: Vec<&Value> =
        lines.iter().filter(|l| l.pointer("/decision/action").is_some_and(|a| a != "wait" && a != "refuse")).collect();
    assert_eq!(acts.len(), 1, "{out}");
    assert_eq!(acts[0].pointer("/decision/action").and_then(Value::as_str), Some("set_avail_switchover"), "{out}");
    assert_eq!(num(acts[0], "/decision/bytes_per_s"), Some(1e9));
    let p = query(&mut ctl, "query-migrate-parameters");
    assert_eq!(p["downtime-limit"].as_u64(), Some(300), "the limit was not raised: {p}");
    assert_eq!(p["avail-switchover-bandwidth"].as_u64(), Some(1_000_000_000), "{p}");
    let m = query(&mut ctl, "query-migrate");
    assert_eq!(m["status"], "completed");
    let downtime = m["downtime"].as_f64().expect("downtime");
    wait_for("the dirtier printing on the destination console", Duration::from_secs(60), || {
        read(&pair.dst.console).contains("dirtier alive")
    });
    let with = num(acts[0], "/decision/limit_with_avail_ms").unwrap_or(f64::NAN);
    figure(&format!(
        "a-link qmp: set avail-switchover-bandwidth 1e9 (limit needed then {with:.0} ms <= 300 in force); measured downtime {downtime} ms (limit 300 ms; {}); total {} ms; test {:.0} s",
        if downtime <= 300.0 { "within" } else { "over: the link delivered less than 1 GB/s" },
        m["total-time"],
        t0.elapsed().as_secs_f64()
    ));
}

/// (b) The same migration with `--max-pause 1000`: the limit it needs is above what the
/// operator accepts, so nothing is changed; the output names the levers; the test cancels
/// the migration after 60 s and watch reports it (status 3).
#[test]
#[ignore = "live: needs QEMU 10 and the guest from `make test-live`"]
fn b_max_pause_too_small_changes_nothing() {
    let t0 = Instant::now();
    let pair = Pair::start("b", DIRTY_64MIB);
    let mut ctl = pair.migrate(CAP_32MIB, 300);
    let started = Instant::now();
    let sock = pair.src.qmp.to_string_lossy().into_owned();
    let out_path = pair.dir.join("b-watch.txt");
    let mut w = converge_spawn(&["watch", "--qmp", &sock, "--apply", "--max-pause", "1000"], &out_path);
    std::thread::sleep(Duration::from_secs(60).saturating_sub(started.elapsed()));
    ctl.execute("migrate_cancel", None).expect("migrate_cancel");
    let mut code = None;
    wait_for("watch to see the cancellation", Duration::from_secs(30), || {
        code = w.try_wait().ok().flatten().map(|s| s.code());
        code.is_some()
    });
    let out = format!("{}{}", read(&out_path), read(&out_path.with_extension("stderr")));
    assert_eq!(code, Some(Some(3)), "cancelled -> status 3:\n{out}");
    assert!(out.contains("the migration cancelled"), "{out}");
    let refusal = out
        .lines()
        .find(|l| l.starts_with("nothing changed: it needs downtime-limit"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(refusal.contains("above --max-pause 1,000 ms"), "{refusal}");
    let levers = refusal.split("Levers that would help: ").nth(1).expect("levers named");
    assert!(
        ["max-bandwidth", "avail-switchover-bandwidth", "auto-converge", "postcopy"]
            .iter()
            .any(|n| levers.starts_with(n)),
        "{levers}"
    );
    assert!(!out.contains("sent:"), "nothing may be written:\n{out}");
    let p = query(&mut ctl, "query-migrate-parameters");
    assert_eq!(p["downtime-limit"].as_u64(), Some(300), "{p}");
    assert_eq!(p["max-bandwidth"].as_u64(), Some(CAP_32MIB), "{p}");
    assert_eq!(p["avail-switchover-bandwidth"].as_u64(), Some(0), "{p}");
    let need = refusal.split("needs downtime-limit ").nth(1).and_then(|s| s.split(' ').next()).unwrap_or("?");
    figure(&format!(
        "b qmp: verdict never converges at 300 ms; needs {need} ms > max-pause 1000 ms: nothing applied; cancelled at 60 s; lever named: {}; test {:.0} s",
        levers.split(':').next().unwrap_or(""),
        t0.elapsed().as_secs_f64()
    ));
}

/// (e) Faults: no socket; a socket that is not QMP; Ctrl-C; QEMU killed mid-migration.
/// Each: a message naming what failed, the documented status, no panic.
#[test]
#[ignore = "live: needs QEMU 10 and the guest from `make test-live`"]
fn e_faults() {
    let t0 = Instant::now();
    let dir = run_dir("e");
    let missing = dir.join("missing.sock");
    let o = converge(&["watch", "--qmp", &missing.to_string_lossy()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    assert!(out.contains("cannot connect to QMP at") && out.contains("missing.sock"), "{out}");
    assert!(!out.contains("panicked"), "{out}");
    let o = converge(&["watch", "--qmp", "127.0.0.1:1"]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(text(&o).contains("cannot connect to QMP at 127.0.0.1:1"), "{}", text(&o));

    let pair = Pair::start("e", DIRTY_64MIB);
    let mut ctl = pair.migrate(CAP_32MIB, 300);
    let sock = pair.src.qmp.to_string_lossy().into_owned();

    // Ctrl-C: stops at once with status 5, says so.
    let out_path = pair.dir.join("e-int.txt");
    let mut w = converge_spawn(&["watch", "--qmp", &sock], &out_path);
    wait_for("a first poll line", Duration::from_secs(30), || read(&out_path).contains("verdict:"));
    let _ = std::process::Command::new("kill").args(["-INT", &w.id().to_string()]).status();
    let mut code = None;
    wait_for("watch to stop on SIGINT", Duration::from_secs(10), || {
        code = w.try_wait().ok().flatten().map(|s| s.code());
        code.is_some()
    });
    let err = read(&out_path.with_extension("stderr"));
    assert_eq!(code, Some(Some(5)), "{err}");
    assert!(err.contains("stopped before the migration ended (interrupted)"), "{err}");

    // QEMU killed mid-migration: the monitor closes; status 4, named.
    let out_path = pair.dir.join("e-kill.txt");
    let mut w = converge_spawn(&["watch", "--qmp", &sock], &out_path);
    wait_for("a first poll line", Duration::from_secs(30), || read(&out_path).contains("verdict:"));
    assert_eq!(query(&mut ctl, "query-migrate")["status"], "active");
    let mut src = pair;
    let _ = std::process::Command::new("kill").args(["-KILL", &src.src.child.id().to_string()]).status();
    let _ = src.src.child.wait();
    let mut code = None;
    wait_for("watch to notice QEMU died", Duration::from_secs(40), || {
        code = w.try_wait().ok().flatten().map(|s| s.code());
        code.is_some()
    });
    let err = read(&out_path.with_extension("stderr"));
    assert_eq!(code, Some(Some(4)), "{err}");
    assert!(err.contains("closed during query-migrate: QEMU exited or was killed"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    figure(&format!(
        "e faults: no socket 4, TCP refused 4, SIGINT 5, QEMU killed 4; test {:.0} s",
        t0.elapsed().as_secs_f64()
    ));
}

/// (d) Run (a) through libvirt: two session daemons, `virsh migrate --live --bandwidth 32`,
/// `converge watch --virsh` polls through `virsh qemu-monitor-command`, applies the limit with
/// `virsh migrate-setmaxdowntime`, and reads the result from `domjobinfo --completed`.
#[test]
#[ignore = "live: needs QEMU 10, libvirt and the guest from `make test-live`"]
fn d_libvirt_apply_completes() {
    let t0 = Instant::now();
    let lv = libvirt::Libvirt::start("d");
    lv.start_guest(DIRTY_64MIB);
    // A domain that is not migrating, and one that does not exist: named, status 4.
    let idle = converge(&["watch", "--virsh", libvirt::DOMAIN, "--connect", &lv.src_uri]);
    assert_eq!(idle.status.code(), Some(4), "{}", text(&idle));
    assert!(
        text(&idle).contains("libvirt domain converge-live is not migrating (query-migrate status: none)"),
        "{}",
        text(&idle)
    );
    let none = converge(&["watch", "--virsh", "no-such-domain", "--connect", &lv.src_uri]);
    assert_eq!(none.status.code(), Some(4), "{}", text(&none));
    assert!(text(&none).contains("virsh qemu-monitor-command no-such-domain"), "{}", text(&none));
    let (mut mig, dst_console) = lv.migrate(32);
    // libvirt prepares the destination first: QEMU's own status turns active a little later.
    wait_for("QEMU's migration to be active", Duration::from_secs(60), || {
        let o = lv.virsh(&lv.src_uri, &["qemu-monitor-command", libvirt::DOMAIN, r#"{"execute":"query-migrate"}"#]);
        String::from_utf8_lossy(&o.stdout).contains("\"active\"")
    });
    let rec = lv.dir.join("d-record.txt");
    let rec_s = rec.to_string_lossy().into_owned();
    let o = converge(&[
        "watch",
        "--virsh",
        libvirt::DOMAIN,
        "--connect",
        &lv.src_uri,
        "--apply",
        "--max-pause",
        "15000",
        "--record",
        &rec_s,
    ]);
    let out = text(&o);
    if o.status.code() != Some(0) {
        // Never leave a migration that cannot converge running behind a failed assertion.
        let _ = lv.virsh(&lv.src_uri, &["domjobabort", libvirt::DOMAIN]);
    }
    let mig_status = mig.wait().expect("virsh migrate");
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(mig_status.success(), "virsh migrate failed");
    assert_eq!(o.status.code(), Some(0), "{out}");
    let set: Vec<&str> = out.lines().filter(|l| l.starts_with("sent: virsh migrate-setmaxdowntime")).collect();
    assert_eq!(set.len(), 1, "{out}");
    let applied: f64 = set[0].rsplit(' ').next().and_then(|n| n.parse().ok()).expect("ms");
    assert!(out.contains("verdict: never converges at 300 ms"), "{out}");
    assert!(
        out.contains(&format!("read back: downtime-limit {} ms", converge::core::units::group(applied, 0))),
        "{out}"
    );
    let done = out.lines().find(|l| l.starts_with("completed: measured downtime ")).unwrap_or_else(|| panic!("{out}"));
    let downtime: f64 =
        done["completed: measured downtime ".len()..].split(' ').next().unwrap().replace(',', "").parse().unwrap();
    assert!(downtime <= applied, "downtime {downtime} ms > applied {applied} ms");
    wait_for("the dirtier on the destination console", Duration::from_secs(60), || {
        read(&dst_console).contains("dirtier alive")
    });
    // The recording mixes QMP replies and virsh's completed-job text: the report reads both.
    let r = converge(&["--json", &rec_s]);
    let v: Value = serde_json::from_slice(&r.stdout).expect("json report");
    let last = v["snapshots"].as_array().and_then(|a| a.last()).cloned().unwrap_or_default();
    assert_eq!(last["status"], "completed", "{last}");
    assert_eq!(last["downtime_ms"].as_f64(), Some(downtime));
    let predicted = done.split("estimate when it acted: ").nth(1).and_then(|s| s.split(' ').next()).unwrap_or("n/a");
    figure(&format!(
        "d libvirt: verdict never converges at 300 ms; applied {applied} ms; predicted pause {predicted} ms; measured downtime {downtime} ms; test {:.0} s",
        t0.elapsed().as_secs_f64()
    ));
}

/// (c) Every command the engine prints for downtime-limit, max-bandwidth and
/// avail-switchover-bandwidth, HMP and QMP, sent to a real QEMU 10 and read back with
/// both `query-migrate-parameters` and HMP `info migrate_parameters`: the value set is
/// the value meant (HMP reads a bare bandwidth as MiB/s: the trap this guards).
#[test]
#[ignore = "live: needs QEMU 10 from `make test-live`"]
fn c_printed_commands_set_what_they_mean() {
    use converge::core::advice::commands::{catalogue, render, Interface, Setting, DOMAIN};
    use converge::core::{analyse, parse::parse, Options};
    use serde_json::json;
    let t0 = Instant::now();
    let dir = run_dir("c");
    let ctl = dir.join("qmp.sock");
    let mut qemu = std::process::Command::new("qemu-system-x86_64")
        .args(["-machine", "none", "-nodefaults", "-display", "none", "-qmp"])
        .arg(format!("unix:{},server=on,wait=off", ctl.display()))
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("qemu-system-x86_64");
    wait_for("the QMP socket", Duration::from_secs(20), || ctl.exists());
    let mut q = converge::watch::qmp::QmpClient::connect(&ctl.to_string_lossy()).expect("QMP");

    // What the engine prints for a real never-converging run, with a 10 GbE link given.
    let opts = Options { link_bytes_per_s: Some(1.25e9), ..Options::default() };
    let a = analyse(parse(&printed::run_transcript("10.0.2-B")), opts);
    let rec = a.advice.recommendation.as_ref().expect("a recommendation for run B");
    let mut settings = catalogue();
    settings.push(rec.commands.setting);
    settings.extend(a.advice.switchover_bandwidth.as_ref().map(|s| s.settings.clone()).unwrap_or_default());
    let rendered: Vec<String> = settings
        .iter()
        .flat_map(|s| [Interface::Hmp, Interface::Qmp].into_iter().filter_map(|i| render(s, i, DOMAIN)))
        .collect();
    // Every concrete HMP/QMP command a lever prints is one of these renderings.
    for l in &a.advice.levers {
        for c in &l.commands {
            let sets = ["downtime-limit", "max-bandwidth", "avail-switchover-bandwidth"].iter().any(|p| c.contains(p));
            if sets && !c.contains('<') && !c.starts_with("virsh") {
                assert!(rendered.contains(c), "lever {} prints {c:?}, which no typed setting renders", l.name);
            }
        }
    }
    assert!(rendered.contains(&rec.commands.hmp) && rendered.contains(&rec.commands.qmp));

    let mut checked = 0;
    for s in &settings {
        let (name, meant) = match s {
            Setting::DowntimeLimit(ms) => ("downtime-limit", ms.0.round().max(1.0) as u64),
            Setting::MaxBandwidth(b) => ("max-bandwidth", b.0.floor() as u64),
            Setting::AvailSwitchoverBandwidth(b) => ("avail-switchover-bandwidth", b.0.floor() as u64),
        };
        for iface in [Interface::Hmp, Interface::Qmp] {
            let Some(cmd) = render(s, iface, DOMAIN) else { continue };
            // From QEMU's defaults each time, so a command that sets nothing cannot pass.
            let reset = json!({"downtime-limit": 300, "max-bandwidth": 134217728u64, "avail-switchover-bandwidth": 0});
            q.execute("migrate-set-parameters", Some(reset)).unwrap();
            match iface {
                Interface::Hmp => {
                    let out = q.execute("human-monitor-command", Some(json!({"command-line": cmd}))).unwrap();
                    assert_eq!(out.as_str().unwrap_or("").trim(), "", "{cmd}: HMP said {out}");
                }
                _ => {
                    let v: Value = serde_json::from_str(&cmd).unwrap_or_else(|e| panic!("{cmd}: {e}"));
                    q.execute(v["execute"].as_str().unwrap(), v.get("arguments").cloned())
                        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
                }
            }
            let p = q.execute("query-migrate-parameters", None).unwrap();
            assert_eq!(p[name].as_u64(), Some(meant), "{cmd}: query-migrate-parameters has {}", p[name]);
            let info =
                q.execute("human-monitor-command", Some(json!({"command-line": "info migrate_parameters"}))).unwrap();
            let line = info
                .as_str()
                .unwrap_or("")
                .lines()
                .find(|l| l.starts_with(&format!("{name}:")))
                .unwrap_or("")
                .to_string();
            let shown: Option<u64> = line.split_whitespace().nth(1).and_then(|n| n.parse().ok());
            assert_eq!(shown, Some(meant), "{cmd}: info migrate_parameters says {line:?}");
            checked += 1;
        }
    }
    stop(&mut qemu);
    figure(&format!(
        "c commands: {checked} HMP/QMP commands ({} settings, incl. the recommendation {} for run B) set and read back; test {:.0} s",
        settings.len(),
        rec.downtime_limit_ms,
        t0.elapsed().as_secs_f64()
    ));
}

/// Stops an idle QEMU by its PID even when an assertion fails.
struct Idle(std::process::Child);

impl Drop for Idle {
    fn drop(&mut self) {
        stop(&mut self.0);
    }
}

/// A QEMU 10 with no guest and no migration, for sending commands and reading them back.
fn idle_qemu(dir: &std::path::Path, name: &str, incoming: bool) -> (Idle, converge::watch::qmp::QmpClient) {
    let sock = dir.join(format!("{name}.sock"));
    let mut c = std::process::Command::new("qemu-system-x86_64");
    c.args(["-machine", "none", "-nodefaults", "-display", "none", "-qmp"])
        .arg(format!("unix:{},server=on,wait=off", sock.display()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if incoming {
        c.args(["-incoming", "defer"]);
    }
    let child = Idle(c.spawn().expect("qemu-system-x86_64"));
    wait_for("the QMP socket", Duration::from_secs(20), || sock.exists());
    (child, converge::watch::qmp::QmpClient::connect(&sock.to_string_lossy()).expect("QMP"))
}

fn hmp(q: &mut converge::watch::qmp::QmpClient, line: &str) -> String {
    let out = q.execute("human-monitor-command", Some(serde_json::json!({"command-line": line})));
    out.unwrap_or_else(|e| panic!("{line}: {e}")).as_str().unwrap_or("").trim().to_string()
}

/// Sends one printed HMP or QMP command: Ok(HMP's text or QMP's reply), Err(QMP's error).
fn send(q: &mut converge::watch::qmp::QmpClient, p: &printed::Printed) -> Result<String, String> {
    match p.kind {
        printed::Kind::Qmp => {
            let v: Value = serde_json::from_str(&p.text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", p.text));
            let name = v["execute"].as_str().unwrap_or_else(|| panic!("{}: no execute", p.text));
            q.execute(name, v.get("arguments").cloned()).map(|r| r.to_string()).map_err(|e| e.to_string())
        }
        _ => Ok(hmp(q, &p.text)),
    }
}

fn capabilities(q: &mut converge::watch::qmp::QmpClient) -> Vec<(String, bool)> {
    let caps = query(q, "query-migrate-capabilities");
    let list = caps.as_array().cloned().unwrap_or_default();
    list.iter().map(|c| (c["capability"].as_str().unwrap_or("").to_string(), c["state"] == true)).collect()
}

/// (c, all) Every HMP and QMP command the engine prints, collected from what it prints for
/// the seed and the 10.0.2-B and 10.2.2-B series, with and without --link-speed and
/// --domain, sent to an idle QEMU 10 and read back: parameters with query-migrate-parameters
/// and `info migrate_parameters` from QEMU's defaults; capabilities on a source and on an
/// `-incoming defer` destination with query-migrate-capabilities and `info
/// migrate_capabilities` (only that capability changes); the postcopy switch, which needs a
/// running migration, must fail on the migration state and not on its syntax; the old
/// seconds form is labelled for old QEMU and QEMU 10 no longer knows it.
#[test]
#[ignore = "live: needs QEMU 10 from `make test-live`"]
fn c_every_printed_command_is_sent_and_read_back() {
    use printed::Kind;
    use serde_json::json;
    let t0 = Instant::now();
    let dir = run_dir("c-all");
    let (src_qemu, mut src) = idle_qemu(&dir, "src", false);
    let (dst_qemu, mut dst) = idle_qemu(&dir, "dst", true);
    let all = printed::all(libvirt::DOMAIN);
    let mut sent = Vec::new();
    let templates = all.iter().filter_map(|p| printed::filled(p, libvirt::DOMAIN));
    let sendable: Vec<printed::Printed> = all.iter().cloned().chain(templates).collect();
    for p in sendable.iter().filter(|p| matches!(p.kind, Kind::Hmp | Kind::Qmp)) {
        let what = format!("{} (printed for {})", p.text, p.from);
        assert!(!p.text.starts_with("migrate_set_downtime"), "{what}: the seconds form is not labelled for old QEMU");
        if printed::sets_parameter(&p.text) {
            let s = p.setting.unwrap_or_else(|| panic!("{what}: no typed setting says what it sets"));
            let (name, meant) = printed::meant(&s);
            // From QEMU's defaults each time, so a command that sets nothing cannot pass.
            let reset = json!({"downtime-limit": 300, "max-bandwidth": 134217728u64, "avail-switchover-bandwidth": 0});
            src.execute("migrate-set-parameters", Some(reset)).unwrap();
            let reply = send(&mut src, p).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(p.kind == Kind::Qmp || reply.is_empty(), "{what}: HMP said {reply}");
            let got = query(&mut src, "query-migrate-parameters");
            assert_eq!(got[name].as_u64(), Some(meant), "{what}: query-migrate-parameters has {}", got[name]);
            let info = hmp(&mut src, "info migrate_parameters");
            let line = info.lines().find(|l| l.starts_with(&format!("{name}:"))).unwrap_or("");
            let shown: Option<u64> = line.split_whitespace().nth(1).and_then(|n| n.parse().ok());
            assert_eq!(shown, Some(meant), "{what}: info migrate_parameters says {line:?}");
            sent.push(format!("{} -> {name} {meant}", p.text));
        } else if let Some(cap) = printed::capability(&p.text) {
            // Both sides: postcopy-ram is printed "(both sides, before migrate)".
            for (side, q) in [("source", &mut src), ("destination", &mut dst)] {
                q.execute(
                    "migrate-set-capabilities",
                    Some(json!({"capabilities": [{"capability": cap, "state": false}]})),
                )
                .unwrap_or_else(|e| panic!("{what}: turning {cap} off on the {side}: {e}"));
                let before = capabilities(q);
                let reply = send(q, p).unwrap_or_else(|e| panic!("{what} on the {side}: {e}"));
                assert!(p.kind == Kind::Qmp || reply.is_empty(), "{what} on the {side}: HMP said {reply}");
                let after = capabilities(q);
                for ((n, b), (_, a)) in before.iter().zip(&after) {
                    assert_eq!(*a, *b || *n == cap, "{what} on the {side}: capability {n} {b} -> {a}");
                }
                assert!(after.iter().any(|(n, on)| *n == cap && *on), "{what} on the {side}: {cap} not on");
                let info = hmp(q, "info migrate_capabilities");
                assert!(info.lines().any(|l| l.trim() == format!("{cap}: on")), "{what} on the {side}: {info}");
            }
            sent.push(format!("{} -> {cap} on (source and destination)", p.text));
        } else if p.text == "migrate_start_postcopy" || p.text.contains("\"migrate-start-postcopy\"") {
            // Needs a running migration: with postcopy-ram on and none running, QEMU must
            // refuse on the migration state, which proves it parsed the command.
            let on = json!({"capabilities": [{"capability": "postcopy-ram", "state": true}]});
            src.execute("migrate-set-capabilities", Some(on)).unwrap();
            let refusal = match send(&mut src, p) {
                Ok(hmp_text) => hmp_text,
                Err(e) => e,
            };
            assert!(refusal.contains("after migration has been started"), "{what}: QEMU said {refusal:?}");
            sent.push(format!("{} -> refused on state: {refusal}", p.text));
        } else {
            panic!("{what}: printed, but this test does not know how to send it and read it back");
        }
    }
    // The seconds form: labelled for QEMU before 2.8 wherever printed; QEMU 10 has no such command.
    let old: Vec<&printed::Printed> = all.iter().filter(|p| p.kind == Kind::HmpOld).collect();
    assert!(!old.is_empty(), "the recommendation prints the old seconds form");
    for p in &old {
        let said = hmp(&mut src, &p.text);
        assert!(said.contains("unknown command"), "{}: QEMU 10 said {said:?}", p.text);
    }
    drop((src_qemu, dst_qemu));
    for s in &sent {
        eprintln!("SENT {s}");
    }
    let templates = all.iter().filter(|p| p.kind == Kind::Template).count();
    for p in all.iter().filter(|p| matches!(p.kind, Kind::Template | Kind::Config)) {
        if printed::filled(p, libvirt::DOMAIN).is_some() {
            continue;
        }
        eprintln!("NOT SENT ({:?}) {} (printed for {})", p.kind, p.text, p.from);
    }
    figure(&format!(
        "c all: {} HMP/QMP commands the engine prints (seed, seed as QEMU 2.6, 10.0.2-B, 10.2.2-B; +-link, +-domain) sent to QEMU 10 and read back (templates filled in as their placeholder says; {templates} templates in all); {} old-QEMU seconds forms refused as unknown; test {:.0} s",
        sent.len(),
        old.len(),
        t0.elapsed().as_secs_f64()
    ));
}

/// (d, commands) Every virsh command the engine prints that sets a parameter
/// (`migrate-setmaxdowntime`, `migrate-setspeed`, filled-in templates too), with DOMAIN
/// replaced by the domain, sent through a libvirt session daemon to a running domain that is
/// not migrating, and read back with `migrate-getmaxdowntime` / `migrate-getspeed` and
/// QEMU's own query-migrate-parameters; `virsh migrate-postcopy` must fail on the domain
/// not migrating. The `virsh migrate --live --auto-converge|--postcopy D DEST_URI` forms are
/// run as printed (DEST_URI filled in, loopback options and a 1 MiB/s cap added) and QEMU's
/// capability is read while the migration runs, then aborted; postcopy stops earlier here,
/// where the unprivileged destination QEMU has no userfaultfd (asserted by its message).
#[test]
#[ignore = "live: needs QEMU 10, libvirt and the guest from `make test-live`"]
fn d_virsh_printed_commands_set_what_they_mean() {
    use printed::Kind;
    let t0 = Instant::now();
    let d = libvirt::DOMAIN;
    let all = printed::all(d);
    let mut cmds: Vec<printed::Printed> = Vec::new();
    for p in
        all.iter().filter(|p| p.kind == Kind::Virsh).cloned().chain(all.iter().filter_map(|p| printed::filled(p, d)))
    {
        // `virsh migrate ...; virsh migrate-postcopy D` is two commands: each is checked.
        for part in p.text.split("; ") {
            let p = printed::Printed { text: part.replace(" DOMAIN", &format!(" {d}")), ..p.clone() };
            if p.kind == Kind::Virsh && !cmds.iter().any(|q| q.text == p.text) {
                cmds.push(p);
            }
        }
    }
    assert!(cmds.iter().any(|p| p.text.starts_with("virsh migrate-setspeed ")), "{cmds:?}");
    assert!(cmds.iter().any(|p| p.text.starts_with("virsh migrate-setmaxdowntime ")), "{cmds:?}");
    let lv = libvirt::Libvirt::start("d-cmds");
    lv.start_guest("dmb=16 dstride=4096 drate=0");
    let out = |o: &std::process::Output| {
        format!("{}{}", String::from_utf8_lossy(&o.stdout).trim(), String::from_utf8_lossy(&o.stderr).trim())
    };
    let qemu_params = || {
        let o = lv.virsh(&lv.src_uri, &["qemu-monitor-command", d, r#"{"execute":"query-migrate-parameters"}"#]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", out(&o)));
        v["return"].clone()
    };
    let (mut sent, mut listed) = (Vec::new(), Vec::new());
    for p in &cmds {
        let words: Vec<&str> = p.text.split_whitespace().collect();
        let what = format!("{} (printed for {})", p.text, p.from);
        match words[..] {
            ["virsh", verb @ ("migrate-setmaxdowntime" | "migrate-setspeed"), dom, n] => {
                assert_eq!(dom, d, "{what}");
                let (name, meant) = printed::meant(&p.setting.unwrap_or_else(|| panic!("{what}: no typed setting")));
                let n: u64 = n.parse().unwrap_or_else(|e| panic!("{what}: {e}"));
                // From QEMU's defaults each time, so a command that sets nothing cannot pass.
                let reset = r#"{"execute":"migrate-set-parameters","arguments":{"downtime-limit":300,"max-bandwidth":134217728}}"#;
                let o = lv.virsh(&lv.src_uri, &["qemu-monitor-command", d, reset]);
                assert!(o.status.success(), "reset: {}", out(&o));
                let o = lv.virsh(&lv.src_uri, &words[1..]);
                assert!(o.status.success(), "{what}: {}", out(&o));
                let get = if verb == "migrate-setspeed" { "migrate-getspeed" } else { "migrate-getmaxdowntime" };
                let o = lv.virsh(&lv.src_uri, &[get, d]);
                assert_eq!(out(&o), n.to_string(), "{what}: virsh {get} says {}", out(&o));
                // virsh's unit: ms for the limit, MiB/s for the speed; QEMU holds ms and bytes/s.
                let in_qemu = if verb == "migrate-setspeed" { n * 1024 * 1024 } else { n };
                assert_eq!(in_qemu, meant, "{what}: virsh's {n} is not the {name} the engine means ({meant})");
                let q = qemu_params();
                assert_eq!(q[name].as_u64(), Some(meant), "{what}: QEMU's {name} is {}", q[name]);
                sent.push(format!("{} -> {get} {n}, QEMU {name} {meant}", p.text));
            }
            ["virsh", "migrate-postcopy", dom] => {
                assert_eq!(dom, d, "{what}");
                let o = lv.virsh(&lv.src_uri, &words[1..]);
                let said = out(&o);
                assert!(!o.status.success() && said.contains("migrat"), "{what}: {said}");
                sent.push(format!("{} -> refused on state: {said}", p.text));
            }
            ["virsh", "migrate", ..] if words.contains(&"DEST_URI") && !words.contains(&"...") => {
                // Sent as printed, DEST_URI filled in, capped at 1 MiB/s so it is still running
                // when QEMU's capabilities are read, then aborted.
                let cap = if words.contains(&"--auto-converge") { "auto-converge" } else { "postcopy-ram" };
                let args: Vec<&str> =
                    words[1..].iter().map(|w| if *w == "DEST_URI" { lv.dst_uri.as_str() } else { w }).collect();
                let (mut mig, _) = lv.migrate_as(&args, 1);
                let mut caps = String::new();
                let mut state = String::new();
                wait_for("QEMU's migration to be active", Duration::from_secs(60), || {
                    let o = lv.virsh(&lv.src_uri, &["qemu-monitor-command", d, r#"{"execute":"query-migrate"}"#]);
                    state = out(&o);
                    state.contains("\"active\"") || mig.try_wait().ok().flatten().is_some()
                });
                let o =
                    lv.virsh(&lv.src_uri, &["qemu-monitor-command", d, r#"{"execute":"query-migrate-capabilities"}"#]);
                caps.push_str(&out(&o));
                let _ = lv.virsh(&lv.src_uri, &["domjobabort", d]);
                let st = mig.wait().expect("virsh migrate");
                let mig_err = String::from_utf8_lossy(
                    &mig.stderr
                        .take()
                        .map(|mut e| {
                            let mut b = Vec::new();
                            let _ = std::io::Read::read_to_end(&mut e, &mut b);
                            b
                        })
                        .unwrap_or_default(),
                )
                .into_owned();
                // The session daemons run as an unprivileged user and this host has
                // vm.unprivileged_userfaultfd = 0 and a root-only /dev/userfaultfd: the
                // destination QEMU refuses postcopy-ram. That refusal shows virsh took the
                // flag and libvirt asked QEMU for postcopy-ram; anything else fails.
                let no_uffd = "'migrate-set-capabilities': Postcopy is not supported: Userfaultfd not available";
                if cap == "postcopy-ram" && !st.success() && mig_err.contains(no_uffd) {
                    sent.push(format!("{} -> libvirt set postcopy-ram; QEMU refused: userfaultfd not available to the unprivileged session user here", p.text));
                    continue;
                }
                assert!(state.contains("\"active\""), "{what}: never active ({st:?}): {state} {mig_err}");
                let v: Value = serde_json::from_str(&caps).unwrap_or_else(|e| panic!("{what}: {e}: {caps}"));
                let on =
                    v["return"].as_array().into_iter().flatten().any(|c| c["capability"] == cap && c["state"] == true);
                assert!(on, "{what}: QEMU's {cap} is not on during the migration: {caps}");
                sent.push(format!("{} -> QEMU {cap} on during the migration (aborted)", p.text));
            }
            _ if p.text.starts_with("virsh migrate ") => listed.push(p.text.clone()),
            _ => panic!("{what}: printed, but this test does not know how to send it and read it back"),
        }
    }
    for s in &sent {
        eprintln!("SENT {s}");
    }
    for l in &listed {
        eprintln!("NOT SENT (starts a migration; test d runs virsh migrate --live) {l}");
    }
    figure(&format!(
        "d commands: {} virsh commands the engine prints sent through libvirt and read back ({} left unsent); test {:.0} s",
        sent.len(),
        listed.len(),
        t0.elapsed().as_secs_f64()
    ));
}

/// (c, postcopy) The postcopy commands the engine prints, sent as they are printed during a
/// real migration that pre-copy cannot finish (64 MiB/s dirtied behind a 32 MiB/s cap, 300
/// ms): postcopy-ram on both sides before `migrate` with the printed capability command,
/// then, once a pass has run, the printed switch (HMP in one migration, QMP in another). Read
/// back: QEMU reports postcopy-active or completed with postcopy bytes sent, the migration
/// completes and the guest runs on at the destination.
#[test]
#[ignore = "live: needs QEMU 10 and the guest from `make test-live`"]
fn c_postcopy_commands_switch_a_real_migration() {
    use printed::Kind;
    let t0 = Instant::now();
    let all = printed::all(libvirt::DOMAIN);
    let find = |k: Kind, pred: &dyn Fn(&str) -> bool| {
        all.iter().find(|p| p.kind == k && pred(&p.text)).cloned().unwrap_or_else(|| panic!("not printed"))
    };
    let cases = [
        (
            find(Kind::Hmp, &|t| printed::capability(t).as_deref() == Some("postcopy-ram")),
            find(Kind::Hmp, &|t| t == "migrate_start_postcopy"),
        ),
        (
            find(Kind::Qmp, &|t| printed::capability(t).as_deref() == Some("postcopy-ram")),
            find(Kind::Qmp, &|t| t.contains("\"migrate-start-postcopy\"")),
        ),
    ];
    let (mut done, mut pc_sent) = (Vec::new(), Vec::new());
    for (i, (cap, switch)) in cases.iter().enumerate() {
        let pair = Pair::start(&format!("c-postcopy-{i}"), DIRTY_64MIB);
        let mut d = pair.dst.control();
        let mut s = pair.src.control();
        for (side, q) in [("destination", &mut d), ("source", &mut s)] {
            let r = send(q, cap).unwrap_or_else(|e| panic!("{} on the {side}: {e}", cap.text));
            assert!(cap.kind == Kind::Qmp || r.is_empty(), "{} on the {side}: {r}", cap.text);
        }
        // QEMU serves one client per QMP socket: the migration's client is the next one.
        drop(s);
        let mut ctl = pair.migrate(CAP_32MIB, 300);
        wait_for("a first pass (dirty-sync-count 2)", Duration::from_secs(90), || {
            query(&mut ctl, "query-migrate").pointer("/ram/dirty-sync-count").and_then(Value::as_u64) >= Some(2)
        });
        let r = send(&mut ctl, switch).unwrap_or_else(|e| panic!("{}: {e}", switch.text));
        assert!(switch.kind == Kind::Qmp || r.is_empty(), "{}: HMP said {r}", switch.text);
        let mut statuses = Vec::new();
        let mut m = Value::Null;
        wait_for("the postcopy migration to complete", Duration::from_secs(60), || {
            m = query(&mut ctl, "query-migrate");
            let st = m["status"].as_str().unwrap_or("").to_string();
            if statuses.last() != Some(&st) {
                statuses.push(st.clone());
            }
            st == "completed" || st == "failed"
        });
        let pc_bytes = m.pointer("/ram/postcopy-bytes").and_then(Value::as_u64).unwrap_or(0);
        assert_eq!(m["status"], "completed", "{}: {statuses:?} {m}", switch.text);
        assert!(
            statuses.iter().any(|s| s == "postcopy-active") || pc_bytes > 0,
            "{}: never in postcopy: {statuses:?} {m}",
            switch.text
        );
        wait_for("the dirtier printing on the destination console", Duration::from_secs(60), || {
            read(&pair.dst.console).contains("dirtier alive")
        });
        done.push(format!("{} + {}: {statuses:?}, postcopy-bytes {pc_bytes}", cap.text, switch.text));
        pc_sent.push(format!("{:?}: postcopy-bytes {pc_bytes}", switch.kind));
    }
    for l in &done {
        eprintln!("SENT {l}");
    }
    figure(&format!(
        "c postcopy: printed postcopy-ram capability + switch sent during a real never-converging migration, HMP and QMP: completed through postcopy both times ({}); test {:.0} s",
        pc_sent.join(", "),
        t0.elapsed().as_secs_f64()
    ));
}
