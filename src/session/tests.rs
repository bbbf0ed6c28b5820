#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::raft::{RaftConfig, RaftNode, Role};
use caucus_sim::view::Visual;
use caucus_sim::{Action, NodeId};

use crate::run::Run;

use super::*;

fn reduce(s: Rc<Session>, a: SessionAction) -> Rc<Session> {
    s.reduce(a)
}

#[test]
fn starts_on_the_first_protocol_of_the_picker_paused_at_step_0() {
    let s = Session::default();
    assert_eq!(s.protocol, ProtocolKind::Raft);
    assert!(!s.playing);
    assert_eq!(s.runs.Raft.borrow().cursor(), 0);
}

#[test]
fn picking_the_shown_protocol_keeps_the_same_state() {
    let session = Rc::new(Session::default());
    let next = session.clone().reduce(SessionAction::PickProtocol(ProtocolKind::Raft));
    assert!(Rc::ptr_eq(&session, &next), "no change should mean no re-render");
}

#[test]
fn a_tick_while_paused_changes_nothing() {
    let session = Rc::new(Session::default());
    let next = session.clone().reduce(SessionAction::Tick(16.0));
    assert!(Rc::ptr_eq(&session, &next));
}

#[test]
fn a_refused_action_says_why_in_words_and_changes_nothing() {
    let s = Rc::new(Session::default());
    let s = reduce(s, SessionAction::Act(UserAction::Restart(NodeId(0))));
    let notice = s.notice.clone().unwrap();
    assert_eq!(notice.tone, NoticeTone::Error);
    assert_eq!(notice.text, "That cannot be done now: n1 is already running.");
    assert_eq!(s.runs.Raft.borrow().len(), 0);
}

#[test]
fn a_bad_request_is_refused_in_words() {
    let s = Rc::new(Session::default());
    let s = reduce(s, SessionAction::EditRequest("x=three".into()));
    let s = reduce(s, SessionAction::Request { node: Some(NodeId(0)) });
    assert!(
        s.notice.as_ref().unwrap().text.contains("\"three\" is not a whole number"),
        "{:?}",
        s.notice
    );
    let s = reduce(s, SessionAction::EditRequest("x=3".into()));
    let s = reduce(s, SessionAction::Request { node: None });
    assert!(
        s.notice.as_ref().unwrap().text.contains("No server can take a request"),
        "{:?}",
        s.notice
    );
    assert_eq!(s.request_text, "x=3", "a refused request keeps its text");
}

#[test]
fn the_menu_sends_the_request_box_value_and_the_box_then_suggests_the_next() {
    let mut s = Rc::new(Session::default());
    s = reduce(s, SessionAction::EditRequest("y=41".into()));
    let menu = s.run().node_menu(NodeId(1), &s.request_text);
    let item = menu.iter().find(|i| i.key == Some('q')).expect("a request item");
    assert_eq!(item.label, "Client request y=41", "the menu shows the box's value");
    s = reduce(s, item.action.clone());
    let sent = s.runs.Raft.borrow().actions().last().cloned();
    let expected =
        Action::Request { node: NodeId(1), request: RaftNode::parse_request("y=41").unwrap() };
    assert_eq!(sent, Some(expected), "the menu sends the box's value");
    assert_eq!(s.request_text, "y=42", "the box suggests the next value");
}

#[test]
fn the_next_request_counts_up_its_last_number() {
    assert_eq!(next_request("x=1"), "x=2");
    assert_eq!(next_request("x=9"), "x=10");
    assert_eq!(next_request("count=007"), "count=8");
    assert_eq!(next_request("x=hello"), "x=hello");
    assert_eq!(next_request(""), "");
    assert_eq!(next_request("x=18446744073709551615"), "x=18446744073709551615");
}

#[test]
fn the_partition_tool_needs_two_groups_then_partitions() {
    let mut s = Rc::new(Session::default());
    s = reduce(s, SessionAction::StartPartition);
    s = reduce(s, SessionAction::ApplyPartition);
    assert!(s.partition_draft.is_some(), "one group is not a partition: the draft stays");
    assert!(s.notice.as_ref().unwrap().text.contains("second group"));
    s = reduce(s, SessionAction::CyclePartitionGroup(NodeId(3)));
    s = reduce(s, SessionAction::CyclePartitionGroup(NodeId(4)));
    s = reduce(s, SessionAction::ApplyPartition);
    assert!(s.partition_draft.is_none());
    let groups = s.runs.Raft.borrow().world().network().groups();
    assert_eq!(groups, vec![vec![NodeId(0), NodeId(1), NodeId(2)], vec![NodeId(3), NodeId(4)]]);
}

#[test]
fn playing_elects_a_leader_and_impossible_settings_are_refused() {
    let mut s = Rc::new(Session::default());
    s = reduce(s, SessionAction::SetSpeed(3.0));
    s = reduce(s, SessionAction::TogglePlay);
    for _ in 0..200 {
        s = reduce(s, SessionAction::Tick(16.0));
    }
    let leaders = {
        let run = s.runs.Raft.borrow();
        (0..5)
            .filter(|&i| run.world().node(NodeId(i)).is_some_and(|n| n.role() == Role::Leader))
            .count()
    };
    assert_eq!(leaders, 1);
    let config = RaftConfig { nodes: 12, ..RaftConfig::default() };
    let before = s.runs.Raft.borrow().len();
    s = reduce(s, SessionAction::Configure(Settings::Raft(config)));
    assert!(s.notice.as_ref().unwrap().text.contains("1 to 9 servers, not 12"), "{:?}", s.notice);
    assert_eq!(s.runs.Raft.borrow().len(), before, "the run is kept");
}

#[test]
fn dragging_servers_draws_a_partition() {
    let mut s = Rc::new(Session::default());
    // Dragging n4 into empty space opens the tool with n4 alone in a new group.
    s = reduce(s, SessionAction::DragToGroup { node: NodeId(3), onto: None });
    assert_eq!(s.partition_draft, Some(vec![0, 0, 0, 1, 0]));
    // n5 dropped on n4 joins it; n1 dropped in empty space starts a third group.
    s = reduce(s, SessionAction::DragToGroup { node: NodeId(4), onto: Some(NodeId(3)) });
    s = reduce(s, SessionAction::DragToGroup { node: NodeId(0), onto: None });
    assert_eq!(s.partition_draft, Some(vec![2, 0, 0, 1, 1]));
    // With A, B and C in use, empty space moves a server on to the next group.
    s = reduce(s, SessionAction::DragToGroup { node: NodeId(1), onto: None });
    assert_eq!(s.partition_draft, Some(vec![2, 1, 0, 1, 1]));
    // n1 dropped back on n3 rejoins group A; n3 dropped in empty space takes
    // the free group C, and dropped there again, alone in C, it stays.
    s = reduce(s, SessionAction::DragToGroup { node: NodeId(0), onto: Some(NodeId(2)) });
    s = reduce(s, SessionAction::DragToGroup { node: NodeId(2), onto: None });
    assert_eq!(s.partition_draft, Some(vec![0, 1, 2, 1, 1]));
    s = reduce(s, SessionAction::DragToGroup { node: NodeId(2), onto: None });
    assert_eq!(s.partition_draft, Some(vec![0, 1, 2, 1, 1]));
    s = reduce(s, SessionAction::ApplyPartition);
    let groups = s.runs.Raft.borrow().world().network().groups();
    assert_eq!(
        groups,
        vec![vec![NodeId(0)], vec![NodeId(1), NodeId(3), NodeId(4)], vec![NodeId(2)]]
    );
}

/// A session with a run of some length, a crash, a note and a selection,
/// paused between two events.
fn worked_session() -> Rc<Session> {
    let mut s = Rc::new(Session::default());
    for _ in 0..30 {
        s = reduce(s, SessionAction::Step);
    }
    s = reduce(s, SessionAction::Act(UserAction::Crash(NodeId(2))));
    s = reduce(s, SessionAction::SetNote("n3 is <b>down</b>".into()));
    for _ in 0..20 {
        s = reduce(s, SessionAction::Step);
    }
    s = reduce(s, SessionAction::Select(Some(Selection::Node(NodeId(1)))));
    s = reduce(s, SessionAction::SetTitle("Crash n3".into()));
    s = reduce(s, SessionAction::SetSpeed(1.0));
    s = reduce(s, SessionAction::TogglePlay);
    s = reduce(s, SessionAction::Tick(3.0));
    reduce(s, SessionAction::Pause)
}

#[test]
fn a_link_opens_to_exactly_the_same_moment() {
    let s = worked_session();
    let link = s.scenario().to_link();
    let opened = Session::from_fragment(&format!("#{link}"));
    assert_eq!(opened.notice, None);
    let (a, b) = (s.runs.Raft.borrow(), opened.runs.Raft.borrow());
    assert_eq!((b.cursor(), b.len()), (a.cursor(), a.len()));
    assert_eq!(b.world().trace_hash(), a.world().trace_hash());
    assert_eq!(b.shown_time(), a.shown_time());
    assert!(a.shown_time() > a.world().now(), "the sample is paused between two events");
    if let Some(Selection::Node(id)) = s.selection {
        assert_eq!(b.fields_before(id), a.fields_before(id), "the inspector's was");
    }
    let marks = |r: &Run<RaftNode>| r.history().marks().map(|m| m.step()).collect::<Vec<_>>();
    assert_eq!(marks(&b), marks(&a));
    assert!(!marks(&a).is_empty());
    assert_eq!(opened.selection, s.selection);
    assert_eq!(opened.narration, s.narration);
    // The panels show the step opened, not the start.
    assert_eq!(opened.panels.step(Lane::Notes), a.cursor());
    // The note sits on the crash, step 31.
    assert_eq!(opened.narration.note_at(31).map(|n| n.text.as_str()), Some("n3 is <b>down</b>"));
}

#[test]
fn a_bad_link_says_why_and_the_page_starts_fresh_or_keeps_its_run() {
    let fresh = Session::from_fragment("#v1.this-is-not-it");
    let notice = fresh.notice.clone().unwrap();
    assert_eq!(notice.tone, NoticeTone::Error);
    assert!(notice.text.starts_with("The link is damaged"), "{}", notice.text);
    assert!(notice.text.ends_with("This is a fresh run instead."), "{}", notice.text);
    assert_eq!(fresh.runs.Raft.borrow().len(), 0);

    let s = worked_session();
    let before = s.runs.Raft.borrow().len();
    let s = reduce(s, SessionAction::OpenLink("v7.abc".into()));
    let text = &s.notice.as_ref().unwrap().text;
    assert!(text.contains("newer Caucus (format 7)") && text.ends_with("unchanged."), "{text}");
    assert_eq!(s.runs.Raft.borrow().len(), before, "the run on the page is kept");
}

#[test]
fn acting_in_the_past_drops_the_notes_of_the_discarded_steps() {
    let mut s = worked_session();
    s = reduce(s, SessionAction::Seek(45));
    s = reduce(s, SessionAction::SetNote("here".into()));
    s = reduce(s, SessionAction::JumpToNote { forward: false });
    assert_eq!(s.runs.Raft.borrow().cursor(), 31);
    s = reduce(s, SessionAction::JumpToNote { forward: true });
    assert_eq!(s.runs.Raft.borrow().cursor(), 45);
    s = reduce(s, SessionAction::Seek(40));
    s = reduce(s, SessionAction::Act(UserAction::Crash(NodeId(0))));
    let steps: Vec<u64> = s.narration.notes.iter().map(|n| n.step).collect();
    assert_eq!(steps, vec![31], "the note on step 45 went with the old run");
    let s = reduce(s, SessionAction::SetTitle("t".repeat(201)));
    assert_eq!(s.narration.title, "Crash n3", "an overlong title is refused");
}

#[test]
fn a_refused_link_is_counted_so_the_page_can_clear_the_address_bar() {
    let s = Session::from_fragment("#v1.not-a-link");
    assert_eq!(s.refused_links, 1, "a bad link at load is refused");
    assert_eq!(s.notice.as_ref().map(|n| n.tone), Some(NoticeTone::Error));
    let s = reduce(Rc::new(s), SessionAction::OpenLink("v1.still-not".into()));
    assert_eq!(s.refused_links, 2, "and so is one pasted into the open page");
    let good = Session::default().scenario().to_link();
    let s = reduce(s, SessionAction::OpenLink(good));
    assert_eq!(s.refused_links, 2, "a good link is not refused");
    assert_eq!(Session::from_fragment("").refused_links, 0);
}

#[test]
fn a_menu_or_a_link_never_outlives_what_it_points_at() {
    let mut s = Rc::new(Session::default());
    s = reduce(s, SessionAction::OpenMenu(NodeId(4)));
    assert_eq!((s.menu, s.selection), (Some(NodeId(4)), Some(Selection::Node(NodeId(4)))));
    s = reduce(s, SessionAction::Select(Some(Selection::Node(NodeId(2)))));
    assert_eq!(s.menu, None, "selecting something else closes the menu");
    s = reduce(s, SessionAction::OpenMenu(NodeId(4)));
    s = reduce(s, SessionAction::CloseOverlays);
    assert_eq!(s.menu, None, "Escape closes the menu first");
    assert!(s.selection.is_some(), "and keeps the selection");

    s = reduce(s, SessionAction::Select(Some(Selection::Link(NodeId(1), NodeId(4)))));
    s = reduce(s, SessionAction::OpenMenu(NodeId(3)));
    s = reduce(s, SessionAction::Select(Some(Selection::Link(NodeId(1), NodeId(4)))));
    let config = RaftConfig { nodes: 3, ..RaftConfig::default() };
    s = reduce(s, SessionAction::Configure(Settings::Raft(config)));
    assert_eq!(s.selection, None, "a link to a server that is gone is no longer selected");
    assert_eq!(s.menu, None);
}

#[test]
fn a_request_sent_from_a_past_step_still_moves_the_box_on() {
    let mut s = Rc::new(Session::default());
    for _ in 0..40 {
        s = reduce(s, SessionAction::Step);
    }
    s = reduce(s, SessionAction::Seek(10));
    s = reduce(s, SessionAction::Request { node: Some(NodeId(0)) });
    assert_eq!(s.runs.Raft.borrow().len(), 11, "the later steps were discarded");
    assert_eq!(s.request_text, "x=2", "the request was sent, so the box suggests the next");
}

#[test]
fn switching_protocols_keeps_each_run_where_it_was_left() {
    let mut s = Rc::new(Session::default());
    for _ in 0..12 {
        s = reduce(s, SessionAction::Step);
    }
    s = reduce(s, SessionAction::SetNote("twelve".into()));
    s = reduce(s, SessionAction::Select(Some(Selection::Node(NodeId(2)))));
    s = reduce(s, SessionAction::PickProtocol(ProtocolKind::Pbft));
    assert_eq!(s.run().kind(), ProtocolKind::Pbft);
    assert_eq!(s.run().cursor(), 0, "PBFT starts at its own beginning");
    assert_eq!(s.selection, None, "the selection was Raft's");
    assert!(s.narration.is_empty(), "the notes were Raft's");
    assert_eq!(s.request_text, "x=1");
    s = reduce(s, SessionAction::Request { node: None });
    s = reduce(s, SessionAction::Step);
    s = reduce(s, SessionAction::PickProtocol(ProtocolKind::Raft));
    assert_eq!(s.run().cursor(), 12);
    assert_eq!(s.selection, Some(Selection::Node(NodeId(2))));
    assert_eq!(s.narration.note_at(12).map(|n| n.text.as_str()), Some("twelve"));
    s = reduce(s, SessionAction::PickProtocol(ProtocolKind::Pbft));
    assert_eq!(s.run().cursor(), 2, "and PBFT is where it was left too");
    assert_eq!(s.request_text, "x=2");
}

#[test]
fn a_pbft_request_goes_to_a_client_and_completes() {
    let mut s = Rc::new(Session::default());
    s = reduce(s, SessionAction::PickProtocol(ProtocolKind::Pbft));
    s = reduce(s, SessionAction::EditRequest("x=7".into()));
    s = reduce(s, SessionAction::Request { node: None });
    assert_eq!(s.notice, None);
    assert_eq!(s.request_text, "x=8", "the box suggests the next request");
    for _ in 0..200 {
        s = reduce(s, SessionAction::Step);
    }
    let accepted = match s.runs.Pbft.borrow().world().durable(NodeId(4)) {
        Some(caucus_sim::pbft::PbftDurable::Client(d)) => d.accepted.len(),
        _ => panic!("c0 is a client"),
    };
    assert_eq!(accepted, 1, "c0 accepted its result");
}

#[test]
fn a_replica_turns_byzantine_from_its_menu_and_a_pbft_link_reopens_it() {
    let mut s = Rc::new(Session::default());
    s = reduce(s, SessionAction::PickProtocol(ProtocolKind::Pbft));
    let menu = s.run().node_menu(NodeId(0), &s.request_text);
    let silent = menu.iter().find(|i| i.label.contains("silent")).expect("a silent item");
    s = reduce(s, silent.action.clone());
    assert_eq!(s.notice, None);
    assert!(
        s.run().node_view(NodeId(0)).role.contains("silent"),
        "{:?}",
        s.run().node_view(NodeId(0))
    );
    let link = s.scenario().to_link();
    let opened = Session::from_fragment(&link);
    assert_eq!(opened.protocol, ProtocolKind::Pbft, "the link opens PBFT");
    assert_eq!(opened.run().cursor(), 1);
    assert_eq!(opened.run().node_view(NodeId(0)), s.run().node_view(NodeId(0)));
}

#[test]
fn play_pauses_where_the_run_is_full_and_says_why_in_one_sentence() {
    let mut s = Rc::new(Session::default());
    s.runs.Raft.borrow_mut().set_max_steps(40);
    s = reduce(s, SessionAction::SetSpeed(3.0));
    s = reduce(s, SessionAction::TogglePlay);
    for _ in 0..500 {
        s = reduce(s, SessionAction::Tick(16.0));
        if !s.playing {
            break;
        }
    }
    assert!(!s.playing, "play stopped");
    assert_eq!(
        s.notice.as_ref().map(|n| n.text.as_str()),
        Some(
            "Play paused at step 40: the run holds 40 steps, as many as it may (a link carries \
             no more); step back to branch off earlier, or start a new run."
        )
    );
    // A step by hand is refused in the same words; nothing is lost.
    s = reduce(s, SessionAction::Step);
    let said = &s.notice.as_ref().expect("a notice").text;
    assert!(said.starts_with("That cannot be done now: the run holds 40 steps"), "{said}");
    assert_eq!(s.runs.Raft.borrow().len(), 40);
}
