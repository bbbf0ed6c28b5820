//! Links of every released format version, made once and kept here as
//! text. Each must keep opening to the same moment of the same run: the same
//! step, the same trace hash at the end of its replay, the same words. A
//! change that breaks one breaks every link people have shared: it needs a
//! new format version (with the old one still read), not a new link here.
//! The trace hashes were written anew once, when the hash function changed
//! (events hashed word by word), with the replays' exported traces shown
//! identical before and after. The PBFT link's hash moved once more, when
//! replicas already in a view stopped answering each other's VIEW-CHANGEs
//! for good (an engine fix: the link still opens at its step, with r0
//! equivocating). Runs natively and in headless Chromium.

use caucus_sim::engine::Engine;
use caucus_sim::raft::RaftNode;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use caucus_sim::NodeId;
use caucus_sim::raft::view::leader;
use caucus_sim::scenario::{Scenario, Selected};

/// Format 1: a 210-step run with a crash, a restart, an AdvanceTo, a forced
/// election, a partition and heal, two client requests and a cut and
/// restored link; shown at step 180 with n3 selected and a note with markup.
const V1_INTERVENTIONS: &str = "v1.fVJha9swEP0r5j6LzU4W0phSKGFjn8Yo-xaMUezLLGJJriSnCcb_fXey06yl1B8s-93Tu3dPGuCEzitrIM8EuJ7WAZw8BF4raw7qL38ZW6OHfCUAW6wC8cugNNo-lFrx3pSfj6ryDPlirjYoXdijDKUyAd1JtiQ5lYhXoglOoS87dKXsOjR1NMUuWlWFsqFdkB9k61FA57A82YCvQNVgdSyfe-t6_Qpq5YM8svVdIUAZFRQ33RWjABmdcilLxQBbJ30D-bdRbOjvsT5JU-EfSxbWd-vVZoKfkPRciLSMga3VWrLRKSPIUzY8Y_DDugq_z5nAOO_5TQoqIvlul4qsKGIBfiJ5myhP-NxTqzey7oYd8ULqZxBAGfZUXo5X8W0fGQdndUwv2Fi9yvpgHX5GeNd3-UHfy61vtuDGy01Bb_CINPRaQKvM0TO_lQFNdfnvjogbxjcjW02Y9XTsnY5z1n1Hx02sGWHlgB2R71JuwnFiTPxXtLgggpHOySnSASjclnB4TLzUXYsJX2vi0G3h0x6ucgsaHs80GJhVonxS2xeTJ_f7hxcZqub-6_4hCQ0mll7Of4GRhvwH";

/// Format 1: the "Figure 8 with the mistake" preset at step 49, with a note
/// of the user's own (quotes, markup, non-ASCII letters).
const V1_FIGURE_8: &str = "v1.rVbbbuM2EP2VAR8aG1CNyI6KVC360KAF-lAU2CzQh93AoKWxzUYivSQVx1jke_oTfWp_rGco2ZaDbdECa8AXUXOGh2fOjPxRPbEPxllV5pnyHb4_Kq_XUb4rZ9dmI7-sqzmossgUN1xFxC-jadl1cdkawV7L61N39bMq58PdLWsfV6zj0tjI_kk3SNnfQtySbfSGw3LHfql3O7Z1IiUsGlPF5RYoVa51EzhTO8_LJxf5tFBtuXpcfuic79rTYmtC1I9C_Z26c21r4i9Nzf4t-_b7w53rbDR2ox4yZayJRvi8w7E778FlCYrItMhU4zbpQtLk2fzhJXsdNP8vQa8zfZ6QbPHwgjClk_AhneDO67BV5Y2g5dhapOyrqMprkXRYUz86X_EPQ9XUy0uW32Yn_LXg3zAk9PGfst38a7b_DcjztOWHDrteYPx57ZEPgB5UpuCgDreLFyDntw_4VIEZiedwamPsY5D4Rke21WHk1Oy8Jv7Mi37NBZhv1yaJ6m4H0yFqWJHUkXfg8nWmrPZeJ8pIH01sWM5iNp1nuqW9iVuKW6bBfRSwAnvWBAAyc6i82fVw9RZxQbdM6D3SgY5ZMlp1MWVpWMOyVCX7BtKWpFEO5Nby24mfSdyA7BWTplb_5ryJBwrReQ5k4oxklx5lAjm0_B4RUIBEB58hUZ32CnrNQO68QxNGNCNBgmqLHDR5g6lAf_5ezG5m8-kMB7Fov95vvTJQLfJzHEsxWU1LsjlN7vMpbcEV_BPZL-cDHx3J2JqfaQ4CuHC2OZCdE_rX0VaHb8gWgBev4IsBDtKeZ1DNhyiRGwfOtdvbmRL39cTmJ2KgIpMJGkDcyVrcV0_T6SF_ICz0Ut6M4bcn-KTqjyMlCUNkQqcWCRQwszBQSOp0ccrokrxO6IYLamfRpEYXICmVHRd0YvMM2uC9mM7o11c2y4RZJTMtpGXPycEhEWy1fxQrDDaKXGcIct0m1RY7oZjiKJtf9dQvSOZnBepegUomBF8e5eYsc4HdB02StU6ax72BSY_Kl0cNQSBg4MeMUHUQ2htUQ8b7qCbFjH5Cvkaj0r1Ak7S-mAq8hdep24nSNTwtZrIjza-G4DkhXT4d814UY96j0hbjKGn7IapF7-2tKMYlvVd45IDne5XRt1Fvwnf0Bf31R9voLoYRvjhreKcheyzpPgrRn3WFBxvTfd96K88aldLS-6IKwOP2TSUeKjjuHYSuWKwnVdfQllYILq7CLH1eNo11ewpplpwTwGmMuXCgxjxhDuDpzL48DxvZVzcN8p63x54bZ3ms0lcXHjiOrH6PhVgh66ejQaXljug4MIAX9qidWa9ZnnY0_BugPS4_feYJZv1RtvPEktriSfA3";

/// Format 1, PBFT: f = 1 and two clients; r0 equivocates, r2 crashes and
/// restarts, r3 delays its messages to r1, r1 starts a view change; 227
/// actions, shown at step 207 with r0 selected and a note with markup.
const V1_PBFT: &str = "v1.tVVNb5wwEL3zKyyfVyqQTVpFUQ7ZtseqaqNeqggZmF0swCb2sB-J-O-1CSxeAl2lajh55o3x43nm8ewRQregNJeCXpNgYWNV2_WzWZqgitd4jEycSLHmGydjcut-a19TcBCoTTZ0sxkkeSW5wKgCxWVq8KWDF3ITaf4EJv3JSW857KIkY2IDEfISZG35XPj2eXWmUxGOK-LDExPIBUQpFOxgOV-OSkqukeVgmf9-6NJNj1OWoJGpBY9bBhVMwUqWJRPpiTgtIGRqP8s5qtNyut5Adz1ZA9IvjzXfyoQh0JO6xptaN4tpdj_gsQaNs-yWI3Zqpt5AOVj56J4uxsiWFbV9WfCORC_fTPQwTzR8G9Erf4b0SjGdnbxv7vPOdcnFv3XJGDTwZ9vn93IStKMNZvBPutl9gonsw6tc4_0tPivn0p_tATOJCv-LoMGsoPSnPeSXcZhVazD0HN8g9D1XClvUwlQDpK3rhFdtXHCR68FGCzO8IjlEJW99dvCdAWH73pJ6RGodVVU5OAdN66rg1gj6_HA-QtWe_7GjU0CCMIhCv3UedNwhmFIMX4y_q0GORes43---3pMdx4wwQaC3Hy42pFK8ZKofKCMxgttDzl-hY-RMK0XY2yulyifGrvU1uYlvdwyT7OZDfEswAxKzJK8r3V_EyyVYrRuv-QM";

/// Format 1, PBFT: f = 1; r0 and r1 are Byzantine in "you choose" mode and
/// put lies in place of their messages to r3 alone (a null PRE-PREPARE,
/// r1's PREPARE and both COMMITs for the null request, four lies): r2
/// executes x=1 and r3 the null request at sequence number 1. 33 actions, shown at step 27 where Agreement
/// breaks, with r3 selected and a note with markup.
const V1_PBFT_LIES: &str = "v1.xZVfS8MwFMXf9ylCngdat_kP8UFfRURBEJGStndbWJrU5GZuSr-7SdeusTpwDubYQ3LPTfPLKT356BFC56ANV5Kek6jv59r68YcbukmRjHE9c_NUyTGfBBVXGzdLmx7BQaLpVqeQzgrFJcYFaK4ypw8DXahJbPg7uPJpUJ5zeIvTKZMTiJHnoKznGRz637c9g46jbkeyfGcSuYQ4A8GWnm7Uacm5QTYDT_78UpfLRqcsRWdTJa6XtC64hmuV50xmX8ypBKkyf6xgq9rLn_uddNXAOpE-KXs9VcoA_dJW9n4al_2_wUX_CXcPrxYMboQbduD0hn4nzcC_Wrqg_a4yZ8JWJ90ONNrA_GATgxwtwnfsHIxhEy-Mfm_rDa8MvbVC3Glw_4LpbV0d7AQbHW9N-6gQPPGWnKPdOM_2xbmbn0ejfXFGw3q4ii3fU6nUAPjtolW0Cy5npg13wRBkuoxzXqV_m4atwhZNUDaKMiYuirzNM5rZQvDUrWjq7e4IhffhpGYRkCK0x6e3q897sF4gmdYMV7dR3SOdI2HoBhdP_fjwFkFY-Fig-pAgCGHIRXKpBxcHySVhQkkgLHH3A8EpEOlsJk2S9EJzvYllr_wE";

/// Opens a released link of engine `P`'s run and replays its actions.
fn open<P: Engine>(link: &str) -> (Scenario, caucus_sim::Timeline<P>) {
    let scenario = Scenario::from_link(link).expect("a released link opens");
    let spec = P::spec(&scenario.run).expect("a scenario of this engine");
    let timeline = spec.replay(scenario.seed, scenario.links).expect("its actions apply");
    (scenario, timeline)
}

#[test]
fn a_format_1_link_with_every_kind_of_intervention_still_opens() {
    let (scenario, mut timeline) = open::<RaftNode>(V1_INTERVENTIONS);
    assert_eq!((scenario.version, scenario.step, timeline.len()), (1, 180, 210));
    assert_eq!(timeline.world().trace_hash(), 15613887238381286365);
    assert_eq!(scenario.selected, Some(Selected::Node(NodeId(2))));
    assert_eq!(scenario.narration.title, "A sample run");
    assert_eq!(
        scenario.narration.note_at(12).map(|n| n.text.as_str()),
        Some("n5 is down: <b>watch</b> the others.")
    );
    timeline.seek(scenario.step).unwrap();
    assert!(leader(timeline.world()).is_some());
}

#[test]
fn a_format_1_link_of_a_preset_with_a_user_note_still_opens() {
    let (scenario, timeline) = open::<RaftNode>(V1_FIGURE_8);
    assert_eq!((scenario.step, timeline.len()), (49, 64));
    assert_eq!(timeline.world().trace_hash(), 16095029527011210735);
    assert_eq!(scenario.narration.title, "Figure 8 with the mistake switched on");
    assert_eq!(
        scenario.narration.note_at(49).map(|n| n.text.as_str()),
        Some("my own note: \"quotes\", <tags> & ümlauts")
    );
    // The mistake is in the link's settings, so the run still breaks a property.
    let spec = RaftNode::spec(&scenario.run).expect("a Raft scenario");
    let mut world = caucus_sim::World::new(spec.config.clone(), scenario.seed, scenario.links);
    let broken = spec.actions.iter().any(|a| !world.apply(a).unwrap().violations().is_empty());
    assert!(broken);
}

#[test]
fn a_format_1_pbft_link_opens_to_the_same_moment() {
    use caucus_sim::pbft::{Behaviour, PbftDurable, PbftNode};
    let (scenario, mut timeline) = open::<PbftNode>(V1_PBFT);
    assert_eq!((scenario.step, timeline.len()), (207, 227));
    assert_eq!(timeline.world().trace_hash(), 9096439472043901531);
    assert_eq!(scenario.selected, Some(Selected::Node(NodeId(0))));
    assert_eq!(
        scenario.narration.note_at(5).map(|n| n.text.as_str()),
        Some("r0 lies: <b>watch</b> the backups")
    );
    timeline.seek(scenario.step).unwrap();
    let Some(PbftDurable::Replica(r0)) = timeline.world().durable(NodeId(0)) else {
        panic!("r0 is a replica")
    };
    assert_eq!(r0.byzantine, Some(Behaviour::Equivocate));
}

#[test]
fn a_format_1_pbft_link_with_lies_opens_to_the_same_moment() {
    use caucus_sim::pbft::{PbftDurable, PbftNode};
    let (scenario, mut timeline) = open::<PbftNode>(V1_PBFT_LIES);
    let lies = timeline.log().iter().filter(|a| matches!(a, caucus_sim::Action::Substitute { .. }));
    assert_eq!(lies.count(), 4);
    assert_eq!((scenario.step, timeline.len()), (27, 33));
    assert_eq!(timeline.world().trace_hash(), 10927395224860204561);
    assert_eq!(scenario.selected, Some(Selected::Node(NodeId(3))));
    assert_eq!(
        scenario.narration.note_at(4).map(|n| n.text.as_str()),
        Some("r0 tells <b>r3</b> alone about the null request")
    );
    timeline.seek(scenario.step).unwrap();
    let broken =
        timeline.world().last_step().violations().iter().any(|v| v.property == "Agreement");
    assert!(broken, "Agreement breaks at the step shown");
    for replica in [2, 3] {
        let Some(PbftDurable::Replica(r)) = timeline.world().durable(NodeId(replica)) else {
            panic!("r{replica} is a replica")
        };
        assert_eq!(r.executed, 1, "r{replica}");
    }
}
