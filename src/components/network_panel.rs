//! The network is the user's to shape: latency, loss and duplication for
//! every link at once here; a link chosen here or clicked in the drawing
//! opens in the inspector, where it can be cut one way or both ways,
//! restored, and given settings of its own. Every change is an action of the
//! run, so links and files carry it.

use caucus_sim::{LinkParams, NodeId};
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::link_form::{LinkForm, describe};
use crate::app::SessionContext;
use crate::host::UserAction;
use crate::session::{Selection, Session, SessionAction};
use crate::view_model::{LinkDirection, LinkState};

/// Applies link settings, or says in words why they cannot be used.
/// Settings equal to `now` (what every link concerned has already) change
/// nothing and record nothing: an action in the past would discard the
/// steps after it.
fn apply(
    dispatch: &UseReducerDispatcher<Session>,
    now: Option<LinkParams>,
    actions: impl Fn(LinkParams) -> Vec<SessionAction> + 'static,
) -> Callback<Result<LinkParams, String>> {
    let dispatch = dispatch.clone();
    Callback::from(move |read: Result<LinkParams, String>| match read {
        Ok(params) if Some(params) == now => {}
        Ok(params) => dispatch.dispatch(SessionAction::ActAll(actions(params))),
        Err(why) => dispatch
            .dispatch(SessionAction::Warn(format!("Those link settings cannot be used: {why}."))),
    })
}

/// Reads what the panel shows from the session; the panel itself renders
/// only when that changes, not on every frame of play.
pub fn network_panel(session: &SessionContext) -> Html {
    let (nodes, defaults) = {
        let run = session.run();
        (run.node_count(), run.network().defaults())
    };
    let chosen = match session.selection {
        Some(Selection::Link(a, b)) => Some((a, b)),
        _ => None,
    };
    html! { <NetworkSettings {nodes} {defaults} {chosen} dispatch={session.dispatcher()} /> }
}

#[derive(Properties, PartialEq)]
struct NetworkSettingsProps {
    nodes: u32,
    /// The settings of every link without settings of its own.
    defaults: LinkParams,
    /// The link selected, if any.
    chosen: Option<(NodeId, NodeId)>,
    dispatch: UseReducerDispatcher<Session>,
}

#[function_component(NetworkSettings)]
fn network_settings(props: &NetworkSettingsProps) -> Html {
    let NetworkSettingsProps { nodes: n, defaults, chosen, dispatch } = props;
    let (n, defaults, chosen) = (*n, *defaults, *chosen);
    let on_every = apply(dispatch, Some(defaults), |params| {
        vec![SessionAction::Act(UserAction::SetLink { link: None, params })]
    });
    let on_pick = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            else {
                return;
            };
            let pair = select
                .value()
                .split_once('-')
                .and_then(|(a, b)| Some((NodeId(a.parse().ok()?), NodeId(b.parse().ok()?))));
            dispatch.dispatch(SessionAction::Select(pair.map(|(a, b)| Selection::Link(a, b))));
        })
    };
    // The choice can change from the drawing; a select's `selected`
    // attributes stop steering it once the user has picked, so set its value.
    let select = use_node_ref();
    {
        let select = select.clone();
        use_effect_with(chosen, move |chosen| {
            if let Some(select) = select.cast::<HtmlSelectElement>() {
                let value = chosen.map(|(a, b)| format!("{}-{}", a.0, b.0)).unwrap_or_default();
                select.set_value(&value);
            }
        });
    }
    let options = (0..n).flat_map(|a| (a + 1..n).map(move |b| (NodeId(a), NodeId(b)))).map(|(a, b)| {
        let value = format!("{}-{}", a.0, b.0);
        html! { <option {value} selected={chosen == Some((a, b))}>{ format!("{a} ↔ {b}") }</option> }
    });
    html! {
        <section class="panel network" aria-labelledby="network-title">
            <h3 id="network-title">{ "Network" }</h3>
            <p class="hint">{ format!("Every link now: {}.", describe(&defaults)) }</p>
            <LinkForm params={defaults} label="Every link" submit="Apply to every link" on_apply={on_every} />
            <label class="link-pick">{ "One link " }
                <select ref={select} onchange={on_pick} aria-label="Choose a link (or click one in the drawing)">
                    <option value="" selected={chosen.is_none()}>{ "choose, or click one in the drawing" }</option>
                    { for options }
                </select>
            </label>
        </section>
    }
}

/// One link's two directions: what each does now, cut and restore each or
/// both, and the link's own latency, loss and duplication.
pub fn link_controls(session: &SessionContext, a: NodeId, b: NodeId) -> Html {
    let Some(detail) = session.run().link_detail(a, b) else {
        return html! {};
    };
    let act_all = |actions: Vec<UserAction>| {
        let session = session.clone();
        let actions: Vec<SessionAction> = actions.into_iter().map(SessionAction::Act).collect();
        Callback::from(move |_: MouseEvent| {
            session.dispatch(SessionAction::ActAll(actions.clone()))
        })
    };
    let name = |id: NodeId| session.run().label(id);
    let toggle = |d: &LinkDirection| {
        let (from, to) = (d.from, d.to);
        let route = format!("{} → {}", name(from), name(to));
        if d.state == LinkState::Cut {
            (format!("Restore {route}"), UserAction::Restore { from, to })
        } else {
            (format!("Cut {route}"), UserAction::Cut { from, to })
        }
    };
    let rows = detail.directions.iter().map(|d| {
        let state = d.state.words();
        let (label, action) = toggle(d);
        html! {
            <li class={classes!("direction", (d.state == LinkState::Cut).then_some("cut"))}
                data-direction={format!("{}-{}", d.from, d.to)}>
                <span class="route">{ format!("{} → {}", name(d.from), name(d.to)) }</span>
                <span class="state">{ state }</span>
                <span class="settings">{ describe(&d.params) }</span>
                <button type="button" class="toggle-cut" onclick={act_all(vec![action])}>{ label }</button>
            </li>
        }
    });
    // One button for both ways, so the focus stays on it after a press: it
    // cuts whatever is not cut yet or, with both ways cut, restores both.
    let directions = detail.directions.iter();
    let (both_label, both_class, both): (_, _, Vec<_>) =
        if directions.clone().all(|d| d.state == LinkState::Cut) {
            let restore = directions.map(|d| UserAction::Restore { from: d.from, to: d.to });
            ("Restore both ways", "restore-both", restore.collect())
        } else {
            let open = directions.filter(|d| d.state != LinkState::Cut);
            (
                "Cut both ways",
                "cut-both",
                open.map(|d| UserAction::Cut { from: d.from, to: d.to }).collect(),
            )
        };
    let [ab, ba] = &detail.directions;
    let now = (ab.params == ba.params).then_some(ab.params);
    let on_link = apply(&session.dispatcher(), now, move |params| {
        [(a, b), (b, a)]
            .into_iter()
            .map(|link| SessionAction::Act(UserAction::SetLink { link: Some(link), params }))
            .collect()
    });
    html! {
        <div class="link-controls" data-link={format!("{a}-{b}")}>
            <ul class="directions">{ for rows }</ul>
            <div class="both-ways">
                <button type="button" class={classes!("both-ways-toggle", both_class)} onclick={act_all(both)}>
                    { both_label }
                </button>
            </div>
            <LinkForm params={detail.directions[0].params} label={format!("Link {} ↔ {}", name(a), name(b))}
                      submit="Apply to this link" on_apply={on_link} />
        </div>
    }
}
