//! PBFT's own panel: the phase matrix (a row per sequence number, a column
//! per replica: pre-prepared, prepared, committed-local, executed, with the
//! quorum counts; a cell opens its certificate), and the settings: f,
//! clients, checkpoint period, log size, timers and the mistake switches.

use caucus_sim::pbft::config::Seq;
use caucus_sim::pbft::replica::ReplicaDurable;
use caucus_sim::pbft::{Mistake, PbftConfig, PbftDurable, PbftNode};
use caucus_sim::{MILLIS, NodeId, World};
use yew::prelude::*;

use super::fields::{editor, millis, mistake_item, number_field, toggle_mistake};
use super::pbft_status::{CheckpointBars, Clients, ViewChanges};
use crate::app::SessionContext;
use crate::run::revision::Revision;
use crate::session::{Lane, Session, Settings, Shared};

/// Rows of the matrix shown at most: the latest sequence numbers.
const MAX_ROWS: u64 = 12;

/// The PBFT run a part of the panel draws, and the revision the panels show:
/// each part is drawn again only when that changes (`session::pace`), not
/// on every frame.
#[derive(Properties, PartialEq, Clone)]
pub struct PbftRunProps {
    pub run: Shared<PbftNode>,
    pub revision: Revision,
}

#[function_component(PbftPanel)]
pub fn pbft_panel() -> Html {
    let session = use_context::<SessionContext>().expect("PbftPanel needs the session context");
    let run = session.runs.Pbft.clone();
    // Two lanes (`session::pace`): the matrix, and the parts below it.
    let matrix = PbftRunProps { run: run.clone(), revision: session.panels.shown(Lane::Protocol) };
    let status = PbftRunProps { run, revision: session.panels.shown(Lane::ProtocolStatus) };
    html! {
        <section class="panel pbft-panel" aria-labelledby="pbft-title">
            <h3 id="pbft-title">{ "PBFT phases" }</h3>
            <FaultCount ..matrix.clone() />
            <PhaseMatrix ..matrix />
            <div class="pbft-status">
                <Clients ..status.clone() />
                <CheckpointBars ..status.clone() />
                <ViewChanges ..status />
            </div>
            { pbft_settings(&session) }
        </section>
    }
}

/// A replica's state on disk, crashed or not.
fn replica(world: &World<PbftNode>, id: NodeId) -> Option<&ReplicaDurable> {
    match world.durable(id)? {
        PbftDurable::Replica(d) => Some(d),
        PbftDurable::Client(_) => None,
    }
}

/// Where one replica stands at one sequence number.
struct Cell {
    short: &'static str,
    class: &'static str,
    words: String,
    /// The signers of the matching PREPAREs and COMMITs, when asked for
    /// (only the cell opened shows them).
    certificate: Option<String>,
}

fn cell(config: &PbftConfig, r: &ReplicaDurable, seq: Seq, certificate: bool) -> Cell {
    let f2 = 2 * config.f as usize;
    let quorum = config.quorum();
    let slot = r.log.get(&seq).filter(|s| s.view == r.view);
    let digest = slot.and_then(|s| s.digest());
    let count = |votes: &caucus_sim::sorted::SortedMap<_, _>| -> Vec<NodeId> {
        match digest {
            Some(d) => votes
                .keys()
                .filter(|&&(v, dd, _): &&(u64, _, NodeId)| v == r.view && dd == d)
                .map(|&(_, _, n)| n)
                .collect(),
            None => Vec::new(),
        }
    };
    let (prepares, commits) =
        slot.map_or((Vec::new(), Vec::new()), |s| (count(&s.prepares), count(&s.commits)));
    let names = |ids: &[NodeId]| ids.iter().map(|&i| config.name(i)).collect::<Vec<_>>().join(", ");
    let counters = format!(
        "prepares {} of 2f = {f2}, commits {} of 2f + 1 = {quorum}",
        prepares.len(),
        commits.len()
    );
    let certificate = certificate.then(|| match digest {
        Some(d) => format!(
            "digest {}: PREPAREs from {}; COMMITs from {}",
            d.short(),
            if prepares.is_empty() { "none".into() } else { names(&prepares) },
            if commits.is_empty() { "none".into() } else { names(&commits) }
        ),
        None => "no PRE-PREPARE accepted in this view".into(),
    });
    let (short, class, state) = if r.executed >= seq {
        if seq <= r.stable.seq {
            ("✓", "executed collected", "executed; below the stable checkpoint, collected")
        } else {
            ("E", "executed", "executed")
        }
    } else {
        match slot {
            Some(s) if s.committed => ("C", "committed", "committed-local"),
            Some(s) if s.prepared => ("P", "prepared", "prepared"),
            Some(s) if s.pre_prepare.is_some() => ("PP", "pre-prepared", "pre-prepared"),
            _ => ("·", "none", "nothing yet"),
        }
    };
    Cell { short, class, words: format!("{state}; {counters}"), certificate }
}

/// How many replicas are faulty now (Byzantine, or crashed), against f:
/// past f the page says plainly that safety is no longer guaranteed.
#[function_component(FaultCount)]
fn fault_count(props: &PbftRunProps) -> Html {
    let run = props.run.borrow();
    let world = run.world();
    let config = world.config();
    let faulty: Vec<String> = config
        .replica_ids()
        .filter_map(|id| {
            let r = replica(world, id)?;
            let why = match (&r.byzantine, world.node(id).is_none()) {
                (Some(b), _) => b.name().to_string(),
                (None, true) => "crashed".to_string(),
                (None, false) if !r.correct() => "was Byzantine".to_string(),
                (None, false) => return None,
            };
            Some(format!("{} ({why})", config.name(id)))
        })
        .collect();
    let beyond = faulty.len() as u32 > config.f;
    let text = format!(
        "n = {} replicas tolerate f = {} {}; faulty now: {}.",
        config.replicas(),
        config.f,
        if config.f == 1 { "fault" } else { "faults" },
        if faulty.is_empty() { "none".to_string() } else { faulty.join(", ") }
    );
    html! {
        <p class={classes!("fault-count", beyond.then_some("beyond"))} role="status" aria-label="Faults against f">
            { text }
            if beyond {
                <strong>{ " Beyond f: safety is no longer guaranteed." }</strong>
            }
        </p>
    }
}

#[function_component(PhaseMatrix)]
fn phase_matrix(props: &PbftRunProps) -> Html {
    crate::renders::count("PhaseMatrix");
    let open = use_state(|| None::<(Seq, NodeId)>);
    let run = props.run.borrow();
    let world = run.world();
    let config = world.config();
    let replicas: Vec<(NodeId, &ReplicaDurable)> =
        config.replica_ids().filter_map(|id| replica(world, id).map(|r| (id, r))).collect();
    let low = replicas.iter().map(|(_, r)| r.stable.seq).min().unwrap_or(0);
    let high = replicas
        .iter()
        .map(|(_, r)| r.log.keys().next_back().copied().unwrap_or(0).max(r.executed))
        .max()
        .unwrap_or(0);
    let first = (low + 1).max(high.saturating_sub(MAX_ROWS - 1)).max(1);
    let header = replicas.iter().map(|(id, r)| {
        let mut role = format!("view {}", r.view);
        if config.primary(r.view) == *id {
            role.push_str(" · primary");
        }
        if let Some(b) = &r.byzantine {
            role = format!("{role} · Byzantine: {}", b.name());
        }
        html! {
            <th scope="col">{ config.name(*id) }<span class="role">{ role }</span></th>
        }
    });
    let rows = (first..=high).map(|seq| {
        let cells = replicas.iter().map(|(id, r)| {
            let c = cell(config, r, seq, false);
            let click = {
                let open = open.clone();
                let here = (seq, *id);
                Callback::from(move |_: MouseEvent| {
                    open.set(if *open == Some(here) { None } else { Some(here) })
                })
            };
            let label = format!("{} at {seq}: {}", config.name(*id), c.words);
            html! {
                <td class={classes!("phase", c.class)}>
                    <button type="button" onclick={click} title={c.words.clone()} aria-label={label}>{ c.short }</button>
                </td>
            }
        });
        html! { <tr key={seq}><th scope="row">{ seq }</th>{ for cells }</tr> }
    });
    let detail = (*open).and_then(|(seq, id)| {
        let r = replica(world, id)?;
        let c = cell(config, r, seq, true);
        // Not a live region: it would be read out again on every step while
        // open. It follows the matrix, where a reader moving on finds it.
        Some(html! {
            <p class="certificate">
                { format!("{} at sequence number {seq}: {}. {}.", config.name(id), c.words, c.certificate.unwrap_or_default()) }
            </p>
        })
    });
    html! {
        <div class="phase-matrix-wrap">
            if high == 0 {
                <p class="hint">{ "No request has been ordered yet: send one from a client." }</p>
            } else {
                <table class="phase-matrix" aria-label="Each replica's phase at each sequence number: PP pre-prepared, P prepared, C committed-local, E executed">
                    <thead><tr><th scope="col">{ "n" }</th>{ for header }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            { for detail }
        </div>
    }
}

fn whole(v: &str) -> Result<u64, String> {
    v.parse().map_err(|_| format!("\"{v}\" is not a whole number"))
}

/// Reads the settings from the session; the form renders only when they
/// change, not on every frame of play.
fn pbft_settings(session: &SessionContext) -> Html {
    let config = session.runs.Pbft.borrow().config().clone();
    html! { <PbftSettingsForm {config} dispatch={session.dispatcher()} /> }
}

#[derive(Properties, PartialEq)]
struct PbftSettingsProps {
    config: PbftConfig,
    dispatch: UseReducerDispatcher<Session>,
}

#[function_component(PbftSettingsForm)]
fn pbft_settings_form(props: &PbftSettingsProps) -> Html {
    crate::renders::count("PbftSettingsForm");
    let PbftSettingsProps { config, dispatch } = props;
    let edit = editor(dispatch, config, Settings::Pbft);
    let ms = |t: u64| (t / MILLIS).to_string();
    let choices = |current: u32| {
        (1..=3).map(
            move |n| html! { <option value={n.to_string()} selected={current == n}>{ n }</option> },
        )
    };
    let mistakes = Mistake::ALL.iter().map(|&m| {
        let onchange = edit(toggle_mistake(m, |c: &mut PbftConfig| &mut c.mistakes));
        mistake_item(m.name(), m.explanation(), format!("{m:?}"), config.has(m), onchange)
    });
    html! {
        <details class="settings" open=true aria-label="PBFT settings">
            <summary>{ "Settings (changing one restarts the run)" }</summary>
            <div class="settings-grid">
                <label>{ "Faults tolerated f (n = 3f + 1) " }
                    <select onchange={edit(Box::new(|c, v| { c.f = whole(v)? as u32; Ok(()) }))}>{ for choices(config.f) }</select>
                </label>
                <label>{ "Clients " }
                    <select onchange={edit(Box::new(|c, v| { c.clients = whole(v)? as u32; Ok(()) }))}>{ for choices(config.clients) }</select>
                </label>
                { number_field("Checkpoint every (requests)", config.checkpoint_period.to_string(),
                               edit(Box::new(|c, v| { c.checkpoint_period = whole(v)?; Ok(()) }))) }
                { number_field("Log size L (H = h + L)", config.log_size.to_string(),
                               edit(Box::new(|c, v| { c.log_size = whole(v)?; Ok(()) }))) }
                { number_field("View-change timeout (ms)", ms(config.view_change_timeout),
                               edit(Box::new(|c, v| { c.view_change_timeout = millis(v)?; Ok(()) }))) }
                { number_field("Client timeout (ms)", ms(config.client_timeout),
                               edit(Box::new(|c, v| { c.client_timeout = millis(v)?; Ok(()) }))) }
            </div>
            <fieldset class="mistakes">
                <legend>{ "Mistakes to switch on" }</legend>
                <ul>{ for mistakes }</ul>
            </fieldset>
        </details>
    }
}
