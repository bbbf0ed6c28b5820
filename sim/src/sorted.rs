//! A map and a set of a few entries, kept sorted in a `Vec`: the mistakes
//! switched on in a config, a network's tuned and cut links, the page's
//! shelved runs. They behave as the `BTreeMap` and `BTreeSet` they replace
//! (same order; the set has the same JSON, `Debug` and `Hash`), with far
//! less code in the wasm than a B-tree of its own for each key type.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Keys and their values, sorted by key, one value a key.
#[derive(Clone, PartialEq, Eq)]
pub struct SortedMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap(Vec::new())
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find(&self, key: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|at| &self.0[at].1)
    }

    /// Sets `key`'s value, returning the one it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, value)),
            Err(at) => {
                self.0.insert(at, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.find(key).ok().map(|at| self.0.remove(at).1)
    }

    /// `key`'s value, made with `make` if it has none.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.find(&key) {
            Ok(at) => at,
            Err(at) => {
                self.0.insert(at, (key, make()));
                at
            }
        };
        &mut self.0[at].1
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// In key order, as a `BTreeMap` iterates.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// Written as a map is: `{k: v}`.
impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, v)| (k, v))).finish()
    }
}

/// Distinct items, sorted.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SortedSet<T>(Vec<T>);

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet(Vec::new())
    }
}

impl<T: Ord + Copy> SortedSet<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`; false if it was there already.
    pub fn insert(&mut self, item: T) -> bool {
        match self.0.binary_search(&item) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, item);
                true
            }
        }
    }

    /// Takes `item` out; false if it was not there.
    pub fn remove(&mut self, item: &T) -> bool {
        match self.0.binary_search(item) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    pub fn contains(&self, item: &T) -> bool {
        self.0.binary_search(item).is_ok()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// In order, as a `BTreeSet` iterates.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T: Ord + Copy> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut all: Vec<T> = items.into_iter().collect();
        all.sort_unstable();
        all.dedup();
        SortedSet(all)
    }
}

impl<T: Ord + Copy, const N: usize> From<[T; N]> for SortedSet<T> {
    fn from(items: [T; N]) -> Self {
        items.into_iter().collect()
    }
}

/// Written as a set is: `{A, B}`.
impl<T: fmt::Debug> fmt::Debug for SortedSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(&self.0).finish()
    }
}

/// A JSON array, in order, as a `BTreeSet` writes it.
impl<T: Serialize> Serialize for SortedSet<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Any array, in any order and with repeats, as a `BTreeSet` reads it (the
/// same errors for anything else).
impl<'de, T: Deserialize<'de> + Ord + Copy> Deserialize<'de> for SortedSet<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<T>::deserialize(deserializer)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::hash::{DefaultHasher, Hash, Hasher};

    use super::{SortedMap, SortedSet};
    use crate::raft::Mistake;

    fn hash(value: &impl Hash) -> u64 {
        let mut h = DefaultHasher::new();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn reads_writes_prints_and_hashes_as_the_btree_set_it_replaced() {
        let all = Mistake::ALL;
        let json = format!(
            "[{}]",
            [all[1], all[0], all[1]]
                .iter()
                .map(|m| format!("\"{m:?}\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        for text in [json.as_str(), "[]", "{}", "[\"Oops\"]", "3"] {
            let set = serde_json::from_str::<BTreeSet<Mistake>>(text);
            let ours = serde_json::from_str::<SortedSet<Mistake>>(text);
            match (set, ours) {
                (Ok(set), Ok(ours)) => {
                    assert_eq!(
                        serde_json::to_string(&set).unwrap(),
                        serde_json::to_string(&ours).unwrap()
                    );
                    assert_eq!(format!("{set:?}"), format!("{ours:?}"));
                    assert_eq!(hash(&set), hash(&ours));
                    assert!(set.iter().eq(ours.iter()));
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text}"),
                (a, b) => panic!("{text}: {a:?} against {b:?}"),
            }
        }
    }

    #[test]
    fn insert_and_remove_keep_one_of_each_in_order() {
        let mut ours = SortedSet::new();
        let mut set = BTreeSet::new();
        for (m, on) in [(1, true), (0, true), (1, true), (0, false), (2, true), (1, false)] {
            let m = Mistake::ALL[m % Mistake::ALL.len()];
            if on {
                assert_eq!(ours.insert(m), set.insert(m));
            } else {
                assert_eq!(ours.remove(&m), set.remove(&m));
            }
            assert!(ours.iter().eq(set.iter()));
            assert_eq!(ours.len(), set.len());
        }
    }

    #[test]
    fn the_map_keeps_one_value_a_key_in_order_as_a_btree_map() {
        use std::collections::BTreeMap;
        let mut ours = SortedMap::new();
        let mut map = BTreeMap::new();
        for (k, v, on) in
            [(3, 'a', true), (1, 'b', true), (3, 'c', true), (2, 'd', true), (1, ' ', false)]
        {
            if on {
                assert_eq!(ours.insert(k, v), map.insert(k, v));
            } else {
                assert_eq!(ours.remove(&k), map.remove(&k));
            }
            assert!(ours.iter().eq(map.iter()));
            assert_eq!(format!("{ours:?}"), format!("{map:?}"));
        }
        *ours.get_or_insert_with(5, || 'e') = 'f';
        *map.entry(5).or_insert('e') = 'f';
        assert_eq!(ours.get_or_insert_with(2, || 'x'), &mut 'd');
        assert!(ours.iter().eq(map.iter()));
        assert_eq!(ours.get(&5), Some(&'f'));
        assert_eq!(ours.get(&4), None);
    }
}
