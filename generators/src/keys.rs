//! Condition keys for a request and a policy alike: which keys an action and its resources
//! carry (templates such as `ec2:ResourceTag/${TagKey}` filled with the world's tag keys), and
//! the pool of values each key takes in the world. Both `condition` and `request` draw here:
//! this is the shared constant pool that makes equality checks fire.
//!
//! This module does not choose operators or build requests.

use crate::gen::Gen;
use crate::vocabulary::{KeyType, Vocabulary};
use crate::world::World;

/// A concrete condition key with its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key name as a request carries it (`ec2:ResourceTag/Environment`).
    pub name: String,
    /// Its type.
    pub key_type: KeyType,
}

/// Fills the `${...}` placeholder of a key template with a world tag key (or an attribute name).
pub fn instantiate(g: &mut Gen<'_>, template: &str, world: &World) -> String {
    match template.find("${") {
        None => template.to_string(),
        Some(start) => {
            let fill = if template.contains("${AttributeName}") {
                "launchPermission".to_string()
            } else {
                g.pick(&world.tag_keys()).clone()
            };
            format!("{}{}", &template[..start], fill)
        }
    }
}

/// The keys a statement about `action_index` may test: the action's own keys, its resource
/// types' keys, the request-scoped global keys and the synthetic keys.
pub fn candidate_keys(g: &mut Gen<'_>, action_index: usize, world: &World) -> Vec<Key> {
    let v = Vocabulary::get();
    let (_, action) = v.action(action_index);
    let mut templates: Vec<&str> = action.condition_keys.iter().map(|k| k.as_str()).collect();
    for target in v.targets(action_index) {
        templates.extend(
            target
                .resource_type
                .condition_keys
                .iter()
                .map(|k| k.as_str()),
        );
    }
    templates.extend(v.request_scoped_global_keys().map(|k| k.name.as_str()));
    templates.extend(v.samples.synthetic_keys.iter().map(|k| k.name.as_str()));
    let mut keys: Vec<Key> = Vec::new();
    for t in templates {
        let Some(def) = v.key(t) else { continue };
        let name = instantiate(g, t, world);
        if !keys.iter().any(|k| k.name.eq_ignore_ascii_case(&name)) {
            keys.push(Key {
                name,
                key_type: def.key_type,
            });
        }
    }
    keys
}

/// The values `key` takes somewhere in the world (and the pools for it), never empty.
pub fn world_values(world: &World, key: &Key) -> Vec<String> {
    let v = Vocabulary::get();
    let s = &v.samples;
    let lower = key.name.to_ascii_lowercase();
    let (stem, suffix) = match lower.split_once('/') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (lower.clone(), None),
    };
    let mut out: Vec<String> = match stem.as_str() {
        "aws:principalarn" => world.principals.iter().map(|p| p.arn.clone()).collect(),
        "aws:principalaccount" | "aws:resourceaccount" | "ec2:owner" => world.accounts.clone(),
        "aws:principalorgid" => s.org_ids.clone(),
        "aws:username" | "sts:rolesessionname" | "sts:sourceidentity" => world
            .principals
            .iter()
            .map(|p| p.name.clone())
            .chain(s.user_names.iter().cloned())
            .collect(),
        "aws:userid" => world.principals.iter().map(userid).collect(),
        "aws:requestedregion" | "ec2:region" | "s3:locationconstraint" => s.regions.clone(),
        "aws:tagkeys"
        | "s3:requestobjecttagkeys"
        | "sts:transitivetagkeys"
        | "imagebuilder:createdresourcetagkeys" => s.tag_keys.clone(),
        "aws:sourcearn" | "iam:associatedresourcearn" => {
            world.resources.iter().map(|r| r.arn.clone()).collect()
        }
        _ if suffix.is_some() && stem.ends_with("tag") => s.tag_values.clone(),
        _ => Vec::new(),
    };
    if out.is_empty() {
        for r in &world.resources {
            for (k, _, values) in &r.attributes {
                if k.eq_ignore_ascii_case(&key.name) {
                    out.extend(values.iter().cloned());
                }
            }
        }
        if let Some(pool) = v.samples_for(&key.name) {
            out.extend(pool.iter().cloned());
        }
    }
    if out.is_empty() {
        out = match key.key_type {
            KeyType::Numeric => s.numbers.clone(),
            KeyType::Date => s.dates.clone(),
            KeyType::Ip => s.ips.clone(),
            KeyType::Binary => s.binaries.clone(),
            KeyType::Bool => vec!["true".into(), "false".into()],
            KeyType::Arn | KeyType::ArrayOfArn => {
                world.resources.iter().map(|r| r.arn.clone()).collect()
            }
            KeyType::String | KeyType::ArrayOfString => s.tag_values.clone(),
        };
    }
    out
}

/// The `aws:userid` of a principal (the simulator's form: a unique id, `ROLEID:session` for a
/// role session).
pub fn userid(p: &crate::world::PrincipalDef) -> String {
    match p.kind {
        iamspec::request::PrincipalType::AssumedRole => format!("AROAEXAMPLEROLEID:{}", p.name),
        iamspec::request::PrincipalType::Root => p.account.clone(),
        _ => format!("AIDAEXAMPLE{}", p.name.to_ascii_uppercase()),
    }
}
