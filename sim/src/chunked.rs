//! A list that grows without moving what it already holds, and whose copies
//! share it: a timeline's actions, the page's record of each step, a PBFT
//! node's journal. A `Vec` that grows doubles and copies everything it
//! holds; a run played at top speed in the page (30,000 PBFT steps a
//! second) made each doubling one long frame, and a longer one each time
//! (7 ms of one frame for the page's records, from Chrome's profiler, a few
//! hundred thousand steps in). Here the items sit in chunks of `N`, and a
//! full chunk is never copied: not when the list grows, and not when the
//! list is cloned (a clone shares the chunks; the last, if the clone or the
//! original then grows, is copied once, at most `N` items). A timeline's
//! snapshot of a world with journals so copies a pointer for each `N`
//! entries, not the entries.

use std::fmt;
use std::ops::{Index, Range};
use std::sync::Arc;

/// Items a chunk holds by default. A chunk grows as a `Vec` does until it is
/// full, so a short list costs no more than a `Vec`.
pub const CHUNK: usize = 4096;

/// Items in order, in chunks of `N`: every chunk but the last is full.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Chunked<T, const N: usize = CHUNK> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

/// The items of a `Chunked`, in order.
pub type Iter<'a, T> = std::iter::FlatMap<
    std::slice::Iter<'a, Arc<Vec<T>>>,
    std::slice::Iter<'a, T>,
    fn(&'a Arc<Vec<T>>) -> std::slice::Iter<'a, T>,
>;

impl<T, const N: usize> Default for Chunked<T, N> {
    fn default() -> Self {
        Chunked { chunks: Vec::new(), len: 0 }
    }
}

impl<T, const N: usize> Chunked<T, N> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, at: usize) -> Option<&T> {
        (at < self.len).then(|| &self.chunks[at / N][at % N])
    }

    pub fn last(&self) -> Option<&T> {
        self.chunks.last()?.last()
    }

    /// The items in `range`, which must lie within the list.
    pub fn range(
        &self,
        range: Range<usize>,
    ) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        assert!(
            range.start <= range.end && range.end <= self.len,
            "{range:?} of {} items",
            self.len
        );
        range.map(|at| &self.chunks[at / N][at % N])
    }

    /// The items from `from` to the end (none if `from` is past it).
    pub fn iter_from(
        &self,
        from: usize,
    ) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.range(from.min(self.len)..self.len)
    }

    pub fn iter(&self) -> Iter<'_, T> {
        self.chunks.iter().flat_map(|chunk| chunk.iter())
    }
}

impl<T: Clone, const N: usize> Chunked<T, N> {
    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            // Shared with a clone: copied first, once.
            Some(last) if last.len() < N => Arc::make_mut(last).push(item),
            _ => self.chunks.push(Arc::new(vec![item])),
        }
        self.len += 1;
    }

    /// Keeps the first `len` items (all of them if there are fewer).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let chunks = len.div_ceil(N);
        self.chunks.truncate(chunks);
        if let Some(last) = self.chunks.last_mut() {
            let keep = len - (chunks - 1) * N;
            if let Some(own) = Arc::get_mut(last) {
                own.truncate(keep);
            } else if last.len() > keep {
                // Shared with a clone: a copy of what is kept.
                *last = Arc::new(last[..keep].to_vec());
            }
        }
        self.len = len;
    }

    /// A copy of the items in one `Vec`, allocated once.
    pub fn to_vec(&self) -> Vec<T> {
        let mut all = Vec::with_capacity(self.len);
        for chunk in &self.chunks {
            all.extend_from_slice(chunk);
        }
        all
    }
}

impl<T, const N: usize> Index<usize> for Chunked<T, N> {
    type Output = T;

    fn index(&self, at: usize) -> &T {
        self.get(at).unwrap_or_else(|| panic!("item {at} of {}", self.len))
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a Chunked<T, N> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Clone, const N: usize> FromIterator<T> for Chunked<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut list = Chunked::new();
        for item in items {
            list.push(item);
        }
        list
    }
}

/// As a list, like a `Vec`.
impl<T: fmt::Debug, const N: usize> fmt::Debug for Chunked<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    /// A draw below `n` from a linear congruential generator.
    fn below(x: &mut u64, n: u64) -> u64 {
        *x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*x >> 33) % n
    }

    /// Pushes and truncations at random, against a `Vec`: every way of
    /// reading the list agrees with it, across chunk boundaries.
    #[test]
    fn behaves_as_a_vec() {
        let mut x = 7;
        let mut list: Chunked<u64> = Chunked::new();
        let mut vec = Vec::new();
        // Clones taken along the way, with what each held: whatever the
        // list does after, a clone keeps its items.
        let mut clones = Vec::new();
        for round in 0..150u64 {
            if below(&mut x, 5) == 0 {
                clones.push((list.clone(), vec.clone()));
            }
            if below(&mut x, 8) == 0 {
                let len = below(&mut x, vec.len() as u64 + 2) as usize;
                list.truncate(len);
                vec.truncate(len);
            } else {
                for i in 0..below(&mut x, 2 * CHUNK as u64) {
                    list.push(round * 100_000 + i);
                    vec.push(round * 100_000 + i);
                }
            }
            assert_eq!(list.len(), vec.len());
            assert_eq!(list.is_empty(), vec.is_empty());
            assert!(list.iter().eq(vec.iter()), "round {round}");
            assert!(list.iter().rev().eq(vec.iter().rev()), "round {round}");
            assert_eq!(list.to_vec(), vec);
            let from = below(&mut x, vec.len() as u64 + 1) as usize;
            let to = from + below(&mut x, (vec.len() - from) as u64 + 1) as usize;
            assert!(list.range(from..to).eq(vec[from..to].iter()), "{from}..{to}");
            assert!(list.range(from..to).rev().eq(vec[from..to].iter().rev()), "{from}..{to}");
            assert_eq!(list.range(from..to).len(), to - from);
            assert_eq!(list.last(), vec.last());
            for at in [0, from, to, vec.len().saturating_sub(1), vec.len()] {
                assert_eq!(list.get(at), vec.get(at), "item {at}");
            }
            // Every chunk but the last is full: equal lists are equal
            // however they were built.
            assert_eq!(list, vec.iter().copied().collect::<Chunked<_>>());
            assert!(list.chunks.iter().rev().skip(1).all(|c| c.len() == CHUNK));
            assert!(list.chunks.last().is_none_or(|c| !c.is_empty()));
            for (copy, held) in &clones {
                assert!(copy.iter().eq(held.iter()), "round {round}: a clone changed");
            }
        }
        assert!(clones.len() > 10, "{} clones", clones.len());
        assert_eq!(format!("{:?}", [1, 2].into_iter().collect::<Chunked<_>>()), "[1, 2]");
    }

    /// A clone shares every chunk; what either then does is its own, and
    /// costs the other nothing.
    #[test]
    fn a_clone_shares_its_chunks_until_one_of_them_changes() {
        let mut list: Chunked<u32, 4> = (0..10).collect();
        let copy = list.clone();
        assert!(list.chunks.iter().zip(&copy.chunks).all(|(a, b)| Arc::ptr_eq(a, b)));
        list.push(10);
        assert_eq!(copy.to_vec(), (0..10).collect::<Vec<_>>());
        assert_eq!(list.to_vec(), (0..11).collect::<Vec<_>>());
        // The full chunks are still shared; the last was copied once.
        assert!(Arc::ptr_eq(&list.chunks[0], &copy.chunks[0]));
        assert!(Arc::ptr_eq(&list.chunks[1], &copy.chunks[1]));
        assert!(!Arc::ptr_eq(&list.chunks[2], &copy.chunks[2]));
        let mut cut = copy.clone();
        cut.truncate(5);
        assert_eq!(cut.to_vec(), [0, 1, 2, 3, 4]);
        assert_eq!(copy.len(), 10, "the original keeps its items");
        assert!(cut.iter_from(3).eq([3, 4].iter()));
        assert_eq!(cut.iter_from(9).count(), 0);
    }

    #[test]
    fn a_full_chunk_is_never_moved() {
        let mut list: Chunked<u32> = (0..CHUNK as u32).collect();
        let first = list.chunks[0].as_ptr();
        for i in 0..3 * CHUNK as u32 {
            list.push(i);
        }
        assert_eq!(list.chunks[0].as_ptr(), first);
        assert_eq!(list.chunks.len(), 4);
    }
}
