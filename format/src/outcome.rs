//! The one outcome vocabulary of a request run against its expectation: [`Outcome`] (passed,
//! failed, skipped, errored, crashed, timed out) and [`Counts`] of them.
//!
//! The checker ([`crate::check`]) gives passed or failed; an evaluator that could not answer
//! gives the outcome of its reason ([`crate::NoAnswer::outcome`]).

use serde::{Deserialize, Serialize};

/// How one request went, without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The answer met every expectation.
    Passed,
    /// The answer broke an expectation.
    Failed,
    /// The evaluator does not decide (or cannot express) this kind of request.
    Skipped,
    /// The case could not be run (unloadable file, bad case, an evaluator that errored,
    /// answered garbage or was unavailable).
    Errored,
    /// The evaluator died (process exit, panic) without answering.
    Crashed,
    /// The evaluator gave no answer within the per-case timeout.
    TimedOut,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: &'static [Outcome] = &[
        Outcome::Passed,
        Outcome::Failed,
        Outcome::Skipped,
        Outcome::Errored,
        Outcome::Crashed,
        Outcome::TimedOut,
    ];

    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Errored => "errored",
            Outcome::Crashed => "crashed",
            Outcome::TimedOut => "timed-out",
        }
    }

    /// Looks an outcome up by its name.
    pub fn from_name(name: &str) -> Option<Outcome> {
        Self::ALL.iter().copied().find(|s| s.name() == name)
    }

    /// True for the outcomes where the evaluator gave no usable answer (errored, crashed,
    /// timed out).
    pub fn is_error(self) -> bool {
        matches!(
            self,
            Outcome::Errored | Outcome::Crashed | Outcome::TimedOut
        )
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Counts of outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Requests whose answer met every expectation.
    pub passed: usize,
    /// Requests whose answer broke an expectation (known failures included).
    pub failed: usize,
    /// Requests the evaluator does not decide.
    pub skipped: usize,
    /// Requests (or files) that could not be run.
    pub errored: usize,
    /// Requests whose evaluator died.
    #[serde(default)]
    pub crashed: usize,
    /// Requests whose evaluator did not answer in time.
    #[serde(default)]
    pub timed_out: usize,
}

impl Counts {
    /// Adds one outcome.
    pub fn add(&mut self, outcome: Outcome) {
        *self.slot(outcome) += 1;
    }

    fn slot(&mut self, outcome: Outcome) -> &mut usize {
        match outcome {
            Outcome::Passed => &mut self.passed,
            Outcome::Failed => &mut self.failed,
            Outcome::Skipped => &mut self.skipped,
            Outcome::Errored => &mut self.errored,
            Outcome::Crashed => &mut self.crashed,
            Outcome::TimedOut => &mut self.timed_out,
        }
    }

    /// The count of one outcome.
    pub fn get(&self, outcome: Outcome) -> usize {
        match outcome {
            Outcome::Passed => self.passed,
            Outcome::Failed => self.failed,
            Outcome::Skipped => self.skipped,
            Outcome::Errored => self.errored,
            Outcome::Crashed => self.crashed,
            Outcome::TimedOut => self.timed_out,
        }
    }

    /// The number of outcomes counted.
    pub fn total(&self) -> usize {
        Outcome::ALL.iter().map(|s| self.get(*s)).sum()
    }

    /// The summary line: `N passed, N failed, N skipped, N errored`, then `, N crashed, N timed
    /// out` when either is not zero.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} passed, {} failed, {} skipped, {} errored",
            self.passed, self.failed, self.skipped, self.errored
        );
        if self.crashed + self.timed_out > 0 {
            s.push_str(&format!(
                ", {} crashed, {} timed out",
                self.crashed, self.timed_out
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_has_the_fixed_form() {
        let mut c = Counts::default();
        for o in [Outcome::Passed, Outcome::Passed, Outcome::Failed] {
            c.add(o);
        }
        assert_eq!(c.summary(), "2 passed, 1 failed, 0 skipped, 0 errored");
        c.add(Outcome::TimedOut);
        assert_eq!(
            c.summary(),
            "2 passed, 1 failed, 0 skipped, 0 errored, 0 crashed, 1 timed out"
        );
        assert_eq!(c.total(), 4);
        for o in Outcome::ALL {
            assert_eq!(Outcome::from_name(o.name()), Some(*o));
        }
    }
}
