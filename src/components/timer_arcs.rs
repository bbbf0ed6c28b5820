//! The nodes' timer arcs: how far each node's timer has run, as an arc
//! clockwise from the top of the ring around the node. They move on every
//! frame of play, so they are two paths, not an element a node: the leader's
//! arc and everyone else's. A frame then sets two attributes, not thirteen
//! (PBFT f = 3), and the browser restyles two elements.

use std::fmt::Write;

use yew::prelude::*;

use crate::numbers::{math, tenths};
use crate::view_model::NodeDot;

/// The arcs of `nodes`, on rings of radius `ring` about each node.
pub fn timer_arcs(nodes: &[NodeDot], ring: f64) -> Html {
    let (mut leader, mut others) = (String::new(), String::new());
    for dot in nodes {
        let Some(p) = dot.timer else { continue };
        let d =
            if dot.view.tone == caucus_sim::view::Tone::Leader { &mut leader } else { &mut others };
        arc(d, dot.x, dot.y, ring, p);
    }
    let path = |class: &'static str, d: String| {
        (!d.is_empty()).then(|| html! { <path key={class} {class} {d} /> })
    };
    html! {
        <g class="timer-arcs">
            { for path("timer-arc", others) }
            { for path("timer-arc leader", leader) }
        </g>
    }
}

/// Adds to `d` the arc of a timer `p` of the way (0 to 1) round a ring of
/// radius `r` about (`x`, `y`), clockwise from the top.
fn arc(d: &mut String, x: f64, y: f64, r: f64, p: f64) {
    if p <= 0.0 {
        return;
    }
    let top = format!("{} {}", tenths(x), tenths(y - r));
    let angle = std::f64::consts::TAU * p;
    let end = format!("{} {}", tenths(x + r * math::sin(angle)), tenths(y - r * math::cos(angle)));
    let radius = tenths(r);
    // A whole ring is two half arcs: an arc whose ends are the same point is
    // not drawn at all, and so is one that ends within a tenth of where it
    // starts (the last sliver before a timer runs out).
    if p >= 1.0 || end == top {
        let bottom = format!("{} {}", tenths(x), tenths(y + r));
        let _ = write!(d, "M{top}A{radius} {radius} 0 0 1 {bottom}A{radius} {radius} 0 0 1 {top}");
        return;
    }
    let large = u8::from(p > 0.5);
    let _ = write!(d, "M{top}A{radius} {radius} 0 {large} 1 {end}");
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn drawn(p: f64) -> String {
        let mut d = String::new();
        arc(&mut d, 100.0, 50.0, 10.0, p);
        d
    }

    #[test]
    fn an_arc_runs_clockwise_from_the_top_of_the_ring() {
        // Not started: nothing drawn.
        assert_eq!(drawn(0.0), "");
        // A quarter: from the top to the right (y grows downwards).
        assert_eq!(drawn(0.25), "M100.0 40.0A10.0 10.0 0 0 1 110.0 50.0");
        // Three quarters: the long way, to the left.
        assert_eq!(drawn(0.75), "M100.0 40.0A10.0 10.0 0 1 1 90.0 50.0");
        // Run out: the whole ring, through the bottom and back to the top.
        let whole = "M100.0 40.0A10.0 10.0 0 0 1 100.0 60.0A10.0 10.0 0 0 1 100.0 40.0";
        assert_eq!(drawn(1.0), whole);
        // So is an arc that would end within a tenth of its start.
        assert_eq!(drawn(0.9999), whole);
    }
}
