//! Keeps a huge paste's memory bounded. A paste of 200,000 snapshots is mostly the
//! same few numbers again; every analysis downstream costs per snapshot. Past
//! `CAP` snapshots, those that matter on their own (the first and last, every
//! first snapshot after a dirty sync, which the advice series is made of, status
//! changes, failures, flagged counters) are all kept, and of the rest every
//! `stride`-th, the stride doubling each time the cap is reached again: an even
//! sample over the whole paste. `Paste::summary` says that it happened.

use super::Parser;
use crate::core::model::Summary;

/// Snapshots kept before summarising (a 20-minute poll every 0.5 s is 2,400).
pub(crate) const CAP: usize = 4096;

/// The bookkeeping the parser carries for summarising.
#[derive(Default)]
pub(crate) struct Sampler {
    /// Snapshots started so far (the next one's `seq`).
    pub started: usize,
    /// Keep every `stride`-th ordinary snapshot.
    stride: usize,
    /// Per kept snapshot: does it matter on its own?
    important: Vec<bool>,
    /// The last closed snapshot, when it may go once another one follows.
    droppable: Option<usize>,
    prev_sync: Option<u64>,
    prev_status: Option<String>,
}

impl Parser {
    /// Before a new snapshot is pushed: drop the last one if it is not kept, thin if full.
    pub(crate) fn make_room(&mut self) {
        let snaps = &mut self.paste.snapshots;
        let sm = &mut self.sampler;
        if let Some(i) = sm.droppable.take() {
            if i + 1 == snaps.len() {
                snaps.pop();
                sm.important.truncate(snaps.len());
            }
        }
        sm.important.resize(snaps.len(), true);
        if snaps.len() < CAP {
            return;
        }
        sm.stride = sm.stride.max(1) * 2;
        let stride = sm.stride;
        let mut keep: Vec<bool> =
            snaps.iter().zip(&sm.important).map(|(s, &imp)| imp || s.seq.is_multiple_of(stride)).collect();
        // Too many that matter on their own (a sync every snapshot): every other one of those too.
        let mut k = 0;
        while keep.iter().filter(|&&b| b).count() > CAP * 3 / 4 {
            let mut nth = 0;
            for (i, b) in keep.iter_mut().enumerate() {
                if *b && i > 0 {
                    nth += 1;
                    if nth % 2 == 1 && i + 1 < snaps.len() {
                        *b = false;
                    }
                }
            }
            k += 1;
            if k > 64 {
                break;
            }
        }
        let mut it = keep.iter();
        snaps.retain(|_| it.next().copied().unwrap_or(true));
        let mut it = keep.iter();
        sm.important.retain(|_| it.next().copied().unwrap_or(true));
    }

    /// The number the next snapshot gets.
    pub(crate) fn next_seq(&mut self) -> usize {
        self.sampler.started += 1;
        self.sampler.started - 1
    }

    /// A snapshot is complete: does it matter on its own, or may it go?
    pub(crate) fn closed(&mut self, idx: usize) {
        let Some(s) = self.paste.snapshots.get(idx) else { return };
        let sm = &mut self.sampler;
        let sync = s.dirty_sync_count.as_ref().map(|c| c.value);
        let status = s.status.as_ref().map(|f| f.value.name().to_string());
        let important = s.seq == 0
            || (sync.is_some() && sync != sm.prev_sync)
            || (status.is_some() && status != sm.prev_status)
            || s.error.is_some()
            || !s.flagged.is_empty();
        if sync.is_some() {
            sm.prev_sync = sync;
        }
        if status.is_some() {
            sm.prev_status = status;
        }
        if let Some(b) = sm.important.get_mut(idx) {
            *b = important;
        } else {
            sm.important.resize(idx, true);
            sm.important.push(important);
        }
        if !important && !s.seq.is_multiple_of(sm.stride.max(1)) {
            sm.droppable = Some(idx);
        }
    }

    /// Says so in the paste when snapshots were left out.
    pub(crate) fn summarise(&mut self) {
        let read = self.sampler.started;
        let kept = self.paste.snapshots.len();
        if read > kept {
            self.paste.summary = Some(Summary { read, kept, stride: self.sampler.stride.max(1) });
        }
    }
}
