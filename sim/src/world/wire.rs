//! The messages in flight, by id. Ids only grow and messages mostly leave in
//! the order they were sent, so a window over the ids (a vector of slots
//! from `base` on, whose leading empty slots are skipped by `head` and
//! cut off now and then) finds, adds and removes in constant time, and
//! lists in id order, where a map would shift large entries on every removal.

use super::InFlight;
use crate::ids::MessageId;

/// Leading empty slots are cut off once there are this many and they are
/// at least half the window: each cut moves few live messages.
const COMPACT_AFTER: usize = 64;

#[derive(Clone, Debug)]
pub(super) struct Wire<M> {
    /// The id of `slots[0]`.
    base: u64,
    /// Every slot before this one is empty.
    head: usize,
    slots: Vec<Option<InFlight<M>>>,
    len: usize,
}

impl<M> Default for Wire<M> {
    fn default() -> Self {
        Wire { base: 0, head: 0, slots: Vec::new(), len: 0 }
    }
}

impl<M> Wire<M> {
    fn slot(&self, id: MessageId) -> Option<usize> {
        let i = usize::try_from(id.0.checked_sub(self.base)?).ok()?;
        (self.head..self.slots.len()).contains(&i).then_some(i)
    }

    pub(super) fn get(&self, id: MessageId) -> Option<&InFlight<M>> {
        self.slot(id).and_then(|i| self.slots[i].as_ref())
    }

    /// A message's contents can change in flight (`Action::Substitute`); its id and times cannot.
    pub(super) fn get_mut(&mut self, id: MessageId) -> Option<&mut InFlight<M>> {
        self.slot(id).and_then(|i| self.slots[i].as_mut())
    }

    pub(super) fn contains(&self, id: MessageId) -> bool {
        self.get(id).is_some()
    }

    /// Adds a message; its id is newer than every id added before.
    pub(super) fn insert(&mut self, m: InFlight<M>) {
        if self.len == 0 {
            (self.base, self.head) = (m.id.0, 0);
            self.slots.clear();
        } else if self.head >= COMPACT_AFTER && self.head * 2 >= self.slots.len() {
            self.slots.drain(..self.head);
            self.base += self.head as u64;
            self.head = 0;
        }
        let at = (m.id.0 - self.base) as usize;
        debug_assert!(at >= self.slots.len(), "ids only grow");
        self.slots.resize_with(at, || None);
        self.slots.push(Some(m));
        self.len += 1;
    }

    pub(super) fn remove(&mut self, id: MessageId) -> Option<InFlight<M>> {
        let i = self.slot(id)?;
        let m = self.slots[i].take()?;
        self.len -= 1;
        while self.slots.get(self.head).is_some_and(Option::is_none) {
            self.head += 1;
        }
        Some(m)
    }

    /// Bytes held, for `World::footprint`.
    pub(super) fn footprint(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Option<InFlight<M>>>()
    }

    /// Every message, oldest first.
    pub(super) fn iter(&self) -> impl Iterator<Item = &InFlight<M>> {
        self.slots[self.head..].iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::ids::NodeId;

    fn m(id: u64) -> InFlight<u64> {
        let n = NodeId(0);
        InFlight {
            id: MessageId(id),
            from: n,
            to: n,
            message: id,
            sent_at: 0,
            arrives_at: 0,
            copy_of: None,
            replaced: false,
        }
    }

    #[test]
    fn holds_finds_and_lists_in_id_order_whatever_leaves_first() {
        let mut w = Wire::default();
        for id in [3, 4, 7, 9, 12] {
            w.insert(m(id));
        }
        assert!(w.contains(MessageId(7)) && !w.contains(MessageId(5)) && !w.contains(MessageId(1)));
        assert_eq!(w.remove(MessageId(7)).map(|x| x.message), Some(7));
        assert_eq!(w.remove(MessageId(7)), None);
        assert_eq!(w.remove(MessageId(3)).map(|x| x.message), Some(3));
        let ids: Vec<u64> = w.iter().map(|x| x.message).collect();
        assert_eq!(ids, vec![4, 9, 12]);
        for id in [4, 9, 12] {
            w.remove(MessageId(id));
        }
        assert_eq!(w.iter().count(), 0);
        w.insert(m(40));
        assert_eq!(w.get(MessageId(40)).map(|x| x.message), Some(40));
        assert!(w.get(MessageId(99)).is_none());
    }

    #[test]
    fn the_window_is_cut_as_old_messages_leave() {
        let mut w = Wire::default();
        for id in 0..1_000 {
            w.insert(m(id));
            if id >= 3 {
                assert_eq!(w.remove(MessageId(id - 3)).map(|x| x.message), Some(id - 3));
            }
            assert!(w.slots.len() <= 2 * COMPACT_AFTER + 4, "the window stays small");
        }
        assert!(w.base > 0, "the window was cut");
        let ids: Vec<u64> = w.iter().map(|x| x.message).collect();
        assert_eq!(ids, vec![997, 998, 999]);
        assert!(w.get(MessageId(500)).is_none() && w.get(MessageId(1_000)).is_none());
    }

    #[test]
    fn a_long_lived_message_keeps_its_place() {
        let mut w = Wire::default();
        for id in 0..300 {
            w.insert(m(id));
            if id >= 3 {
                w.remove(MessageId(id - 2));
            }
        }
        let ids: Vec<u64> = w.iter().map(|x| x.message).collect();
        assert_eq!(ids, vec![0, 298, 299]);
        assert_eq!(w.base, 0, "message 0 holds the window's start");
        assert_eq!(w.remove(MessageId(0)).map(|x| x.message), Some(0));
        w.insert(m(300));
        assert!(w.base > 0, "once they leave, the window is cut");
        let ids: Vec<u64> = w.iter().map(|x| x.message).collect();
        assert_eq!(ids, vec![298, 299, 300]);
    }
}
