//! The checker: one function, [`check`], judges an evaluator's [`Answer`] for a request against
//! the request's expectations (the request's own and, in a `resources` list, each resource's)
//! under a named [`ComparisonMode`]. Every evaluator is judged by it — the reference evaluator
//! (in process), a protocol process, a replayed recording, an outside Rust evaluator.
//!
//! # The rules
//!
//! - The decision is always compared; in `decision-class` only allowed vs not allowed.
//! - A rejection is compared by error kind; in `full` also by position, when both the case and
//!   the answer give one. A rejection where a decision is expected (or a decision where a
//!   rejection is expected) fails.
//! - `matched` (and `full`) compare the matched statements as a multiset of (policy, index),
//!   when the case states them and the answer reports them: an answer without `matched` cannot
//!   tell, and is not wrong about it.
//! - `full` also compares, per statement, the Sid and positions the case gives, and the missing
//!   context keys (as a case-insensitive set) when both sides give them. A Sid is the one
//!   exception to "where both sides give it": an answer that reports a statement reports its
//!   Sid when it has one, so a statement answered without a Sid where the case expects one
//!   fails (the statement the evaluator means has no Sid, or is not the one the case means).
//!   Positions answered without are not judged (many evaluators cannot tell them).
//! - Per-resource expectations are judged against the answer's per-resource results when it
//!   gives them; a list shorter than the request's resources fails; a resource the evaluator
//!   skipped is not judged; an answer without per-resource results is judged on the request only.
//! - An evaluator that could not answer is [`Verdict::NotAnswered`], never a failure.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::answer::{Answer, CouldNotAnswer};
use crate::case::CaseRequest;
use crate::expect::{Expect, ExpectedDecision};
use crate::outcome::Outcome;
use crate::protocol::{DecisionMode, DecisionResult, Rejection, RequestAnswer};
use crate::terms::{Decision, MatchedStatement};

/// How strictly answers are compared, from loosest to strictest (the order is meaningful).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ComparisonMode {
    /// Allowed vs not allowed, and the error kind: for evaluators with `decision_mode: "class"`.
    DecisionClass,
    /// The decision (`allowed`, `explicitDeny`, `implicitDeny`) and the error kind.
    #[default]
    Decision,
    /// The decision and the matched statements (policy and index), where both sides give them.
    Matched,
    /// Everything the case states: decision, matched statements with Sid and positions,
    /// missing context, per-resource answers, error position.
    Full,
}

impl ComparisonMode {
    /// Every mode, loosest first.
    pub const ALL: &'static [ComparisonMode] = &[
        ComparisonMode::DecisionClass,
        ComparisonMode::Decision,
        ComparisonMode::Matched,
        ComparisonMode::Full,
    ];

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            ComparisonMode::DecisionClass => "decision-class",
            ComparisonMode::Decision => "decision",
            ComparisonMode::Matched => "matched",
            ComparisonMode::Full => "full",
        }
    }

    /// Looks a mode up by its name.
    pub fn from_name(name: &str) -> Option<ComparisonMode> {
        Self::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// The mode to use with an evaluator: `decision-class` when it only knows allowed vs not
    /// allowed (whatever was asked), else the requested mode.
    pub fn for_evaluator(self, decision_mode: DecisionMode) -> ComparisonMode {
        match decision_mode {
            DecisionMode::Class => ComparisonMode::DecisionClass,
            DecisionMode::Exact => self,
        }
    }

    fn statements(self) -> bool {
        self >= ComparisonMode::Matched
    }

    fn full(self) -> bool {
        self == ComparisonMode::Full
    }
}

impl std::fmt::Display for ComparisonMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ComparisonMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ComparisonMode::from_name(s).ok_or_else(|| {
            format!(
                "unknown comparison mode `{s}` (expected one of {})",
                Self::ALL
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }
}

/// An answer judged against a request's expectations.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Every compared part agrees.
    Passed,
    /// Something disagrees; each message says what, expected and actual.
    Failed(Vec<String>),
    /// The evaluator gave no answer (its reason decides the outcome).
    NotAnswered(CouldNotAnswer),
}

impl Verdict {
    /// The outcome: passed, failed, or the outcome of the reason there is no answer.
    pub fn outcome(&self) -> Outcome {
        match self {
            Verdict::Passed => Outcome::Passed,
            Verdict::Failed(_) => Outcome::Failed,
            Verdict::NotAnswered(c) => c.why.outcome(),
        }
    }

    /// True for [`Verdict::Passed`].
    pub fn is_passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Passed => f.write_str("passed"),
            Verdict::Failed(reasons) => write!(f, "failed: {}", reasons.join("; ")),
            Verdict::NotAnswered(c) => write!(f, "{}: {c}", c.why.outcome()),
        }
    }
}

/// Judges `answer` against `request`'s expectations under `mode` (see the module's rules).
pub fn check(request: &CaseRequest, answer: &Answer, mode: ComparisonMode) -> Verdict {
    let mut failures = Vec::new();
    match answer {
        Answer::CouldNot(c) => return Verdict::NotAnswered(c.clone()),
        Answer::Rejected(r) => {
            for (index, expect) in request.expectations() {
                let label = label(request, index);
                check_rejected(&label, expect, r, mode, &mut failures);
            }
        }
        Answer::Decided(d) => {
            check_decided("", &request.expect, d, mode, &mut failures);
            if let Some(answers) = &d.resources {
                for (index, expect) in request.expectations() {
                    let Some(i) = index else { continue };
                    let label = label(request, index);
                    match answers.get(i) {
                        Some(RequestAnswer::Decision(d)) => {
                            check_decided(&label, expect, d, mode, &mut failures)
                        }
                        Some(RequestAnswer::Error(r)) => {
                            check_rejected(&label, expect, r, mode, &mut failures)
                        }
                        Some(RequestAnswer::Skipped(_)) => {}
                        None => failures.push(format!(
                            "{label}the evaluator answered for {} resources only",
                            answers.len()
                        )),
                    }
                }
            }
        }
    }
    if failures.is_empty() {
        Verdict::Passed
    } else {
        Verdict::Failed(failures)
    }
}

/// `""` for the request, ``resources[1] (`arn`): `` for a resource.
fn label(request: &CaseRequest, index: Option<usize>) -> String {
    match index {
        None => String::new(),
        Some(i) => {
            let arn = request
                .resources
                .as_ref()
                .and_then(|r| r.get(i))
                .map_or("", |r| r.arn.as_str());
            format!("resources[{i}] (`{arn}`): ")
        }
    }
}

fn rejected_by(r: &Rejection) -> String {
    let mut out = match &r.policy {
        Some(policy) => format!("policy `{policy}` was rejected: {}", r.error),
        None => format!("a policy was rejected: {}", r.error),
    };
    if let Some(p) = r.error_position {
        out.push_str(&format!(" at {p}"));
    }
    if let Some(m) = &r.message {
        out.push_str(&format!(": {m}"));
    }
    out
}

fn check_rejected(
    label: &str,
    expect: &Expect,
    r: &Rejection,
    mode: ComparisonMode,
    failures: &mut Vec<String>,
) {
    match expect {
        Expect::Error(e) => {
            if e.kind != r.error {
                failures.push(format!(
                    "{label}error kind: expected `{}`, actual `{}` ({})",
                    e.kind,
                    r.error,
                    rejected_by(r)
                ));
            }
            if let (true, Some(expected), Some(actual)) =
                (mode.full(), e.position, r.error_position)
            {
                if expected != actual {
                    failures.push(format!(
                        "{label}error position: expected {expected}, actual {actual} ({})",
                        rejected_by(r)
                    ));
                }
            }
        }
        Expect::Decision(d) => failures.push(format!(
            "{label}decision: expected {}, but {}",
            d.decision,
            rejected_by(r)
        )),
    }
}

fn check_decided(
    label: &str,
    expect: &Expect,
    answer: &DecisionResult,
    mode: ComparisonMode,
    failures: &mut Vec<String>,
) {
    let expected: &ExpectedDecision = match expect {
        Expect::Decision(d) => d,
        Expect::Error(e) => {
            failures.push(format!(
                "{label}expected error `{}`, but every policy was accepted (decision: {})",
                e.kind, answer.decision
            ));
            return;
        }
    };
    if !decisions_agree(expected.decision, answer.decision, mode) {
        let class = if mode == ComparisonMode::DecisionClass {
            " (decision-class)"
        } else {
            ""
        };
        failures.push(format!(
            "{label}decision{class}: expected {}, actual {}{}",
            expected.decision,
            answer.decision,
            describe_statements(answer.matched.as_deref().unwrap_or_default())
        ));
    }
    if mode.statements() {
        if let (Some(e), Some(a)) = (&expected.matched, &answer.matched) {
            failures.extend(
                compare_matched(e, a, mode.full())
                    .into_iter()
                    .map(|m| format!("{label}{m}")),
            );
        }
    }
    if mode.full() {
        if let (Some(e), Some(a)) = (&expected.missing_context, &answer.missing_context) {
            if let Some(m) = compare_missing(e, a) {
                failures.push(format!("{label}{m}"));
            }
        }
    }
}

fn describe_statements(statements: &[MatchedStatement]) -> String {
    if statements.is_empty() {
        return String::new();
    }
    let listed: Vec<String> = statements
        .iter()
        .map(|s| match &s.sid {
            Some(sid) => format!("{} (Sid {sid})", s.label()),
            None => s.label(),
        })
        .collect();
    format!(" (matched: {})", listed.join(", "))
}

/// Compares matched statements as a multiset of (policy, statement); with `details`, then the
/// Sid (an expected Sid must be answered) and the positions both sides give.
fn compare_matched(
    expected: &[MatchedStatement],
    actual: &[MatchedStatement],
    details: bool,
) -> Vec<String> {
    let keys = |list: &[MatchedStatement]| {
        let mut keys: Vec<(String, usize)> = list
            .iter()
            .map(|s| (s.policy.clone(), s.statement))
            .collect();
        keys.sort_unstable();
        keys
    };
    let (expected_keys, actual_keys) = (keys(expected), keys(actual));
    if expected_keys != actual_keys {
        let show = |keys: &[(String, usize)]| {
            keys.iter()
                .map(|(p, s)| format!("{p}#{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return vec![format!(
            "matched statements: expected [{}], actual [{}]",
            show(&expected_keys),
            show(&actual_keys)
        )];
    }
    if !details {
        return Vec::new();
    }
    let mut failures = Vec::new();
    let mut used = vec![false; actual.len()];
    for e in expected {
        let candidates: Vec<usize> = (0..actual.len())
            .filter(|&i| {
                !used[i] && actual[i].policy == e.policy && actual[i].statement == e.statement
            })
            .collect();
        let agrees = |a: &MatchedStatement| {
            e.sid.as_ref().is_none_or(|sid| a.sid.as_ref() == Some(sid))
                && [(e.start, a.start), (e.end, a.end)]
                    .iter()
                    .all(|(x, y)| match (x, y) {
                        (Some(x), Some(y)) => x == y,
                        _ => true,
                    })
        };
        let chosen = candidates
            .iter()
            .copied()
            .find(|&i| agrees(&actual[i]))
            .or_else(|| candidates.first().copied());
        let Some(i) = chosen else { continue };
        used[i] = true;
        let a = &actual[i];
        let label = e.label();
        if let Some(sid) = &e.sid {
            if a.sid.as_ref() != Some(sid) {
                failures.push(format!(
                    "matched {label}: Sid expected `{sid}`, actual {}",
                    a.sid
                        .as_ref()
                        .map_or("none".to_string(), |s| format!("`{s}`"))
                ));
            }
        }
        for (what, x, y) in [("start", e.start, a.start), ("end", e.end, a.end)] {
            if let (Some(x), Some(y)) = (x, y) {
                if x != y {
                    failures.push(format!("matched {label}: {what} expected {x}, actual {y}"));
                }
            }
        }
    }
    failures
}

/// Compares missing context keys as sets, ignoring ASCII case.
fn compare_missing(expected: &[String], actual: &[String]) -> Option<String> {
    let lower = |keys: &[String]| -> BTreeSet<String> {
        keys.iter().map(|k| k.to_ascii_lowercase()).collect()
    };
    let (e, a) = (lower(expected), lower(actual));
    if e == a {
        return None;
    }
    let absent: Vec<&str> = expected
        .iter()
        .filter(|k| !a.contains(&k.to_ascii_lowercase()))
        .map(String::as_str)
        .collect();
    let extra: Vec<&str> = actual
        .iter()
        .filter(|k| !e.contains(&k.to_ascii_lowercase()))
        .map(String::as_str)
        .collect();
    Some(format!(
        "missing context: expected [{}], actual [{}] (not reported: [{}]; unexpected: [{}])",
        expected.join(", "),
        actual.join(", "),
        absent.join(", "),
        extra.join(", ")
    ))
}

/// True when `decision` meets `expected` under `mode` (allowed vs not allowed in
/// `decision-class`, else equal): the decision rule of [`check`], for comparing two answers.
pub fn decisions_agree(expected: Decision, actual: Decision, mode: ComparisonMode) -> bool {
    if mode == ComparisonMode::DecisionClass {
        expected.is_allowed() == actual.is_allowed()
    } else {
        expected == actual
    }
}

#[cfg(test)]
mod tests;
