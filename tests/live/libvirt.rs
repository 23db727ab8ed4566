//! Two libvirt session daemons (no systemd here) as one unprivileged user, each with
//! its own HOME/XDG dirs and host_uuid (libvirt refuses a migration "to the same
//! host" otherwise), and a persistent TCG domain on the source (its completed-job
//! record outlives the migration). See live-qemu.md for the facts this follows.

#![allow(dead_code)]

use super::harness::{read, stop, wait_for};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

pub const USER: &str = "converge-live";
pub const DOMAIN: &str = "converge-live";

pub struct Libvirt {
    pub dir: PathBuf,
    daemons: Vec<Child>,
    pub src_uri: String,
    pub dst_uri: String,
}

fn ensure_user() {
    let known = Command::new("id").arg(USER).stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !known.is_ok_and(|s| s.success()) {
        let ok =
            Command::new("useradd").args(["-r", "-M", "-s", "/usr/sbin/nologin", "-d", "/nonexistent", USER]).status();
        assert!(ok.is_ok_and(|s| s.success()), "useradd {USER} (the live tests run as root in CI)");
    }
}

/// Runs a command as the unprivileged user with a clean environment.
pub fn as_user(home: &Path) -> Command {
    let mut c = Command::new("setpriv");
    c.args(["--reuid", USER, "--regid", USER, "--init-groups", "env", "-i", "PATH=/usr/sbin:/usr/bin"])
        .arg(format!("HOME={}", home.display()));
    c
}

impl Libvirt {
    pub fn start(name: &str) -> Libvirt {
        ensure_user();
        // Under /tmp: every directory on the way must be reachable by the user.
        let dir = PathBuf::from(format!("/tmp/converge-live-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let live = super::harness::live_dir();
        for f in ["vmlinuz", "initrd.gz"] {
            std::fs::copy(live.join(f), dir.join(f)).expect("guest built by make test-live");
        }
        let mut daemons = Vec::new();
        for side in ["src", "dst"] {
            let d = dir.join(side);
            for sub in ["home", "config/libvirt", "run", "cache"] {
                std::fs::create_dir_all(d.join(sub)).unwrap();
            }
            let uuid = std::fs::read_to_string("/proc/sys/kernel/random/uuid").unwrap();
            std::fs::write(d.join("config/libvirt/libvirtd.conf"), format!("host_uuid = \"{}\"\n", uuid.trim()))
                .unwrap();
        }
        let _ = Command::new("chown").args(["-R", &format!("{USER}:"), &dir.to_string_lossy()]).status();
        for side in ["src", "dst"] {
            let d = dir.join(side);
            let log = std::fs::File::create(d.join("libvirtd.log")).unwrap();
            let child = as_user(&d.join("home"))
                .arg(format!("XDG_CONFIG_HOME={}", d.join("config").display()))
                .arg(format!("XDG_RUNTIME_DIR={}", d.join("run").display()))
                .arg(format!("XDG_CACHE_HOME={}", d.join("cache").display()))
                .arg("libvirtd")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("libvirtd (make test-live installs libvirt-daemon-system)");
            daemons.push(child);
        }
        let uri = |side: &str| format!("qemu+unix:///session?socket={}/{side}/run/libvirt/libvirt-sock", dir.display());
        let lv = Libvirt { src_uri: uri("src"), dst_uri: uri("dst"), dir, daemons };
        for side in ["src", "dst"] {
            let sock = lv.dir.join(side).join("run/libvirt/libvirt-sock");
            wait_for(&format!("{side} libvirtd socket"), Duration::from_secs(30), || sock.exists());
        }
        lv
    }

    pub fn virsh(&self, uri: &str, args: &[&str]) -> Output {
        let o = Command::new("virsh").arg("-c").arg(uri).args(args).output().expect("virsh");
        o
    }

    fn domain_xml(&self, append: &str, console: &Path) -> String {
        let d = self.dir.display();
        format!(
            "<domain type='qemu'><name>{DOMAIN}</name><memory unit='MiB'>512</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>{d}/vmlinuz</kernel><initrd>{d}/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 {append}</cmdline></os>
  <features><acpi/></features><cpu mode='custom'><model>qemu64</model></cpu>
  <devices><serial type='file'><source path='{}'/><target port='0'/></serial></devices></domain>",
            console.display()
        )
    }

    /// Defines and starts the dirtier guest on the source; waits for "dirtier ready".
    pub fn start_guest(&self, append: &str) -> PathBuf {
        let console = self.dir.join("src-console.log");
        let xml = self.dir.join("domain.xml");
        std::fs::write(&xml, self.domain_xml(append, &console)).unwrap();
        for args in [vec!["define", &*xml.to_string_lossy()], vec!["start", DOMAIN]] {
            let o = self.virsh(&self.src_uri, &args);
            assert!(o.status.success(), "virsh {args:?}: {}", String::from_utf8_lossy(&o.stderr));
        }
        wait_for("the dirtier in the libvirt guest", Duration::from_secs(120), || {
            read(&console).contains("dirtier ready")
        });
        console
    }

    /// `virsh migrate --live` in the background (it returns when the migration ends), with
    /// the destination's console in its own file; returns the child and that file.
    pub fn migrate(&self, bandwidth_mib: u32) -> (Child, PathBuf) {
        self.migrate_as(&["migrate", "--live", DOMAIN, &self.dst_uri], bandwidth_mib)
    }

    /// `virsh ARGS` (a `virsh migrate` as printed, DEST_URI filled in) plus what loopback
    /// between two session daemons needs: the addresses, the cap and the destination XML.
    pub fn migrate_as(&self, args: &[&str], bandwidth_mib: u32) -> (Child, PathBuf) {
        let dst_console = self.dir.join("dst-console.log");
        let o = self.virsh(&self.src_uri, &["dumpxml", "--migratable", DOMAIN]);
        let xml = String::from_utf8_lossy(&o.stdout).replace("src-console.log", "dst-console.log");
        let dst_xml = self.dir.join("domain-dst.xml");
        std::fs::write(&dst_xml, xml).unwrap();
        let child = Command::new("virsh")
            .args(["-c", &self.src_uri])
            .args(args)
            .args(["--migrateuri", "tcp://127.0.0.1", "--listen-address", "127.0.0.1"])
            .args(["--bandwidth", &bandwidth_mib.to_string(), "--xml", &dst_xml.to_string_lossy()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("virsh migrate");
        (child, dst_console)
    }
}

impl Drop for Libvirt {
    fn drop(&mut self) {
        for uri in [self.src_uri.clone(), self.dst_uri.clone()] {
            let _ = self.virsh(&uri, &["destroy", DOMAIN]);
            let _ = self.virsh(&uri, &["undefine", DOMAIN]);
        }
        for d in &mut self.daemons {
            stop(d);
        }
    }
}
