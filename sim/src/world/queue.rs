//! The event queue: (due time, id) of every message and timer, earliest
//! first, ties broken by id. Each entry is packed into one `u128` (time in
//! the high half), so the heap compares one number instead of a pair.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::ids::Time;

#[derive(Clone, Debug, Default)]
pub(super) struct EventQueue(BinaryHeap<Reverse<u128>>);

fn pack(time: Time, id: u64) -> u128 {
    (u128::from(time) << 64) | u128::from(id)
}

fn unpack(key: u128) -> (Time, u64) {
    ((key >> 64) as Time, key as u64)
}

impl EventQueue {
    pub(super) fn push(&mut self, time: Time, id: u64) {
        self.0.push(Reverse(pack(time, id)));
    }

    /// The earliest entry.
    pub(super) fn peek(&self) -> Option<(Time, u64)> {
        self.0.peek().map(|&Reverse(key)| unpack(key))
    }

    pub(super) fn pop(&mut self) -> Option<(Time, u64)> {
        self.0.pop().map(|Reverse(key)| unpack(key))
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
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
}
