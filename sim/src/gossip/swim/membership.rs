//! A member's view of the group: each member's status and incarnation
//! number, and SWIM's rules for which news about a member overrides which
//! (§4.2). A view is kept as what differs from the group at the start, so
//! a member of a 2,000-member group holds a few entries, not 2,000, until
//! members change.

use serde::{Deserialize, Serialize};

use crate::ids::NodeId;
use crate::sorted::SortedMap;

/// What a member believes of another (§4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Never heard of: outside the group.
    Unknown,
    Alive,
    Suspect,
    /// Declared failed ("Confirm" in the paper).
    Dead,
    /// Left the group of its own accord.
    Left,
}

impl Status {
    /// Whether a member with this status is pinged and asked to relay.
    pub fn in_group(self) -> bool {
        matches!(self, Status::Alive | Status::Suspect)
    }

    pub fn word(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::Alive => "alive",
            Status::Suspect => "suspect",
            Status::Dead => "dead",
            Status::Left => "left",
        }
    }
}

/// One member's status as a view holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub status: Status,
    pub incarnation: u32,
}

impl Entry {
    pub const UNKNOWN: Entry = Entry { status: Status::Unknown, incarnation: 0 };
    pub const FOUNDER: Entry = Entry { status: Status::Alive, incarnation: 0 };

    /// Whether news `self` about a member overrides what a view holds,
    /// `held` (§4.2): Alive(i) overrides Suspect(j) and Alive(j) when i > j;
    /// Suspect(i) overrides Suspect(j) when i > j and Alive(j) when i ≥ j;
    /// a death ("Confirm") or a leave overrides both. Where members come
    /// back (a member wrongly declared dead that refutes, one that restarts
    /// and rejoins), the paper's rules need two more, taken as memberlist
    /// takes them: Alive(i) overrides Dead(j) or Left(j) when i > j, and a
    /// death or a leave overrides Alive(j) or Suspect(j) only when i ≥ j.
    /// Without the second, a stale death still passed around undoes every
    /// later refutation, and a member dies again and again.
    pub fn overrides(&self, held: &Entry) -> bool {
        use Status::*;
        let (i, j) = (self.incarnation, held.incarnation);
        match (self.status, held.status) {
            (Unknown, _) => false,
            (_, Unknown) => true,
            (Alive, Alive | Suspect | Dead | Left) => i > j,
            (Suspect, Suspect) => i > j,
            (Suspect, Alive) => i >= j,
            (Suspect, Dead | Left) => false,
            (Dead | Left, Alive | Suspect) => i >= j,
            (Dead | Left, Dead | Left) => false,
        }
    }
}

/// A member's view: the founders (nodes below `initial`) alive at
/// incarnation 0 and everyone else unknown, except where `changed` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    changed: SortedMap<NodeId, Entry>,
}

impl View {
    pub fn get(&self, id: NodeId, initial: u32) -> Entry {
        match self.changed.get(&id) {
            Some(entry) => *entry,
            None if id.0 < initial => Entry::FOUNDER,
            None => Entry::UNKNOWN,
        }
    }

    pub fn set(&mut self, id: NodeId, entry: Entry) {
        self.changed.insert(id, entry);
    }

    /// The entries that differ from the start, by member.
    pub fn changed(&self) -> impl Iterator<Item = (NodeId, Entry)> + '_ {
        self.changed.iter().map(|(&id, &entry)| (id, entry))
    }

    /// How many entries differ from the start.
    pub fn changed_len(&self) -> usize {
        self.changed.len()
    }

    /// Candidate `i` for a draw among members: the founders first (0 to
    /// `initial - 1`), then the members whose entries changed. A founder
    /// whose entry changed is `None` in the first part, so every member
    /// is one candidate, whatever the group's size against the cluster's.
    pub fn candidate(&self, i: u32, initial: u32) -> Option<(NodeId, Entry)> {
        if i < initial {
            let id = NodeId(i);
            return (!self.changed.contains_key(&id)).then_some((id, Entry::FOUNDER));
        }
        self.changed.get_index((i - initial) as usize).map(|(&id, &entry)| (id, entry))
    }

    /// Bytes on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.changed.len() * std::mem::size_of::<(NodeId, Entry)>()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn e(status: Status, incarnation: u32) -> Entry {
        Entry { status, incarnation }
    }

    /// SWIM §4.2's table of which message overrides which, case by case.
    #[test]
    fn the_override_rules_are_the_papers() {
        use Status::*;
        let cases = [
            (e(Alive, 2), e(Suspect, 1), true),
            (e(Alive, 1), e(Suspect, 1), false),
            (e(Alive, 2), e(Alive, 1), true),
            (e(Alive, 1), e(Alive, 1), false),
            (e(Suspect, 2), e(Suspect, 1), true),
            (e(Suspect, 1), e(Suspect, 1), false),
            (e(Suspect, 1), e(Alive, 1), true),
            (e(Suspect, 0), e(Alive, 1), false),
            (e(Dead, 7), e(Alive, 7), true),
            (e(Dead, 7), e(Suspect, 7), true),
            (e(Dead, 0), e(Alive, 7), false),
            (e(Dead, 6), e(Suspect, 7), false),
            (e(Suspect, 9), e(Dead, 1), false),
            (e(Alive, 9), e(Dead, 1), true),
            (e(Alive, 1), e(Dead, 1), false),
            (e(Left, 3), e(Alive, 3), true),
            (e(Left, 2), e(Alive, 3), false),
            (e(Alive, 0), e(Unknown, 0), true),
            (e(Unknown, 5), e(Alive, 0), false),
        ];
        for (news, held, want) in cases {
            assert_eq!(news.overrides(&held), want, "{news:?} over {held:?}");
        }
    }

    #[test]
    fn a_view_holds_only_what_changed() {
        let mut view = View::default();
        assert_eq!(view.get(NodeId(3), 10), Entry::FOUNDER);
        assert_eq!(view.get(NodeId(12), 10), Entry::UNKNOWN);
        view.set(NodeId(3), e(Status::Suspect, 0));
        assert_eq!(view.get(NodeId(3), 10), e(Status::Suspect, 0));
        assert_eq!(view.changed().count(), 1);
    }
}
