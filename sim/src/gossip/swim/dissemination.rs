//! Infection-style dissemination (§4.1): membership news rides on the
//! pings, ping-reqs and acks a member sends anyway. Each member passes each
//! piece of news on λ⌈ln(n + 1)⌉ times, the least-sent first, as
//! memberlist's transmit-limited queue does; a ping to a suspected member
//! carries that suspicion first, so the member hears it and can refute
//! (Lifeguard's "buddy system", a choice the paper leaves open).

use crate::ids::NodeId;

use super::membership::Status;
use super::messages::{News, Piggyback};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Queue {
    /// News still to pass on, and how often each has been sent.
    items: Vec<(News, u32)>,
}

impl Queue {
    /// Queues `news`, replacing older news about the same member.
    pub fn push(&mut self, news: News) {
        self.items.retain(|(held, _)| held.member != news.member);
        self.items.push((news, 0));
    }

    /// Up to `most` pieces of news for a message to `to`, the least-sent
    /// first (news about `to`'s own suspicion before all), each counted
    /// once more; news sent `limit` times leaves the queue.
    pub fn take(&mut self, to: NodeId, most: u32, limit: u32) -> Piggyback {
        let mut picked = Piggyback::new();
        if self.items.is_empty() {
            return picked;
        }
        let buddy = |news: &News| news.member == to && news.entry.status == Status::Suspect;
        // Stable: among equals, the news queued first goes first.
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        order.sort_by_key(|&i| (!buddy(&self.items[i].0), self.items[i].1));
        for &i in order.iter().take(most as usize) {
            self.items[i].1 += 1;
            picked.push(self.items[i].0);
        }
        self.items.retain(|(_, sent)| *sent < limit);
        picked
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The news queued, with how often each was sent.
    pub fn items(&self) -> &[(News, u32)] {
        &self.items
    }

    pub fn heap_bytes(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<(News, u32)>()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::gossip::swim::membership::Entry;

    fn news(member: u32, status: Status) -> News {
        News { member: NodeId(member), entry: Entry { status, incarnation: 0 } }
    }

    #[test]
    fn least_sent_first_buddy_first_and_gone_after_the_limit() {
        let mut q = Queue::default();
        q.push(news(1, Status::Alive));
        q.push(news(2, Status::Suspect));
        q.push(news(3, Status::Dead));
        let first = q.take(NodeId(9), 2, 2);
        assert_eq!(first[..], [news(1, Status::Alive), news(2, Status::Suspect)]);
        let second = q.take(NodeId(9), 2, 2);
        assert_eq!(second[..], [news(3, Status::Dead), news(1, Status::Alive)], "least sent first");
        assert_eq!(q.len(), 2, "n2 sent once, n3 once; n1 twice and gone");
        let to_suspect = q.take(NodeId(2), 1, 2);
        assert_eq!(to_suspect[..], [news(2, Status::Suspect)], "a suspect hears of its suspicion");
        q.push(news(3, Status::Alive));
        assert_eq!(q.items().iter().filter(|(n, _)| n.member == NodeId(3)).count(), 1);
    }
}
