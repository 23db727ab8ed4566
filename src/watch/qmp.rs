//! A QMP client over a unix socket or TCP: read the greeting, negotiate
//! capabilities, then one JSON command per line. Replies are matched by `id`;
//! asynchronous events arriving in between are kept, not mistaken for replies.

use super::monitor::{apply_qmp, Fault, Monitor};
use crate::core::advice::commands::Setting;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// How long a greeting may take (QEMU sends it at once on accept).
const GREETING_WAIT: Duration = Duration::from_secs(5);
/// How long one reply may take: a busy TCG host can be slow, never this slow.
const REPLY_WAIT: Duration = Duration::from_secs(30);

enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    fn try_clone(&self) -> std::io::Result<Stream> {
        Ok(match self {
            Stream::Unix(s) => Stream::Unix(s.try_clone()?),
            Stream::Tcp(s) => Stream::Tcp(s.try_clone()?),
        })
    }
    fn set_read_timeout(&self, d: Duration) -> std::io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_read_timeout(Some(d)),
            Stream::Tcp(s) => s.set_read_timeout(Some(d)),
        }
    }
}

impl std::io::Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Unix(s) => s.write(buf),
            Stream::Tcp(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Unix(s) => s.flush(),
            Stream::Tcp(s) => s.flush(),
        }
    }
}

/// HOST:PORT when the text ends in `:digits` and is not a path; else a unix socket path.
pub fn is_tcp(target: &str) -> bool {
    !target.contains('/') && target.rsplit_once(':').is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok())
}

pub struct QmpClient {
    target: String,
    reader: BufReader<Stream>,
    writer: Stream,
    next_id: u64,
    /// Events received while waiting for replies (MIGRATION, STOP, RESUME...).
    pub events: Vec<Value>,
    /// QEMU's version from the greeting, "10.0.2".
    pub version: Option<String>,
}

fn io_fault(target: &str, during: &str, e: std::io::Error) -> Fault {
    match e.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => {
            Fault::Protocol { target: target.into(), reason: format!("no reply to {during} within the timeout") }
        }
        ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset | ErrorKind::BrokenPipe => {
            Fault::Closed { target: target.into(), during: during.into() }
        }
        _ => Fault::Protocol { target: target.into(), reason: format!("{during}: {e}") },
    }
}

impl QmpClient {
    /// Connects, reads the greeting and sends `qmp_capabilities`.
    pub fn connect(target: &str) -> Result<QmpClient, Fault> {
        let stream = if is_tcp(target) {
            let addrs: Vec<_> = target
                .to_socket_addrs()
                .map_err(|e| Fault::Connect { target: target.into(), reason: e.to_string() })?
                .collect();
            let mut last = None;
            let mut found = None;
            for a in addrs {
                match TcpStream::connect_timeout(&a, GREETING_WAIT) {
                    Ok(s) => {
                        found = Some(s);
                        break;
                    }
                    Err(e) => last = Some(e),
                }
            }
            match found {
                Some(s) => Stream::Tcp(s),
                None => {
                    let reason = last.map(|e| e.to_string()).unwrap_or_else(|| "no address".into());
                    return Err(Fault::Connect { target: target.into(), reason });
                }
            }
        } else {
            let s = UnixStream::connect(target)
                .map_err(|e| Fault::Connect { target: target.into(), reason: e.to_string() })?;
            Stream::Unix(s)
        };
        let proto = |e: std::io::Error| Fault::Protocol { target: target.into(), reason: e.to_string() };
        stream.set_read_timeout(GREETING_WAIT).map_err(proto)?;
        let writer = stream.try_clone().map_err(proto)?;
        let mut c = QmpClient {
            target: target.into(),
            reader: BufReader::new(stream),
            writer,
            next_id: 1,
            events: Vec::new(),
            version: None,
        };
        let greeting = c.read_object("the greeting").map_err(|f| match f {
            Fault::Protocol { reason, .. } | Fault::Closed { during: reason, .. } => {
                Fault::NoGreeting { target: target.into(), reason }
            }
            other => other,
        })?;
        let Some(qmp) = greeting.get("QMP") else {
            return Err(Fault::NoGreeting { target: target.into(), reason: format!("got {greeting} instead") });
        };
        c.version = qmp.pointer("/version/qemu").map(|v| {
            let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
            format!("{}.{}.{}", n("major"), n("minor"), n("micro"))
        });
        c.reader.get_ref().set_read_timeout(REPLY_WAIT).map_err(proto)?;
        c.execute("qmp_capabilities", None)?;
        Ok(c)
    }

    fn read_object(&mut self, during: &str) -> Result<Value, Fault> {
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => return Err(Fault::Closed { target: self.target.clone(), during: during.into() }),
                Ok(_) => {}
                Err(e) => return Err(io_fault(&self.target, during, e)),
            }
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            return serde_json::from_str(t).map_err(|e| Fault::Protocol {
                target: self.target.clone(),
                reason: format!("{during}: not JSON ({e}): {}", t.chars().take(120).collect::<String>()),
            });
        }
    }
}

impl Monitor for QmpClient {
    fn target(&self) -> String {
        self.target.clone()
    }

    fn execute(&mut self, command: &str, arguments: Option<Value>) -> Result<Value, Fault> {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "execute": command, "id": id });
        if let Some(a) = arguments {
            msg["arguments"] = a;
        }
        let line = format!("{msg}\n");
        self.writer.write_all(line.as_bytes()).map_err(|e| io_fault(&self.target, command, e))?;
        loop {
            let v = self.read_object(command)?;
            if v.get("event").is_some() {
                self.events.push(v);
                continue;
            }
            if v.get("id").and_then(Value::as_u64) != Some(id) {
                continue; // a reply to someone else's id cannot be ours
            }
            if let Some(e) = v.get("error") {
                let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                return Err(Fault::ErrorReply { command: command.into(), class: s("class"), desc: s("desc") });
            }
            return match v.get("return") {
                Some(r) => Ok(r.clone()),
                None => Err(Fault::Protocol {
                    target: self.target.clone(),
                    reason: format!("{command}: reply without return: {v}"),
                }),
            };
        }
    }

    fn apply(&mut self, setting: &Setting) -> Result<String, Fault> {
        apply_qmp(self, setting)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tcp_or_unix() {
        assert!(super::is_tcp("127.0.0.1:4444"));
        assert!(super::is_tcp("localhost:4444"));
        assert!(!super::is_tcp("/run/qmp.sock"));
        assert!(!super::is_tcp("qmp.sock"));
        assert!(!super::is_tcp("dir/host:12"));
        assert!(!super::is_tcp(":12"));
    }
}
