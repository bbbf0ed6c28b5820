//! The trace hash: every step's events folded into one number, so that two
//! runs (native and wasm, straight and replayed) can be shown the same by
//! comparing it. Its encoding is fixed word by word, never left to a derive.

use std::hash::Hasher;

use super::{DropReason, Event, Record, StepTrace};
use crate::ids::NodeId;
use crate::network::Blocked;

/// Two nodes in one word.
fn pair(a: NodeId, b: NodeId) -> u64 {
    (u64::from(a.0) << 32) | u64::from(b.0)
}

/// The variant's number in the low byte, a small field above it.
fn tag(variant: u64, small: u64) -> u64 {
    variant | small << 8
}

/// Odd constants, one for each word of an event (the first eight outputs of
/// SplitMix64 from seed 0, made odd).
const KEYS: [u64; 8] = [
    0xe220_a839_7b1d_cdaf,
    0x6e78_9e6a_a1b9_65f5,
    0x06c4_5d18_8009_454f,
    0xf88b_b8a8_724c_81ed,
    0x1b39_896a_51a8_749b,
    0x53cb_9f0c_747e_a2eb,
    0x2c82_9abe_1f45_32e1,
    0xc584_133a_c916_ab3d,
];

/// Up to eight words as one: each times its own odd constant, summed. The
/// multiplications do not wait on each other (unlike a hash that folds one
/// word after another), and a change in any one word changes the sum.
const fn spread(words: &[u64]) -> u64 {
    debug_assert!(words.len() <= KEYS.len());
    // A `while` loop: `const fn` (see `Name`) has no iterators.
    let (mut sum, mut i) = (0u64, 0);
    while i < words.len() {
        sum = sum.wrapping_add(words[i].wrapping_mul(KEYS[i]));
        i += 1;
    }
    sum
}

/// A text as one word: its length and its bytes a word at a time, the last
/// word overlapping the one before instead of copying a short tail (given
/// the length, the words still determine every byte). Names of message
/// kinds and timers are short and take the quick path (and are digested at
/// compile time: see `Name`); longer texts (notes, replies) are folded word
/// after word.
pub(super) const fn text(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let len = n as u64;
    match n {
        0 => 0,
        1..4 => spread(&[
            len,
            bytes[0] as u64 | (bytes[n / 2] as u64) << 8 | (bytes[n - 1] as u64) << 16,
        ]),
        4..8 => spread(&[len, half(bytes, 0) | half(bytes, n - 4) << 32]),
        8..=16 => spread(&[len, word(bytes, 0), word(bytes, n - 8)]),
        17..=24 => spread(&[len, word(bytes, 0), word(bytes, 8), word(bytes, n - 8)]),
        _ => {
            let mut h = StableHasher::new();
            h.mix(len);
            let mut at = 0;
            while at + 8 < n {
                h.mix(word(bytes, at));
                at += 8;
            }
            h.mix(word(bytes, n - 8));
            h.finish_word()
        }
    }
}

/// The eight bytes from `at`, little-endian.
const fn word(bytes: &[u8], at: usize) -> u64 {
    let (_, from) = bytes.split_at(at);
    match from.first_chunk::<8>() {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => panic!("eight bytes"),
    }
}

/// The four bytes from `at`, little-endian.
const fn half(bytes: &[u8], at: usize) -> u64 {
    let (_, from) = bytes.split_at(at);
    match from.first_chunk::<4>() {
        Some(chunk) => u32::from_le_bytes(*chunk) as u64,
        None => panic!("four bytes"),
    }
}

impl DropReason {
    fn code(self) -> u64 {
        match self {
            DropReason::Lost => 0,
            DropReason::ByUser => 1,
            DropReason::Blocked(Blocked::Partitioned) => 2,
            DropReason::Blocked(Blocked::LinkCut) => 3,
            DropReason::ReceiverDown => 4,
        }
    }
}

/// Every field of a recorded event as one word, for the trace hash (its
/// text, partition or violation read from `step`, where they are kept).
/// Written out rather than derived: small fields share words and the words
/// are combined side by side (see [`spread`]), so hashing a step costs
/// little next to performing it (the hash runs after every step of every run).
fn digest(record: &Record, step: &StepTrace) -> u64 {
    use Event::*;
    match record {
        Sent { id, from, to, kind, sent_at, arrives_at, copy_of } => spread(&[
            tag(0, u64::from(copy_of.is_some())),
            id.0,
            pair(*from, *to),
            kind.digest(),
            *sent_at,
            *arrives_at,
            copy_of.map_or(0, |original| original.0),
        ]),
        Delivered { id, from, to, kind, sent_at } => {
            spread(&[tag(1, 0), id.0, pair(*from, *to), kind.digest(), *sent_at])
        }
        Dropped { id, from, to, kind, reason } => {
            spread(&[tag(2, reason.code()), id.0, pair(*from, *to), kind.digest()])
        }
        TimerSet { id, node, timer, fires_at } => {
            spread(&[tag(3, u64::from(node.0)), id.0, timer.digest(), *fires_at])
        }
        TimerCancelled { id, node, timer } => {
            spread(&[tag(4, u64::from(node.0)), id.0, timer.digest()])
        }
        TimerFired { id, node, timer } => {
            spread(&[tag(5, u64::from(node.0)), id.0, timer.digest()])
        }
        Crashed { node } => tag(6, u64::from(node.0)),
        Restarted { node } => tag(7, u64::from(node.0)),
        Partitioned { groups } => {
            let groups = step.partition(*groups);
            let mut h = StableHasher::default();
            h.mix(tag(8, groups.len() as u64));
            for group in groups {
                h.mix(group.len() as u64);
                group.iter().for_each(|node| h.mix(u64::from(node.0)));
            }
            h.finish()
        }
        Healed => tag(9, 0),
        LinkCut { from, to } => spread(&[tag(10, 0), pair(*from, *to)]),
        LinkRestored { from, to } => spread(&[tag(11, 0), pair(*from, *to)]),
        LinkChanged { link, params } => spread(&[
            tag(12, u64::from(link.is_some())),
            link.map_or(0, |(from, to)| pair(from, to)),
            params.latency_min,
            params.latency_max,
            (u64::from(params.loss_ppm) << 32) | u64::from(params.duplicate_ppm),
        ]),
        Request { node, request } => {
            spread(&[tag(13, u64::from(node.0)), text(step.text(*request))])
        }
        Command { node, command } => {
            spread(&[tag(14, u64::from(node.0)), text(step.text(*command))])
        }
        TimeAdvanced { to } => spread(&[tag(15, 0), *to]),
        Substituted { id, from, to, kind } => {
            spread(&[tag(19, 0), id.0, pair(*from, *to), kind.digest()])
        }
        Note { node, text: words } => {
            spread(&[tag(16, u64::from(node.0)), text(step.text(*words))])
        }
        ClientReply { node, text: words } => {
            spread(&[tag(17, u64::from(node.0)), text(step.text(*words))])
        }
        Violation(v) => {
            let v = step.violation(*v);
            let mut nodes = StableHasher::default();
            v.nodes.iter().for_each(|node| nodes.mix(u64::from(node.0)));
            spread(&[
                tag(18, v.nodes.len() as u64),
                text(&v.property),
                text(&v.source),
                v.step,
                nodes.finish(),
                text(&v.detail),
            ])
        }
    }
}

/// A fast hash over a fixed encoding: every integer is mixed as a
/// little-endian 64-bit word (`usize` widened), bytes eight at a time, so the
/// hash is the same natively and in wasm. FxHash's mixing step, with a final
/// avalanche (SplitMix64's) so the low bits are as good as the high ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StableHasher(u64);

const SEED: u64 = 0x243f_6a88_85a3_08d3;
const K: u64 = 0x517c_c1b7_2722_0a95;

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher::new()
    }
}

impl StableHasher {
    /// `default`, as a `const fn` (for `text`).
    const fn new() -> StableHasher {
        StableHasher(SEED)
    }

    const fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }

    /// `finish`, as a `const fn`.
    const fn finish_word(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.finish_word()
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.mix(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 56));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.mix(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    fn write_u128(&mut self, i: u128) {
        self.mix(i as u64);
        self.mix((i >> 64) as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
    // The signed writes default to the unsigned ones, which is right, except
    // for `isize`: its default goes through `usize`, which would not sign-extend
    // on 32-bit wasm.
    fn write_isize(&mut self, i: isize) {
        self.write_u64(i as u64);
    }
}

/// Folds one step into a running trace hash.
pub fn chain(previous: u64, step: &StepTrace) -> u64 {
    let mut h = StableHasher::default();
    h.mix(previous);
    h.mix(step.step);
    h.mix(step.time);
    h.mix(step.len() as u64);
    h.mix(step.contents());
    step.records().iter().for_each(|record| h.mix(digest(record, step)));
    h.finish()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::ids::{MessageId, TimerId};
    use crate::trace::{Name, TraceEvent};

    #[test]
    fn the_stable_hasher_is_pinned_and_sees_every_byte() {
        let hash = |bytes: &[u8]| {
            let mut h = StableHasher::default();
            h.write(bytes);
            h.finish()
        };
        assert_eq!(
            hash(b"caucus"),
            PINNED,
            "the trace hash function changed: {:#x}",
            hash(b"caucus")
        );
        assert_ne!(hash(b"caucus"), hash(b"caucut"));
        assert_ne!(hash(b"abcdefgh1"), hash(b"abcdefgh2"), "the tail past eight bytes counts");
        assert_ne!(hash(b"a"), hash(b"a\0"), "length counts");
    }
    const PINNED: u64 = 0xf784_18bc_5c9b_a36c;

    #[test]
    fn a_text_word_sees_every_byte_and_the_length() {
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=base.len() {
            let original = std::str::from_utf8(&base[..n]).unwrap();
            let mut seen = vec![text(original)];
            for at in 0..n {
                let mut changed = base[..n].to_vec();
                changed[at] = b'#';
                seen.push(text(std::str::from_utf8(&changed).unwrap()));
            }
            let padded = format!("{original}\0");
            seen.push(text(&padded));
            let distinct: std::collections::BTreeSet<u64> = seen.iter().copied().collect();
            assert_eq!(distinct.len(), seen.len(), "a change went unseen in {original:?}");
        }
    }

    #[test]
    fn an_event_digest_sees_every_field() {
        const HEARTBEAT: &Name = &Name::new("Heartbeat");
        const HEARTBEET: &Name = &Name::new("Heartbeet");
        const ELECTION: &Name = &Name::new("election");
        let (a, b) = (NodeId(1), NodeId(2));
        let sent = |id, from, to, kind, sent_at, arrives_at, copy_of| TraceEvent::Sent {
            id: MessageId(id),
            from,
            to,
            kind,
            sent_at,
            arrives_at,
            copy_of,
        };
        let variants = [
            sent(7, a, b, HEARTBEAT, 10, 20, None),
            sent(8, a, b, HEARTBEAT, 10, 20, None),
            sent(7, b, a, HEARTBEAT, 10, 20, None),
            sent(7, a, a, HEARTBEAT, 10, 20, None),
            sent(7, a, b, HEARTBEET, 10, 20, None),
            sent(7, a, b, HEARTBEAT, 11, 20, None),
            sent(7, a, b, HEARTBEAT, 10, 21, None),
            sent(7, a, b, HEARTBEAT, 10, 20, Some(MessageId(0))),
            sent(7, a, b, HEARTBEAT, 10, 20, Some(MessageId(1))),
            TraceEvent::Delivered {
                id: MessageId(7),
                from: a,
                to: b,
                kind: HEARTBEAT,
                sent_at: 10,
            },
            TraceEvent::TimerSet { id: TimerId(7), node: a, timer: ELECTION, fires_at: 10 },
            TraceEvent::TimerSet { id: TimerId(7), node: b, timer: ELECTION, fires_at: 10 },
            TraceEvent::TimerCancelled { id: TimerId(7), node: a, timer: ELECTION },
            TraceEvent::TimerFired { id: TimerId(7), node: a, timer: ELECTION },
            TraceEvent::Crashed { node: a },
            TraceEvent::Restarted { node: a },
            TraceEvent::Note { node: a, text: "n2 votes for n1".into() },
            TraceEvent::ClientReply { node: a, text: "n2 votes for n1".into() },
            TraceEvent::ClientReply { node: a, text: "n2 votes for n3".into() },
            TraceEvent::Request { node: a, request: "x=1".into() },
            TraceEvent::Partitioned { groups: vec![vec![a], vec![b]] },
            TraceEvent::Partitioned { groups: vec![vec![a, b]] },
        ];
        // Each event recorded on a step of its own, its text kept beside it.
        let digest_of = |event: &TraceEvent| {
            let mut step = StepTrace::default();
            step.record(event.clone());
            digest(&step.records()[0], &step)
        };
        let digests: std::collections::BTreeSet<u64> = variants.iter().map(digest_of).collect();
        assert_eq!(digests.len(), variants.len());
    }

    #[test]
    fn usize_hashes_like_u64() {
        let (mut a, mut b) = (StableHasher::default(), StableHasher::default());
        a.write_usize(7);
        b.write_u64(7);
        assert_eq!(a.finish(), b.finish());
    }
}
