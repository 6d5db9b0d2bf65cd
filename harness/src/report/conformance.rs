//! Conformance reports: per implementation and per feature tag, the counts of passed, failed,
//! skipped, errored, crashed and timed-out requests, and the status of every test ([`Report`],
//! the machine form that `iamspec report diff` reads, written as `report.json`), with its
//! Markdown ([`crate::report::markdown`]) and HTML ([`crate::report::html`]) forms.
//!
//! This module turns finished [`CheckRun`]s into reports; running the cases is
//! [`crate::run`]'s job, comparing two reports [`crate::report::diff`]'s.

use std::collections::{BTreeMap, BTreeSet};

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::CliError;
use crate::report::answers::{answered_text, expected_text};

use crate::run::results::{CheckRun, Counts, Outcome};

/// The JSON report: what ran, and per implementation its counts, per-feature counts and the
/// status of every test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The iamspec version that made the report.
    pub iamspec_version: String,
    /// The case directories.
    pub corpus: Vec<String>,
    /// One entry per implementation, in run order.
    pub implementations: Vec<ImplementationReport>,
}

/// One implementation's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImplementationReport {
    /// Its name (`iamspec` for the reference evaluator).
    pub name: String,
    /// Its version.
    pub version: String,
    /// The language it is written in, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Its home page, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// `exact` or `class`.
    pub decision_mode: String,
    /// The comparison mode its answers were checked in.
    pub comparison: String,
    /// The flag that runs it (`--adapter NAME`, `--evaluator '...'`), none for the reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Counts over every test outside triage.
    pub totals: Counts,
    /// The known-failures summary, when a list was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_failures: Option<KnownSummary>,
    /// Counts per feature tag.
    pub features: BTreeMap<String, Counts>,
    /// The status of every test (`<corpus path>::<request>`), outside triage.
    pub tests: BTreeMap<String, TestResult>,
}

/// The known-failures summary of one implementation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownSummary {
    /// Entries in the list.
    pub listed: usize,
    /// Listed tests that still fail (or error).
    pub still_failing: usize,
    /// Failures and errors not in the list.
    pub new_problems: usize,
    /// Listed tests that pass now, or are skipped.
    pub no_longer_failing: usize,
    /// Listed tests the corpus does not have.
    pub stale: usize,
}

/// One test's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    /// `passed`, `failed`, `skipped`, `errored`, `crashed` or `timed-out`.
    pub status: Outcome,
    /// The known-failures reason, when listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<String>,
    /// The first message (what failed, why skipped...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For a failure or an error, what the HTML drill-down shows: the case's feature tags, the
    /// expectation and the answer (one line each) and the command that reruns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureDetail>,
}

/// What a report keeps of a failing (or erroring) test, for the drill-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureDetail {
    /// The case file, as the run named it.
    pub file: String,
    /// The case's feature tags.
    pub features: Vec<String>,
    /// What the case expected.
    pub expected: String,
    /// What the evaluator answered.
    pub answered: String,
    /// One command that reruns it.
    pub reproduce: String,
    /// For a failure, the reference evaluator's "why (not)", one line each (the rule of the
    /// flow that decided, every statement and what in it did not match).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
}

impl TestResult {
    /// A failure or an error (not passed, not skipped).
    pub fn is_failing(&self) -> bool {
        !matches!(self.status, Outcome::Passed | Outcome::Skipped)
    }
}

impl ImplementationReport {
    /// The report of one run. A run without an oracle is the reference evaluator's.
    pub fn from_run(run: &CheckRun) -> ImplementationReport {
        let (name, version, language, homepage, decision_mode) = match &run.oracle {
            Some(info) => (
                info.name.clone(),
                info.version.clone(),
                info.implementation.as_ref().map(|i| i.language.clone()),
                info.implementation.as_ref().map(|i| i.homepage.clone()),
                match info.decision_mode {
                    iamspec_format::protocol::DecisionMode::Exact => "exact",
                    iamspec_format::protocol::DecisionMode::Class => "class",
                },
            ),
            None => (
                "iamspec".to_string(),
                env!("CARGO_PKG_VERSION").to_string(),
                Some("rust".to_string()),
                None,
                "exact",
            ),
        };
        let comparison = run.mode.map_or("full", |m| m.name()).to_string();
        let command = run.results.iter().find_map(|r| r.evaluator_flag.clone());
        let tests =
            run.results
                .iter()
                .filter(|r| !r.triage)
                .map(|r| {
                    (
                        r.test_id(),
                        TestResult {
                            status: r.status,
                            known: r.known.as_ref().map(|k| k.reason.clone()),
                            message: r.messages.first().cloned(),
                            failure: (!matches!(r.status, Outcome::Passed | Outcome::Skipped))
                                .then(|| FailureDetail {
                                    file: r.file.clone(),
                                    features: r.features.clone(),
                                    expected: expected_text(r),
                                    answered: answered_text(r),
                                    reproduce: r.reproduction(),
                                    why: crate::report::why_not::failure_lines(&r.why, ""),
                                }),
                        },
                    )
                })
                .collect();
        ImplementationReport {
            name,
            version,
            language,
            homepage,
            decision_mode: decision_mode.to_string(),
            comparison,
            command,
            totals: run.counts(),
            known_failures: run.known.as_ref().map(|k| KnownSummary {
                listed: k.len(),
                still_failing: run.known_failures().count(),
                new_problems: run.new_failures().count(),
                no_longer_failing: run.no_longer_failing().count(),
                stale: run.stale_known.len(),
            }),
            features: run.features().into_iter().collect(),
            tests,
        }
    }

    /// The label used in tables: `name version`.
    pub fn label(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

impl Report {
    /// The report of several runs over the same cases.
    pub fn from_runs(runs: &[CheckRun]) -> Report {
        let mut corpus: Vec<String> = Vec::new();
        for run in runs {
            for d in &run.dirs {
                let shown = crate::paths::display_path(d);
                if !corpus.contains(&shown) {
                    corpus.push(shown);
                }
            }
        }
        Report {
            iamspec_version: env!("CARGO_PKG_VERSION").to_string(),
            corpus,
            implementations: runs.iter().map(ImplementationReport::from_run).collect(),
        }
    }

    /// Every feature tag any implementation has, sorted.
    pub fn feature_tags(&self) -> Vec<String> {
        let tags: BTreeSet<&String> = self
            .implementations
            .iter()
            .flat_map(|i| i.features.keys())
            .collect();
        tags.into_iter().cloned().collect()
    }

    /// Reads a JSON report.
    pub fn load(path: &Path) -> Result<Report, CliError> {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::ReportFile {
            path: path.to_path_buf(),
            message: format!("cannot read: {e}"),
        })?;
        serde_json::from_str(&text).map_err(|e| CliError::ReportFile {
            path: path.to_path_buf(),
            message: format!("not an iamspec JSON report: {e}"),
        })
    }
}

/// Reports the report modules' tests share.
#[cfg(test)]
pub(crate) mod test_reports {
    use std::collections::BTreeMap;

    use crate::report::conformance::{ImplementationReport, Report, TestResult};
    use crate::run::results::{Counts, Outcome};

    /// A report of one implementation whose tests are all tagged `effect:allow`.
    pub(crate) fn implementation(name: &str, tests: &[(&str, Outcome)]) -> ImplementationReport {
        let mut totals = Counts::default();
        let mut features: BTreeMap<String, Counts> = BTreeMap::new();
        for (_, s) in tests {
            totals.add(*s);
            features.entry("effect:allow".into()).or_default().add(*s);
        }
        ImplementationReport {
            name: name.into(),
            version: "1".into(),
            language: Some("rust".into()),
            homepage: None,
            decision_mode: "exact".into(),
            comparison: "decision".into(),
            command: None,
            totals,
            known_failures: None,
            features,
            tests: tests
                .iter()
                .map(|(t, s)| {
                    (
                        t.to_string(),
                        TestResult {
                            status: *s,
                            known: None,
                            message: None,
                            failure: None,
                        },
                    )
                })
                .collect(),
        }
    }

    /// A report of these implementations over `corpus`.
    pub(crate) fn report(implementations: Vec<ImplementationReport>) -> Report {
        Report {
            iamspec_version: "0.1.0".into(),
            corpus: vec!["corpus".into()],
            implementations,
        }
    }
}
