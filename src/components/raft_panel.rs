//! Raft's own panel: the log grid (a row per server, entries coloured by
//! term, committed and uncommitted distinct, the leader's nextIndex and
//! matchIndex per follower), each state machine, and the settings: cluster
//! size, timing, the RaftScope preset, options and the mistake switches.

use caucus_sim::MILLIS;
use caucus_sim::raft::view::{ServerView, servers};
use caucus_sim::raft::{Mistake, RaftConfig, Role};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::SessionAction;

/// Log columns shown at most: the latest entries.
const MAX_COLUMNS: u64 = 24;

#[function_component(RaftPanel)]
pub fn raft_panel() -> Html {
    html! {
        <section class="panel raft-panel" aria-labelledby="raft-title">
            <h3 id="raft-title">{ "Raft logs" }</h3>
            <LogGrid />
            <RaftSettings />
        </section>
    }
}

fn term_style(term: u64) -> String {
    format!("--term-hue: {}", (term * 67 + 200) % 360)
}

#[function_component(LogGrid)]
fn log_grid() -> Html {
    let session = use_context::<SessionContext>().expect("LogGrid needs the session context");
    let servers = servers(session.raft.borrow().world());
    let longest = servers.iter().map(|s| s.log.len() as u64).max().unwrap_or(0);
    let first = longest.saturating_sub(MAX_COLUMNS) + 1;
    let leader =
        servers.iter().filter(|s| s.role == Some(Role::Leader)).max_by_key(|s| s.current_term);
    let header = (first..=longest.max(first)).map(|i| html! { <th scope="col">{ i }</th> });
    let rows = servers.iter().map(|s| row(s, leader, first, longest));
    html! {
        <div class="log-grid-wrap">
            <table class="log-grid" aria-label="Each server's log: index across, term in each cell">
                <thead><tr><th scope="col">{ "server" }</th>
                    if first > 1 { <th scope="col" class="elided">{ "…" }</th> }
                    { for header }
                    <th scope="col">{ "state machine" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="grid-key">
                <span class="cell committed sample">{ "2" }</span>{ " committed " }
                <span class="cell sample">{ "2" }</span>{ " not yet committed · number = term · " }
                <span class="next-mark">{ "▾" }</span>{ " leader's nextIndex · " }
                <span class="match-mark">{ "▴" }</span>{ " matchIndex" }
            </p>
        </div>
    }
}

fn row(s: &ServerView, leader: Option<&ServerView>, first: u64, longest: u64) -> Html {
    let peer =
        leader.filter(|l| l.id != s.id).and_then(|l| l.peers.iter().find(|p| p.peer == s.id));
    let cells = (first..=longest.max(first)).map(|i| {
        let next = peer.is_some_and(|p| p.next_index == i);
        let matched = peer.is_some_and(|p| p.match_index == i && i > 0);
        let marks = html! {
            <>
                if next { <span class="next-mark" title={format!("leader's nextIndex for {} = {i}", s.id)}>{ "▾" }</span> }
                if matched { <span class="match-mark" title={format!("leader's matchIndex for {} = {i}", s.id)}>{ "▴" }</span> }
            </>
        };
        match s.log.get((i - 1) as usize) {
            Some(e) => html! {
                <td class={classes!("cell", e.committed.then_some("committed"))} style={term_style(e.term)}
                    title={format!("index {}, term {}, {}, {}", e.index, e.term, e.command,
                                   if e.committed { "committed" } else { "not committed" })}>
                    { e.term }{ marks }
                </td>
            },
            None => html! { <td class="cell empty">{ marks }</td> },
        }
    });
    let sm: Vec<String> = s.state_machine.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let role = s.role.map_or("crashed", Role::name);
    html! {
        <tr class={classes!("server-row", role.replace(' ', "-"))} data-server={s.id.to_string()}>
            <th scope="row">{ format!("{} ", s.id) }<span class="role">{ role }</span></th>
            if first > 1 { <td class="elided">{ "…" }</td> }
            { for cells }
            <td class="state-machine">{ if sm.is_empty() { "empty".to_string() } else { sm.join(" ") } }</td>
        </tr>
    }
}

/// A whole number of milliseconds typed in a field, in microseconds.
fn millis(text: &str) -> Result<u64, String> {
    let ms = text
        .parse::<u64>()
        .map_err(|_| format!("\"{text}\" is not a whole number of milliseconds"))?;
    ms.checked_mul(MILLIS).ok_or_else(|| format!("{text} ms is too long"))
}

fn value_of(e: &Event) -> String {
    let target = e.target();
    if let Some(i) = target.clone().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
        return if i.type_() == "checkbox" { i.checked().to_string() } else { i.value() };
    }
    target
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

#[function_component(RaftSettings)]
fn raft_settings() -> Html {
    let session = use_context::<SessionContext>().expect("RaftSettings needs the session context");
    let config = session.raft.borrow().config().clone();
    // Each control edits one field of a copy and asks for a new run with it.
    let edit = |f: fn(&mut RaftConfig, &str) -> Result<(), String>| {
        let session = session.clone();
        let config = config.clone();
        Callback::from(move |e: Event| {
            let mut next = config.clone();
            match f(&mut next, value_of(&e).trim()) {
                Ok(()) => session.dispatch(SessionAction::Configure(next)),
                Err(why) => session
                    .dispatch(SessionAction::Warn(format!("That setting cannot be used: {why}."))),
            }
        })
    };
    let ms = |t: u64| (t / MILLIS).to_string();
    let sizes = (1..=9).map(
        |n| html! { <option value={n.to_string()} selected={config.nodes == n}>{ n }</option> },
    );
    let mistakes = Mistake::ALL.iter().map(|&m| {
        let session = session.clone();
        let config = config.clone();
        let on = config.has(m);
        let onchange = Callback::from(move |_: Event| {
            let mut next = config.clone();
            if on { next.mistakes.remove(&m); } else { next.mistakes.insert(m); }
            session.dispatch(SessionAction::Configure(next));
        });
        html! {
            <li>
                <label><input type="checkbox" checked={on} {onchange} data-mistake={format!("{m:?}")} />{ m.name() }</label>
                <p class="explanation">{ m.explanation() }</p>
            </li>
        }
    });
    let preset = {
        let session = session.clone();
        let config = config.clone();
        Callback::from(move |_: MouseEvent| {
            let RaftConfig { nodes, mistakes, pre_vote, check_quorum, conflict_hint, .. } =
                config.clone();
            let next = RaftConfig {
                mistakes,
                pre_vote,
                check_quorum,
                conflict_hint,
                ..RaftConfig::raftscope(nodes)
            };
            session.dispatch(SessionAction::Configure(next));
        })
    };
    html! {
        <details class="settings" open=true>
            <summary>{ "Settings (changing one restarts the run)" }</summary>
            <div class="settings-grid">
                <label>{ "Servers " }
                    <select onchange={edit(|c, v| { c.nodes = v.parse().map_err(|_| "not a number".to_string())?; c.initial.clear(); Ok(()) })}>{ for sizes }</select>
                </label>
                <label>{ "Election timeout min (ms) " }
                    <input type="number" min="1" value={ms(config.election_timeout_min)}
                           onchange={edit(|c, v| { c.election_timeout_min = millis(v)?; Ok(()) })} />
                </label>
                <label>{ "max (ms) " }
                    <input type="number" min="1" value={ms(config.election_timeout_max)}
                           onchange={edit(|c, v| { c.election_timeout_max = millis(v)?; Ok(()) })} />
                </label>
                <label>{ "Heartbeat (ms) " }
                    <input type="number" min="1" value={ms(config.heartbeat_interval)}
                           onchange={edit(|c, v| { c.heartbeat_interval = millis(v)?; Ok(()) })} />
                </label>
                <label>{ "Entries per AppendEntries " }
                    <input type="number" min="1" value={config.max_entries_per_append.to_string()}
                           onchange={edit(|c, v| { c.max_entries_per_append = v.parse().map_err(|_| format!("\"{v}\" is not a whole number"))?; Ok(()) })} />
                </label>
                <button type="button" class="preset" onclick={preset}>{ "RaftScope timing" }</button>
            </div>
            <fieldset class="options">
                <legend>{ "Options" }</legend>
                <label><input type="checkbox" checked={config.pre_vote} onchange={edit(|c, v| { c.pre_vote = v == "true"; Ok(()) })} />{ "PreVote (thesis §9.6)" }</label>
                <label><input type="checkbox" checked={config.check_quorum} onchange={edit(|c, v| { c.check_quorum = v == "true"; Ok(()) })} />{ "CheckQuorum (thesis §6.2)" }</label>
                <label><input type="checkbox" checked={config.conflict_hint} onchange={edit(|c, v| { c.conflict_hint = v == "true"; Ok(()) })} />{ "Conflict hint on rejection (§5.3)" }</label>
            </fieldset>
            <fieldset class="mistakes">
                <legend>{ "Mistakes to switch on" }</legend>
                <ul>{ for mistakes }</ul>
            </fieldset>
        </details>
    }
}
