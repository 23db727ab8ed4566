//! The commands that set a downtime-limit, for every interface the user may have.

use crate::core::units::group;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Commands {
    /// HMP, QEMU 2.8+ (milliseconds).
    pub hmp: String,
    /// QMP.
    pub qmp: String,
    /// libvirt (milliseconds).
    pub virsh: String,
    /// HMP before downtime-limit existed: the seconds-based command.
    pub hmp_old_seconds: String,
}

/// `DOMAIN` stands for the libvirt domain name, which the paste does not carry.
pub fn for_limit(ms: f64) -> Commands {
    let n = ms.round().max(1.0) as u64;
    let secs = ms / 1000.0;
    Commands {
        hmp: format!("migrate_set_parameter downtime-limit {n}"),
        qmp: format!("{{\"execute\": \"migrate-set-parameters\", \"arguments\": {{\"downtime-limit\": {n}}}}}"),
        virsh: format!("virsh migrate-setmaxdowntime DOMAIN {n}"),
        hmp_old_seconds: format!("migrate_set_downtime {}", group(secs, 3).replace(',', "")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_interface_gets_the_same_limit() {
        let c = super::for_limit(4500.0);
        assert_eq!(c.hmp, "migrate_set_parameter downtime-limit 4500");
        assert_eq!(c.qmp, r#"{"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 4500}}"#);
        assert_eq!(c.virsh, "virsh migrate-setmaxdowntime DOMAIN 4500");
        assert_eq!(c.hmp_old_seconds, "migrate_set_downtime 4.5");
        assert_eq!(super::for_limit(12_000.0).hmp_old_seconds, "migrate_set_downtime 12");
    }
}
