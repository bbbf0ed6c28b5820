//! A number that changes whenever what a panel draws may have changed, so a
//! panel can skip rendering when its number is the one it last drew. Numbers
//! come from one counter for the whole page, so a new run (settings changed,
//! a link opened) never repeats the number an old run's panel last drew.

use std::cell::Cell;

thread_local! {
    static LAST: Cell<u64> = const { Cell::new(0) };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Revision(u64);

impl Revision {
    /// A number no earlier call returned.
    pub fn next() -> Revision {
        Revision(LAST.with(|last| {
            last.set(last.get() + 1);
            last.get()
        }))
    }
}

impl Default for Revision {
    fn default() -> Self {
        Revision::next()
    }
}
