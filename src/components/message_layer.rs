//! The messages in flight, drawn on a canvas laid over the cluster's SVG.
//!
//! A busy cluster has hundreds in flight, nearly all new every frame of play
//! at top speed. As SVG elements they cost more than everything else in a
//! frame (made, moved and removed, then styled, laid out and painted by the
//! browser); on a canvas they are a few calls each, and nothing else on the
//! page is laid out or painted again for them (frame benchmark, `cargo xtask
//! bench`). Their look stays in the stylesheet: the colours and strokes are
//! read from hidden sample glyphs, once, and again when the colour scheme
//! changes. The canvas takes no pointer events: a click or a pointer over
//! the drawing is matched against the messages drawn last, before the nodes
//! and links beneath see it.

use std::cell::RefCell;
use std::rc::Rc;

use caucus_sim::MessageId;
use caucus_sim::view::KindStyle;
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement, MouseEvent};
use yew::prelude::*;

use super::glyph::{self, Outline};
use crate::view_model::MessageDot;

/// A message glyph's half-size.
const GLYPH: f64 = 7.0;
/// How far from a message's centre a click or the pointer still finds it.
const REACH: f64 = 12.0;

#[derive(Properties, PartialEq)]
pub struct MessageLayerProps {
    pub messages: Rc<[MessageDot]>,
    pub selected: Option<MessageId>,
    /// Every kind the engine draws, for the sample glyphs.
    pub kinds: &'static [KindStyle],
    /// The drawing's view box (left, top, width, height), in CSS pixels.
    pub view_box: (f64, f64, f64, f64),
    /// The SVG the canvas lies over: clicks and the pointer are read there.
    pub svg: NodeRef,
    /// A message was clicked.
    pub on_select: Callback<MessageId>,
    /// A message's tooltip, asked for when the pointer comes over it.
    pub describe: Callback<MessageId, Option<String>>,
}

/// What was drawn last, for the pointer.
struct Drawn {
    messages: Rc<[MessageDot]>,
    view_box: (f64, f64, f64, f64),
    selected: Option<MessageId>,
    /// The kinds the sample glyphs show, in their order.
    kinds: &'static [KindStyle],
    /// The colours and strokes read from the stylesheet; `None` to read again.
    styles: Option<Styles>,
    /// The message the pointer is over, whose tooltip shows.
    hovered: Option<MessageId>,
    on_select: Callback<MessageId>,
    describe: Callback<MessageId, Option<String>>,
}

#[function_component(MessageLayer)]
pub fn message_layer(props: &MessageLayerProps) -> Html {
    let canvas = use_node_ref();
    let samples = use_node_ref();
    let tip = use_node_ref();
    let drawn = use_mut_ref(|| Drawn {
        messages: Rc::from([]),
        view_box: props.view_box,
        selected: None,
        kinds: props.kinds,
        styles: None,
        hovered: None,
        on_select: props.on_select.clone(),
        describe: props.describe.clone(),
    });
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    {
        let mut d = drawn.borrow_mut();
        d.messages = props.messages.clone();
        d.view_box = props.view_box;
        d.selected = props.selected;
        if !std::ptr::eq(d.kinds, props.kinds) {
            d.kinds = props.kinds;
            d.styles = None;
        }
        d.on_select = props.on_select.clone();
        d.describe = props.describe.clone();
    }
    {
        let (canvas, samples, drawn) = (canvas.clone(), samples.clone(), drawn.clone());
        use_effect(move || draw(&canvas, &samples, &mut drawn.borrow_mut(), dpr));
    }
    {
        let (svg, canvas, samples, tip, drawn) =
            (props.svg.clone(), canvas.clone(), samples.clone(), tip.clone(), drawn.clone());
        use_effect_with((), move |_| {
            let listeners = listen(&svg, &tip, &drawn);
            // A new colour scheme: read the colours again and draw anew.
            let scheme = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|query| {
                    EventListener::new(&query, "change", move |_| {
                        let mut d = drawn.borrow_mut();
                        d.styles = None;
                        draw(&canvas, &samples, &mut d, dpr);
                    })
                });
            move || drop((listeners, scheme))
        });
    }
    let (_, _, width, height) = props.view_box;
    let samples_html = props.kinds.iter().map(|&k| glyph::glyph_with(k, GLYPH, " message"));
    html! {
        <>
            <canvas ref={canvas} class="message-canvas" aria-hidden="true"
                    width={(width * dpr).round().to_string()} height={(height * dpr).round().to_string()}
                    style={format!("width: {width}px; height: {height}px")} />
            <div ref={tip} class="message-tip" role="tooltip" hidden=true></div>
            // Never shown: the stylesheet's look of each kind, a lie and the
            // selected message, read by the canvas.
            <svg ref={samples} class="message-samples" aria-hidden="true">
                { for samples_html }
                <circle class="glyph message lie" r="1" />
                <circle class="glyph message selected" r="1" />
            </svg>
        </>
    }
}

/// The look of every kind and of the marks over it, from the stylesheet.
struct Styles {
    /// Fill and stroke by kind, in the order of the samples.
    kinds: Vec<(KindStyle, String, String)>,
    width: f64,
    lie: Stroke,
    selected: Stroke,
}

struct Stroke {
    colour: String,
    width: f64,
    dash: Vec<f64>,
}

impl Styles {
    fn read(samples: &Element, kinds: &[KindStyle]) -> Option<Styles> {
        let window = web_sys::window()?;
        let children = samples.children();
        let style = |i: u32| window.get_computed_style(&children.item(i)?).ok().flatten();
        let number = |text: String| text.trim_end_matches("px").trim().parse::<f64>().ok();
        let count = u32::try_from(kinds.len()).ok()?;
        if children.length() != count + 2 {
            return None;
        }
        let mut width = 2.5;
        let mut looks = Vec::with_capacity(kinds.len());
        for (i, &kind) in (0..count).zip(kinds) {
            let s = style(i)?;
            width = number(s.get_property_value("stroke-width").ok()?).unwrap_or(width);
            looks.push((
                kind,
                s.get_property_value("fill").ok()?,
                s.get_property_value("stroke").ok()?,
            ));
        }
        let stroke = |i: u32| -> Option<Stroke> {
            let s = style(i)?;
            let dash = s.get_property_value("stroke-dasharray").ok()?;
            Some(Stroke {
                colour: s.get_property_value("stroke").ok()?,
                width: number(s.get_property_value("stroke-width").ok()?).unwrap_or(3.0),
                dash: dash
                    .split([',', ' '])
                    .filter_map(|d| d.trim_end_matches("px").parse::<f64>().ok())
                    .collect(),
            })
        };
        Some(Styles { kinds: looks, width, lie: stroke(count)?, selected: stroke(count + 1)? })
    }

    /// The fill and stroke of a kind's glyph.
    fn of(&self, style: KindStyle) -> Option<(&str, &str)> {
        self.kinds
            .iter()
            .find(|(kind, _, _)| *kind == style)
            .map(|(_, fill, stroke)| (fill.as_str(), stroke.as_str()))
    }
}

/// Draws the messages of `drawn` on the canvas, the selected one marked.
fn draw(canvas: &NodeRef, samples: &NodeRef, drawn: &mut Drawn, dpr: f64) {
    let Some(canvas) = canvas.cast::<HtmlCanvasElement>() else { return };
    let Some(context) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    if drawn.styles.is_none() {
        drawn.styles = samples.cast::<Element>().and_then(|s| Styles::read(&s, drawn.kinds));
    }
    let Some(styles) = &drawn.styles else { return };
    let (left, top, width, height) = drawn.view_box;
    let _ = context.set_transform(dpr, 0.0, 0.0, dpr, -left * dpr, -top * dpr);
    context.clear_rect(left, top, width, height);
    let (messages, selected) = (&drawn.messages, drawn.selected);
    // One path for all the messages of a kind: a fill and a stroke each.
    context.set_line_width(styles.width);
    let _ = context.set_line_dash(&js_sys::Array::new());
    for (kind, fill, stroke) in &styles.kinds {
        let mut any = false;
        context.begin_path();
        for m in messages.iter().filter(|m| m.style == *kind) {
            trace(&context, m);
            any = true;
        }
        if any {
            context.set_fill_style_str(fill);
            context.fill();
            context.set_stroke_style_str(stroke);
            context.stroke();
        }
    }
    // The selected message, then lies, outlined over their kind's fill: a
    // selected lie shows its selection between the lie's dashes.
    let marks = [
        (&styles.selected, messages.iter().filter(|m| Some(m.id) == selected).collect::<Vec<_>>()),
        (&styles.lie, messages.iter().filter(|m| m.lie).collect()),
    ];
    for (stroke, marked) in marks {
        if marked.is_empty() {
            continue;
        }
        let dash: js_sys::Array = stroke.dash.iter().map(|&d| JsValue::from_f64(d)).collect();
        let _ = context.set_line_dash(&dash);
        context.set_line_width(stroke.width);
        for m in marked {
            context.begin_path();
            trace(&context, m);
            if let Some((fill, _)) = styles.of(m.style) {
                context.set_fill_style_str(fill);
                context.fill();
            }
            context.set_stroke_style_str(&stroke.colour);
            context.stroke();
        }
    }
}

/// Adds a message's outline, turned the way it travels, to the path.
fn trace(context: &CanvasRenderingContext2d, m: &MessageDot) {
    match glyph::outline(m.style.shape, GLYPH) {
        Outline::Circle { r } => {
            context.move_to(m.x + r, m.y);
            let _ = context.arc(m.x, m.y, r, 0.0, std::f64::consts::TAU);
        }
        Outline::Polygon { corners, len } => {
            let (sin, cos) = m.angle.to_radians().sin_cos();
            let turned = |(x, y): (f64, f64)| (m.x + x * cos - y * sin, m.y + x * sin + y * cos);
            let (x, y) = turned(corners[0]);
            context.move_to(x, y);
            for &corner in &corners[1..len] {
                let (x, y) = turned(corner);
                context.line_to(x, y);
            }
            context.close_path();
        }
    }
}

/// The message drawn nearest the pointer of `e`, within reach.
fn message_at(svg: &Element, drawn: &Drawn, e: &MouseEvent) -> Option<MessageId> {
    let rect = svg.get_bounding_client_rect();
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

/// Clicks on a message select it (before a node or link under it sees the
/// click); the pointer over one shows its tooltip.
fn listen(svg: &NodeRef, tip: &NodeRef, drawn: &Rc<RefCell<Drawn>>) -> Vec<EventListener> {
    let (Some(svg), Some(tip)) = (svg.cast::<Element>(), tip.cast::<HtmlElement>()) else {
        return Vec::new();
    };
    let capture = EventListenerOptions::run_in_capture_phase();
    let hit = {
        let (svg, drawn) = (svg.clone(), drawn.clone());
        move |e: &web_sys::Event| {
            let e = e.dyn_ref::<MouseEvent>()?;
            message_at(&svg, &drawn.borrow(), e)
        }
    };
    let click = {
        let (hit, drawn) = (hit.clone(), drawn.clone());
        EventListener::new_with_options(&svg, "click", capture, move |e| {
            if let Some(id) = hit(e) {
                e.stop_propagation();
                let on_select = drawn.borrow().on_select.clone();
                on_select.emit(id);
            }
        })
    };
    // A press on a message is not the start of a partition drawn from the
    // node under it.
    let press = {
        let hit = hit.clone();
        EventListener::new_with_options(&svg, "pointerdown", capture, move |e| {
            if hit(e).is_some() {
                e.stop_propagation();
            }
        })
    };
    let over = {
        let (svg, tip, drawn) = (svg.clone(), tip.clone(), drawn.clone());
        EventListener::new(&svg.clone(), "pointermove", move |e| {
            let found = hit(e);
            let mut d = drawn.borrow_mut();
            if found == d.hovered {
                return;
            }
            d.hovered = found;
            let describe = d.describe.clone();
            drop(d);
            show_tip(&svg, &tip, found.and_then(|id| describe.emit(id)), e);
        })
    };
    let out = {
        let (svg, tip, drawn) = (svg.clone(), tip.clone(), drawn.clone());
        EventListener::new(&svg.clone(), "pointerleave", move |e| {
            drawn.borrow_mut().hovered = None;
            show_tip(&svg, &tip, None, e);
        })
    };
    vec![click, press, over, out]
}

/// Shows `text` by the pointer (and the pointer as a hand), or hides the tip.
fn show_tip(svg: &Element, tip: &HtmlElement, text: Option<String>, e: &web_sys::Event) {
    let style = svg.dyn_ref::<web_sys::SvgElement>().map(|s| s.style());
    match (text, e.dyn_ref::<MouseEvent>(), tip.parent_element()) {
        (Some(text), Some(e), Some(parent)) => {
            let frame = parent.get_bounding_client_rect();
            tip.set_text_content(Some(&text));
            let x = f64::from(e.client_x()) - frame.left() + 14.0;
            let y = f64::from(e.client_y()) - frame.top() + 14.0;
            let _ = tip.style().set_property("left", &format!("{x:.0}px"));
            let _ = tip.style().set_property("top", &format!("{y:.0}px"));
            tip.set_hidden(false);
            if let Some(style) = style {
                let _ = style.set_property("cursor", "pointer");
            }
        }
        _ => {
            tip.set_hidden(true);
            if let Some(style) = style {
                let _ = style.remove_property("cursor");
            }
        }
    }
}
