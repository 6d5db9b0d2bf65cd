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
use crate::settings::{Settings, Switch};
use crate::values;
use crate::vocabulary::{KeyType, Vocabulary};
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
}

impl GenRequest {
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
    principal
}

/// Chooses the case's caller, actions and resources.
pub fn choose_focus(g: &mut Gen<'_>, settings: &Settings, world: &World) -> Focus {
    let v = Vocabulary::get();
    let caller = g.pick(&world.principals).clone();
    let mut actions = vec![*g.pick(&world.actions)];
    if g.chance(40) {
        let other = *g.pick(&world.actions);
        if !actions.contains(&other) {
            actions.push(other);
        }
    }
    let mut resources: Vec<String> = Vec::new();
    for &a in &actions {
        let targets = v.targets(a);
        if targets.is_empty() {
            resources.push("*".into());
        }
        let (service, _) = v.action(a);
        for t in targets {
            for r in world.resources_of(&service.prefix, &t.resource_type.name) {
                if !resources.contains(&r.arn) {
                    resources.push(r.arn.clone());
                }
            }
        }
    }
    let _ = settings;
    Focus {
        caller,
        actions,
        resources,
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
            let base = g.pick(&requests).clone();
            requests.push(near_miss_request(g, base, name));
            continue;
        }
        let action = if g.chance(85) {
            *g.pick(&focus.actions)
        } else {
            *g.pick(&world.actions)
        };
        requests.push(request(g, settings, world, &focus.caller, action, name));
    }
    requests
}

fn request(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    caller: &PrincipalDef,
    action_index: usize,
    name: String,
) -> GenRequest {
    let v = Vocabulary::get();
    let (service, action) = v.action(action_index);
    let targets = v.targets(action_index);
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
    caller_context(g, percent, world, caller, &mut context);
    for key in v.request_scoped_global_keys() {
        if key.name.starts_with("aws:Principal")
            || key.name == "aws:username"
            || key.name == "aws:userid"
            || !g.chance(percent / 2)
        {
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
    if g.chance(8) {
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
    if matches!(
        caller.kind,
        PrincipalType::Service | PrincipalType::Anonymous
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
    let pool = world_values(world, key);
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

/// A copy of `base` with one thing changed: a context key dropped (a tag missing), or one
/// value moved one step.
pub fn near_miss_request(g: &mut Gen<'_>, mut base: GenRequest, name: String) -> GenRequest {
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
        return base;
    }
    let i = g.below(entries.len());
    if g.chance(40) {
        entries.remove(i);
    } else {
        let e = &mut entries[i];
        let key_type = match e.key_type {
            ContextKeyType::Numeric | ContextKeyType::NumericList => KeyType::Numeric,
            ContextKeyType::Date | ContextKeyType::DateList => KeyType::Date,
            ContextKeyType::Ip | ContextKeyType::IpList => KeyType::Ip,
            ContextKeyType::Binary | ContextKeyType::BinaryList => KeyType::Binary,
            ContextKeyType::Boolean | ContextKeyType::BooleanList => KeyType::Bool,
            _ => KeyType::String,
        };
        if !e.values.is_empty() {
            let j = g.below(e.values.len());
            e.values[j] = mutate::near_miss(g, &e.values[j], key_type);
        }
    }
    base
}
