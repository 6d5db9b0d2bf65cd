//! Running corpus scenarios (the `iamspec-format` case files) on the reference evaluator, and
//! comparing the answers with the cases' expectations.
//!
//! [`run_case`] parses a case's policies once, builds one [`Request`] per case request, asks
//! [`authorize`] and checks the answer: the decision always; `matched` and `missing_context`
//! when the case states them; the per-resource expectations of a `resources` list; the error
//! kind (and position) when the case expects a policy to be rejected. This module does not read
//! files (see `iamspec_format::load`) and does not decide anything itself.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use iamspec_format::{Case, CasePolicy, CaseRequest, CaseResource, ContextItem, Expect};

use crate::authorize::{authorize, AuthorizeError, NamedPolicy, PolicySet};
use crate::context::{ContextEntry, ContextKeyType, RequestContext};
use crate::explain::{Decision, MatchedStatement, Response};
use crate::organizations::{Organization, OrganizationAccount};
use crate::policy::limits::{self, InlineEntity};
use crate::policy::{parse_policy, parse_policy_without_size_limit, PolicyError, PolicyType};
use crate::request::{Principal, PrincipalType, Request, RequestResource};
use crate::resource_policy::ResourcePolicyKind;

/// What the reference evaluator answered for one request of a case.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The request was decided.
    Decided(Response),
    /// A policy of the case was rejected (AWS would refuse the document).
    Rejected {
        /// The id of the rejected policy.
        policy: String,
        /// Why.
        error: PolicyError,
    },
}

impl Answer {
    /// The answer as JSON: the [`Response`] as it serialises (decision, matched statements with
    /// positions, missing context, per-resource decisions), or
    /// `{"rejected": {"policy", "kind", "message", "position"}}`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Answer::Decided(response) => {
                serde_json::to_value(response).unwrap_or_else(|e| {
                    // Response serialises plain data; if that ever failed, say so in the value.
                    serde_json::json!({ "unserialisable": e.to_string() })
                })
            }
            Answer::Rejected { policy, error } => serde_json::json!({
                "rejected": {
                    "policy": policy,
                    "kind": error.kind.name(),
                    "message": error.message,
                    "position": { "line": error.position.line, "column": error.position.column },
                }
            }),
        }
    }
}

/// The verdict on one request of a case.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The answer met every expectation the case states.
    Passed,
    /// The answer broke an expectation; each string says which, with expected and actual.
    Failed(Vec<String>),
    /// The evaluator does not decide this kind of request yet (e.g. a policy type it lacks).
    Skipped(String),
    /// The case itself cannot be run (bad context type, bad expectation...).
    Errored(String),
}

impl Verdict {
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
            Verdict::Skipped(reason) => write!(f, "skipped: {reason}"),
            Verdict::Errored(reason) => write!(f, "errored: {reason}"),
        }
    }
}

/// The outcome of one request of a case.
#[derive(Debug, Clone)]
pub struct RequestOutcome {
    /// The request's name (unique within its case).
    pub name: String,
    /// What the evaluator answered, when it answered.
    pub answer: Option<Answer>,
    /// The verdict against the expectation.
    pub verdict: Verdict,
}

/// Why a case's policies could not be parsed.
#[derive(Debug, Clone)]
pub enum ParseProblem {
    /// A policy was rejected, as AWS would reject it.
    Rejected {
        /// The id of the rejected policy.
        policy: String,
        /// Why AWS would reject it.
        error: PolicyError,
    },
    /// The case itself is unusable (a document string that cannot be read).
    Unusable(String),
}

impl std::fmt::Display for ParseProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseProblem::Rejected { policy, error } => {
                write!(f, "policy `{policy}` rejected: {error}")
            }
            ParseProblem::Unusable(reason) => f.write_str(reason),
        }
    }
}

/// The evaluator's policy set for a case: every policy parsed with its policy type. Tools that
/// decide a case's requests themselves (benchmarks, the differential loop) start here.
pub fn build_policy_set(case: &Case) -> Result<PolicySet, ParseProblem> {
    parse_policies(case)
}

/// The evaluator's request for one request of a case (principal, resources with their own
/// context, typed request context); the error says what in the case cannot be used.
pub fn build_request_for(case: &Case, request: &CaseRequest) -> Result<Request, String> {
    build_request(case, request)
}

/// Runs every request of a case (policies are parsed once) and checks each answer.
pub fn run_case(case: &Case) -> Vec<RequestOutcome> {
    let parsed = parse_policies(case);
    case.requests
        .iter()
        .map(|request| {
            let (answer, verdict) = run_request(case, &parsed, request);
            RequestOutcome {
                name: request.name.clone(),
                answer,
                verdict,
            }
        })
        .collect()
}

fn policy_text(policy: &CasePolicy) -> Result<String, ParseProblem> {
    policy.text().map_err(|e| {
        ParseProblem::Unusable(format!(
            "policy `{}`: the document string cannot be read: {e}",
            policy.id
        ))
    })
}

fn parse_one(policy: &CasePolicy, policy_type: PolicyType) -> Result<NamedPolicy, ParseProblem> {
    let text = policy_text(policy)?;
    match parse_policy(&text, policy_type) {
        Ok(parsed) => Ok(NamedPolicy {
            id: policy.id.clone(),
            policy: parsed,
        }),
        Err(error) => Err(ParseProblem::Rejected {
            policy: policy.id.clone(),
            error,
        }),
    }
}

fn parse_list(
    policies: &[CasePolicy],
    policy_type: PolicyType,
) -> Result<Vec<NamedPolicy>, ParseProblem> {
    policies
        .iter()
        .map(|policy| parse_one(policy, policy_type))
        .collect()
}

fn parse_levels(
    levels: &[Vec<CasePolicy>],
    policy_type: PolicyType,
) -> Result<Vec<Vec<NamedPolicy>>, ParseProblem> {
    levels
        .iter()
        .map(|level| parse_list(level, policy_type))
        .collect()
}

/// Parses every policy of the case with its policy type; the first rejection (identity,
/// resource, boundary, session, SCPs, RCPs) wins.
fn parse_policies(case: &Case) -> Result<PolicySet, ParseProblem> {
    let p = &case.policies;
    let resource_kind = match &p.resource_kind {
        Some(name) => Some(ResourcePolicyKind::from_name(name).ok_or_else(|| {
            ParseProblem::Unusable(format!("policies.resource_kind: unknown kind `{name}`"))
        })?),
        None => None,
    };
    let identity = parse_identity(&p.identity)?;
    let resource = p
        .resource
        .as_ref()
        .map(|policy| parse_one(policy, PolicyType::Resource))
        .transpose()?;
    // The rules of a kind (no NotPrincipal in a role trust policy) are checked when the case
    // states the kind: an ARN says which policy decides a request, not what a document was
    // written as.
    if let (Some(named), Some(kind)) = (&resource, resource_kind) {
        kind.check(&named.policy)
            .map_err(|error| ParseProblem::Rejected {
                policy: named.id.clone(),
                error,
            })?;
    }
    Ok(PolicySet {
        identity,
        resource,
        resource_kind,
        permissions_boundary: p
            .permissions_boundary
            .as_ref()
            .map(|policy| parse_one(policy, PolicyType::PermissionsBoundary))
            .transpose()?,
        session: parse_list(&p.session, PolicyType::Session)?,
        scps: parse_levels(&p.scps, PolicyType::Scp)?,
        rcps: parse_levels(&p.rcps, PolicyType::Rcp)?,
        organizations: p
            .organizations
            .iter()
            .map(parse_organization)
            .collect::<Result<_, _>>()?,
        vpc_endpoint: p
            .vpc_endpoint
            .as_ref()
            .map(|policy| parse_one(policy, PolicyType::VpcEndpoint))
            .transpose()?,
    })
}

fn parse_organization(
    organization: &iamspec_format::CaseOrganization,
) -> Result<Organization<NamedPolicy>, ParseProblem> {
    Ok(Organization {
        id: organization.id.clone(),
        management_account: organization.management_account.clone(),
        accounts: organization
            .accounts
            .iter()
            .map(|account| {
                Ok(OrganizationAccount {
                    account: account.account.clone(),
                    scps: parse_levels(&account.scps, PolicyType::Scp)?,
                    rcps: parse_levels(&account.rcps, PolicyType::Rcp)?,
                })
            })
            .collect::<Result<_, ParseProblem>>()?,
    })
}

/// The inline policies of one entity: its name in the case, its kind, and each policy's index
/// and text, in case order.
type InlineGroup<'a> = (&'a str, InlineEntity, Vec<(usize, String)>);

/// Parses the identity-based policies: a managed policy (no `inline`) is held to the
/// managed-policy limit; the inline policies of one entity (`user`, `role`, `group`,
/// `group/NAME`) are held together to that entity's aggregate quota, in case order.
fn parse_identity(policies: &[CasePolicy]) -> Result<Vec<NamedPolicy>, ParseProblem> {
    let mut parsed = Vec::with_capacity(policies.len());
    let mut inline: Vec<InlineGroup<'_>> = Vec::new();
    for (i, policy) in policies.iter().enumerate() {
        let Some(entity_name) = policy.inline.as_deref() else {
            parsed.push(parse_one(policy, PolicyType::Identity)?);
            continue;
        };
        let entity = match entity_name.split('/').next() {
            Some("user") => InlineEntity::User,
            Some("role") => InlineEntity::Role,
            Some("group") => InlineEntity::Group,
            _ => {
                return Err(ParseProblem::Unusable(format!(
                    "policy `{}`: `inline` must be `user`, `role`, `group` or `group/NAME`, not `{entity_name}`",
                    policy.id
                )))
            }
        };
        let text = policy_text(policy)?;
        match parse_policy_without_size_limit(&text, PolicyType::Identity) {
            Ok(document) => parsed.push(NamedPolicy {
                id: policy.id.clone(),
                policy: document,
            }),
            Err(error) => {
                return Err(ParseProblem::Rejected {
                    policy: policy.id.clone(),
                    error,
                })
            }
        }
        match inline.iter_mut().find(|(name, _, _)| *name == entity_name) {
            Some((_, _, texts)) => texts.push((i, text)),
            None => inline.push((entity_name, entity, vec![(i, text)])),
        }
    }
    for (_, entity, texts) in &inline {
        let only_texts: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
        if let Err((k, error)) = limits::check_inline_total(&only_texts, *entity) {
            return Err(ParseProblem::Rejected {
                policy: policies[texts[k].0].id.clone(),
                error,
            });
        }
    }
    Ok(parsed)
}

fn run_request(
    case: &Case,
    parsed: &Result<PolicySet, ParseProblem>,
    request: &CaseRequest,
) -> (Option<Answer>, Verdict) {
    let policies = match parsed {
        Err(ParseProblem::Unusable(reason)) => return (None, Verdict::Errored(reason.clone())),
        Err(ParseProblem::Rejected { policy, error }) => {
            let answer = Answer::Rejected {
                policy: policy.clone(),
                error: error.clone(),
            };
            return (Some(answer), check_rejected(request, policy, error));
        }
        Ok(set) => set,
    };
    let built = match build_request(case, request) {
        Ok(built) => built,
        Err(reason) => return (None, Verdict::Errored(reason)),
    };
    match authorize(policies, &built) {
        Ok(response) => {
            let verdict = check_decided(request, &response);
            (Some(Answer::Decided(response)), verdict)
        }
        Err(error) => (None, verdict_for_authorize_error(error)),
    }
}

fn verdict_for_authorize_error(error: AuthorizeError) -> Verdict {
    match error {
        AuthorizeError::Unsupported(reason) => Verdict::Skipped(reason),
        other => Verdict::Errored(other.to_string()),
    }
}

/// Builds the evaluator's request from a case request: the principal of the case, the
/// request's action, its resource(s) with owner and own context, and its typed context.
fn build_request(case: &Case, request: &CaseRequest) -> Result<Request, String> {
    let mut principal = Principal::from_arn(&case.principal.arn);
    principal.role = case.principal.role.clone();
    principal.in_management_account = case.principal.management_account;
    if let Some(account) = &case.principal.account {
        principal.account = Some(account.clone());
    }
    if let Some(name) = &case.principal.principal_type {
        principal.principal_type = PrincipalType::from_name(name)
            .ok_or_else(|| format!("principal: unknown principal type `{name}`"))?;
    }
    let case_resources: Vec<&CaseResource> = match (&request.resource, &request.resources) {
        (Some(resource), None) => vec![resource],
        (None, Some(resources)) if !resources.is_empty() => resources.iter().collect(),
        _ => {
            return Err(
                "the request needs exactly one of `resource` and a non-empty `resources`".into(),
            )
        }
    };
    let mut resources = Vec::with_capacity(case_resources.len());
    for (i, resource) in case_resources.iter().enumerate() {
        let context = build_context(&resource.context)
            .map_err(|e| format!("resource {i} (`{}`): {e}", resource.arn))?;
        resources.push(RequestResource {
            arn: resource.arn.clone(),
            owner: resource.owner.clone(),
            context,
        });
    }
    Ok(Request {
        principal,
        action: request.action.clone(),
        resources,
        context: build_context(&request.context)?,
    })
}

fn build_context(items: &[ContextItem]) -> Result<RequestContext, String> {
    let mut context = RequestContext::new();
    for item in items {
        let key_type = ContextKeyType::from_name(&item.key_type).ok_or_else(|| {
            format!(
                "context key `{}`: unknown type `{}`",
                item.key, item.key_type
            )
        })?;
        if !key_type.is_list() && item.values.len() != 1 {
            return Err(format!(
                "context key `{}`: a `{key_type}` key carries exactly one value, not {}",
                item.key,
                item.values.len()
            ));
        }
        let entry = ContextEntry {
            key: item.key.clone(),
            key_type,
            values: item.values.clone(),
        };
        // A value that does not read as its type is bad input (the simulator's InvalidInput),
        // never decided.
        entry.check().map_err(|e| e.to_string())?;
        context.insert(entry);
    }
    Ok(context)
}

/// A request's expectation, and in a `resources` list each resource's, with a label for
/// messages (`""` for the request, `resources[1] (arn): ` for a resource).
fn expectations(request: &CaseRequest) -> Vec<(String, Option<usize>, &Expect)> {
    let mut out = vec![(String::new(), None, &request.expect)];
    for (i, resource) in request.resources.iter().flatten().enumerate() {
        if let Some(expect) = &resource.expect {
            out.push((
                format!("resources[{i}] (`{}`): ", resource.arn),
                Some(i),
                expect,
            ));
        }
    }
    out
}

/// The verdict when a policy of the case was rejected: every expectation must be that error.
fn check_rejected(request: &CaseRequest, policy: &str, error: &PolicyError) -> Verdict {
    let mut failures = Vec::new();
    for (label, _, expect) in expectations(request) {
        match (&expect.error, &expect.decision) {
            (Some(kind), None) => {
                if kind != error.kind.name() {
                    failures.push(format!(
                        "{label}error kind: expected `{kind}`, actual `{}` (policy `{policy}`: {error})",
                        error.kind.name()
                    ));
                }
                if let Some(position) = &expect.error_position {
                    let actual = (error.position.line, error.position.column);
                    if (position.line, position.column) != actual {
                        failures.push(format!(
                            "{label}error position: expected {}:{}, actual {}:{} (policy `{policy}`: {error})",
                            position.line, position.column, actual.0, actual.1
                        ));
                    }
                }
            }
            (None, Some(decision)) => failures.push(format!(
                "{label}decision: expected {decision}, but policy `{policy}` was rejected: {error}"
            )),
            _ => return bad_expect(&label),
        }
    }
    verdict_from(failures)
}

/// The verdict on a decided request.
fn check_decided(request: &CaseRequest, response: &Response) -> Verdict {
    let mut failures = Vec::new();
    for (label, index, expect) in expectations(request) {
        let request_matched;
        let (decision, matched, missing) = match index {
            None => {
                request_matched = deciding_statements(response);
                (
                    response.decision,
                    &request_matched,
                    &response.missing_context,
                )
            }
            Some(i) => match response.resources.get(i) {
                Some(r) => (r.decision, &r.matched, &r.missing_context),
                None => {
                    failures.push(format!(
                        "{label}the evaluator answered for {} resources only",
                        response.resources.len()
                    ));
                    continue;
                }
            },
        };
        let expected = match (&expect.decision, &expect.error) {
            (Some(name), None) => match Decision::from_name(name) {
                Some(expected) => expected,
                None => {
                    return Verdict::Errored(format!(
                    "{label}expect.decision `{name}` is not allowed, explicitDeny or implicitDeny"
                ))
                }
            },
            (None, Some(kind)) => {
                failures.push(format!(
                    "{label}expected error `{kind}`, but every policy was accepted (decision: {decision})"
                ));
                continue;
            }
            _ => return bad_expect(&label),
        };
        if expected != decision {
            failures.push(format!(
                "{label}decision: expected {expected}, actual {decision}{}",
                describe_statements(" (matched: ", matched, ")")
            ));
        }
        if let Some(expected_matched) = &expect.matched {
            failures.extend(
                compare_matched(expected_matched, matched)
                    .into_iter()
                    .map(|m| format!("{label}{m}")),
            );
        }
        if let Some(expected_missing) = &expect.missing_context {
            if let Some(m) = compare_missing(expected_missing, missing) {
                failures.push(format!("{label}{m}"));
            }
        }
    }
    verdict_from(failures)
}

/// The statements that decided the whole request, as the case format defines `matched`: those
/// of the resources whose decision is the request's (the `Deny` statements of the denied
/// resources for `explicitDeny`, every `Allow` for `allowed`, none for `implicitDeny`), without
/// duplicates. For one resource this is that resource's `matched`.
fn deciding_statements(response: &Response) -> Vec<MatchedStatement> {
    if response.decision == Decision::ImplicitDeny {
        return Vec::new();
    }
    let mut out: Vec<MatchedStatement> = Vec::new();
    for resource in &response.resources {
        if resource.decision != response.decision {
            continue;
        }
        for statement in &resource.matched {
            if !out.contains(statement) {
                out.push(statement.clone());
            }
        }
    }
    out
}

fn bad_expect(label: &str) -> Verdict {
    Verdict::Errored(format!(
        "{label}expect must hold exactly one of `decision` and `error`"
    ))
}

fn verdict_from(failures: Vec<String>) -> Verdict {
    if failures.is_empty() {
        Verdict::Passed
    } else {
        Verdict::Failed(failures)
    }
}

fn statement_label(policy: &str, statement: usize) -> String {
    format!("{policy}#{statement}")
}

fn describe_statements(prefix: &str, statements: &[MatchedStatement], suffix: &str) -> String {
    if statements.is_empty() {
        return String::new();
    }
    let mut out = prefix.to_string();
    for (i, s) in statements.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&statement_label(&s.policy, s.statement));
        if let Some(sid) = &s.sid {
            let _ = write!(out, " (Sid {sid})");
        }
    }
    out.push_str(suffix);
    out
}

/// Compares the matched statements as a multiset of (policy, statement), then the Sid and
/// positions the expectation gives.
fn compare_matched(
    expected: &[iamspec_format::ExpectedStatement],
    actual: &[MatchedStatement],
) -> Vec<String> {
    let mut expected_keys: Vec<(&str, usize)> = expected
        .iter()
        .map(|e| (e.policy.as_str(), e.statement))
        .collect();
    let mut actual_keys: Vec<(&str, usize)> = actual
        .iter()
        .map(|a| (a.policy.as_str(), a.statement))
        .collect();
    expected_keys.sort_unstable();
    actual_keys.sort_unstable();
    if expected_keys != actual_keys {
        let show = |keys: &[(&str, usize)]| {
            keys.iter()
                .map(|(p, s)| statement_label(p, *s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return vec![format!(
            "matched statements: expected [{}], actual [{}]",
            show(&expected_keys),
            show(&actual_keys)
        )];
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
                && e.start
                    .is_none_or(|p| (p.line, p.column) == (a.start.line, a.start.column))
                && e.end
                    .is_none_or(|p| (p.line, p.column) == (a.end.line, a.end.column))
        };
        let chosen = candidates
            .iter()
            .copied()
            .find(|&i| agrees(&actual[i]))
            .or_else(|| candidates.first().copied());
        let Some(i) = chosen else { continue };
        used[i] = true;
        let a = &actual[i];
        let label = statement_label(&e.policy, e.statement);
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
        for (what, expected_pos, actual_pos) in [("start", e.start, a.start), ("end", e.end, a.end)]
        {
            if let Some(p) = expected_pos {
                if (p.line, p.column) != (actual_pos.line, actual_pos.column) {
                    failures.push(format!(
                        "matched {label}: {what} expected {}:{}, actual {}:{}",
                        p.line, p.column, actual_pos.line, actual_pos.column
                    ));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A case from JSON text (not checked by the loader, so tests can hand it broken cases).
    fn case(json: &str) -> Case {
        serde_json::from_str(json).expect("test case is a valid Case")
    }

    /// A one-policy, one-request case: `policy` is the document, `request` the request object.
    fn simple(policy: &str, request: &str) -> Case {
        case(&format!(
            r#"{{ "description": "t", "source": {{ "kind": "seeds", "ref": "test" }}, "features": [],
                 "principal": {{ "arn": "arn:aws:iam::111122223333:user/alice" }},
                 "policies": {{ "identity": [ {{ "id": "P", "document": {policy} }} ] }},
                 "requests": [ {request} ] }}"#
        ))
    }

    fn only(outcomes: Vec<RequestOutcome>) -> RequestOutcome {
        assert_eq!(outcomes.len(), 1);
        outcomes.into_iter().next().unwrap()
    }

    fn failures(outcome: &RequestOutcome) -> String {
        match &outcome.verdict {
            Verdict::Failed(reasons) => reasons.join("\n"),
            other => panic!("expected a failure, got {other} ({:?})", outcome.answer),
        }
    }

    fn assert_passed(outcome: &RequestOutcome) {
        assert!(
            outcome.verdict.is_passed(),
            "{}: {} (answer {:?})",
            outcome.name,
            outcome.verdict,
            outcome.answer.as_ref().map(Answer::to_json)
        );
    }

    const DESCRIBE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Describe", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*" },
    { "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*" }
  ]
}"#;

    #[test]
    fn an_allowed_request_passes_with_matched_statement_sid_and_positions() {
        let c = simple(
            DESCRIBE,
            r#"{ "name": "describe", "action": "ec2:DescribeInstances", "resource": { "arn": "*" },
                 "expect": { "decision": "allowed",
                             "matched": [ { "policy": "P", "statement": 0, "sid": "Describe",
                                            "start": { "line": 4, "column": 5 }, "end": { "line": 4, "column": 88 } } ],
                             "missing_context": [] } }"#,
        );
        let outcome = only(run_case(&c));
        assert_eq!(outcome.name, "describe");
        assert_passed(&outcome);
        assert!(
            matches!(outcome.answer, Some(Answer::Decided(ref r)) if r.decision == Decision::Allowed)
        );
    }

    #[test]
    fn a_wrong_decision_fails_showing_expected_and_actual() {
        let c = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeInstances", "resource": { "arn": "*" },
                 "expect": { "decision": "implicitDeny" } }"#,
        );
        let message = failures(&only(run_case(&c)));
        assert!(
            message.contains("decision: expected implicitDeny, actual allowed"),
            "{message}"
        );
        assert!(message.contains("P#0 (Sid Describe)"), "{message}");
    }

    #[test]
    fn matched_statements_are_compared_as_a_multiset() {
        let c = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:TerminateInstances", "resource": { "arn": "*" },
                 "expect": { "decision": "explicitDeny", "matched": [ { "policy": "P", "statement": 0 } ] } }"#,
        );
        let message = failures(&only(run_case(&c)));
        assert!(
            message.contains("matched statements: expected [P#0], actual [P#1]"),
            "{message}"
        );
        let c = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:TerminateInstances", "resource": { "arn": "*" },
                 "expect": { "decision": "explicitDeny", "matched": [ { "policy": "P", "statement": 1 }, { "policy": "P", "statement": 1 } ] } }"#,
        );
        let message = failures(&only(run_case(&c)));
        assert!(
            message.contains("expected [P#1, P#1], actual [P#1]"),
            "{message}"
        );
    }

    #[test]
    fn sid_and_positions_are_checked_when_given() {
        let c = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" },
                 "expect": { "decision": "allowed",
                             "matched": [ { "policy": "P", "statement": 0, "sid": "Other", "start": { "line": 99, "column": 1 } } ] } }"#,
        );
        let message = failures(&only(run_case(&c)));
        assert!(
            message.contains("matched P#0: Sid expected `Other`, actual `Describe`"),
            "{message}"
        );
        assert!(
            message.contains("matched P#0: start expected 99:1, actual 4:5"),
            "{message}"
        );
    }

    const TEAM: &str = r#"{ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
          "Condition": { "StringEquals": { "aws:PrincipalTag/team": "blue" } } } ] }"#;

    #[test]
    fn missing_context_is_a_case_insensitive_set() {
        let c = simple(
            TEAM,
            r#"{ "name": "n", "action": "s3:GetObject", "resource": { "arn": "arn:aws:s3:::b/k" },
                 "expect": { "decision": "implicitDeny", "matched": [], "missing_context": ["AWS:PRINCIPALTAG/TEAM"] } }"#,
        );
        assert_passed(&only(run_case(&c)));
        let c = simple(
            TEAM,
            r#"{ "name": "n", "action": "s3:GetObject", "resource": { "arn": "arn:aws:s3:::b/k" },
                 "expect": { "decision": "implicitDeny", "missing_context": [] } }"#,
        );
        let message = failures(&only(run_case(&c)));
        assert!(
            message.contains("missing context: expected [], actual [aws:PrincipalTag/team]"),
            "{message}"
        );
    }

    #[test]
    fn typed_request_context_reaches_the_conditions() {
        let c = simple(
            TEAM,
            r#"{ "name": "n", "action": "s3:GetObject", "resource": { "arn": "arn:aws:s3:::b/k" },
                 "context": [ { "key": "aws:PrincipalTag/team", "type": "string", "values": ["blue"] } ],
                 "expect": { "decision": "allowed", "missing_context": [] } }"#,
        );
        assert_passed(&only(run_case(&c)));
    }

    #[test]
    fn each_resource_is_decided_with_its_own_context_and_checked_against_its_expect() {
        let policy = r#"{ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "arn:aws:ec2:*::image/*",
              "Condition": { "StringEquals": { "ec2:ResourceTag/Environment": "Prod" } } },
            { "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "arn:aws:ec2:*:*:instance/*" } ] }"#;
        let request = r#"{ "name": "run", "action": "ec2:RunInstances",
            "resources": [
              { "arn": "arn:aws:ec2:us-east-1::image/ami-1", "owner": "111122223333",
                "context": [ { "key": "ec2:ResourceTag/Environment", "type": "string", "values": ["Prod"] } ],
                "expect": { "decision": "allowed", "matched": [ { "policy": "P", "statement": 0 } ] } },
              { "arn": "arn:aws:ec2:us-east-1:111122223333:instance/*",
                "expect": { "decision": "allowed", "matched": [ { "policy": "P", "statement": 1 } ] } }
            ],
            "expect": { "decision": "allowed", "matched": [ { "policy": "P", "statement": 0 }, { "policy": "P", "statement": 1 } ] } }"#;
        assert_passed(&only(run_case(&simple(policy, request))));

        // The same image without the tag: the image is implicitly denied, so is the request.
        let untagged = request.replacen("\"values\": [\"Prod\"]", "\"values\": [\"Dev\"]", 1);
        let message = failures(&only(run_case(&simple(policy, &untagged))));
        assert!(
            message.contains("resources[0] (`arn:aws:ec2:us-east-1::image/ami-1`): decision: expected allowed, actual implicitDeny"),
            "{message}"
        );
        assert!(
            message
                .lines()
                .any(|l| l == "decision: expected allowed, actual implicitDeny"),
            "{message}"
        );
        assert!(!message.contains("resources[1]"), "{message}");
    }

    #[test]
    fn request_level_matched_lists_only_the_statements_that_decided() {
        // The instance is allowed, the image is not: the request is implicitly denied, and no
        // statement decided it (the instance's Allow did not).
        let policy = r#"{ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "arn:aws:ec2:*:*:instance/*" },
            { "Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "arn:aws:ec2:*:*:subnet/*" } ] }"#;
        let c = simple(
            policy,
            r#"{ "name": "n", "action": "ec2:RunInstances",
                 "resources": [ { "arn": "arn:aws:ec2:us-east-1:111122223333:instance/*" },
                                { "arn": "arn:aws:ec2:us-east-1::image/ami-1" } ],
                 "expect": { "decision": "implicitDeny", "matched": [] } }"#,
        );
        assert_passed(&only(run_case(&c)));
        // With a denied subnet, the Deny decides, not the instance's Allow.
        let c = simple(
            policy,
            r#"{ "name": "n", "action": "ec2:RunInstances",
                 "resources": [ { "arn": "arn:aws:ec2:us-east-1:111122223333:instance/*" },
                                { "arn": "arn:aws:ec2:us-east-1:111122223333:subnet/s-1" } ],
                 "expect": { "decision": "explicitDeny", "matched": [ { "policy": "P", "statement": 1 } ] } }"#,
        );
        assert_passed(&only(run_case(&c)));
    }

    #[test]
    fn a_rejected_policy_answers_every_request_with_the_error() {
        let c = simple(
            r#""{ not json""#,
            r#"{ "name": "n", "action": "s3:GetObject", "resource": { "arn": "*" },
                 "expect": { "error": "malformed-json" } }"#,
        );
        let outcome = only(run_case(&c));
        assert_passed(&outcome);
        match &outcome.answer {
            Some(Answer::Rejected { policy, error }) => {
                assert_eq!(policy, "P");
                assert_eq!(error.kind.name(), "malformed-json");
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        let json = outcome.answer.as_ref().unwrap().to_json();
        assert_eq!(json["rejected"]["kind"], "malformed-json");
        assert_eq!(json["rejected"]["policy"], "P");
    }

    #[test]
    fn a_rejection_fails_a_decision_and_a_wrong_kind_or_position() {
        let c = simple(
            r#""{ not json""#,
            r#"{ "name": "n", "action": "s3:GetObject", "resource": { "arn": "*" },
                 "expect": { "decision": "implicitDeny" } }"#,
        );
        let message = failures(&only(run_case(&c)));
        assert!(
            message.contains(
                "decision: expected implicitDeny, but policy `P` was rejected: malformed-json"
            ),
            "{message}"
        );
        let c = simple(
            r#""{ not json""#,
            r#"{ "name": "n", "action": "s3:GetObject", "resource": { "arn": "*" },
                 "expect": { "error": "duplicate-sid", "error_position": { "line": 99, "column": 9 } } }"#,
        );
        let message = failures(&only(run_case(&c)));
        assert!(
            message.contains("error kind: expected `duplicate-sid`, actual `malformed-json`"),
            "{message}"
        );
        assert!(
            message.contains("error position: expected 99:9, actual "),
            "{message}"
        );
    }

    #[test]
    fn an_expected_error_fails_when_every_policy_is_accepted() {
        let c = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" },
                 "expect": { "error": "malformed-json" } }"#,
        );
        let message = failures(&only(run_case(&c)));
        assert!(message.contains("expected error `malformed-json`, but every policy was accepted (decision: allowed)"), "{message}");
    }

    #[test]
    fn broken_cases_are_errored_not_failed() {
        let bad_type = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" },
                 "context": [ { "key": "k", "type": "String", "values": ["v"] } ],
                 "expect": { "decision": "allowed" } }"#,
        );
        assert!(
            matches!(only(run_case(&bad_type)).verdict, Verdict::Errored(ref m) if m.contains("unknown type `String`"))
        );
        let two_values = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" },
                 "context": [ { "key": "k", "type": "numeric", "values": ["1", "2"] } ],
                 "expect": { "decision": "allowed" } }"#,
        );
        assert!(matches!(
            only(run_case(&two_values)).verdict,
            Verdict::Errored(_)
        ));
        // A value that does not read as its declared type: the simulator's InvalidInput,
        // never a decision (issue 13).
        let unreadable = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" },
                 "context": [ { "key": "aws:SourceIp", "type": "ipList", "values": ["10.0.0.1", "999.1.1.1"] } ],
                 "expect": { "decision": "allowed" } }"#,
        );
        assert!(
            matches!(only(run_case(&unreadable)).verdict, Verdict::Errored(ref m) if m.contains("`999.1.1.1` is not an IP address")),
            "{}",
            only(run_case(&unreadable)).verdict
        );
        let no_resource = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "expect": { "decision": "allowed" } }"#,
        );
        assert!(matches!(
            only(run_case(&no_resource)).verdict,
            Verdict::Errored(_)
        ));
        let bad_decision = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" }, "expect": { "decision": "allow" } }"#,
        );
        assert!(matches!(
            only(run_case(&bad_decision)).verdict,
            Verdict::Errored(_)
        ));
        let no_expectation = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" }, "expect": {} }"#,
        );
        assert!(matches!(
            only(run_case(&no_expectation)).verdict,
            Verdict::Errored(_)
        ));
    }

    #[test]
    fn the_principal_comes_from_the_case() {
        let mut c = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*", "owner": "444455556666" },
                 "expect": { "decision": "allowed" } }"#,
        );
        c.principal.principal_type = Some("assumed-role".into());
        c.principal.account = Some("999988887777".into());
        let built = build_request(&c, &c.requests[0]).unwrap();
        assert_eq!(built.principal.principal_type, PrincipalType::AssumedRole);
        assert_eq!(built.principal.account.as_deref(), Some("999988887777"));
        assert_eq!(built.resources[0].owner.as_deref(), Some("444455556666"));
        c.principal.principal_type = Some("person".into());
        assert!(
            matches!(only(run_case(&c)).verdict, Verdict::Errored(ref m) if m.contains("person"))
        );
    }

    #[test]
    fn unsupported_requests_are_skipped_with_the_reason() {
        match verdict_for_authorize_error(AuthorizeError::Unsupported("RCPs".into())) {
            Verdict::Skipped(reason) => assert_eq!(reason, "RCPs"),
            other => panic!("{other}"),
        }
        assert!(matches!(
            verdict_for_authorize_error(AuthorizeError::NoResources),
            Verdict::Errored(_)
        ));
    }

    #[test]
    fn the_format_crate_names_agree_with_the_evaluator_enums() {
        let types: Vec<&str> = ContextKeyType::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(types, iamspec_format::names::CONTEXT_KEY_TYPES);
        for t in ContextKeyType::ALL {
            assert_eq!(
                iamspec_format::names::is_single_valued(t.name()),
                !t.is_list()
            );
        }
        let decisions: Vec<&str> = [
            Decision::Allowed,
            Decision::ExplicitDeny,
            Decision::ImplicitDeny,
        ]
        .iter()
        .map(|d| d.name())
        .collect();
        assert_eq!(decisions, iamspec_format::names::DECISIONS);
        for name in iamspec_format::names::PRINCIPAL_TYPES {
            assert!(PrincipalType::from_name(name).is_some(), "{name}");
        }
        let kinds: Vec<&str> = ResourcePolicyKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(kinds, iamspec_format::names::RESOURCE_POLICY_KINDS);
    }
}
