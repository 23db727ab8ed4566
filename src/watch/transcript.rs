//! Every reply `watch` receives, kept as a QMP transcript (`-> command`,
//! `<- reply`, one JSON object a line): the text the engine re-reads each poll,
//! and with `--record FILE` the file that `converge FILE` and the page read later.

use serde_json::{json, Value};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Transcript {
    text: String,
    file: Option<(PathBuf, File)>,
    /// Set when writing the file failed: recording stopped, watching goes on.
    pub record_error: Option<String>,
}

impl Transcript {
    pub fn new(record: Option<&Path>) -> Result<Transcript, String> {
        let file = match record {
            Some(p) => Some((p.to_path_buf(), File::create(p).map_err(|e| format!("--record {}: {e}", p.display()))?)),
            None => None,
        };
        Ok(Transcript { text: String::new(), file, record_error: None })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn push(&mut self, chunk: &str) {
        self.text.push_str(chunk);
        if let Some((path, f)) = &mut self.file {
            // Flushed per entry: a watch that is killed still leaves a readable file.
            if let Err(e) = f.write_all(chunk.as_bytes()).and_then(|_| f.flush()) {
                self.record_error = Some(format!("--record {}: {e}; recording stopped", path.display()));
                self.file = None;
            }
        }
    }

    /// One QMP exchange, as a person would paste it from a QMP shell.
    pub fn qmp(&mut self, command: &str, arguments: Option<&Value>, reply: &Value) {
        let mut sent = json!({ "execute": command });
        if let Some(a) = arguments {
            sent["arguments"] = a.clone();
        }
        let received = json!({ "return": reply });
        self.push(&format!("-> {sent}\n<- {received}\n"));
    }

    /// Text a tool printed (virsh domjobinfo), under the command that printed it.
    pub fn raw(&mut self, command: &str, text: &str) {
        let body = text.trim_end();
        self.push(&format!("$ {command}\n{body}\n"));
    }
}
