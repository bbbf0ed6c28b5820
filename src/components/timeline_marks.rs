//! The marks under the scrubber (user actions, leader changes, violations)
//! and the notes' marks above it: each a button that goes to its step.
//!
//! Marks nearer each other than a bucket, a 400th of the scale (about a
//! pixel and a half of the scrubber), are drawn as one. A run with hundreds
//! of requests sent at once had hundreds of buttons on the same spot: as
//! many stops for the Tab key, and while playing, each moved whenever the
//! scale grew, which cost a PBFT frame more layout and paint than the rest
//! of the panels together (frame benchmark).

use yew::prelude::*;

use caucus_sim::ProtocolKind;

use crate::numbers::{fixed, math};
use crate::run::history::StepRecord;
use crate::run::revision::Revision;
use crate::session::{Runs, Session, SessionAction};

/// How much longer than the run the marks' scale is at most: they are as
/// much wider than drawn (6 px marks up to 6.6 px).
pub const SPAN_SLACK: f64 = 1.1;

/// Buckets along the scale: marks in one are drawn as one.
const BUCKETS: u64 = 400;

/// The length the marks are placed along for a run of `len` steps: at least
/// `len`, and one of few values (a power of `SPAN_SLACK`), so that it
/// changes only when the run has grown by a tenth.
pub fn marks_span(len: u64) -> u64 {
    if len <= 10 {
        return len.max(1);
    }
    let power = (math::log(len as f64) / math::log(SPAN_SLACK)).ceil();
    (math::pow(SPAN_SLACK, power).ceil() as u64).max(len)
}

/// What a mark stands for, from the least telling to the most: a bucket is
/// drawn as its most telling mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    User,
    Leader,
    Violation,
}

impl Kind {
    fn of(record: &StepRecord) -> Kind {
        if !record.violations().is_empty() {
            Kind::Violation
        } else if record.new_leader.is_some() {
            Kind::Leader
        } else {
            Kind::User
        }
    }

    fn class(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Leader => "leader",
            Kind::Violation => "violation",
        }
    }
}

/// The marks of one bucket, drawn as one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    /// The index (in the marks given) of the mark drawn: the first of the
    /// bucket's most telling kind.
    pub lead: usize,
    /// How many other marks it stands for.
    pub others: usize,
    pub first_step: u64,
    pub last_step: u64,
}

/// Groups marks (steps in order, with their kinds) by bucket along `span`.
pub fn group(marks: &[(u64, Kind)], span: u64) -> Vec<Group> {
    let bucket = |step: u64| step.saturating_mul(BUCKETS) / span.max(1);
    let mut groups: Vec<Group> = Vec::new();
    let mut last_bucket = None;
    for (i, &(step, kind)) in marks.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if last_bucket == Some(bucket(step)) => {
                if kind > marks[g.lead].1 {
                    g.lead = i;
                }
                g.others += 1;
                g.last_step = step;
            }
            _ => groups.push(Group { lead: i, others: 0, first_step: step, last_step: step }),
        }
        last_bucket = Some(bucket(step));
    }
    groups
}

#[derive(Properties, PartialEq)]
pub struct MarksProps {
    /// The history's marks revision: the marks are drawn again only when
    /// it or `span` changes.
    pub revision: Revision,
    pub span: u64,
    pub runs: Runs,
    pub protocol: ProtocolKind,
    pub dispatch: UseReducerDispatcher<Session>,
}

/// The marked steps under the scrubber. They render only when a mark is
/// added, a fork drops some or the scale grows.
#[function_component(Marks)]
pub fn marks(props: &MarksProps) -> Html {
    crate::renders::count("Marks");
    let run = props.runs.get(props.protocol);
    let records: Vec<&StepRecord> = run.history().marks().filter(|r| r.step() > 0).collect();
    let kinds: Vec<(u64, Kind)> = records.iter().map(|r| (r.step(), Kind::of(r))).collect();
    let marks = group(&kinds, props.span).into_iter().map(|g| {
        let r = records[g.lead];
        let kind = kinds[g.lead].1;
        let what = match kind {
            Kind::Violation => format!("step {}: {} broken", r.step(), r.violations()[0].property),
            Kind::Leader => format!(
                "step {}: {} becomes leader",
                r.step(),
                r.new_leader.map(|l| run.label(l)).unwrap_or_default()
            ),
            Kind::User => {
                let lines = r.lines(&|id| run.label(id));
                format!("step {}: {}", r.step(), lines.first().map_or("", |l| l.text.as_str()))
            }
        };
        let what = match g.others {
            0 => what,
            1 => format!("{what}; and one more mark, steps {} to {}", g.first_step, g.last_step),
            n => format!("{what}; and {n} more marks, steps {} to {}", g.first_step, g.last_step),
        };
        mark(&props.dispatch, r.step(), props.span, kind.class(), what.clone(), what)
    });
    html! { <>{ for marks }</> }
}

/// A mark on the timeline at `step` of `len`: a button that goes there.
pub fn mark(
    dispatch: &UseReducerDispatcher<Session>,
    step: u64,
    len: u64,
    class: &'static str,
    title: String,
    label: String,
) -> Html {
    let left = if len == 0 { 0.0 } else { step as f64 / len as f64 * 100.0 };
    let dispatch = dispatch.clone();
    let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(SessionAction::Seek(step)));
    html! {
        <button type="button" class={classes!("mark", class)} style={format!("left: {}%", fixed(left, 2))}
                {title} aria-label={label} {onclick}></button>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{Group, Kind, SPAN_SLACK, group, marks_span};

    #[test]
    fn the_marks_span_covers_the_run_within_a_tenth_and_changes_seldom() {
        let mut changes = 0;
        let mut last = marks_span(0);
        for len in 0..200_000u64 {
            let span = marks_span(len);
            assert!(span >= len, "every mark fits: {len} in {span}");
            assert!(span as f64 <= len as f64 * SPAN_SLACK + 1.0, "{len} in {span}");
            changes += u32::from(span != last);
            last = span;
        }
        // One change a step up to 10 steps, then one each time the run grows by a tenth.
        assert!(changes <= 120, "a run of 200,000 steps draws its marks again {changes} times");
    }

    #[test]
    fn marks_within_a_bucket_are_drawn_as_their_most_telling_one() {
        use Kind::*;
        // Along 4,000 steps a bucket is 10 steps.
        let marks = [
            (1, User),
            (5, Leader),
            (9, User),
            (9, Violation),
            (10, User),
            (25, Leader),
            (26, Leader),
            (3999, User),
        ];
        let groups = group(&marks, 4000);
        assert_eq!(
            groups,
            [
                Group { lead: 3, others: 3, first_step: 1, last_step: 9 },
                Group { lead: 4, others: 0, first_step: 10, last_step: 10 },
                Group { lead: 5, others: 1, first_step: 25, last_step: 26 },
                Group { lead: 7, others: 0, first_step: 3999, last_step: 3999 },
            ]
        );
        // Every mark is in exactly one group.
        assert_eq!(groups.iter().map(|g| g.others + 1).sum::<usize>(), marks.len());
        // A short run: every step is a bucket of its own.
        let short: Vec<(u64, Kind)> = (1..=40).map(|s| (s, User)).collect();
        assert_eq!(group(&short, 40).len(), 40);
        // Hundreds of requests at the start of a long run: one mark.
        let burst: Vec<(u64, Kind)> = (1..=450).map(|s| (s, User)).collect();
        assert_eq!(group(&burst, 300_000).len(), 1);
        assert!(group(&[], 10).is_empty());
    }
}
