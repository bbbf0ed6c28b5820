//! The event queue: (due time, id) of every message and timer, earliest
//! first, ties broken by id.
//!
//! A run of a small cluster keeps a dozen entries or so, and most new
//! entries are messages, due after the few messages already in flight and
//! before the timers (a latency is shorter than a timeout). So while the
//! queue is short it is a vector sorted latest first: the earliest entry
//! comes off the end, and a new entry steps in from the end past the few
//! entries due before it. A long queue (a cluster of hundreds) becomes a
//! binary heap, where each operation costs a logarithm instead of a move of
//! many entries; it turns back into a vector once it is short again. Both
//! give the same entries in the same order: only the cost differs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::ids::Time;

/// (due time, id): ordered by time, then id.
type Key = (Time, u64);

/// The heap keeps a key packed into one number, time in the high half, which
/// natively compares faster than a pair (in wasm, the vector's pairs are
/// faster to compare than 128-bit numbers).
fn pack((time, id): Key) -> u128 {
    (u128::from(time) << 64) | u128::from(id)
}

fn unpack(packed: u128) -> Key {
    ((packed >> 64) as Time, packed as u64)
}

/// Above this many entries the queue is a heap.
const SORTED_MAX: usize = 64;
/// A heap this short turns back into a sorted vector. Below `SORTED_MAX`,
/// so that a queue going up and down around one size does not flip back and
/// forth on every step.
const HEAP_MIN: usize = 16;

#[derive(Clone, Debug)]
pub(super) enum EventQueue {
    /// Sorted latest first.
    Sorted(Vec<Key>),
    Heap(BinaryHeap<Reverse<u128>>),
}

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue::Sorted(Vec::new())
    }
}

// The vector's paths are small and inlined where events are scheduled and
// taken; everything about the heap stays out of line, so it does not weigh
// on them (in wasm, inlining the heap's code too cost a few percent of a run).
impl EventQueue {
    #[inline(always)]
    pub(super) fn push(&mut self, time: Time, id: u64) {
        let key = (time, id);
        match self {
            EventQueue::Sorted(keys) if keys.len() < SORTED_MAX => {
                // Stepped in from the earliest end past the few entries due
                // before it, rather than placed by a search and a move of the
                // rest: in wasm, a move of unknown length is a call into the
                // engine, which costs more than those few steps.
                keys.push(key);
                let mut at = keys.len() - 1;
                while at > 0 && keys[at - 1] < key {
                    keys[at] = keys[at - 1];
                    at -= 1;
                }
                keys[at] = key;
            }
            _ => self.push_long(key),
        }
    }

    /// The earliest entry.
    #[inline(always)]
    pub(super) fn peek(&self) -> Option<Key> {
        match self {
            EventQueue::Sorted(keys) => keys.last().copied(),
            EventQueue::Heap(heap) => heap.peek().map(|&Reverse(packed)| unpack(packed)),
        }
    }

    #[inline(always)]
    pub(super) fn pop(&mut self) -> Option<Key> {
        match self {
            EventQueue::Sorted(keys) => keys.pop(),
            EventQueue::Heap(_) => self.pop_long(),
        }
    }

    pub(super) fn len(&self) -> usize {
        match self {
            EventQueue::Sorted(keys) => keys.len(),
            EventQueue::Heap(heap) => heap.len(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Pushes onto the heap, first making one of a full vector.
    #[inline(never)]
    fn push_long(&mut self, key: Key) {
        if let EventQueue::Sorted(keys) = self {
            *self = EventQueue::Heap(keys.drain(..).map(|key| Reverse(pack(key))).collect());
        }
        let EventQueue::Heap(heap) = self else { unreachable!("made a heap above") };
        heap.push(Reverse(pack(key)));
    }

    /// Pops off the heap, and makes a vector of it again once it is short.
    #[inline(never)]
    fn pop_long(&mut self) -> Option<Key> {
        let EventQueue::Heap(heap) = self else { unreachable!("only called on a heap") };
        let Reverse(packed) = heap.pop()?;
        if heap.len() <= HEAP_MIN {
            // Sorted by `Reverse`: latest first, as the vector keeps them.
            let keys = std::mem::take(heap).into_sorted_vec();
            *self = EventQueue::Sorted(keys.into_iter().map(|Reverse(k)| unpack(k)).collect());
        }
        Some(unpack(packed))
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn earliest_first_then_lowest_id() {
        let mut q = EventQueue::default();
        for (time, id) in [(5, 9), (u64::MAX, 0), (5, 2), (0, u64::MAX), (7, 1)] {
            q.push(time, id);
        }
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(0, u64::MAX), (5, 2), (5, 9), (7, 1), (u64::MAX, 0)]);
        assert!(q.is_empty());
    }

    #[test]
    fn a_long_queue_becomes_a_heap_and_a_short_one_a_vector_again() {
        let mut q = EventQueue::default();
        for id in 0..=SORTED_MAX as u64 {
            assert!(matches!(q, EventQueue::Sorted(_)), "at {id} entries");
            q.push(1_000 - id, id);
        }
        assert!(matches!(q, EventQueue::Heap(_)));
        let mut popped = Vec::new();
        while q.len() > HEAP_MIN {
            popped.push(q.pop().expect("not empty"));
        }
        assert!(matches!(q, EventQueue::Sorted(_)));
        popped.extend(std::iter::from_fn(|| q.pop()));
        let expected: Vec<_> = (0..=SORTED_MAX as u64).rev().map(|id| (1_000 - id, id)).collect();
        assert_eq!(popped, expected);
    }

    /// proptest is a native dev-dependency only.
    #[cfg(not(target_arch = "wasm32"))]
    mod property {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            // Pushes and pops across both shapes and the changes between
            // them: every pop gives what a plain heap gives.
            #[test]
            fn pops_what_a_heap_pops(
                ops in prop::collection::vec(
                    prop_oneof![
                        3 => (0..40u64, any::<u64>()).prop_map(Some),
                        2 => Just(None),
                    ],
                    0..600,
                )
            ) {
                let mut q = EventQueue::default();
                let mut reference = BinaryHeap::new();
                for op in ops {
                    match op {
                        Some((time, id)) => {
                            q.push(time, id);
                            reference.push(Reverse((time, id)));
                        }
                        None => prop_assert_eq!(q.pop(), reference.pop().map(|Reverse(k)| k)),
                    }
                    prop_assert_eq!(q.len(), reference.len());
                    prop_assert_eq!(q.peek(), reference.peek().map(|&Reverse(k)| k));
                }
            }
        }
    }
}
