//! `--help` on every subcommand explains each flag with its unit and default.

use super::output;

#[test]
fn every_subcommand_explains_its_flags() {
    let (top, _) = output(&["--help"], 0);
    assert!(top.contains("Exit codes: 0 done"), "{top}");
    for (args, says) in [
        (&["run", "--help"][..], &["--steps <N>", "--trace", "--link", "--page <URL>"][..]),
        (
            &["sweep", "raft", "--help"],
            &["in ms", "[default: 100-200]", "--seeds <N>", "--format <FORMAT>", "Figure 16"],
        ),
        (
            &["sweep", "pbft", "--help"],
            &["--faulty-primaries <N>", "[default: stall]", "silent, equivocate"],
        ),
        (
            &["sweep", "gossip", "--help"],
            &["--k <K>", "[default: 1,000 to sweep, 8 to explore]", "§1.4"],
        ),
        (&["sweep", "swim", "--help"], &["--suspicion-mult <N>", "--crashes <N>", "in ms"]),
        (
            &["explore", "raft", "--help"],
            &["--schedules <N>", "--seconds <S>", "--crash <%>", "in percent"],
        ),
        (
            &["explore", "pbft", "--help"],
            &["--byzantine-replicas <N>", "[default: f]", "--byzantine-rate <%>"],
        ),
        (&["explore", "swim", "--help"], &["0 for SWIM"]),
    ] {
        let (help, _) = output(args, 0);
        for s in says {
            assert!(help.contains(s), "{args:?} says {s:?}:\n{help}");
        }
    }
}
