//! Raft's own panel: the log grid (a row per server, entries coloured by
//! term, committed and uncommitted distinct, the leader's nextIndex and
//! matchIndex per follower), each state machine, and the settings: cluster
//! size, timing, the RaftScope preset, options and the mistake switches.

use caucus_sim::MILLIS;
use caucus_sim::raft::view::{ServerView, leader, longest_log, servers_from};
use caucus_sim::raft::{Mistake, RaftConfig, Role};
use yew::prelude::*;

use super::fields::{check_field, editor, millis, mistake_item, number_field, toggle_mistake};
use crate::app::SessionContext;
use crate::session::{Session, SessionAction, Settings};

/// Log columns shown at most: the latest entries.
const MAX_COLUMNS: u64 = 24;

#[function_component(RaftPanel)]
pub fn raft_panel() -> Html {
    let session = use_context::<SessionContext>().expect("RaftPanel needs the session context");
    html! {
        <section class="panel raft-panel" aria-labelledby="raft-title">
            <h3 id="raft-title">{ "Raft logs" }</h3>
            { log_grid(&session) }
            { raft_settings(&session) }
        </section>
    }
}

fn term_style(term: u64) -> String {
    format!("--term-hue: {}", (term * 67 + 200) % 360)
}

fn log_grid(session: &SessionContext) -> Html {
    let run = session.runs.Raft.borrow();
    let longest = longest_log(run.world());
    let first = longest.saturating_sub(MAX_COLUMNS) + 1;
    let servers = servers_from(run.world(), first);
    let leader = leader(run.world()).map(|id| &servers[id.index()]);
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
        match s.log.get((i - first) as usize) {
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

/// Reads the settings from the session; the form renders only when they
/// change, not on every frame of play.
fn raft_settings(session: &SessionContext) -> Html {
    let config = session.runs.Raft.borrow().config().clone();
    html! { <RaftSettingsForm {config} dispatch={session.dispatcher()} /> }
}

#[derive(Properties, PartialEq)]
struct RaftSettingsProps {
    config: RaftConfig,
    dispatch: UseReducerDispatcher<Session>,
}

#[function_component(RaftSettingsForm)]
fn raft_settings_form(props: &RaftSettingsProps) -> Html {
    crate::renders::count("RaftSettingsForm");
    let RaftSettingsProps { config, dispatch } = props;
    // Each control edits one field of a copy and asks for a new run with it.
    let edit = editor(dispatch, config, Settings::Raft);
    let ms = |t: u64| (t / MILLIS).to_string();
    let sizes = (1..=9).map(
        |n| html! { <option value={n.to_string()} selected={config.nodes == n}>{ n }</option> },
    );
    let mistakes = Mistake::ALL.iter().map(|&m| {
        let onchange = edit(toggle_mistake(m, |c: &mut RaftConfig| &mut c.mistakes));
        mistake_item(m.name(), m.explanation(), format!("{m:?}"), config.has(m), onchange)
    });
    let preset = {
        let dispatch = dispatch.clone();
        let config = config.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(SessionAction::Configure(Settings::Raft(
                config.clone().with_raftscope_timing(),
            )))
        })
    };
    html! {
        <details class="settings" open=true aria-label="Raft settings">
            <summary>{ "Settings (changing one restarts the run)" }</summary>
            <div class="settings-grid">
                <label>{ "Servers " }
                    <select onchange={edit(Box::new(|c, v| { c.nodes = v.parse().map_err(|_| "not a number".to_string())?; c.initial.clear(); Ok(()) }))}>{ for sizes }</select>
                </label>
                { number_field("Election timeout min (ms)", ms(config.election_timeout_min),
                               edit(Box::new(|c, v| { c.election_timeout_min = millis(v)?; Ok(()) }))) }
                { number_field("Election timeout max (ms)", ms(config.election_timeout_max),
                               edit(Box::new(|c, v| { c.election_timeout_max = millis(v)?; Ok(()) }))) }
                { number_field("Heartbeat (ms)", ms(config.heartbeat_interval),
                               edit(Box::new(|c, v| { c.heartbeat_interval = millis(v)?; Ok(()) }))) }
                { number_field("Entries per AppendEntries", config.max_entries_per_append.to_string(),
                               edit(Box::new(|c, v| { c.max_entries_per_append = v.parse().map_err(|_| format!("\"{v}\" is not a whole number"))?; Ok(()) }))) }
                <button type="button" class="preset" onclick={preset}>{ "RaftScope timing" }</button>
            </div>
            <fieldset class="options">
                <legend>{ "Options" }</legend>
                { check_field("PreVote (thesis §9.6)", config.pre_vote, edit(Box::new(|c, v| { c.pre_vote = v == "true"; Ok(()) }))) }
                { check_field("CheckQuorum (thesis §6.2)", config.check_quorum, edit(Box::new(|c, v| { c.check_quorum = v == "true"; Ok(()) }))) }
                { check_field("Conflict hint on rejection (§5.3)", config.conflict_hint, edit(Box::new(|c, v| { c.conflict_hint = v == "true"; Ok(()) }))) }
            </fieldset>
            <fieldset class="mistakes">
                <legend>{ "Mistakes to switch on" }</legend>
                <ul>{ for mistakes }</ul>
            </fieldset>
        </details>
    }
}
