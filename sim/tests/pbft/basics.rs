//! The normal case, rule by rule.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;

#[test]
fn a_request_completes_in_the_normal_case() {
    let mut w = world(PbftConfig::new(1, 1), 1);
    request(&mut w, 0, "x=1");
    let seen = run_until(&mut w, 200, "the client accepts a result", |w| accepted(w, 0) == 1);
    assert_eq!(seen.replies, vec!["c0: x=1 done; x was unset".to_string()]);
    request(&mut w, 0, "x=2");
    let seen = run_until(&mut w, 200, "the second result", |w| accepted(w, 0) == 2);
    assert_eq!(seen.replies, vec!["c0: x=2 done; x was 1".to_string()]);
}
