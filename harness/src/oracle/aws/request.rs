//! A case as `SimulateCustomPolicy` (or `SimulatePrincipalPolicy`) calls: what the simulator
//! can express, grouped so that one call decides every action × resource that shares a policy
//! set, a context, a resource owner and a resource-handling scenario.
//!
//! Everything here is plain data (no SDK types): a [`CallScope`] is also the content the answer
//! cache is keyed by. What the simulator cannot express is an [`Unsupported`] reason, which the
//! oracle reports as "could not answer: unsupported", never as a difference. The sources of each
//! rule are the IAM API reference pages of the two operations (botocore's IAM model,
//! `botocore/data/iam/2010-05-08/service-2.json`, read 2026-11-26).

use std::collections::BTreeMap;

use iamspec_format::{Case, CasePolicy, CaseRequest, CaseResource, ContextItem};
use serde::{Deserialize, Serialize};

/// The most organization levels `OrderedOrganizationPolicyInputList` takes (root first).
pub const MAX_ORGANIZATION_LEVELS: usize = 7;
/// The longest policy document the simulator takes, in characters.
pub const MAX_POLICY_CHARS: usize = 131_072;

/// Which operation a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Api {
    /// `iam:SimulateCustomPolicy`: every policy given in the call.
    SimulateCustomPolicy,
    /// `iam:SimulatePrincipalPolicy`: a sandbox principal, its own attachments left out.
    SimulatePrincipalPolicy,
}

impl Api {
    /// The operation's name.
    pub fn name(self) -> &'static str {
        match self {
            Api::SimulateCustomPolicy => "SimulateCustomPolicy",
            Api::SimulatePrincipalPolicy => "SimulatePrincipalPolicy",
        }
    }
}

/// Which operation the oracle calls, and for `SimulatePrincipalPolicy` whom it simulates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// `SimulateCustomPolicy`.
    Custom,
    /// `SimulatePrincipalPolicy` against this sandbox user, group or role, with its own
    /// attached policies excluded (`PolicyExclusionList`) so that only the case's policies count.
    Principal {
        /// The sandbox principal's ARN (`--principal`).
        arn: String,
    },
    /// `SimulatePrincipalPolicy` against this sandbox user or role with its own policies: nothing
    /// attached to it is excluded and the case's identity-based policies and boundary — the
    /// principal's, read from an account snapshot (`--account-snapshot`) — are not sent.
    PrincipalOwn {
        /// The sandbox principal's ARN (`--principal`).
        arn: String,
    },
}

/// One typed context entry (`ContextEntries`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ContextEntry {
    /// `ContextKeyName`.
    pub key: String,
    /// `ContextKeyType` (the simulator's twelve names, as the case writes them).
    #[serde(rename = "type")]
    pub key_type: String,
    /// `ContextKeyValues`.
    pub values: Vec<String>,
}

/// Everything of a call except its actions and resources: one call decides every action ×
/// resource of a scope, and the answer cache is keyed by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CallScope {
    /// The operation.
    pub api: Api,
    /// `PolicySourceArn` (`SimulatePrincipalPolicy` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_source_arn: Option<String>,
    /// `PolicyExclusionList` by policy type (`SimulatePrincipalPolicy` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_exclusions: Vec<String>,
    /// `PolicyInputList`: the identity-based policies, in the case's order.
    pub policies: Vec<String>,
    /// `PermissionsBoundaryPolicyInputList` (at most one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// `OrderedOrganizationPolicyInputList`: SCPs by level, root first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organization_levels: Vec<Vec<String>>,
    /// `ResourcePolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_policy: Option<String>,
    /// `ResourceOwner` (`arn:aws:iam::ACCOUNT:root`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_owner: Option<String>,
    /// `CallerArn` (an IAM user, group or role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_arn: Option<String>,
    /// `ContextEntries`, sorted by key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextEntry>,
    /// `ResourceHandlingOption` (the EC2 RunInstances scenarios).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_handling_option: Option<String>,
}

/// One call to make: a scope and the actions × resources it decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// What the call shares.
    pub scope: CallScope,
    /// `ActionNames` (unique, in first-need order).
    pub actions: Vec<String>,
    /// `ResourceArns` (unique, in first-need order; `*` for "all resources").
    pub resources: Vec<String>,
}

impl Call {
    /// How many decisions the simulator makes in this call (actions × resources).
    pub fn decisions(&self) -> usize {
        self.actions.len() * self.resources.len()
    }
}

/// One decision a request needs: the answer for `action` on `resource` under `scope`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Need {
    /// Index into [`Plan::calls`].
    pub call: usize,
    /// The action.
    pub action: String,
    /// The resource ARN (or `*`).
    pub resource: String,
}

/// Why the simulator cannot express a case or a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a policy given to the simulator came from in the case: what the simulator's
/// `SourcePolicyId` names, mapped back to the case's policy id and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentPolicy {
    /// The simulator's identifier of this input (`PolicyInputList.1`, `ResourcePolicy`...).
    pub input_id: String,
    /// The kind of input.
    pub kind: SentKind,
    /// The case's policy id.
    pub case_id: String,
    /// The text sent.
    pub text: String,
}

/// The kind of a policy input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentKind {
    /// `PolicyInputList`.
    Identity,
    /// `PermissionsBoundaryPolicyInputList`.
    PermissionsBoundary,
    /// `ResourcePolicy`.
    Resource,
}

/// The calls a case needs and, per request, the decisions it is made of (or why the simulator
/// cannot express it).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The calls, each deciding every action × resource of its scope.
    pub calls: Vec<Call>,
    /// Per request of the case, in order: the decisions of its resources, in order.
    pub requests: Vec<Result<Vec<Need>, Unsupported>>,
    /// The policies sent, for mapping matched statements back.
    pub sent: Vec<SentPolicy>,
    /// True when the case has SCPs: the simulator then returns neither SCP statements nor SCP
    /// context keys, so its matched statements and missing keys are incomplete.
    pub has_scps: bool,
}

/// Plans `case` (as the other side sees it: documents as sent) for `target`. A case the
/// simulator cannot express at all is `Err`.
pub fn plan(case: &Case, target: &Target) -> Result<Plan, Unsupported> {
    let p = &case.policies;
    if !p.session.is_empty() {
        return Err(unsupported(
            "session policies: the simulator takes no session policies (PolicyInputList must not hold scope-down policies)",
        ));
    }
    if p.rcps.iter().any(|level| !level.is_empty()) {
        return Err(unsupported(
            "resource control policies: SimulateCustomPolicy does not support RCPs",
        ));
    }
    if p.vpc_endpoint.is_some() {
        return Err(unsupported(
            "a VPC endpoint policy: the simulator takes no VPC endpoint policies",
        ));
    }
    if p.organizations
        .iter()
        .flat_map(|o| &o.accounts)
        .any(|a| a.rcps.iter().any(|level| !level.is_empty()))
    {
        return Err(unsupported(
            "resource control policies: SimulateCustomPolicy does not support RCPs",
        ));
    }
    let caller = Caller::of(case);
    let scp_levels = scp_levels(case, &caller);
    if scp_levels.len() > MAX_ORGANIZATION_LEVELS {
        return Err(Unsupported(format!(
            "{} SCP levels: OrderedOrganizationPolicyInputList takes at most {MAX_ORGANIZATION_LEVELS}",
            scp_levels.len()
        )));
    }
    match caller.kind {
        CallerKind::Service | CallerKind::Anonymous => {
            return Err(Unsupported(format!(
                "caller `{}`: the simulator cannot simulate a service principal or an anonymous caller (it applies PolicyInputList as the caller's identity-based policies)",
                case.principal.arn
            )))
        }
        CallerKind::FederatedUser => {
            // Found by the differential run on the synthetic simulator: the reference denies
            // what a federated user's IAM user's policies allow (no session policy), the
            // simulator, given those policies, allows it.
            return Err(Unsupported(format!(
                "caller `{}`: a federated user has the intersection of its IAM user's policies and the session policy passed to GetFederationToken (none passed: no permissions, IAM User Guide \"Session policies\"), and the simulator takes no session policies",
                case.principal.arn
            )))
        }
        CallerKind::Root => {
            return Err(Unsupported(format!(
                "caller `{}`: the simulator cannot simulate the root user (CallerArn must be an IAM user, group or role)",
                case.principal.arn
            )))
        }
        _ => {}
    }
    // The caller's identities besides its ARN: the simulator knows a caller by `CallerArn` only
    // (a real or invented ARN), not the user behind a federated-user session, an invented
    // unique ID or a canonical user ID that a `Principal` may name.
    for (field, given) in [
        ("user", case.principal.user.is_some()),
        ("unique_id", case.principal.unique_id.is_some()),
        ("canonical_user", case.principal.canonical_user.is_some()),
    ] {
        if given {
            return Err(Unsupported(format!(
                "`principal.{field}`: the simulator knows the caller by CallerArn only"
            )));
        }
    }
    let has_scps = scp_levels.iter().any(|l| !l.is_empty());
    if has_scps && case.principal.management_account {
        return Err(unsupported(
            "a caller of the management account with SCPs: the simulator applies OrderedOrganizationPolicyInputList to every caller",
        ));
    }
    if has_scps && caller.service_linked {
        return Err(unsupported(
            "a service-linked role with SCPs: the simulator applies OrderedOrganizationPolicyInputList to every caller",
        ));
    }
    if p.resource.is_some() && caller.arn_for_api().is_none() {
        return Err(Unsupported(format!(
            "a resource policy with caller `{}`: CallerArn is required with a ResourcePolicy and must be an IAM user, group or role (not a session, federated user or service)",
            case.principal.arn
        )));
    }

    let mut sent = Vec::new();
    let mut policies = Vec::new();
    // With the principal's own policies, its identity policies and boundary are attached in the
    // account: the simulator reads them there, and they are not sent again.
    let own = matches!(target, Target::PrincipalOwn { .. });
    let (identity, boundary) = if own {
        (&[][..], None)
    } else {
        (&p.identity[..], p.permissions_boundary.as_ref())
    };
    for (i, policy) in identity.iter().enumerate() {
        let text = document(policy)?;
        sent.push(SentPolicy {
            input_id: format!("PolicyInputList.{}", i + 1),
            kind: SentKind::Identity,
            case_id: policy.id.clone(),
            text: text.clone(),
        });
        policies.push(text);
    }
    let permissions_boundary = match boundary {
        Some(policy) => {
            let text = document(policy)?;
            sent.push(SentPolicy {
                input_id: "PermissionsBoundaryPolicyInputList.1".to_string(),
                kind: SentKind::PermissionsBoundary,
                case_id: policy.id.clone(),
                text: text.clone(),
            });
            Some(text)
        }
        None => None,
    };
    let resource_policy = match &p.resource {
        Some(policy) => {
            let text = document(policy)?;
            sent.push(SentPolicy {
                input_id: "ResourcePolicy".to_string(),
                kind: SentKind::Resource,
                case_id: policy.id.clone(),
                text: text.clone(),
            });
            Some(text)
        }
        None => None,
    };
    let organization_levels = scp_levels
        .iter()
        .map(|level| level.iter().map(document).collect::<Result<Vec<_>, _>>())
        .collect::<Result<Vec<_>, _>>()?;
    if let Target::Custom = target {
        if policies.is_empty() {
            return Err(unsupported(
                "no identity-based policy: PolicyInputList is required by SimulateCustomPolicy",
            ));
        }
    }
    let (api, policy_source_arn, policy_exclusions) = match target {
        Target::Custom => (Api::SimulateCustomPolicy, None, Vec::new()),
        Target::PrincipalOwn { arn } => (
            Api::SimulatePrincipalPolicy,
            Some(arn.clone()),
            // Everything attached counts; the account's SCPs are left out only when the case
            // gives its own.
            has_scps.then(|| "scp".to_string()).into_iter().collect(),
        ),
        Target::Principal { arn } => (
            Api::SimulatePrincipalPolicy,
            Some(arn.clone()),
            // Leave out everything attached to the sandbox principal: only the case's policies
            // count. SCPs of the sandbox account are left out only when the case gives its own.
            [
                "inline",
                "aws-managed",
                "user-managed",
                "permission-boundary",
            ]
            .into_iter()
            .chain(has_scps.then_some("scp"))
            .map(str::to_string)
            .collect(),
        ),
    };
    let base = CallScope {
        api,
        policy_source_arn,
        policy_exclusions,
        policies,
        permissions_boundary,
        organization_levels,
        resource_policy,
        resource_owner: None,
        caller_arn: None,
        context: Vec::new(),
        resource_handling_option: None,
    };

    let mut planner = Planner::default();
    let requests = case
        .requests
        .iter()
        .map(|request| plan_request(&mut planner, &base, &caller, case, request))
        .collect();
    Ok(Plan {
        calls: planner.calls,
        requests,
        sent,
        has_scps,
    })
}

/// The SCP levels that bind the caller: `policies.scps`, or with `policies.organizations` the
/// path of the caller's account (none for the management account or an account in no
/// organization), which is what `OrderedOrganizationPolicyInputList` describes.
fn scp_levels(case: &Case, caller: &Caller) -> Vec<Vec<CasePolicy>> {
    let p = &case.policies;
    if p.organizations.is_empty() {
        return p.scps.clone();
    }
    let Some(account) = caller.account.as_deref() else {
        return Vec::new();
    };
    for org in &p.organizations {
        if org.management_account.as_deref() == Some(account) {
            return Vec::new();
        }
        if let Some(a) = org.accounts.iter().find(|a| a.account == account) {
            return a.scps.clone();
        }
    }
    Vec::new()
}

fn unsupported(message: &str) -> Unsupported {
    Unsupported(message.to_string())
}

/// The policy text, checked against what the simulator's API takes (1-131,072 characters of
/// tab, line feed, carriage return and U+0020-U+00FF).
fn document(policy: &CasePolicy) -> Result<String, Unsupported> {
    let text = policy.text().map_err(|e| {
        Unsupported(format!(
            "policy `{}`: the document is not a JSON string: {e}",
            policy.id
        ))
    })?;
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_POLICY_CHARS {
        return Err(Unsupported(format!(
            "policy `{}`: {chars} characters; the simulator takes 1 to {MAX_POLICY_CHARS}",
            policy.id
        )));
    }
    if let Some(c) = text
        .chars()
        .find(|c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
    {
        return Err(Unsupported(format!(
            "policy `{}`: the character U+{:04X} is outside what the simulator's API takes (tab, line feed, carriage return, U+0020-U+00FF)",
            policy.id, c as u32
        )));
    }
    Ok(text)
}

#[derive(Default)]
struct Planner {
    calls: Vec<Call>,
    by_scope: BTreeMap<CallScope, usize>,
}

impl Planner {
    fn need(&mut self, scope: CallScope, action: &str, resource: &str) -> Need {
        let index = match self.by_scope.get(&scope) {
            Some(&i) => i,
            None => {
                self.calls.push(Call {
                    scope: scope.clone(),
                    actions: Vec::new(),
                    resources: Vec::new(),
                });
                self.by_scope.insert(scope, self.calls.len() - 1);
                self.calls.len() - 1
            }
        };
        let call = &mut self.calls[index];
        if !call.actions.iter().any(|a| a == action) {
            call.actions.push(action.to_string());
        }
        if !call.resources.iter().any(|r| r == resource) {
            call.resources.push(resource.to_string());
        }
        Need {
            call: index,
            action: action.to_string(),
            resource: resource.to_string(),
        }
    }
}

fn plan_request(
    planner: &mut Planner,
    base: &CallScope,
    caller: &Caller,
    case: &Case,
    request: &CaseRequest,
) -> Result<Vec<Need>, Unsupported> {
    let action = request.action.as_str();
    if action.contains(['*', '?']) {
        return Err(Unsupported(format!(
            "action `{action}`: ActionNames takes no wildcards"
        )));
    }
    let chars = action.chars().count();
    if !(3..=128).contains(&chars) || !action.contains(':') {
        return Err(Unsupported(format!(
            "action `{action}`: ActionNames takes `service:Action` names of 3 to 128 characters"
        )));
    }
    let resources: Vec<&CaseResource> = match (&request.resource, &request.resources) {
        (Some(r), _) => vec![r],
        (None, Some(list)) if !list.is_empty() => list.iter().collect(),
        _ => return Err(unsupported("a request without resources")),
    };
    // One context per call: resources of one request whose own context differs go to
    // different calls; all of them together only when they share it (then the EC2 scenario
    // applies).
    let same_context = resources.windows(2).all(|w| {
        entries(&request.context, &w[0].context) == entries(&request.context, &w[1].context)
    });
    let handling = if same_context && resources.len() > 1 {
        resource_handling_option(action, &resources)
    } else {
        None
    };
    let mut needs = Vec::new();
    for resource in resources {
        let arn = resource.arn.as_str();
        if arn.is_empty() || arn.chars().count() > 2048 {
            return Err(Unsupported(format!(
                "resource `{arn}`: ResourceArns takes 1 to 2,048 characters"
            )));
        }
        if base.resource_policy.is_some() && is_iam_role(arn) {
            return Err(Unsupported(format!(
                "resource `{arn}`: \"Simulation of resource-based policies isn't supported for IAM roles\""
            )));
        }
        let context = entries(&request.context, &resource.context);
        if let Some(e) = context
            .iter()
            .find(|e| !(5..=256).contains(&e.key.chars().count()))
        {
            return Err(Unsupported(format!(
                "context key `{}`: ContextKeyName takes 5 to 256 characters",
                e.key
            )));
        }
        let owner = resource.owner.as_deref().or(caller.account.as_deref());
        let cross_account = owner.is_some() && owner != caller.account.as_deref();
        // CallerArn: the caller whenever the simulator accepts it (required with a resource
        // policy, and what a resource of another account is compared with); a session or a
        // federated user can be simulated only without (identity-based policies alone).
        let caller_arn = caller.arn_for_api();
        if caller_arn.is_none() && (base.resource_policy.is_some() || cross_account) {
            return Err(Unsupported(format!(
                "a resource of account {} with caller `{}`: CallerArn must be an IAM user, group or role",
                owner.unwrap_or("?"),
                case.principal.arn
            )));
        }
        // ResourceOwner: only for a resource of another account (else the owner defaults to
        // CallerArn's account, which is the case's).
        let scope = CallScope {
            resource_owner: cross_account
                .then(|| format!("arn:aws:iam::{}:root", owner.unwrap_or(""))),
            caller_arn,
            context,
            resource_handling_option: handling.map(str::to_string),
            ..base.clone()
        };
        needs.push(planner.need(scope, action, arn));
    }
    Ok(needs)
}

/// The request's context with a resource's own keys over it, sorted by key.
fn entries(request: &[ContextItem], resource: &[ContextItem]) -> Vec<ContextEntry> {
    let mut by_key: BTreeMap<String, ContextEntry> = BTreeMap::new();
    for item in request.iter().chain(resource) {
        by_key.insert(
            item.key.to_ascii_lowercase(),
            ContextEntry {
                key: item.key.clone(),
                key_type: item.key_type.clone(),
                values: item.values.clone(),
            },
        );
    }
    by_key.into_values().collect()
}

fn is_iam_role(arn: &str) -> bool {
    iamspec::matching::arn::split_value(arn).is_some_and(|[_, _, service, _, _, resource]| {
        service == "iam" && resource.starts_with("role/")
    })
}

/// The EC2 RunInstances scenario (`ResourceHandlingOption`) whose required resources the
/// request names: instance, image, security group and network interface always; a subnet for
/// the `-Subnet` scenarios; a volume for the `EBS` ones. `None` when it is not RunInstances or a
/// required resource is missing (then the call names no scenario).
pub fn resource_handling_option(action: &str, resources: &[&CaseResource]) -> Option<&'static str> {
    if !action.eq_ignore_ascii_case("ec2:RunInstances") {
        return None;
    }
    let has = |kind: &str| {
        resources.iter().any(|r| {
            r.arn
                .splitn(6, ':')
                .nth(5)
                .is_some_and(|rest| rest.starts_with(&format!("{kind}/")))
        })
    };
    if !(has("instance") && has("image") && has("security-group") && has("network-interface")) {
        return None;
    }
    Some(match (has("volume"), has("subnet")) {
        (false, false) => "EC2-VPC-InstanceStore",
        (false, true) => "EC2-VPC-InstanceStore-Subnet",
        (true, false) => "EC2-VPC-EBS",
        (true, true) => "EC2-VPC-EBS-Subnet",
    })
}

/// The kinds of caller the simulator does or does not accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CallerKind {
    User,
    Role,
    Group,
    Session,
    FederatedUser,
    Root,
    Service,
    Anonymous,
}

struct Caller {
    kind: CallerKind,
    arn: String,
    account: Option<String>,
    service_linked: bool,
}

impl Caller {
    fn of(case: &Case) -> Caller {
        let p = &case.principal;
        let parts: Vec<&str> = p.arn.splitn(6, ':').collect();
        let iam = parts.len() == 6 && parts[0] == "arn";
        let rest = if iam { parts[5] } else { "" };
        let from_arn = if p.arn == "*" {
            CallerKind::Anonymous
        } else if !iam {
            CallerKind::Service
        } else if rest == "root" {
            CallerKind::Root
        } else if rest.starts_with("user/") {
            CallerKind::User
        } else if rest.starts_with("role/") {
            CallerKind::Role
        } else if rest.starts_with("group/") {
            CallerKind::Group
        } else if rest.starts_with("assumed-role/") {
            CallerKind::Session
        } else if rest.starts_with("federated-user/") {
            CallerKind::FederatedUser
        } else {
            CallerKind::Service
        };
        let kind = match p.principal_type.as_deref() {
            Some("user") => CallerKind::User,
            Some("role") => CallerKind::Role,
            Some("assumed-role") => CallerKind::Session,
            Some("federated-user") => CallerKind::FederatedUser,
            Some("root") => CallerKind::Root,
            Some("service") => CallerKind::Service,
            Some("anonymous") => CallerKind::Anonymous,
            _ => from_arn,
        };
        let account = p
            .account
            .clone()
            .or_else(|| (iam && !parts[4].is_empty()).then(|| parts[4].to_string()));
        Caller {
            kind,
            arn: p.arn.clone(),
            account,
            service_linked: rest.starts_with("role/aws-service-role/"),
        }
    }

    /// The caller as `CallerArn`, when the simulator accepts it there.
    fn arn_for_api(&self) -> Option<String> {
        matches!(
            self.kind,
            CallerKind::User | CallerKind::Role | CallerKind::Group
        )
        .then(|| self.arn.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(principal: &str, policies: &str, requests: &str) -> Case {
        serde_json::from_str(&format!(
            r#"{{"description":"d","source":{{"kind":"seeds","ref":"r"}},"features":[],
                "principal":{principal},"policies":{policies},"requests":{requests}}}"#
        ))
        .unwrap()
    }

    const USER: &str = r#"{"arn":"arn:aws:iam::111122223333:user/alice"}"#;
    const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;

    fn request(name: &str, action: &str, arn: &str, context: &str) -> String {
        format!(
            r#"{{"name":"{name}","action":"{action}","resource":{{"arn":"{arn}"}},"context":{context},"expect":{{"decision":"allowed"}}}}"#
        )
    }

    #[test]
    fn requests_sharing_policies_and_context_go_in_one_call() {
        let ctx = r#"[{"key":"aws:SourceIp","type":"ip","values":["10.0.0.1"]}]"#;
        let requests = format!(
            "[{},{},{},{}]",
            request("a", "s3:GetObject", "arn:aws:s3:::b/k", ctx),
            request("b", "s3:PutObject", "arn:aws:s3:::b/k", ctx),
            request("c", "s3:GetObject", "arn:aws:s3:::b/other", ctx),
            request("d", "s3:GetObject", "arn:aws:s3:::b/k", "[]"),
        );
        let c = case(
            USER,
            &format!(r#"{{"identity":[{{"id":"P","document":{DOC}}}]}}"#),
            &requests,
        );
        let plan = plan(&c, &Target::Custom).unwrap();
        assert_eq!(plan.calls.len(), 2, "{plan:#?}");
        let first = &plan.calls[0];
        assert_eq!(first.actions, ["s3:GetObject", "s3:PutObject"]);
        assert_eq!(
            first.resources,
            ["arn:aws:s3:::b/k", "arn:aws:s3:::b/other"]
        );
        assert_eq!(first.decisions(), 4);
        assert_eq!(first.scope.context[0].key_type, "ip");
        assert_eq!(first.scope.policies, [DOC.to_string()]);
        assert_eq!(first.scope.api, Api::SimulateCustomPolicy);
        assert!(plan.calls[1].scope.context.is_empty());
        let needs: Vec<usize> = plan
            .requests
            .iter()
            .map(|r| r.as_ref().unwrap()[0].call)
            .collect();
        assert_eq!(needs, [0, 0, 0, 1]);
        assert_eq!(plan.sent[0].input_id, "PolicyInputList.1");
        assert_eq!(plan.sent[0].case_id, "P");
    }

    #[test]
    fn what_the_simulator_cannot_express_is_unsupported() {
        let req = format!(
            "[{}]",
            request("a", "s3:GetObject", "arn:aws:s3:::b/k", "[]")
        );
        let with = |principal: &str, policies: &str| {
            plan(&case(principal, policies, &req), &Target::Custom)
        };
        let identity = format!(r#""identity":[{{"id":"P","document":{DOC}}}]"#);
        let session = with(
            USER,
            &format!(r#"{{{identity},"session":[{{"id":"S","document":{DOC}}}]}}"#),
        );
        assert!(session.unwrap_err().0.contains("session policies"));
        let rcp = with(
            USER,
            &format!(r#"{{{identity},"rcps":[[{{"id":"R","document":{DOC}}}]]}}"#),
        );
        assert!(rcp.unwrap_err().0.contains("RCP"));
        let eight = format!(
            "[{}]",
            vec![format!(r#"[{{"id":"S","document":{DOC}}}]"#); 8].join(",")
        );
        let scps = with(USER, &format!(r#"{{{identity},"scps":{eight}}}"#));
        assert!(scps.unwrap_err().0.contains("at most 7"));
        let seven = format!(
            "[{}]",
            vec![format!(r#"[{{"id":"S","document":{DOC}}}]"#); 7].join(",")
        );
        let ok = with(USER, &format!(r#"{{{identity},"scps":{seven}}}"#)).unwrap();
        assert_eq!(ok.calls[0].scope.organization_levels.len(), 7);
        assert!(ok.has_scps);
        let vpce = with(
            USER,
            &format!(r#"{{{identity},"vpc_endpoint":{{"id":"E","document":{DOC}}}}}"#),
        );
        assert!(vpce.unwrap_err().0.contains("VPC endpoint"));
        let federated = with(
            r#"{"arn":"arn:aws:sts::111122223333:federated-user/carol"}"#,
            &format!("{{{identity}}}"),
        );
        assert!(federated.unwrap_err().0.contains("GetFederationToken"));
        let org = |management: &str| {
            format!(
                r#"{{{identity},"organizations":[{{"id":"o-1","management_account":"{management}","accounts":[
                    {{"account":"111122223333","scps":[[{{"id":"Root","document":{DOC}}}],[{{"id":"Ou","document":{DOC}}}]]}},
                    {{"account":"999999999999"}}]}}]}}"#
            )
        };
        let member = with(USER, &org("999999999999")).unwrap();
        assert_eq!(member.calls[0].scope.organization_levels.len(), 2);
        let management = with(USER, &org("111122223333")).unwrap();
        assert!(management.calls[0].scope.organization_levels.is_empty());
        let service = with(
            r#"{"arn":"ec2.amazonaws.com","type":"service"}"#,
            &format!("{{{identity}}}"),
        );
        assert!(service.unwrap_err().0.contains("service principal"));
        let anonymous = with(
            r#"{"arn":"*","type":"anonymous"}"#,
            &format!("{{{identity}}}"),
        );
        assert!(anonymous.is_err());
        let session_caller = r#"{"arn":"arn:aws:sts::111122223333:assumed-role/R/s"}"#;
        // A session is fine without a resource policy (only identity policies decide)...
        assert!(with(session_caller, &format!("{{{identity}}}")).is_ok());
        // ...but not as CallerArn.
        let rp = format!(r#"{{{identity},"resource":{{"id":"B","document":{DOC}}}}}"#);
        assert!(with(session_caller, &rp)
            .unwrap_err()
            .0
            .contains("CallerArn"));
        let with_rp = with(USER, &rp).unwrap();
        assert_eq!(
            with_rp.calls[0].scope.caller_arn.as_deref(),
            Some("arn:aws:iam::111122223333:user/alice")
        );
        assert_eq!(with_rp.sent[1].input_id, "ResourcePolicy");
        let wide = r#"{"identity":[{"id":"P","document":"{\"Version\":\"2012-10-17\",\"Statement\":[],\"Sid\":\"\u0100\"}"}]}"#;
        assert!(with(USER, wide).unwrap_err().0.contains("U+0100"));
        let star = format!("[{}]", request("a", "s3:Get*", "*", "[]"));
        let p = plan(
            &case(USER, &format!("{{{identity}}}"), &star),
            &Target::Custom,
        )
        .unwrap();
        assert!(p.requests[0].as_ref().unwrap_err().0.contains("wildcards"));
    }

    #[test]
    fn a_resource_policy_on_an_iam_role_and_cross_account_callers() {
        let rp = format!(
            r#"{{"identity":[{{"id":"P","document":{DOC}}}],"resource":{{"id":"T","document":{DOC}}}}}"#
        );
        let req = format!(
            "[{}]",
            request(
                "a",
                "sts:AssumeRole",
                "arn:aws:iam::111122223333:role/R",
                "[]"
            )
        );
        let p = plan(&case(USER, &rp, &req), &Target::Custom).unwrap();
        assert!(p.requests[0].as_ref().unwrap_err().0.contains("IAM roles"));
        let cross = r#"[{"name":"x","action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k","owner":"444455556666"},"expect":{"decision":"allowed"}}]"#;
        let p = plan(&case(USER, &rp, cross), &Target::Custom).unwrap();
        let scope = &p.calls[0].scope;
        assert_eq!(
            scope.resource_owner.as_deref(),
            Some("arn:aws:iam::444455556666:root")
        );
        assert!(scope.caller_arn.is_some());
        let session = r#"{"arn":"arn:aws:sts::111122223333:assumed-role/R/s"}"#;
        let identity_only = format!(r#"{{"identity":[{{"id":"P","document":{DOC}}}]}}"#);
        let p = plan(&case(session, &identity_only, cross), &Target::Custom).unwrap();
        assert!(p.requests[0].as_ref().unwrap_err().0.contains("CallerArn"));
    }

    #[test]
    fn run_instances_with_its_required_resources_names_the_scenario() {
        let arn =
            |kind: &str| format!(r#"{{"arn":"arn:aws:ec2:us-east-1:111122223333:{kind}/x"}}"#);
        let kinds = [
            "instance",
            "image",
            "security-group",
            "network-interface",
            "subnet",
            "volume",
        ];
        let request = format!(
            r#"[{{"name":"run","action":"ec2:RunInstances","resources":[{}],"expect":{{"decision":"allowed"}}}}]"#,
            kinds.iter().map(|k| arn(k)).collect::<Vec<_>>().join(",")
        );
        let c = case(
            USER,
            &format!(r#"{{"identity":[{{"id":"P","document":{DOC}}}]}}"#),
            &request,
        );
        let p = plan(&c, &Target::Custom).unwrap();
        assert_eq!(p.calls.len(), 1);
        assert_eq!(
            p.calls[0].scope.resource_handling_option.as_deref(),
            Some("EC2-VPC-EBS-Subnet")
        );
        assert_eq!(p.requests[0].as_ref().unwrap().len(), 6);
        let resources: Vec<CaseResource> = kinds[..4]
            .iter()
            .map(|k| serde_json::from_str(&arn(k)).unwrap())
            .collect();
        let refs: Vec<&CaseResource> = resources.iter().collect();
        assert_eq!(
            resource_handling_option("ec2:RunInstances", &refs),
            Some("EC2-VPC-InstanceStore")
        );
        assert_eq!(
            resource_handling_option("ec2:RunInstances", &refs[..3]),
            None
        );
        assert_eq!(resource_handling_option("ec2:StartInstances", &refs), None);
    }

    #[test]
    fn the_principal_api_excludes_the_sandbox_principals_own_policies() {
        let req = format!(
            "[{}]",
            request("a", "s3:GetObject", "arn:aws:s3:::b/k", "[]")
        );
        let c = case(
            USER,
            &format!(r#"{{"identity":[{{"id":"P","document":{DOC}}}]}}"#),
            &req,
        );
        let target = Target::Principal {
            arn: "arn:aws:iam::111122223333:user/iamspec-sandbox".into(),
        };
        let p = plan(&c, &target).unwrap();
        let scope = &p.calls[0].scope;
        assert_eq!(scope.api, Api::SimulatePrincipalPolicy);
        assert_eq!(
            scope.policy_source_arn.as_deref(),
            Some("arn:aws:iam::111122223333:user/iamspec-sandbox")
        );
        assert_eq!(
            scope.policy_exclusions,
            [
                "inline",
                "aws-managed",
                "user-managed",
                "permission-boundary"
            ]
        );
    }
}
