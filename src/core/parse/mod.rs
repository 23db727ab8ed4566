//! Reads anything QEMU or libvirt prints about a migration. The dialect is
//! chosen per block from the text itself; nothing here can panic on any input.
//!
//! Each line is first cleaned (terminal redraws, then what a person added when
//! copying it: mail quotes, remarks, typography; see `annotation`). Then one pass:
//! JSON values (also inside libvirt log lines and behind a script's timestamps)
//! are read whole; every other line is offered to the readers in a fixed order
//! (sub-block, command/prompt, QEMU stderr, the open snapshot's dialect, the other
//! dialects, parameters/capabilities, bare values); the first one that recognises
//! it wins. Lines nobody recognises become diagnostics naming the line and why.
//! Counters QEMU got wrong are flagged, not used (`snapshot`); a huge paste is
//! summarised (`summary`).

mod annotation;
mod find;
mod hmp_migrate;
mod hmp_params;
mod logs;
mod qmp;
mod quotes;
mod snapshot;
mod summary;
pub mod terminal;
pub mod values;
mod version;
mod virsh;

use super::model::{Diagnostic, Paste, Source, SourceText};
use std::sync::Arc;
use terminal::Line;

/// Parse one paste (any mix of HMP, QMP and virsh output, with terminal noise).
pub fn parse(text: &str) -> Paste {
    let mut cleaned = terminal::clean(text);
    // Each line's rare bytes, noted while tidying it (one pass over its bytes for both).
    let seens: Vec<find::Seen> =
        cleaned.lines.iter_mut().map(|(_, span)| annotation::tidy_span(&mut cleaned.text, span)).collect();
    // One buffer for the whole paste: every value's source is a span of it.
    let base: Arc<str> = Arc::from(cleaned.text);
    let lines: Vec<Line> =
        cleaned.lines.iter().map(|(no, r)| Line { no: *no, text: base.get(r.clone()).unwrap_or("") }).collect();
    let mut p = Parser::new(lines.iter().filter(|l| !find::trim(l.text).is_empty()).count(), Arc::clone(&base));
    let mut i = 0;
    while i < lines.len() {
        i = p.step(&lines, &seens, i);
    }
    p.finish()
}

/// Most diagnostics kept; past this a single summary says how many more there were.
const MAX_ERRORS: usize = 500;

/// The last command the paste shows, which tells what a bare value means.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Command {
    None,
    InfoMigrate,
    InfoParameters,
    InfoCapabilities,
    InfoVersion,
    GetMaxDowntime,
    GetSpeed,
    Other,
}

/// Indented continuation blocks that follow a header line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Sub {
    None,
    /// `socket address: [` / `Sockets: [` up to `]`.
    Sockets,
    /// `Outgoing migration blocked:` then indented reasons.
    Blocked,
    /// `Postcopy vCPU Blocktime (ms):` then ` [1, 2, ...]` over one or more lines.
    NumberList,
    /// `Postcopy Latency Distribution:` then `  [ 1 us - 2 us ]: N` lines.
    LatencyDist,
    /// `block-bitmap-mapping:` then `  'node' -> 'alias'` lines.
    BitmapMapping,
}

/// What one reader says about one line.
pub(crate) enum Verdict {
    /// Not this reader's line.
    NotMine,
    /// Used.
    Ok,
    /// This reader's line, but the value is wrong: the text says what was expected.
    Bad(String),
}

pub(crate) struct Parser {
    pub paste: Paste,
    pub open: Option<snapshot::Open>,
    pub command: Command,
    pub sub: Sub,
    /// Indentation of the line that opened `sub`: its lines are indented further.
    sub_indent: usize,
    /// The previous parameter-like line was a capability (so an unknown `name: on` is one too).
    pub caps_context: bool,
    /// Line numbers below this one have been counted in lines_understood.
    counted_upto: usize,
    error_total: usize,
    /// Non-blank lines in the paste (a bare number alone is read as getmaxdowntime output).
    nonblank: usize,
    pub(crate) sampler: summary::Sampler,
    /// Reading the JSON a log line carries: the rest of that line is the logger's.
    pub(crate) in_log: bool,
    /// The last `key=value,` line ended in a comma: its list goes on on the next line.
    pub(crate) kv_continues: Option<hmp_migrate::KvItems>,
    /// What `kv_continues` was when the current line began (only the next line may continue).
    pub(crate) kv_pending: Option<hmp_migrate::KvItems>,
    /// After a one-line `capabilities:`: what a wrapped continuation would start with.
    pub(crate) caps_wrap: Option<String>,
    /// The cleaned paste the lines are spans of.
    base: Arc<str>,
}

impl Parser {
    fn new(nonblank: usize, base: Arc<str>) -> Parser {
        Parser {
            paste: Paste::default(),
            open: None,
            command: Command::None,
            sub: Sub::None,
            sub_indent: 0,
            caps_context: false,
            counted_upto: 0,
            error_total: 0,
            nonblank,
            sampler: summary::Sampler::default(),
            in_log: false,
            kv_continues: None,
            kv_pending: None,
            caps_wrap: None,
            base,
        }
    }

    /// Where a value on line `no` came from: `raw` as a span of the cleaned paste when it
    /// is one (no copy), `unit` as printed.
    pub(crate) fn source(&self, no: usize, raw: &str, unit: SourceText) -> Source {
        Source { line: no, raw: SourceText::within(&self.base, raw), unit }
    }

    /// Handles line `i` (and any lines a JSON block spans); returns the next index.
    fn step(&mut self, lines: &[Line], seens: &[find::Seen], i: usize) -> usize {
        let Some(line) = lines.get(i) else { return i + 1 };
        let t = find::trim(line.text);
        if t.is_empty() {
            return i + 1;
        }
        if let Some(col) = qmp::json_start(line.text) {
            return self.json_block(lines, i, col, 0);
        }
        // Which rare bytes the line has: the readers that need one it lacks are skipped.
        let seen = seens.get(i).copied().unwrap_or_else(|| find::Seen::of(line.text));
        let log_line = logs::is_log_line_seen(t, seen);
        // A log record a terminal wrapped at its width: its pieces joined as they were.
        if log_line {
            let end = logs::wrapped_extent(lines, i);
            if end > i + 1 {
                let text: String = lines.get(i..end).unwrap_or(&[]).iter().map(|l| l.text).collect();
                let one = [Line { no: line.no, text: &text }];
                match logs::json_column(one[0].text) {
                    Some(col) => {
                        self.in_log = true;
                        self.json_block(&one, 0, col, 0);
                        self.in_log = false;
                    }
                    None => self.understood(line.no),
                }
                for l in lines.get(i + 1..end).unwrap_or(&[]) {
                    self.understood(l.no);
                }
                return end;
            }
        }
        if let Some(col) = seen.has(b'{').then(|| logs::json_column(line.text)).flatten() {
            self.in_log = true;
            let next = self.json_block(lines, i, col, 0);
            self.in_log = false;
            return next;
        }
        if log_line {
            self.understood(line.no);
            return i + 1;
        }
        // A timestamp a polling script put before each line: read what follows it.
        if let Some(rest) = annotation::after_timestamp(line.text) {
            let at = line.text.len() - rest.len();
            if let Some(col) = qmp::json_start(rest) {
                return self.json_block(lines, i, at + col, 0);
            }
            self.text_line_seen(line.no, rest, 0, seen);
            return i + 1;
        }
        self.text_line_seen(line.no, line.text, 0, seen);
        i + 1
    }

    /// One line of text (from the paste, or from inside a human-monitor-command reply).
    pub(crate) fn text_line(&mut self, no: usize, text: &str, depth: usize) {
        self.text_line_seen(no, text, depth, find::Seen::of(text));
    }

    /// `text_line`, told which rare bytes the text may have (`seen` of it or of a line it is part of).
    fn text_line_seen(&mut self, no: usize, text: &str, depth: usize, seen: find::Seen) {
        let t = find::trim(text);
        if t.is_empty() {
            return;
        }
        let sub_before = self.sub;
        self.kv_pending = self.kv_continues.take();
        let verdict = self.dispatch(no, text, depth, seen);
        if self.sub != sub_before && self.sub != Sub::None {
            self.sub_indent = text.len() - find::trim_start(text).len();
        }
        match verdict {
            Verdict::Ok => self.understood(no),
            Verdict::Bad(expected) => self.error(no, t, &expected),
            Verdict::NotMine => self.error(
                no,
                t,
                "not a line of info migrate, info migrate_parameters/_capabilities, query-migrate or virsh domjobinfo output",
            ),
        }
    }

    fn dispatch(&mut self, no: usize, text: &str, depth: usize, seen: find::Seen) -> Verdict {
        let t = find::trim(text);
        // A JSON value inside a human-monitor-command reply, or after a prompt on the same line.
        if depth > 0 && depth < 4 && qmp::json_start(text).is_some() {
            let one = [Line { no, text }];
            let col = qmp::json_start(text).unwrap_or(0);
            self.json_block(&one, 0, col, depth);
            return Verdict::Ok;
        }
        if let v @ (Verdict::Ok | Verdict::Bad(_)) = self.sub_block_line(no, text) {
            return v;
        }
        if self.caps_wrap.is_some() {
            if let Verdict::Ok = self.capabilities_wrap(no, t, t) {
                return Verdict::Ok;
            }
        }
        if let v @ (Verdict::Ok | Verdict::Bad(_)) = self.command_line(t, seen) {
            return v;
        }
        let fence_or_marker = matches!(t.as_bytes().first(), Some(b'`' | b'~' | b'[' | b'('));
        if fence_or_marker && (t.starts_with("```") || t.starts_with("~~~") || t == "[stderr]" || t == "(qemu)") {
            return Verdict::Ok;
        }
        // Its program name has a `q`.
        if seen.has(b'q') && annotation::is_qemu_stderr(t) {
            if self.paste.qemu_messages.len() < MAX_ERRORS {
                self.paste.qemu_messages.push(Diagnostic { line: no, message: values::clip(t, 200) });
            }
            return Verdict::Ok;
        }
        // `info version` may carry a package string with a colon ("7.2.22Debian 1:7.2+dfsg-7").
        if t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            if let v @ Verdict::Ok = self.bare_version_line(no, t) {
                return v;
            }
        }
        let Some((label, value)) = find::label_value(t) else { return self.no_label_line(no, t) };
        // Most labels are lower-case already: no copy for them; the others on the stack.
        let mut buf = [0; 64];
        let lower = if seen.has_upper() { find::ascii_lower(label, &mut buf) } else { label.into() };
        let lower = lower.as_ref();
        // `info migrate`'s globals (six a snapshot from QEMU 3.0 on) are no other reader's labels.
        if hmp_params::is_global(label) {
            return self.param_or_capability(no, t, label, value);
        }
        // The open snapshot's dialect first: virsh and HMP share a few labels.
        if let Some(o) = &self.open {
            let v = match o.family {
                snapshot::Family::Virsh => self.virsh_line(no, t, lower, value),
                snapshot::Family::VirshRaw => self.virsh_raw_line(no, t, lower, value),
                _ => Verdict::NotMine,
            };
            if !matches!(v, Verdict::NotMine) {
                return v;
            }
        }
        // A label one dialect rejects may be another's (virsh `Page size: 4096 bytes`
        // pasted without its `Job type:` line): the first reader that accepts wins,
        // else the first complaint stands.
        let mut complaint = None;
        for reader in
            [Self::hmp_old_line, Self::hmp10_line, Self::virsh_start_line, Self::virsh_raw_line, Self::virsh_line]
        {
            match reader(self, no, t, lower, value) {
                Verdict::Ok => return Verdict::Ok,
                Verdict::Bad(e) => complaint = complaint.or(Some(e)),
                Verdict::NotMine => {}
            }
        }
        if let Some(e) = complaint {
            return Verdict::Bad(e);
        }
        if let v @ (Verdict::Ok | Verdict::Bad(_)) = self.version_label_line(no, t, lower, value) {
            return v;
        }
        if let v @ (Verdict::Ok | Verdict::Bad(_)) = self.virsh_misc_line(lower) {
            return v;
        }
        self.param_or_capability(no, t, label, value)
    }

    /// Counts a used line once (human-monitor-command lines share their JSON line).
    pub(crate) fn understood(&mut self, no: usize) {
        if no > self.counted_upto {
            self.paste.lines_understood += 1;
            self.counted_upto = no;
        }
    }

    /// Records a diagnostic naming the line and what was expected there.
    pub(crate) fn error(&mut self, no: usize, text: &str, expected: &str) {
        self.error_total += 1;
        if self.paste.errors.len() < MAX_ERRORS {
            self.paste.errors.push(Diagnostic {
                line: no,
                message: format!("line {no}: \"{}\": {expected}", values::clip(text, 100)),
            });
        }
    }

    fn finish(mut self) -> Paste {
        self.close();
        self.summarise();
        if self.error_total > self.paste.errors.len() {
            let more = self.error_total - self.paste.errors.len();
            let line = self.paste.errors.last().map(|d| d.line).unwrap_or(0);
            self.paste
                .errors
                .push(Diagnostic { line, message: format!("… and {more} more lines that were not understood") });
        }
        self.paste
    }

    /// Lines following a header (`socket address: [`, `Outgoing migration blocked:`, ...).
    fn sub_block_line(&mut self, _no: usize, text: &str) -> Verdict {
        if self.sub == Sub::None {
            return Verdict::NotMine;
        }
        let t = find::trim(text);
        // A whole block may be indented: a sub-block line is one indented past its header.
        let indented = text.len() - find::trim_start(text).len() > self.sub_indent;
        match self.sub {
            Sub::None => Verdict::NotMine,
            Sub::Sockets => {
                if t == "]" {
                    self.sub = Sub::None;
                }
                Verdict::Ok
            }
            Sub::Blocked if indented => Verdict::Ok,
            Sub::NumberList if t.starts_with('[') || t.chars().all(|c| c.is_ascii_digit() || ", []".contains(c)) => {
                if t.ends_with(']') {
                    self.sub = Sub::None;
                }
                Verdict::Ok
            }
            Sub::LatencyDist if t.starts_with('[') && t.contains("]:") => Verdict::Ok,
            Sub::BitmapMapping if indented && t.contains("->") => Verdict::Ok,
            _ => {
                self.sub = Sub::None;
                Verdict::NotMine
            }
        }
    }

    /// Prompts and commands: `(qemu) info migrate`, `virsh # domjobinfo vm`, `$ virsh migrate-getmaxdowntime vm`.
    fn command_line(&mut self, t: &str, seen: find::Seen) -> Verdict {
        // Every command below starts with `(` or `info`, or has `virsh` or a prompt character.
        let prompt = seen.has(b'$') || seen.has(b'#') || seen.has(b'%');
        if !(matches!(t.as_bytes().first(), Some(b'(' | b'i')) || seen.has(b'v') || prompt) {
            return Verdict::NotMine;
        }
        let cmd = if let Some(rest) = t.strip_prefix("(qemu)") {
            find::trim(rest)
        } else if let Some(rest) = t.strip_prefix("(QEMU)") {
            // qmp-shell's prompt: the reply that follows is JSON.
            self.close();
            self.command = if rest.trim().starts_with("query-migrate-capabilities") {
                Command::InfoCapabilities
            } else {
                Command::Other
            };
            return Verdict::Ok;
        } else if t.starts_with("info ") {
            t
        } else if let Some(v) = seen.has(b'v').then(|| virsh_command(t)).flatten() {
            self.close();
            self.command = v;
            return Verdict::Ok;
        } else if let Some(cmd) = prompt.then(|| annotation::after_shell_prompt(t)).flatten() {
            // `# after the first pass:` is a poster's remark: it leaves the snapshot open.
            if t.starts_with('#') && !annotation::looks_like_command(cmd) {
                return Verdict::Ok;
            }
            // `$ ./virsh ...`, `[root@host ~]# ...`: any shell command ends what came before.
            self.close();
            self.command = virsh_command(cmd).unwrap_or(Command::Other);
            self.caps_context = false;
            return Verdict::Ok;
        } else {
            return Verdict::NotMine;
        };
        let cmd = find::trim(cmd.trim_end_matches(':'));
        let mut words = cmd.split_whitespace();
        let command = match (words.next(), words.next()) {
            (None, _) => self.command,
            (Some("info"), Some("migrate")) => Command::InfoMigrate,
            (Some("info"), Some("migrate_parameters")) => Command::InfoParameters,
            (Some("info"), Some("migrate_capabilities")) => Command::InfoCapabilities,
            (Some("info"), Some("version")) => Command::InfoVersion,
            (Some("info"), Some(_)) if !t.starts_with("(qemu)") && cmd.split_whitespace().count() > 3 => {
                return Verdict::NotMine
            }
            _ => Command::Other,
        };
        self.close();
        self.command = command;
        self.caps_context = command == Command::InfoCapabilities;
        Verdict::Ok
    }

    /// Lines without a `label:`: bare numbers, versions, 10.1 XBZRLE continuation.
    fn no_label_line(&mut self, no: usize, t: &str) -> Verdict {
        if let v @ (Verdict::Ok | Verdict::Bad(_)) = self.bare_version_line(no, t) {
            return v;
        }
        if let v @ (Verdict::Ok | Verdict::Bad(_)) = self.hmp10_continuation(no, t) {
            return v;
        }
        if values::uint(t).is_some() || values::decimal(t).is_some() {
            return self.bare_number(no, t);
        }
        Verdict::NotMine
    }
}

/// Recognises a virsh command line, with or without a shell or `virsh #` prompt.
fn virsh_command(t: &str) -> Option<Command> {
    let rest = if let Some(r) = t.strip_prefix("virsh #") {
        r
    } else {
        let at = find::find(t, "virsh ")?;
        let before = t.get(..at)?.trim_end();
        let prompt_ok = before.is_empty()
            || before.ends_with('$')
            || before.ends_with('#')
            || before.ends_with('>')
            || before.ends_with('/')
            || before.ends_with("sudo");
        if !prompt_ok {
            return None;
        }
        t.get(at + "virsh ".len()..)?
    };
    let mut skip_next = false;
    for w in rest.split_whitespace() {
        if skip_next {
            skip_next = false;
            continue;
        }
        if w == "-c" || w == "--connect" {
            skip_next = true;
            continue;
        }
        if w.starts_with('-') {
            continue;
        }
        return Some(match w {
            "migrate-getmaxdowntime" => Command::GetMaxDowntime,
            "migrate-getspeed" => Command::GetSpeed,
            _ => Command::Other,
        });
    }
    Some(Command::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virsh_command_lines() {
        assert_eq!(virsh_command("virsh # migrate-getmaxdowntime vm"), Some(Command::GetMaxDowntime));
        assert_eq!(virsh_command("root@h:~# virsh -c qemu:///system migrate-getspeed vm"), Some(Command::GetSpeed));
        assert_eq!(virsh_command("$ sudo virsh domjobinfo vm"), Some(Command::Other));
        assert_eq!(virsh_command("the virsh command"), None);
    }

    #[test]
    fn versions() {
        assert_eq!(version::read_version("10.2.2"), Some((10, 2, 2)));
        assert_eq!(version::read_version("7.2.22Debian 1:7.2+dfsg-7"), Some((7, 2, 22)));
        assert_eq!(version::read_version("866.83"), None);
        assert_eq!(version::read_version("1.2.3.4"), None);
        assert_eq!(version::read_version("99999999999.1.1"), None);
    }

    #[test]
    fn line_numbers_survive_blank_lines_and_json_blocks() {
        let p = parse("\n\n{\n \"return\": {}\n}\nMigration status: active\n\nremaining ram: 1 kbytes\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.snapshots[0].first_line, 6);
        assert_eq!(p.snapshots[0].remaining.as_ref().map(|f| f.source.line), Some(8));
        assert_eq!(p.lines_understood, 5);
    }

    #[test]
    fn too_many_errors_are_summarised() {
        let p = parse(&"nonsense\n".repeat(MAX_ERRORS + 10));
        assert_eq!(p.errors.len(), MAX_ERRORS + 1);
        assert!(p.errors[MAX_ERRORS].message.contains("10 more"));
    }
}
