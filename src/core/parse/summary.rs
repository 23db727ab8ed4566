//! Keeps a huge paste's memory bounded. A paste of 200,000 snapshots is mostly the
//! same few numbers again; every analysis downstream costs per snapshot. Past
//! `CAP` snapshots, the parser keeps those that matter on their own (the first,
//! every first snapshot after a dirty sync, which the advice series is made of,
//! status changes, failures, flagged counters) and every `stride`-th of the rest,
//! the stride doubling whenever the sample outgrows its share: an even sample over
//! the whole paste. Should even the ones that matter outgrow theirs (a sync in every
//! snapshot), they are sampled evenly in turn (`boundary_stride`). The last snapshot
//! is always kept. `Paste::summary` says what was done.

use super::Parser;
use crate::core::model::Summary;

/// Snapshots kept before summarising (a 20-minute poll every 0.5 s is 2,400).
pub(crate) const CAP: usize = 4096;

/// What the sampler knows about one kept snapshot.
#[derive(Clone, Copy)]
struct Meta {
    /// Matters on its own (sync boundary, status change, failure, flag).
    important: bool,
    /// Among the important ones, its number.
    rank: usize,
}

/// The bookkeeping the parser carries for summarising.
#[derive(Default)]
pub(crate) struct Sampler {
    /// Snapshots started so far (the next one's `seq`).
    started: usize,
    /// Important snapshots seen so far.
    important_seen: usize,
    /// Keep every `stride`-th ordinary snapshot (0 means 1).
    stride: usize,
    /// Keep every `boundary_stride`-th important one (0 means 1).
    boundary_stride: usize,
    /// Per kept snapshot, in order (closed ones; the open one has none yet).
    meta: Vec<Meta>,
    /// The last closed snapshot, when it goes once another one follows.
    droppable: Option<usize>,
    prev_sync: Option<u64>,
    prev_status: Option<String>,
}

impl Sampler {
    fn keeps(&self, seq: usize, m: Meta) -> bool {
        if m.important {
            m.rank.is_multiple_of(self.boundary_stride.max(1))
        } else {
            seq.is_multiple_of(self.stride.max(1))
        }
    }
}

impl Parser {
    /// Before a new snapshot is pushed: drop the last one if it is not kept, thin if full.
    pub(crate) fn make_room(&mut self) {
        let snaps = &mut self.paste.snapshots;
        let sm = &mut self.sampler;
        if let Some(i) = sm.droppable.take() {
            if i + 1 == snaps.len() {
                snaps.pop();
                sm.meta.truncate(snaps.len());
            }
        }
        // Every snapshot in the list has been closed by now.
        sm.meta.resize(snaps.len(), Meta { important: true, rank: 0 });
        if snaps.len() < CAP {
            return;
        }
        let seqs: Vec<usize> = snaps.iter().map(|s| s.seq).collect();
        let count = |sm: &Sampler, important: bool| {
            seqs.iter().zip(&sm.meta).filter(|(&q, m)| m.important == important && sm.keeps(q, **m)).count()
        };
        while count(sm, false) > CAP / 4 {
            sm.stride = sm.stride.max(1) * 2;
        }
        while count(sm, true) > CAP / 2 {
            sm.boundary_stride = sm.boundary_stride.max(1) * 2;
        }
        let last = snaps.len() - 1;
        let keep: Vec<bool> =
            seqs.iter().zip(&sm.meta).enumerate().map(|(i, (&q, m))| i == last || sm.keeps(q, *m)).collect();
        let mut it = keep.iter();
        snaps.retain(|_| it.next().copied().unwrap_or(true));
        let mut it = keep.iter();
        sm.meta.retain(|_| it.next().copied().unwrap_or(true));
    }

    /// The number the next snapshot gets.
    pub(crate) fn next_seq(&mut self) -> usize {
        self.sampler.started += 1;
        self.sampler.started - 1
    }

    /// A snapshot is complete: does it matter on its own, and is it kept?
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
        let m = Meta { important, rank: sm.important_seen };
        if important {
            sm.important_seen += 1;
        }
        sm.meta.resize(idx, Meta { important: true, rank: 0 });
        sm.meta.push(m);
        if !sm.keeps(s.seq, m) {
            sm.droppable = Some(idx);
        }
    }

    /// Says so in the paste when snapshots were left out.
    pub(crate) fn summarise(&mut self) {
        let sm = &self.sampler;
        let (read, kept) = (sm.started, self.paste.snapshots.len());
        if read > kept {
            self.paste.summary =
                Some(Summary { read, kept, stride: sm.stride.max(1), boundary_stride: sm.boundary_stride.max(1) });
        }
    }
}
