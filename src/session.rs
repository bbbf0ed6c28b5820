//! The one session state of the app, changed only through `SessionAction`s.
//!
//! Components read it through a context and dispatch actions; none of them
//! mutates it directly (ARCHITECTURE.md, "The UI"). The run itself is large
//! and changes every frame while playing, so it sits behind a shared cell
//! that only `reduce` borrows mutably; `version` tells Yew it changed.

use std::cell::{Ref, RefMut};
use std::rc::Rc;

use caucus_sim::scenario::{MAX_NOTE_CHARS, MAX_NOTES, MAX_TITLE_CHARS, Narration, Scenario};
use caucus_sim::sorted::SortedMap;
use caucus_sim::{NodeId, ProtocolKind};
use yew::Reducible;

use crate::host::{Host, Refusal, UserAction};
use crate::numbers::math;
use crate::run::TickEnd;

pub use pace::{Lane, PanelPace};
pub use runs::{Own, Runs, Settings, Shared};

/// The seed a fresh page starts from.
pub const DEFAULT_SEED: u64 = 1;
/// Play speed is 10^x virtual milliseconds per wall second; these bound x.
pub const SPEED_MIN: f64 = 0.0;
pub const SPEED_MAX: f64 = 4.0;
pub const SPEED_DEFAULT: f64 = 1.8;
const SPEED_NOTCH: f64 = 0.2;

/// What the inspector shows: the scenario's own type, so links carry it as is.
pub use caucus_sim::scenario::Selected as Selection;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeTone {
    Info,
    Error,
}

/// A sentence for the user: why an action was refused, what just changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub tone: NoticeTone,
    pub text: String,
}

/// Everything the page shows that is not local to one widget.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The protocol being shown.
    pub protocol: ProtocolKind,
    /// One run per protocol; `protocol`'s is on screen.
    pub runs: Runs,
    /// What each protocol not on screen had around its run, for when it comes back.
    pub shelved: SortedMap<ProtocolKind, Shelf>,
    /// Bumped on every change to the run, so components re-render.
    pub version: u64,
    pub playing: bool,
    /// log10 of virtual milliseconds per wall second.
    pub speed: f64,
    pub selection: Option<Selection>,
    pub notice: Option<Notice>,
    pub help_open: bool,
    /// The server whose action menu is open.
    pub menu: Option<NodeId>,
    /// "You choose" mode: play is off and the next-events list leads.
    pub choosing: bool,
    /// The partition being drawn: a group number per node.
    pub partition_draft: Option<Vec<u8>>,
    /// The run's title, description and notes on steps; links carry them.
    pub narration: Narration,
    /// How many links this page refused; each refusal takes the link out of
    /// the address bar, so a reload does not repeat the error.
    pub refused_links: u64,
    /// The client request as the request box shows it: the one value sent
    /// from the box, a server's menu and the `q` key alike.
    pub request_text: String,
    /// The run's revision the panels draw: behind the drawing while playing fast.
    pub panels: PanelPace,
}

/// What a protocol's page had around its run when another protocol came on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Shelf {
    pub selection: Option<Selection>,
    pub narration: Narration,
    pub request_text: String,
}

impl Default for Session {
    fn default() -> Self {
        let runs = Runs::default();
        let protocol = ProtocolKind::ALL[0];
        let request_text = runs.get(protocol).example_request(1);
        Session {
            protocol,
            runs,
            shelved: SortedMap::new(),
            version: 0,
            playing: false,
            speed: SPEED_DEFAULT,
            selection: None,
            notice: None,
            help_open: false,
            menu: None,
            choosing: false,
            partition_draft: None,
            narration: Narration::default(),
            refused_links: 0,
            request_text,
            panels: PanelPace::default(),
        }
    }
}

impl Session {
    /// The run on screen, as generic code sees it.
    pub fn run(&self) -> Ref<'_, dyn Host> {
        self.runs.get(self.protocol)
    }

    /// The run on screen, as its protocol's own panel sees it.
    pub fn own(&self) -> Own<'_> {
        self.runs.own(self.protocol)
    }

    fn run_mut(&self) -> RefMut<'_, dyn Host> {
        self.runs.get_mut(self.protocol)
    }

    /// Tells the run which node the inspector shows, so that node's state
    /// before each step is kept for the inspector's "was".
    fn watch_selection(&self) {
        let watched = match self.selection {
            Some(Selection::Node(id)) => Some(id),
            _ => None,
        };
        self.run_mut().watch(watched);
    }

    /// Virtual microseconds per wall millisecond at the current speed.
    pub fn speed_factor(&self) -> f64 {
        math::pow(10.0, self.speed)
    }
}

/// Every change a component can ask of the session.
#[derive(Clone, Debug, PartialEq)]
pub enum SessionAction {
    /// Show another protocol.
    PickProtocol(ProtocolKind),
    TogglePlay,
    Pause,
    /// An animation frame: this many wall milliseconds passed.
    Tick(f64),
    Step,
    StepBack,
    Seek(u64),
    SetSpeed(f64),
    Faster,
    Slower,
    /// A user's intervention on the run on screen.
    Act(UserAction),
    /// Several `Act`s from one click, in order; the first refused stops the rest.
    ActAll(Vec<SessionAction>),
    /// The request box's text changed.
    EditRequest(String),
    /// The request box's request, to `node` or to the leader.
    Request {
        node: Option<NodeId>,
    },
    /// Cut `node` off from every other node.
    Isolate(NodeId),
    Select(Option<Selection>),
    /// Select `node` and open its action menu.
    OpenMenu(NodeId),
    CloseMenu,
    /// Start a new run of a protocol with these settings (same seed and links).
    Configure(Settings),
    ToggleHelp,
    /// Escape: close the help, the partition tool and the selection.
    CloseOverlays,
    DismissNotice,
    /// Say in words why something the user typed cannot be used.
    Warn(String),
    ToggleChoosing,
    StartPartition,
    /// Move `node` to the next group of the partition being drawn.
    CyclePartitionGroup(NodeId),
    /// `node` was dragged onto the server `onto` (it joins that server's
    /// group) or into empty space (it starts a group of its own). Opens the
    /// partition tool if it is not open yet.
    DragToGroup {
        node: NodeId,
        onto: Option<NodeId>,
    },
    ApplyPartition,
    CancelPartition,
    /// Open a link's fragment (pasted into the address bar of this page).
    OpenLink(String),
    /// Open a scenario (a file or a preset); `what` names it in the notice.
    Open {
        scenario: Box<Scenario>,
        what: String,
    },
    /// Say something in words (a link was copied, a file saved).
    Inform(String),
    /// Write, replace or (empty) delete the note on the step shown.
    SetNote(String),
    /// Move the cursor to the next (or previous) step with a note.
    JumpToNote {
        forward: bool,
    },
    SetTitle(String),
    SetDescription(String),
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        use SessionAction::*;
        if let PickProtocol(protocol) = action
            && protocol == self.protocol
        {
            return self;
        }
        if matches!(action, Tick(_)) && !self.playing
            || matches!(action, CloseMenu) && self.menu.is_none()
        {
            return self;
        }
        let mut next = (*self).clone();
        next.version += 1;
        let frame = if let Tick(wall_ms) = action { Some(wall_ms) } else { None };
        let cursor = next.run().cursor();
        next.update(action);
        next.watch_selection();
        let (now, step) = (next.run().revision(), next.run().cursor());
        match frame {
            Some(wall_ms) if next.playing => {
                next.panels.after_frame(now, step, wall_ms, step.abs_diff(cursor));
            }
            _ => next.panels.catch_up(now, step),
        }
        Rc::new(next)
    }
}

impl Session {
    fn update(&mut self, action: SessionAction) {
        use SessionAction::*;
        match action {
            PickProtocol(protocol) => self.pick(protocol),
            TogglePlay => {
                self.playing = !self.playing;
                if self.playing {
                    self.choosing = false;
                    self.notice = None;
                }
            }
            Pause => self.playing = false,
            Tick(wall_ms) => {
                let speed = self.speed_factor();
                let end = self.run_mut().tick(wall_ms, speed);
                match end {
                    TickEnd::Playing => {}
                    TickEnd::Violation => {
                        self.playing = false;
                        let text = {
                            let run = self.run();
                            let step = run.cursor();
                            let v = &run.history().get(step).expect("recorded").violations()[0];
                            format!("Play paused at step {step}: {v}")
                        };
                        self.notice = Some(Notice { tone: NoticeTone::Error, text });
                    }
                    TickEnd::Refused(why) => {
                        self.playing = false;
                        let step = self.run().cursor();
                        self.info(&scenario::sentence(&format!(
                            "Play paused at step {step}: {why}"
                        )));
                    }
                    TickEnd::Idle => {
                        self.playing = false;
                        let noun = self.run().node_noun();
                        self.info(&format!(
                            "Nothing is left to happen: every {noun} is idle or down."
                        ));
                    }
                }
            }
            Step => {
                self.playing = false;
                let done = self.run_mut().step().map_err(Refusal::Action);
                self.report(done);
            }
            StepBack => {
                self.playing = false;
                self.run_mut().step_back();
            }
            Seek(step) => {
                self.playing = false;
                self.run_mut().seek(step);
            }
            SetSpeed(speed) => self.speed = speed.clamp(SPEED_MIN, SPEED_MAX),
            Faster => self.speed = (self.speed + SPEED_NOTCH).min(SPEED_MAX),
            Slower => self.speed = (self.speed - SPEED_NOTCH).max(SPEED_MIN),
            Act(action) => {
                self.act(action);
            }
            ActAll(actions) => {
                for action in actions {
                    self.update(action);
                    if self.notice.as_ref().is_some_and(|n| n.tone == NoticeTone::Error) {
                        break;
                    }
                }
            }
            EditRequest(text) => self.request_text = text,
            Request { node } => {
                let target = node.or_else(|| self.run().request_target());
                match target {
                    Some(node) => {
                        let text = self.request_text.trim().to_string();
                        if self.perform(|run| run.request(node, &text)) {
                            self.request_text = next_request(&self.request_text);
                        }
                    }
                    None => self.error(format!(
                        "No {} can take a request right now: pick one to send it to, or step \
                         until one can.",
                        self.run().node_noun()
                    )),
                }
            }
            Isolate(node) => {
                self.act(UserAction::Partition(vec![vec![node]]));
            }
            Select(selection) => {
                self.selection = selection;
                self.menu = None;
            }
            OpenMenu(node) => {
                self.selection = Some(Selection::Node(node));
                self.menu = Some(node);
            }
            CloseMenu => self.menu = None,
            Configure(settings) => match self.runs.configure(settings) {
                Err(why) => self.error(format!("Those settings cannot run: {why}.")),
                Ok(protocol) => {
                    self.protocol = protocol;
                    // The notes were on steps of the old run.
                    self.narration.notes.clear();
                    self.playing = false;
                    self.partition_draft = None;
                    self.menu = None;
                    let nodes = self.run().node_count();
                    let gone = |n: NodeId| n.0 >= nodes;
                    if matches!(self.selection, Some(Selection::Node(n) | Selection::Link(_, n)) if gone(n))
                    {
                        self.selection = None;
                    }
                    self.info("Settings changed: the run starts again from step 0.");
                }
            },
            ToggleHelp => self.help_open = !self.help_open,
            CloseOverlays => {
                if self.menu.is_some() {
                    self.menu = None;
                } else if self.help_open {
                    self.help_open = false;
                } else if self.partition_draft.is_some() {
                    self.partition_draft = None;
                } else {
                    self.selection = None;
                }
            }
            DismissNotice => self.notice = None,
            Warn(text) => self.error(text),
            ToggleChoosing => {
                self.choosing = !self.choosing;
                if self.choosing {
                    self.playing = false;
                }
            }
            StartPartition => {
                let n = self.run().node_count() as usize;
                self.playing = false;
                self.menu = None;
                self.partition_draft = Some(vec![0; n]);
            }
            CyclePartitionGroup(node) => {
                if let Some(groups) = self.partition_draft.as_mut()
                    && let Some(g) = groups.get_mut(node.index())
                {
                    *g = (*g + 1) % 3;
                }
            }
            DragToGroup { node, onto } => {
                if self.partition_draft.is_none() {
                    self.update(StartPartition);
                }
                if let Some(groups) = self.partition_draft.as_mut() {
                    move_to_group(groups, node, onto);
                }
            }
            ApplyPartition => {
                if let Some(draft) = self.partition_draft.take() {
                    let groups: Vec<Vec<NodeId>> = (0..3u8)
                        .map(|g| {
                            (0..draft.len() as u32)
                                .map(NodeId)
                                .filter(|n| draft[n.index()] == g)
                                .collect()
                        })
                        .filter(|g: &Vec<NodeId>| !g.is_empty())
                        .collect();
                    if groups.len() < 2 {
                        self.partition_draft = Some(draft);
                        self.error(
                            "Put at least one node in a second group: click a node to move it to \
                             the next group."
                                .into(),
                        );
                    } else {
                        self.act(UserAction::Partition(groups));
                    }
                }
            }
            CancelPartition => self.partition_draft = None,
            OpenLink(fragment) => {
                let opened = Scenario::from_link(&fragment)
                    .map_err(|e| e.to_string())
                    .and_then(|scenario| self.open(scenario));
                match opened {
                    Ok(()) => self.info("Opened the scenario of the link."),
                    Err(why) => {
                        self.refused_links += 1;
                        self.error(format!(
                            "{} The run on the page is unchanged.",
                            scenario::sentence(&why)
                        ))
                    }
                }
            }
            Open { scenario, what } => match self.open(*scenario) {
                Ok(()) => self.info(&format!("Opened {what}.")),
                Err(why) => self.error(format!(
                    "{what} cannot be opened: {why}. The run on the page is unchanged."
                )),
            },
            Inform(text) => self.info(&text),
            SetNote(text) => {
                let step = self.run().cursor();
                let new = self.narration.note_at(step).is_none();
                if text.trim().chars().count() > MAX_NOTE_CHARS {
                    self.error(format!("A note has at most {MAX_NOTE_CHARS} characters."));
                } else if new && self.narration.notes.len() >= MAX_NOTES {
                    self.error(format!("A run has at most {MAX_NOTES} notes."));
                } else {
                    self.narration.set_note(step, &text);
                }
            }
            JumpToNote { forward } => {
                let step = self.run().cursor();
                let to = if forward {
                    self.narration.next_note(step)
                } else {
                    self.narration.previous_note(step)
                };
                if let Some(to) = to {
                    self.playing = false;
                    self.run_mut().seek(to);
                }
            }
            SetTitle(title) if title.trim().chars().count() > MAX_TITLE_CHARS => {
                self.error(format!("A title has at most {MAX_TITLE_CHARS} characters."))
            }
            SetTitle(title) => self.narration.title = title.trim().to_string(),
            SetDescription(text) if text.trim().chars().count() > MAX_NOTE_CHARS => {
                self.error(format!("A description has at most {MAX_NOTE_CHARS} characters."))
            }
            SetDescription(text) => self.narration.description = text.trim().to_string(),
        }
    }

    /// Shows another protocol; the one on screen keeps its run, its
    /// selection and its notes for when it comes back.
    fn pick(&mut self, protocol: ProtocolKind) {
        let shelf = Shelf {
            selection: self.selection.take(),
            narration: std::mem::take(&mut self.narration),
            request_text: std::mem::take(&mut self.request_text),
        };
        self.shelved.insert(self.protocol, shelf);
        self.protocol = protocol;
        let back = self.shelved.remove(&protocol).unwrap_or_else(|| Shelf {
            selection: None,
            narration: Narration::default(),
            request_text: self.run().example_request(1),
        });
        self.selection = back.selection;
        self.narration = back.narration;
        self.request_text = back.request_text;
        self.playing = false;
        self.choosing = false;
        self.menu = None;
        self.partition_draft = None;
        self.notice = None;
    }

    /// Performs a user's `action` on the run; returns whether it applied.
    fn act(&mut self, action: UserAction) -> bool {
        self.perform(|run| run.act(action))
    }

    /// Performs `change` on the run on screen as a user's intervention:
    /// reports a refusal in words, drops the notes a fork discards, and
    /// keeps the inspector on something that exists.
    fn perform(&mut self, change: impl FnOnce(&mut dyn Host) -> Result<(), Refusal>) -> bool {
        self.playing = false;
        let forks = {
            let run = self.run();
            run.len() - run.cursor()
        };
        let done = change(&mut *self.run_mut());
        let ok = done.is_ok();
        self.report(done);
        if ok && forks > 0 {
            let len = self.run().len();
            self.narration.truncate(len);
            self.info(&format!(
                "You acted in the past: the {forks} later step{} of the old run {} discarded.",
                if forks == 1 { "" } else { "s" },
                if forks == 1 { "was" } else { "were" }
            ));
        }
        if let Some(Selection::Message(id)) = self.selection
            && !self.run().has_message(id)
        {
            self.selection = None;
        }
        ok
    }

    fn report(&mut self, done: Result<(), Refusal>) {
        match done {
            Ok(()) => {
                if self.notice.as_ref().is_some_and(|n| n.tone == NoticeTone::Error) {
                    self.notice = None;
                }
            }
            Err(Refusal::Action(e)) => self.error(format!("That cannot be done now: {e}.")),
            Err(Refusal::Words(why)) => self.error(format!("That cannot be done: {why}.")),
            Err(Refusal::Request(why)) => {
                self.error(format!("That request cannot be sent: {why}."))
            }
        }
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice { tone: NoticeTone::Error, text });
    }

    fn info(&mut self, text: &str) {
        self.notice = Some(Notice { tone: NoticeTone::Info, text: text.into() });
    }
}

mod pace;
mod runs;
mod scenario;
#[cfg(test)]
mod tests;

/// Puts `node` into the group of `onto`, or, dropped in empty space, into a
/// group no other server is in (the first free one of A, B, C; with all three
/// in use, the next one after its own).
fn move_to_group(groups: &mut [u8], node: NodeId, onto: Option<NodeId>) {
    let Some(&own) = groups.get(node.index()) else { return };
    let target = match onto {
        Some(other) => groups.get(other.index()).copied(),
        None => {
            let free = (0..3u8)
                .find(|g| groups.iter().enumerate().all(|(i, x)| i == node.index() || x != g));
            Some(free.unwrap_or((own + 1) % 3))
        }
    };
    if let Some(target) = target {
        groups[node.index()] = target;
    }
}

/// The request to suggest after `sent`: its last number one higher
/// ("x=1" → "x=2"), so requests sent one after another can be told apart in
/// the logs; a request with no number stays as it is.
pub fn next_request(sent: &str) -> String {
    let digits = sent.chars().rev().take_while(char::is_ascii_digit).count();
    let (head, number) = sent.split_at(sent.len() - digits);
    match number.parse::<u64>() {
        Ok(n) if n < u64::MAX => format!("{head}{}", n + 1),
        _ => sent.to_string(),
    }
}
