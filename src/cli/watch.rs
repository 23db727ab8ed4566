//! `converge watch ...` from the command line: the arguments as a `watch::Config`,
//! the backend (QMP or virsh), Ctrl-C, and the outcome as a documented exit code.

use super::args::WatchArgs;
use super::exit;
use crate::core::options::Overrides;
use crate::watch::decide::Policy;
use crate::watch::monitor::Fault;
use crate::watch::qmp::QmpClient;
use crate::watch::screen::{Mode, Screen};
use crate::watch::virsh::Virsh;
use crate::watch::{watch, Config, Outcome, Summary};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub fn exit_code(o: &Outcome) -> i32 {
    match o {
        Outcome::Completed => exit::OK,
        Outcome::Failed { .. } => exit::MIGRATION_FAILED,
        Outcome::Fault(_) => exit::FAULT,
        Outcome::Stopped(_) => exit::STOPPED,
    }
}

/// `converge watch ...` from the command line.
pub fn run(w: WatchArgs) -> i32 {
    // An unwritable --record is a usage error, found before anything is watched.
    if let Some(p) = &w.record {
        if let Err(e) = std::fs::File::create(p) {
            eprintln!("converge watch: --record {}: {e}", p.display());
            return exit::USAGE;
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // Ctrl-C ends the loop at the next check; the view is line-based, so the terminal
        // never leaves its normal mode and there is nothing else to restore.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let mut options = w.engine.options(Overrides::default());
    // Watching a libvirt domain names it: the printed commands are complete.
    options.domain = options.domain.or_else(|| w.virsh.clone());
    let cfg = Config {
        interval: Duration::from_secs_f64(w.interval),
        apply: w.apply,
        policy: Policy { max_pause_ms: w.max_pause, link_bytes_per_s: w.engine.link_speed },
        options,
        record: w.record.clone(),
        stop,
    };
    let mode = if w.json { Mode::Json } else { Mode::detect() };
    let mut screen = Screen::stdout(mode);
    if let Some(secs) = w.duration {
        let stop = cfg.stop.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs_f64(secs));
            stop.store(true, Ordering::SeqCst);
        });
    }
    let summary = match (&w.qmp, &w.virsh) {
        (Some(target), _) => match QmpClient::connect(target) {
            Ok(mut c) => watch(&mut c, &mut || None, &cfg, &mut screen),
            Err(f) => Summary::new(Outcome::Fault(f)),
        },
        (None, Some(domain)) => {
            let mut v = Virsh { domain: domain.clone(), connect: w.connect.clone() };
            let probe = Virsh { domain: domain.clone(), connect: w.connect.clone() };
            let cmd = format!("virsh domjobinfo {domain} --completed");
            watch(&mut v, &mut || probe.completed_job().ok().map(|t| (cmd.clone(), t)), &cfg, &mut screen)
        }
        (None, None) => Summary::new(Outcome::Fault(Fault::Protocol {
            target: "watch".into(),
            reason: "--qmp or --virsh is required".into(),
        })),
    };
    screen.end();
    match &summary.outcome {
        Outcome::Fault(f) => eprintln!("converge watch: {f}"),
        Outcome::Stopped(why) => eprintln!("converge watch: stopped before the migration ended ({why})"),
        Outcome::Failed { status, .. } => eprintln!("converge watch: the migration {status}"),
        Outcome::Completed => {}
    }
    exit_code(&summary.outcome)
}
