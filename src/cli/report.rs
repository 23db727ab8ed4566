//! `converge [FILE]`: one paste from FILE or stdin, explained as text or JSON.

use super::args::ReportArgs;
use super::exit;
use super::output;
use crate::core::analysis::analyse;
use crate::core::parse::parse;
use crate::core::report;
use std::io::Read;

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

pub fn run(a: ReportArgs) -> i32 {
    let overrides = a.overrides();
    let typed = !overrides.is_empty();
    let text = match read_input(&a.file, typed) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("converge: {e}");
            return exit::USAGE;
        }
    };
    let analysis = analyse(parse(&text), a.engine.options(overrides));
    let shown = if a.json {
        let v = report::json(&analysis);
        let s = serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        output::print(&format!("{s}\n"))
    } else {
        output::print(&report::text(&analysis))
    };
    // A reader that closed the pipe (`| head`) saw what it wanted: no message, status as usual.
    let _ = shown;
    if analysis.paste.lines_understood > 0 || typed {
        exit::OK
    } else {
        exit::NOTHING_UNDERSTOOD
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_size;

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
