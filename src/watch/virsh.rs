//! libvirt owns a domain's QMP socket, so `--virsh` reaches QEMU through virsh:
//! `qemu-monitor-command` for QMP, `migrate-setmaxdowntime` to set the limit, and
//! `domjobinfo --completed` for the result once the source QEMU has stopped.

use super::monitor::{apply_qmp, Fault, Monitor};
use crate::core::advice::commands::{render, Interface, Setting, DOMAIN};
use serde_json::{json, Value};
use std::process::Command;

pub struct Virsh {
    pub domain: String,
    pub connect: Option<String>,
}

impl Virsh {
    fn virsh(&self, args: &[&str]) -> Result<String, Fault> {
        let mut c = Command::new("virsh");
        if let Some(uri) = &self.connect {
            c.args(["-c", uri]);
        }
        c.args(args);
        let shown = format!("virsh {}", args.join(" "));
        let out = c.output().map_err(|e| Fault::Virsh {
            command: shown.clone(),
            status: "not run".into(),
            stderr: e.to_string(),
        })?;
        if !out.status.success() {
            let status = out.status.code().map(|c| format!("exit {c}")).unwrap_or_else(|| "killed".into());
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            return Err(Fault::Virsh { command: shown, status, stderr });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// libvirt's record of the finished job (`Job type: Completed`, `Total downtime`).
    pub fn completed_job(&self) -> Result<String, Fault> {
        self.virsh(&["domjobinfo", &self.domain, "--completed"])
    }
}

impl Monitor for Virsh {
    fn target(&self) -> String {
        format!("libvirt domain {}", self.domain)
    }

    fn execute(&mut self, command: &str, arguments: Option<Value>) -> Result<Value, Fault> {
        let mut msg = json!({ "execute": command });
        if let Some(a) = arguments {
            msg["arguments"] = a;
        }
        let out = self.virsh(&["qemu-monitor-command", &self.domain, &msg.to_string()])?;
        let v: Value = serde_json::from_str(out.trim()).map_err(|e| Fault::Protocol {
            target: self.target(),
            reason: format!("virsh qemu-monitor-command {command}: not JSON ({e})"),
        })?;
        if let Some(e) = v.get("error") {
            let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            return Err(Fault::ErrorReply { command: command.into(), class: s("class"), desc: s("desc") });
        }
        v.get("return").cloned().ok_or_else(|| Fault::Protocol {
            target: self.target(),
            reason: format!("{command}: reply without return"),
        })
    }

    /// virsh's own command where libvirt has one (downtime-limit, max-bandwidth), else the
    /// QMP command through `qemu-monitor-command` (avail-switchover-bandwidth).
    fn apply(&mut self, setting: &Setting) -> Result<String, Fault> {
        let Some(cmd) = render(setting, Interface::Virsh, DOMAIN) else { return apply_qmp(self, setting) };
        // The rendered words, with the placeholder replaced by the domain as one argument.
        let words: Vec<&str> =
            cmd.split_whitespace().skip(1).map(|w| if w == DOMAIN { self.domain.as_str() } else { w }).collect();
        self.virsh(&words)?;
        Ok(format!("virsh {}", words.join(" ")))
    }
}
