//! A message kind's mark: its shape, filled for requests, hollow for replies.
//! One definition of the shapes, for the legend (drawn by Yew) and for the
//! messages in flight (made once per message by `message_layer`).

use caucus_sim::view::{KindStyle, Shape};
use yew::prelude::*;
use yew::virtual_dom::VTag;

use crate::view_model::shape_class;

/// The glyph's element and its geometry, for half-size `s`, about the origin.
pub fn geometry(shape: Shape, s: f64) -> (&'static str, Vec<(&'static str, String)>) {
    let f = |v: f64| format!("{v:.1}");
    match shape {
        Shape::Circle => ("circle", vec![("r", f(s))]),
        Shape::Square => (
            "rect",
            vec![
                ("x", f(-s)),
                ("y", f(-s)),
                ("width", f(2.0 * s)),
                ("height", f(2.0 * s)),
                ("rx", "1.5".into()),
            ],
        ),
        Shape::Diamond => {
            let d = s * 1.3;
            ("polygon", vec![("points", format!("0,{} {},0 0,{} {},0", f(-d), f(d), f(d), f(-d)))])
        }
        Shape::Triangle => (
            "polygon",
            vec![("points", format!("{},0 {},{} {},{}", f(s * 1.3), f(-s), f(-s), f(-s), f(s)))],
        ),
    }
}

/// The glyph's classes: its shape, its kind's colour, hollow for a reply.
pub fn class(style: KindStyle) -> String {
    let reply = if style.reply { " reply" } else { "" };
    format!("glyph {} kind-{}{reply}", shape_class(style.shape), style.kind)
}

/// The glyph as Yew draws it (the legend).
pub fn glyph(style: KindStyle, s: f64) -> Html {
    let (tag, attributes) = geometry(style.shape, s);
    let mut element = VTag::new(tag);
    element.add_attribute("class", class(style));
    for (name, value) in attributes {
        element.add_attribute(name, value);
    }
    element.into()
}
