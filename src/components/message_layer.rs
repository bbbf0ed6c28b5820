//! The messages in flight: one SVG path per kind, holding every message of
//! that kind as one outline each, turned the way it travels; the selected
//! message and any lies are drawn again on top, marked.
//!
//! A busy cluster has hundreds in flight, nearly all new in every frame of
//! play at top speed. An element per message meant making, moving and
//! removing hundreds of elements a frame, each styled, laid out and painted
//! by the browser: about 4.5 ms of PBFT f = 3's 11.8 ms median frame. A
//! canvas instead cost about 2 ms a frame in handing its pixels to the
//! compositor (software rendering, as the frame benchmark runs). A path per
//! kind is a dozen elements whatever the traffic, and keeps its look in the
//! stylesheet.
//!
//! A click on a message selects the one drawn nearest the pointer; the
//! pointer over one shows its description beside it.

use std::fmt::Write;
use std::rc::Rc;

use caucus_sim::MessageId;
use caucus_sim::view::KindStyle;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::glyph::{self, Outline};
use crate::numbers::{fixed, math, tenths};
use crate::view_model::MessageDot;

/// A message glyph's half-size.
const GLYPH: f64 = 7.0;
/// How far from a message's centre a click or the pointer still finds it.
const REACH: f64 = 12.0;

#[derive(Properties, PartialEq)]
pub struct MessageLayerProps {
    pub messages: Rc<[MessageDot]>,
    pub selected: Option<MessageId>,
    /// Every kind the engine draws, in the legend's order.
    pub kinds: &'static [KindStyle],
    /// The drawing's view box (left, top, width, height), in CSS pixels.
    pub view_box: (f64, f64, f64, f64),
    /// The SVG the messages are drawn in, to place the pointer.
    pub svg: NodeRef,
    /// The element the tooltip is shown in, placed in its parent.
    pub tip: NodeRef,
    /// A message was clicked.
    pub on_select: Callback<MessageId>,
    /// A message's tooltip, asked for when the pointer comes over it.
    pub describe: Callback<MessageId, Option<String>>,
}

/// What the pointer is matched against: the messages drawn last.
struct Drawn {
    messages: Rc<[MessageDot]>,
    view_box: (f64, f64, f64, f64),
    /// The message whose tooltip shows.
    hovered: Option<MessageId>,
}

#[function_component(MessageLayer)]
pub fn message_layer(props: &MessageLayerProps) -> Html {
    let drawn =
        use_mut_ref(|| Drawn { messages: Rc::from([]), view_box: props.view_box, hovered: None });
    {
        let mut d = drawn.borrow_mut();
        d.messages = props.messages.clone();
        d.view_box = props.view_box;
    }
    let paths = paths(&props.messages, props.kinds, props.selected);
    let onclick = {
        let (svg, drawn, on_select) = (props.svg.clone(), drawn.clone(), props.on_select.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(id) = message_at(&svg, &drawn.borrow(), &e) {
                on_select.emit(id);
            }
        })
    };
    let onpointermove = {
        let (svg, tip, drawn) = (props.svg.clone(), props.tip.clone(), drawn.clone());
        let describe = props.describe.clone();
        Callback::from(move |e: PointerEvent| {
            let found = message_at(&svg, &drawn.borrow(), &e);
            if found != drawn.borrow().hovered {
                drawn.borrow_mut().hovered = found;
                show_tip(&tip, found.and_then(|id| describe.emit(id)), &e);
            }
        })
    };
    let onpointerleave = {
        let (tip, drawn) = (props.tip.clone(), drawn.clone());
        Callback::from(move |e: PointerEvent| {
            drawn.borrow_mut().hovered = None;
            show_tip(&tip, None, &e);
        })
    };
    let paths = paths.into_iter().map(|(key, class, d)| html! { <path {key} {class} {d} /> });
    html! {
        <g class="messages" {onclick} {onpointermove} {onpointerleave}>{ for paths }</g>
    }
}

/// The paths to draw, as (key, classes, path data): one per kind with
/// messages in flight, then the selected message, then the lies by kind.
/// One pass over the messages: hundreds, every frame of play.
fn paths(
    messages: &[MessageDot],
    kinds: &[KindStyle],
    selected: Option<MessageId>,
) -> Vec<(String, String, String)> {
    let mut all = vec![String::new(); kinds.len()];
    let mut marked = Vec::new();
    for m in messages {
        let Some(k) = kinds.iter().position(|&k| k == m.style) else { continue };
        outline(&mut all[k], m);
        if Some(m.id) == selected {
            marked.push(("selected", k, m));
        }
        if m.lie {
            marked.push(("lie", k, m));
        }
    }
    let mut out: Vec<_> = kinds
        .iter()
        .zip(all)
        .filter(|(_, d)| !d.is_empty())
        .map(|(k, d)| (k.kind.to_string(), format!("{} message", glyph::class(*k)), d))
        .collect();
    // Selected before lies: a selected lie shows its selection between the
    // lie's dashes.
    marked.sort_by_key(|&(mark, k, _)| (mark != "selected", k));
    for (mark, k, m) in marked {
        let key = format!("{mark} {}", kinds[k].kind);
        let mut d = String::new();
        outline(&mut d, m);
        match out.last_mut() {
            Some(last) if last.0 == key => last.2.push_str(&d),
            _ => out.push((key, format!("{} message {mark}", glyph::class(kinds[k])), d)),
        }
    }
    out
}

/// Adds a message's outline, turned the way it travels, to the path data.
fn outline(d: &mut String, m: &MessageDot) {
    match glyph::outline(m.style.shape, GLYPH) {
        Outline::Circle { r } => {
            let (r, x, y, across) = (tenths(r), tenths(m.x - r), tenths(m.y), tenths(2.0 * r));
            let _ = write!(d, "M{x} {y}a{r} {r} 0 1 0 {across} 0a{r} {r} 0 1 0 -{across} 0Z");
        }
        Outline::Polygon { corners, len } => {
            let angle = m.angle.to_radians();
            let (sin, cos) = (math::sin(angle), math::cos(angle));
            for (i, &(x, y)) in corners[..len].iter().enumerate() {
                let (x, y) = (tenths(m.x + x * cos - y * sin), tenths(m.y + x * sin + y * cos));
                let _ = write!(d, "{}{x} {y}", if i == 0 { 'M' } else { 'L' });
            }
            d.push('Z');
        }
    }
}

/// The message drawn nearest the pointer of `e`, within reach.
fn message_at(svg: &NodeRef, drawn: &Drawn, e: &MouseEvent) -> Option<MessageId> {
    let rect = svg.cast::<Element>()?.get_bounding_client_rect();
    let (left, top, width, height) = drawn.view_box;
    if rect.width() <= 0.0 || rect.height() <= 0.0 {
        return None;
    }
    let x = left + (f64::from(e.client_x()) - rect.left()) * width / rect.width();
    let y = top + (f64::from(e.client_y()) - rect.top()) * height / rect.height();
    drawn
        .messages
        .iter()
        .map(|m| (m.id, (m.x - x).powi(2) + (m.y - y).powi(2)))
        .filter(|&(_, d)| d <= REACH * REACH)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// Shows `text` beside the pointer, or hides the tip.
fn show_tip(tip: &NodeRef, text: Option<String>, e: &MouseEvent) {
    let Some(tip) = tip.cast::<HtmlElement>() else { return };
    let (Some(text), Some(parent)) = (text, tip.parent_element()) else {
        tip.set_hidden(true);
        return;
    };
    let frame = parent.get_bounding_client_rect();
    tip.set_text_content(Some(&text));
    tip.set_hidden(false);
    // Below and right of the pointer, kept inside the drawing's width (on
    // a phone a long description would otherwise widen the page).
    let room = frame.width() - f64::from(tip.offset_width()) - 4.0;
    let x = (f64::from(e.client_x()) - frame.left() + 14.0).min(room).max(0.0);
    let y = f64::from(e.client_y()) - frame.top() + 14.0;
    let _ = tip.style().set_property("left", &format!("{}px", fixed(x, 0)));
    let _ = tip.style().set_property("top", &format!("{}px", fixed(y, 0)));
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use caucus_sim::NodeId;
    use caucus_sim::view::Shape;

    use super::*;

    const KINDS: &[KindStyle] = &[
        KindStyle { kind: "Ask", shape: Shape::Circle, reply: false, meaning: "" },
        KindStyle { kind: "Vote", shape: Shape::Triangle, reply: false, meaning: "" },
        KindStyle { kind: "Ack", shape: Shape::Square, reply: true, meaning: "" },
    ];

    fn dot(id: u64, kind: usize, x: f64, lie: bool) -> MessageDot {
        MessageDot {
            id: MessageId(id),
            from: NodeId(0),
            to: NodeId(1),
            style: KINDS[kind],
            x,
            y: -2.5,
            angle: 0.0,
            lie,
        }
    }

    #[test]
    fn one_path_a_kind_then_the_selected_then_the_lies() {
        let messages = [
            dot(1, 1, 10.0, false),
            dot(2, 0, 20.0, true),
            dot(3, 1, 30.0, true),
            dot(4, 1, 40.0, false),
        ];
        let paths = paths(&messages, KINDS, Some(MessageId(3)));
        let keys: Vec<&str> = paths.iter().map(|(key, _, _)| key.as_str()).collect();
        // Kinds in the legend's order, none for a kind not in flight.
        assert_eq!(keys, ["Ask", "Vote", "selected Vote", "lie Ask", "lie Vote"]);
        let outlines = |i: usize| paths[i].2.matches('M').count();
        assert_eq!(
            [outlines(0), outlines(1), outlines(2), outlines(3), outlines(4)],
            [1, 3, 1, 1, 1]
        );
        assert_eq!(paths[1].1, "glyph triangle kind-Vote message");
        assert_eq!(paths[2].1, "glyph triangle kind-Vote message selected");
        assert_eq!(paths[3].1, "glyph circle kind-Ask message lie");
        // A triangle pointing along +x from (10, -2.5); a circle from its left edge.
        assert!(paths[1].2.starts_with("M19.1 -2.5L3.0 -9.5L3.0 4.5Z"), "{}", paths[1].2);
        assert_eq!(paths[0].2, "M13.0 -2.5a7.0 7.0 0 1 0 14.0 0a7.0 7.0 0 1 0 -14.0 0Z");
    }
}
