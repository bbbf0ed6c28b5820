//! PBFT's state beside the phase matrix: each replica's checkpoints and
//! watermarks (§4.3), each replica's view change (§4.4) with the last
//! NEW-VIEW's re-issued pre-prepares, and each client's request with the
//! replies gathered and the results accepted (§4.1).

use caucus_sim::pbft::PbftNode;
use caucus_sim::pbft::messages::{Digest, Outcome};
use caucus_sim::sorted::SortedMap;
use caucus_sim::{NodeId, World};
use yew::prelude::*;

use super::pbft_panel::PbftRunProps;
use crate::numbers::fixed;

/// How a result reads: "x was 1", "x was unset".
fn outcome(key: &str, result: Outcome) -> String {
    match result {
        Some(v) => format!("{key} was {v}"),
        None => format!("{key} was unset"),
    }
}

#[function_component(CheckpointBars)]
pub fn checkpoint_bars(props: &PbftRunProps) -> Html {
    let run = props.run.borrow();
    let world: &World<PbftNode> = run.world();
    let config = world.config();
    let quorum = config.quorum();
    let rows = config.replica_ids().filter_map(|id| {
        let (d, v) = world.node(id).and_then(PbftNode::replica).map(|(d, v)| (d, Some(v))).or_else(|| {
            match world.durable(id)? {
                caucus_sim::pbft::PbftDurable::Replica(d) => Some((&**d, None)),
                caucus_sim::pbft::PbftDurable::Client(_) => None,
            }
        })?;
        let (h, high) = (d.stable.seq, d.stable.seq + config.log_size);
        // The checkpoints above the stable one, with how many have signed
        // each (the most for any digest). `checkpoints` is ordered by sequence
        // number, so a Vec gathers them in order without a map of its own.
        let mut gathered: Vec<(u64, usize)> = Vec::new();
        for ((seq, _), signers) in &d.checkpoints {
            match gathered.last_mut() {
                Some((s, best)) if s == seq => *best = (*best).max(signers.len()),
                _ => gathered.push((*seq, signers.len())),
            }
        }
        let pending = if gathered.is_empty() {
            "none".to_string()
        } else {
            gathered.iter().map(|(s, k)| format!("{s} ({k} of {quorum})")).collect::<Vec<_>>().join(", ")
        };
        let fetching = v.and_then(|v| v.fetching).map(|s| format!("; fetching the state of {s}"));
        let width = config.log_size.max(1) as f64;
        let executed = (d.executed.saturating_sub(h) as f64 / width * 100.0).min(100.0);
        let label = format!(
            "{}: stable checkpoint {h} (h), H = {high}, executed {}; checkpoints gathering: {pending}{}",
            config.name(id),
            d.executed,
            fetching.clone().unwrap_or_default()
        );
        Some(html! {
            <li aria-label={label.clone()} title={label}>
                <span class="who">{ config.name(id) }</span>
                <span class="window">
                    <span class="collected">{ format!("≤ {h} collected") }</span>
                    <span class="bar"><span class="fill" style={format!("width: {}%", fixed(executed, 0))}></span></span>
                    <span class="edge">{ format!("H {high}") }</span>
                </span>
                <span class="detail">{ format!("executed {} · gathering {pending}{}", d.executed, fetching.unwrap_or_default()) }</span>
            </li>
        })
    });
    html! {
        <section class="pbft-checkpoints" aria-labelledby="pbft-checkpoints-title">
            <h4 id="pbft-checkpoints-title">{ "Checkpoints and watermarks (§4.3)" }</h4>
            <ul class="checkpoint-bars">{ for rows }</ul>
        </section>
    }
}

#[function_component(ViewChanges)]
pub fn view_changes(props: &PbftRunProps) -> Html {
    let run = props.run.borrow();
    let world: &World<PbftNode> = run.world();
    let config = world.config();
    let quorum = config.quorum();
    let timer_of = |id: NodeId| {
        world
            .pending_timers()
            .find(|t| t.node == id && t.timer == caucus_sim::pbft::Timer::ViewChange)
            .map(|t| format!("timer fires at {}", caucus_sim::ids::format_time(t.fires_at)))
            .unwrap_or_else(|| "no timer".into())
    };
    let mut new_view = None;
    let rows = config.replica_ids().filter_map(|id| {
        let (d, v) = world.node(id).and_then(PbftNode::replica)?;
        if let Some(nv) = &v.new_view
            && new_view.as_ref().is_none_or(|(view, _)| *view < nv.payload().view)
        {
            new_view = Some((nv.payload().view, nv.clone()));
        }
        let asked: Vec<String> = d
            .view_changes
            .get(&d.view)
            .map(|s| s.keys().map(|&n| config.name(n)).collect())
            .unwrap_or_default();
        let state = if d.view_changing {
            format!(
                "changing to view {}: VIEW-CHANGEs from {} ({} of {quorum})",
                d.view,
                if asked.is_empty() { "none".into() } else { asked.join(", ") },
                asked.len()
            )
        } else {
            format!("in view {} (primary {})", d.view, config.name(config.primary(d.view)))
        };
        Some(html! {
            <li>
                <span class="who">{ config.name(id) }</span>
                { format!(" {state}; {}", timer_of(id)) }
            </li>
        })
    });
    let rows: Vec<Html> = rows.collect();
    let reissued = new_view.map(|(view, nv)| {
        let items: Vec<String> = nv
            .payload()
            .pre_prepares
            .iter()
            .map(|pp| {
                let p = pp.payload();
                let what =
                    if p.digest == Digest::NULL { "null".to_string() } else { p.digest.short() };
                format!("{}: {what}", p.seq)
            })
            .collect();
        let signers: Vec<String> =
            nv.payload().view_changes.iter().map(|vc| config.name(vc.signer())).collect();
        html! {
            <p class="new-view">
                { format!(
                    "NEW-VIEW for view {view} from {}: VIEW-CHANGEs of {}; re-issued {}",
                    config.name(nv.signer()),
                    signers.join(", "),
                    if items.is_empty() { "nothing".to_string() } else { items.join(", ") }
                ) }
            </p>
        }
    });
    html! {
        <section class="pbft-view-changes" aria-labelledby="pbft-vc-title">
            <h4 id="pbft-vc-title">{ "View changes (§4.4)" }</h4>
            <ul>{ for rows }</ul>
            { for reissued }
        </section>
    }
}

#[function_component(Clients)]
pub fn clients(props: &PbftRunProps) -> Html {
    let run = props.run.borrow();
    let world: &World<PbftNode> = run.world();
    let config = world.config();
    let needed = config.f as usize + 1;
    let rows = config.client_ids().map(|id| {
        let name = config.name(id);
        let Some((d, v)) = world.node(id).and_then(PbftNode::client) else {
            return html! { <li><span class="who">{ name }</span>{ " crashed" }</li> };
        };
        let waiting = match &v.outstanding {
            None => "no request outstanding".to_string(),
            Some(out) => {
                let r = out.request.payload();
                // The replicas by the reply they sent, in the order of its words.
                let mut groups: SortedMap<String, Vec<String>> = SortedMap::new();
                for (replica, result) in &out.replies {
                    let text = outcome(r.op.key.as_str(), *result);
                    groups.entry(text).or_default().push(config.name(*replica));
                }
                let replies = if groups.is_empty() {
                    "no reply yet".to_string()
                } else {
                    groups
                        .iter()
                        .map(|(text, from)| {
                            format!(
                                "“{text}” from {} ({} of f + 1 = {needed})",
                                from.join(", "),
                                from.len()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                format!("waiting for {} (t={}): {replies}", r.op, r.timestamp)
            }
        };
        let last = d
            .accepted
            .last()
            .map(|a| {
                format!(
                    "; last accepted: {} → {}",
                    a.request.op,
                    outcome(a.request.op.key.as_str(), a.result)
                )
            })
            .unwrap_or_default();
        html! {
            <li>
                <span class="who">{ name }</span>
                { format!(" {waiting}; {} accepted{last}", d.accepted.len()) }
            </li>
        }
    });
    html! {
        <section class="pbft-clients" aria-labelledby="pbft-clients-title">
            <h4 id="pbft-clients-title">{ "Clients (§4.1)" }</h4>
            <ul>{ for rows }</ul>
        </section>
    }
}
