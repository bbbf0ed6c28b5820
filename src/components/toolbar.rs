//! Actions above the cluster: a client request with a value, the partition
//! tool (click nodes into groups, then apply), and heal.

use caucus_sim::NodeId;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::host::UserAction;
use crate::session::{Selection, SessionAction};

pub fn toolbar(session: &SessionContext) -> Html {
    let run = session.run();
    // A crashed node takes no requests, nor a PBFT replica: with one
    // selected, the request goes where the protocol sends it.
    let target: Option<NodeId> = match session.selection {
        Some(Selection::Node(n)) if run.node_up(n) && run.takes_requests(n) => Some(n),
        _ => None,
    };
    let leader = run.leader();
    let on_input = {
        let session = session.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                session.dispatch(SessionAction::EditRequest(i.value()));
            }
        })
    };
    let on_send = {
        let session = session.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            session.dispatch(SessionAction::Request { node: target });
        })
    };
    // Without a selection, the request goes where the protocol sends it:
    // Raft's leader, a PBFT client.
    let default = run.request_target();
    let send_label = match (target, default) {
        (Some(n), _) => format!("Send to {}", run.label(n)),
        (None, Some(t)) if Some(t) == leader => format!("Send to leader {}", run.label(t)),
        (None, Some(t)) => format!("Send to {}", run.label(t)),
        (None, None) => "Send to leader".to_string(),
    };
    let click = |a: SessionAction| {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(a.clone()))
    };
    let network = run.network();
    let partitioned = !network.groups().is_empty() || network.cut_links().next().is_some();
    // While a partition is drawn, the row is the partition tool's alone, so
    // it stays one line and the drawing keeps its room.
    html! {
        <div class="toolbar" role="toolbar" aria-label="Actions">
            if let Some(draft) = &session.partition_draft {
                <span class="partition-tool" role="group" aria-label="Partition tool">
                    <span class="hint">{ format!("Click or drag nodes into groups ({} in B or C).",
                        draft.iter().filter(|&&g| g > 0).count()) }</span>
                    <button type="button" class="apply-partition" onclick={click(SessionAction::ApplyPartition)}>{ "Apply partition" }</button>
                    <button type="button" onclick={click(SessionAction::CancelPartition)}>{ "Cancel" }</button>
                </span>
            } else {
                <form class="request" onsubmit={on_send}>
                    <label><span class="long">{ "Client request " }</span>
                        <input type="text" value={session.request_text.clone()} oninput={on_input} size="8"
                               aria-label="Client request, as key=value" />
                    </label>
                    <button type="submit" title="Send a client request (q sends to the selected node)">{ send_label }</button>
                </form>
                <button type="button" class="start-partition" onclick={click(SessionAction::StartPartition)}
                        title="Split the cluster into groups (p)">{ "Partition…" }</button>
                <button type="button" class="heal" disabled={!partitioned}
                        onclick={click(SessionAction::Act(UserAction::Heal))} title="End partitions and restore cut links (h)">{ "Heal" }</button>
            }
        </div>
    }
}
