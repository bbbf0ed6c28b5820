//! How often chosen components render, counted under test only: a test
//! checks that panels whose data did not change (settings, presets, the
//! legend) are not rendered again on every frame of play.

#[cfg(test)]
thread_local! {
    static COUNTS: std::cell::RefCell<std::collections::BTreeMap<&'static str, u32>> =
        Default::default();
}

/// Counts one render of the component `name` (nothing outside tests).
#[inline]
pub fn count(name: &'static str) {
    #[cfg(test)]
    COUNTS.with(|c| *c.borrow_mut().entry(name).or_default() += 1);
    #[cfg(not(test))]
    let _ = name;
}

/// Renders of `name` counted so far.
#[cfg(test)]
pub fn of(name: &'static str) -> u32 {
    COUNTS.with(|c| c.borrow().get(name).copied().unwrap_or(0))
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
