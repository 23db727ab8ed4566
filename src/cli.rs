//! `converge [--json] [options] [FILE]`: the CLI shell on the same core. Reads one
//! paste from FILE or stdin and prints the explanation the page shows, or JSON.

use crate::core::analysis::analyse;
use crate::core::options::{Options, Overrides, Platform};
use crate::core::parse::parse;
use crate::core::report;
use crate::core::units::{Bytes, PageSize, GIB, KIB, MIB};
use std::io::Read;

const USAGE: &str = "usage: converge [--json] [options] [FILE]

Reads what QEMU or libvirt printed about a migration (HMP info migrate of any era,
info migrate_parameters/capabilities, QMP query-migrate JSON, virsh domjobinfo) from
FILE or standard input, and explains the expected downtime and the downtime-limit
that makes the migration finish.

options:
  --json                      machine-readable report
  --backing-page SIZE         guest RAM backing page: 4K, 64K, 2M, 16M (default), 1G
  --platform P                where the guest runs: x86 (also TCG), power-hash (POWER hash
                              MMU, HPT), power-radix; unstated keeps the hugepage story conditional
  --downtime-limit MS         use this downtime-limit instead of the pasted one
  --remaining BYTES           override remaining bytes (or type numbers with no paste)
  --mbps MBIT                 override throughput in Mbit/s (10^6 bit/s, as QEMU prints)
  --dirty-pages-rate PAGES    override dirty pages rate (4 KiB target pages per second)
  --expected-downtime MS      override the printed expected downtime
  --max-bandwidth BYTES_S     override max-bandwidth (bytes/s)
  --avail-switchover-bandwidth BYTES_S
  --link-speed BYTES_S        what the link delivers at switchover (for the real pause)
  --domain NAME               libvirt domain (or VM) name, filled into printed commands
  -h, --help

exit status: 0 when something was understood, 2 when nothing was, 1 on a usage error.";

/// "16M", "2MiB", "64k", "4096" -> bytes.
pub fn parse_size(s: &str) -> Option<f64> {
    let t = s.trim().trim_end_matches(['B', 'b']).trim_end_matches(['i', 'I']);
    let (num, mul) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], KIB),
        'm' | 'M' => (&t[..t.len() - 1], MIB),
        'g' | 'G' => (&t[..t.len() - 1], GIB),
        _ => (t, 1.0),
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v > 0.0).then_some(v * mul)
}

struct Args {
    json: bool,
    file: Option<String>,
    options: Options,
}

fn number(flag: &str, v: Option<String>) -> Result<f64, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a value"))?;
    match v.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("{flag}: expected a non-negative number, got {v:?}")),
    }
}

fn parse_args(args: Vec<String>) -> Result<Option<Args>, String> {
    let mut a = Args { json: false, file: None, options: Options::default() };
    let mut o = Overrides::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--json" => a.json = true,
            "--backing-page" => {
                let v = it.next().ok_or("--backing-page needs a size")?;
                let b = parse_size(&v)
                    .ok_or_else(|| format!("--backing-page: expected a size such as 64K, 2M, 16M, 1G; got {v:?}"))?;
                a.options.backing_page = PageSize(Bytes(b));
            }
            "--platform" => {
                let v = it.next().ok_or("--platform needs x86, power-hash or power-radix")?;
                let p = Platform::from_name(&v)
                    .ok_or_else(|| format!("--platform: expected x86, power-hash or power-radix; got {v:?}"))?;
                a.options.platform = Some(p);
            }
            "--downtime-limit" => o.downtime_limit_ms = Some(number(&arg, it.next())?),
            "--remaining" => o.remaining_bytes = Some(number(&arg, it.next())?),
            "--mbps" => o.throughput_mbps = Some(number(&arg, it.next())?),
            "--dirty-pages-rate" => o.dirty_pages_rate = Some(number(&arg, it.next())?),
            "--expected-downtime" => o.expected_downtime_ms = Some(number(&arg, it.next())?),
            "--max-bandwidth" => o.max_bandwidth_bytes_per_s = Some(number(&arg, it.next())?),
            "--avail-switchover-bandwidth" => o.avail_switchover_bandwidth_bytes_per_s = Some(number(&arg, it.next())?),
            "--link-speed" => a.options.link_bytes_per_s = Some(number(&arg, it.next())?),
            "--domain" => a.options.domain = Some(it.next().ok_or("--domain needs a name")?),
            f if f.starts_with("--") => return Err(format!("unknown option {f}")),
            _ if a.file.is_none() => a.file = Some(arg),
            _ => return Err("only one FILE may be given".into()),
        }
    }
    a.options.overrides = o;
    Ok(Some(a))
}

fn read_input(file: &Option<String>, typed: bool) -> Result<String, String> {
    // Numbers typed as flags with no FILE: there is no paste to wait for on stdin.
    if typed && file.is_none() {
        return Ok(String::new());
    }
    let mut bytes = Vec::new();
    match file.as_deref() {
        Some("-") | None => std::io::stdin().read_to_end(&mut bytes).map(|_| ()).map_err(|e| format!("stdin: {e}"))?,
        Some(path) => bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?,
    }
    // Terminal captures may hold stray non-UTF-8 bytes: keep going.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn main(args: Vec<String>) -> i32 {
    let a = match parse_args(args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return 0;
        }
        Err(e) => {
            eprintln!("converge: {e}\n\n{USAGE}");
            return 1;
        }
    };
    let typed = !a.options.overrides.is_empty();
    let text = match read_input(&a.file, typed) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("converge: {e}");
            return 1;
        }
    };
    let analysis = analyse(parse(&text), a.options);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report::json(&analysis)).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        print!("{}", report::text(&analysis));
    }
    if analysis.paste.lines_understood > 0 || typed {
        0
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn backing_page_sizes() {
        assert_eq!(parse_size("16M"), Some(16.0 * 1024.0 * 1024.0));
        assert_eq!(parse_size("64KiB"), Some(65536.0));
        assert_eq!(parse_size("1G"), Some(1024.0 * 1024.0 * 1024.0));
        assert_eq!(parse_size("4096"), Some(4096.0));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("é"), None);
    }
}
