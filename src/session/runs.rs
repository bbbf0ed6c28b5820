//! The session's runs: one per protocol of the one list (`caucus_sim::protocols!`),
//! each kept while another is on screen, so switching back finds it where
//! it was left. Generic code reaches the one on screen as a `dyn Host`;
//! a protocol's own panel reaches its own run through one exhaustive match.

use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

use caucus_sim::scenario::{Scenario, ScenarioRun};
use caucus_sim::{LinkParams, Protocol, ProtocolKind};

use super::DEFAULT_SEED;
use crate::host::Host;
use crate::run::Run;

/// A run shared with the components that draw it; only the session's
/// `reduce` borrows it mutably.
pub struct Shared<P: caucus_sim::view::Visual>(Rc<RefCell<Run<P>>>);

impl<P: caucus_sim::view::Visual> Shared<P> {
    fn new(run: Run<P>) -> Self {
        Shared(Rc::new(RefCell::new(run)))
    }

    pub fn borrow(&self) -> Ref<'_, Run<P>> {
        self.0.borrow()
    }

    /// For tests that set a run up in ways no user can.
    #[cfg(test)]
    pub fn borrow_mut(&self) -> std::cell::RefMut<'_, Run<P>> {
        self.0.borrow_mut()
    }
}

/// The same run, not an equal one: props holding a run compare cheaply.
impl<P: caucus_sim::view::Visual> PartialEq for Shared<P> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<P: caucus_sim::view::Visual> Clone for Shared<P> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

macro_rules! define_runs {
    ($($variant:ident($node:ty, $slug:literal, $name:literal, $summary:literal),)*) => {
        /// One run per protocol.
        #[allow(non_snake_case)]
        #[derive(Clone)]
        pub struct Runs {
            $(pub $variant: Shared<$node>,)*
        }

        /// A protocol's settings, from its own panel.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Settings {
            $($variant(<$node as Protocol>::Config),)*
        }

        /// A protocol's own run, for its own panel.
        pub enum Own<'a> {
            $($variant(Ref<'a, Run<$node>>),)*
        }

        impl Default for Runs {
            fn default() -> Self {
                Runs {
                    $($variant: Shared::new(Run::new(
                        Default::default(),
                        DEFAULT_SEED,
                        LinkParams::default(),
                    )),)*
                }
            }
        }

        impl std::fmt::Debug for Runs {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut out = f.debug_struct("Runs");
                $(let run = self.$variant.borrow();
                out.field($slug, &format_args!("step {} of {}", run.cursor(), run.len()));)*
                out.finish()
            }
        }

        impl PartialEq for Runs {
            fn eq(&self, other: &Self) -> bool {
                true $(&& Rc::ptr_eq(&self.$variant.0, &other.$variant.0))*
            }
        }

        impl Runs {
            /// The run of `kind`, as generic code sees it.
            pub fn get(&self, kind: ProtocolKind) -> Ref<'_, dyn Host> {
                match kind {
                    $(ProtocolKind::$variant => Ref::map(self.$variant.0.borrow(), |r| r as &dyn Host),)*
                }
            }

            pub fn get_mut(&self, kind: ProtocolKind) -> RefMut<'_, dyn Host> {
                match kind {
                    $(ProtocolKind::$variant => {
                        RefMut::map(self.$variant.0.borrow_mut(), |r| r as &mut dyn Host)
                    })*
                }
            }

            /// The run of `kind`, as its own panel sees it.
            pub fn own(&self, kind: ProtocolKind) -> Own<'_> {
                match kind {
                    $(ProtocolKind::$variant => Own::$variant(self.$variant.borrow()),)*
                }
            }

            /// Replaces the run of the scenario's protocol with the scenario
            /// replayed; returns that protocol, or why it cannot be shown.
            pub fn open(&mut self, scenario: Scenario) -> Result<ProtocolKind, String> {
                match scenario.run {
                    $(ScenarioRun::$variant(spec) => {
                        let run = Run::replay(
                            spec.config,
                            scenario.seed,
                            scenario.links,
                            &spec.actions,
                            scenario.step,
                            scenario.time,
                        )
                        .map_err(|e| e.to_string())?;
                        self.$variant = Shared::new(run);
                        Ok(ProtocolKind::$variant)
                    })*
                }
            }

            /// Starts a new run with `settings`, on the seed and network of
            /// the protocol's current run; returns that protocol, or why
            /// the settings cannot run.
            pub fn configure(&mut self, settings: Settings) -> Result<ProtocolKind, String> {
                match settings {
                    $(Settings::$variant(config) => {
                        if let Some(why) = config.problem() {
                            return Err(why);
                        }
                        let (seed, links) = {
                            let run = self.$variant.borrow();
                            (run.seed(), run.links())
                        };
                        *self.$variant.0.borrow_mut() = Run::new(config, seed, links);
                        Ok(ProtocolKind::$variant)
                    })*
                }
            }
        }
    };
}

caucus_sim::protocols!(define_runs);
