//! Requests drawn from the world: a caller, an action of the case's focus, the resources the
//! action touches (several for RunInstances), and the context keys the action, its resources and
//! the caller carry — each present or absent by chance, with values from the same pools the
//! policies use. Near-miss requests copy one and change one thing (a key dropped, a value one
//! step away).
//!
//! This module builds requests; it does not decide them.

use iamspec::context::{ContextEntry, ContextKeyType, RequestContext};
use iamspec::request::{Principal, PrincipalType, Request, RequestResource};

use crate::gen::Gen;
use crate::keys::{instantiate, userid, world_values, Key};
use crate::mutate;
use crate::policy::Focus;
use crate::realism::provider_in_another_account;
use crate::settings::{Settings, Switch};
use crate::values;
use crate::vocabulary::{KeyType, ResourcePolicyType, Vocabulary};
use crate::world::{PrincipalDef, ResourceDef, World};

/// One resource of a generated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenResource {
    /// Its ARN, or `*`.
    pub arn: String,
    /// Its owning account, if known.
    pub owner: Option<String>,
    /// Its own context keys (tags, attributes).
    pub context: Vec<ContextEntry>,
}

/// A generated request (the caller is the case's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenRequest {
    /// Unique within the case.
    pub name: String,
    /// The action.
    pub action: String,
    /// The resources (at least one).
    pub resources: Vec<GenResource>,
    /// The request's own context keys.
    pub context: Vec<ContextEntry>,
    /// For a near-miss copy: the named mutation that made it ([`KEY_LEFT_OUT`], ...) and what
    /// it changed, `None` for a request drawn afresh.
    pub mutation: Option<String>,
    /// What the mutation changed (`aws:SourceIp`, `s3:TlsVersion 1.2 -> 1.3`).
    pub mutation_detail: Option<String>,
}

/// Near miss: a context key left out (the only way a realistic request lacks a key that is
/// always present).
pub const KEY_LEFT_OUT: &str = "key-left-out";
/// Near miss: a value moved one step (a number one off, a date one second, a neighbouring
/// address, another letter case), inside the key's domain.
pub const VALUE_STEP: &str = "value-one-step";
/// Near miss: a value moved to the edge of its key's domain (0 for a count of seconds).
pub const DOMAIN_EDGE: &str = "value-at-domain-edge";
/// Near miss: a tag value replaced by another value of the pool.
pub const WRONG_TAG_VALUE: &str = "wrong-tag-value";
/// Near miss: an account id replaced by another account of the world.
pub const OTHER_ACCOUNT: &str = "other-account";
/// Every named near miss.
pub const MUTATIONS: &[&str] = &[
    KEY_LEFT_OUT,
    VALUE_STEP,
    DOMAIN_EDGE,
    WRONG_TAG_VALUE,
    OTHER_ACCOUNT,
];

impl GenRequest {
    /// Every context entry of the request: its own keys, then each resource's.
    pub fn all_context(&self) -> impl Iterator<Item = &ContextEntry> {
        self.context
            .iter()
            .chain(self.resources.iter().flat_map(|x| x.context.iter()))
    }

    /// The evaluator's request for this caller.
    pub fn to_request(&self, caller: &PrincipalDef) -> Request {
        Request {
            principal: principal(caller),
            action: self.action.clone(),
            resources: self
                .resources
                .iter()
                .map(|r| RequestResource {
                    arn: r.arn.clone(),
                    owner: r.owner.clone(),
                    context: r.context.iter().cloned().collect::<RequestContext>(),
                })
                .collect(),
            context: self.context.iter().cloned().collect(),
        }
    }
}

/// The evaluator's principal for a world principal.
pub fn principal(p: &PrincipalDef) -> Principal {
    let mut principal = Principal::from_arn(&p.arn);
    principal.principal_type = p.kind;
    principal.account = (!p.account.is_empty()).then(|| p.account.clone());
    principal.role = p.role_arn.clone();
    principal.in_management_account = p.management_account;
    principal.user = crate::world::federating_user(p);
    principal.unique_id = crate::world::unique_id(p);
    if !matches!(
        p.kind,
        PrincipalType::Service
            | PrincipalType::Anonymous
            | PrincipalType::WebIdentity
            | PrincipalType::Saml
    ) {
        principal.canonical_user = crate::world::canonical_user(&p.account);
    }
    principal
}

/// Chooses the case's caller, actions and resources.
pub fn choose_focus(g: &mut Gen<'_>, settings: &Settings, world: &World) -> Focus {
    if settings.realistic {
        return realistic_focus(g, settings, world);
    }
    let caller = g.pick(&world.principals).clone();
    let mut actions = vec![*g.pick(&world.actions)];
    if g.chance(40) {
        let other = *g.pick(&world.actions);
        if !actions.contains(&other) {
            actions.push(other);
        }
    }
    let resources = focus_resources(world, &actions, None);
    Focus {
        caller,
        actions,
        resources,
        resource_policy: None,
    }
}

/// The ARNs of the world resources the actions touch (`*` for an action without resource
/// types), only of the type `only` when given.
fn focus_resources(
    world: &World,
    actions: &[usize],
    only: Option<&ResourcePolicyType>,
) -> Vec<String> {
    let v = Vocabulary::get();
    let mut resources: Vec<String> = Vec::new();
    for &a in actions {
        let targets = v.targets(a);
        if targets.is_empty() {
            resources.push("*".into());
        }
        let (service, _) = v.action(a);
        for t in targets {
            if only.is_some_and(|rp| rp.resource_type != t.resource_type.name) {
                continue;
            }
            for r in world.resources_of(&service.prefix, &t.resource_type.name) {
                if !resources.contains(&r.arn) {
                    resources.push(r.arn.clone());
                }
            }
        }
    }
    resources
}

/// The realistic focus: a caller AWS could have (services and anonymous callers only with a
/// resource-based policy), and either actions on one resource type that takes a resource-based
/// policy (the case then gets one) or actions that need none (no `AssumeRole*` without a trust
/// policy).
fn realistic_focus(g: &mut Gen<'_>, settings: &Settings, world: &World) -> Focus {
    let v = Vocabulary::get();
    // The resource-policy types the world has actions for.
    let mut with_policy: Vec<(&'static ResourcePolicyType, Vec<usize>)> = Vec::new();
    if settings.on(Switch::ResourcePolicy) {
        for rp in &v.resource_policies.types {
            let governed: Vec<usize> = world
                .actions
                .iter()
                .copied()
                .filter(|&a| crate::domains::policy_governs(rp, v, a))
                .collect();
            if !governed.is_empty() {
                with_policy.push((rp, governed));
            }
        }
    }
    // Callers that sign their own requests with credentials of an account: not a service, an
    // anonymous caller, nor a web identity or SAML provider's user (who only asks for a role).
    let signed: Vec<&PrincipalDef> = world
        .principals
        .iter()
        .filter(|p| {
            !matches!(p.kind, PrincipalType::Service | PrincipalType::Anonymous)
                && crate::world::federated_action(p.kind).is_none()
        })
        .collect();
    let mut caller = g.pick(&world.principals).clone();
    if with_policy.is_empty() && !signed.is_empty() {
        caller = (*g.pick(&signed)).clone();
    }
    // A web identity or SAML provider's user makes one call: its AssumeRoleWith* on a role,
    // under the role's trust policy. Other callers never make those calls.
    let federated =
        crate::world::federated_action(caller.kind).and_then(crate::world::action_index);
    if let Some(action) = federated {
        if let Some((rp, _)) = with_policy
            .iter()
            .find(|(rp, governed)| rp.kind == "trust" && governed.contains(&action))
        {
            let actions = vec![action];
            // Only roles of the account the provider belongs to trust it; a provider outside
            // IAM has no account.
            let resources: Vec<String> = focus_resources(world, &actions, Some(rp))
                .into_iter()
                .filter(|arn| !provider_in_another_account(caller.kind, &caller.account, arn))
                .collect();
            if !resources.is_empty() {
                return Focus {
                    caller,
                    actions,
                    resources,
                    resource_policy: Some(rp),
                };
            }
        }
        // No trust policy to ask under (resource policies switched off, or no role of the
        // provider's account): a signed caller.
        if let Some(p) = g.pick_opt(&signed) {
            caller = (*p).clone();
        }
    }
    for (_, governed) in &mut with_policy {
        governed.retain(|&a| !is_federated_action(a));
    }
    with_policy.retain(|(_, governed)| !governed.is_empty());
    let needs_policy = matches!(
        caller.kind,
        PrincipalType::Service | PrincipalType::Anonymous
    );
    // A world whose every action needs a policy AWS always attaches takes the policy path.
    let free = free_actions(world);
    let all_need_policy = free
        .iter()
        .all(|&a| crate::domains::needs_attached_policy(v, a));
    if !with_policy.is_empty() && (needs_policy || all_need_policy || g.chance(60)) {
        let (rp, governed) = g.pick(&with_policy);
        let mut actions = vec![*g.pick(governed)];
        if g.chance(40) {
            let other = *g.pick(governed);
            if !actions.contains(&other) {
                actions.push(other);
            }
        }
        let resources = focus_resources(world, &actions, Some(rp));
        return Focus {
            caller,
            actions,
            resources,
            resource_policy: Some(rp),
        };
    }
    let mut actions = vec![*g.pick(&free)];
    if g.chance(40) {
        let other = *g.pick(&free);
        if !actions.contains(&other) {
            actions.push(other);
        }
    }
    let resources = focus_resources(world, &actions, None);
    Focus {
        caller,
        actions,
        resources,
        resource_policy: None,
    }
}

/// True for `sts:AssumeRoleWithWebIdentity` and `sts:AssumeRoleWithSAML`, which only a web
/// identity or SAML provider's user calls.
fn is_federated_action(index: usize) -> bool {
    let name = &Vocabulary::get().actions[index].0;
    name == "sts:AssumeRoleWithWebIdentity" || name == "sts:AssumeRoleWithSAML"
}

/// True when a realistic request of `caller` for `action` carries condition key `key`: the
/// provider keys of `AssumeRoleWithWebIdentity` (`accounts.google.com:aud`...) only for that
/// provider's user, the `saml:` keys of `AssumeRoleWithSAML` only for a SAML provider's user
/// (IAM User Guide, "Available keys for AWS web identity federation", "Available keys for SAML
/// federation"); every other key as usual.
fn realistic_action_key(key: &str, action: &str, caller: &PrincipalDef) -> bool {
    let provider_key = !key.starts_with("aws:") && !key.starts_with("sts:");
    match action {
        "AssumeRoleWithWebIdentity" if provider_key => {
            caller.kind == PrincipalType::WebIdentity
                && key
                    .strip_prefix(crate::world::provider_key_prefix(&caller.arn))
                    .is_some_and(|rest| rest.starts_with(':'))
        }
        "AssumeRoleWithSAML" if provider_key => caller.kind == PrincipalType::Saml,
        _ => true,
    }
}

/// The world's actions that need no policy AWS always attaches (a role's trust policy, a KMS
/// key's key policy); never empty: the world's actions otherwise.
fn free_actions(world: &World) -> Vec<usize> {
    let v = Vocabulary::get();
    let free: Vec<usize> = world
        .actions
        .iter()
        .copied()
        .filter(|&a| !crate::domains::needs_attached_policy(v, a))
        .collect();
    if free.is_empty() {
        // Every action of this world needs such a policy: use one anyway (the case then
        // breaks a realism rule, and a test would show it).
        world.actions.clone()
    } else {
        free
    }
}

/// Draws the requests of a case, near-miss copies included.
pub fn generate_requests(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
) -> Vec<GenRequest> {
    let count = g.up_to(1, settings.max_requests.max(1));
    let mut requests: Vec<GenRequest> = Vec::new();
    while requests.len() < count {
        let name = format!("r{}", requests.len());
        if settings.on(Switch::NearMiss) && !requests.is_empty() && g.chance(35) {
            // A near miss mutates a request drawn afresh (the first request always is), so
            // that each near miss is one named step from a realistic request.
            let fresh: Vec<&GenRequest> =
                requests.iter().filter(|r| r.mutation.is_none()).collect();
            let base = (*g.pick(&fresh)).clone();
            requests.push(near_miss_request(g, settings, world, base, name));
            continue;
        }
        let action = if settings.realistic && focus.resource_policy.is_some() {
            // Every request of a case with a resource-based policy is on its resource type.
            *g.pick(&focus.actions)
        } else if g.chance(85) {
            *g.pick(&focus.actions)
        } else if settings.realistic {
            *g.pick(&free_actions(world))
        } else {
            *g.pick(&world.actions)
        };
        requests.push(request(g, settings, world, focus, action, name));
    }
    requests
}

fn request(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    focus: &Focus,
    action_index: usize,
    name: String,
) -> GenRequest {
    let v = Vocabulary::get();
    let caller = &focus.caller;
    let (service, action) = v.action(action_index);
    let mut targets = v.targets(action_index);
    if let Some(rp) = focus.resource_policy.filter(|_| settings.realistic) {
        targets.retain(|t| t.resource_type.name == rp.resource_type);
    }
    let mut chosen: Vec<&ResourceDef> = Vec::new();
    if !targets.is_empty() {
        let multi = settings.on(Switch::MultiResource) && targets.len() > 1 && g.chance(60);
        let picked: Vec<_> = if multi {
            targets
                .iter()
                .filter(|t| t.required || g.chance(50))
                .collect()
        } else {
            vec![g.pick(&targets)]
        };
        for t in picked {
            let of_type: Vec<&ResourceDef> = world
                .resources_of(&service.prefix, &t.resource_type.name)
                .filter(|r| {
                    !settings.realistic
                        || !provider_in_another_account(caller.kind, &caller.account, &r.arn)
                })
                .collect();
            if let Some(r) = g.pick_opt(&of_type) {
                chosen.push(r);
            }
        }
    }
    let percent = if settings.on(Switch::AbsentKeys) {
        settings.context_key_percent
    } else {
        100
    };
    let resources = if chosen.is_empty() {
        vec![GenResource {
            arn: "*".into(),
            owner: None,
            context: Vec::new(),
        }]
    } else {
        chosen
            .iter()
            .map(|r| GenResource {
                arn: r.arn.clone(),
                owner: Some(r.owner.clone()),
                context: resource_context(g, percent, r, &targets_keys(r)),
            })
            .collect()
    };
    let mut context: Vec<ContextEntry> = Vec::new();
    if settings.realistic {
        // The keys every request of this caller carries (IAM User Guide, global condition
        // keys, "Availability"); a request lacks one only as a named near miss.
        caller_context(g, 100, world, caller, &mut context);
        always_present_context(g, settings, world, caller, &mut context);
    } else {
        caller_context(g, percent, world, caller, &mut context);
    }
    for key in v.request_scoped_global_keys() {
        if key.name.starts_with("aws:Principal")
            || key.name == "aws:username"
            || key.name == "aws:userid"
            || !g.chance(percent / 2)
        {
            continue;
        }
        if settings.realistic && !realistic_optional_key(&key.name, caller) {
            continue;
        }
        let k = Key {
            name: instantiate(g, &key.name, world),
            key_type: key.key_type,
        };
        push_key(g, settings, world, &k, &mut context);
    }
    // The action's own keys: request tags, tag keys, and the rest.
    let mut request_tags: Vec<String> = Vec::new();
    for template in &action.condition_keys {
        if settings.realistic && !realistic_action_key(template, &action.name, caller) {
            continue;
        }
        if !g.chance(percent) {
            continue;
        }
        let Some(def) = v.key(template) else { continue };
        let name = instantiate(g, template, world);
        if template.contains("Tag/${") {
            request_tags.push(name.rsplit('/').next().unwrap_or("").to_string());
        }
        if template.ends_with("TagKeys") {
            continue;
        }
        push_key(
            g,
            settings,
            world,
            &Key {
                name,
                key_type: def.key_type,
            },
            &mut context,
        );
    }
    for template in &action.condition_keys {
        if template.ends_with("TagKeys") && !request_tags.is_empty() {
            context.push(ContextEntry {
                key: template.clone(),
                key_type: ContextKeyType::StringList,
                values: request_tags.clone(),
            });
        }
    }
    if !settings.realistic && g.chance(8) {
        if let Some(def) = v.samples.synthetic_keys.first() {
            push_key(
                g,
                settings,
                world,
                &Key {
                    name: def.name.clone(),
                    key_type: def.key_type,
                },
                &mut context,
            );
        }
    }
    GenRequest {
        name,
        action: format!("{}:{}", service.prefix, action.name),
        resources,
        context,
        mutation: None,
        mutation_detail: None,
    }
}

/// True for optional global keys a realistic request of this caller may carry: not those that
/// need a VPC endpoint, a forward access session or a service caller, nor MFA age (no MFA is
/// modelled).
pub(crate) fn realistic_optional_key(name: &str, caller: &PrincipalDef) -> bool {
    match name {
        "aws:SourceVpc" | "aws:CalledVia" | "aws:ViaAWSService" | "aws:MultiFactorAuthAge" => false,
        "aws:SourceArn" => caller.kind == PrincipalType::Service,
        "aws:TokenIssueTime" | "aws:MultiFactorAuthPresent" => matches!(
            caller.kind,
            PrincipalType::AssumedRole | PrincipalType::FederatedUser
        ),
        _ => true,
    }
}

/// Adds every always-present key of the caller's kind that `caller_context` did not, with a
/// value from the key's domain (the caller's own facts where the key describes it).
fn always_present_context(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    caller: &PrincipalDef,
    out: &mut Vec<ContextEntry>,
) {
    for def in crate::domains::always_present(caller.kind) {
        if out.iter().any(|e| e.key.eq_ignore_ascii_case(&def.name)) {
            continue;
        }
        let fixed = match def.name.as_str() {
            "aws:RequestedRegion" => Some(world.region.clone()),
            "aws:PrincipalIsAWSService" => {
                Some((caller.kind == PrincipalType::Service).to_string())
            }
            "aws:PrincipalServiceName" => Some(caller.arn.clone()),
            _ => None,
        };
        match fixed {
            Some(value) => out.push(ContextEntry {
                key: def.name.clone(),
                key_type: def.key_type.context_type(),
                values: vec![value],
            }),
            None => push_key(
                g,
                settings,
                world,
                &Key {
                    name: def.name.clone(),
                    key_type: def.key_type,
                },
                out,
            ),
        }
    }
}

fn targets_keys(r: &ResourceDef) -> Vec<String> {
    let v = Vocabulary::get();
    v.services
        .services
        .iter()
        .filter(|s| s.prefix == r.service)
        .flat_map(|s| s.resource_types.iter())
        .filter(|t| t.name == r.resource_type)
        .flat_map(|t| t.condition_keys.iter().cloned())
        .collect()
}

fn resource_context(
    g: &mut Gen<'_>,
    percent: u8,
    r: &ResourceDef,
    templates: &[String],
) -> Vec<ContextEntry> {
    let mut out = Vec::new();
    for template in templates {
        if let Some(stem) = template.strip_suffix("${TagKey}") {
            for (k, value) in &r.tags {
                if g.chance(percent.saturating_add(15).min(100)) {
                    out.push(ContextEntry {
                        key: format!("{stem}{k}"),
                        key_type: ContextKeyType::String,
                        values: vec![value.clone()],
                    });
                }
            }
        }
    }
    for (k, key_type, value) in &r.attributes {
        if g.chance(percent) {
            out.push(ContextEntry {
                key: k.to_string(),
                key_type: key_type.context_type(),
                values: vec![value.clone()],
            });
        }
    }
    out
}

fn caller_context(
    g: &mut Gen<'_>,
    percent: u8,
    world: &World,
    caller: &PrincipalDef,
    out: &mut Vec<ContextEntry>,
) {
    let mut add = |g: &mut Gen<'_>, key: &str, key_type: ContextKeyType, value: String| {
        if g.chance(percent) {
            out.push(ContextEntry {
                key: key.to_string(),
                key_type,
                values: vec![value],
            });
        }
    };
    // A service, an anonymous caller and a web identity or SAML provider's user are not AWS
    // principals of an account: no principal keys of their own.
    if matches!(
        caller.kind,
        PrincipalType::Service
            | PrincipalType::Anonymous
            | PrincipalType::WebIdentity
            | PrincipalType::Saml
    ) {
        return;
    }
    add(
        g,
        "aws:PrincipalArn",
        ContextKeyType::String,
        caller
            .role_arn
            .clone()
            .unwrap_or_else(|| caller.arn.clone()),
    );
    add(
        g,
        "aws:PrincipalAccount",
        ContextKeyType::String,
        caller.account.clone(),
    );
    add(
        g,
        "aws:PrincipalOrgID",
        ContextKeyType::String,
        world.org_id.clone(),
    );
    add(g, "aws:userid", ContextKeyType::String, userid(caller));
    if caller.kind == PrincipalType::User {
        add(
            g,
            "aws:username",
            ContextKeyType::String,
            caller.name.clone(),
        );
    }
    let principal_type = match caller.kind {
        PrincipalType::User => "User",
        PrincipalType::AssumedRole => "AssumedRole",
        PrincipalType::FederatedUser => "FederatedUser",
        _ => "Account",
    };
    add(
        g,
        "aws:PrincipalType",
        ContextKeyType::String,
        principal_type.into(),
    );
    for (k, value) in &caller.tags {
        add(
            g,
            &format!("aws:PrincipalTag/{k}"),
            ContextKeyType::String,
            value.clone(),
        );
    }
}

/// Adds a key with values from the world's pool for it (a request IP has no mask, a date is
/// ISO 8601; a multi-valued key gets 0 to `max_context_values` values).
fn push_key(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    key: &Key,
    out: &mut Vec<ContextEntry>,
) {
    if out.iter().any(|e| e.key.eq_ignore_ascii_case(&key.name)) {
        return;
    }
    let pool = if settings.realistic {
        crate::keys::domain_values(world, key)
    } else {
        world_values(world, key)
    };
    let draw = |g: &mut Gen<'_>| match key.key_type {
        KeyType::Ip => values::request_ip(g),
        KeyType::Date => values::request_date(g),
        _ => g.pick(&pool).to_string(),
    };
    let (key_type, values) = if key.key_type.is_multi_valued() {
        let n = if settings.on(Switch::MultiValuedKeys) {
            g.up_to(1, settings.max_context_values.max(1))
        } else {
            1
        };
        let mut vs: Vec<String> = Vec::new();
        for _ in 0..n {
            let v = draw(g);
            if !vs.contains(&v) {
                vs.push(v);
            }
        }
        (ContextKeyType::StringList, vs)
    } else {
        (key.key_type.context_type(), vec![draw(g)])
    };
    out.push(ContextEntry {
        key: key.name.clone(),
        key_type,
        values,
    });
}

/// A copy of `base` with one thing changed, named by its mutation ([`MUTATIONS`]): a context
/// key left out, or one value moved one step. With [`Settings::realistic`], values stay in
/// their key's domain (a step below the domain's edge lands on the edge), tag values are
/// replaced by other pool values and account ids by other accounts of the world.
pub fn near_miss_request(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    mut base: GenRequest,
    name: String,
) -> GenRequest {
    base.name = name;
    let in_resource = g.chance(50) && base.resources.iter().any(|r| !r.context.is_empty());
    let entries: &mut Vec<ContextEntry> = if in_resource {
        let with: Vec<usize> = (0..base.resources.len())
            .filter(|&i| !base.resources[i].context.is_empty())
            .collect();
        let i = *g.pick(&with);
        &mut base.resources[i].context
    } else {
        &mut base.context
    };
    if entries.is_empty() {
        base.mutation = None;
        base.mutation_detail = None;
        return base;
    }
    let i = g.below(entries.len());
    if g.chance(40) {
        let removed = entries.remove(i);
        base.mutation = Some(KEY_LEFT_OUT.into());
        base.mutation_detail = Some(removed.key);
        return base;
    }
    let e = &mut entries[i];
    if e.values.is_empty() {
        base.mutation = None;
        base.mutation_detail = None;
        return base;
    }
    let j = g.below(e.values.len());
    let before = e.values[j].clone();
    let key_type = match e.key_type {
        ContextKeyType::Numeric | ContextKeyType::NumericList => KeyType::Numeric,
        ContextKeyType::Date | ContextKeyType::DateList => KeyType::Date,
        ContextKeyType::Ip | ContextKeyType::IpList => KeyType::Ip,
        ContextKeyType::Binary | ContextKeyType::BinaryList => KeyType::Binary,
        ContextKeyType::Boolean | ContextKeyType::BooleanList => KeyType::Bool,
        _ => KeyType::String,
    };
    let lower = e.key.to_ascii_lowercase();
    let (mutation, after) = if settings.realistic && lower.contains("tag/") {
        let pool = &Vocabulary::get().samples.tag_values;
        let other: Vec<&String> = pool.iter().filter(|t| **t != before).collect();
        (
            WRONG_TAG_VALUE,
            other
                .first()
                .map_or_else(|| format!("{before}x"), |_| (*g.pick(&other)).clone()),
        )
    } else if settings.realistic && lower.ends_with("account") {
        let other: Vec<&String> = world.accounts.iter().filter(|a| **a != before).collect();
        match g.pick_opt(&other) {
            Some(a) => (OTHER_ACCOUNT, (*a).clone()),
            None => (VALUE_STEP, mutate::near_miss(g, &before, key_type)),
        }
    } else {
        let stepped = mutate::near_miss(g, &before, key_type);
        let def = Vocabulary::get().definition(&e.key).map(|d| d.key_type);
        match def {
            Some(t) if settings.realistic && !crate::domains::in_domain(&e.key, t, &stepped) => {
                match mutate::domain_edge(&e.key, t, &before) {
                    Some(edge) if edge != before => (DOMAIN_EDGE, edge),
                    // No step stays in the domain: leave the key out instead.
                    _ => {
                        let removed = entries.remove(i);
                        base.mutation = Some(KEY_LEFT_OUT.into());
                        base.mutation_detail = Some(removed.key);
                        return base;
                    }
                }
            }
            _ if key_type == KeyType::Numeric && stepped == "0" => (DOMAIN_EDGE, stepped),
            _ => (VALUE_STEP, stepped),
        }
    };
    base.mutation = Some(mutation.into());
    base.mutation_detail = Some(format!("{} {before} -> {after}", e.key));
    e.values[j] = after;
    base
}
