//! What a differential run counts, and its text form.
//!
//! Kept apart: requests agreed, requests disagreed, requests the other side could not answer
//! (by reason), requests the reference could not answer (by reason). Per disagreement, the
//! shrink steps and oracle calls it took, and whether its signature was new, a duplicate, or
//! did not reproduce. The summary is part of the run state, so a resumed run reports the whole.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::diff::disagreement::RequestComparison;

/// What became of a shrunk disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Filed {
    /// A new signature: written under `triage/`, re-loaded, and reproduced.
    Written,
    /// Its signature was already written (in this run or before): merged.
    Duplicate,
    /// The written case did not show the disagreement again when re-run: removed.
    NotReproduced,
    /// The other side could not answer while the written case was re-run (crash, timeout...):
    /// kept unconfirmed in `OUT/.diff/NAME/pending/` and confirmed again by the next run.
    Unconfirmed,
}

/// One disagreement and its shrinking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShrinkRecord {
    /// The generated case's index in the seeded batch.
    pub index: usize,
    /// The raw case's file.
    pub raw: String,
    /// The shrunk case's signature.
    pub signature: String,
    /// What became of it.
    pub filed: Filed,
    /// Shrink candidates tried.
    pub steps: usize,
    /// Candidates taken.
    pub taken: usize,
    /// Oracle calls for shrinking and confirming it (both sides).
    pub oracle_calls: usize,
    /// API calls the other side made for it (an oracle that pays per call: AWS); cached
    /// answers are free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_calls: Option<usize>,
    /// The raw case's size (bytes of its case file).
    pub size_before: usize,
    /// The shrunk case's size.
    pub size_after: usize,
    /// One line about the difference.
    pub detail: String,
}

/// The counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Generated cases run.
    pub cases_run: usize,
    /// Cases none of whose requests the reference could decide (not sent).
    pub cases_undecidable: usize,
    /// Cases with at least one disagreement.
    pub cases_disagreed: usize,
    /// Requests compared.
    pub requests: usize,
    /// Requests on which both sides agree.
    pub agreed: usize,
    /// Requests on which they disagree.
    pub disagreed: usize,
    /// Requests the other side could not answer, by reason.
    pub other_could_not: BTreeMap<String, usize>,
    /// Requests the reference could not answer, by reason.
    pub reference_could_not: BTreeMap<String, usize>,
    /// One message per reason, as an example.
    pub could_not_examples: BTreeMap<String, String>,
    /// Per disagreement, in order.
    pub shrinks: Vec<ShrinkRecord>,
    /// Oracle calls in all (both sides).
    pub oracle_calls: usize,
    /// API calls the other side made (AWS), shrinking included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_calls: Option<usize>,
    /// Decisions (request × resource) the other side answered outside shrinking.
    #[serde(default)]
    pub decisions: usize,
    /// Seconds spent (over every resumed part).
    pub seconds: f64,
}

impl Summary {
    /// Counts one compared request.
    pub fn count(&mut self, comparison: &RequestComparison) {
        self.requests += 1;
        match comparison {
            RequestComparison::Agree => self.agreed += 1,
            RequestComparison::Disagree(_) => self.disagreed += 1,
            RequestComparison::OtherCouldNot(c) => {
                *self.other_could_not.entry(c.why.name().into()).or_default() += 1;
                self.could_not_examples
                    .entry(format!("other:{}", c.why.name()))
                    .or_insert_with(|| first_line(&c.message));
            }
            RequestComparison::ReferenceCouldNot(c) => {
                *self
                    .reference_could_not
                    .entry(c.why.name().into())
                    .or_default() += 1;
                self.could_not_examples
                    .entry(format!("reference:{}", c.why.name()))
                    .or_insert_with(|| first_line(&c.message));
            }
        }
    }

    /// Adds the counts of another run (a shard of the same batch) to these.
    pub fn merge(&mut self, other: &Summary) {
        self.cases_run += other.cases_run;
        self.cases_undecidable += other.cases_undecidable;
        self.cases_disagreed += other.cases_disagreed;
        self.requests += other.requests;
        self.agreed += other.agreed;
        self.disagreed += other.disagreed;
        for (why, n) in &other.other_could_not {
            *self.other_could_not.entry(why.clone()).or_default() += n;
        }
        for (why, n) in &other.reference_could_not {
            *self.reference_could_not.entry(why.clone()).or_default() += n;
        }
        for (k, v) in &other.could_not_examples {
            self.could_not_examples
                .entry(k.clone())
                .or_insert_with(|| v.clone());
        }
        // A signature written by two shards is one new signature and one duplicate.
        for s in &other.shrinks {
            let mut s = s.clone();
            if s.filed == Filed::Written
                && self
                    .shrinks
                    .iter()
                    .any(|x| x.filed == Filed::Written && x.signature == s.signature)
            {
                s.filed = Filed::Duplicate;
            }
            self.shrinks.push(s);
        }
        self.oracle_calls += other.oracle_calls;
        self.api_calls = match (self.api_calls, other.api_calls) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.decisions += other.decisions;
        self.seconds += other.seconds;
    }

    /// Requests the other side could not answer.
    pub fn other_could_not_total(&self) -> usize {
        self.other_could_not.values().sum()
    }

    /// The shrinks of one outcome.
    pub fn filed(&self, filed: Filed) -> impl Iterator<Item = &ShrinkRecord> {
        self.shrinks.iter().filter(move |s| s.filed == filed)
    }

    /// The text report; `header` is the run's first line.
    pub fn text(&self, header: &str, triage_dir: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{header}");
        let _ = writeln!(
            out,
            "cases run: {} ({} with no decidable request), {} with a disagreement",
            self.cases_run, self.cases_undecidable, self.cases_disagreed
        );
        let _ = writeln!(
            out,
            "requests: {} compared: {} agreed, {} disagreed, {} the other side could not answer, {} the reference could not answer",
            self.requests,
            self.agreed,
            self.disagreed,
            self.other_could_not_total(),
            self.reference_could_not.values().sum::<usize>()
        );
        for (side, map) in [
            ("other side", &self.other_could_not),
            ("reference", &self.reference_could_not),
        ] {
            for (why, n) in map {
                let key = format!(
                    "{}:{why}",
                    if side == "reference" {
                        "reference"
                    } else {
                        "other"
                    }
                );
                let example = self
                    .could_not_examples
                    .get(&key)
                    .map(String::as_str)
                    .unwrap_or("");
                let _ = writeln!(out, "  {side} could not answer: {why} {n} (e.g. {example})");
            }
        }
        let written: Vec<&ShrinkRecord> = self.filed(Filed::Written).collect();
        let _ = writeln!(
            out,
            "distinct signatures: {} new in {triage_dir}, {} duplicates merged, {} did not reproduce, {} unconfirmed (a side could not answer; kept pending and retried by the next run)",
            written.len(),
            self.filed(Filed::Duplicate).count(),
            self.filed(Filed::NotReproduced).count(),
            self.filed(Filed::Unconfirmed).count()
        );
        if !self.shrinks.is_empty() {
            let n = self.shrinks.len();
            let steps: usize = self.shrinks.iter().map(|s| s.steps).sum();
            let calls: usize = self.shrinks.iter().map(|s| s.oracle_calls).sum();
            let max_calls = self
                .shrinks
                .iter()
                .map(|s| s.oracle_calls)
                .max()
                .unwrap_or(0);
            let _ = writeln!(
                out,
                "shrinking: {n} disagreements, {:.1} steps and {:.1} oracle calls per disagreement (max {max_calls})",
                steps as f64 / n as f64,
                calls as f64 / n as f64
            );
        }
        let mut merged: BTreeMap<&str, usize> = BTreeMap::new();
        for s in self.filed(Filed::Duplicate) {
            *merged.entry(s.signature.as_str()).or_default() += 1;
        }
        for s in &written {
            let _ = writeln!(
                out,
                "  {}  (+{} duplicates)  {} steps, {} calls, {} -> {} bytes: {}",
                s.signature,
                merged.get(s.signature.as_str()).copied().unwrap_or(0),
                s.steps,
                s.oracle_calls,
                s.size_before,
                s.size_after,
                s.detail
            );
        }
        let _ = writeln!(
            out,
            "oracle calls: {}; {:.1} s",
            self.oracle_calls, self.seconds
        );
        if let Some(calls) = self.api_calls {
            let shrink_calls: Vec<usize> =
                self.shrinks.iter().filter_map(|s| s.api_calls).collect();
            let shrinking: usize = shrink_calls.iter().sum();
            let outside = calls.saturating_sub(shrinking);
            let _ = writeln!(
                out,
                "API calls: {calls} ({outside} for {} decisions of {} cases: {}; {} per 1,000 cases){}",
                self.decisions,
                self.cases_run,
                match outside {
                    0 => "all answered from the cache".to_string(),
                    n => format!("{:.1} decisions per call", self.decisions as f64 / n as f64),
                },
                if self.cases_run == 0 {
                    0
                } else {
                    (outside * 1000).div_ceil(self.cases_run)
                },
                if shrink_calls.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {shrinking} for shrinking and confirming {} differences ({:.1} per shrunk difference, max {})",
                        shrink_calls.len(),
                        shrinking as f64 / shrink_calls.len() as f64,
                        shrink_calls.iter().max().copied().unwrap_or(0)
                    )
                }
            );
        }
        out
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut short: String = line.chars().take(160).collect();
    if short.len() < line.len() {
        short.push_str("...");
    }
    short
}
