//! Every protocol of the one list (`caucus_sim::protocols!`), opening each of
//! its presets from its link as the page does: the link read, its actions
//! replayed into a timeline with its snapshots. A protocol added to the list
//! is measured here with no change to this file. Throughput is the preset's
//! steps. Run by `cargo xtask bench`.

// Criterion does not build for wasm32; clippy checks this file there too.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::Duration;

    use caucus_sim::engine::Engine;
    use caucus_sim::scenario::Scenario;
    use criterion::{Criterion, Throughput, criterion_group};

    macro_rules! every_protocol {
        ($($variant:ident($node:ty, $slug:literal, $name:literal, $summary:literal),)*) => {
            fn presets(c: &mut Criterion) {
                $( open_presets::<$node>(c, $name); )*
            }
        };
    }
    caucus_sim::protocols!(every_protocol);

    fn open_presets<P: Engine>(c: &mut Criterion, name: &str) {
        assert!(!P::PRESET_LINKS.is_empty(), "{name} has no preset to measure");
        let mut group = c.benchmark_group(format!("{name} presets, opened from their links"));
        group.sample_size(20).measurement_time(Duration::from_secs(2));
        for &(slug, _, link) in P::PRESET_LINKS {
            let scenario = Scenario::from_link(link).expect("a preset's link opens");
            let spec = P::spec(&scenario.run).expect("a preset is of its own protocol");
            let steps = spec.replay(scenario.seed, scenario.links).expect("a preset replays").len();
            group.throughput(Throughput::Elements(steps));
            group.bench_function(format!("{slug} ({steps} steps)"), |b| {
                b.iter(|| {
                    let scenario = Scenario::from_link(black_box(link)).expect("opens");
                    let spec = P::spec(&scenario.run).expect("its protocol");
                    black_box(spec.replay(scenario.seed, scenario.links).expect("replays").len())
                })
            });
        }
        group.finish();
    }

    criterion_group!(benches, presets);
}
