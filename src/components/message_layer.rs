//! The messages in flight, one SVG element each, kept from frame to frame:
//! a message's element is made once, when it is sent, and afterwards only
//! its `transform` (and its `selected` class) is set, without a virtual DOM
//! diff. A busy cluster has hundreds in flight, all moving every frame of
//! play; diffing each one's element tree every frame was most of a frame's
//! script. At top speed most messages in flight are new each frame: the
//! element of a message gone is given to a new message of its kind instead
//! of being removed while another is made. Its tooltip is built when the
//! pointer comes over it, from the message as it is then.

use std::collections::HashMap;
use std::fmt::Write;
use std::rc::Rc;

use caucus_sim::MessageId;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};
use yew::prelude::*;

use super::glyph;
use crate::view_model::MessageDot;

const SVG: &str = "http://www.w3.org/2000/svg";
/// A message glyph's half-size.
const GLYPH: f64 = 7.0;

#[derive(Properties, PartialEq)]
pub struct MessageLayerProps {
    pub messages: Rc<[MessageDot]>,
    pub selected: Option<MessageId>,
    /// A message was clicked.
    pub on_select: Callback<MessageId>,
    /// A message's tooltip, asked for when the pointer comes over it.
    pub describe: Callback<MessageId, Option<String>>,
}

/// The elements drawn, by message.
#[derive(Default)]
struct Drawn {
    /// The group they were drawn in: if Yew ever makes it anew, so are they.
    group: Option<Element>,
    messages: HashMap<MessageId, Drawing>,
    /// A kind's element, cloned for each new message of that kind.
    templates: HashMap<&'static str, Element>,
    /// Bumped on every sync; a message not seen in the last one is gone.
    sync: u64,
}

struct Drawing {
    element: Element,
    /// It has a tooltip (from a pointer over it), to clear when reused.
    titled: bool,
    /// Its kind: after a step back and a different step, an id can name
    /// a message of another kind.
    kind: &'static str,
    transform: String,
    selected: bool,
    lie: bool,
    sync: u64,
}

#[function_component(MessageLayer)]
pub fn message_layer(props: &MessageLayerProps) -> Html {
    let group = use_node_ref();
    let drawn = use_mut_ref(Drawn::default);
    {
        let (group, drawn) = (group.clone(), drawn.clone());
        let (messages, selected) = (props.messages.clone(), props.selected);
        use_effect(move || {
            if let Some(group) = group.cast::<Element>() {
                drawn.borrow_mut().sync(&group, &messages, selected);
            }
        });
    }
    let onclick = {
        let (drawn, on_select) = (drawn.clone(), props.on_select.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(id) = drawn.borrow().message_at(&e) {
                on_select.emit(id);
            }
        })
    };
    let onpointerover = {
        let (drawn, describe) = (drawn.clone(), props.describe.clone());
        Callback::from(move |e: PointerEvent| {
            let Some(id) = drawn.borrow().message_at(&e) else { return };
            let Some(element) = drawn.borrow_mut().messages.get_mut(&id).map(|d| {
                d.titled = true;
                d.element.clone()
            }) else {
                return;
            };
            let Some(text) = describe.emit(id) else { return };
            let title = element.first_element_child().or_else(|| {
                let title = element.owner_document()?.create_element_ns(Some(SVG), "title").ok()?;
                element.append_child(&title).ok()?;
                Some(title)
            });
            if let Some(title) = title {
                title.set_text_content(Some(&text));
            }
        })
    };
    // Yew leaves this group's children alone: it has none of its own.
    html! { <g class="messages" ref={group} {onclick} {onpointerover}></g> }
}

impl Drawn {
    fn sync(&mut self, group: &Element, messages: &[MessageDot], selected: Option<MessageId>) {
        if self.group.as_ref() != Some(group) {
            self.messages.clear();
            self.group = Some(group.clone());
        }
        self.sync += 1;
        let sync = self.sync;
        // Messages still in flight keep their elements; those of the rest
        // are free for the new ones, by kind.
        for m in messages {
            if let Some(d) = self.messages.get_mut(&m.id)
                && d.kind == m.style.kind
            {
                d.sync = sync;
            }
        }
        let mut free: HashMap<&'static str, Vec<Drawing>> = HashMap::new();
        let gone: Vec<MessageId> =
            self.messages.iter().filter(|(_, d)| d.sync != sync).map(|(&id, _)| id).collect();
        for id in gone {
            if let Some(d) = self.messages.remove(&id) {
                free.entry(d.kind).or_default().push(d);
            }
        }
        let mut transform = String::new();
        for m in messages {
            transform.clear();
            // Tenths of a pixel and whole degrees: finer moves nothing on screen.
            let _ = write!(transform, "translate({:.1} {:.1}) rotate({:.0})", m.x, m.y, m.angle);
            let is_selected = selected == Some(m.id);
            if let Some(d) = self.messages.get_mut(&m.id) {
                d.update(&transform, is_selected, m);
                continue;
            }
            let reused = free.get_mut(m.style.kind).and_then(Vec::pop).map(|mut d| {
                let _ = d.element.set_attribute("data-message", &m.id.to_string());
                if d.titled {
                    if let Some(title) = d.element.first_element_child() {
                        title.remove();
                    }
                    d.titled = false;
                }
                d.update(&transform, is_selected, m);
                d.sync = sync;
                d
            });
            let drawing = match reused {
                Some(d) => d,
                None => {
                    let Some(element) = self.make(group, m, is_selected, &transform) else {
                        continue;
                    };
                    Drawing {
                        element,
                        titled: false,
                        kind: m.style.kind,
                        transform: transform.clone(),
                        selected: is_selected,
                        lie: m.lie,
                        sync,
                    }
                }
            };
            self.messages.insert(m.id, drawing);
        }
        for d in free.into_values().flatten() {
            d.element.remove();
        }
    }

    /// A new message's element, added to the group.
    fn make(
        &mut self,
        group: &Element,
        m: &MessageDot,
        selected: bool,
        transform: &str,
    ) -> Option<Element> {
        let kind = m.style.kind;
        let template = match self.templates.get(kind) {
            Some(t) => t,
            None => {
                let document = group.owner_document()?;
                let (tag, attributes) = glyph::geometry(m.style.shape, GLYPH);
                let t = document.create_element_ns(Some(SVG), tag).ok()?;
                for (name, value) in attributes {
                    t.set_attribute(name, &value).ok()?;
                }
                t.set_attribute("data-kind", kind).ok()?;
                self.templates.entry(kind).or_insert(t)
            }
        };
        let element: Element = template.clone_node().ok()?.dyn_into().ok()?;
        element.set_attribute("class", &class(m, selected)).ok()?;
        element.set_attribute("data-message", &m.id.to_string()).ok()?;
        element.set_attribute("transform", transform).ok()?;
        group.append_child(&element).ok()?;
        Some(element)
    }

    /// The message whose element the event happened on.
    fn message_at(&self, e: &Event) -> Option<MessageId> {
        let target: Element = e.target()?.dyn_into().ok()?;
        let hit = target.closest("[data-message]").ok()??;
        self.messages.iter().find(|(_, d)| d.element == hit).map(|(&id, _)| id)
    }
}

impl Drawing {
    /// Moves it to where `m` is, marked selected or not, a lie or not.
    fn update(&mut self, transform: &str, selected: bool, m: &MessageDot) {
        if self.transform != transform {
            let _ = self.element.set_attribute("transform", transform);
            self.transform.clear();
            self.transform.push_str(transform);
        }
        if self.selected != selected || self.lie != m.lie {
            let _ = self.element.set_attribute("class", &class(m, selected));
            self.selected = selected;
            self.lie = m.lie;
        }
    }
}

/// A message's classes: its glyph's, whether it is the one selected, and
/// whether it is a lie.
fn class(m: &MessageDot, selected: bool) -> String {
    let selected = if selected { " selected" } else { "" };
    let lie = if m.lie { " lie" } else { "" };
    format!("message {}{selected}{lie}", glyph::class(m.style))
}
