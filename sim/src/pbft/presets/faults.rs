//! The presets with faults: a silent primary, an equivocating one, a
//! prepared request carried across a view change, and one Byzantine
//! replica too many.

use super::*;

pub(super) fn silent_primary() -> Result<Written, String> {
    let mut s = Script::new(
        PbftConfig::new(1, 1),
        12,
        "Silent primary and view change",
        "The primary stops sending anything. The client's request reaches the backups, their \
         timers run out, and 2f + 1 VIEW-CHANGEs let the next primary take over (PBFT §4.4).",
    );
    s.note(
        "Four replicas in view 0, r0 its primary, and a client c0. No replica is faulty yet.",
        replicas(4).map(|r| InView(r, 0)),
    );
    s.byzantine(R0, Behaviour::Silent)?;
    s.note(
        "We make r0 Byzantine: from now on it sends nothing at all. The faulty-replicas line \
         shows it; one faulty replica is within f = 1.",
        [Byzantine(R0), InView(R0, 0)],
    );
    s.request(C0, "x=1")?;
    s.note("c0 sends x=1 to the primary r0, which never answers.", [InFlight(C0, R0, "REQUEST")]);
    s.until(2_000, "c0 retransmits", |w| {
        w.node(C0)
            .and_then(|n| n.client())
            .is_some_and(|(_, v)| v.outstanding.as_ref().is_some_and(|o| o.retransmitted))
    })?;
    // §4.1: on timeout the client broadcasts the request to all replicas.
    s.note(
        "No reply came in time: c0 sends the request to every replica. Each backup relays it to \
         r0 and starts a timer: if the request is not executed before it expires, the backup \
         suspects the primary (§4.1, §4.4).",
        [Retransmitted(C0), InFlight(C0, R1, "REQUEST")],
    );
    let changing = |w: &World<PbftNode>| {
        which(w, |w, r| r != R0 && replica(w, r).is_some_and(|d| d.view_changing && d.view == 1))
    };
    s.until(2_000, "a view change", |w| !changing(w).is_empty())?;
    let v = changing(s.world())[0];
    let peer = if v == R2 { R3 } else { R2 };
    s.note(
        format!(
            "{}'s timer expired: it moves to view 1 and multicasts a VIEW-CHANGE, saying what it \
             has prepared and its last stable checkpoint. It takes no part in view 0 any more \
             (§4.4).",
            name(v)
        ),
        [ViewChanging(v, 1), InFlight(v, peer, "VIEW-CHANGE")],
    );
    s.until(2_000, "r1 leads view 1", |w| {
        replica(w, R1).is_some_and(|d| d.view == 1 && !d.view_changing)
    })?;
    // §4.4: the primary of v + 1 multicasts NEW-VIEW on 2f valid VIEW-CHANGEs (and its own).
    s.note(
        "r1 is the primary of view 1 (1 mod 4). With 2f + 1 VIEW-CHANGEs for view 1, its own \
         among them, it multicasts a NEW-VIEW that proves the backups agree to move (§4.4).",
        [InView(R1, 1), InFlight(R1, R2, "NEW-VIEW")],
    );
    s.until(2_000, "c0 accepts", |w| accepted(w, C0) == 1)?;
    s.note(
        "The backups accepted the NEW-VIEW; r1 ordered x=1 in view 1, and c0 accepted the \
         result from f + 1 matching replies. r0 is still silent and nobody needs it.",
        [InView(R1, 1), InView(R2, 1), InView(R3, 1), AcceptedCount(C0, 1), NothingBroken],
    );
    Ok(s.finish())
}

pub(super) fn equivocating_primary() -> Result<Written, String> {
    let mut s = Script::new(
        PbftConfig::new(1, 1),
        13,
        "Equivocating primary",
        "A lying primary sends two different PRE-PREPAREs for one sequence number. With at \
         most f = 1 faulty replica, no two correct replicas can prepare different requests \
         there (PBFT §4.2).",
    );
    s.note(
        "Four replicas in view 0, r0 its primary, and a client c0.",
        replicas(4).map(|r| InView(r, 0)),
    );
    s.byzantine(R0, Behaviour::Equivocate)?;
    s.note(
        "We make r0 Byzantine: as primary it will send each backup two PRE-PREPAREs for the \
         same sequence number, one for the client's request and one for a null request, in \
         opposite orders to different backups.",
        [Byzantine(R0)],
    );
    s.request(C0, "x=1")?;
    s.note("c0 sends x=1 to r0.", [InFlight(C0, R0, "REQUEST")]);
    let chose = |w: &World<PbftNode>| {
        (1..4).all(|i| slot(w, NodeId(i), 1).is_some_and(|s| s.digest().is_some()))
    };
    s.until(500, "every backup pre-prepares", chose)?;
    let took = |w: &World<PbftNode>, request: &str| {
        which(w, |w, r| r != R0 && slot(w, r, 1).and_then(request_text).as_deref() == Some(request))
    };
    let (for_x, for_null) = (took(s.world(), "x=1"), took(s.world(), "null"));
    if for_x.len() + for_null.len() != 3 || for_x.is_empty() || for_null.is_empty() {
        return Err("the backups did not split".into());
    }
    // §4.2: a backup accepts a PRE-PREPARE only if it has not accepted
    // another for the same view and sequence number with a different digest.
    s.note(
        format!(
            "r0 equivocated. {} accepted x=1 at sequence number 1 first; {} accepted the null \
             request first. Each keeps the first it accepted and refuses the second (see the \
             event log), and sends a PREPARE for it.",
            and_list(&for_x),
            and_list(&for_null)
        ),
        for_x
            .iter()
            .map(|&r| PrePrepared(r, 0, 1, "x=1"))
            .chain(for_null.iter().map(|&r| PrePrepared(r, 0, 1, "null"))),
    );
    let (many, few, request) = if for_x.len() > for_null.len() {
        (for_x, for_null, "x=1")
    } else {
        (for_null, for_x, "null")
    };
    let prepared = |w: &World<PbftNode>| which(w, |w, r| slot(w, r, 1).is_some_and(|s| s.prepared));
    s.until(500, "a backup prepares", |w| !prepared(w).is_empty())?;
    let p = prepared(s.world());
    s.note(
        format!(
            "{} prepared {request} at 1: its own PREPARE and one more make the 2f = 2 it needs. \
             {} cannot prepare x=1 or null there: only it votes for what it took, and a correct \
             replica never votes for two requests at one sequence number. So no two correct \
             replicas prepare different requests (§4.2).",
            and_list(&p),
            and_list(&few)
        ),
        p.iter().map(|&r| Prepared(r, 1, request)).chain(few.iter().map(|&r| NotPrepared(r, 1))),
    );
    s.until(3_000, "c0 accepts", |w| accepted(w, C0) == 1)?;
    s.note(
        format!(
            "{} committed and executed {request} at 1 (r0's COMMIT, sent for both, makes the third). c0's request still got ordered and c0 accepted the result: one liar, \
             and the correct replicas still agree on every sequence number.",
            and_list(&many)
        ),
        many.iter().map(|&r| Committed(r, 1, request)).chain([AcceptedCount(C0, 1), NothingBroken]),
    );
    Ok(s.finish())
}

pub(super) fn prepared_survives() -> Result<Written, String> {
    let mut s = Script::new(
        PbftConfig::new(1, 1),
        14,
        "A prepared request survives a view change",
        "Every COMMIT is lost, so a request prepares everywhere but commits nowhere. The backups \
         change views, and the new primary re-issues the prepared request at the same sequence \
         number, carried by the VIEW-CHANGEs (PBFT §4.4).",
    );
    s.note(
        "Four replicas in view 0, r0 its primary, and a client c0.",
        replicas(4).map(|r| InView(r, 0)),
    );
    s.request(C0, "x=7")?;
    s.note(
        "c0 sends x=7. From now on every COMMIT is dropped as it is sent (the event log lists \
         each drop).",
        [InFlight(C0, R0, "REQUEST")],
    );
    let all_prepared =
        |w: &World<PbftNode>| (1..4).all(|i| slot(w, NodeId(i), 1).is_some_and(|s| s.prepared));
    s.until_dropping(400, "every backup prepares", &[kinds::COMMIT.as_str()], all_prepared)?;
    s.note(
        "Every backup has prepared x=7 at sequence number 1 (the phase matrix), but without \
         COMMITs none commits or executes it.",
        [R1, R2, R3].into_iter().flat_map(|r| [Prepared(r, 1, "x=7"), Executed(r, 0)]),
    );
    let new_view = |w: &World<PbftNode>| {
        w.in_flight().any(|m| m.message.kind().as_str() == kinds::NEW_VIEW.as_str())
    };
    s.until_dropping(3_000, "a NEW-VIEW", &[kinds::COMMIT.as_str()], new_view)?;
    // §4.4: the VIEW-CHANGE carries the P set; the NEW-VIEW's O set re-issues it.
    s.note(
        "The backups' timers ran out and they moved to view 1. Each VIEW-CHANGE carried the \
         proof that x=7 prepared at 1: the PRE-PREPARE and 2f PREPAREs. r1, primary of view 1, \
         read those proofs and multicasts a NEW-VIEW that re-issues x=7 at sequence number 1 in \
         view 1 (§4.4).",
        [PrePrepared(R1, 1, 1, "x=7"), InFlight(R1, R2, "NEW-VIEW")],
    );
    s.until(3_000, "c0 accepts", |w| accepted(w, C0) == 1)?;
    let done = which(s.world(), |w, r| executed(w, r) >= 1);
    s.note(
        format!(
            "COMMITs flow again. {} executed x=7 at sequence number 1, the same request at the \
             same number as prepared in view 0, and c0 accepted the result.",
            and_list(&done)
        ),
        done.iter()
            .flat_map(|&r| [Executed(r, 1), Applied(r, "x", 7)])
            .chain([AcceptedCount(C0, 1), NothingBroken]),
    );
    Ok(s.finish())
}

pub(super) fn f_plus_one() -> Result<Written, String> {
    let mut s = Script::new(
        PbftConfig::new(1, 1),
        13,
        "f + 1 Byzantine replicas break agreement",
        "PBFT with n = 3f + 1 = 4 survives one liar. Two liars, an equivocating primary and a \
         backup that votes for everything, are enough to make two correct replicas execute \
         different requests at one sequence number: why n must be at least 3f + 1.",
    );
    s.note(
        "Four replicas (f = 1) and a client c0. Random schedule search finds this quickly once \
         two replicas lie; here is the short version.",
        replicas(4).map(Correct).chain([NothingBroken]),
    );
    s.byzantine(R0, Behaviour::Equivocate)?;
    s.note("r0, the primary, turns Byzantine: it will equivocate.", [Byzantine(R0)]);
    s.byzantine(R2, Behaviour::DoubleVote)?;
    s.note(
        "r2 turns Byzantine too: it will PREPARE and COMMIT every PRE-PREPARE it sees. The \
         faulty-replicas line now counts 2, more than f = 1: safety is no longer guaranteed.",
        [Byzantine(R0), Byzantine(R2), Correct(R1), Correct(R3)],
    );
    s.request(C0, "x=1")?;
    s.note("c0 sends x=1 to r0.", [InFlight(C0, R0, "REQUEST")]);
    let took = |w: &World<PbftNode>, r: NodeId| slot(w, r, 1).and_then(request_text);
    s.until(500, "r1 and r3 pre-prepare", |w| took(w, R1).is_some() && took(w, R3).is_some())?;
    if (took(s.world(), R1).as_deref(), took(s.world(), R3).as_deref())
        != (Some("x=1"), Some("null"))
    {
        return Err("r1 and r3 did not split".into());
    }
    s.note(
        "r0 equivocated: the correct backups took different PRE-PREPAREs for sequence number \
         1, r1 the request x=1 and r3 the null request. Each refuses the other one.",
        [PrePrepared(R1, 0, 1, "x=1"), PrePrepared(R3, 0, 1, "null")],
    );
    let prepared = |w: &World<PbftNode>, r: NodeId| slot(w, r, 1).is_some_and(|s| s.prepared);
    s.until(500, "r3 prepares", |w| prepared(w, R3))?;
    s.note(
        "r3 prepared null at 1: its own PREPARE and r2's make 2f = 2. With one liar that second \
         vote would have to come from a correct replica, which never votes for two requests.",
        [Prepared(R3, 1, "null"), NotPrepared(R1, 1)],
    );
    s.until(500, "r1 prepares", |w| prepared(w, R1))?;
    s.note(
        "r1 prepared x=1 at 1 with the same trick: r2 voted for x=1 as well. Two correct \
         replicas prepared different requests at one sequence number in one view: Prepared \
         Uniqueness turns red on the properties panel.",
        [Prepared(R1, 1, "x=1"), Prepared(R3, 1, "null"), Breaks("Prepared Uniqueness")],
    );
    s.until(500, "r3 executes", |w| executed(w, R3) == 1)?;
    s.note(
        "r3 has 2f + 1 = 3 COMMITs for null (its own, r0's and r2's): it executes the null \
         request at 1.",
        [Committed(R3, 1, "null"), Executed(R3, 1)],
    );
    s.until(500, "r1 executes", |w| executed(w, R1) == 1)?;
    s.note(
        "r1 has 3 COMMITs for x=1 (its own, r0's and r2's) and executes x=1 at 1. Two correct \
         replicas executed different requests at sequence number 1: Agreement turns red, and \
         Executed Prefixes turns red with it. Quorums of 2f + 1 = 3 out of 4 overlap in only \
         2 replicas, and here both are liars: n = 3f + 1 is the least that works.",
        [Executed(R1, 1), Applied(R1, "x", 1), Breaks("Agreement"), Breaks("Executed Prefixes")],
    );
    Ok(s.finish())
}
