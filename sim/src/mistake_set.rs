//! The mistakes switched on in an engine's settings: a handful at most, kept
//! sorted and distinct in a `Vec`. It behaves as the `BTreeSet` it replaces
//! (same order, same JSON, same `Debug` and `Hash`), with far less code in
//! the wasm than a B-tree of its own for each engine's mistake type.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MistakeSet<M>(Vec<M>);

impl<M> Default for MistakeSet<M> {
    fn default() -> Self {
        MistakeSet(Vec::new())
    }
}

impl<M: Ord + Copy> MistakeSet<M> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Switches `mistake` on; false if it already was.
    pub fn insert(&mut self, mistake: M) -> bool {
        match self.0.binary_search(&mistake) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, mistake);
                true
            }
        }
    }

    /// Switches `mistake` off; false if it was not on.
    pub fn remove(&mut self, mistake: &M) -> bool {
        match self.0.binary_search(mistake) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    pub fn contains(&self, mistake: &M) -> bool {
        self.0.contains(mistake)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// In order, as a `BTreeSet` iterates.
    pub fn iter(&self) -> std::slice::Iter<'_, M> {
        self.0.iter()
    }
}

impl<M: Ord + Copy> FromIterator<M> for MistakeSet<M> {
    fn from_iter<I: IntoIterator<Item = M>>(items: I) -> Self {
        let mut all: Vec<M> = items.into_iter().collect();
        all.sort_unstable();
        all.dedup();
        MistakeSet(all)
    }
}

impl<M: Ord + Copy, const N: usize> From<[M; N]> for MistakeSet<M> {
    fn from(items: [M; N]) -> Self {
        items.into_iter().collect()
    }
}

/// Written as a set is: `{A, B}`.
impl<M: fmt::Debug> fmt::Debug for MistakeSet<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(&self.0).finish()
    }
}

/// A JSON array, in order, as a `BTreeSet` writes it.
impl<M: Serialize> Serialize for MistakeSet<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Any array of mistakes, in any order and with repeats, as a `BTreeSet`
/// reads it (the same errors for anything else).
impl<'de, M: Deserialize<'de> + Ord + Copy> Deserialize<'de> for MistakeSet<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<M>::deserialize(deserializer)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::hash::{DefaultHasher, Hash, Hasher};

    use super::MistakeSet;
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
            let ours = serde_json::from_str::<MistakeSet<Mistake>>(text);
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
        let mut ours = MistakeSet::new();
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
}
