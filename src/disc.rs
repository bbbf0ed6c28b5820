//! Where the nodes of a large cluster go on the canvas, and which node is
//! under the pointer. Nodes sit on a sunflower spiral (Vogel 1979): node i
//! at radius √((i + ½)/n) of the disc, turned by the golden angle each
//! time. The density is even, so no region looks busier than it is; a node
//! keeps its place whatever else happens; and the disc fits any panel. A
//! coarse grid of cells about one spacing wide finds the node under a
//! point by looking at nine cells, not at every node.

use crate::numbers::math;

/// The golden angle, π(3 − √5): consecutive nodes turn by it.
const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;

/// n nodes on a disc of radius 1 about the origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Disc {
    /// Each node's place, by node number.
    pub places: Vec<(f32, f32)>,
    /// The typical distance between neighbours: √(π/n).
    pub spacing: f32,
    grid: Grid,
}

/// Node numbers by cell, in one flat array (cell `c` holds
/// `nodes[starts[c]..starts[c + 1]]`).
#[derive(Clone, Debug, PartialEq)]
struct Grid {
    /// Cells across (and down): the grid covers [−1, 1]².
    side: usize,
    starts: Vec<u32>,
    nodes: Vec<u32>,
}

impl Disc {
    pub fn new(n: u32) -> Disc {
        let count = f64::from(n.max(1));
        let places: Vec<(f32, f32)> = (0..n)
            .map(|i| {
                let r = ((f64::from(i) + 0.5) / count).sqrt();
                let angle = f64::from(i) * GOLDEN_ANGLE;
                ((r * math::cos(angle)) as f32, (r * math::sin(angle)) as f32)
            })
            .collect();
        let spacing = (std::f64::consts::PI / count).sqrt() as f32;
        let side = ((2.0 / spacing).ceil() as usize).clamp(1, 1_024);
        let grid = Grid::new(&places, side);
        Disc { places, spacing, grid }
    }

    /// The node nearest `(x, y)` (in the disc's units) within `reach`, if any.
    pub fn node_at(&self, x: f32, y: f32, reach: f32) -> Option<u32> {
        let (cx, cy) = self.grid.cell(x, y);
        let around = |c: usize, d: isize| c.checked_add_signed(d).filter(|&c| c < self.grid.side);
        let mut best: Option<(f32, u32)> = None;
        for dy in -1..=1 {
            for dx in -1..=1 {
                let (Some(gx), Some(gy)) = (around(cx, dx), around(cy, dy)) else { continue };
                for &id in self.grid.in_cell(gx, gy) {
                    let (px, py) = self.places[id as usize];
                    // Squared distances: no square root per node.
                    let d = (px - x) * (px - x) + (py - y) * (py - y);
                    if d <= reach * reach && best.is_none_or(|(b, _)| d < b) {
                        best = Some((d, id));
                    }
                }
            }
        }
        best.map(|(_, id)| id)
    }

    /// The nodes inside the rectangle between two corners, in node order:
    /// a dragged region (crash them, or partition the network by it).
    pub fn in_rect(&self, a: (f32, f32), b: (f32, f32)) -> Vec<u32> {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        let (c0, c1) = (self.grid.cell(x0, y0), self.grid.cell(x1, y1));
        let mut found: Vec<u32> = (c0.1..=c1.1)
            .flat_map(|gy| (c0.0..=c1.0).map(move |gx| (gx, gy)))
            .flat_map(|(gx, gy)| self.grid.in_cell(gx, gy).iter().copied())
            .filter(|&id| {
                let (x, y) = self.places[id as usize];
                (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
            })
            .collect();
        found.sort_unstable();
        found
    }
}

impl Grid {
    fn new(places: &[(f32, f32)], side: usize) -> Grid {
        let mut grid = Grid { side, starts: vec![0; side * side + 1], nodes: Vec::new() };
        let cells: Vec<usize> = places.iter().map(|&(x, y)| grid.index(x, y)).collect();
        for &c in &cells {
            grid.starts[c + 1] += 1;
        }
        for c in 0..side * side {
            grid.starts[c + 1] += grid.starts[c];
        }
        let mut next = grid.starts.clone();
        grid.nodes = vec![0; places.len()];
        for (id, &c) in cells.iter().enumerate() {
            grid.nodes[next[c] as usize] = id as u32;
            next[c] += 1;
        }
        grid
    }

    /// The cell of a point, points outside the disc's square clamped to its edge.
    fn cell(&self, x: f32, y: f32) -> (usize, usize) {
        let at = |v: f32| {
            (((v + 1.0) / 2.0 * self.side as f32).floor().max(0.0) as usize).min(self.side - 1)
        };
        (at(x), at(y))
    }

    fn index(&self, x: f32, y: f32) -> usize {
        let (cx, cy) = self.cell(x, y);
        cy * self.side + cx
    }

    fn in_cell(&self, cx: usize, cy: usize) -> &[u32] {
        let c = cy * self.side + cx;
        &self.nodes[self.starts[c] as usize..self.starts[c + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::Disc;

    #[test]
    fn every_node_is_on_the_disc_and_none_sit_on_another() {
        for n in [1, 2, 7, 1_000, 10_000] {
            let disc = Disc::new(n);
            assert_eq!(disc.places.len(), n as usize);
            assert!(disc.places.iter().all(|&(x, y)| x.hypot(y) <= 1.0));
            // Vogel's spiral keeps neighbours about a spacing apart: no
            // other node within a third of it, even on a square that size.
            let r = disc.spacing / 3.0;
            for (id, &(x, y)) in disc.places.iter().enumerate() {
                let near = disc.in_rect((x - r, y - r), (x + r, y + r));
                assert_eq!(near, [id as u32], "n = {n}: node {id} has a neighbour too close");
            }
        }
    }

    #[test]
    fn the_node_under_a_point_is_the_nearest_one_within_reach() {
        let disc = Disc::new(10_000);
        let brute = |x: f32, y: f32, reach: f32| {
            (0..10_000u32)
                .map(|i| (disc.places[i as usize], i))
                .map(|((px, py), i)| ((px - x).hypot(py - y), i))
                .filter(|&(d, _)| d <= reach)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, i)| i)
        };
        let reach = disc.spacing / 2.0;
        for k in 0..2_000 {
            // Points spread over the square, the disc's edge and beyond.
            let x = ((k * 37) % 211) as f32 / 100.0 - 1.05;
            let y = ((k * 53) % 199) as f32 / 94.0 - 1.05;
            assert_eq!(disc.node_at(x, y, reach), brute(x, y, reach), "at ({x}, {y})");
        }
        assert_eq!(disc.node_at(5.0, 5.0, reach), None);
    }

    #[test]
    fn a_dragged_rectangle_holds_exactly_the_nodes_inside() {
        let disc = Disc::new(2_000);
        let (a, b) = ((0.3, -0.2), (-0.1, 0.45));
        let inside: Vec<u32> = (0..2_000u32)
            .filter(|&i| {
                let (x, y) = disc.places[i as usize];
                (-0.1..=0.3).contains(&x) && (-0.2..=0.45).contains(&y)
            })
            .collect();
        assert_eq!(disc.in_rect(a, b), inside);
        assert!(inside.len() > 50);
        assert_eq!(disc.in_rect((2.0, 2.0), (3.0, 3.0)), Vec::<u32>::new());
    }

    #[test]
    fn a_node_keeps_its_place_as_the_cluster_grows() {
        // Stable relative places: node i's angle does not depend on n.
        let (small, large) = (Disc::new(100), Disc::new(400));
        for i in 0..100 {
            let (a, b) = (small.places[i], large.places[i]);
            let turn = (a.1.atan2(a.0) - b.1.atan2(b.0)).abs();
            assert!(turn < 1e-4 || (turn - std::f32::consts::TAU).abs() < 1e-4, "node {i}");
        }
    }
}
