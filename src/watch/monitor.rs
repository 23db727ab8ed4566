//! What `watch` needs from QEMU, whichever way it is reached: run one QMP command
//! and get its `return` value, and set the downtime-limit.

use crate::core::advice::commands::{render, Interface, Setting, DOMAIN};
use serde_json::Value;
use std::fmt;

/// Why watching could not go on. Every variant names what failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Connecting failed: socket missing, refused, host unreachable.
    Connect { target: String, reason: String },
    /// The peer accepted the connection but never sent a QMP greeting.
    NoGreeting { target: String, reason: String },
    /// QEMU answered a command with `{"error": ...}`.
    ErrorReply { command: String, class: String, desc: String },
    /// The monitor connection closed: QEMU exited or was killed.
    Closed { target: String, during: String },
    /// The peer sent something that is not QMP, or timed out.
    Protocol { target: String, reason: String },
    /// virsh failed (domain missing, libvirtd down, domain not running).
    Virsh { command: String, status: String, stderr: String },
    /// There is no migration to watch.
    NotMigrating { target: String, status: String },
    /// The --record file could not be created.
    Record(String),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Connect { target, reason } => write!(f, "cannot connect to QMP at {target}: {reason}"),
            Fault::NoGreeting { target, reason } => {
                write!(f, "{target} sent no QMP greeting ({reason}): is it a QMP socket (-qmp, not -monitor)?")
            }
            Fault::ErrorReply { command, class, desc } => write!(f, "QEMU refused {command}: {class}: {desc}"),
            Fault::Closed { target, during } => {
                write!(f, "the monitor at {target} closed during {during}: QEMU exited or was killed")
            }
            Fault::Protocol { target, reason } => write!(f, "QMP protocol error on {target}: {reason}"),
            Fault::Virsh { command, status, stderr } => write!(f, "{command} failed ({status}): {}", stderr.trim()),
            Fault::Record(reason) => f.write_str(reason),
            Fault::NotMigrating { target, status } => {
                write!(f, "{target} is not migrating (query-migrate status: {status}): start the migration first")
            }
        }
    }
}

pub trait Monitor {
    /// What the monitor is, for messages: the socket path, HOST:PORT, or the domain.
    fn target(&self) -> String;
    /// Runs one QMP command; `Ok` carries the `return` value.
    fn execute(&mut self, command: &str, arguments: Option<Value>) -> Result<Value, Fault>;
    /// Sets one parameter with the engine's own command for this interface
    /// (`core::advice::commands::render`); returns the command as sent.
    fn apply(&mut self, setting: &Setting) -> Result<String, Fault>;
}

/// Sends the engine's rendered QMP command as it is printed: what the user would paste.
pub fn apply_qmp(m: &mut dyn Monitor, setting: &Setting) -> Result<String, Fault> {
    let cmd = render(setting, Interface::Qmp, DOMAIN).unwrap_or_default();
    let v: Value = serde_json::from_str(&cmd)
        .map_err(|e| Fault::Protocol { target: m.target(), reason: format!("the engine's QMP command {cmd}: {e}") })?;
    let name = v.get("execute").and_then(Value::as_str).unwrap_or_default().to_string();
    m.execute(&name, v.get("arguments").cloned())?;
    Ok(cmd)
}
