//! The replicated log, indexed from 1 as in the paper (index 0 is the empty
//! prefix, whose term is 0).

use serde::{Deserialize, Serialize};

use super::kv::Set;
use super::messages::Entries;

/// One log entry: the term in which a leader created it, and its command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub term: u64,
    pub command: Set,
}

/// A server's log. Every change goes through a method here, which also
/// counts the change, so the invariant checks can tell cheaply whether a log
/// changed since they last looked.
#[derive(Clone, Debug, Default)]
pub struct Log {
    entries: Vec<Entry>,
    changes: u64,
}

/// Two logs are equal when their entries are; how they got there does not matter.
impl PartialEq for Log {
    fn eq(&self, other: &Log) -> bool {
        self.entries == other.entries
    }
}

impl Eq for Log {}

impl Log {
    pub fn from_entries(entries: Vec<Entry>) -> Log {
        Log { entries, changes: 0 }
    }

    /// How many times this log has been changed; equal counts on the same
    /// server mean an unchanged log.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    pub fn last_index(&self) -> u64 {
        self.entries.len() as u64
    }

    pub fn last_term(&self) -> u64 {
        self.entries.last().map_or(0, |e| e.term)
    }

    /// The term of the entry at `index`; 0 for index 0; `None` past the end.
    pub fn term_at(&self, index: u64) -> Option<u64> {
        if index == 0 { Some(0) } else { self.get(index).map(|e| e.term) }
    }

    pub fn get(&self, index: u64) -> Option<&Entry> {
        index.checked_sub(1).and_then(|i| self.entries.get(i as usize))
    }

    /// Up to `max` entries starting at `from`.
    pub fn slice(&self, from: u64, max: u32) -> Entries {
        let start = ((from.max(1) - 1) as usize).min(self.entries.len());
        let end = start.saturating_add(max as usize).min(self.entries.len());
        match &self.entries[start..end] {
            // The common case, as a copy of known size: in wasm, a copy of
            // unknown length is a call into the engine, which costs more.
            [one] => smallvec::smallvec![*one],
            entries => Entries::from_slice(entries),
        }
    }

    pub fn push(&mut self, entry: Entry) -> u64 {
        self.entries.push(entry);
        self.changes += 1;
        self.last_index()
    }

    /// Deletes the entry at `index` and all that follow it.
    pub fn truncate_from(&mut self, index: u64) {
        self.entries.truncate(index.saturating_sub(1) as usize);
        self.changes += 1;
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The last index holding an entry of `term`, if any.
    pub fn last_index_of_term(&self, term: u64) -> Option<u64> {
        self.entries.iter().rposition(|e| e.term == term).map(|i| i as u64 + 1)
    }

    /// The first index holding an entry of `term`, if any.
    pub fn first_index_of_term(&self, term: u64) -> Option<u64> {
        self.entries.iter().position(|e| e.term == term).map(|i| i as u64 + 1)
    }
}

/// Raft §5.4.1: a log is at least as up to date as another if its last term
/// is higher, or the last terms are equal and it is at least as long.
pub fn at_least_as_up_to_date(last_term: u64, last_index: u64, than: &Log) -> bool {
    last_term > than.last_term()
        || (last_term == than.last_term() && last_index >= than.last_index())
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn log(terms: &[u64]) -> Log {
        let set = Set::parse("x=1").unwrap();
        Log::from_entries(terms.iter().map(|&term| Entry { term, command: set }).collect())
    }

    #[test]
    fn indexes_count_from_one_and_zero_is_the_empty_prefix() {
        let l = log(&[1, 1, 2]);
        assert_eq!((l.last_index(), l.last_term()), (3, 2));
        assert_eq!(l.term_at(0), Some(0));
        assert_eq!(l.term_at(3), Some(2));
        assert_eq!(l.term_at(4), None);
        assert_eq!(l.slice(2, 10).len(), 2);
        assert_eq!(l.slice(4, 10).len(), 0);
    }

    #[test]
    fn a_slice_holds_the_entries_from_its_index_up_to_the_limit() {
        let l = log(&[1, 2, 3, 4]);
        let terms = |from, max| l.slice(from, max).iter().map(|e| e.term).collect::<Vec<_>>();
        assert_eq!(terms(2, 1), [2], "one entry (the common case)");
        assert_eq!(terms(2, 2), [2, 3]);
        assert_eq!(terms(3, 10), [3, 4], "cut at the end of the log");
        assert_eq!(terms(1, 0), [0u64; 0]);
        assert_eq!(terms(5, 1), [0u64; 0], "past the end");
        assert_eq!(terms(0, 1), [1], "index 0 reads as 1");
    }

    #[test]
    fn truncation_removes_the_entry_and_all_after() {
        let mut l = log(&[1, 1, 2, 3]);
        l.truncate_from(3);
        assert_eq!(l.last_index(), 2);
        l.truncate_from(1);
        assert_eq!(l.last_index(), 0);
    }

    #[test]
    fn up_to_date_compares_last_term_then_length() {
        let l = log(&[1, 2, 2]);
        assert!(at_least_as_up_to_date(3, 1, &l));
        assert!(at_least_as_up_to_date(2, 3, &l));
        assert!(!at_least_as_up_to_date(2, 2, &l));
        assert!(!at_least_as_up_to_date(1, 9, &l));
    }

    #[test]
    fn every_change_is_counted_and_equality_ignores_the_count() {
        let mut l = log(&[1]);
        let before = l.changes();
        l.push(*l.get(1).unwrap());
        l.truncate_from(2);
        assert_eq!(l.changes(), before + 2);
        assert_eq!(l, log(&[1]));
    }

    #[test]
    fn first_and_last_index_of_a_term() {
        let l = log(&[1, 2, 2, 3]);
        assert_eq!(l.first_index_of_term(2), Some(2));
        assert_eq!(l.last_index_of_term(2), Some(3));
        assert_eq!(l.last_index_of_term(5), None);
    }
}
