//! "Why (not)": for each resource of a request, the rule of AWS's decision flow that decided,
//! and for every statement of every policy whether it applied and, if not, what did not match —
//! the principal, the action, the resource, or which condition (operator, key, the values
//! compared, and the absent-key or `IfExists` rule).
//!
//! [`crate::authorize::authorize_explained`] decides exactly as [`crate::authorize::authorize`] does (the same
//! walk, the same `combine`), asking the walk to record each statement's outcome as it goes.
//! [`crate::authorize::authorize`] never asks, so the fast path pays one untaken branch per
//! statement and nothing else. The reasons are computed here with the same matching and
//! condition functions the decision uses ([`crate::condition::why_false`] says which rule made
//! a condition false).

use crate::condition::{self, FalseBecause, SetOperator};
use crate::context::ContextView;
use crate::explain::{Decision, MatchedStatement};
use crate::matching::{action_applies, resource_applies};
use crate::policy::{ActionBlock, Condition, PolicyType, PrincipalBlock, ResourceBlock, Statement};
use crate::principal::PrincipalMatch;
use crate::request::{Principal, Request, RequestResource};

/// Why one resource of a request got its decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResourceExplanation {
    /// The resource ARN as the request gave it.
    pub resource: String,
    /// The decision for this resource.
    pub decision: Decision,
    /// The rule of the decision flow that decided, in words.
    pub rule: String,
    /// Which step of the flow decided.
    pub step: Step,
    /// Each policy type that took part (SCP and RCP levels one by one), with its statements.
    pub policy_types: Vec<PolicyTypeExplanation>,
}

impl ResourceExplanation {
    /// Puts together what the decision walk recorded.
    pub(crate) fn new(
        request: &Request,
        resource: &RequestResource,
        decision: Decision,
        rule: Rule,
        policy_types: Vec<PolicyTypeExplanation>,
    ) -> Self {
        Self {
            resource: resource.arn.clone(),
            decision,
            rule: rule.describe(request, resource, decision, &policy_types),
            step: rule.step(),
            policy_types,
        }
    }
}

/// The step of the decision flow that decided a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// The operation needs no permission.
    NoPermissionNeeded,
    /// An applicable `Deny` somewhere.
    ExplicitDeny,
    /// The VPC endpoint policy of the endpoint the request came through has no applicable
    /// `Allow`.
    VpcEndpoint,
    /// A resource control policy level without an applicable `Allow`.
    RcpLevel,
    /// A service control policy level without an applicable `Allow`.
    ScpLevel,
    /// Same-account grants: resource-based policy, identity-based policies, boundary, session.
    SameAccount,
    /// Cross-account grants: the resource-based policy and the caller's side must both allow.
    CrossAccount,
}

/// One policy type (or one SCP/RCP level) and its statements.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PolicyTypeExplanation {
    /// The policy type.
    pub policy_type: PolicyType,
    /// For SCPs and RCPs, the organization level (1 = root).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// What these policies alone decide.
    pub decision: Decision,
    /// Every statement, in order, with its outcome.
    pub statements: Vec<StatementExplanation>,
}

/// One statement and whether it applied to the request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatementExplanation {
    /// The statement (policy id, index, Sid, effect, position).
    #[serde(flatten)]
    pub statement: MatchedStatement,
    /// True when principal, action, resource and every condition matched.
    pub applies: bool,
    /// What did not match (empty when it applies).
    pub not_matched: Vec<Mismatch>,
}

/// One part of a statement that did not match the request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum Mismatch {
    /// `Principal` does not name the caller, or `NotPrincipal` excludes it.
    Principal {
        /// `Principal` or `NotPrincipal`.
        element: &'static str,
        /// The caller's ARN.
        caller: String,
    },
    /// `Action` does not cover the action, or `NotAction` does.
    Action {
        /// `Action` or `NotAction`.
        element: &'static str,
        /// The statement's patterns.
        patterns: Vec<String>,
        /// The request's action.
        action: String,
    },
    /// `Resource` does not cover the ARN, or `NotResource` does.
    Resource {
        /// `Resource` or `NotResource`.
        element: &'static str,
        /// The statement's patterns.
        patterns: Vec<String>,
        /// The resource ARN.
        resource: String,
        /// Keys of policy variables in the patterns that the request lacks.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        missing_variables: Vec<String>,
    },
    /// A condition is false.
    Condition {
        /// The operator as written.
        operator: String,
        /// The condition key as written.
        key: String,
        /// The policy's values.
        policy_values: Vec<String>,
        /// The request's values for the key (`None` when absent).
        context_values: Option<Vec<String>>,
        /// Why the condition is false, in words (the rule applied).
        because: String,
    },
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mismatch::Principal { element, caller } => {
                if *element == "NotPrincipal" {
                    write!(f, "principal: `NotPrincipal` excludes the caller {caller}")
                } else {
                    write!(
                        f,
                        "principal: `Principal` does not name the caller {caller}"
                    )
                }
            }
            Mismatch::Action {
                element,
                patterns,
                action,
            } => {
                let verb = if *element == "NotAction" {
                    "covers"
                } else {
                    "does not cover"
                };
                write!(f, "action: `{element}` {} {verb} {action}", list(patterns))
            }
            Mismatch::Resource {
                element,
                patterns,
                resource,
                missing_variables,
            } => {
                let verb = if *element == "NotResource" {
                    "covers"
                } else {
                    "does not cover"
                };
                write!(
                    f,
                    "resource: `{element}` {} {verb} {resource}",
                    list(patterns)
                )?;
                if !missing_variables.is_empty() {
                    write!(
                        f,
                        " (no value in the request for the policy variable key {})",
                        missing_variables.join(", ")
                    )?;
                }
                Ok(())
            }
            Mismatch::Condition {
                operator,
                key,
                policy_values,
                context_values,
                because,
            } => {
                let request = match context_values {
                    Some(values) => format!("request {}", list(values)),
                    None => "request: absent".to_string(),
                };
                write!(
                    f,
                    "condition: `{operator}` `{key}` policy {} vs {request}: {because}",
                    list(policy_values)
                )
            }
        }
    }
}

fn list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// What is being decided, as the decision walk sees it.
pub(crate) struct Target<'a> {
    pub(crate) action: &'a str,
    pub(crate) arn: &'a str,
    pub(crate) caller: &'a Principal,
    pub(crate) context: &'a ContextView<'a>,
}

/// Says whether `statement` applies to `target` and, if not, every part that did not match.
/// Whether its `Principal`/`NotPrincipal` names the caller is the walk's own answer
/// (`principal_matched`), so the two cannot disagree.
pub(crate) fn explain_statement(
    matched: &MatchedStatement,
    statement: &Statement,
    target: &Target<'_>,
    variables_enabled: bool,
    principal_matched: bool,
) -> StatementExplanation {
    let mut not_matched = Vec::new();
    if let Some(block) = &statement.principal {
        if !principal_matched {
            not_matched.push(Mismatch::Principal {
                element: match block {
                    PrincipalBlock::Principal(_) => "Principal",
                    PrincipalBlock::NotPrincipal(_) => "NotPrincipal",
                },
                caller: target.caller.arn.clone(),
            });
        }
    }
    if !action_applies(&statement.action, target.action) {
        let (element, patterns) = match &statement.action {
            ActionBlock::Action(p) => ("Action", p),
            ActionBlock::NotAction(p) => ("NotAction", p),
        };
        not_matched.push(Mismatch::Action {
            element,
            patterns: patterns.clone(),
            action: target.action.to_string(),
        });
    }
    let mut missing_variables = Vec::new();
    if !resource_applies(
        statement.resource.as_ref(),
        target.arn,
        target.context,
        variables_enabled,
        &mut missing_variables,
    ) {
        let (element, patterns) = match &statement.resource {
            Some(ResourceBlock::Resource(p)) => ("Resource", p.clone()),
            Some(ResourceBlock::NotResource(p)) => ("NotResource", p.clone()),
            None => ("Resource", Vec::new()),
        };
        not_matched.push(Mismatch::Resource {
            element,
            patterns,
            resource: target.arn.to_string(),
            missing_variables,
        });
    }
    for c in &statement.conditions {
        if let Some(why) =
            condition::why_false(statement.effect, c, target.context, variables_enabled)
        {
            not_matched.push(condition_mismatch(
                c,
                why,
                target.context,
                variables_enabled,
            ));
        }
    }
    StatementExplanation {
        statement: matched.clone(),
        applies: not_matched.is_empty(),
        not_matched,
    }
}

fn condition_mismatch(
    c: &Condition,
    why: FalseBecause,
    context: &ContextView<'_>,
    variables_enabled: bool,
) -> Mismatch {
    let operator = c.operator;
    let negated = operator.base.is_negated();
    let because = match why {
        FalseBecause::KeyAbsent => match operator.set {
            Some(SetOperator::ForAnyValue) => {
                "the request has no value for this key, and `ForAnyValue` is false when the key is absent".to_string()
            }
            _ => format!(
                "the request has no value for this key, and a positive operator is false when the key is absent (`{}IfExists` would be true)",
                operator.base.name()
            ),
        },
        FalseBecause::NullMismatch { key_is_null } => {
            if key_is_null {
                "`Null` asks for the key to be present, and the request has no value for it"
                    .to_string()
            } else {
                "`Null` asks for the key to be absent, and the request has it".to_string()
            }
        }
        FalseBecause::MultiValuedWithoutSetOperator => {
            "the key has several values (or a list type), and an operator without `ForAllValues:` or `ForAnyValue:` is false on a multivalued key".to_string()
        }
        FalseBecause::UnreadableContextValue => {
            "the request's value does not read as its declared type, and a condition of an `Allow` statement fails closed on a malformed request".to_string()
        }
        FalseBecause::ValuesFail => {
            let mut missing = Vec::new();
            // Re-evaluated only to learn the keys of policy variables the request lacks.
            condition::evaluate(c, context, variables_enabled, &mut missing);
            missing.retain(|k| !k.eq_ignore_ascii_case(&c.key));
            let test = match (operator.set, negated) {
                (None, false) => "no policy value matches the request's value",
                (None, true) => "a policy value matches the request's value, and a negated operator is false then",
                (Some(SetOperator::ForAllValues), false) => "`ForAllValues`: some request value matches no policy value",
                (Some(SetOperator::ForAllValues), true) => "`ForAllValues`: some request value matches a policy value, and the operator is negated",
                (Some(SetOperator::ForAnyValue), false) => "`ForAnyValue`: no request value matches a policy value",
                (Some(SetOperator::ForAnyValue), true) => "`ForAnyValue`: every request value matches a policy value, and the operator is negated",
            };
            if missing.is_empty() {
                test.to_string()
            } else {
                format!(
                    "{test} (the policy variable key {} has no value in the request, so a value using it matches nothing)",
                    missing.join(", ")
                )
            }
        }
    };
    Mismatch::Condition {
        operator: c.operator_text.clone(),
        key: c.key.clone(),
        policy_values: c.values.clone(),
        context_values: context.get(&c.key).map(|e| e.values.clone()),
        because,
    }
}

/// The rule of the flow that decided one resource, as `combine` found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Step 1: an applicable Deny.
    ExplicitDeny,
    /// The operation needs no permission: nothing was evaluated.
    NoPermissionNeeded,
    /// Step 1b: the request came through a VPC endpoint whose policy has no applicable Allow.
    VpcEndpointWithoutAllow,
    /// Step 2: this RCP level (0-based) has no applicable Allow.
    RcpLevelWithoutAllow {
        /// 0-based level, root first.
        level: usize,
    },
    /// Step 3: this SCP level (0-based) has no applicable Allow.
    ScpLevelWithoutAllow {
        /// 0-based level, root first.
        level: usize,
    },
    /// Step 4: what the grants said.
    Flow(Flow),
}

/// What step 4 of the flow saw (copies of `combine`'s booleans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flow {
    pub(crate) same_account: bool,
    pub(crate) resource_policy: bool,
    pub(crate) grant: PrincipalMatch,
    pub(crate) identity_side: bool,
    pub(crate) identity_allows: bool,
    pub(crate) root_of_owner: bool,
    pub(crate) boundary: Option<bool>,
    pub(crate) session: Option<bool>,
    pub(crate) federated_without_session_policy: bool,
}

impl Rule {
    fn step(self) -> Step {
        match self {
            Rule::NoPermissionNeeded => Step::NoPermissionNeeded,
            Rule::ExplicitDeny => Step::ExplicitDeny,
            Rule::VpcEndpointWithoutAllow => Step::VpcEndpoint,
            Rule::RcpLevelWithoutAllow { .. } => Step::RcpLevel,
            Rule::ScpLevelWithoutAllow { .. } => Step::ScpLevel,
            Rule::Flow(flow) if flow.same_account => Step::SameAccount,
            Rule::Flow(_) => Step::CrossAccount,
        }
    }

    fn describe(
        self,
        request: &Request,
        resource: &RequestResource,
        decision: Decision,
        types: &[PolicyTypeExplanation],
    ) -> String {
        let ids = |policy_type: PolicyType, level: usize| -> String {
            let mut ids: Vec<&str> = types
                .iter()
                .filter(|t| t.policy_type == policy_type && t.level == Some(level + 1))
                .flat_map(|t| t.statements.iter().map(|s| s.statement.policy.as_str()))
                .collect();
            ids.dedup();
            if ids.is_empty() {
                "no policies".to_string()
            } else {
                ids.join(", ")
            }
        };
        match self {
            Rule::ExplicitDeny => {
                let mut denying: Vec<String> = Vec::new();
                for t in types {
                    for s in &t.statements {
                        if s.applies && s.statement.effect == Some(crate::policy::Effect::Deny) {
                            let name = type_words(t.policy_type, t.level);
                            if !denying.contains(&name) {
                                denying.push(name);
                            }
                        }
                    }
                }
                format!(
                    "an explicit Deny in {} decides: a Deny that applies overrides every Allow",
                    join_words(&denying)
                )
            }
            Rule::NoPermissionNeeded => "this operation needs no permission: it is allowed whatever the policies say".to_string(),
            Rule::VpcEndpointWithoutAllow => "the request came through a VPC endpoint (the request has `aws:SourceVpce`) whose policy has no Allow for it: the endpoint policy must allow too".to_string(),
            Rule::RcpLevelWithoutAllow { level } => format!(
                "RCP level {} ({}) has no Allow for this action and resource: every level of the organization, from the root to the resource's account, must allow",
                level + 1,
                ids(PolicyType::Rcp, level)
            ),
            Rule::ScpLevelWithoutAllow { level } => format!(
                "SCP level {} ({}) has no Allow for this action: every level of the organization, from the root to the caller's account, must allow",
                level + 1,
                ids(PolicyType::Scp, level)
            ),
            Rule::Flow(flow) => flow.describe(request, resource, decision),
        }
    }
}

fn type_words(policy_type: PolicyType, level: Option<usize>) -> String {
    let name = crate::policy::limits::type_name_with_article(policy_type).to_string();
    match level {
        Some(level) => format!("{name} (level {level})"),
        None => match policy_type {
            PolicyType::PermissionsBoundary => "the permissions boundary".to_string(),
            PolicyType::Resource => "the resource-based policy".to_string(),
            _ => name,
        },
    }
}

fn join_words(words: &[String]) -> String {
    match words {
        [] => "no policy".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Flow {
    /// The identity side's limits that did not allow, in words.
    fn identity_side_gaps(&self) -> Vec<&'static str> {
        let mut gaps = Vec::new();
        if !self.identity_allows {
            gaps.push("no identity-based policy allows it");
        }
        if self.boundary == Some(false) {
            gaps.push("the permissions boundary does not allow it (a boundary limits what identity-based policies grant)");
        }
        if self.session == Some(false) {
            gaps.push("no session policy allows it (session policies limit the session)");
        }
        if self.federated_without_session_policy {
            gaps.push(
                "a federated-user session created without a session policy has no permissions",
            );
        }
        gaps
    }

    fn limits(&self) -> &'static str {
        match (self.boundary.is_some(), self.session.is_some()) {
            (true, true) => ", within the permissions boundary and the session policies",
            (true, false) => ", within the permissions boundary",
            (false, true) => ", within the session policies",
            (false, false) => "",
        }
    }

    fn describe(
        &self,
        request: &Request,
        resource: &RequestResource,
        decision: Decision,
    ) -> String {
        let caller = &request.principal;
        if !self.identity_side {
            let start = format!(
                "the caller is {} with no identity-based policies: only a resource-based policy can allow it",
                match caller.principal_type {
                    crate::request::PrincipalType::Service => "an AWS service",
                    crate::request::PrincipalType::WebIdentity => "a web-identity user",
                    crate::request::PrincipalType::Saml => "a SAML user",
                    _ => "anonymous",
                }
            );
            return if decision == Decision::Allowed {
                format!("{start}, and the resource-based policy does")
            } else if self.resource_policy {
                format!("{start}, and the resource-based policy does not name it with an Allow that applies")
            } else {
                format!("{start}, and there is none")
            };
        }
        if self.same_account {
            if decision == Decision::Allowed {
                return match self.grant {
                    PrincipalMatch::Direct if self.resource_policy && !self.identity_allows => {
                        "same account: the resource-based policy allows the caller by name, which no implicit deny of identity-based policies, boundary or session policies limits".to_string()
                    }
                    PrincipalMatch::Role if !self.identity_allows => format!(
                        "same account: the resource-based policy allows the caller's role{}",
                        self.limits()
                    ),
                    _ if self.root_of_owner && !self.identity_allows => {
                        "same account: the account's root user is allowed unless something denies it".to_string()
                    }
                    _ => format!(
                        "same account: an identity-based policy allows{}",
                        self.limits()
                    ),
                };
            }
            let mut gaps = self.identity_side_gaps();
            if self.resource_policy {
                gaps.push(match self.grant {
                    PrincipalMatch::None => "the resource-based policy has no Allow that applies to the caller",
                    PrincipalMatch::Account => "the resource-based policy names only the account, which within the account delegates to the identity side",
                    PrincipalMatch::Role => "the resource-based policy names the caller's role, which the boundary and session policies still limit",
                    PrincipalMatch::Direct => "the resource-based policy allows the caller",
                });
            }
            return format!("same account: nothing allows: {}", gaps.join("; "));
        }
        let accounts = format!(
            "cross-account (caller's account {}, resource owned by {})",
            caller.account.as_deref().unwrap_or("?"),
            resource.owner.as_deref().unwrap_or("?")
        );
        if decision == Decision::Allowed {
            return format!(
                "{accounts}: the resource-based policy allows the caller and an identity-based policy allows too{}",
                self.limits()
            );
        }
        let mut gaps = Vec::new();
        if self.grant < PrincipalMatch::Account {
            gaps.push(if self.resource_policy {
                "the resource-based policy has no Allow that applies to the caller or its account"
            } else {
                "there is no resource-based policy, and the resource's account must allow through one"
            });
        } else {
            gaps.push("the resource-based policy allows");
        }
        let identity_gaps = self.identity_side_gaps();
        if identity_gaps.is_empty() {
            gaps.push("the identity side allows");
        } else {
            gaps.push("the identity side must allow too, but");
            gaps.extend(identity_gaps);
        }
        format!(
            "{accounts}: both sides must allow: {}",
            gaps.join("; ").replace("but;", "but")
        )
    }
}

#[cfg(test)]
#[path = "why_not_tests.rs"]
mod tests;
