//! The authorization decision: which policies apply to a request and how their answers combine.
//!
//! Today: identity-based policies — default deny, an applicable `Allow` allows, an applicable
//! `Deny` wins. The [`PolicySet`] already carries every policy type (resource-based policy,
//! permissions boundary, session policies, SCP and RCP levels) so that the full flow slots in;
//! a request that needs a policy type not yet decided here is refused with
//! [`AuthorizeError::Unsupported`] rather than answered wrongly.

use crate::condition;
use crate::context::ContextView;
use crate::explain::{
    push_key_once, Decision, MatchedStatement, PolicyTypeDecision, ResourceDecision, Response,
};
use crate::matching;
use crate::policy::{ActionBlock, Effect, Policy, PolicyType, ResourceBlock, Statement};
use crate::request::{Request, RequestResource};

/// A policy with the id the caller knows it by (reported in matched statements).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPolicy {
    /// The caller's id for the policy (the simulator's `SourcePolicyId`).
    pub id: String,
    /// The parsed policy.
    pub policy: Policy,
}

/// Every policy that can take part in a decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicySet {
    /// Identity-based policies of the principal (user, its groups, role; inline and managed).
    pub identity: Vec<NamedPolicy>,
    /// The resource-based policy of the resource, if any.
    pub resource: Option<NamedPolicy>,
    /// The principal's permissions boundary, if any.
    pub permissions_boundary: Option<NamedPolicy>,
    /// Session policies passed when the session was created.
    pub session: Vec<NamedPolicy>,
    /// Service control policies by organization level, root first, account last.
    pub scps: Vec<Vec<NamedPolicy>>,
    /// Resource control policies by organization level, root first, account last.
    pub rcps: Vec<Vec<NamedPolicy>>,
}

impl PolicySet {
    /// A set of identity-based policies only.
    pub fn identity_only(policies: Vec<(String, Policy)>) -> Self {
        Self {
            identity: policies
                .into_iter()
                .map(|(id, policy)| NamedPolicy { id, policy })
                .collect(),
            ..Self::default()
        }
    }
}

/// Why a request could not be decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizeError {
    /// The request names no resource.
    #[error("the request names no resource")]
    NoResources,
    /// The request needs a part of the decision flow this evaluator does not decide yet.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// Decides a request against a policy set.
pub fn authorize(policies: &PolicySet, request: &Request) -> Result<Response, AuthorizeError> {
    if request.resources.is_empty() {
        return Err(AuthorizeError::NoResources);
    }
    refuse_unsupported(policies)?;
    let resources = request
        .resources
        .iter()
        .map(|resource| decide_resource(policies, request, resource))
        .collect();
    Ok(Response::from_resources(resources))
}

fn refuse_unsupported(policies: &PolicySet) -> Result<(), AuthorizeError> {
    let unsupported = [
        ("a resource-based policy", policies.resource.is_some()),
        (
            "a permissions boundary",
            policies.permissions_boundary.is_some(),
        ),
        ("session policies", !policies.session.is_empty()),
        ("service control policies", !policies.scps.is_empty()),
        ("resource control policies", !policies.rcps.is_empty()),
    ];
    match unsupported.iter().find(|(_, present)| *present) {
        Some((what, _)) => Err(AuthorizeError::Unsupported(format!(
            "{what} is not decided by this evaluator yet"
        ))),
        None => Ok(()),
    }
}

fn decide_resource(
    policies: &PolicySet,
    request: &Request,
    resource: &RequestResource,
) -> ResourceDecision {
    let context = ContextView {
        resource: Some(&resource.context),
        request: &request.context,
    };
    let mut findings = Findings::default();
    for named in &policies.identity {
        evaluate_policy(
            named,
            PolicyType::Identity,
            &request.action,
            &resource.arn,
            &context,
            &mut findings,
        );
    }
    let decision = findings.decision();
    ResourceDecision {
        resource: resource.arn.clone(),
        decision,
        matched: findings.deciding_statements(decision),
        missing_context: findings.missing,
        policy_types: vec![PolicyTypeDecision {
            policy_type: PolicyType::Identity,
            decision,
        }],
    }
}

/// What the statements of some policies said about one resource.
#[derive(Debug, Default)]
struct Findings {
    allows: Vec<MatchedStatement>,
    denies: Vec<MatchedStatement>,
    missing: Vec<String>,
}

impl Findings {
    fn decision(&self) -> Decision {
        if !self.denies.is_empty() {
            Decision::ExplicitDeny
        } else if !self.allows.is_empty() {
            Decision::Allowed
        } else {
            Decision::ImplicitDeny
        }
    }

    fn deciding_statements(&self, decision: Decision) -> Vec<MatchedStatement> {
        match decision {
            Decision::ExplicitDeny => self.denies.clone(),
            Decision::Allowed => self.allows.clone(),
            Decision::ImplicitDeny => Vec::new(),
        }
    }
}

fn evaluate_policy(
    named: &NamedPolicy,
    policy_type: PolicyType,
    action: &str,
    arn: &str,
    context: &ContextView<'_>,
    findings: &mut Findings,
) {
    let variables_enabled = named.policy.variables_enabled();
    for statement in &named.policy.statements {
        if !action_applies(&statement.action, action) {
            continue;
        }
        let mut missing = Vec::new();
        let resource_ok = resource_applies(
            statement.resource.as_ref(),
            arn,
            context,
            variables_enabled,
            &mut missing,
        );
        // Every condition of an applicable statement is evaluated (no short-circuit), so that
        // every key it asks for and the request lacks is reported.
        let mut conditions_ok = true;
        if resource_ok {
            for condition in &statement.conditions {
                conditions_ok &=
                    condition::evaluate(condition, context, variables_enabled, &mut missing);
            }
        }
        for key in &missing {
            push_key_once(&mut findings.missing, key);
        }
        if resource_ok && conditions_ok {
            let matched = matched_statement(named, policy_type, statement);
            match statement.effect {
                Effect::Allow => findings.allows.push(matched),
                Effect::Deny => findings.denies.push(matched),
            }
        }
    }
}

fn matched_statement(
    named: &NamedPolicy,
    policy_type: PolicyType,
    statement: &Statement,
) -> MatchedStatement {
    MatchedStatement {
        policy: named.id.clone(),
        policy_type,
        statement: statement.index,
        sid: statement.sid.clone(),
        effect: statement.effect,
        start: statement.span.start,
        end: statement.span.end,
    }
}

/// True when the statement's `Action`/`NotAction` covers the action.
pub fn action_applies(block: &ActionBlock, action: &str) -> bool {
    match block {
        ActionBlock::Action(patterns) => {
            patterns.iter().any(|p| matching::action_matches(p, action))
        }
        ActionBlock::NotAction(patterns) => {
            !patterns.iter().any(|p| matching::action_matches(p, action))
        }
    }
}

/// True when the statement's `Resource`/`NotResource` covers the ARN (an absent element covers
/// every resource, as in role trust policies).
pub fn resource_applies(
    block: Option<&ResourceBlock>,
    arn: &str,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> bool {
    match block {
        None => true,
        Some(ResourceBlock::Resource(patterns)) => patterns
            .iter()
            .any(|p| matching::resource_matches(p, arn, context, variables_enabled, missing)),
        Some(ResourceBlock::NotResource(patterns)) => !patterns
            .iter()
            .any(|p| matching::resource_matches(p, arn, context, variables_enabled, missing)),
    }
}
