//! The main area for the chosen protocol. The first screen holds what a run
//! is watched with: the cluster with its actions and the transport, then the
//! notes and the safety properties, then the inspector and the next events,
//! side by side on a wide screen (in that reading order), stacked on a
//! narrow one. The protocol's own panel and the event log come below.

use yew::prelude::*;

use super::cluster_view::ClusterView;
use super::event_log::EventLog;
use super::inspector::Inspector;
use super::invariant_panel::InvariantPanel;
use super::narration::NarrationPanel;
use super::network_panel::NetworkPanel;
use super::next_events::NextEvents;
use super::notice::NoticeBar;
use super::pbft_panel::PbftPanel;
use super::play_loop::PlayLoop;
use super::raft_panel::RaftPanel;
use super::scenario_bar::ScenarioBar;
use super::selection_line::SelectionLine;
use super::shortcuts::{HelpOverlay, Shortcuts};
use super::toolbar::Toolbar;
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
                    <Toolbar />
                    <div class="stage-drawing">
                        <NoticeBar />
                        <ClusterView />
                    </div>
                    <SelectionLine />
                    <Transport />
                </div>
                <aside class="side side-watch" aria-label="Notes, safety and network">
                    <NarrationPanel />
                    <InvariantPanel />
                    <NetworkPanel />
                </aside>
                <aside class="side side-detail" aria-label="Details">
                    <Inspector />
                    <NextEvents />
                </aside>
            </div>
            <div class="lower">
                { own }
                <EventLog />
            </div>
            <HelpOverlay />
        </section>
    }
}
