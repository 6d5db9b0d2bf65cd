//! The reference evaluator as an [`Oracle`]: a corpus case (`iamspec-format`) becomes the
//! evaluator's [`PolicySet`] and [`Request`]s, [`authorize`] decides each request, and the
//! answer is an [`iamspec_format::Answer`] like any other evaluator's — judged by the one
//! checker, [`iamspec_format::check()`], never here.
//!
//! [`decide_case`] parses a case's policies once and answers each request with the
//! evaluator's own [`ReferenceAnswer`] (the whole [`Response`], or the rejected policy with its
//! [`PolicyError`]); [`ReferenceOracle`] gives the same in the shared answer type, in process,
//! without serialising anything. This module does not read files (see
//! `iamspec_format::load`), does not judge answers, and does not decide anything itself.

use std::panic::{self, AssertUnwindSafe};

use iamspec_format::protocol::{DecisionMode, DecisionResult, Rejection, RequestAnswer};
use iamspec_format::{
    Answer, Case, CaseAnswers, CasePolicy, CaseRequest, CaseResource, ContextItem, CouldNotAnswer,
    NoAnswer, Oracle, OracleInfo,
};

use crate::authorize::{authorize, AuthorizeError, NamedPolicy, PolicySet};
use crate::context::{ContextEntry, ContextKeyType, RequestContext};
use crate::explain::Response;
use crate::organizations::{Organization, OrganizationAccount};
use crate::policy::limits::{self, InlineEntity};
use crate::policy::{parse_policy, parse_policy_without_size_limit, PolicyError, PolicyType};
use crate::request::{Principal, PrincipalType, Request, RequestResource};
use crate::resource_policy::ResourcePolicyKind;

/// What the reference evaluator answered for one request of a case, in its own terms.
#[derive(Debug, Clone)]
pub enum ReferenceAnswer {
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

impl ReferenceAnswer {
    /// The answer as JSON: the [`Response`] as it serialises (decision, matched statements with
    /// positions, missing context, per-resource decisions), or
    /// `{"rejected": {"policy", "kind", "message", "position"}}`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            ReferenceAnswer::Decided(response) => {
                serde_json::to_value(response).unwrap_or_else(|e| {
                    // Response serialises plain data; if that ever failed, say so in the value.
                    serde_json::json!({ "unserialisable": e.to_string() })
                })
            }
            ReferenceAnswer::Rejected { policy, error } => serde_json::json!({
                "rejected": {
                    "policy": policy,
                    "kind": error.kind.name(),
                    "message": error.message,
                    "position": { "line": error.position.line, "column": error.position.column },
                }
            }),
        }
    }

    /// The answer in the shared type: a [`DecisionResult`] with every matched statement (with
    /// its policy type, Sid, effect and positions) and the missing context, plus per-resource
    /// results when `several_resources` (a request with a `resources` list); or a
    /// [`Rejection`] naming the policy, kind, message and position.
    pub fn to_answer(&self, several_resources: bool) -> Answer {
        match self {
            ReferenceAnswer::Decided(response) => {
                Answer::Decided(decision_result(response, several_resources))
            }
            ReferenceAnswer::Rejected { policy, error } => Answer::Rejected(Rejection {
                error: error.kind.name().to_string(),
                policy: Some(policy.clone()),
                message: Some(error.message.clone()),
                error_position: Some(error.position),
            }),
        }
    }
}

fn decision_result(response: &Response, several_resources: bool) -> DecisionResult {
    DecisionResult {
        decision: response.decision,
        matched: Some(response.matched.clone()),
        missing_context: Some(response.missing_context.clone()),
        resources: several_resources.then(|| {
            response
                .resources
                .iter()
                .map(|r| {
                    RequestAnswer::Decision(DecisionResult {
                        decision: r.decision,
                        matched: Some(r.matched.clone()),
                        missing_context: Some(r.missing_context.clone()),
                        resources: None,
                        message: None,
                    })
                })
                .collect()
        }),
        message: None,
    }
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

/// Decides every request of a case, in order (the policies are parsed once): the evaluator's
/// answer, or why it could not answer — [`NoAnswer::Unsupported`] for a request it does not
/// decide yet, [`NoAnswer::Errored`] for a case it cannot use (a bad context type, a document
/// string that cannot be read...).
pub fn decide_case(case: &Case) -> Vec<Result<ReferenceAnswer, CouldNotAnswer>> {
    let parsed = parse_policies(case);
    case.requests
        .iter()
        .map(|request| decide_request(case, &parsed, request))
        .collect()
}

fn decide_request(
    case: &Case,
    parsed: &Result<PolicySet, ParseProblem>,
    request: &CaseRequest,
) -> Result<ReferenceAnswer, CouldNotAnswer> {
    let policies = match parsed {
        Err(ParseProblem::Unusable(reason)) => {
            return Err(CouldNotAnswer::new(NoAnswer::Errored, reason.clone()))
        }
        Err(ParseProblem::Rejected { policy, error }) => {
            return Ok(ReferenceAnswer::Rejected {
                policy: policy.clone(),
                error: error.clone(),
            })
        }
        Ok(set) => set,
    };
    let built = build_request(case, request)
        .map_err(|reason| CouldNotAnswer::new(NoAnswer::Errored, reason))?;
    authorize(policies, &built)
        .map(ReferenceAnswer::Decided)
        .map_err(could_not_answer)
}

fn could_not_answer(error: AuthorizeError) -> CouldNotAnswer {
    match error {
        AuthorizeError::Unsupported(reason) => CouldNotAnswer::new(NoAnswer::Unsupported, reason),
        other => CouldNotAnswer::new(NoAnswer::Errored, other.to_string()),
    }
}

/// The reference evaluator as an [`Oracle`], in process: [`decide_case`], each answer in the
/// shared type. A panic of the evaluator is caught and answered as [`NoAnswer::Crashed`] for
/// the whole case.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReferenceOracle;

impl ReferenceOracle {
    /// Who the reference is: `iamspec`, this crate's version, exact decisions.
    pub fn oracle_info() -> OracleInfo {
        OracleInfo {
            name: "iamspec".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }
}

impl Oracle for ReferenceOracle {
    fn info(&self) -> OracleInfo {
        Self::oracle_info()
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let answers =
            panic::catch_unwind(AssertUnwindSafe(|| decide_case(case))).map_err(|payload| {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_string());
                CouldNotAnswer::new(
                    NoAnswer::Crashed,
                    format!("the reference evaluator panicked: {message}"),
                )
            })?;
        Ok(answers
            .into_iter()
            .zip(&case.requests)
            .map(|(answer, request)| match answer {
                Ok(answer) => answer.to_answer(request.resources.is_some()),
                Err(c) => Answer::CouldNot(c),
            })
            .collect())
    }
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

/// Builds the evaluator's request from a case request: the principal of the case, the
/// request's action, its resource(s) with owner and own context, and its typed context.
fn build_request(case: &Case, request: &CaseRequest) -> Result<Request, String> {
    let mut principal = Principal::from_arn(&case.principal.arn);
    principal.role = case.principal.role.clone();
    principal.in_management_account = case.principal.management_account;
    principal.user = case.principal.user.clone();
    principal.unique_id = case.principal.unique_id.clone();
    principal.canonical_user = case.principal.canonical_user.clone();
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
                "context key `{}`: a key of type `{key_type}` carries exactly one value, not {}",
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

#[cfg(test)]
mod tests {
    use super::*;
    use iamspec_format::{judge_case, ComparisonMode, Decision, Verdict};

    /// One request's answer and verdict.
    struct RequestOutcome {
        name: String,
        answer: Answer,
        verdict: Verdict,
    }

    /// The corpus path: the reference oracle's answers judged by the checker in `full` mode.
    fn run_case(case: &Case) -> Vec<RequestOutcome> {
        judge_case(&mut ReferenceOracle, case, ComparisonMode::Full)
            .into_iter()
            .zip(&case.requests)
            .map(|((answer, verdict), r)| RequestOutcome {
                name: r.name.clone(),
                answer,
                verdict,
            })
            .collect()
    }

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
            outcome.answer.to_value()
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
        assert_eq!(outcome.answer.decision(), Some(Decision::Allowed));
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
            Answer::Rejected(r) => {
                assert_eq!(r.policy.as_deref(), Some("P"));
                assert_eq!(r.error, "malformed-json");
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        let own = decide_case(&c).remove(0).unwrap();
        let json = own.to_json();
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

    /// The reason the reference could not answer, for a verdict that is not an answer.
    fn not_answered(verdict: &Verdict) -> &CouldNotAnswer {
        match verdict {
            Verdict::NotAnswered(c) => c,
            other => panic!("expected no answer, got {other}"),
        }
    }

    #[test]
    fn broken_cases_are_errored_not_failed() {
        let bad_type = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" },
                 "context": [ { "key": "k", "type": "String", "values": ["v"] } ],
                 "expect": { "decision": "allowed" } }"#,
        );
        let c = not_answered(&only(run_case(&bad_type)).verdict).clone();
        assert_eq!(c.why, NoAnswer::Errored);
        assert!(c.message.contains("unknown type `String`"), "{c}");
        let two_values = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" },
                 "context": [ { "key": "k", "type": "numeric", "values": ["1", "2"] } ],
                 "expect": { "decision": "allowed" } }"#,
        );
        assert_eq!(
            not_answered(&only(run_case(&two_values)).verdict).why,
            NoAnswer::Errored
        );
        // A value that does not read as its declared type: the simulator's InvalidInput,
        // never a decision (issue 13).
        let unreadable = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "resource": { "arn": "*" },
                 "context": [ { "key": "aws:SourceIp", "type": "ipList", "values": ["10.0.0.1", "999.1.1.1"] } ],
                 "expect": { "decision": "allowed" } }"#,
        );
        let verdict = only(run_case(&unreadable)).verdict;
        let c = not_answered(&verdict);
        assert_eq!(c.why, NoAnswer::Errored);
        assert!(
            c.message.contains("`999.1.1.1` is not an IP address"),
            "{verdict}"
        );
        let no_resource = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:DescribeImages", "expect": { "decision": "allowed" } }"#,
        );
        assert_eq!(
            not_answered(&only(run_case(&no_resource)).verdict).why,
            NoAnswer::Errored
        );
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
        let verdict = only(run_case(&c)).verdict;
        assert!(
            not_answered(&verdict).message.contains("person"),
            "{verdict}"
        );
    }

    #[test]
    fn unsupported_requests_are_skipped_with_the_reason() {
        let c = could_not_answer(AuthorizeError::Unsupported("RCPs".into()));
        assert_eq!((c.why, c.message.as_str()), (NoAnswer::Unsupported, "RCPs"));
        assert_eq!(
            could_not_answer(AuthorizeError::NoResources).why,
            NoAnswer::Errored
        );
    }

    #[test]
    fn the_reference_oracle_answers_in_the_shared_type() {
        let c = simple(
            DESCRIBE,
            r#"{ "name": "n", "action": "ec2:TerminateInstances", "resource": { "arn": "*" },
                 "expect": { "decision": "explicitDeny" } }"#,
        );
        let answers = ReferenceOracle.decide(&c).unwrap();
        let Answer::Decided(d) = &answers[0] else {
            panic!("{answers:?}")
        };
        assert_eq!(d.decision, Decision::ExplicitDeny);
        let m = &d.matched.as_ref().unwrap()[0];
        assert_eq!((m.policy.as_str(), m.statement), ("P", 1));
        assert_eq!(m.policy_type, Some(PolicyType::Identity));
        assert!(m.start.is_some() && m.end.is_some());
        assert_eq!(d.missing_context.as_deref(), Some(&[][..]));
        assert!(
            d.resources.is_none(),
            "one resource: no per-resource results"
        );
        assert_eq!(ReferenceOracle.info().name, "iamspec");
    }

    #[test]
    fn the_resource_policy_kinds_of_the_loader_are_the_evaluator_s() {
        let kinds: Vec<&str> = ResourcePolicyKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(kinds, iamspec_format::load::RESOURCE_POLICY_KINDS);
    }
}
