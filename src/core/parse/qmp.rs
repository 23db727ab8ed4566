//! QMP replies: `query-migrate`, `query-migrate-parameters`,
//! `query-migrate-capabilities`, `query-version`, `human-monitor-command`
//! (whose string is HMP text), with or without the `{"return": ...}` wrapper,
//! on one line or pretty-printed, with `->` / `<-` transcript prefixes.
//! A JSON value is found by bracket matching that respects strings, read with
//! serde_json, and each value's source line is the line where its key is.

use super::quotes::Quotes;
use super::snapshot::{Family, Target};
use super::terminal::{self, Line};
use super::values::Val;
use super::{Command, Parser};
use crate::core::model::{CounterBug, Field, FlaggedCounter, Precision, Source, SourceText, Status};
use crate::core::units::{BytesPerSec, Millis};
use serde_json::Value;
use std::collections::HashMap;

/// Where a JSON value starts in a line: `{`, or `[` followed by `{`/end of line,
/// after optional `->` / `<-` transcript arrows.
pub(crate) fn json_start(text: &str) -> Option<usize> {
    // Most lines are out at their first byte.
    let first = super::find::first_nonblank(text)?;
    if first.is_ascii() && !matches!(first, b'{' | b'[' | b'-' | b'<') {
        return None;
    }
    let lead = text.len() - super::find::trim_start(text).len();
    let mut rest = text.get(lead..)?;
    let mut at = lead;
    for arrow in ["->", "<-"] {
        if let Some(r) = rest.strip_prefix(arrow) {
            let r2 = r.trim_start();
            at += rest.len() - r2.len();
            rest = r2;
            break;
        }
    }
    let mut chars = rest.chars();
    match chars.next()? {
        '{' => Some(at),
        '[' => {
            let next = chars.as_str().trim_start();
            (next.is_empty() || next.starts_with('{') || next.starts_with(']')).then_some(at)
        }
        _ => None,
    }
}

/// Can this line continue a pretty-printed JSON value?
fn continues_json(t: &str) -> bool {
    if t.is_empty() {
        return true;
    }
    if t.starts_with("->") || t.starts_with("<-") || t.starts_with("(qemu)") {
        return false;
    }
    let c = t.chars().next().unwrap_or(' ');
    "\"{}[],:-".contains(c)
        || c.is_ascii_digit()
        || t.starts_with("true")
        || t.starts_with("false")
        || t.starts_with("null")
        || t.starts_with("nan")
        || t.starts_with("inf")
        // Python's repr (old qmp-shell): `u'ram': {...`, `'status': ...`, `True`.
        || t.starts_with("u'")
        || t.starts_with('\'')
        || t.starts_with("True")
        || t.starts_with("False")
        || t.starts_with("None")
}

/// A line wrapped by a log or a mail client may cut a number in two (`2601` / `45792`): the
/// halves are joined without a separator (JSON never has a digit on both sides of a line
/// break otherwise). A cut inside a string is joined the same way by the scan.
fn mid_token(before: &str, next: &str) -> bool {
    let numeric = |c: char| c.is_ascii_digit() || c == '.';
    before.chars().next_back().is_some_and(|c| numeric(c) || c == '-') && next.chars().next().is_some_and(numeric)
}

/// Lines that begin a new record and so can never continue a wrapped value.
pub(crate) fn starts_record(t: &str) -> bool {
    t.is_empty() || super::logs::is_log_line(t) || t.starts_with("(qemu)") || json_start(t) == Some(0)
}

/// One bracket-matched JSON text and where its pieces came from.
struct Scan {
    text: String,
    /// (offset in `text`, paste line number), in order.
    line_map: Vec<(usize, usize)>,
    /// Index (in the lines given) of the last line used.
    end_idx: usize,
    /// Byte offset just after the value in that line (when closed).
    end_col: usize,
    closed: bool,
}

fn scan(lines: &[Line], i: usize, col: usize) -> Scan {
    let mut s = Scan { text: String::new(), line_map: Vec::new(), end_idx: i, end_col: 0, closed: false };
    let (mut depth, mut quotes) = (0usize, Quotes::default());
    let mut idx = i;
    let mut start = col;
    // Lines joined inside a string (a wrap in the middle of one): a few at most.
    let mut string_wraps = 0;
    while let Some(line) = lines.get(idx) {
        let t = line.text.trim();
        let mut joined = false;
        if idx > i {
            if quotes.inside() {
                string_wraps += 1;
                if string_wraps > 8 || starts_record(t) {
                    break;
                }
                joined = true;
            } else if mid_token(&s.text, t) {
                joined = true;
            } else if !continues_json(t) {
                break;
            }
            if !joined {
                s.text.push('\n');
            }
        }
        // A wrapped line's own indentation is the mail's, not the value's.
        let seg = if joined { t } else { line.text.get(start..).unwrap_or("") };
        let seg_start = if joined { line.text.len() - line.text.trim_start().len() } else { start };
        s.line_map.push((s.text.len(), line.no));
        s.end_idx = idx;
        for (k, c) in seg.char_indices() {
            if quotes.step(c) {
                continue;
            }
            match c {
                '{' | '[' => depth += 1,
                '}' | ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        s.text.push_str(seg.get(..=k).unwrap_or(seg));
                        s.end_col = seg_start + k + 1;
                        s.closed = true;
                        return s;
                    }
                }
                _ => {}
            }
        }
        s.text.push_str(seg);
        idx += 1;
        start = 0;
    }
    s
}

/// Python's repr of a QMP reply, as old `qmp-shell` printed it: `u'...'` / `'...'` strings,
/// `True`, `False`, `None`, `123L`. Rewritten in place to JSON of the same length (so every
/// offset stays); None when it is not that (no single quote), or cannot be kept that length.
fn python_repr_to_json(text: &str) -> Option<String> {
    // Read as a Value, the type the reply is read as anyway, not as IgnoredAny, whose own
    // skipping code came into the page for this check alone. The two differ only on JSON
    // IgnoredAny accepts and a Value does not (a number beyond f64, nesting past 128); on
    // such text the rewrite below changes nothing, so the text read after is the same.
    if !text.contains('\'') || serde_json::from_str::<Value>(text).is_ok() {
        return None;
    }
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    // `\'` would need a different length in JSON: give up on anything but plain strings.
                    if b.get(i + 1) == Some(&b'\'') {
                        return None;
                    }
                    i += 2;
                    continue;
                }
                if c == q {
                    out[i] = b'"';
                    quote = None;
                } else if c == b'"' && q == b'\'' {
                    return None;
                }
            }
            None => {
                let word_start = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
                if c == b'\'' || c == b'"' {
                    out[i] = b'"';
                    quote = Some(c);
                } else if (c == b'u' && word_start && b.get(i + 1) == Some(&b'\''))
                    || (c == b'L' && i > 0 && b[i - 1].is_ascii_digit())
                {
                    // `u'` (unicode string) and `123L` (Python 2 long): the letter goes.
                    out[i] = b' ';
                } else if word_start {
                    for (py, js) in [("True", "true"), ("False", "false"), ("None", "null")] {
                        let end = i + py.len();
                        let whole = b.get(end).is_none_or(|e| !e.is_ascii_alphanumeric());
                        if text.get(i..end) == Some(py) && whole {
                            out[i..end].copy_from_slice(js.as_bytes());
                        }
                    }
                }
            }
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// QEMU prints a double that is not a number as `nan`, `-nan`, `inf` (`"mbps": -nan`), which
/// JSON does not allow. Each such bare word outside strings becomes a string of the same
/// length (so every offset stays), and is returned with where it was.
fn quote_non_numbers(text: &str) -> Option<(String, Vec<(usize, String)>)> {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut found = Vec::new();
    let mut quotes = Quotes::default();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // Only '"' and '\\' matter to the string state: any other byte stands for itself.
        if quotes.step(c as char) {
            i += 1;
            continue;
        }
        if c == b'-' || c == b'+' || c.is_ascii_alphabetic() {
            let end = (i + 1..b.len())
                .find(|&j| !(b[j].is_ascii_alphanumeric() || b[j] == b'(' || b[j] == b')'))
                .unwrap_or(b.len());
            let word = text.get(i..end).unwrap_or("");
            let body = word.trim_start_matches(['-', '+']).to_ascii_lowercase();
            if matches!(body.as_str(), "nan" | "inf" | "infinity" | "nan(ind)") && word.len() >= 3 {
                out[i] = b'"';
                for o in out.iter_mut().take(end - 1).skip(i + 1) {
                    *o = b'x';
                }
                out[end - 1] = b'"';
                found.push((end, word.to_string()));
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    if found.is_empty() {
        return None;
    }
    Some((String::from_utf8(out).ok()?, found))
}

impl Scan {
    fn line_at(&self, offset: usize) -> usize {
        let k = self.line_map.partition_point(|(o, _)| *o <= offset);
        self.line_map.get(k.saturating_sub(1)).map(|(_, n)| *n).unwrap_or(0)
    }
    fn first_line(&self) -> usize {
        self.line_map.first().map(|(_, n)| *n).unwrap_or(0)
    }
    fn last_line(&self) -> usize {
        self.line_map.last().map(|(_, n)| *n).unwrap_or(0)
    }
}

/// Key path ("return.ram.remaining") -> byte range of `"key": value` in the JSON text.
type Positions = HashMap<String, (usize, usize)>;

/// Records where every scalar value is. Runs only on text serde_json accepted, whose
/// nesting serde limits to 128 levels, so the recursion is bounded.
fn walk(b: &[u8], pos: &mut usize, path: &str, key_start: usize, out: &mut Positions, level: usize) {
    skip_ws(b, pos);
    if level > 200 {
        return;
    }
    match b.get(*pos) {
        Some(b'{') => {
            *pos += 1;
            loop {
                skip_ws(b, pos);
                match b.get(*pos) {
                    Some(b'"') => {}
                    Some(b'}') | None => {
                        *pos += 1;
                        return;
                    }
                    _ => {
                        *pos += 1;
                        continue;
                    }
                }
                let ks = *pos;
                let key = read_string(b, pos);
                skip_ws(b, pos);
                if b.get(*pos) == Some(&b':') {
                    *pos += 1;
                }
                let child = if path.is_empty() { key } else { format!("{path}.{key}") };
                walk(b, pos, &child, ks, out, level + 1);
                skip_ws(b, pos);
                if b.get(*pos) == Some(&b',') {
                    *pos += 1;
                }
            }
        }
        Some(b'[') => {
            *pos += 1;
            let mut n = 0;
            loop {
                skip_ws(b, pos);
                match b.get(*pos) {
                    Some(b']') | None => {
                        *pos += 1;
                        return;
                    }
                    Some(b',') => {
                        *pos += 1;
                        continue;
                    }
                    _ => {}
                }
                let vs = *pos;
                let before = *pos;
                walk(b, pos, &format!("{path}.{n}"), vs, out, level + 1);
                if *pos == before {
                    *pos += 1;
                }
                n += 1;
            }
        }
        Some(b'"') => {
            read_string(b, pos);
            out.insert(path.to_string(), (key_start, *pos));
        }
        Some(_) => {
            while let Some(c) = b.get(*pos) {
                if matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace() {
                    break;
                }
                *pos += 1;
            }
            out.insert(path.to_string(), (key_start, *pos));
        }
        None => {}
    }
}

fn skip_ws(b: &[u8], pos: &mut usize) {
    while b.get(*pos).is_some_and(|c| c.is_ascii_whitespace()) {
        *pos += 1;
    }
}

/// Reads a JSON string starting at its opening quote; returns its raw content.
fn read_string(b: &[u8], pos: &mut usize) -> String {
    *pos += 1;
    let start = *pos;
    let mut esc = false;
    while let Some(&c) = b.get(*pos) {
        *pos += 1;
        if esc {
            esc = false;
        } else if c == b'\\' {
            esc = true;
        } else if c == b'"' {
            break;
        }
    }
    let end = pos.saturating_sub(1).max(start);
    String::from_utf8_lossy(b.get(start..end).unwrap_or(&[])).into_owned()
}

/// A reader's view of one JSON value: the text, the positions, and a path prefix.
struct Doc<'a> {
    scan: &'a Scan,
    pos: Positions,
    /// Paths whose value was `nan`/`inf` in the text, with what was printed.
    bad: HashMap<String, String>,
}

impl Doc<'_> {
    /// Source of the value at `path`: its key's line and the `"key": value` text.
    fn source(&self, path: &str, unit: &str) -> Source {
        match self.pos.get(path) {
            Some(&(a, b)) => {
                let raw = self.scan.text.get(a..b).unwrap_or("");
                let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
                Source { line: self.scan.line_at(a), raw: raw.into(), unit: super::values::unit_text(unit) }
            }
            None => Source {
                line: self.scan.first_line(),
                // The last key of the path (rsplit_once: the page has no other backward str split).
                raw: path.rsplit_once('.').map_or(path, |(_, key)| key).into(),
                unit: super::values::unit_text(unit),
            },
        }
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn qmp_target(key: &str) -> Option<Target> {
    Some(match key {
        "total-time" => Target::TotalTime,
        "setup-time" => Target::Setup,
        "expected-downtime" => Target::Expected,
        "downtime" => Target::Downtime,
        "cpu-throttle-percentage" => Target::Throttle,
        _ => return None,
    })
}

fn ram_target(key: &str) -> Option<Target> {
    Some(match key {
        "transferred" => Target::Transferred,
        "remaining" => Target::Remaining,
        "total" => Target::Total,
        "mbps" => Target::Mbps,
        "dirty-pages-rate" => Target::Dirty,
        "page-size" => Target::PageSize,
        "dirty-sync-count" => Target::Syncs,
        "pages-per-second" => Target::Pps,
        "downtime-bytes" => Target::DowntimeBytes,
        _ => return None,
    })
}

impl Parser {
    /// Reads the JSON value starting at `lines[i]`, column `col`, and any further values or
    /// text after it on its last line. Returns the index of the next line to read.
    pub(crate) fn json_block(&mut self, lines: &[Line], i: usize, col: usize, depth: usize) -> usize {
        let mut idx = i;
        let mut col = col;
        loop {
            let s = scan(lines, idx, col);
            let start_line = lines.get(idx).map(|l| l.no).unwrap_or(0);
            if !s.closed {
                let text = lines.get(idx).map(|l| l.text.trim()).unwrap_or("");
                // Every line it took is named: the value's start and how far it ran.
                let last = s.last_line();
                let span =
                    if last > start_line { format!(", lines {start_line}-{last} not read") } else { String::new() };
                self.error(
                    start_line,
                    text,
                    &format!("a JSON value that is not closed (a '}}' or ']' is missing{span})"),
                );
                return s.end_idx + 1;
            }
            // Old qmp-shell printed Python's repr (`{u'return': {u'mbps': 268.4, ...}}`).
            let json = python_repr_to_json(&s.text);
            let json_text = json.as_deref().unwrap_or(&s.text);
            let lenient = quote_non_numbers(json_text);
            let text = lenient.as_ref().map(|(t, _)| t.as_str()).unwrap_or(json_text);
            match serde_json::from_str::<Value>(text) {
                Ok(v) => {
                    for &(_, no) in &s.line_map {
                        self.understood(no);
                    }
                    let mut pos = Positions::new();
                    let mut p = 0;
                    walk(text.as_bytes(), &mut p, "", 0, &mut pos, 0);
                    let mut bad = HashMap::new();
                    for (end, word) in lenient.map(|(_, f)| f).unwrap_or_default() {
                        if let Some(path) = pos.iter().find(|(_, &(_, e))| e == end).map(|(k, _)| k.clone()) {
                            bad.insert(path, word);
                        }
                    }
                    let doc = Doc { scan: &s, pos, bad };
                    self.qmp_value(&v, &doc, depth);
                }
                Err(e) => {
                    let k = e.line().saturating_sub(1);
                    let no = s.line_map.get(k).map(|(_, n)| *n).unwrap_or(start_line);
                    let text = lines.iter().skip(idx).find(|l| l.no == no).map(|l| l.text.trim()).unwrap_or("");
                    let (first, last) = (s.first_line(), s.last_line());
                    let span = if last > first { format!(" (lines {first}-{last} not read)") } else { String::new() };
                    self.error(no, text, &format!("malformed JSON: {e}{span}"));
                }
            }
            // Whatever follows the value on its last line.
            let Some(last) = lines.get(s.end_idx) else { return s.end_idx + 1 };
            let rest = last.text.get(s.end_col..).unwrap_or("");
            // In a log line, what follows the value is the logger's (`: lexical error ...`, ` len=49`).
            if rest.trim().is_empty() || self.in_log {
                return s.end_idx + 1;
            }
            match json_start(rest) {
                Some(c) => {
                    idx = s.end_idx;
                    col = s.end_col + c;
                }
                None => {
                    self.text_line(last.no, rest, depth);
                    return s.end_idx + 1;
                }
            }
        }
    }

    fn qmp_value(&mut self, v: &Value, doc: &Doc, depth: usize) {
        match v {
            Value::Object(m) if m.contains_key("return") => {
                if let Some(r) = m.get("return") {
                    self.qmp_payload(r, doc, "return", depth);
                }
            }
            Value::Object(m) if m.contains_key("execute") => {
                self.close();
                let cmd = m.get("execute").and_then(Value::as_str).unwrap_or("");
                let hmp = m.get("arguments").and_then(|a| a.get("command-line")).and_then(Value::as_str);
                self.command = match (cmd, hmp) {
                    (_, Some(line)) if line.starts_with("info migrate_parameters") => Command::InfoParameters,
                    (_, Some(line)) if line.starts_with("info migrate_capabilities") => Command::InfoCapabilities,
                    (_, Some(line)) if line.starts_with("info migrate") => Command::InfoMigrate,
                    (_, Some(line)) if line.starts_with("info version") => Command::InfoVersion,
                    _ => Command::Other,
                };
                self.caps_context = self.command == Command::InfoCapabilities;
            }
            // Events, the greeting and errors carry nothing for the analysis.
            Value::Object(m) if m.contains_key("event") || m.contains_key("QMP") || m.contains_key("error") => {}
            other => self.qmp_payload(other, doc, "", depth),
        }
    }

    fn qmp_payload(&mut self, v: &Value, doc: &Doc, prefix: &str, depth: usize) {
        match v {
            Value::String(hmp) => {
                // human-monitor-command: HMP text, every line on the line of "return".
                let no = doc.source(prefix, "").line;
                self.close();
                for l in hmp.split('\n') {
                    self.text_line(no, &terminal::replay(l), depth + 1);
                }
                self.close();
            }
            Value::Array(items) => {
                for (k, item) in items.iter().enumerate() {
                    let (Some(name), Some(state)) =
                        (item.get("capability").and_then(Value::as_str), item.get("state").and_then(Value::as_bool))
                    else {
                        continue;
                    };
                    let src = doc.source(&join(prefix, &format!("{k}.capability")), "");
                    self.close();
                    self.set_capability(src.line, &src.raw, name, state);
                }
            }
            Value::Object(m) => {
                if let Some(q) = m.get("qemu") {
                    let num = |k: &str| q.get(k).and_then(Value::as_u64).map(|n| n.min(u32::MAX as u64) as u32);
                    if let (Some(a), Some(b), Some(c)) = (num("major"), num("minor"), num("micro")) {
                        let source = doc.source(&join(prefix, "qemu.major"), "");
                        self.paste.version = Some(crate::core::model::Version { major: a, minor: b, micro: c, source });
                    }
                } else if m.contains_key("running") {
                    // query-status: the VM's run state, not the migration's.
                } else if m.contains_key("status") || m.contains_key("ram") || m.contains_key("total-time") {
                    self.qmp_migrate(m, doc, prefix);
                } else if m.contains_key("downtime-limit")
                    || m.contains_key("max-bandwidth")
                    || m.contains_key("cpu-throttle-initial")
                {
                    self.qmp_parameters(m, doc, prefix);
                }
            }
            _ => {}
        }
    }

    fn qmp_migrate(&mut self, m: &serde_json::Map<String, Value>, doc: &Doc, prefix: &str) {
        self.start(Family::Qmp, doc.scan.first_line());
        let idx = self.paste.snapshots.len() - 1;
        if let Some(s) = self.paste.snapshots.get_mut(idx) {
            s.last_line = doc.scan.last_line();
            if let Some(st) = m.get("status").and_then(Value::as_str) {
                s.status = Some(Field::exact(Status::from_qemu(st), doc.source(&join(prefix, "status"), "")));
            }
            if let Some(e) = m.get("error-desc").and_then(Value::as_str) {
                s.error = Some(Field::exact(e.to_string(), doc.source(&join(prefix, "error-desc"), "")));
            }
        }
        for (k, v) in m {
            let path = join(prefix, k);
            match (v, qmp_target(k)) {
                (Value::String(_), t) if doc.bad.contains_key(&path) => {
                    self.qmp_not_a_number(doc, idx, &path, t.map(Target::name).unwrap_or(k))
                }
                (Value::Number(n), Some(t)) => self.qmp_put(doc, &path, t, n),
                (Value::Number(n), None) => self.qmp_extra(doc, idx, &path, k.clone(), n),
                (Value::Object(sub), _) => {
                    let group = if k == "xbzrle-cache" { "xbzrle" } else { k.as_str() };
                    for (k2, v2) in sub {
                        let path2 = join(&path, k2);
                        if doc.bad.contains_key(&path2) {
                            let name = match (k == "ram", ram_target(k2)) {
                                (true, Some(t)) => t.name().to_string(),
                                (true, None) => k2.clone(),
                                _ => format!("{group}-{k2}"),
                            };
                            self.qmp_not_a_number(doc, idx, &path2, &name);
                            continue;
                        }
                        let Value::Number(n) = v2 else { continue };
                        match (k == "ram", ram_target(k2)) {
                            (true, Some(t)) => self.qmp_put(doc, &path2, t, n),
                            (true, None) => self.qmp_extra(doc, idx, &path2, k2.clone(), n),
                            _ => self.qmp_extra(doc, idx, &path2, format!("{group}-{k2}"), n),
                        }
                    }
                }
                _ => {}
            }
        }
        self.close();
    }

    fn qmp_put(&mut self, doc: &Doc, path: &str, target: Target, n: &serde_json::Number) {
        let Some(v) = n.as_f64() else { return };
        let src = doc.source(path, "");
        let val = Val { v, precision: Precision::Exact, unit: SourceText::EMPTY, int: n.as_u64() };
        self.put(Family::Qmp, src.line, &src.raw, target, val);
    }

    /// `"mbps": -nan`: the reply was read without it; the snapshot says which field QEMU broke.
    fn qmp_not_a_number(&mut self, doc: &Doc, idx: usize, path: &str, field: &str) {
        let printed = doc.bad.get(path).cloned().unwrap_or_default();
        let bug = super::values::broken(&printed).unwrap_or(CounterBug::NotANumber);
        let source = doc.source(path, "");
        if let Some(s) = self.paste.snapshots.get_mut(idx) {
            s.flagged.push(FlaggedCounter { field: field.to_string(), printed, source, bug });
        }
    }

    fn qmp_extra(&mut self, doc: &Doc, idx: usize, path: &str, key: String, n: &serde_json::Number) {
        let Some(v) = n.as_f64() else { return };
        let source = doc.source(path, "");
        let Some(s) = self.paste.snapshots.get_mut(idx) else { return };
        // Rates and ratios (mbps of other channels, cache miss rate) are doubles; counts are not.
        if let Some(bug) = super::snapshot::impossible(v, n.as_u64(), "") {
            s.flagged.push(FlaggedCounter { field: key, printed: n.to_string(), source, bug });
            return;
        }
        if let Some(i) = n.as_u64().filter(|&i| i > super::snapshot::F64_EXACT) {
            s.exact.insert(key.clone(), i);
        }
        s.extra.insert(key.into(), Field::exact(v, source));
    }

    fn qmp_parameters(&mut self, m: &serde_json::Map<String, Value>, doc: &Doc, prefix: &str) {
        self.close();
        let p = &mut self.paste.parameters;
        for (k, v) in m {
            let src = doc.source(&join(prefix, k), "");
            let num = v.as_f64().filter(|x| x.is_finite());
            if let Some(n) = v.as_u64().filter(|&n| n > super::snapshot::F64_EXACT) {
                p.exact.insert(k.clone(), n);
            }
            match (super::hmp_params::canonical_parameter(k), num) {
                ("downtime-limit", Some(x)) => p.downtime_limit = Some(Field::exact(Millis(x), src)),
                ("max-bandwidth", Some(x)) => p.max_bandwidth = Some(Field::exact(BytesPerSec(x), src)),
                ("avail-switchover-bandwidth", Some(x)) => {
                    p.avail_switchover_bandwidth = Some(Field::exact(BytesPerSec(x), src))
                }
                ("cpu-throttle-initial", Some(x)) => p.cpu_throttle_initial = Some(Field::exact(x, src)),
                ("cpu-throttle-increment", Some(x)) => p.cpu_throttle_increment = Some(Field::exact(x, src)),
                ("max-cpu-throttle", Some(x)) => p.max_cpu_throttle = Some(Field::exact(x, src)),
                ("throttle-trigger-threshold", Some(x)) => p.throttle_trigger_threshold = Some(Field::exact(x, src)),
                _ => {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        Value::Bool(true) => "on".into(),
                        Value::Bool(false) => "off".into(),
                        // serde_json::to_string, not Display: the same compact text, but Display
                        // writes through an io::Error adapter whose error text and Debug
                        // (Unicode escape tables) came into the page with it. A Value has
                        // string keys only, so this cannot fail.
                        other => serde_json::to_string(other).unwrap_or_default(),
                    };
                    p.other.insert(k.clone(), Field::exact(text, src));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `python_repr_to_json` hands on: the rewrite, or the text itself.
    fn read_as(text: &str) -> String {
        python_repr_to_json(text).unwrap_or_else(|| text.to_string())
    }

    /// JSON that IgnoredAny accepts and a Value does not: the rewrite leaves it as it is,
    /// so checking validity as a Value (not IgnoredAny) reads the same text.
    #[test]
    fn json_only_ignored_any_accepts_is_read_unchanged() {
        let deep = format!("{}\"it's\"{}", "[".repeat(200), "]".repeat(200));
        let cases = [r#"{"return": {"error-desc": "can't", "mbps": 1e400}}"#, r#"["don't", -1e999, "\ud800'"]"#, &deep];
        for text in cases {
            assert!(serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok(), "{text}");
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
            assert_eq!(read_as(text), text);
        }
        // Python's repr is still rewritten.
        assert_eq!(
            read_as("{u'return': {u'mbps': 268.4, 'ok': True}}"),
            r#"{ "return": { "mbps": 268.4, "ok": true}}"#
        );
    }

    proptest::proptest! {
        #[test]
        fn json_ignored_any_accepts_is_never_rewritten(
            s in r"[a-zL' \\u0-9]{0,8}",
            n in r"-?[0-9]{1,3}(e[0-9]{1,3})?L?",
            words in r"[a-zA-Z_' ]{0,8}",
        ) {
            let t = format!(r#"{{"a": "{s}", "b": [{n}, "{words}", true, null], "u'c": {{}}}}"#);
            if serde_json::from_str::<serde::de::IgnoredAny>(&t).is_ok() {
                proptest::prop_assert_eq!(read_as(&t), t);
            }
        }
    }
}
