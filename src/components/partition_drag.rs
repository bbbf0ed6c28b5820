//! Partitioning by dragging: press on a server and drag it onto another
//! server to put it in that server's group, or into empty space to give it a
//! group of its own. The first drag opens the partition tool; the groups are
//! applied with its button, as with clicking. Pointer events, so a finger
//! works as well as a mouse.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use caucus_sim::NodeId;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::numbers::{math, tenths};
use crate::session::SessionAction;
use crate::view_model::{self, NodeDot, Point};

/// How far (in drawing units) the pointer must travel before a press on a
/// server is a drag and not a click.
const DRAG_THRESHOLD: f64 = 12.0;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    node: NodeId,
    /// Where the press was, and where the pointer is now.
    from: Point,
    at: Point,
    moved: bool,
}

/// The drag in progress and the handlers the cluster view attaches.
#[derive(Clone)]
pub struct PartitionDrag {
    pub svg: NodeRef,
    view_box: (f64, f64, f64, f64),
    node_radius: f64,
    drag: UseStateHandle<Option<Drag>>,
    /// Set when a drag ends, so the click the browser sends after it does
    /// not also select or regroup the server.
    swallow_click: Rc<Cell<bool>>,
    /// Where the nodes were last drawn, for finding the one under the pointer.
    places: Rc<RefCell<Vec<(NodeId, Point)>>>,
    session: SessionContext,
}

#[hook]
pub fn use_partition_drag(
    session: &SessionContext,
    svg: NodeRef,
    nodes: &[NodeDot],
    view_box: (f64, f64, f64, f64),
    node_radius: f64,
) -> PartitionDrag {
    let drag = use_state(|| None::<Drag>);
    let swallow_click = (*use_memo((), |_| Rc::new(Cell::new(false)))).clone();
    let places = (*use_memo((), |_| Rc::new(RefCell::new(Vec::new())))).clone();
    {
        let mut places = places.borrow_mut();
        places.clear();
        places.extend(nodes.iter().map(|n| (n.view.id, (n.x, n.y))));
    }
    PartitionDrag {
        svg,
        view_box,
        node_radius,
        drag,
        swallow_click,
        places,
        session: session.clone(),
    }
}

impl PartitionDrag {
    fn point(&self, e: &PointerEvent) -> Option<Point> {
        let svg = self.svg.cast::<web_sys::Element>()?;
        let r = svg.get_bounding_client_rect();
        Some(view_model::to_drawing(
            (e.client_x() as f64, e.client_y() as f64),
            (r.left(), r.top(), r.width(), r.height()),
            self.view_box,
        ))
    }

    /// Pressing on `node` may start a drag.
    pub fn start(&self, node: NodeId) -> Callback<PointerEvent> {
        let this = self.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            let Some(at) = this.point(&e) else { return };
            this.swallow_click.set(false);
            this.drag.set(Some(Drag { node, from: at, at, moved: false }));
        })
    }

    pub fn on_move(&self) -> Callback<PointerEvent> {
        let this = self.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(drag) = *this.drag else { return };
            let Some(at) = this.point(&e) else { return };
            let (x, y) = drag.from;
            let moved = drag.moved || math::hypot(at.0 - x, at.1 - y) > DRAG_THRESHOLD;
            if moved
                && !drag.moved
                && let Some(svg) = this.svg.cast::<web_sys::Element>()
            {
                // Keep receiving moves when the pointer leaves the drawing.
                // Only now: a capture from the press would send a plain
                // click to the drawing instead of the server.
                let _ = svg.set_pointer_capture(e.pointer_id());
            }
            this.drag.set(Some(Drag { at, moved, ..drag }));
        })
    }

    pub fn on_up(&self) -> Callback<PointerEvent> {
        let this = self.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(drag) = *this.drag else { return };
            this.drag.set(None);
            if !drag.moved {
                return;
            }
            let at = this.point(&e).unwrap_or(drag.at);
            let onto = this.target(drag.node, at);
            this.swallow_click.set(true);
            this.session.dispatch(SessionAction::DragToGroup { node: drag.node, onto });
        })
    }

    pub fn on_cancel(&self) -> Callback<PointerEvent> {
        let drag = self.drag.clone();
        Callback::from(move |_: PointerEvent| drag.set(None))
    }

    /// True once after a drag ended: the click that follows it is not a click.
    pub fn take_click(&self) -> bool {
        self.swallow_click.replace(false)
    }

    fn position(&self, node: NodeId) -> Option<Point> {
        self.places.borrow().iter().find(|(id, _)| *id == node).map(|&(_, p)| p)
    }

    fn target(&self, node: NodeId, at: Point) -> Option<NodeId> {
        view_model::node_at(&self.places.borrow(), at, self.node_radius)
            .filter(|&other| other != node)
    }

    /// While dragging: a line from the server to the pointer, the server it
    /// would join ringed, and a word on what letting go will do.
    pub fn overlay(&self) -> Html {
        let Some(drag) = (*self.drag).filter(|d| d.moved) else { return html! {} };
        let Some((x, y)) = self.position(drag.node) else { return html! {} };
        let target = self.target(drag.node, drag.at);
        let ring = target.and_then(|t| self.position(t)).map(|(tx, ty)| {
            html! { <circle class="drop-target" cx={fmt(tx)} cy={fmt(ty)}
            r={fmt(self.node_radius + 10.0)} /> }
        });
        // Over a server the words go under its caption, so they hide nothing.
        let (hint, (hx, hy)) = match target.and_then(|t| Some((t, self.position(t)?))) {
            Some((t, (tx, ty))) => {
                (format!("{} joins {t}'s group", drag.node), (tx, ty + self.node_radius + 46.0))
            }
            None => {
                (format!("{} into a group of its own", drag.node), (drag.at.0, drag.at.1 - 14.0))
            }
        };
        html! {
            <g class="drag-preview" aria-hidden="true">
                <line x1={fmt(x)} y1={fmt(y)} x2={fmt(drag.at.0)} y2={fmt(drag.at.1)} />
                { for ring }
                <text x={fmt(hx)} y={fmt(hy)} text-anchor="middle">{ hint }</text>
            </g>
        }
    }
}

fn fmt(v: f64) -> String {
    tenths(v).to_string()
}
