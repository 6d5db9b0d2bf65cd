//! Condition keys for a request and a policy alike: which keys an action and its resources
//! carry (templates such as `ec2:ResourceTag/${TagKey}` filled with the world's tag keys), and
//! the pool of values each key takes in the world. Both `condition` and `request` draw here:
//! this is the shared constant pool that makes equality checks fire.
//!
//! This module does not choose operators or build requests.

use crate::gen::Gen;
use crate::vocabulary::{KeyType, Vocabulary};
use crate::world::World;

// `userid` moved to `world` (a principal's id is the world's fact); its name stays here.
pub use crate::world::userid;

/// A concrete condition key with its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key name as a request carries it (`ec2:ResourceTag/Environment`).
    pub name: String,
    /// Its type.
    pub key_type: KeyType,
}

/// Fills the first `${...}` placeholder of a key template with a world tag key (or an attribute
/// name), keeping the text after it.
pub fn instantiate(g: &mut Gen<'_>, template: &str, world: &World) -> String {
    match template.find("${") {
        None => template.to_string(),
        Some(start) => {
            let fill = if template.contains("${AttributeName}") {
                "launchPermission".to_string()
            } else {
                g.pick(&world.tag_keys).clone()
            };
            // Keep what follows the placeholder (`github.com/enterprises/${EnterpriseName}:actor`).
            let after = template[start..]
                .find('}')
                .map_or("", |end| &template[start + end + 1..]);
            format!("{}{}{}", &template[..start], fill, after)
        }
    }
}

/// The keys a statement about `action_index` may test: the action's own keys, its resource
/// types' keys, the request-scoped global keys and the synthetic keys, templates filled with
/// world tag keys.
pub fn candidate_keys(g: &mut Gen<'_>, action_index: usize, world: &World) -> Vec<Key> {
    let v = Vocabulary::get();
    let mut keys: Vec<Key> = Vec::new();
    for (template, key_type) in v.action_keys(action_index) {
        let name = instantiate(g, template, world);
        if !keys.iter().any(|k| k.name.eq_ignore_ascii_case(&name)) {
            keys.push(Key {
                name,
                key_type: *key_type,
            });
        }
    }
    keys
}

/// The values `key` takes somewhere in the world (and the pools for it), never empty.
pub fn world_values<'w>(world: &'w World, key: &Key) -> Vec<&'w str> {
    let v = Vocabulary::get();
    let s = &v.samples;
    let strs = |pool: &'static [String]| pool.iter().map(|x| x.as_str()).collect::<Vec<&str>>();
    let lower = key.name.to_ascii_lowercase();
    let (stem, has_suffix) = match lower.split_once('/') {
        Some((a, _)) => (a, true),
        None => (lower.as_str(), false),
    };
    let mut out: Vec<&'w str> = match stem {
        "aws:principalarn" => world.principals.iter().map(|p| p.arn.as_str()).collect(),
        "aws:principalaccount" | "aws:resourceaccount" | "ec2:owner" => {
            world.accounts.iter().map(|a| a.as_str()).collect()
        }
        "aws:principalorgid" => strs(&s.org_ids),
        "aws:username" | "sts:rolesessionname" | "sts:sourceidentity" => world
            .principals
            .iter()
            .map(|p| p.name.as_str())
            .chain(s.user_names.iter().map(|x| x.as_str()))
            .collect(),
        "aws:userid" => world.userids.iter().map(|x| x.as_str()).collect(),
        "aws:requestedregion" | "ec2:region" | "s3:locationconstraint" => strs(&s.regions),
        "aws:tagkeys"
        | "s3:requestobjecttagkeys"
        | "sts:transitivetagkeys"
        | "imagebuilder:createdresourcetagkeys" => strs(&s.tag_keys),
        "aws:sourcearn" | "iam:associatedresourcearn" => {
            world.resources.iter().map(|r| r.arn.as_str()).collect()
        }
        _ if has_suffix && stem.ends_with("tag") => strs(&s.tag_values),
        _ => Vec::new(),
    };
    if out.is_empty() {
        for r in &world.resources {
            for (k, _, value) in &r.attributes {
                if k.eq_ignore_ascii_case(&key.name) {
                    out.push(value.as_str());
                }
            }
        }
        if let Some(pool) = v.samples_for(&key.name) {
            out.extend(pool.iter().map(|x| x.as_str()));
        }
    }
    if out.is_empty() {
        out = match key.key_type {
            KeyType::Numeric => strs(&s.numbers),
            KeyType::Date => strs(&s.dates),
            KeyType::Ip => strs(&s.ips),
            KeyType::Binary => strs(&s.binaries),
            KeyType::Bool | KeyType::ArrayOfBool => vec!["true", "false"],
            KeyType::Arn | KeyType::ArrayOfArn => world
                .resources
                .iter()
                .map(|r| r.arn.as_str())
                .chain(world.principals.iter().map(|p| p.arn.as_str()))
                .filter(|a| a.starts_with("arn:"))
                .collect(),
            KeyType::String | KeyType::ArrayOfString => strs(&s.tag_values),
        };
    }
    out
}

/// The values `key` takes in the world that lie in its domain (`domains::in_domain`): the
/// realistic preset's pool. Never empty: a key none of whose pool values fit gets the domain's
/// own samples (`0`/`3600` for counts of seconds, the TLS versions, the world's accounts...).
pub fn domain_values<'w>(world: &'w World, key: &Key) -> Vec<&'w str> {
    let mut out: Vec<&'w str> = world_values(world, key)
        .into_iter()
        .filter(|v| crate::domains::in_domain(&key.name, key.key_type, v))
        .collect();
    if out.is_empty() {
        out = match key.key_type {
            _ if key.name.eq_ignore_ascii_case("s3:TlsVersion") => vec!["1.2", "1.3"],
            KeyType::Numeric => vec!["0", "1", "10", "3600"],
            KeyType::Date => vec!["2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"],
            KeyType::Ip => vec!["203.0.113.10", "2001:db8::1"],
            KeyType::Bool | KeyType::ArrayOfBool => vec!["true", "false"],
            KeyType::Arn | KeyType::ArrayOfArn => world
                .principals
                .iter()
                .filter_map(|p| p.role_arn.as_deref().or(Some(p.arn.as_str())))
                .filter(|a| a.starts_with("arn:"))
                .collect(),
            _ => world.accounts.iter().map(|a| a.as_str()).collect(),
        };
    }
    out
}
