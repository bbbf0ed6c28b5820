//! The normal case, rule by rule.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;

#[test]
fn a_request_completes_in_the_normal_case() {
    let mut w = world(PbftConfig::new(1, 1), 1);
    request(&mut w, 0, "x=1");
    let seen = run_until(&mut w, 200, "the client accepts a result", |w| accepted(w, 0) == 1);
    assert_eq!(seen.replies, vec!["c0: x=1 done; x was unset".to_string()]);
    request(&mut w, 0, "x=2");
    let seen = run_until(&mut w, 200, "the second result", |w| accepted(w, 0) == 2);
    assert_eq!(seen.replies, vec!["c0: x=2 done; x was 1".to_string()]);
}

/// One input at a time, without a world: what each replica sends for one
/// request, exactly (the openraft style of engine test).
#[test]
fn one_input_produces_exactly_the_papers_messages() {
    use caucus_sim::Protocol;
    use caucus_sim::pbft::Timer;
    use caucus_sim::pbft::messages::Message;
    use caucus_sim::probe::Probe;
    use caucus_sim::protocol::TimerOp;

    let config = PbftConfig::new(1, 1);
    let client_id = NodeId(4);
    let boot = |id: u32| {
        let mut probe = Probe::<PbftNode>::new(config.clone(), 9, NodeId(id));
        let durable = PbftNode::initial_durable(&config, NodeId(id));
        let (node, produced) = probe.boot(durable);
        (probe, node, produced)
    };
    // The client sends its request to the primary of view 0 and sets its timer.
    let (mut c, mut client, _) = boot(4);
    let out = c.request(&mut client, set("x=1"));
    assert_eq!(out.sends.len(), 1);
    let (to, request) = out.sends[0].clone();
    assert_eq!(to, NodeId(0));
    assert!(matches!(&request, Message::Request(r) if r.signer() == client_id));
    assert_eq!(
        out.timers,
        vec![TimerOp::Set { timer: Timer::Retransmit, after: config.client_timeout }]
    );

    // The primary orders it: one PRE-PREPARE to each of the three backups,
    // and its timer runs until the request executes.
    let (mut p, mut primary, booted) = boot(0);
    assert!(booted.sends.is_empty() && booted.timers.is_empty());
    let out = p.message(&mut primary, client_id, request);
    let receivers: Vec<NodeId> = out.sends.iter().map(|(to, _)| *to).collect();
    assert_eq!(receivers, vec![NodeId(1), NodeId(2), NodeId(3)]);
    assert!(out.sends.iter().all(|(_, m)| matches!(m, Message::PrePrepare(pp, Some(_))
        if pp.signer() == NodeId(0) && pp.payload().seq == 1 && pp.payload().view == 0)));
    assert_eq!(
        out.timers,
        vec![TimerOp::Set { timer: Timer::ViewChange, after: config.view_change_timeout }]
    );

    // A backup accepts it: a PREPARE to each other replica, and its §4.4 timer.
    let pre_prepare = out.sends[0].1.clone();
    let (mut b, mut backup, _) = boot(1);
    let out = b.message(&mut backup, NodeId(0), pre_prepare.clone());
    let receivers: Vec<NodeId> = out.sends.iter().map(|(to, _)| *to).collect();
    assert_eq!(receivers, vec![NodeId(0), NodeId(2), NodeId(3)]);
    assert!(out.sends.iter().all(|(_, m)| matches!(m, Message::Prepare(v)
        if v.signer() == NodeId(1) && v.payload().seq == 1)));
    assert_eq!(
        out.timers,
        vec![TimerOp::Set { timer: Timer::ViewChange, after: config.view_change_timeout }]
    );

    // The same PRE-PREPARE passed on by another replica is still signed by
    // the primary, and a duplicate: it produces nothing.
    let again = b.message(&mut backup, NodeId(3), pre_prepare);
    assert!(again.sends.is_empty() && again.timers.is_empty(), "{again:?}");
}
