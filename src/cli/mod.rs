//! The native command line on the same core: `converge [FILE]` explains a paste,
//! `converge watch` explains (and with `--apply` steers) a live migration.

pub mod args;
pub mod exit;
pub mod output;
pub mod report;
pub mod watch;

use args::{Cli, Command};
use clap::error::ErrorKind;
use clap::Parser;

pub use args::parse_size;

pub fn main(args: Vec<String>) -> i32 {
    let cli = match Cli::try_parse_from(std::iter::once("converge".to_string()).chain(args)) {
        Ok(c) => c,
        Err(e) => {
            let shown = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
            // Help goes to stdout (status 0); a usage error to stderr (status 1, as before clap).
            let _ = e.print();
            return if shown { exit::OK } else { exit::USAGE };
        }
    };
    match cli.command {
        Some(Command::Watch(w)) => watch::run(w),
        None => report::run(cli.report),
    }
}
