//! A message kind's mark: its shape, filled for requests, hollow for replies.
//! One definition of the shapes, for the legend (an element each, drawn by
//! Yew) and for the messages in flight (outlines in one path per kind, drawn
//! by `message_layer`).

use caucus_sim::view::{KindStyle, Shape};
use yew::prelude::*;
use yew::virtual_dom::VTag;

use crate::numbers::tenths;
use crate::view_model::shape_class;

/// A glyph's outline about the origin, pointing along +x.
pub enum Outline {
    Circle {
        r: f64,
    },
    /// Corners in order; `len` of them are used.
    Polygon {
        corners: [(f64, f64); 4],
        len: usize,
    },
}

/// The outline of `shape` at half-size `s`.
pub fn outline(shape: Shape, s: f64) -> Outline {
    match shape {
        Shape::Circle => Outline::Circle { r: s },
        Shape::Square => Outline::Polygon { corners: [(-s, -s), (s, -s), (s, s), (-s, s)], len: 4 },
        Shape::Diamond => {
            let d = s * 1.3;
            Outline::Polygon { corners: [(0.0, -d), (d, 0.0), (0.0, d), (-d, 0.0)], len: 4 }
        }
        Shape::Triangle => {
            Outline::Polygon { corners: [(s * 1.3, 0.0), (-s, -s), (-s, s), (0.0, 0.0)], len: 3 }
        }
    }
}

/// The glyph's classes: its shape, its kind's colour, hollow for a reply.
pub fn class(style: KindStyle) -> String {
    let reply = if style.reply { " reply" } else { "" };
    format!("glyph {} kind-{}{reply}", shape_class(style.shape), style.kind)
}

/// The glyph as Yew draws it (the legend).
pub fn glyph(style: KindStyle, s: f64) -> Html {
    let mut element = match outline(style.shape, s) {
        Outline::Circle { r } => {
            let mut circle = VTag::new("circle");
            circle.add_attribute("r", tenths(r).to_string());
            circle
        }
        Outline::Polygon { corners, len } => {
            let points: Vec<String> = corners[..len]
                .iter()
                .map(|(x, y)| format!("{},{}", tenths(*x), tenths(*y)))
                .collect();
            let mut polygon = VTag::new("polygon");
            polygon.add_attribute("points", points.join(" "));
            polygon
        }
    };
    element.add_attribute("class", class(style));
    element.into()
}
