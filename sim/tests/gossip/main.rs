//! The gossip engine: its rules one input at a time, its agreement with the
//! published analyses over many seeded runs, its properties under random
//! schedules, and its cost at 10,000 sites.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod determinism;
mod properties;
mod rules;
mod scale;
mod swim;
#[cfg(not(target_arch = "wasm32"))]
mod theory;

use caucus_sim::NodeId;
use caucus_sim::gossip::{Update, Updates};

pub fn n(i: u32) -> NodeId {
    NodeId(i)
}

pub fn update(key: u32, version: u32, origin: u32) -> Update {
    Update { key, version, origin: NodeId(origin) }
}

pub fn updates(list: &[Update]) -> Updates {
    list.iter().copied().collect()
}

/// Whether the test suite runs long (`cargo xtask test --long`).
pub fn long() -> bool {
    std::env::var("CAUCUS_TEST_LENGTH").as_deref() == Ok("long")
}
