//! A map and a set kept sorted in a `Vec`: every map and set of the
//! simulator's state (a PBFT replica's log and vote sets, the checks' ghost
//! state, a network's tuned and cut links, the page's shelved runs). They
//! behave as the `BTreeMap` and `BTreeSet` they replace (same order, `Debug`
//! and `Hash`; the set has the same JSON), with far less code in the wasm
//! than a B-tree of its own for each key and value type: 54 KB of the gzipped
//! bundle, measured 2026-12-07. They hold tens to a few thousand entries,
//! mostly added in key order, so the `Vec`'s insert in the middle is cheap;
//! the wasm engine benchmarks ran faster after the change, not slower.

use std::fmt;
use std::ops::{Bound, Index, RangeBounds};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Keys and their values, sorted by key, one value a key. It hashes as a
/// `BTreeMap` does: the length, then each key and value in order.
#[derive(Clone, PartialEq, Eq, Hash)]
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

    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.find(key).ok().map(|at| &mut self.0[at].1)
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.find(key).is_ok()
    }

    /// `key`'s place: filled, or where it would go.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let at = self.find(&key);
        Entry { map: self, key, at }
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

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The `i`th entry in key order, in constant time.
    pub fn get_index(&self, i: usize) -> Option<(&K, &V)> {
        self.0.get(i).map(|(k, v)| (k, v))
    }

    /// In key order, as a `BTreeMap` iterates.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// The keys in `range` and their values, in key order.
    pub fn range(
        &self,
        range: impl RangeBounds<K>,
    ) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        let start = match range.start_bound() {
            Bound::Included(s) => self.0.partition_point(|(k, _)| k < s),
            Bound::Excluded(s) => self.0.partition_point(|(k, _)| k <= s),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(e) => self.0.partition_point(|(k, _)| k <= e),
            Bound::Excluded(e) => self.0.partition_point(|(k, _)| k < e),
            Bound::Unbounded => self.0.len(),
        };
        self.0[start..end.max(start)].iter().map(|(k, v)| (k, v))
    }

    /// Keeps only the entries `keep` says yes to, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.0.first().map(|(k, v)| (k, v))
    }

    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.0.last().map(|(k, v)| (k, v))
    }

    pub fn pop_first(&mut self) -> Option<(K, V)> {
        (!self.0.is_empty()).then(|| self.0.remove(0))
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    /// In key order.
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// One key's place in a [`SortedMap`], as `BTreeMap::entry` gives it.
pub struct Entry<'a, K, V> {
    map: &'a mut SortedMap<K, V>,
    key: K,
    at: Result<usize, usize>,
}

impl<'a, K, V> Entry<'a, K, V> {
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let at = match self.at {
            Ok(at) => at,
            Err(at) => {
                self.map.0.insert(at, (self.key, make()));
                at
            }
        };
        &mut self.map.0[at].1
    }

    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<K: Ord, V> Index<&K> for SortedMap<K, V> {
    type Output = V;

    /// Panics when `key` is absent, as a `BTreeMap` does.
    fn index(&self, key: &K) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// The last value given for a key wins, as in a `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut map = SortedMap::new();
        for (k, v) in items {
            map.insert(k, v);
        }
        map
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(items: [(K, V); N]) -> Self {
        items.into_iter().collect()
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    /// In key order.
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
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
        *ours.entry(5).or_insert('e') = 'f';
        *map.entry(5).or_insert('e') = 'f';
        assert_eq!(ours.entry(2).or_insert_with(|| 'x'), &mut 'd');
        assert_eq!(*ours.entry(7).or_default(), '\0');
        *map.entry(7).or_default() = '\0';
        assert!(ours.iter().eq(map.iter()));
        assert_eq!(ours.get(&5), Some(&'f'));
        assert_eq!(ours.get(&4), None);
        assert_eq!(hash(&ours), hash(&map));
    }

    /// Every method the engines call, against a `BTreeMap` doing the same,
    /// over a long run of mixed operations.
    #[test]
    fn the_map_answers_every_query_as_a_btree_map() {
        use std::collections::BTreeMap;
        let mut ours = SortedMap::new();
        let mut map = BTreeMap::new();
        let mut x = 7u64;
        for round in 0..2_000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let key = (x >> 33) % 40;
            match round % 7 {
                0 | 1 => assert_eq!(ours.insert(key, round), map.insert(key, round)),
                2 => *ours.entry(key).or_default() += 1,
                3 => assert_eq!(ours.remove(&key), map.remove(&key)),
                4 => ours.retain(|k, v| (k + *v) % 5 != 0),
                5 => assert_eq!(ours.pop_first(), map.pop_first()),
                _ => {
                    if let Some(v) = ours.get_mut(&key) {
                        *v += 3;
                    }
                }
            }
            match round % 7 {
                2 => *map.entry(key).or_default() += 1,
                4 => map.retain(|k, v| (k + *v) % 5 != 0),
                6 => {
                    if let Some(v) = map.get_mut(&key) {
                        *v += 3;
                    }
                }
                _ => {}
            }
            assert!(ours.iter().eq(map.iter()));
            assert_eq!(ours.contains_key(&key), map.contains_key(&key));
            assert_eq!(ours.first_key_value(), map.first_key_value());
            assert_eq!(ours.last_key_value(), map.last_key_value());
            let (lo, hi) = (key.min(x % 40), key.max(x % 40));
            assert!(ours.range(lo..hi).eq(map.range(lo..hi)));
            assert!(ours.range(lo..=hi).rev().eq(map.range(lo..=hi).rev()));
            assert!(ours.range(hi..).eq(map.range(hi..)));
            assert_eq!(hash(&ours), hash(&map));
            assert_eq!(format!("{ours:?}"), format!("{map:?}"));
        }
        assert!(ours.clone().into_iter().eq(map.clone()));
        let collected: SortedMap<u64, u64> = map.iter().rev().map(|(&k, &v)| (k, v)).collect();
        assert!(collected == ours);
    }
}
