//! Policies: statements with Allow/Deny, Action/NotAction, Resource/NotResource, wildcards and
//! case variations, conditions, and for resource-based policies a Principal/NotPrincipal; and
//! the policy set of a case (identity-based policies, resource-based policy — a trust policy
//! naming a web identity or SAML provider (`Federated`) for its users —, permissions boundary,
//! session policies, SCP and RCP levels either as one path or as organizations on both sides
//! (each account a member, the management account, in another organization or outside), and a
//! VPC endpoint policy).
//!
//! Patterns are drawn around the case's *focus* — the actions and resources its requests will
//! use — so that statements mostly apply, and then perturbed so that some just miss. Policies are
//! built as the evaluator's model (`iamspec::policy::Policy`); `serialise` writes them as JSON.

use iamspec::organizations::{Organization, OrganizationAccount};
use iamspec::policy::{
    ActionBlock, Effect, Policy, PolicyType, PolicyVersion, PrincipalBlock, PrincipalKind,
    PrincipalSpec, ResourceBlock, Span, Statement,
};
use iamspec::request::PrincipalType;

use crate::condition;
use crate::gen::Gen;
use crate::mutate;
use crate::settings::{Settings, Switch};
use crate::vocabulary::Vocabulary;
use crate::world::{PrincipalDef, World};

// The model of a generated policy moved to `model` (so `render` and `invalid` need not import
// this module); its names stay available here.
pub use crate::model::{Document, GenPolicy, GenPolicySet, RenderStyle};

/// What policies are drawn around: the case's caller, actions and resources.
#[derive(Debug, Clone)]
pub struct Focus {
    /// The caller.
    pub caller: PrincipalDef,
    /// Indices into the vocabulary's actions.
    pub actions: Vec<usize>,
    /// ARNs of world resources the requests will touch (`*` for actions without resource types).
    pub resources: Vec<String>,
    /// With [`Settings::realistic`]: the resource type whose resource-based policy the case
    /// has (every request is on a resource of this type).
    pub resource_policy: Option<&'static crate::vocabulary::ResourcePolicyType>,
}

/// Draws the whole policy set of a case.
pub fn generate_policy_set(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
) -> GenPolicySet {
    let mut set = GenPolicySet::default();
    let identity_count = if settings.on(Switch::MultiplePolicies) {
        g.up_to(1, settings.max_identity_policies.max(1))
    } else {
        1
    };
    // A service principal, an anonymous caller or the root user has no identity-based policies
    // in AWS's model; the case format allows them, and only the realistic preset leaves them out.
    let identity_count = if settings.realistic && crate::domains::policyless(focus.caller.kind) {
        0
    } else {
        identity_count
    };
    for i in 0..identity_count {
        set.identity.push(policy(
            g,
            settings,
            world,
            focus,
            PolicyType::Identity,
            format!("Identity{i}"),
        ));
    }
    let resource_policy = if settings.realistic {
        // Only on a type that takes one; always for a role's trust policy and a KMS key's key
        // policy (every role and key has one), and when only a resource policy can grant.
        focus.resource_policy.is_some_and(|rp| {
            rp.kind == "trust"
                || rp.kind == "key"
                || crate::domains::policyless(focus.caller.kind)
                || g.chance(75)
        })
    } else {
        settings.on(Switch::ResourcePolicy) && g.chance(35)
    };
    if resource_policy {
        set.resource = Some(policy(
            g,
            settings,
            world,
            focus,
            PolicyType::Resource,
            "ResourcePolicy".into(),
        ));
    }
    let has_boundary_owner = matches!(
        focus.caller.kind,
        PrincipalType::User | PrincipalType::AssumedRole
    );
    if settings.on(Switch::PermissionsBoundary) && has_boundary_owner && g.chance(25) {
        set.permissions_boundary = Some(policy(
            g,
            settings,
            world,
            focus,
            PolicyType::PermissionsBoundary,
            "Boundary".into(),
        ));
    }
    let is_session = matches!(
        focus.caller.kind,
        PrincipalType::AssumedRole | PrincipalType::FederatedUser
    );
    if settings.on(Switch::Session) && is_session && g.chance(25) {
        set.session.push(policy(
            g,
            settings,
            world,
            focus,
            PolicyType::Session,
            "Session0".into(),
        ));
    }
    // Organizations on both sides (the caller's account and each resource's account in or out
    // of an organization, one of them perhaps the management account) instead of one flat SCP
    // and RCP path; not for a caller already marked as of the management account (the case
    // format names it in the organization then).
    let shapes = settings.on(Switch::Organizations)
        && (settings.on(Switch::Scp) || settings.on(Switch::Rcp))
        && !focus.caller.management_account
        && g.chance(15);
    if shapes {
        set.organizations = organizations(g, settings, world, focus);
    } else {
        if settings.on(Switch::Scp) && g.chance(20) {
            set.scps = org_levels(g, settings, world, focus, PolicyType::Scp, "");
        }
        if settings.on(Switch::Rcp) && g.chance(20) {
            set.rcps = org_levels(g, settings, world, focus, PolicyType::Rcp, "");
        }
    }
    // A VPC endpoint the requests may come through (a service does not use the account's
    // endpoints).
    if settings.on(Switch::VpcEndpoint)
        && focus.caller.kind != PrincipalType::Service
        && g.chance(12)
    {
        set.vpc_endpoint = Some(policy(
            g,
            settings,
            world,
            focus,
            PolicyType::VpcEndpoint,
            "VpcEndpoint".into(),
        ));
    }
    if settings.on(Switch::InvalidPolicies) {
        for p in set.all_mut() {
            if g.chance(settings.invalid_percent) {
                crate::invalid::break_policy(g, p);
            }
        }
    }
    set
}

/// Where an account of the world stands in the organizations drawn for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// A member of the first organization.
    Member,
    /// The first organization's management account.
    Management,
    /// A member of a second organization.
    OtherOrganization,
    /// In no organization.
    Outside,
}

/// The organizations of a case: each world account is a member or the management account of
/// the first organization, a member of a second one, or outside every organization; members
/// get their own SCP and RCP levels (AWS Organizations User Guide, "Understanding SCPs and
/// RCPs").
fn organizations(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
) -> Vec<Organization<GenPolicy>> {
    let mut first = Organization {
        id: world.org_id.clone(),
        management_account: None,
        accounts: Vec::new(),
    };
    let mut second = Organization {
        id: if world.org_id == "o-2b3c4d5e6f" {
            "o-7g8h9i0j1k".into()
        } else {
            "o-2b3c4d5e6f".into()
        },
        management_account: None,
        accounts: Vec::new(),
    };
    for (n, account) in world.accounts.iter().enumerate() {
        let mut standing = match g.weighted(&[60, 14, 13, 13]) {
            1 => Standing::Management,
            2 => Standing::OtherOrganization,
            3 => Standing::Outside,
            _ => Standing::Member,
        };
        if standing == Standing::Management && first.management_account.is_some() {
            standing = Standing::Member;
        }
        let member = |g: &mut Gen<'_>| OrganizationAccount {
            account: account.clone(),
            scps: if settings.on(Switch::Scp) {
                org_levels(g, settings, world, focus, PolicyType::Scp, &format!("A{n}"))
            } else {
                Vec::new()
            },
            rcps: if settings.on(Switch::Rcp) {
                org_levels(g, settings, world, focus, PolicyType::Rcp, &format!("A{n}"))
            } else {
                Vec::new()
            },
        };
        match standing {
            Standing::Member => first.accounts.push(member(g)),
            Standing::OtherOrganization => second.accounts.push(member(g)),
            Standing::Management => {
                first.management_account = Some(account.clone());
                first.accounts.push(OrganizationAccount {
                    account: account.clone(),
                    scps: Vec::new(),
                    rcps: Vec::new(),
                });
            }
            Standing::Outside => {}
        }
    }
    [first, second]
        .into_iter()
        .filter(|o| !o.accounts.is_empty())
        .collect()
}

fn org_levels(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
    policy_type: PolicyType,
    account_tag: &str,
) -> Vec<Vec<GenPolicy>> {
    let kind = if policy_type == PolicyType::Scp {
        "Scp"
    } else {
        "Rcp"
    };
    // Policy ids are unique within a case: each account's levels get their own prefix.
    let prefix = format!("{account_tag}{kind}");
    let prefix = prefix.as_str();
    let levels = g.up_to(1, settings.max_org_levels.max(1));
    (0..levels)
        .map(|level| {
            let mut policies = Vec::new();
            // Most levels keep the full-access policy AWS attaches by default; RCPFullAWSAccess
            // cannot be detached, so realistic RCP levels always keep it.
            let keep = settings.realistic && policy_type == PolicyType::Rcp;
            if keep || !g.chance(12) {
                policies.push(full_access(
                    policy_type,
                    format!("{prefix}FullAccess{level}"),
                ));
            }
            if policies.is_empty() || g.chance(50) {
                policies.push(policy(
                    g,
                    settings,
                    world,
                    focus,
                    policy_type,
                    format!("{prefix}{level}"),
                ));
            }
            policies
        })
        .collect()
}

/// `FullAWSAccess` (SCP) or `RCPFullAWSAccess` (RCP): allow everything.
pub fn full_access(policy_type: PolicyType, id: String) -> GenPolicy {
    let principal = (policy_type == PolicyType::Rcp)
        .then_some(PrincipalBlock::Principal(PrincipalSpec::Wildcard));
    GenPolicy {
        id,
        policy_type,
        document: Document::Model {
            policy: Policy {
                version: Some(PolicyVersion::V2012_10_17),
                id: None,
                statements: vec![Statement {
                    index: 0,
                    sid: None,
                    effect: Effect::Allow,
                    principal,
                    action: ActionBlock::Action(vec!["*".into()]),
                    resource: Some(ResourceBlock::Resource(vec!["*".into()])),
                    conditions: Vec::new(),
                    span: Span::default(),
                }],
                warnings: Vec::new(),
            },
            style: RenderStyle::default(),
        },
    }
}

/// Draws one policy of a type.
pub fn policy(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
    policy_type: PolicyType,
    id: String,
) -> GenPolicy {
    // SCPs and RCPs must say Version 2012-10-17 (AWS Organizations User Guide, policy syntax).
    let org_policy = matches!(policy_type, PolicyType::Scp | PolicyType::Rcp);
    let version = if settings.on(Switch::OldVersion) && !org_policy && g.chance(6) {
        if g.chance(50) {
            Some(PolicyVersion::V2008_10_17)
        } else {
            None
        }
    } else {
        Some(PolicyVersion::V2012_10_17)
    };
    let variables_enabled = version == Some(PolicyVersion::V2012_10_17);
    let count = g.up_to(1, settings.max_statements.max(1));
    let statements = (0..count)
        .map(|index| {
            statement(
                g,
                settings,
                world,
                focus,
                policy_type,
                index,
                variables_enabled,
            )
        })
        .collect();
    let style = RenderStyle {
        statement_object: settings.on(Switch::StatementObject) && g.chance(30),
        scalar_single: g.chance(50),
        json_typed_values: settings.on(Switch::JsonTypedValues) && g.chance(30),
    };
    let mut generated = GenPolicy {
        id,
        policy_type,
        document: Document::Model {
            policy: Policy {
                version,
                id: None,
                statements,
                warnings: Vec::new(),
            },
            style,
        },
    };
    fit_size_limit(&mut generated);
    generated
}

/// Drops statements (then the last statement's conditions) until the written policy fits the
/// size limit AWS sets for its type (session policies 2,048 characters with white space...).
pub fn fit_size_limit(policy: &mut GenPolicy) {
    let Some(limit) = iamspec::policy::limits::size_limit(policy.policy_type) else {
        return;
    };
    // A cheap upper estimate first: most policies are far below every limit.
    let rough: usize = policy.model().map_or(0, |m| {
        m.statements
            .iter()
            .map(|s| {
                let patterns = match &s.action {
                    ActionBlock::Action(a) | ActionBlock::NotAction(a) => a,
                };
                let resources = match &s.resource {
                    Some(ResourceBlock::Resource(r) | ResourceBlock::NotResource(r)) => {
                        r.as_slice()
                    }
                    None => &[],
                };
                let strings: usize = patterns
                    .iter()
                    .chain(resources)
                    .map(|p| p.len() + 24)
                    .sum::<usize>()
                    + s.conditions
                        .iter()
                        .map(|c| {
                            c.key.len()
                                + c.operator_text.len()
                                + 60
                                + c.values.iter().map(|v| v.len() + 24).sum::<usize>()
                        })
                        .sum::<usize>();
                strings + 200
            })
            .sum()
    });
    if rough * 2 < limit.max_characters {
        return;
    }
    loop {
        let text = crate::render::policy_text(policy);
        if iamspec::policy::limits::check_size(&text, policy.policy_type).is_ok() {
            return;
        }
        let Some(model) = policy.model_mut() else {
            return;
        };
        if model.statements.len() > 1 {
            model.statements.pop();
        } else if let Some(s) = model.statements.first_mut() {
            if s.conditions.is_empty() {
                return;
            }
            s.conditions.pop();
        } else {
            return;
        }
    }
}

/// Draws one statement.
pub fn statement(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
    policy_type: PolicyType,
    index: usize,
    variables_enabled: bool,
) -> Statement {
    // RCPs other than the full-access one may only deny (AWS Organizations User Guide, RCP syntax).
    let effect = if policy_type == PolicyType::Rcp || g.chance(settings.deny_percent) {
        Effect::Deny
    } else {
        Effect::Allow
    };
    let principal = match policy_type {
        PolicyType::Resource => Some(principal_block(g, settings, world, focus, effect)),
        // An endpoint policy names the principals that may use the endpoint; mostly everyone
        // (AWS PrivateLink Guide, "Control access to VPC endpoints using endpoint policies").
        PolicyType::VpcEndpoint if g.chance(65) => {
            Some(PrincipalBlock::Principal(PrincipalSpec::Wildcard))
        }
        PolicyType::VpcEndpoint => Some(principal_block(g, settings, world, focus, effect)),
        PolicyType::Rcp => Some(PrincipalBlock::Principal(PrincipalSpec::Wildcard)),
        _ => None,
    };
    let focus_action = *g.pick(&focus.actions);
    let patterns = (0..g.up_to(1, settings.max_patterns.max(1)))
        .map(|_| action_pattern(g, settings, focus, focus_action))
        .fold(Vec::new(), push_unique);
    // Realistic statements keep to the focus action's service: its actions and its ARNs.
    let same_service;
    let focus = if settings.realistic {
        same_service = Focus {
            resources: focus
                .resources
                .iter()
                .filter(|arn| same_service_arn(focus_action, arn))
                .cloned()
                .collect(),
            ..focus.clone()
        };
        &same_service
    } else {
        focus
    };
    let not_action =
        settings.on(Switch::NotAction) && policy_type != PolicyType::Rcp && g.chance(10);
    let action = if not_action {
        ActionBlock::NotAction(patterns)
    } else {
        ActionBlock::Action(patterns)
    };
    let resources = (0..g.up_to(1, settings.max_patterns.max(1)))
        .map(|_| resource_pattern(g, settings, world, focus, variables_enabled))
        .fold(Vec::new(), push_unique);
    let resource = if settings.on(Switch::NotResource) && g.chance(10) {
        ResourceBlock::NotResource(resources)
    } else {
        ResourceBlock::Resource(resources)
    };
    let conditions = if settings.on(Switch::Conditions) && g.chance(settings.condition_percent) {
        let keys = Vocabulary::get().action_keys(focus_action);
        if settings.realistic {
            let real: Vec<(String, crate::vocabulary::KeyType)> = keys
                .iter()
                .filter(|(k, _)| !crate::domains::is_synthetic(k))
                .cloned()
                .collect();
            condition::generate_conditions(g, settings, world, &real, variables_enabled)
        } else {
            condition::generate_conditions(g, settings, world, keys, variables_enabled)
        }
    } else {
        Vec::new()
    };
    let sid = (settings.on(Switch::Sids) && g.chance(30)).then(|| format!("Stmt{index}"));
    Statement {
        index,
        sid,
        effect,
        principal,
        action,
        resource: Some(resource),
        conditions,
        span: Span::default(),
    }
}

/// True when `arn` is `*` or an ARN of the service of action `index` (its resource types' ARN
/// service names: `iam` for `sts`'s role).
fn same_service_arn(index: usize, arn: &str) -> bool {
    let v = Vocabulary::get();
    let si = v.actions[index].1;
    arn == "*"
        || arn
            .split(':')
            .nth(2)
            .is_some_and(|s| v.arn_services[si].iter().any(|x| x == s))
}

fn push_unique(mut list: Vec<String>, item: String) -> Vec<String> {
    if !list.contains(&item) {
        list.push(item);
    }
    list
}

/// An action pattern around `focus_action`: exact, another case, a wildcard, `*`, a near miss,
/// or another action of the vocabulary.
pub fn action_pattern(
    g: &mut Gen<'_>,
    settings: &Settings,
    focus: &Focus,
    focus_action: usize,
) -> String {
    let v = Vocabulary::get();
    let name = &v.actions[focus_action].0;
    let (service, action) = name.split_once(':').unwrap_or(("", name));
    let wild = settings.on(Switch::ActionWildcard);
    match g.weighted(&[50, 8, 10, 6, 5, 5, 8, 8]) {
        1 if settings.on(Switch::ActionCase) => {
            if g.chance(50) {
                name.to_ascii_lowercase()
            } else {
                format!("{}:{}", service.to_ascii_uppercase(), action)
            }
        }
        2 if wild => {
            let cut = g.up_to(0, action.len().saturating_sub(1));
            format!("{service}:{}*", &action[..cut])
        }
        3 if wild => "*".into(),
        4 if wild => {
            let at = g.below(action.len());
            let q: String = action
                .chars()
                .enumerate()
                .map(|(i, c)| if i == at { '?' } else { c })
                .collect();
            format!("{service}:{q}")
        }
        5 if settings.on(Switch::NearMiss) => mutate::shorten_pattern(name),
        6 if !settings.realistic => {
            let other = g.pick(&focus.actions);
            v.actions[*other].0.clone()
        }
        7 if !settings.realistic => g.pick(&v.actions).0.clone(),
        // Realistic: another action of the same service.
        6 | 7 => {
            let si = v.actions[focus_action].1;
            v.actions[*g.pick(&v.service_actions[si])].0.clone()
        }
        _ => name.clone(),
    }
}

/// A resource pattern around the focus resources: exact, `*`, a prefix wildcard, `?`, another
/// case, one character short, a policy variable, or another world resource.
pub fn resource_pattern(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
    variables_enabled: bool,
) -> String {
    let Some(arn) = g.pick_opt(&focus.resources).cloned() else {
        return "*".into();
    };
    if arn == "*" {
        return "*".into();
    }
    let wild = settings.on(Switch::ResourceWildcard);
    match g.weighted(&[35, 20, 14, 5, 4, 4, 6, 8, 4]) {
        1 => "*".into(),
        2 if wild => {
            // Cut inside the resource part (after the fifth colon) and add `*`.
            let start = arn.match_indices(':').nth(4).map_or(0, |(i, _)| i + 1);
            let cut = g.up_to(start, arn.len());
            format!("{}*", &arn[..cut])
        }
        3 if wild => {
            // A `?` inside the resource part (the ARN's prefix must stay `arn:`).
            let start = arn.match_indices(':').nth(4).map_or(0, |(i, _)| i + 1);
            let at = g.up_to(start, arn.len().saturating_sub(1));
            arn.char_indices()
                .map(|(i, c)| if i == at && c != ':' { '?' } else { c })
                .collect()
        }
        4 if settings.on(Switch::ResourceCase) => tail_upper(&arn),
        5 if settings.on(Switch::NearMiss) => mutate::shorten_pattern(&arn),
        6 if settings.on(Switch::Variables) && variables_enabled => {
            let start = arn.rfind('/').or_else(|| arn.rfind(':')).unwrap_or(0);
            format!(
                "{}{}*",
                &arn[..=start],
                condition::variable(g, settings, world)
            )
        }
        7 if !settings.realistic => g.pick(&world.resources).arn.clone(),
        8 if wild => {
            // Region and account wildcards: arn:aws:ec2:*:*:instance/*.
            let parts: Vec<&str> = arn.splitn(6, ':').collect();
            if parts.len() == 6 {
                let kind = parts[5].split('/').next().unwrap_or("");
                format!("arn:aws:{}:*:*:{}/*", parts[2], kind)
            } else {
                "*".into()
            }
        }
        _ => arn,
    }
}

/// The ARN with its resource part's first letter case flipped (resource ARNs are
/// case-sensitive, so the result should not match).
fn tail_upper(arn: &str) -> String {
    match arn.match_indices(':').nth(4) {
        Some((i, _)) => format!("{}{}", &arn[..=i], mutate::flip_case(&arn[i + 1..])),
        None => arn.to_string(),
    }
}

/// The caller named by another identity than its ARN, which only a `Principal` can do (the
/// principal kind and value): the
/// IAM user behind a federated-user session, the unique ID of its user or role, or (where
/// `canonical_ok`: Amazon S3 bucket policies) its account's canonical user ID — which one
/// varies with the other principal drawn. `None` for callers without such an identity.
fn other_identity(
    caller: &PrincipalDef,
    other: &PrincipalDef,
    canonical_ok: bool,
) -> Option<(PrincipalKind, String)> {
    let canonical = (canonical_ok
        && !matches!(
            caller.kind,
            PrincipalType::Service
                | PrincipalType::Anonymous
                | PrincipalType::WebIdentity
                | PrincipalType::Saml
        ))
    .then(|| crate::world::canonical_user(&caller.account))
    .flatten();
    let alternate = other.arn.len().is_multiple_of(2);
    let (kind, value) = match (
        crate::world::federating_user(caller),
        crate::world::unique_id(caller),
        canonical,
    ) {
        (Some(user), _, _) if alternate => (PrincipalKind::Aws, user),
        (_, Some(id), None) => (PrincipalKind::Aws, id),
        (_, Some(id), Some(_)) if alternate => (PrincipalKind::Aws, id),
        (_, _, Some(c)) => (PrincipalKind::CanonicalUser, c),
        _ => return None,
    };
    Some((kind, value))
}

fn principal_block(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
    effect: Effect,
) -> PrincipalBlock {
    let caller = &focus.caller;
    let other = g.pick(&world.principals);
    if matches!(
        caller.kind,
        PrincipalType::WebIdentity | PrincipalType::Saml
    ) && g.chance(80)
    {
        // A trust policy for a provider's user names the provider (`Federated`), or another
        // provider of the world.
        let provider = if g.chance(85)
            || !matches!(other.kind, PrincipalType::WebIdentity | PrincipalType::Saml)
        {
            caller.arn.clone()
        } else {
            other.arn.clone()
        };
        return PrincipalBlock::Principal(PrincipalSpec::Map(vec![(
            PrincipalKind::Federated,
            vec![provider],
        )]));
    }
    let mut named_as: Option<PrincipalKind> = None;
    let value = match g.weighted(&[25, 15, 15, 10, 10, 10, 10]) {
        1 => return PrincipalBlock::Principal(PrincipalSpec::Wildcard),
        2 => caller.account.clone(),
        3 => format!("arn:aws:iam::{}:root", g.pick(&world.accounts)),
        4 => caller
            .role_arn
            .clone()
            .unwrap_or_else(|| caller.arn.clone()),
        5 if matches!(other.kind, PrincipalType::WebIdentity | PrincipalType::Saml) => {
            return PrincipalBlock::Principal(PrincipalSpec::Map(vec![(
                PrincipalKind::Federated,
                vec![other.arn.clone()],
            )]))
        }
        5 => other.arn.clone(),
        // The caller by another identity than its ARN (no draw of its own, so the rest of the
        // case is drawn as before).
        6 if caller.kind != PrincipalType::Service => {
            let bucket = focus.resource_policy.is_some_and(|rp| rp.kind == "bucket");
            match other_identity(caller, other, bucket || !settings.realistic) {
                Some((kind, value)) => {
                    named_as = Some(kind);
                    value
                }
                None => caller.arn.clone(),
            }
        }
        6 if caller.kind == PrincipalType::Service => {
            return PrincipalBlock::Principal(PrincipalSpec::Map(vec![(
                PrincipalKind::Service,
                vec![caller.arn.clone()],
            )]))
        }
        _ => caller.arn.clone(),
    };
    let is_account = value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit());
    let named_otherwise = value.is_empty()
        || value.starts_with("arn:")
        || value.ends_with(".amazonaws.com")
        || is_account;
    let (kind, value) = if let Some(kind) = named_as {
        (kind, value)
    } else if !named_otherwise {
        // A web identity provider's name is only ever a `Federated` principal.
        (PrincipalKind::Federated, value)
    } else if matches!(
        caller.kind,
        PrincipalType::WebIdentity | PrincipalType::Saml
    ) && value == caller.arn
    {
        (PrincipalKind::Federated, value)
    } else if value.ends_with(".amazonaws.com") && value != "cognito-identity.amazonaws.com" {
        (PrincipalKind::Service, value)
    } else if value.is_empty() {
        (PrincipalKind::Aws, "*".to_string())
    } else {
        (PrincipalKind::Aws, value)
    };
    let spec = PrincipalSpec::Map(vec![(kind, vec![value])]);
    // NotPrincipal is not allowed in a role's trust policy (IAM User Guide, NotPrincipal).
    let trust = focus.resource_policy.is_some_and(|rp| rp.kind == "trust");
    if settings.on(Switch::NotPrincipal)
        && effect == Effect::Deny
        && !(settings.realistic && trust)
        && g.chance(15)
    {
        PrincipalBlock::NotPrincipal(spec)
    } else {
        PrincipalBlock::Principal(spec)
    }
}
