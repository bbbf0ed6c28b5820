//! Liveness (OSDI 1999, §4.5.2): with at most f faulty replicas and the
//! network healed, every client request completes within a bounded number
//! of steps, whatever happened before, over many seeds.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::network::PPM;
use caucus_sim::pbft::Behaviour;
use chacha20::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use super::*;

/// Steps a request may take, once the network is healed, to complete.
const BOUND: u32 = 40_000;

/// A run of random trouble with at most f faulty replicas at any time
/// (crashed or Byzantine), then healing; returns the world.
fn troubled(seed: u64, f: u32) -> World<PbftNode> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let links = LinkParams {
        loss_ppm: rng.next_u32() % (PPM / 10),
        duplicate_ppm: rng.next_u32() % (PPM / 20),
        ..LinkParams::default()
    };
    let config = PbftConfig::new(f, 2);
    let (n, clients) = (config.replicas(), config.clients);
    let mut w = World::<PbftNode>::new(config, seed, links);
    // At most f Byzantine replicas, chosen at random, of random behaviour,
    // for the whole run; the others are crashed at most f at a time.
    let liars = rng.next_u32() % (f + 1);
    let mut faulty: Vec<u32> = Vec::new();
    while (faulty.len() as u32) < liars {
        let i = rng.next_u32() % n;
        if !faulty.contains(&i) {
            faulty.push(i);
        }
    }
    for &i in &faulty {
        let peers = (0..n).filter(|&p| p != i && rng.next_u32() % 2 == 0).map(NodeId).collect();
        let all = Behaviour::all(peers);
        let behaviour = all[rng.next_u32() as usize % all.len()].clone();
        byzantine(&mut w, i, behaviour);
    }
    let correct: Vec<u32> = (0..n).filter(|i| !faulty.contains(i)).collect();
    for _ in 0..600 {
        let roll = rng.next_u32() % 1000;
        let crashed: Vec<u32> = (0..n).filter(|&i| w.node(NodeId(i)).is_none()).collect();
        let action = match roll {
            0..=9 if liars + (crashed.len() as u32) < f => {
                Action::Crash(NodeId(correct[rng.next_u32() as usize % correct.len()]))
            }
            10..=29 if !crashed.is_empty() => Action::Restart(NodeId(crashed[0])),
            30..=37 => Action::Partition(vec![
                (0..n + clients).filter(|_| rng.next_u32() % 2 == 0).map(NodeId).collect(),
            ]),
            38..=50 => Action::Heal,
            51..=90 => Action::Request {
                node: NodeId(n + rng.next_u32() % clients),
                request: set(&format!("x={}", w.step())),
            },
            _ => Action::Step,
        };
        let _ = w.apply(&action);
    }
    w.apply(&Action::Heal).unwrap();
    w.apply(&Action::SetLink { link: None, params: LinkParams::default() }).unwrap();
    for i in 0..n + clients {
        if w.node(NodeId(i)).is_none() {
            w.apply(&Action::Restart(NodeId(i))).unwrap();
        }
    }
    w
}

/// Whether client `c`'s last request, `op`, has been accepted and nothing waits.
fn done(w: &World<PbftNode>, c: u32, op: &str) -> bool {
    let Some((durable, volatile)) = w.node(client(w, c)).and_then(PbftNode::client) else {
        return false;
    };
    volatile.outstanding.is_none()
        && volatile.queue.is_empty()
        && durable.accepted.last().is_some_and(|a| a.request.op.to_string() == op)
}

fn completes(seed: u64, f: u32) {
    let mut w = troubled(seed, f);
    let clients = w.config().clients;
    for c in 0..clients {
        request(&mut w, c, &format!("y={c}"));
    }
    // Fails, naming the seed, unless it completes within BOUND steps.
    run_until(&mut w, BOUND, &format!("seed {seed}: every client's last request"), |w| {
        (0..clients).all(|c| done(w, c, &format!("y={c}")))
    });
}

#[test]
fn every_request_completes_once_the_network_heals() {
    let seeds = if cfg!(target_arch = "wasm32") { 10 } else { 200 };
    for seed in 0..seeds {
        completes(seed, 1);
    }
    for seed in 0..seeds / 10 {
        completes(1_000 + seed, 2);
    }
}
