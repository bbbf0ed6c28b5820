//! The page's components, one file each. The generic ones (cluster view,
//! transport, next events, inspector, event log, properties) draw the
//! protocol-neutral data of `view_model` through `host::Host`; `raft_panel` and
//! `pbft_panel` are their protocols' own.
//!
//! A part with no state or effects of its own that only reads the session
//! (toolbar, inspector, notices, …) is a plain function its parent calls
//! with the session, not a component: it renders when its parent does, which
//! is on every change of the session, as it would as a context consumer, and
//! each component costs about 1.7 KB of wasm in Yew's per-component code.
//! What must render less often than the session changes stays a component
//! with props (`EventLogRows`, `RaftSettingsForm`, …).

pub mod cluster_view;
pub mod element_size;
pub mod event_log;
pub mod fields;
pub mod glyph;
pub mod header;
pub mod inspector;
pub mod invariant_panel;
pub mod link_form;
pub mod link_layer;
pub mod message_layer;
pub mod narration;
pub mod network_panel;
pub mod next_events;
pub mod node_mark;
pub mod notice;
pub mod paced;
pub mod partition_drag;
pub mod pbft_panel;
pub mod pbft_status;
pub mod play_loop;
pub mod protocol_picker;
pub mod protocol_view;
pub mod raft_panel;
pub mod scenario_bar;
pub mod selection_line;
pub mod shortcuts;
pub mod timeline_marks;
pub mod timer_arcs;
pub mod toolbar;
pub mod transport;
