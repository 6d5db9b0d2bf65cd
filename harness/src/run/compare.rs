//! Comparing an oracle's answers with a case's expectations, under a named [`ComparisonMode`]
//! (the mode is shared with the differential loop, which compares two oracles' answers in
//! `crate::diff::disagreement`).
//!
//! The decision is always compared (allowed vs not allowed only, in `decision-class` mode); a
//! rejection is compared by error kind. `matched` adds the matched statements, `full` adds their
//! Sid and positions, the missing context keys and the error position — each only where both
//! sides give them (an evaluator that omits `matched` is not wrong about it). A side that could
//! not answer is [`Verdict::NotAnswered`], never a disagreement.

use std::collections::BTreeSet;

use clap::ValueEnum;
use iamspec_format::protocol::{Decision, DecisionMode, DecisionResult, RequestAnswer, Statement};
use iamspec_format::{CaseRequest, Expect, ExpectedStatement};
use serde::Serialize;

use crate::oracle::{Answer, CouldNotAnswer};

/// How strictly answers are compared, from loosest to strictest (the order is meaningful).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    serde::Deserialize,
    ValueEnum,
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
    /// Everything both sides give: decision, matched statements with Sid and positions, missing
    /// context, per-resource answers, error position.
    Full,
}

impl ComparisonMode {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            ComparisonMode::Decision => "decision",
            ComparisonMode::DecisionClass => "decision-class",
            ComparisonMode::Matched => "matched",
            ComparisonMode::Full => "full",
        }
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
        matches!(self, ComparisonMode::Matched | ComparisonMode::Full)
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

/// An answer checked against a case's expectation.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Every compared part agrees.
    Passed,
    /// Something disagrees; each message says what, expected and actual.
    Failed(Vec<String>),
    /// The oracle gave no answer.
    NotAnswered(CouldNotAnswer),
}

fn decisions_agree(expected: Decision, actual: Decision, mode: ComparisonMode) -> bool {
    if mode == ComparisonMode::DecisionClass {
        (expected == Decision::Allowed) == (actual == Decision::Allowed)
    } else {
        expected == actual
    }
}

/// Checks one answer against its request's expectations (the request's, and each resource's
/// when the answer gives per-resource results).
pub fn check_request(request: &CaseRequest, answer: &Answer, mode: ComparisonMode) -> Verdict {
    let mut failures = Vec::new();
    match answer {
        Answer::CouldNot(c) => return Verdict::NotAnswered(c.clone()),
        Answer::Rejected(r) => check_rejection(
            &request.expect,
            &r.error,
            r.error_position,
            mode,
            &mut failures,
        ),
        Answer::Decided(d) => {
            check_decided("", &request.expect, d, mode, &mut failures);
            if let (Some(resources), Some(answers)) = (&request.resources, &d.resources) {
                for (i, (resource, answer)) in resources.iter().zip(answers).enumerate() {
                    let Some(expect) = &resource.expect else {
                        continue;
                    };
                    let label = format!("resources[{i}] (`{}`): ", resource.arn);
                    match answer {
                        RequestAnswer::Decision(d) => {
                            check_decided(&label, expect, d, mode, &mut failures)
                        }
                        RequestAnswer::Error(r) => failures.push(format!(
                            "{label}expected {}, got error `{}`",
                            describe_expect(expect),
                            r.error
                        )),
                        RequestAnswer::Skipped(_) => {}
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

fn describe_expect(expect: &Expect) -> String {
    match (&expect.decision, &expect.error) {
        (Some(d), _) => d.clone(),
        (None, Some(e)) => format!("error `{e}`"),
        (None, None) => "(nothing)".to_string(),
    }
}

fn check_rejection(
    expect: &Expect,
    kind: &str,
    position: Option<iamspec_format::protocol::Position>,
    mode: ComparisonMode,
    failures: &mut Vec<String>,
) {
    match &expect.error {
        Some(expected) => {
            if expected != kind {
                failures.push(format!("error kind: expected `{expected}`, got `{kind}`"));
            }
            if let (true, Some(e), Some(a)) = (mode.full(), expect.error_position, position) {
                if (e.line, e.column) != (a.line, a.column) {
                    failures.push(format!(
                        "error position: expected {}:{}, got {}:{}",
                        e.line, e.column, a.line, a.column
                    ));
                }
            }
        }
        None => failures.push(format!(
            "decision: expected {}, but a policy was rejected: `{kind}`",
            describe_expect(expect)
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
    let expected = match (&expect.decision, &expect.error) {
        (Some(name), _) => match Decision::from_name(name) {
            Some(d) => d,
            None => {
                failures.push(format!(
                    "{label}the case expects `{name}`, which is not a decision"
                ));
                return;
            }
        },
        (None, Some(kind)) => {
            failures.push(format!(
                "{label}expected error `{kind}`, got decision {}",
                answer.decision
            ));
            return;
        }
        (None, None) => {
            failures.push(format!("{label}the case expects nothing"));
            return;
        }
    };
    if !decisions_agree(expected, answer.decision, mode) {
        let class = if mode == ComparisonMode::DecisionClass {
            " (decision-class)"
        } else {
            ""
        };
        failures.push(format!(
            "{label}decision{class}: expected {expected}, got {}",
            answer.decision
        ));
    }
    if mode.statements() {
        if let (Some(e), Some(a)) = (&expect.matched, &answer.matched) {
            failures.extend(
                compare_statements(e, a, mode.full())
                    .into_iter()
                    .map(|m| format!("{label}{m}")),
            );
        }
    }
    if mode.full() {
        if let (Some(e), Some(a)) = (&expect.missing_context, &answer.missing_context) {
            if let Some(m) = compare_keys(e, a) {
                failures.push(format!("{label}{m}"));
            }
        }
    }
}

fn key(policy: &str, statement: usize) -> String {
    format!("{policy}#{statement}")
}

/// Compares statements as a multiset of (policy, index); with `details`, also the Sid and
/// positions the expectation gives and the answer gives.
fn compare_statements(
    expected: &[ExpectedStatement],
    actual: &[Statement],
    details: bool,
) -> Vec<String> {
    let mut e: Vec<String> = expected
        .iter()
        .map(|s| key(&s.policy, s.statement))
        .collect();
    let mut a: Vec<String> = actual.iter().map(|s| key(&s.policy, s.statement)).collect();
    e.sort();
    a.sort();
    if e != a {
        return vec![format!(
            "matched statements: expected [{}], got [{}]",
            e.join(", "),
            a.join(", ")
        )];
    }
    let mut failures = Vec::new();
    if details {
        for x in expected {
            let Some(y) = actual
                .iter()
                .find(|y| y.policy == x.policy && y.statement == x.statement)
            else {
                continue;
            };
            let label = key(&x.policy, x.statement);
            if let (Some(es), Some(ys)) = (&x.sid, &y.sid) {
                if es != ys {
                    failures.push(format!("matched {label}: Sid expected `{es}`, got `{ys}`"));
                }
            }
            for (what, ep, yp) in [("start", x.start, y.start), ("end", x.end, y.end)] {
                if let (Some(ep), Some(yp)) = (ep, yp) {
                    if (ep.line, ep.column) != (yp.line, yp.column) {
                        failures.push(format!(
                            "matched {label}: {what} expected {}:{}, got {}:{}",
                            ep.line, ep.column, yp.line, yp.column
                        ));
                    }
                }
            }
        }
    }
    failures
}

/// Compares context keys as sets, ignoring ASCII case.
fn compare_keys(expected: &[String], actual: &[String]) -> Option<String> {
    let lower = |keys: &[String]| -> BTreeSet<String> {
        keys.iter().map(|k| k.to_ascii_lowercase()).collect()
    };
    if lower(expected) == lower(actual) {
        None
    } else {
        Some(format!(
            "missing context: expected [{}], got [{}]",
            expected.join(", "),
            actual.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::NoAnswer;
    use iamspec_format::protocol::Rejection;

    fn request(expect: &str) -> CaseRequest {
        serde_json::from_str(&format!(
            r#"{{"name":"r","action":"s3:GetObject","resource":{{"arn":"*"}},"expect":{expect}}}"#
        ))
        .unwrap()
    }

    fn decided(d: Decision, matched: Option<Vec<(&str, usize)>>) -> Answer {
        let mut r = DecisionResult::new(d);
        r.matched = matched.map(|m| {
            m.into_iter()
                .map(|(p, s)| Statement {
                    policy: p.into(),
                    statement: s,
                    sid: None,
                    start: None,
                    end: None,
                })
                .collect()
        });
        Answer::Decided(r)
    }

    #[test]
    fn modes_compare_what_they_say() {
        let req =
            request(r#"{"decision":"explicitDeny","matched":[{"policy":"P","statement":1}]}"#);
        let implicit = decided(Decision::ImplicitDeny, None);
        assert!(matches!(
            check_request(&req, &implicit, ComparisonMode::Decision),
            Verdict::Failed(_)
        ));
        assert_eq!(
            check_request(&req, &implicit, ComparisonMode::DecisionClass),
            Verdict::Passed
        );
        let wrong_statement = decided(Decision::ExplicitDeny, Some(vec![("P", 0)]));
        assert_eq!(
            check_request(&req, &wrong_statement, ComparisonMode::Decision),
            Verdict::Passed
        );
        let Verdict::Failed(m) = check_request(&req, &wrong_statement, ComparisonMode::Matched)
        else {
            panic!()
        };
        assert!(m[0].contains("expected [P#1], got [P#0]"), "{m:?}");
        // Omitted matched statements are not compared.
        assert_eq!(
            check_request(
                &req,
                &decided(Decision::ExplicitDeny, None),
                ComparisonMode::Full
            ),
            Verdict::Passed
        );
    }

    #[test]
    fn rejections_compare_by_kind_and_non_answers_stay_apart() {
        let req = request(r#"{"error":"invalid-effect"}"#);
        let rejected = |k: &str| {
            Answer::Rejected(Rejection {
                error: k.into(),
                message: None,
                error_position: None,
            })
        };
        assert_eq!(
            check_request(&req, &rejected("invalid-effect"), ComparisonMode::Decision),
            Verdict::Passed
        );
        assert!(matches!(
            check_request(&req, &rejected("other"), ComparisonMode::Decision),
            Verdict::Failed(_)
        ));
        assert!(matches!(
            check_request(
                &req,
                &decided(Decision::Allowed, None),
                ComparisonMode::Decision
            ),
            Verdict::Failed(_)
        ));
        let skip = Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Skipped, "no"));
        assert!(matches!(
            check_request(&req, &skip, ComparisonMode::Full),
            Verdict::NotAnswered(_)
        ));
    }
}
