//! A site's copy of the replicated database (Demers §1.1): keys with
//! versions. A newer version replaces an older one, whoever sends it, so
//! any order of exchanges ends in the same store.

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::ids::{NodeId, Time};

/// A key of the database. Keys are few: a run teaches with a handful.
pub type Key = u32;

/// One update: a key's new version, made at `origin`. Versions are ordered
/// by number, then by origin, so two sites that update a key at once
/// still make two different updates, and every site picks the same winner
/// (Demers §1.1's timestamps, as counters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Update {
    pub key: Key,
    pub version: u32,
    pub origin: NodeId,
}

impl Update {
    /// Whether `self` replaces `other`, an update of the same key.
    pub fn newer_than(&self, other: &Update) -> bool {
        (self.version, self.origin) > (other.version, other.origin)
    }
}

impl std::fmt::Display for Update {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "k{} v{} (from {})", self.key, self.version, self.origin)
    }
}

/// What a message carries: updates, usually one or two.
pub type Updates = SmallVec<[Update; 2]>;

/// An update a site holds, and when it learned it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Known {
    pub update: Update,
    pub learned: Time,
}

/// A site's store: the newest version it knows of each key, by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store {
    entries: SmallVec<[Known; 2]>,
}

impl Store {
    /// Every entry, by key.
    pub fn entries(&self) -> &[Known] {
        &self.entries
    }

    /// What the store holds for `key`.
    pub fn get(&self, key: Key) -> Option<&Known> {
        self.entries.iter().find(|k| k.update.key == key)
    }

    /// Whether the store holds `update` or something newer for its key.
    pub fn covers(&self, update: &Update) -> bool {
        self.get(update.key).is_some_and(|k| !update.newer_than(&k.update))
    }

    /// Keeps `update` if it is newer than what the store holds for its key;
    /// says whether it was news.
    pub fn merge(&mut self, update: Update, now: Time) -> bool {
        let fresh = Known { update, learned: now };
        match self.entries.binary_search_by_key(&update.key, |k| k.update.key) {
            Ok(at) if update.newer_than(&self.entries[at].update) => {
                self.entries[at] = fresh;
                true
            }
            Ok(_) => false,
            Err(at) => {
                self.entries.insert(at, fresh);
                true
            }
        }
    }

    /// Bytes on the heap: none until a site holds more than two keys.
    pub fn heap_bytes(&self) -> usize {
        if self.entries.spilled() {
            self.entries.capacity() * std::mem::size_of::<Known>()
        } else {
            0
        }
    }

    /// The updates learned before `before`: what a site passes on.
    pub fn learned_before(&self, before: Time) -> impl Iterator<Item = Update> + '_ {
        self.entries.iter().filter(move |k| k.learned < before).map(|k| k.update)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn update(key: Key, version: u32, origin: u32) -> Update {
        Update { key, version, origin: NodeId(origin) }
    }

    #[test]
    fn newer_versions_win_and_ties_go_to_the_higher_origin() {
        let mut store = Store::default();
        assert!(store.merge(update(3, 1, 0), 10));
        assert!(store.merge(update(1, 1, 0), 20), "a new key is news");
        assert!(!store.merge(update(3, 1, 0), 30), "the same update again is not");
        assert!(store.merge(update(3, 1, 4), 40), "same version, higher origin");
        assert!(!store.merge(update(3, 1, 2), 50), "same version, lower origin");
        assert!(store.merge(update(3, 2, 0), 60));
        let keys: Vec<Key> = store.entries().iter().map(|k| k.update.key).collect();
        assert_eq!(keys, [1, 3], "kept by key");
        assert_eq!(store.get(3), Some(&Known { update: update(3, 2, 0), learned: 60 }));
        assert!(store.covers(&update(3, 1, 9)) && !store.covers(&update(3, 3, 0)));
        assert!(!store.covers(&update(7, 1, 0)));
        let passed: Vec<Update> = store.learned_before(60).collect();
        assert_eq!(passed, [update(1, 1, 0)], "what was learned at 60 is not passed on before it");
    }

    #[test]
    fn any_order_of_merges_ends_in_the_same_store() {
        let updates = [update(0, 1, 0), update(0, 2, 1), update(1, 1, 2), update(0, 2, 0)];
        let mut stores = Vec::new();
        for rotation in 0..updates.len() {
            let mut store = Store::default();
            for u in updates.iter().cycle().skip(rotation).take(updates.len()) {
                store.merge(*u, 0);
            }
            stores.push(store.entries().iter().map(|k| k.update).collect::<Vec<_>>());
        }
        assert!(stores.windows(2).all(|w| w[0] == w[1]), "{stores:?}");
        assert_eq!(stores[0], [update(0, 2, 1), update(1, 1, 2)]);
    }
}
