//! The capped-bandwidth effect. QEMU's estimate and switchover threshold use the
//! live phase's bandwidth, which max-bandwidth caps; for the final copy QEMU lifts
//! that cap, so the real pause can be far shorter than the estimate (the corpus's
//! completed runs sent 8.4 MiB in 6 ms after a 32 MiB/s live phase).
//! avail-switchover-bandwidth (QEMU 8.2+) tells QEMU the real switchover speed.

use super::commands::{self, Setting};
use super::inputs::ModelInputs;
use crate::core::units::*;
use serde::Serialize;

/// What a real capture showed (corpus run 10.0.2-D, QEMU 10.0.2 over loopback).
pub const MEASURED: &str = "Measured in a real capture: after a 32 MiB/s live phase, QEMU 10.0.2 sent the final 8.36 MiB (8,762,049 bytes) in a 6 ms downtime over loopback, about 1.46 GB/s; at the capped rate it would have taken 257 ms.";

/// Typical links, nominal line rate in bytes/s.
pub const LINKS: [(&str, BytesPerSec); 4] = [
    ("1 GbE", BytesPerSec(125e6)),
    ("10 GbE", BytesPerSec(1.25e9)),
    ("25 GbE", BytesPerSec(3.125e9)),
    ("100 GbE", BytesPerSec(12.5e9)),
];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkRow {
    pub label: String,
    pub bytes_per_s: BytesPerSec,
    /// Limit needed with avail-switchover-bandwidth set to this speed.
    pub limit_needed_ms: Millis,
    /// The limit in force is already enough at this speed.
    pub limit_in_force_enough: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SwitchoverBandwidth {
    pub live_bandwidth_bytes_per_ms: BytesPerMs,
    pub max_bandwidth_bytes_per_s: Option<BytesPerSec>,
    pub max_bandwidth_unlimited: bool,
    pub live_phase_capped: Option<bool>,
    pub pending_bytes: Bytes,
    /// Choice 1: leave the estimate alone and raise downtime-limit.
    pub limit_without_ms: Millis,
    pub link_bytes_per_ms: Option<BytesPerMs>,
    pub link_source: String,
    /// Choice 2: avail-switchover-bandwidth = link speed; the limit that then suffices,
    /// which is also about the pause at the link's speed.
    pub limit_with_avail_ms: Option<Millis>,
    pub supported: Option<bool>,
    pub links: Vec<LinkRow>,
    /// What the commands set: empty unless the user gave the link speed and the QEMU
    /// has avail-switchover-bandwidth (8.2+, or unknown).
    pub settings: Vec<Setting>,
    pub commands: Vec<String>,
    pub explanation: Vec<String>,
}

pub fn analyse(i: &ModelInputs, pending: Bytes) -> SwitchoverBandwidth {
    let live = i.bandwidth_bytes_per_ms;
    // What QEMU divides by: avail-switchover-bandwidth / 1000 when set, else the live phase's.
    let threshold_bw = i.threshold_bandwidth_bytes_per_ms;
    let avail_set = i.avail_switchover_bytes_per_s.filter(|a| a.0 > 0.0);
    let limit_without = pending / threshold_bw;
    let link = i.link_bytes_per_ms;
    let limit_with = link.map(|l| pending / l);
    let links = LINKS
        .iter()
        .map(|&(label, bps)| {
            let need = pending / bps.to_bytes_per_ms();
            LinkRow {
                label: label.into(),
                bytes_per_s: bps,
                limit_needed_ms: need,
                limit_in_force_enough: need < i.limit_ms,
            }
        })
        .collect();
    // A concrete value only from a link speed the user gave, and only where the QEMU has
    // the parameter: an invented speed above the real link makes QEMU stop the guest
    // with more pending than the link can send within the limit.
    let settings: Vec<Setting> = match (i.link_given_bytes_per_s, i.supports_avail_switchover) {
        (Some(l), Some(true) | None) => vec![Setting::avail_switchover(l)],
        _ => vec![],
    };
    // A loop, not flat_map + collect (an iterator type of its own in the page).
    let mut commands = Vec::new();
    for s in &settings {
        commands.extend(commands::render_all(s));
    }
    let mut ex = Vec::new();
    match i.live_phase_capped {
        Some(true) => {
            ex.push(format!(
                "The live phase runs at max-bandwidth ({}, measured {}). {} At switchover QEMU lifts the cap and the final copy runs at the link's speed.",
                human_rate(i.max_bandwidth_bytes_per_s.unwrap_or_default().to_bytes_per_ms()),
                human_rate(live),
                match avail_set {
                    Some(a) => format!("avail-switchover-bandwidth is set ({a}), so QEMU's expected downtime and its switchover threshold use {} instead of the capped bandwidth.", human_rate(a.to_bytes_per_ms())),
                    None => "QEMU's expected downtime and its switchover threshold both use this capped bandwidth.".to_string(),
                }
            ));
            ex.push(MEASURED.to_string());
        }
        Some(false) if i.max_bandwidth_unlimited => ex.push(
            "max-bandwidth is libvirt's \"unlimited\" (9223372036853727232 bytes/s = INT64_MAX / 2^20 MiB/s back in bytes/s): the live phase already runs at the link's speed, so avail-switchover-bandwidth would not change the estimate much.".into(),
        ),
        Some(false) => ex.push(format!(
            "The live phase runs below max-bandwidth ({}): the measured {} is what the link or the sender achieves, and the final copy will not be much faster.",
            human_rate(i.max_bandwidth_bytes_per_s.unwrap_or_default().to_bytes_per_ms()),
            human_rate(live)
        )),
        None => ex.push("max-bandwidth was not pasted: if the measured bandwidth is a cap (QEMU's default is 32 MiB/s before 5.2, 128 MiB/s since), the real pause is shorter than the estimate.".into()),
    }
    ex.push(format!(
        "Choice 1, raise downtime-limit: it must exceed {} / {} = {} ms{}.",
        human_bytes(pending),
        threshold_bw,
        group(limit_without.0, 0),
        if i.live_phase_capped == Some(true) {
            ", although the guest will not be paused that long"
        } else {
            ", and the guest is paused about that long"
        }
    ));
    let pre_8_2 = i.supports_avail_switchover == Some(false);
    match (link, limit_with) {
        _ if pre_8_2 => {}
        (Some(l), Some(need)) => ex.push(format!(
            "Choice 2, set avail-switchover-bandwidth to the link's {} ({}): QEMU then needs a limit above {} ms only, and the pause is about that long.",
            l.to_bytes_per_sec(),
            i.link_source,
            group(need.0, 0)
        )),
        _ if avail_set.is_some() => ex.push("Choice 2, set avail-switchover-bandwidth to the link's real speed rather than the value set now: the table gives the limit each link speed needs.".into()),
        _ => ex.push("Choice 2, set avail-switchover-bandwidth to the link's real speed: the table gives the limit each link speed needs.".into()),
    }
    if !pre_8_2 {
        ex.push("Do not set avail-switchover-bandwidth above what the link really delivers: QEMU would switch over believing the pause fits the limit, and the guest would stand still longer.".into());
        if i.link_given_bytes_per_s.is_none() {
            ex.push("No command is printed without the link speed: measure what the link between the two hosts really delivers (for example iperf3 from source to destination, or a completed migration's downtime bytes / downtime), then give it (--link-speed, or the page's link speed field).".into());
        }
    }
    match i.supports_avail_switchover {
        Some(false) => ex.push("This QEMU predates 8.2 and has no avail-switchover-bandwidth: raising max-bandwidth to the link's speed is the way to make the estimate honest.".into()),
        None => ex.push("avail-switchover-bandwidth needs QEMU 8.2 or later (the paste does not date this QEMU).".into()),
        Some(true) => {}
    }
    SwitchoverBandwidth {
        live_bandwidth_bytes_per_ms: live,
        max_bandwidth_bytes_per_s: i.max_bandwidth_bytes_per_s,
        max_bandwidth_unlimited: i.max_bandwidth_unlimited,
        live_phase_capped: i.live_phase_capped,
        pending_bytes: pending,
        limit_without_ms: limit_without,
        link_bytes_per_ms: link,
        link_source: i.link_source.clone(),
        limit_with_avail_ms: limit_with,
        supported: i.supports_avail_switchover,
        links,
        settings,
        commands,
        explanation: ex,
    }
}

/// For charts: the limit needed as a function of the switchover bandwidth (bytes/ms).
pub fn required_limit_vs_bandwidth(pending: Bytes, bandwidths: &[BytesPerMs]) -> Vec<(BytesPerMs, Millis)> {
    let mut rows = Vec::new();
    for &b in bandwidths {
        if b.0 > 0.0 {
            rows.push((b, pending / b));
        }
    }
    rows
}
