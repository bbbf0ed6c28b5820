//! The main area for the chosen protocol: actions and the cluster with the
//! transport on the left; inspector, next events and properties on the
//! right; the protocol's own panel and the event log below.

use yew::prelude::*;

use super::cluster_view::ClusterView;
use super::event_log::EventLog;
use super::inspector::Inspector;
use super::invariant_panel::InvariantPanel;
use super::narration::NarrationPanel;
use super::next_events::NextEvents;
use super::notice::NoticeBar;
use super::play_loop::PlayLoop;
use super::raft_panel::RaftPanel;
use super::scenario_bar::ScenarioBar;
use super::shortcuts::{HelpOverlay, Shortcuts};
use super::toolbar::Toolbar;
use super::transport::Transport;
use crate::app::SessionContext;

#[function_component(ProtocolView)]
pub fn protocol_view() -> Html {
    let session = use_context::<SessionContext>().expect("ProtocolView needs the session context");
    let protocol = session.protocol;
    html! {
        <section class="protocol-view" data-protocol={protocol.slug()} aria-labelledby="protocol-title">
            <div class="protocol-intro">
                <h2 id="protocol-title">{ protocol.name() }</h2>
                <p class="protocol-summary">{ protocol.summary() }</p>
                <ScenarioBar />
            </div>
            <PlayLoop />
            <Shortcuts />
            <NoticeBar />
            <div class="workspace">
                <div class="stage">
                    <Toolbar />
                    <ClusterView />
                    <Transport />
                </div>
                <aside class="side">
                    <NarrationPanel />
                    <Inspector />
                    <NextEvents />
                    <InvariantPanel />
                </aside>
            </div>
            <div class="lower">
                <RaftPanel />
                <EventLog />
            </div>
            <HelpOverlay />
        </section>
    }
}
