//! `converge-bench-native CORPUS_RUNS_DIR SNAPSHOTS OUT_FILE [RUNS]`
//! Writes a paste of SNAPSHOTS real HMP snapshots, each after a
//! `(qemu) info migrate` prompt as a user would paste a monitor session, and
//! prints one JSON line: bytes, snapshots parsed, and parse + analyse times.

use std::path::{Path, PathBuf};
use std::time::Instant;

/// Every `*_hmp.txt` snapshot of every run, in a stable order.
fn snapshot_files(runs: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut run_dirs: Vec<PathBuf> =
        std::fs::read_dir(runs).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    run_dirs.sort();
    for run in run_dirs {
        let mut snaps: Vec<PathBuf> = std::fs::read_dir(run.join("snapshots"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_hmp.txt")))
            .collect();
        snaps.sort();
        files.extend(snaps);
    }
    files
}

/// The paste: snapshots cycled through the corpus until `n` are in.
pub fn build_paste(runs: &Path, n: usize) -> Result<String, String> {
    let files = snapshot_files(runs);
    if files.is_empty() {
        return Err(format!("no */snapshots/*_hmp.txt under {}", runs.display()));
    }
    let mut paste = String::new();
    for f in files.iter().cycle().take(n) {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        paste.push_str("(qemu) info migrate\r\n");
        paste.push_str(&text);
        if !text.ends_with('\n') {
            paste.push_str("\r\n");
        }
    }
    Ok(paste)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Median time of each stage `analyse_text` runs: parse, the formulas of every
/// snapshot (text for the focus only), and the advice for the focus.
fn stages(paste: &str, reps: usize) -> (f64, f64, f64) {
    use converge::core::{advice, formulas, parse, Options};
    let (mut p, mut f, mut a) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..reps {
        let t = Instant::now();
        let parsed = parse::parse(std::hint::black_box(paste));
        p.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        // As `analyse` does: text for the focus snapshot, numbers for the rest.
        let focus = parsed.snapshots.len().checked_sub(1);
        let all: Vec<_> = parsed
            .snapshots
            .iter()
            .enumerate()
            .map(|(i, s)| if Some(i) == focus { formulas::all(s, &parsed) } else { formulas::numbers(s, &parsed) })
            .collect();
        std::hint::black_box(all);
        f.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        std::hint::black_box(advice::advise(&parsed, focus, &Options::default()));
        a.push(t.elapsed().as_secs_f64() * 1e3);
    }
    (median(p), median(f), median(a))
}

/// `--dump FILE...`: one line per file, a hash of everything `analyse_text` returns
/// (its Debug form) and the path, so a speed change can be checked to change no output;
/// `--dump-one FILE` prints that Debug form itself; `--time FILE [RUNS]` times one paste.
fn dump(args: &[String]) -> bool {
    use std::hash::{DefaultHasher, Hasher};
    match args.first().map(String::as_str) {
        Some("--dump") => {
            for f in args.iter().skip(1) {
                let text = std::fs::read(f).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
                let mut h = DefaultHasher::new();
                h.write(format!("{:?}", converge::core::analyse_text(&text)).as_bytes());
                println!("{:016x} {f}", h.finish());
            }
            true
        }
        Some("--dump-one") => {
            let text = args.get(1).and_then(|f| std::fs::read(f).ok()).unwrap_or_default();
            println!("{:#?}", converge::core::analyse_text(&String::from_utf8_lossy(&text)));
            true
        }
        Some("--time") => {
            // `--time FILE [RUNS]`: parse + analyse of a paste already written (the browser's).
            let text = args.get(1).and_then(|f| std::fs::read_to_string(f).ok()).unwrap_or_default();
            let reps: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(21);
            let times: Vec<f64> = (0..reps)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(converge::core::analyse_text(std::hint::black_box(&text)));
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            let min = times.iter().copied().fold(f64::INFINITY, f64::min);
            println!("{{\"bytes\":{},\"runs\":{reps},\"median_ms\":{:.3},\"min_ms\":{min:.3}}}", text.len(), median(times));
            true
        }
        _ => false,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if dump(&args) {
        return;
    }
    let (Some(runs), Some(n), Some(out)) = (args.first(), args.get(1).and_then(|s| s.parse().ok()), args.get(2)) else {
        eprintln!("usage: converge-bench-native CORPUS_RUNS_DIR SNAPSHOTS OUT_FILE [RUNS]");
        std::process::exit(2);
    };
    let reps: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(21);
    let paste = match build_paste(Path::new(runs), n) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::fs::write(out, &paste) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
    let mut times = Vec::with_capacity(reps);
    let mut parsed = 0;
    for _ in 0..reps {
        let t = Instant::now();
        let a = converge::core::analyse_text(std::hint::black_box(&paste));
        times.push(t.elapsed().as_secs_f64() * 1e3);
        parsed = a.paste.snapshots.len();
        std::hint::black_box(a);
    }
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    let (parse_ms, formulas_ms, advice_ms) = stages(&paste, reps);
    println!(
        "{{\"bytes\":{},\"snapshots_in\":{n},\"snapshots_parsed\":{parsed},\"runs\":{reps},\"median_ms\":{:.3},\"min_ms\":{:.3},\"parse_ms\":{parse_ms:.3},\"formulas_ms\":{formulas_ms:.3},\"advice_ms\":{advice_ms:.3}}}",
        paste.len(),
        median(times),
        min
    );
}
