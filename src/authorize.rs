//! The authorization decision: which policies apply to a request and how their answers combine.
//!
//! Every policy type takes part: identity-based policies, the resource-based policy (with its
//! `Principal`), the permissions boundary, session policies, and SCP and RCP levels, same- and
//! cross-account. `combine` is the whole flow in one function; the rest gathers what each
//! policy type said. The evaluator never reads the clock or invents context keys.

use crate::condition;
use crate::context::ContextView;
use crate::explain::{
    Decision, KeyList, MatchedStatement, PolicyTypeDecision, ResourceDecision, Response,
};
use crate::matching::{action_applies, resource_applies};
use crate::organizations::{self, Organization};
use crate::policy::{Effect, Policy, PolicyType, Statement};
use crate::principal::{statement_principal_match, PrincipalMatch};
use crate::request::{Principal, PrincipalType, Request, RequestResource};
use crate::resource_policy::ResourcePolicyKind;
use crate::service_data;
use crate::why_not::{self, Flow, Rule, StatementExplanation};

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
    /// What the resource-based policy is attached to (bucket, role trust, KMS key, ...); when
    /// `None` it is read from each resource's ARN ([`ResourcePolicyKind::infer`]).
    pub resource_kind: Option<ResourcePolicyKind>,
    /// The principal's permissions boundary, if any.
    pub permissions_boundary: Option<NamedPolicy>,
    /// Session policies passed when the session was created.
    pub session: Vec<NamedPolicy>,
    /// Service control policies by organization level, root first, account last.
    pub scps: Vec<Vec<NamedPolicy>>,
    /// Resource control policies by organization level, root first, account last.
    pub rcps: Vec<Vec<NamedPolicy>>,
    /// The organizations of the accounts involved, each account with its own SCP and RCP
    /// levels; when not empty, `scps` and `rcps` are not used (see [`crate::organizations`]).
    pub organizations: Vec<Organization<NamedPolicy>>,
    /// The policy of the VPC endpoint that requests carrying `aws:SourceVpce` come through.
    pub vpc_endpoint: Option<NamedPolicy>,
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
    let resources = request
        .resources
        .iter()
        .map(|resource| decide_resource(policies, request, resource, false).0)
        .collect();
    Ok(Response::from_resources(resources))
}

/// Decides one resource and, when `explain`, also says why: every statement's outcome per
/// policy type (and organization level) and the rule of the flow that decided. For
/// [`crate::why_not`]; [`authorize`] never explains, so it pays for none of this.
pub(crate) fn decide_resource_explained(
    policies: &PolicySet,
    request: &Request,
    resource: &RequestResource,
) -> (ResourceDecision, why_not::ResourceExplanation) {
    let (decision, rule, evaluation) = decide_resource(policies, request, resource, true);
    let explanation = why_not::ResourceExplanation::new(
        request,
        resource,
        decision.decision,
        rule,
        evaluation.explained_policy_types(),
    );
    (decision, explanation)
}

/// What every policy type said about one resource of the request.
#[derive(Default)]
struct Evaluation<'a> {
    identity: Findings<'a>,
    resource: Option<Findings<'a>>,
    permissions_boundary: Option<Findings<'a>>,
    session: Option<Findings<'a>>,
    scp_levels: Vec<Findings<'a>>,
    rcp_levels: Vec<Findings<'a>>,
    /// The VPC endpoint policy, when the request came through the endpoint.
    vpc_endpoint: Option<Findings<'a>>,
    missing: Vec<String>,
    /// The kind of the resource-based policy, when the policy set says it.
    resource_kind: Option<ResourcePolicyKind>,
}

fn decide_resource<'a>(
    policies: &'a PolicySet,
    request: &Request,
    resource: &RequestResource,
    explain: bool,
) -> (ResourceDecision, Rule, Evaluation<'a>) {
    if let Some(decision) = no_permission_decision(request, resource) {
        return (decision, Rule::NoPermissionNeeded, Evaluation::default());
    }
    let context = ContextView {
        resource: Some(&resource.context),
        request: &request.context,
    };
    // Identity-side policies belong to IAM identities: a service principal or an anonymous
    // caller has none, so only resource-based policies (and RCPs) can speak for it.
    let identity_side = has_identity(&request.principal);
    let target = Target {
        action: &request.action,
        arn: &resource.arn,
        caller: &request.principal,
        has_boundary: identity_side && policies.permissions_boundary.is_some(),
        context: &context,
        explain,
    };
    let mut missing = KeyList::default();
    let mut group = |named: &'a [NamedPolicy], policy_type: PolicyType| {
        let mut findings = Findings::default();
        for policy in named {
            evaluate_policy(policy, policy_type, &target, &mut findings, &mut missing);
        }
        findings
    };
    let no_policies: &[NamedPolicy] = &[];
    let mut evaluation = Evaluation {
        identity: group(
            if identity_side {
                &policies.identity
            } else {
                no_policies
            },
            PolicyType::Identity,
        ),
        resource: policies
            .resource
            .as_ref()
            .map(|p| group(std::slice::from_ref(p), PolicyType::Resource)),
        permissions_boundary: policies
            .permissions_boundary
            .as_ref()
            .filter(|_| identity_side)
            .map(|p| group(std::slice::from_ref(p), PolicyType::PermissionsBoundary)),
        session: (identity_side && !policies.session.is_empty())
            .then(|| group(&policies.session, PolicyType::Session)),
        scp_levels: if identity_side && scp_levels_apply(&request.principal) {
            organizations::scp_levels(&policies.organizations, &policies.scps, &request.principal)
                .iter()
                .map(|level| group(level, PolicyType::Scp))
                .collect()
        } else {
            Vec::new()
        },
        rcp_levels: {
            let levels = organizations::rcp_levels(
                &policies.organizations,
                &policies.rcps,
                &request.principal,
                resource,
            );
            // Without levels there is nothing to apply: the service list is not consulted.
            if !levels.is_empty() && rcp_levels_apply(request, resource) {
                levels
                    .iter()
                    .map(|level| group(level, PolicyType::Rcp))
                    .collect()
            } else {
                Vec::new()
            }
        },
        vpc_endpoint: policies
            .vpc_endpoint
            .as_ref()
            .filter(|_| came_through_endpoint(&context))
            .map(|p| group(std::slice::from_ref(p), PolicyType::VpcEndpoint)),
        missing: Vec::new(),
        resource_kind: policies.resource_kind,
    };
    evaluation.missing = missing.into_vec();
    let (decision, rule) = combine(&evaluation, request, resource);
    let decision = ResourceDecision {
        resource: resource.arn.clone(),
        decision,
        matched: evaluation.deciding_statements(decision),
        policy_types: evaluation.policy_type_decisions(),
        missing_context: std::mem::take(&mut evaluation.missing),
    };
    (decision, rule, evaluation)
}

/// An operation that needs no permission (`data/no-permission-actions.json`, e.g.
/// `sts:GetCallerIdentity`: "No permissions are required to perform this operation", even an
/// explicit Deny does not stop it) is allowed without evaluating any statement: none matched,
/// no key missing, no policy type consulted.
fn no_permission_decision(
    request: &Request,
    resource: &RequestResource,
) -> Option<ResourceDecision> {
    let caller = request.principal.principal_type.name();
    service_data::needs_no_permission(&request.action, caller).then(|| ResourceDecision {
        resource: resource.arn.clone(),
        decision: Decision::Allowed,
        matched: Vec::new(),
        policy_types: Vec::new(),
        missing_context: Vec::new(),
    })
}

/// True when the request came through a VPC endpoint: its context carries `aws:SourceVpce`,
/// which "is included in the request context only if the requester uses a VPC endpoint to make
/// the request" (IAM User Guide, "AWS global condition context keys"). Only then is the
/// endpoint's policy evaluated.
fn came_through_endpoint(context: &ContextView<'_>) -> bool {
    context.get("aws:SourceVpce").is_some()
}

/// True for callers that are IAM identities (users, roles and their sessions, federated users,
/// the root user): only they have identity-based policies, boundaries, session policies and
/// SCPs. An AWS service principal, an anonymous caller, or a web-identity or SAML user asking
/// for a role (whose only policy is the role's trust policy) is authorized by resource-based
/// policies alone (IAM User Guide, "AWS JSON policy elements: Principal"; AWS Organizations User
/// Guide: SCPs affect IAM users and roles of member accounts).
fn has_identity(caller: &Principal) -> bool {
    !matches!(
        caller.principal_type,
        PrincipalType::Service
            | PrincipalType::Anonymous
            | PrincipalType::WebIdentity
            | PrincipalType::Saml
    )
}

/// SCPs do not affect principals of the management account or service-linked roles (AWS
/// Organizations User Guide, "Service control policies (SCPs)"): for them SCPs are not evaluated
/// at all, so neither their Allow nor their Deny statements count.
fn scp_levels_apply(caller: &Principal) -> bool {
    !caller.in_management_account && !caller.is_service_linked_role()
}

/// RCPs apply to the actions of the services that support them, and not to service-linked roles
/// nor to resources of the management account (AWS Organizations User Guide, "Resource control
/// policies (RCPs)": "RCPs don't affect resources in the management account. They only affect
/// resources in member accounts within your organization"); otherwise they are not evaluated at
/// all, so neither their Allow nor their Deny statements count.
fn rcp_levels_apply(request: &Request, resource: &RequestResource) -> bool {
    service_data::rcps_apply_to(&request.action)
        && !request.principal.is_service_linked_role()
        && !in_callers_management_account(&request.principal, resource)
}

/// True when the caller belongs to the management account (`management_account`) and the
/// resource is in the caller's own account (its owner is that account, or unknown, which the
/// case format reads as same-account). With `organizations`, where each account's place is
/// stated, [`organizations::rcp_levels`] decides this too.
fn in_callers_management_account(caller: &Principal, resource: &RequestResource) -> bool {
    caller.in_management_account
        && match (resource.owner.as_deref(), caller.account.as_deref()) {
            (Some(owner), Some(account)) => owner == account,
            _ => true,
        }
}

/// AWS's decision flow for one resource (IAM User Guide, "How AWS enforcement code logic
/// evaluates requests to allow or deny access", "Policy evaluation for requests within a single
/// account", "Cross-account policy evaluation logic"). Also says which rule decided (for
/// explanations; a few copies of booleans, so `authorize` does not pay for it).
fn combine(
    evaluation: &Evaluation,
    request: &Request,
    resource: &RequestResource,
) -> (Decision, Rule) {
    let caller = &request.principal;
    // 1. An applicable Deny in any policy of any type is final.
    if evaluation.all().any(|f| !f.denies.is_empty()) {
        return (Decision::ExplicitDeny, Rule::ExplicitDeny);
    }
    // 1b. A VPC endpoint policy controls which principals can use the endpoint and does not
    //     replace identity- or resource-based policies (AWS PrivateLink Guide, "Control access to
    //     VPC endpoints using endpoint policies"): a request through it needs its Allow too.
    if evaluation
        .vpc_endpoint
        .as_ref()
        .is_some_and(|f| f.allows.is_empty())
    {
        return (Decision::ImplicitDeny, Rule::VpcEndpointWithoutAllow);
    }
    // 2. RCPs (the resource's account): every level of the organization must allow (only
    //    levels that apply to this request were evaluated: see `rcp_levels_apply`).
    if let Some(level) = evaluation
        .rcp_levels
        .iter()
        .position(|level| level.allows.is_empty())
    {
        return (Decision::ImplicitDeny, Rule::RcpLevelWithoutAllow { level });
    }
    // 3. SCPs (the principal's account): every level must allow (only levels that apply to
    //    this principal were evaluated: see `scp_levels_apply`).
    if let Some(level) = evaluation
        .scp_levels
        .iter()
        .position(|level| level.allows.is_empty())
    {
        return (Decision::ImplicitDeny, Rule::ScpLevelWithoutAllow { level });
    }
    // 4. Resource-based policy, identity-based policies, permissions boundary, session policies.
    let grant = evaluation
        .resource
        .as_ref()
        .map_or(PrincipalMatch::None, |f| f.grant);
    let root_of_owner = caller.principal_type == PrincipalType::Root;
    let identity_allows = !evaluation.identity.allows.is_empty() || root_of_owner;
    let boundary_allows = evaluation
        .permissions_boundary
        .as_ref()
        .is_none_or(|f| !f.allows.is_empty());
    // A GetFederationToken session passed no session policy has no permissions (IAM User Guide,
    // "Session policies"); a role session without one is not limited.
    let session_allows = match &evaluation.session {
        Some(findings) => !findings.allows.is_empty(),
        None => caller.principal_type != PrincipalType::FederatedUser,
    };
    let same_account = match (resource.owner.as_deref(), caller.account.as_deref()) {
        (Some(owner), Some(account)) => owner == account,
        _ => true,
    };
    let own_policy_must_allow = same_account
        && ResourcePolicyKind::any_requires_explicit_allow(&request.action)
        && evaluation
            .resource_kind
            .unwrap_or_else(|| ResourcePolicyKind::infer(&resource.arn))
            .requires_explicit_allow(&request.action);
    let allowed = if own_policy_must_allow {
        // Within one account, role trust policies and KMS key policies must allow the caller
        // themselves (cross-account, every resource-based policy must): naming the caller (or, for the root user, its account) is enough;
        // naming its role is limited by the boundary and session policies; naming its account
        // delegates to the identity-based policies, which must allow too. The root user has no
        // permission the trust or key policy does not give.
        let delegated = !evaluation.identity.allows.is_empty() && boundary_allows && session_allows;
        grant == PrincipalMatch::Direct
            || (grant == PrincipalMatch::Role && boundary_allows && session_allows)
            || (grant == PrincipalMatch::Account && delegated)
    } else if same_account {
        // A resource-based policy naming the caller itself is not limited by an implicit deny in
        // the identity-based policies, the boundary or the session policies; one naming the
        // role is limited by the boundary and session policies.
        grant == PrincipalMatch::Direct
            || (grant == PrincipalMatch::Role && boundary_allows && session_allows)
            || (identity_allows && boundary_allows && session_allows)
    } else if !has_identity(caller) {
        // Cross-account, a caller with no identity-based policies (a web-identity or SAML user,
        // a service, an anonymous caller) has no side of its own: the resource-based policy
        // decides alone (AWS STS API Reference, "AssumeRoleWithWebIdentity": Amazon Cognito
        // identity pools "that assume cross-account IAM roles" need the role's trust policy to
        // accept them; the operation needs no AWS credentials).
        grant >= PrincipalMatch::Account
    } else {
        // Cross-account: both the resource-based policy and the caller's own policies must allow.
        grant >= PrincipalMatch::Account && identity_allows && boundary_allows && session_allows
    };
    let flow = Flow {
        same_account,
        resource_policy: evaluation.resource.is_some(),
        grant,
        identity_side: has_identity(caller),
        identity_allows,
        root_of_owner,
        boundary: evaluation
            .permissions_boundary
            .as_ref()
            .map(|_| boundary_allows),
        session: evaluation.session.as_ref().map(|_| session_allows),
        federated_without_session_policy: evaluation.session.is_none()
            && caller.principal_type == PrincipalType::FederatedUser,
    };
    if allowed {
        (Decision::Allowed, Rule::Flow(flow))
    } else {
        (Decision::ImplicitDeny, Rule::Flow(flow))
    }
}

impl<'a> Evaluation<'a> {
    fn all(&self) -> impl Iterator<Item = &Findings<'a>> {
        std::iter::once(&self.identity)
            .chain(self.resource.iter())
            .chain(self.permissions_boundary.iter())
            .chain(self.session.iter())
            .chain(self.scp_levels.iter())
            .chain(self.rcp_levels.iter())
            .chain(self.vpc_endpoint.iter())
    }

    /// The applicable Deny statements of every type for `explicitDeny`; the applicable Allow
    /// statements of every type for `allowed`; none for `implicitDeny`.
    fn deciding_statements(&self, decision: Decision) -> Vec<MatchedStatement> {
        match decision {
            Decision::ExplicitDeny => self
                .all()
                .flat_map(|f| f.denies.iter().map(Applied::matched))
                .collect(),
            Decision::Allowed => self
                .all()
                .flat_map(|f| f.allows.iter().map(Applied::matched))
                .collect(),
            Decision::ImplicitDeny => Vec::new(),
        }
    }

    /// Each policy type's statements with their outcomes (SCP and RCP levels apart), for
    /// explanations; empty traces unless the evaluation was asked to explain.
    fn explained_policy_types(&self) -> Vec<why_not::PolicyTypeExplanation> {
        let one = |policy_type, level, f: &Findings<'_>| why_not::PolicyTypeExplanation {
            policy_type,
            level,
            decision: f.decision(),
            statements: f.trace.clone(),
        };
        let mut types = vec![one(PolicyType::Identity, None, &self.identity)];
        types.extend(
            self.resource
                .iter()
                .map(|f| one(PolicyType::Resource, None, f)),
        );
        types.extend(
            self.permissions_boundary
                .iter()
                .map(|f| one(PolicyType::PermissionsBoundary, None, f)),
        );
        types.extend(
            self.session
                .iter()
                .map(|f| one(PolicyType::Session, None, f)),
        );
        types.extend(
            self.scp_levels
                .iter()
                .enumerate()
                .map(|(i, f)| one(PolicyType::Scp, Some(i + 1), f)),
        );
        types.extend(
            self.rcp_levels
                .iter()
                .enumerate()
                .map(|(i, f)| one(PolicyType::Rcp, Some(i + 1), f)),
        );
        types.extend(
            self.vpc_endpoint
                .iter()
                .map(|f| one(PolicyType::VpcEndpoint, None, f)),
        );
        types
    }

    fn policy_type_decisions(&self) -> Vec<PolicyTypeDecision> {
        let single = |policy_type, f: &Findings<'_>| PolicyTypeDecision {
            policy_type,
            decision: f.decision(),
        };
        let levels = |policy_type, levels: &[Findings<'_>]| {
            let decision = if levels.iter().any(|l| !l.denies.is_empty()) {
                Decision::ExplicitDeny
            } else if levels.iter().all(|l| !l.allows.is_empty()) {
                Decision::Allowed
            } else {
                Decision::ImplicitDeny
            };
            PolicyTypeDecision {
                policy_type,
                decision,
            }
        };
        let mut decisions = vec![single(PolicyType::Identity, &self.identity)];
        decisions.extend(
            self.resource
                .as_ref()
                .map(|f| single(PolicyType::Resource, f)),
        );
        decisions.extend(
            self.permissions_boundary
                .as_ref()
                .map(|f| single(PolicyType::PermissionsBoundary, f)),
        );
        decisions.extend(
            self.session
                .as_ref()
                .map(|f| single(PolicyType::Session, f)),
        );
        if !self.scp_levels.is_empty() {
            decisions.push(levels(PolicyType::Scp, &self.scp_levels));
        }
        if !self.rcp_levels.is_empty() {
            decisions.push(levels(PolicyType::Rcp, &self.rcp_levels));
        }
        decisions.extend(
            self.vpc_endpoint
                .as_ref()
                .map(|f| single(PolicyType::VpcEndpoint, f)),
        );
        decisions
    }
}

/// What is being decided: one action on one resource by one caller in one context.
struct Target<'a> {
    action: &'a str,
    arn: &'a str,
    caller: &'a Principal,
    /// Whether the caller has a permissions boundary attached (a `Deny` with `NotPrincipal`
    /// always applies to it).
    has_boundary: bool,
    context: &'a ContextView<'a>,
    /// Record every statement's outcome ([`Findings::trace`]) for an explanation.
    explain: bool,
}

/// An applicable statement, by reference: a [`MatchedStatement`] (which copies the policy id
/// and Sid) is made only for the statements that decide.
#[derive(Debug, Clone, Copy)]
struct Applied<'a> {
    named: &'a NamedPolicy,
    policy_type: PolicyType,
    statement: &'a Statement,
}

impl Applied<'_> {
    fn matched(&self) -> MatchedStatement {
        matched_statement(self.named, self.policy_type, self.statement)
    }
}

/// What the statements of some policies said about one resource.
#[derive(Debug)]
struct Findings<'a> {
    allows: Vec<Applied<'a>>,
    denies: Vec<Applied<'a>>,
    /// The most direct way an applicable Allow statement's `Principal` names the caller
    /// ([`PrincipalMatch::Direct`] for statements without a `Principal` element).
    grant: PrincipalMatch,
    /// Every statement's outcome, when explaining (else empty).
    trace: Vec<StatementExplanation>,
}

impl Default for Findings<'_> {
    fn default() -> Self {
        Self {
            allows: Vec::new(),
            denies: Vec::new(),
            grant: PrincipalMatch::None,
            trace: Vec::new(),
        }
    }
}

impl Findings<'_> {
    fn decision(&self) -> Decision {
        if !self.denies.is_empty() {
            Decision::ExplicitDeny
        } else if !self.allows.is_empty() {
            Decision::Allowed
        } else {
            Decision::ImplicitDeny
        }
    }
}

fn evaluate_policy<'a>(
    named: &'a NamedPolicy,
    policy_type: PolicyType,
    target: &Target<'_>,
    findings: &mut Findings<'a>,
    missing_keys: &mut KeyList,
) {
    let variables_enabled = named.policy.variables_enabled();
    for statement in &named.policy.statements {
        let principal = statement
            .principal
            .as_ref()
            .map_or(PrincipalMatch::Direct, |block| {
                statement_principal_match(
                    block,
                    statement.effect,
                    target.caller,
                    target.has_boundary,
                )
            });
        if target.explain {
            findings.trace.push(why_not::explain_statement(
                &matched_statement(named, policy_type, statement),
                statement,
                &why_not::Target {
                    action: target.action,
                    arn: target.arn,
                    caller: target.caller,
                    context: target.context,
                },
                variables_enabled,
                principal != PrincipalMatch::None,
            ));
        }
        if principal == PrincipalMatch::None || !action_applies(&statement.action, target.action) {
            continue;
        }
        let mut missing = Vec::new();
        let resource_ok = resource_applies(
            statement.resource.as_ref(),
            target.arn,
            target.context,
            variables_enabled,
            &mut missing,
        );
        // Every condition of an applicable statement is evaluated (no short-circuit), so that
        // every key it asks for and the request lacks is reported.
        let mut conditions_ok = true;
        if resource_ok {
            for condition in &statement.conditions {
                conditions_ok &= condition::evaluate_for(
                    statement.effect,
                    condition,
                    target.context,
                    variables_enabled,
                    &mut missing,
                );
            }
        }
        for key in &missing {
            missing_keys.push_once(key);
        }
        if resource_ok && conditions_ok {
            let matched = Applied {
                named,
                policy_type,
                statement,
            };
            match statement.effect {
                Effect::Allow => {
                    findings.allows.push(matched);
                    findings.grant = findings.grant.max(principal);
                }
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
        policy_type: Some(policy_type),
        statement: statement.index,
        sid: statement.sid.clone(),
        effect: Some(statement.effect),
        start: Some(statement.span.start),
        end: Some(statement.span.end),
    }
}

/// Decides `request` like [`crate::authorize::authorize`] and explains every resource's
/// decision.
pub fn authorize_explained(
    policies: &PolicySet,
    request: &Request,
) -> Result<(Response, Vec<why_not::ResourceExplanation>), AuthorizeError> {
    if request.resources.is_empty() {
        return Err(AuthorizeError::NoResources);
    }
    let (decisions, explanations): (Vec<_>, Vec<_>) = request
        .resources
        .iter()
        .map(|resource| decide_resource_explained(policies, request, resource))
        .unzip();
    Ok((Response::from_resources(decisions), explanations))
}

#[cfg(test)]
mod tests {
    //! The decision flow, one documented rule per test (IAM User Guide, "Policy evaluation
    //! logic" and its sub-pages). Corpus cases cover the same rules with cited expectations.
    use super::*;
    use crate::policy::parse_policy;

    const ACCOUNT: &str = "111122223333";
    const OTHER: &str = "444455556666";
    const BUCKET: &str = "arn:aws:s3:::amzn-s3-demo-bucket/report.csv";

    fn policy(policy_type: PolicyType, id: &str, json: &str) -> NamedPolicy {
        let policy = parse_policy(json, policy_type).expect("test policy is valid");
        NamedPolicy {
            id: id.to_string(),
            policy,
        }
    }

    fn allow_get() -> &'static str {
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
    }

    fn allow_other_action() -> &'static str {
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#
    }

    fn bucket_policy_for(principal: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"s3:GetObject","Resource":"{BUCKET}"}}]}}"#
        )
    }

    fn request(caller: &str, owner: &str) -> Request {
        let mut request = Request::new(caller, "s3:GetObject", BUCKET);
        request.resources[0].owner = Some(owner.to_string());
        request
    }

    fn decide(set: &PolicySet, request: &Request) -> Decision {
        authorize(set, request).expect("decidable").decision
    }

    fn alice() -> String {
        format!("arn:aws:iam::{ACCOUNT}:user/alice")
    }

    fn session() -> String {
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/Dev/alice")
    }

    #[test]
    fn identity_allow_allows_and_any_deny_wins() {
        let mut set = PolicySet {
            identity: vec![policy(PolicyType::Identity, "p", allow_get())],
            ..Default::default()
        };
        assert_eq!(decide(&set, &request(&alice(), ACCOUNT)), Decision::Allowed);
        set.scps = vec![vec![policy(
            PolicyType::Scp,
            "deny",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
        )]];
        let response = authorize(&set, &request(&alice(), ACCOUNT)).expect("decidable");
        assert_eq!(response.decision, Decision::ExplicitDeny);
        assert_eq!(response.matched.len(), 1);
        assert_eq!(response.matched[0].policy_type, Some(PolicyType::Scp));
    }

    #[test]
    fn same_account_resource_policy_naming_the_user_needs_no_identity_policy() {
        let set = PolicySet {
            resource: Some(policy(
                PolicyType::Resource,
                "bucket",
                &bucket_policy_for(&alice()),
            )),
            ..Default::default()
        };
        assert_eq!(decide(&set, &request(&alice(), ACCOUNT)), Decision::Allowed);
    }

    #[test]
    fn same_account_resource_policy_naming_the_account_delegates_to_identity_policies() {
        let set = PolicySet {
            resource: Some(policy(
                PolicyType::Resource,
                "bucket",
                &bucket_policy_for(ACCOUNT),
            )),
            ..Default::default()
        };
        assert_eq!(
            decide(&set, &request(&alice(), ACCOUNT)),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn boundary_limits_identity_grants_but_not_a_resource_policy_naming_the_user() {
        let boundary = policy(
            PolicyType::PermissionsBoundary,
            "boundary",
            allow_other_action(),
        );
        let identity_only = PolicySet {
            identity: vec![policy(PolicyType::Identity, "p", allow_get())],
            permissions_boundary: Some(boundary.clone()),
            ..Default::default()
        };
        assert_eq!(
            decide(&identity_only, &request(&alice(), ACCOUNT)),
            Decision::ImplicitDeny
        );
        let named_user = PolicySet {
            resource: Some(policy(
                PolicyType::Resource,
                "bucket",
                &bucket_policy_for(&alice()),
            )),
            permissions_boundary: Some(boundary),
            ..Default::default()
        };
        assert_eq!(
            decide(&named_user, &request(&alice(), ACCOUNT)),
            Decision::Allowed
        );
    }

    #[test]
    fn boundary_limits_a_resource_policy_naming_the_role_but_not_the_session() {
        let boundary = policy(
            PolicyType::PermissionsBoundary,
            "boundary",
            allow_other_action(),
        );
        let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/Dev");
        let naming_role = PolicySet {
            resource: Some(policy(
                PolicyType::Resource,
                "bucket",
                &bucket_policy_for(&role_arn),
            )),
            permissions_boundary: Some(boundary.clone()),
            ..Default::default()
        };
        assert_eq!(
            decide(&naming_role, &request(&session(), ACCOUNT)),
            Decision::ImplicitDeny
        );
        let naming_session = PolicySet {
            resource: Some(policy(
                PolicyType::Resource,
                "bucket",
                &bucket_policy_for(&session()),
            )),
            permissions_boundary: Some(boundary),
            ..Default::default()
        };
        assert_eq!(
            decide(&naming_session, &request(&session(), ACCOUNT)),
            Decision::Allowed
        );
    }

    #[test]
    fn cross_account_needs_both_sides() {
        let caller = format!("arn:aws:iam::{OTHER}:user/bob");
        let identity = policy(PolicyType::Identity, "p", allow_get());
        let resource = policy(PolicyType::Resource, "bucket", &bucket_policy_for(OTHER));
        let only_identity = PolicySet {
            identity: vec![identity.clone()],
            ..Default::default()
        };
        assert_eq!(
            decide(&only_identity, &request(&caller, ACCOUNT)),
            Decision::ImplicitDeny
        );
        let only_resource = PolicySet {
            resource: Some(resource.clone()),
            ..Default::default()
        };
        assert_eq!(
            decide(&only_resource, &request(&caller, ACCOUNT)),
            Decision::ImplicitDeny
        );
        let both = PolicySet {
            identity: vec![identity],
            resource: Some(resource),
            ..Default::default()
        };
        assert_eq!(decide(&both, &request(&caller, ACCOUNT)), Decision::Allowed);
    }

    #[test]
    fn every_scp_level_must_allow_except_for_the_management_account() {
        let allow_all = policy(
            PolicyType::Scp,
            "FullAWSAccess",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let ec2_only = policy(
            PolicyType::Scp,
            "Ec2Only",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#,
        );
        let set = PolicySet {
            identity: vec![policy(PolicyType::Identity, "p", allow_get())],
            scps: vec![vec![allow_all], vec![ec2_only]],
            ..Default::default()
        };
        assert_eq!(
            decide(&set, &request(&alice(), ACCOUNT)),
            Decision::ImplicitDeny
        );
        let mut management = request(&alice(), ACCOUNT);
        management.principal.in_management_account = true;
        assert_eq!(decide(&set, &management), Decision::Allowed);
        let denying = PolicySet {
            scps: vec![vec![policy(
                PolicyType::Scp,
                "DenyS3",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
            )]],
            ..set.clone()
        };
        assert_eq!(
            decide(&denying, &request(&alice(), ACCOUNT)),
            Decision::ExplicitDeny
        );
        assert_eq!(decide(&denying, &management), Decision::Allowed);
        let linked = request(
            &format!("arn:aws:iam::{ACCOUNT}:role/aws-service-role/x.amazonaws.com/R"),
            ACCOUNT,
        );
        assert_eq!(decide(&set, &linked), Decision::Allowed);
    }

    #[test]
    fn services_and_anonymous_callers_have_no_identity_policies() {
        let set = PolicySet {
            identity: vec![policy(PolicyType::Identity, "p", allow_get())],
            ..Default::default()
        };
        let service = Request::new("sns.amazonaws.com", "s3:GetObject", BUCKET);
        assert_eq!(decide(&set, &service), Decision::ImplicitDeny);
        let anonymous = Request::new("", "s3:GetObject", BUCKET);
        assert_eq!(decide(&set, &anonymous), Decision::ImplicitDeny);
        let public = PolicySet {
            resource: Some(policy(
                PolicyType::Resource,
                "bucket",
                &bucket_policy_for("*"),
            )),
            ..set
        };
        assert_eq!(decide(&public, &anonymous), Decision::Allowed);
    }

    #[test]
    fn a_caller_without_identity_policies_is_let_in_across_accounts_by_the_resource_policy_alone() {
        // A Cognito identity pool user of one account assuming a role of another (STS API
        // Reference, "AssumeRoleWithWebIdentity"): no identity side to agree with the trust
        // policy, so the trust policy decides.
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#;
        let set = PolicySet {
            resource: Some(policy(PolicyType::Resource, "trust", trust)),
            ..Default::default()
        };
        let mut request = Request::new(
            "cognito-identity.amazonaws.com",
            "sts:AssumeRoleWithWebIdentity",
            "arn:aws:iam::444455556666:role/GameClient",
        );
        request.principal.principal_type = PrincipalType::WebIdentity;
        request.principal.account = Some(ACCOUNT.to_string());
        request.resources[0].owner = Some("444455556666".to_string());
        assert_eq!(decide(&set, &request), Decision::Allowed);
        let no_trust = PolicySet::default();
        assert_eq!(decide(&no_trust, &request), Decision::ImplicitDeny);
    }

    #[test]
    fn every_rcp_level_must_allow() {
        let set = PolicySet {
            identity: vec![policy(PolicyType::Identity, "p", allow_get())],
            rcps: vec![vec![policy(
                PolicyType::Rcp,
                "OnlyPut",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}]}"#,
            )]],
            ..Default::default()
        };
        assert_eq!(
            decide(&set, &request(&alice(), ACCOUNT)),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn session_policies_limit_role_sessions_and_federated_users_need_one() {
        let identity = policy(PolicyType::Identity, "p", allow_get());
        let limited = PolicySet {
            identity: vec![identity.clone()],
            session: vec![policy(PolicyType::Session, "s", allow_other_action())],
            ..Default::default()
        };
        assert_eq!(
            decide(&limited, &request(&session(), ACCOUNT)),
            Decision::ImplicitDeny
        );
        let unlimited = PolicySet {
            identity: vec![identity],
            ..Default::default()
        };
        assert_eq!(
            decide(&unlimited, &request(&session(), ACCOUNT)),
            Decision::Allowed
        );
        let federated = format!("arn:aws:sts::{ACCOUNT}:federated-user/carol");
        assert_eq!(
            decide(&unlimited, &request(&federated, ACCOUNT)),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn trust_and_key_policies_must_allow_the_caller_even_within_one_account() {
        let role = format!("arn:aws:iam::{ACCOUNT}:role/Auditor");
        let assume = |set: &PolicySet| {
            let mut request = Request::new(&alice(), "sts:AssumeRole", &role);
            request.resources[0].owner = Some(ACCOUNT.to_string());
            decide(set, &request)
        };
        let identity = policy(
            PolicyType::Identity,
            "p",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
        );
        let trust = |principal: &str| {
            policy(
                PolicyType::Resource,
                "trust",
                &format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
                ),
            )
        };
        let only_identity = PolicySet {
            identity: vec![identity.clone()],
            ..Default::default()
        };
        assert_eq!(assume(&only_identity), Decision::ImplicitDeny);
        let someone_else = PolicySet {
            resource: Some(trust(&format!("arn:aws:iam::{ACCOUNT}:user/bob"))),
            ..only_identity.clone()
        };
        assert_eq!(assume(&someone_else), Decision::ImplicitDeny);
        let account = PolicySet {
            resource: Some(trust(ACCOUNT)),
            ..only_identity.clone()
        };
        assert_eq!(assume(&account), Decision::Allowed);
        let account_without_identity = PolicySet {
            identity: Vec::new(),
            ..account
        };
        assert_eq!(assume(&account_without_identity), Decision::ImplicitDeny);
        let named = PolicySet {
            resource: Some(trust(&alice())),
            ..Default::default()
        };
        assert_eq!(assume(&named), Decision::Allowed);
        // The same trust policy stated as a bucket policy: the common same-account rule.
        let as_bucket = PolicySet {
            resource_kind: Some(ResourcePolicyKind::Bucket),
            ..someone_else
        };
        assert_eq!(assume(&as_bucket), Decision::Allowed);
    }

    #[test]
    fn rcps_do_not_affect_resources_of_the_management_account() {
        let set = PolicySet {
            identity: vec![policy(PolicyType::Identity, "p", allow_get())],
            rcps: vec![vec![policy(
                PolicyType::Rcp,
                "DenyGet",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
            )]],
            ..Default::default()
        };
        let mut own = request(&alice(), ACCOUNT);
        assert_eq!(decide(&set, &own), Decision::ExplicitDeny);
        own.principal.in_management_account = true;
        assert_eq!(decide(&set, &own), Decision::Allowed);
        let mut member = request(&alice(), OTHER);
        member.principal.in_management_account = true;
        assert_eq!(decide(&set, &member), Decision::ExplicitDeny);
    }
}
