//! The cluster in two SVGs, one over the other. Below: nodes on a ring
//! (role, term and vote at a glance, the leader marked, crashed nodes
//! greyed), links (cut ones drawn cut) and partition groups apart. Above,
//! what moves on every frame: timer arcs, messages moving along their links,
//! lost ones fading where they vanished. Then a legend. Click a node to
//! inspect it, right-click (or press the menu key) for its actions, drag it
//! onto another node or into empty space to draw a partition.

use std::rc::Rc;

use caucus_sim::view::{KindStyle, NodeView};
use caucus_sim::{MessageId, NodeId};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::glyph::glyph;
use super::link_layer::LinkLayer;
use super::message_layer::MessageLayer;
use super::node_mark::{COMPACT_RADIUS, NodeMark, TIMER_RING_GAP, fmt};
use super::timer_arcs::timer_arcs;
use crate::app::SessionContext;
use crate::components::element_size::use_element_size;
use crate::components::paced::use_paced;
use crate::components::partition_drag::{PartitionDrag, use_partition_drag};
use crate::numbers::{fixed, tenths};
use crate::session::{Lane, Selection, Session, SessionAction};
use crate::view_model::{self, Frame, MenuItem, NodeDot};

#[function_component(ClusterView)]
pub fn cluster_view() -> Html {
    let session = use_context::<SessionContext>().expect("ClusterView needs the session context");
    let svg = use_node_ref();
    let overlay = use_node_ref();
    let tip = use_node_ref();
    // The layout sizes the drawing's box; the SVG is given the box's size in
    // pixels. Sized by the layout itself (flexed, or a percentage), the SVG
    // was laid out again with everything in it in every frame that changed
    // anything in it: all its links and nodes, about 1 ms of a PBFT f = 3
    // frame at top speed, measured in Chrome's traces.
    let drawing_box = use_node_ref();
    let measured = use_element_size(&drawing_box).filter(|&(w, h)| w > 0.0 && h > 0.0);
    let frame = measured.map_or(Frame::DEFAULT, |(width, height)| Frame { width, height });
    let data = session.run().cluster(frame);
    let view_box = frame.view_box();
    let draft = session.partition_draft.clone();
    let selected = session.selection;
    let drag = use_partition_drag(&session, svg, &data.nodes, view_box, data.node_radius);
    // The message layer's handlers outlive a render: they read the session
    // of the latest one, and stay the same callbacks, so the layer is not
    // drawn again for a new closure.
    let latest = use_mut_ref(|| session.clone());
    *latest.borrow_mut() = session.clone();
    let on_message = use_memo((), {
        let dispatch = session.dispatcher();
        move |_| {
            Callback::from(move |id: MessageId| {
                dispatch.dispatch(SessionAction::Select(Some(Selection::Message(id))))
            })
        }
    });
    let describe = use_memo((), {
        let latest = latest.clone();
        move |_| Callback::from(move |id: MessageId| latest.borrow().run().describe_message(id))
    });

    // While playing fast, the numbers in and under each node (its badge and
    // caption) and the drawing's summary for screen readers change with the
    // panels, about four times a second (`session::pace`): redrawn every
    // frame, the nodes' text was a millisecond of the browser's layout and
    // paint, for numbers nobody reads at that pace. Tones and roles change
    // at once.
    let words = use_paced((session.panels.shown(Lane::Drawing), data.nodes.len()), || Words {
        nodes: data.nodes.iter().map(|n| (n.view.badge.clone(), n.view.caption.clone())).collect(),
        summary: data.summary(),
    });
    let r = data.node_radius;
    let nodes = data.nodes.iter().zip(words.nodes.iter()).map(|(dot, (badge, caption))| {
        let id = dot.view.id;
        // Without its timer, which the arcs above draw: a node whose timer
        // was set again (PBFT's clients and view-change timers, many times
        // a frame at top speed) is not drawn again for it.
        let view = NodeView {
            badge: badge.clone(),
            caption: caption.clone(),
            timer: None,
            ..dot.view.clone()
        };
        html! {
            <NodeMark key={id.0} {view} x={dot.x} y={dot.y} {r}
                      selected={selected == Some(Selection::Node(id))} violating={dot.violating}
                      group={draft.as_ref().map(|d| d[id.index()])} />
        }
    });
    let places: Rc<[(f64, f64)]> = data.nodes.iter().map(|n| (n.x, n.y)).collect();
    let lies = data.messages.iter().any(|m| m.lie);
    let labels: Rc<[String]> = data.nodes.iter().map(|n| n.view.label.clone()).collect();
    let selected_link = match selected {
        Some(Selection::Link(a, b)) => Some((a, b)),
        _ => None,
    };
    let selected_message = match selected {
        Some(Selection::Message(id)) => Some(id),
        _ => None,
    };
    let dividers = data.dividers.iter().map(|&(x1, y1, x2, y2)| {
        html! { <line class="divider" x1={fmt(x1)} y1={fmt(y1)} x2={fmt(x2)} y2={fmt(y2)} /> }
    });
    let vanished = data.vanished.iter().map(|v| {
        html! {
            <g key={format!("v{}-{}", data.step, v.id)} class="vanish" transform={format!("translate({} {})", fmt(v.x), fmt(v.y))}>
                <title>{ format!("{} {} {}", v.kind, v.id, v.why) }</title>
                <text text-anchor="middle" y="5">{ "✕" }</text>
                <text class="vanish-why" text-anchor="middle" y="20">{ v.why }</text>
            </g>
        }
    });
    // A node's actions are listed only when its menu is open.
    let menu_html = session.menu.and_then(|id| data.nodes.get(id.index())).map(|dot| {
        let items = session.run().node_menu(dot.view.id, &session.request_text);
        let on_close = {
            let session = session.clone();
            Callback::from(move |()| session.dispatch(SessionAction::CloseMenu))
        };
        html! { <NodeMenu dot={dot.clone()} {frame} {items} {on_close} /> }
    });
    let summary = words.summary.clone();
    let (left, top, width, height) = view_box;
    // Both SVGs, the cluster's and the overlay of what moves, in one place
    // and at one view box.
    let placed = svg_style(measured);
    let view_box_attr =
        format!("{} {} {} {}", tenths(left), tenths(top), fixed(width, 0), fixed(height, 0));
    let compact = r < COMPACT_RADIUS;
    // Places change only with the drawing's size or a partition: the test,
    // which compares every pair of nodes, runs only then.
    let crowded = *use_memo((places.clone(), r.to_bits()), |(p, r)| {
        view_model::crowded(p, f64::from_bits(*r))
    });
    let handlers = NodeHandlers {
        ids: data.nodes.iter().map(|n| n.view.id).collect(),
        drafting: draft.is_some(),
        dispatch: session.dispatcher(),
        drag: drag.clone(),
    };
    html! {
        <div class="cluster">
            // A drag's moves and release are heard on the box, which holds
            // both SVGs: before the drag takes the pointer, a release over a
            // message (in the overlay) must still end it.
            <div class="drawing-box" ref={drawing_box}
                 onpointermove={drag.on_move()} onpointerup={drag.on_up()} onpointercancel={drag.on_cancel()}>
                <svg ref={drag.svg.clone()}
                     class={classes!("cluster-svg", draft.is_some().then_some("drafting"), compact.then_some("compact"), crowded.then_some("crowded"))}
                     style={placed.clone()}
                     viewBox={view_box_attr.clone()} role="group" aria-label={summary}>
                    <LinkLayer links={Rc::<[_]>::from(data.links)} {places} {labels} selected={selected_link}
                               dispatch={session.dispatcher()} />
                    <g class="dividers">{ for dividers }</g>
                    <g class="nodes" onclick={handlers.click()} oncontextmenu={handlers.context_menu()}
                       onkeydown={handlers.key_down()} onpointerdown={handlers.pointer_down()}>{ for nodes }</g>
                </svg>
                // What moves on every frame of play, in a second SVG over the
                // first, at the same size and view box: a frame that moves
                // only these leaves the links and nodes below as they were,
                // neither laid out nor painted again (0.5 ms of a PBFT f = 3
                // frame at top speed, in Chrome's traces). Its box takes no
                // pointer: only the messages and lost ones' marks do; the rest
                // reaches the nodes and links below. Screen readers have the
                // events in words.
                <svg ref={overlay.clone()} class="cluster-overlay" style={placed} viewBox={view_box_attr} aria-hidden="true">
                    { timer_arcs(&data.nodes, r + TIMER_RING_GAP) }
                    <MessageLayer messages={Rc::<[_]>::from(data.messages)} selected={selected_message}
                                  kinds={data.kinds} {view_box} svg={overlay} tip={tip.clone()}
                                  on_select={(*on_message).clone()} describe={(*describe).clone()} />
                    <g class="vanished">{ for vanished }</g>
                    { drag.overlay() }
                </svg>
            </div>
            // A message's description, shown by the message layer beside the pointer.
            <div ref={tip} class="message-tip" role="tooltip" hidden=true></div>
            <Legend kinds={data.kinds} {lies} />
            // Always there, so opening and closing the menu leaves the
            // drawing's elements in place (and the focus on a server).
            <div class="menu-slot">{ for menu_html }</div>
        </div>
    }
}

/// The SVG's place in its box: over it, so the SVG never sizes the box it is
/// measured from (with or without the stylesheet), at the box's measured
/// size in pixels, filling it until measured.
fn svg_style(measured: Option<(f64, f64)>) -> String {
    let size = match measured {
        Some((w, h)) => format!("width: {}px; height: {}px", fixed(w, 0), fixed(h, 0)),
        None => "width: 100%; height: 100%".to_string(),
    };
    format!("position: absolute; left: 0; top: 0; {size}")
}

/// What the nodes say, as the panels show the run (see `ClusterView`).
#[derive(Clone)]
struct Words {
    /// Each node's badge and caption.
    nodes: Rc<[(String, String)]>,
    summary: String,
}

/// The nodes' clicks, menus, keys and drags, handled once for all of them:
/// each event finds its node by the element it happened on.
struct NodeHandlers {
    ids: Rc<[NodeId]>,
    /// A partition is being drawn: a click moves the node to the next group.
    drafting: bool,
    dispatch: UseReducerDispatcher<Session>,
    drag: PartitionDrag,
}

impl NodeHandlers {
    /// The node the event happened on.
    fn node(ids: &[NodeId], e: &web_sys::Event) -> Option<NodeId> {
        let target: web_sys::Element = e.target()?.dyn_into().ok()?;
        let name = target.closest("[data-node]").ok()??.get_attribute("data-node")?;
        ids.iter().copied().find(|id| id.to_string() == name)
    }

    /// Selects the node, or while a partition is drawn moves it to the next group.
    fn pick(dispatch: &UseReducerDispatcher<Session>, drafting: bool, id: NodeId) {
        dispatch.dispatch(if drafting {
            SessionAction::CyclePartitionGroup(id)
        } else {
            SessionAction::Select(Some(Selection::Node(id)))
        });
    }

    fn click(&self) -> Callback<MouseEvent> {
        let (ids, drafting, dispatch, drag) =
            (self.ids.clone(), self.drafting, self.dispatch.clone(), self.drag.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(id) = Self::node(&ids, &e) else { return };
            if drag.take_click() {
                return;
            }
            Self::pick(&dispatch, drafting, id);
        })
    }

    fn context_menu(&self) -> Callback<MouseEvent> {
        let (ids, dispatch) = (self.ids.clone(), self.dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(id) = Self::node(&ids, &e) else { return };
            e.prevent_default();
            dispatch.dispatch(SessionAction::OpenMenu(id));
        })
    }

    fn key_down(&self) -> Callback<KeyboardEvent> {
        let (ids, drafting, dispatch) = (self.ids.clone(), self.drafting, self.dispatch.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(id) = Self::node(&ids, &e) else { return };
            match e.key().as_str() {
                "Enter" | " " => {
                    e.prevent_default();
                    Self::pick(&dispatch, drafting, id);
                }
                "ContextMenu" | "m" => {
                    e.prevent_default();
                    e.stop_propagation();
                    dispatch.dispatch(SessionAction::OpenMenu(id));
                }
                _ => {}
            }
        })
    }

    fn pointer_down(&self) -> Callback<PointerEvent> {
        let (ids, drag) = (self.ids.clone(), self.drag.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some(id) = Self::node(&ids, &e) {
                drag.start(id).emit(e);
            }
        })
    }
}

#[derive(Properties, PartialEq)]
struct NodeMenuProps {
    dot: NodeDot,
    /// The drawing the node is placed in.
    frame: Frame,
    items: Vec<MenuItem>,
    /// Closes the menu (the session's state).
    on_close: Callback<()>,
}

/// A server's actions, as an ARIA menu: it takes the focus when it opens,
/// the arrow keys move between items, and Escape, a choice or the close
/// button give the focus back to the server.
#[function_component(NodeMenu)]
fn node_menu(props: &NodeMenuProps) -> Html {
    let session = use_context::<SessionContext>().expect("NodeMenu needs the session context");
    let list = use_node_ref();
    let id = props.dot.view.id;
    {
        let list = list.clone();
        use_effect_with(id, move |_| {
            focus_item(&list, |_, _| 0);
        });
    }
    let close = {
        let on_close = props.on_close.clone();
        move || {
            on_close.emit(());
            focus_node(id);
        }
    };
    let items = props.items.iter().map(|item| {
        let onclick = {
            let session = session.clone();
            let close = close.clone();
            let action = item.action.clone();
            Callback::from(move |_: MouseEvent| {
                close();
                session.dispatch(action.clone());
            })
        };
        let key = item.key.map(|k| html! { <kbd>{ k.to_string() }</kbd> });
        html! { <li role="none"><button type="button" role="menuitem" tabindex="-1" {onclick}>{ item.label.clone() }{ for key }</button></li> }
    }).collect::<Html>();
    let on_close_button = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close())
    };
    let onkeydown = {
        let list = list.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step: fn(usize, usize) -> usize = match e.key().as_str() {
                "ArrowDown" => |i, n| (i + 1) % n,
                "ArrowUp" => |i, n| (i + n - 1) % n,
                "Home" => |_, _| 0,
                "End" => |_, n| n - 1,
                "Escape" | "Tab" => {
                    e.stop_propagation();
                    e.prevent_default();
                    close();
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            focus_item(&list, step);
        })
    };
    // Placed at the node (the drawing is in CSS pixels from its top left
    // corner), opening towards the middle so it never runs off its edges.
    let (left, top, _, _) = props.frame.view_box();
    let (x, y) = (props.dot.x - left, props.dot.y - top);
    let side = if props.dot.x > 0.0 { "opens-left" } else { "opens-right" };
    let upright = if props.dot.y > 0.0 { "opens-up" } else { "opens-down" };
    html! {
        <div class={classes!("node-menu", side, upright)} style={format!("left: {}px; top: {}px", fixed(x, 0), fixed(y, 0))} {onkeydown}>
            <ul ref={list} role="menu" aria-label={format!("Actions on {}", props.dot.view.label)}>{ items }</ul>
            <button type="button" class="menu-close" aria-label="Close the menu" onclick={on_close_button}>{ "×" }</button>
        </div>
    }
}

/// Focuses the menu item `pick(current, count)`; current is 0 when the
/// focus is outside the menu.
fn focus_item(list: &NodeRef, pick: fn(usize, usize) -> usize) {
    let Some(list) = list.cast::<web_sys::Element>() else { return };
    let Ok(items) = list.query_selector_all("[role=menuitem]") else { return };
    let count = items.length() as usize;
    if count == 0 {
        return;
    }
    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    let current = (0..count)
        .find(|&i| {
            let item = items.item(i as u32);
            item.is_some() && active.as_ref().map(|a| a.as_ref() as &web_sys::Node) == item.as_ref()
        })
        .unwrap_or(0);
    let at_start = active.is_none_or(|a| !list.contains(Some(&a)));
    let next = if at_start { 0 } else { pick(current, count) };
    if let Some(el) =
        items.item(next as u32).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Gives the keyboard focus back to a server of the drawing.
fn focus_node(id: NodeId) {
    let node = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!(".cluster-svg [data-node=\"{id}\"]")).ok().flatten()
        })
        .and_then(|n| n.dyn_into::<web_sys::SvgElement>().ok());
    if let Some(node) = node {
        let _ = node.focus();
    }
}

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub kinds: &'static [KindStyle],
    /// A lie is in flight: the legend says how one is drawn.
    pub lies: bool,
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    crate::renders::count("Legend");
    let items = props.kinds.iter().map(|k| {
        html! {
            <li title={k.meaning}>
                <svg viewBox="-10 -10 20 20" width="18" height="18" aria-hidden="true">{ glyph(*k, 6.0) }</svg>
                <span>{ k.kind }</span>
            </li>
        }
    });
    html! {
        <figure class="legend">
            <figcaption>{ "Messages (hollow: replies)" }</figcaption>
            <ul>
                { for items }
                if props.lies {
                    <li class="lie-key" title="Its sender, a Byzantine replica, put a lie in place of what it sent">
                        <svg viewBox="-10 -10 20 20" width="18" height="18" aria-hidden="true">
                            <circle class="glyph message lie" r="6" />
                        </svg>
                        <span>{ "a lie" }</span>
                    </li>
                }
            </ul>
        </figure>
    }
}
