//! The simulator's answers as plain data, and as the harness's [`Answer`]s.
//!
//! A [`SimDecision`] is one decision of one action on one resource as the simulator gives it:
//! `EvalDecision`/`EvalResourceDecision`, `MatchedStatements` (policy input id, type, start and
//! end), `MissingContextValues`, `EvalDecisionDetails`, `PermissionsBoundaryDecisionDetail`,
//! `OrganizationsDecisionDetail`. [`CallAnswers`] holds those of one call by action and resource,
//! read from either response shape: since 2026-07-30 one `EvaluationResult` per action with
//! per-resource decisions in `ResourceSpecificResults`, before that one `EvaluationResult` per
//! action and resource. Enums are kept as the strings the simulator sent (open enums): an unknown
//! `SourcePolicyType` is kept, an unknown decision is "could not answer: garbage".
//!
//! Matched statements are mapped back to the case's policy ids and statement indexes by the
//! statement's position in the text sent ([`StatementMap`]). The simulator never returns SCP
//! statements nor SCP context keys: for a case with SCPs the answer carries neither matched
//! statements nor missing keys, so that only what the simulator returns is compared.

use std::collections::BTreeMap;

use iamspec::policy::{parse_policy, PolicyType};
use iamspec_format::protocol::{Decision, DecisionResult, Position, RequestAnswer};
use iamspec_format::MatchedStatement as Statement;
use serde::{Deserialize, Serialize};

use crate::oracle::aws::request::{Need, Plan, SentKind, SentPolicy, Unsupported};
use crate::oracle::{Answer, CouldNotAnswer, NoAnswer};

/// A position as the simulator gives it (`Line`, `Column`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SimPosition {
    /// `Line`.
    pub line: i32,
    /// `Column`.
    pub column: i32,
}

/// One matched statement (`Statement`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SimStatement {
    /// `SourcePolicyId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_policy_id: Option<String>,
    /// `SourcePolicyType`, kept whatever its value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_policy_type: Option<String>,
    /// `StartPosition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<SimPosition>,
    /// `EndPosition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<SimPosition>,
}

/// One decision of the simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimDecision {
    /// `EvalDecision` or `EvalResourceDecision`, as sent.
    pub decision: String,
    /// `MatchedStatements`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<SimStatement>,
    /// `MissingContextValues`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_context: Vec<String>,
    /// `EvalDecisionDetails` (policy type → decision).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_by_permissions_boundary: Option<bool>,
    /// `OrganizationsDecisionDetail.AllowedByOrganizations` (top-level results only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_by_organizations: Option<bool>,
}

/// One `EvaluationResult`, reduced to plain data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimResult {
    /// `EvalActionName`.
    pub action: String,
    /// `EvalResourceName`: an ARN template or `*` in the newer shape, the resource in the older.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The top-level decision.
    pub top: SimDecision,
    /// `ResourceSpecificResults`: resource → decision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_resource: Vec<(String, SimDecision)>,
}

/// The answers of one call (all its pages), by action and resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallAnswers {
    /// Every `EvaluationResult` of every page, in order.
    pub results: Vec<SimResult>,
}

impl CallAnswers {
    /// The decision for `action` on `resource`: from `ResourceSpecificResults` when the
    /// simulator gave them, else from a top-level result naming that resource (the older
    /// shape, or `*`), else — when the call had one resource only — the action's top-level
    /// result.
    pub fn get(&self, action: &str, resource: &str, one_resource: bool) -> Option<&SimDecision> {
        let of_action = || {
            self.results
                .iter()
                .filter(move |r| r.action.eq_ignore_ascii_case(action))
        };
        of_action()
            .flat_map(|r| r.per_resource.iter())
            .find(|(arn, _)| arn == resource)
            .map(|(_, d)| d)
            .or_else(|| {
                of_action()
                    .find(|r| r.per_resource.is_empty() && r.resource.as_deref() == Some(resource))
                    .map(|r| &r.top)
            })
            .or_else(|| {
                one_resource
                    .then(|| {
                        of_action()
                            .find(|r| r.per_resource.is_empty())
                            .map(|r| &r.top)
                    })
                    .flatten()
            })
    }
}

/// The decisions of one call by action (lower case) and resource.
pub type PairAnswers = BTreeMap<(String, String), SimDecision>;

/// The key of `action` on `resource` in [`PairAnswers`].
pub fn pair(action: &str, resource: &str) -> (String, String) {
    (action.to_ascii_lowercase(), resource.to_string())
}

impl CallAnswers {
    /// The decision of every action × resource of `call` that the answers hold.
    pub fn pairs(&self, actions: &[String], resources: &[String]) -> PairAnswers {
        let one_resource = resources.len() == 1;
        let mut out = PairAnswers::new();
        for action in actions {
            for resource in resources {
                if let Some(d) = self.get(action, resource, one_resource) {
                    out.insert(pair(action, resource), d.clone());
                }
            }
        }
        out
    }
}

/// The statements of every policy sent, by input, for mapping positions back to indexes.
#[derive(Debug, Clone)]
pub struct StatementMap {
    policies: Vec<(SentPolicy, Vec<StatementSpan>)>,
}

#[derive(Debug, Clone)]
struct StatementSpan {
    index: usize,
    sid: Option<String>,
    start: (u32, u32),
    end: (u32, u32),
}

impl StatementMap {
    /// Parses the policies sent (a policy the reference cannot parse has no statements here).
    pub fn new(sent: &[SentPolicy]) -> StatementMap {
        let policies = sent
            .iter()
            .map(|p| {
                let kind = match p.kind {
                    SentKind::Identity => PolicyType::Identity,
                    SentKind::PermissionsBoundary => PolicyType::PermissionsBoundary,
                    SentKind::Resource => PolicyType::Resource,
                };
                let spans = parse_policy(&p.text, kind)
                    .map(|policy| {
                        policy
                            .statements
                            .iter()
                            .map(|s| StatementSpan {
                                index: s.index,
                                sid: s.sid.clone(),
                                start: (s.span.start.line, s.span.start.column),
                                end: (s.span.end.line, s.span.end.column),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                (p.clone(), spans)
            })
            .collect();
        StatementMap { policies }
    }

    /// The case's statement for a matched statement: the policy named by `SourcePolicyId`
    /// (else, by `SourcePolicyType`, any policy of that kind), and in it the statement whose
    /// span starts where the simulator's does (exactly, else one column either side, for a
    /// 0-based column count). One that cannot be placed keeps the simulator's identifiers, so
    /// that it shows in a comparison instead of vanishing.
    pub fn place(&self, s: &SimStatement) -> Statement {
        let id = s.source_policy_id.as_deref().unwrap_or("");
        let by_id: Vec<&(SentPolicy, Vec<StatementSpan>)> = self
            .policies
            .iter()
            .filter(|(p, _)| p.input_id.eq_ignore_ascii_case(id) || p.case_id == id)
            .collect();
        let candidates = if by_id.is_empty() {
            let kind = match s.source_policy_type.as_deref() {
                Some("resource") => Some(SentKind::Resource),
                Some("permission-boundary" | "permissions-boundary") => {
                    Some(SentKind::PermissionsBoundary)
                }
                _ => None,
            };
            self.policies
                .iter()
                .filter(|(p, _)| kind.is_none_or(|k| p.kind == k))
                .collect()
        } else {
            by_id
        };
        let start = s.start.map(|p| (p.line, p.column));
        for tolerance in [0, 1] {
            for (policy, spans) in &candidates {
                let found = spans.iter().find(|span| {
                    start.is_some_and(|(line, column)| {
                        i64::from(span.start.0) == i64::from(line)
                            && (i64::from(span.start.1) - i64::from(column)).abs() <= tolerance
                    })
                });
                if let Some(span) = found {
                    return Statement {
                        policy: policy.case_id.clone(),
                        policy_type: None,
                        effect: None,
                        statement: span.index,
                        sid: span.sid.clone(),
                        start: Some(Position {
                            line: span.start.0,
                            column: span.start.1,
                        }),
                        end: Some(Position {
                            line: span.end.0,
                            column: span.end.1,
                        }),
                    };
                }
            }
        }
        // A policy of one statement is placed whatever the positions say.
        if let [(policy, spans)] = candidates.as_slice() {
            if let [span] = spans.as_slice() {
                return Statement {
                    policy: policy.case_id.clone(),
                    policy_type: None,
                    effect: None,
                    statement: span.index,
                    sid: span.sid.clone(),
                    start: None,
                    end: None,
                };
            }
        }
        let at = start.map_or("?".to_string(), |(l, c)| format!("{l}:{c}"));
        Statement {
            policy: format!(
                "{} ({}, unplaced statement at {at})",
                if id.is_empty() { "?" } else { id },
                s.source_policy_type.as_deref().unwrap_or("?")
            ),
            policy_type: None,
            statement: 0,
            sid: None,
            effect: None,
            start: None,
            end: None,
        }
    }
}

/// Reads a decision name; `None` for a value outside the documented three.
pub fn decision(name: &str) -> Option<Decision> {
    Decision::from_name(name)
}

fn decided(d: &SimDecision, map: &StatementMap, complete: bool) -> Result<DecisionResult, String> {
    let decision = decision(&d.decision)
        .ok_or_else(|| format!("the simulator answered the decision `{}`", d.decision))?;
    let mut matched: Vec<Statement> = Vec::new();
    for s in &d.matched {
        let placed = map.place(s);
        if !matched.contains(&placed) {
            matched.push(placed);
        }
    }
    let mut notes = Vec::new();
    if let Some(b) = d.allowed_by_permissions_boundary {
        notes.push(format!("AllowedByPermissionsBoundary={b}"));
    }
    if let Some(o) = d.allowed_by_organizations {
        notes.push(format!("AllowedByOrganizations={o}"));
    }
    if !d.details.is_empty() {
        let details: Vec<String> = d.details.iter().map(|(k, v)| format!("{k}={v}")).collect();
        notes.push(format!("EvalDecisionDetails {{{}}}", details.join(", ")));
    }
    Ok(DecisionResult {
        decision,
        matched: complete.then_some(matched),
        missing_context: complete.then(|| d.missing_context.clone()),
        resources: None,
        message: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// The answer of one request of a plan, given the decisions of each call of the plan (or the
/// answer every request of a call gets when the call failed: a rejection or a non-answer).
pub fn request_answer(
    plan: &Plan,
    needs: &Result<Vec<Need>, Unsupported>,
    calls: &[Result<PairAnswers, Answer>],
    map: &StatementMap,
    several_resources: bool,
) -> Answer {
    let needs = match needs {
        Ok(n) => n,
        Err(why) => {
            return Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Unsupported, why.0.clone()))
        }
    };
    let complete = !plan.has_scps;
    let mut per_resource = Vec::new();
    for need in needs {
        let answers = match calls.get(need.call) {
            Some(Ok(a)) => a,
            Some(Err(answer)) => return answer.clone(),
            None => {
                return Answer::CouldNot(CouldNotAnswer::new(
                    NoAnswer::Errored,
                    "internal: a need names no call",
                ))
            }
        };
        let Some(sim) = answers.get(&pair(&need.action, &need.resource)) else {
            return Answer::CouldNot(CouldNotAnswer::new(
                NoAnswer::Garbage,
                format!(
                    "the simulator's answer holds no result for {} on {}",
                    need.action, need.resource
                ),
            ));
        };
        match decided(sim, map, complete) {
            Ok(d) => per_resource.push(d),
            Err(message) => {
                return Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Garbage, message))
            }
        }
    }
    if !several_resources {
        return match per_resource.into_iter().next() {
            Some(d) => Answer::Decided(d),
            None => Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Errored, "no resource")),
        };
    }
    Answer::Decided(combine(per_resource, complete))
}

/// A request over several resources: allowed only if every resource is, explicitDeny if any
/// is; the matched statements of the resources that share the request's decision; every
/// missing key.
fn combine(resources: Vec<DecisionResult>, complete: bool) -> DecisionResult {
    let decision = if resources.iter().all(|r| r.decision == Decision::Allowed) {
        Decision::Allowed
    } else if resources
        .iter()
        .any(|r| r.decision == Decision::ExplicitDeny)
    {
        Decision::ExplicitDeny
    } else {
        Decision::ImplicitDeny
    };
    let mut matched = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for r in &resources {
        if r.decision == decision {
            for s in r.matched.iter().flatten() {
                if !matched.contains(s) {
                    matched.push(s.clone());
                }
            }
        }
        for k in r.missing_context.iter().flatten() {
            if !missing.iter().any(|m| m.eq_ignore_ascii_case(k)) {
                missing.push(k.clone());
            }
        }
    }
    DecisionResult {
        decision,
        matched: complete.then_some(matched),
        missing_context: complete.then_some(missing),
        resources: Some(resources.into_iter().map(RequestAnswer::Decision).collect()),
        message: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(text: &str) -> SentPolicy {
        SentPolicy {
            input_id: "PolicyInputList.1".into(),
            kind: SentKind::Identity,
            case_id: "P".into(),
            text: text.into(),
        }
    }

    const TWO: &str = "{\"Version\":\"2012-10-17\",\"Statement\":[\n  {\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},\n  {\"Effect\":\"Deny\",\"Action\":\"s3:Delete*\",\"Resource\":\"*\"}\n]}";

    fn at(id: &str, line: i32, column: i32) -> SimStatement {
        SimStatement {
            source_policy_id: Some(id.into()),
            source_policy_type: Some("user".into()),
            start: Some(SimPosition { line, column }),
            end: None,
        }
    }

    #[test]
    fn matched_statements_are_placed_by_position() {
        let map = StatementMap::new(&[sent(TWO)]);
        let first = map.place(&at("PolicyInputList.1", 2, 3));
        assert_eq!((first.policy.as_str(), first.statement), ("P", 0));
        assert_eq!(first.sid.as_deref(), Some("A"));
        let second = map.place(&at("PolicyInputList.1", 3, 3));
        assert_eq!((second.policy.as_str(), second.statement), ("P", 1));
        // A 0-based column still lands on the statement.
        assert_eq!(map.place(&at("PolicyInputList.1", 3, 2)).statement, 1);
        // An unknown position is kept visible, not dropped.
        let lost = map.place(&at("PolicyInputList.1", 9, 9));
        assert!(
            lost.policy.contains("unplaced statement at 9:9"),
            "{lost:?}"
        );
        // An unknown SourcePolicyType is kept and the id still places it.
        let mut odd = at("PolicyInputList.1", 2, 3);
        odd.source_policy_type = Some("some-new-type".into());
        assert_eq!(map.place(&odd).statement, 0);
    }

    fn sim(decision: &str) -> SimDecision {
        SimDecision {
            decision: decision.into(),
            matched: vec![],
            missing_context: vec![],
            details: BTreeMap::new(),
            allowed_by_permissions_boundary: None,
            allowed_by_organizations: None,
        }
    }

    #[test]
    fn both_response_shapes_are_read() {
        let newer = CallAnswers {
            results: vec![SimResult {
                action: "s3:GetObject".into(),
                resource: Some("arn:${Partition}:s3:::${BucketName}/${KeyName}".into()),
                top: sim("implicitDeny"),
                per_resource: vec![
                    ("arn:aws:s3:::b/1".into(), sim("allowed")),
                    ("arn:aws:s3:::b/2".into(), sim("implicitDeny")),
                ],
            }],
        };
        assert_eq!(
            newer
                .get("s3:getobject", "arn:aws:s3:::b/1", false)
                .unwrap()
                .decision,
            "allowed"
        );
        assert_eq!(
            newer
                .get("s3:GetObject", "arn:aws:s3:::b/2", false)
                .unwrap()
                .decision,
            "implicitDeny"
        );
        assert!(newer
            .get("s3:GetObject", "arn:aws:s3:::b/3", false)
            .is_none());
        let older = CallAnswers {
            results: vec![
                SimResult {
                    action: "s3:GetObject".into(),
                    resource: Some("arn:aws:s3:::b/1".into()),
                    top: sim("explicitDeny"),
                    per_resource: vec![],
                },
                SimResult {
                    action: "s3:GetObject".into(),
                    resource: Some("arn:aws:s3:::b/2".into()),
                    top: sim("allowed"),
                    per_resource: vec![],
                },
            ],
        };
        assert_eq!(
            older
                .get("s3:GetObject", "arn:aws:s3:::b/1", false)
                .unwrap()
                .decision,
            "explicitDeny"
        );
        assert_eq!(
            older
                .get("s3:GetObject", "arn:aws:s3:::b/2", false)
                .unwrap()
                .decision,
            "allowed"
        );
    }

    #[test]
    fn an_unknown_decision_is_garbage_not_a_difference() {
        let map = StatementMap::new(&[]);
        assert!(decided(&sim("maybe"), &map, true).is_err());
        let d = decided(&sim("explicitDeny"), &map, false).unwrap();
        assert_eq!(d.decision, Decision::ExplicitDeny);
        assert_eq!(d.matched, None, "with SCPs the statements are not compared");
    }

    #[test]
    fn several_resources_combine_like_the_reference() {
        let allow = DecisionResult {
            matched: Some(vec![]),
            missing_context: Some(vec!["ec2:Region".into()]),
            ..DecisionResult::new(Decision::Allowed)
        };
        let deny = DecisionResult {
            matched: Some(vec![]),
            missing_context: Some(vec!["EC2:region".into()]),
            ..DecisionResult::new(Decision::ImplicitDeny)
        };
        let c = combine(vec![allow.clone(), deny], true);
        assert_eq!(c.decision, Decision::ImplicitDeny);
        assert_eq!(c.missing_context.unwrap().len(), 1);
        assert_eq!(c.resources.unwrap().len(), 2);
        assert_eq!(
            combine(vec![allow.clone(), allow], true).decision,
            Decision::Allowed
        );
    }
}
