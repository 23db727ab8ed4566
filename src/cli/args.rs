//! The command line, declared with clap: `converge [options] [FILE]` (every flag
//! the pre-clap CLI had) and `converge watch ...`.

use crate::core::options::{Options, Overrides, Platform};
use crate::core::units::{Bytes, PageSize, GIB, KIB, MIB};
use clap::{ArgGroup, Args, Parser, Subcommand};
use std::path::PathBuf;

const ABOUT: &str = "Reads what QEMU or libvirt printed about a migration (HMP info migrate of any era,
info migrate_parameters/capabilities, QMP query-migrate JSON, virsh domjobinfo) from
FILE or standard input, and explains the expected downtime and the downtime-limit
that makes the migration finish. `converge watch` does the same live.";

const EXIT: &str = "exit status: 0 when something was understood (watch: the migration completed),
1 on a usage error, 2 when nothing was understood, 3 (watch) the migration failed or
was cancelled, 4 (watch) connection or protocol fault, 5 (watch) stopped before the end.
A closed standard output (converge FILE | head) ends the report silently, status unchanged.";

#[derive(Parser, Debug)]
#[command(name = "converge", about = ABOUT, after_help = EXIT, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Watch a live migration over QMP or libvirt, explain it as it runs, and with
    /// --apply set the downtime-limit it needs once, within --max-pause.
    Watch(WatchArgs),
}

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

fn page(v: &str) -> Result<PageSize, String> {
    parse_size(v)
        .map(|b| PageSize(Bytes(b)))
        .ok_or_else(|| format!("expected a size such as 64K, 2M, 16M, 1G; got {v:?}"))
}

fn platform(v: &str) -> Result<Platform, String> {
    Platform::from_name(v).ok_or_else(|| format!("expected x86, power-hash or power-radix; got {v:?}"))
}

fn number(v: &str) -> Result<f64, String> {
    match v.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("expected a non-negative number, got {v:?}")),
    }
}

fn positive(v: &str) -> Result<f64, String> {
    match number(v)? {
        x if x > 0.0 => Ok(x),
        _ => Err(format!("expected a number above 0, got {v:?}")),
    }
}

/// What the guest and the link are, for the engine: shared by the report and `watch`.
#[derive(Args, Debug, Clone, Default)]
pub struct EngineArgs {
    /// Guest RAM backing page: 4K, 64K, 2M, 16M (default), 1G
    #[arg(long, value_name = "SIZE", value_parser = page)]
    pub backing_page: Option<PageSize>,
    /// Where the guest runs: x86 (also TCG), power-hash (POWER hash MMU, HPT), power-radix;
    /// unstated keeps the hugepage story conditional
    #[arg(long, value_name = "P", value_parser = platform)]
    pub platform: Option<Platform>,
    /// What the link delivers at switchover, bytes/s (for the real pause)
    #[arg(long, value_name = "BYTES_S", value_parser = number)]
    pub link_speed: Option<f64>,
    /// libvirt domain (or VM) name, filled into the printed commands
    #[arg(long, value_name = "NAME")]
    pub domain: Option<String>,
}

impl EngineArgs {
    pub fn options(&self, overrides: Overrides) -> Options {
        let mut o = Options::default();
        if let Some(p) = self.backing_page {
            o.backing_page = p;
        }
        o.platform = self.platform;
        o.link_bytes_per_s = self.link_speed;
        o.domain = self.domain.clone();
        o.overrides = overrides;
        o
    }
}

#[derive(Args, Debug, Default)]
pub struct ReportArgs {
    /// Machine-readable report
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Use this downtime-limit instead of the pasted one
    #[arg(long, value_name = "MS", value_parser = number)]
    pub downtime_limit: Option<f64>,
    /// Override remaining bytes (or type numbers with no paste)
    #[arg(long, value_name = "BYTES", value_parser = number)]
    pub remaining: Option<f64>,
    /// Override throughput in Mbit/s (10^6 bit/s, as QEMU prints)
    #[arg(long, value_name = "MBIT", value_parser = number)]
    pub mbps: Option<f64>,
    /// Override dirty pages rate (4 KiB target pages per second)
    #[arg(long, value_name = "PAGES", value_parser = number)]
    pub dirty_pages_rate: Option<f64>,
    /// Override the printed expected downtime
    #[arg(long, value_name = "MS", value_parser = number)]
    pub expected_downtime: Option<f64>,
    /// Override max-bandwidth (bytes/s)
    #[arg(long, value_name = "BYTES_S", value_parser = number)]
    pub max_bandwidth: Option<f64>,
    /// Override avail-switchover-bandwidth (bytes/s)
    #[arg(long, value_name = "BYTES_S", value_parser = number)]
    pub avail_switchover_bandwidth: Option<f64>,
    /// The paste; `-` or none reads standard input
    #[arg(value_name = "FILE")]
    pub file: Option<String>,
}

impl ReportArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            remaining_bytes: self.remaining,
            throughput_mbps: self.mbps,
            dirty_pages_rate: self.dirty_pages_rate,
            expected_downtime_ms: self.expected_downtime,
            downtime_limit_ms: self.downtime_limit,
            max_bandwidth_bytes_per_s: self.max_bandwidth,
            avail_switchover_bandwidth_bytes_per_s: self.avail_switchover_bandwidth,
        }
    }
}

#[derive(Args, Debug, Clone)]
#[command(group(ArgGroup::new("target").required(true).args(["qmp", "virsh"])))]
pub struct WatchArgs {
    /// QEMU's QMP socket: a unix socket path, or HOST:PORT for QMP over TCP
    #[arg(long, value_name = "SOCKET")]
    pub qmp: Option<String>,
    /// A libvirt domain (libvirt owns its QMP socket): polled through virsh
    #[arg(long, value_name = "DOMAIN")]
    pub virsh: Option<String>,
    /// libvirt connection URI for --virsh
    #[arg(long, value_name = "URI", requires = "virsh", conflicts_with = "qmp")]
    pub connect: Option<String>,
    /// Seconds between polls of query-migrate
    #[arg(long, value_name = "S", default_value_t = 1.0, value_parser = positive)]
    pub interval: f64,
    /// One JSON object per poll (the names of `converge --json`)
    #[arg(long)]
    pub json: bool,
    /// Set the limit the migration needs, once, when it will not converge (needs --max-pause)
    #[arg(long, requires = "max_pause")]
    pub apply: bool,
    /// The longest pause (ms) the operator accepts: a limit above it is never set
    #[arg(long, value_name = "MS", value_parser = positive)]
    pub max_pause: Option<f64>,
    /// Stop watching after this many seconds (status 5 if the migration has not ended)
    #[arg(long, value_name = "S", value_parser = positive)]
    pub duration: Option<f64>,
    /// Write every reply as a QMP transcript that `converge FILE` and the page read
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    #[command(flatten)]
    pub engine: EngineArgs,
}
