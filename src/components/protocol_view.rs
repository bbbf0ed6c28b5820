//! The main area for the chosen protocol. The first screen holds what a run
//! is watched with: the cluster with its actions and the transport, then the
//! notes and the safety properties, then the inspector and the next events,
//! side by side on a wide screen (in that reading order), stacked on a
//! narrow one. The protocol's own panel and the event log come below.

use yew::prelude::*;

use super::cluster_view::ClusterView;
use super::event_log::event_log;
use super::inspector::inspector;
use super::invariant_panel::invariant_panel;
use super::narration::NarrationPanel;
use super::network_panel::network_panel;
use super::next_events::next_events_panel;
use super::notice::notice_bar;
use super::pbft_panel::PbftPanel;
use super::play_loop::PlayLoop;
use super::raft_panel::RaftPanel;
use super::scenario_bar::ScenarioBar;
use super::selection_line::selection_line;
use super::shortcuts::{HelpOverlay, Shortcuts};
use super::toolbar::toolbar;
use super::transport::Transport;
use caucus_sim::ProtocolKind;

use crate::app::SessionContext;

#[function_component(ProtocolView)]
pub fn protocol_view() -> Html {
    let session = use_context::<SessionContext>().expect("ProtocolView needs the session context");
    let protocol = session.protocol;
    // Each protocol's own panel: the one place a new protocol must add one.
    let own = match protocol {
        ProtocolKind::Raft => html! { <RaftPanel /> },
        ProtocolKind::Pbft => html! { <PbftPanel /> },
    };
    html! {
        <section class="protocol-view" data-protocol={protocol.slug()} aria-labelledby="protocol-title">
            <div class="protocol-intro">
                <h2 id="protocol-title" title={protocol.summary()}>{ protocol.name() }</h2>
                <p class="first-steps">
                    <strong>{ "▶ Play" }</strong>{ " to watch, " }<strong>{ "Step →" }</strong>
                    { " for one event, or open a " }<strong>{ "preset" }</strong>{ " for a tour." }
                </p>
                <ScenarioBar />
            </div>
            <PlayLoop />
            <Shortcuts />
            <div class="workspace">
                <div class="stage">
                    { toolbar(&session) }
                    <div class="stage-drawing">
                        { notice_bar(&session) }
                        <ClusterView />
                    </div>
                    { selection_line(&session) }
                    <Transport />
                </div>
                <aside class="side side-watch" aria-label="Notes, safety and network">
                    <NarrationPanel />
                    { invariant_panel(&session) }
                    { network_panel(&session) }
                </aside>
                <aside class="side side-detail" aria-label="Details">
                    { inspector(&session) }
                    { next_events_panel(&session) }
                </aside>
            </div>
            <div class="lower">
                { own }
                { event_log(&session) }
            </div>
            <HelpOverlay />
        </section>
    }
}
