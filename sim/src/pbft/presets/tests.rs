use crate::engine::Engine;
use crate::pbft::PbftNode;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use crate::scenario::Scenario;

mod notes;

/// Replays a preset step by step: the worlds after each step, and the
/// properties any step found broken.
fn replay(scenario: &Scenario) -> (World<PbftNode>, Vec<String>) {
    let spec = PbftNode::spec(&scenario.run).expect("a PBFT scenario");
    let mut world = World::new(spec.config.clone(), scenario.seed, scenario.links);
    let mut broken = Vec::new();
    for action in &spec.actions {
        let step = world.apply(action).expect("a preset's actions apply");
        broken.extend(step.violations().iter().map(|v| v.property.clone()));
    }
    (world, broken)
}

fn build(slug: &str) -> Scenario {
    let preset = PRESETS.iter().find(|p| p.slug == slug).expect("a preset");
    (preset.build)().unwrap_or_else(|why| panic!("{slug}: {why}")).scenario
}

#[test]
fn every_preset_builds_narrated_and_travels_as_a_link() {
    for preset in PRESETS {
        let scenario =
            (preset.build)().unwrap_or_else(|why| panic!("{}: {why}", preset.slug)).scenario;
        assert_eq!(scenario.narration.title, preset.name);
        assert!(!scenario.narration.description.is_empty());
        assert!(
            scenario.narration.notes.len() >= 5,
            "{}: {} notes",
            preset.slug,
            scenario.narration.notes.len()
        );
        assert_eq!(
            scenario.narration.notes[0].step, 0,
            "{}: the first note is read at once",
            preset.slug
        );
        assert_eq!(scenario.step, 0);
        assert_eq!(scenario.check(), Ok(()));
        let link = scenario.to_link();
        assert!(link.len() < 4_000, "{}: link of {}", preset.slug, link.len());
        assert_eq!(Scenario::from_link(&link).as_ref(), Ok(&scenario));
    }
}

#[test]
fn only_the_preset_with_f_plus_one_liars_breaks_a_property() {
    for preset in PRESETS.iter().filter(|p| p.slug != "f-plus-one") {
        let (_, broken) = replay(&build(preset.slug));
        assert_eq!(broken, Vec::<String>::new(), "{}", preset.slug);
    }
    let (_, broken) = replay(&build("f-plus-one"));
    assert!(broken.iter().any(|p| p == "Agreement"), "{broken:?}");
}

/// The links the page opens are exactly what the scripts write. After a
/// change to a script or to the engine, rewrite them with
/// `CAUCUS_WRITE_PRESETS=1 cargo test -p caucus-sim --lib presets`.
#[test]
#[cfg(not(target_arch = "wasm32"))]
fn the_stored_links_are_what_the_scripts_write() {
    let written: Vec<(&str, &str, String)> =
        PRESETS.iter().map(|p| (p.slug, p.name, build(p.slug).to_link())).collect();
    if std::env::var_os("CAUCUS_WRITE_PRESETS").is_some() {
        let mut file = [
            "//! The presets as links, written from the scripts in `presets.rs` by",
            "//! `CAUCUS_WRITE_PRESETS=1 cargo test -p caucus-sim --lib presets`.",
            "//! Do not edit by hand.",
            "",
            "/// (slug, name, link fragment) of each preset, in menu order.",
            "pub const PRESET_LINKS: &[(&str, &str, &str)] = &[\n",
        ]
        .join("\n");
        for (slug, name, link) in &written {
            file.push_str(&format!(
                "    (\n        {slug:?},\n        {name:?},\n        \"{link}\",\n    ),\n"
            ));
        }
        file.push_str("];\n");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/pbft/preset_links.rs");
        std::fs::write(path, file).expect("preset_links.rs is writable");
        return;
    }
    let stored: Vec<(&str, &str, String)> = super::super::preset_links::PRESET_LINKS
        .iter()
        .map(|&(s, n, l)| (s, n, l.to_string()))
        .collect();
    assert_eq!(
        stored, written,
        "the stored preset links are out of date: rewrite them with \
         CAUCUS_WRITE_PRESETS=1 cargo test -p caucus-sim --lib presets"
    );
}
