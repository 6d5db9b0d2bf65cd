//! The world a case lives in, drawn first: accounts, principals with tags, and resources with
//! real ARN shapes, tags and attribute values. Policies and requests are then drawn from the
//! world, so that the ARNs, tags and values in policies meet those in requests.
//!
//! This module draws the world only; it writes no policy and makes no request.

use iamspec::request::PrincipalType;

use crate::gen::Gen;
use crate::settings::{Settings, Switch};
use crate::vocabulary::{KeyType, ResourceTypeDef, Vocabulary};

/// A tag: key and value.
pub type Tag = (String, String);

/// A principal that can make requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalDef {
    /// Its ARN (service name for a service principal).
    pub arn: String,
    /// Its account (empty for a service principal).
    pub account: String,
    /// Its kind.
    pub kind: PrincipalType,
    /// The user, role-session or federated-user name (`aws:username` for users).
    pub name: String,
    /// For a role session: the role's ARN.
    pub role_arn: Option<String>,
    /// Its principal tags (`aws:PrincipalTag/...`).
    pub tags: Vec<Tag>,
    /// True when it belongs to the organization's management account (SCPs do not affect it).
    pub management_account: bool,
}

/// A resource of the world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceDef {
    /// The service prefix of its type.
    pub service: String,
    /// Its resource type name.
    pub resource_type: String,
    /// Its ARN.
    pub arn: String,
    /// The owning account (also for EC2 images, whose ARN has no account).
    pub owner: String,
    /// Its tags.
    pub tags: Vec<Tag>,
    /// Values of its resource-type condition keys (`ec2:InstanceType`...), not tags.
    pub attributes: Vec<(&'static str, KeyType, String)>,
}

/// The world of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    /// 2-3 accounts; the first is the caller's usual account.
    pub accounts: Vec<String>,
    /// The organization the accounts belong to.
    pub org_id: String,
    /// The region requests are made in.
    pub region: String,
    /// Principals (users, role sessions, root, a federated user, a service, anonymous, a
    /// web-identity or SAML provider's user).
    pub principals: Vec<PrincipalDef>,
    /// The service prefixes the world has resources of (1-2 services; requests use their actions).
    pub services: Vec<String>,
    /// Resources, at least one per resource type of the world's services.
    pub resources: Vec<ResourceDef>,
    /// Every tag key of principals and resources (at least one), computed once.
    pub tag_keys: Vec<String>,
    /// The `aws:userid` of every principal, computed once.
    pub userids: Vec<String>,
    /// Indices of the vocabulary's actions of the world's services, computed once.
    pub actions: Vec<usize>,
}

impl World {
    /// Draws a world.
    pub fn generate(g: &mut Gen<'_>, settings: &Settings) -> World {
        let v = Vocabulary::get();
        let s = &v.samples;
        let account_count = if settings.on(Switch::CrossAccount) {
            g.up_to(2, 3)
        } else {
            1
        };
        let first = g.below(s.accounts.len());
        let accounts: Vec<String> = (0..account_count)
            .map(|i| s.accounts[(first + i) % s.accounts.len()].clone())
            .collect();
        let org_id = g.pick(&s.org_ids).clone();
        let region = g.pick(&s.regions).clone();
        // Services are drawn from every service of the data, weighted toward those with
        // resource-level permissions, condition keys and resource-based policies.
        let mut service_indices: Vec<usize> = vec![g.weighted(&v.service_weights)];
        if g.chance(35) {
            let other = g.weighted(&v.service_weights);
            if !service_indices.contains(&other) {
                service_indices.push(other);
            }
        }
        let services: Vec<String> = service_indices
            .iter()
            .map(|&i| v.services.services[i].prefix.clone())
            .collect();
        let mut world = World {
            accounts,
            org_id,
            region,
            principals: Vec::new(),
            services,
            resources: Vec::new(),
            tag_keys: Vec::new(),
            userids: Vec::new(),
            actions: Vec::new(),
        };
        world.principals = generate_principals(g, settings, &world);
        for &si in &service_indices {
            world.actions.extend(world_actions(g, settings, si));
        }
        // A web-identity or SAML caller only ever asks STS for a role: the world has that
        // action (and so a role to ask for).
        for p in &world.principals {
            if let Some(action) = federated_action(p.kind) {
                if let Some(i) = action_index(action) {
                    if !world.actions.contains(&i) {
                        world.actions.push(i);
                    }
                    if !world.services.iter().any(|s| s == "sts") {
                        world.services.push("sts".into());
                    }
                }
            }
        }
        if world.actions.is_empty() {
            world.actions.push(0);
        }
        // One or two resources of every resource type the world's actions touch.
        let mut types: Vec<(&'static str, &'static ResourceTypeDef)> = Vec::new();
        for &a in &world.actions {
            let service = &v.action(a).0.prefix;
            for t in v.targets(a) {
                if !instantiable(t.resource_type) {
                    continue;
                }
                if !types
                    .iter()
                    .any(|(s, rt)| *s == service.as_str() && rt.name == t.resource_type.name)
                {
                    types.push((service.as_str(), t.resource_type));
                }
            }
        }
        for (service, rt) in types {
            let count = if settings.oracle_batch {
                g.up_to(2, 3)
            } else if g.chance(30) {
                2
            } else {
                1
            };
            for n in 0..count {
                let resource = generate_resource(g, &world, service, rt, n);
                world.resources.push(resource);
            }
        }
        world.tag_keys = world.collect_tag_keys();
        world.userids = world.principals.iter().map(userid).collect();
        world
    }

    /// The resources of one type.
    pub fn resources_of<'w>(
        &'w self,
        service: &'w str,
        resource_type: &'w str,
    ) -> impl Iterator<Item = &'w ResourceDef> + 'w {
        self.resources
            .iter()
            .filter(move |r| r.service == service && r.resource_type == resource_type)
    }

    fn collect_tag_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for (k, _) in self
            .principals
            .iter()
            .flat_map(|p| p.tags.iter())
            .chain(self.resources.iter().flat_map(|r| r.tags.iter()))
        {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        if keys.is_empty() {
            keys.push(Vocabulary::get().samples.tag_keys[0].clone());
        }
        keys
    }
}

/// How many actions a world takes from each of its services.
const ACTIONS_PER_SERVICE: usize = 8;

/// The actions a world takes from service `si`: a few, mostly ones with resource types; with
/// [`Settings::realistic`], also one action on each resource type of the service that takes a
/// resource-based policy (an `AssumeRole*` for a role), so that such policies have a target.
fn world_actions(g: &mut Gen<'_>, settings: &Settings, si: usize) -> Vec<usize> {
    let v = Vocabulary::get();
    let all = &v.service_actions[si];
    let mut out: Vec<usize> = Vec::new();
    if all.is_empty() {
        return out;
    }
    let draws = if settings.oracle_batch {
        2 * ACTIONS_PER_SERVICE
    } else {
        ACTIONS_PER_SERVICE
    };
    for _ in 0..draws {
        let mut a = *g.pick(all);
        if v.targets(a).is_empty() && g.chance(70) {
            a = *g.pick(all);
        }
        if !out.contains(&a) {
            out.push(a);
        }
    }
    if settings.realistic {
        let prefix = &v.services.services[si].prefix;
        for rp in v
            .resource_policies
            .types
            .iter()
            .filter(|t| &t.service == prefix)
        {
            let on_type: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&a| crate::domains::policy_governs(rp, v, a))
                .collect();
            if let Some(&a) = g.pick_opt(&on_type) {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
    }
    out
}

fn tags(g: &mut Gen<'_>) -> Vec<Tag> {
    let s = &Vocabulary::get().samples;
    let mut tags: Vec<Tag> = Vec::new();
    for _ in 0..g.up_to(0, 2) {
        let key = g.pick(&s.tag_keys).clone();
        if tags.iter().any(|(k, _)| *k == key) {
            continue;
        }
        tags.push((key, g.pick(&s.tag_values).clone()));
    }
    tags
}

/// The one action a web-identity (`sts:AssumeRoleWithWebIdentity`) or SAML
/// (`sts:AssumeRoleWithSAML`) caller makes; `None` for other callers.
pub fn federated_action(kind: PrincipalType) -> Option<&'static str> {
    match kind {
        PrincipalType::WebIdentity => Some("sts:AssumeRoleWithWebIdentity"),
        PrincipalType::Saml => Some("sts:AssumeRoleWithSAML"),
        _ => None,
    }
}

/// The vocabulary index of an action (`service:Name`, exact spelling).
pub fn action_index(name: &str) -> Option<usize> {
    Vocabulary::get()
        .actions
        .iter()
        .position(|(n, _, _)| n == name)
}

/// The web identity providers a world draws from, as a trust policy's `Federated` names them
/// (IAM User Guide, "AWS JSON policy elements: Principal", web identity session principals),
/// and an OIDC provider of the account (IAM User Guide, "Create an OpenID Connect (OIDC)
/// identity provider in IAM": `arn:aws:iam::ACCOUNT:oidc-provider/HOST`).
const WEB_IDENTITY_PROVIDERS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// The condition-key prefix of a web identity provider (`accounts.google.com` for
/// `accounts.google.com:aud`; the host of an OIDC provider ARN).
pub fn provider_key_prefix(provider: &str) -> &str {
    provider
        .split_once(":oidc-provider/")
        .map_or(provider, |(_, host)| host)
}

fn generate_principals(g: &mut Gen<'_>, settings: &Settings, world: &World) -> Vec<PrincipalDef> {
    let s = &Vocabulary::get().samples;
    let mut principals = Vec::new();
    let account = |g: &mut Gen<'_>| {
        // Mostly the first account, so that same-account requests dominate.
        if g.chance(75) {
            world.accounts[0].clone()
        } else {
            g.pick(&world.accounts).clone()
        }
    };
    for i in 0..g.up_to(1, 2) {
        let name = s.user_names[i % s.user_names.len()].clone();
        let acct = account(g);
        principals.push(PrincipalDef {
            arn: format!("arn:aws:iam::{acct}:user/{name}"),
            account: acct,
            kind: PrincipalType::User,
            name,
            role_arn: None,
            tags: tags(g),
            management_account: false,
        });
    }
    for i in 0..g.up_to(1, 2) {
        let role = s.role_names[i % s.role_names.len()].clone();
        let session = g.pick(&s.session_names).clone();
        let acct = account(g);
        principals.push(PrincipalDef {
            arn: format!("arn:aws:sts::{acct}:assumed-role/{role}/{session}"),
            role_arn: Some(format!("arn:aws:iam::{acct}:role/{role}")),
            account: acct,
            kind: PrincipalType::AssumedRole,
            name: session,
            tags: tags(g),
            management_account: false,
        });
    }
    if g.chance(40) {
        let acct = account(g);
        principals.push(PrincipalDef {
            arn: format!("arn:aws:iam::{acct}:root"),
            account: acct,
            kind: PrincipalType::Root,
            name: "root".into(),
            role_arn: None,
            tags: Vec::new(),
            management_account: false,
        });
    }
    if g.chance(30) {
        let acct = account(g);
        let name = g.pick(&s.user_names).clone();
        principals.push(PrincipalDef {
            arn: format!("arn:aws:sts::{acct}:federated-user/{name}"),
            account: acct,
            kind: PrincipalType::FederatedUser,
            name,
            role_arn: None,
            tags: Vec::new(),
            management_account: false,
        });
    }
    if g.chance(10) {
        // A service-linked role's session: SCPs and RCPs do not affect it.
        let acct = account(g);
        principals.push(PrincipalDef {
            arn: format!("arn:aws:sts::{acct}:assumed-role/AWSServiceRoleForImageBuilder/ib-1"),
            role_arn: Some(format!(
                "arn:aws:iam::{acct}:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder"
            )),
            account: acct,
            kind: PrincipalType::AssumedRole,
            name: "ib-1".into(),
            tags: Vec::new(),
            management_account: false,
        });
    }
    if g.chance(10) {
        // An unauthenticated caller (S3 anonymous access): only `Principal: "*"` names it.
        principals.push(PrincipalDef {
            arn: String::new(),
            account: String::new(),
            kind: PrincipalType::Anonymous,
            name: String::new(),
            role_arn: None,
            tags: Vec::new(),
            management_account: false,
        });
    }
    if g.chance(20) {
        principals.push(PrincipalDef {
            arn: "imagebuilder.amazonaws.com".into(),
            account: String::new(),
            kind: PrincipalType::Service,
            name: "imagebuilder.amazonaws.com".into(),
            role_arn: None,
            tags: Vec::new(),
            management_account: false,
        });
    }
    if settings.on(Switch::FederatedCallers) && g.chance(12) {
        // A user of a web identity provider asking for a role: named only by `Federated`.
        let acct = account(g);
        let arn = if g.chance(25) {
            format!("arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com")
        } else {
            (*g.pick(WEB_IDENTITY_PROVIDERS)).to_string()
        };
        principals.push(PrincipalDef {
            account: if arn.starts_with("arn:") {
                acct
            } else {
                String::new()
            },
            name: provider_key_prefix(&arn).to_string(),
            arn,
            kind: PrincipalType::WebIdentity,
            role_arn: None,
            tags: Vec::new(),
            management_account: false,
        });
    }
    if settings.on(Switch::FederatedCallers) && g.chance(8) {
        // A user of a SAML 2.0 provider of the account (IAM User Guide, "SAML session
        // principals": `arn:aws:iam::ACCOUNT:saml-provider/NAME`).
        let acct = account(g);
        principals.push(PrincipalDef {
            arn: format!("arn:aws:iam::{acct}:saml-provider/ExampleIdP"),
            account: acct,
            kind: PrincipalType::Saml,
            name: "ExampleIdP".into(),
            role_arn: None,
            tags: Vec::new(),
            management_account: false,
        });
    }
    // Sometimes the last account is the organization's management account.
    if g.chance(12) {
        let management = world.accounts[world.accounts.len() - 1].clone();
        for p in &mut principals {
            p.management_account = p.account == management;
        }
    }
    principals
}

/// A short hexadecimal id from a few choices (`0abc12` style).
fn hex_id(g: &mut Gen<'_>, n: usize) -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    // The first id of each kind is fixed (`0a1b2c...`) when bytes run out; later ones vary.
    (0..8)
        .map(|i| HEX[(g.below(4) * 3 + i + n * 5) % 16] as char)
        .collect()
}

fn generate_resource(
    g: &mut Gen<'_>,
    world: &World,
    service: &str,
    rt: &'static ResourceTypeDef,
    n: usize,
) -> ResourceDef {
    let v = Vocabulary::get();
    let s = &v.samples;
    let owner = if g.chance(80) {
        world.accounts[0].clone()
    } else {
        g.pick(&world.accounts).clone()
    };
    let region = world.region.clone();
    let id = hex_id(g, n);
    let name = match (service, rt.name.as_str()) {
        ("ec2", "image") => format!("ami-{id}"),
        ("ec2", "instance") => format!("i-{id}"),
        ("ec2", "volume") => format!("vol-{id}"),
        ("ec2", "subnet") => format!("subnet-{id}"),
        ("ec2", "security-group") => format!("sg-{id}"),
        ("ec2", "key-pair") => format!("key-{id}"),
        (_, "role") => s.role_names[n % s.role_names.len()].clone(),
        (_, "user") => s.user_names[n % s.user_names.len()].clone(),
        ("s3", "bucket") => s.bucket_names[n % s.bucket_names.len()].clone(),
        ("s3", "object") => format!(
            "{}/{}",
            s.bucket_names[0],
            s.object_keys[(n + g.below(s.object_keys.len())) % s.object_keys.len()]
        ),
        ("imagebuilder", "image") => format!("web-image/1.0.{n}/1"),
        ("imagebuilder", "component") => format!("hardening/1.0.{n}/1"),
        ("imagebuilder", "imageRecipe") => format!("web-recipe/1.0.{n}"),
        ("imagebuilder", "imagePipeline") => format!("web-pipeline-{n}"),
        _ => format!("res-{id}"),
    };
    let arn = instantiate_arn(&rt.arn, &region, &owner, &name);
    let tags = if service == "s3" { Vec::new() } else { tags(g) };
    let mut attributes = Vec::new();
    for key in &rt.condition_keys {
        if key.contains("${") {
            continue;
        }
        let Some(def) = v.key(key) else { continue };
        let value = match key.as_str() {
            "ec2:ImageID"
            | "ec2:InstanceID"
            | "ec2:VolumeID"
            | "ec2:SubnetID"
            | "ec2:SecurityGroupID"
            | "ec2:KeyPairName" => name.clone(),
            "ec2:Region" => region.clone(),
            "ec2:Vpc" => format!("arn:aws:ec2:{region}:{owner}:vpc/vpc-1a2b3c4d"),
            "ec2:InstanceProfile" => format!("arn:aws:iam::{owner}:instance-profile/web"),
            "ec2:Owner" => {
                if g.chance(50) {
                    owner.clone()
                } else {
                    g.pick(&s.keys["ec2:Owner"]).clone()
                }
            }
            _ => match v.samples_for(key) {
                Some(pool) => g.pick(pool).clone(),
                // Attributes are facts of the resource: always inside the key's domain.
                None => crate::values::domain_value(g, key, def.key_type),
            },
        };
        attributes.push((key.as_str(), def.key_type, value));
    }
    ResourceDef {
        service: service.to_string(),
        resource_type: rt.name.clone(),
        arn,
        owner,
        tags,
        attributes,
    }
}

/// Fills an ARN format from the reference: the partition, region and account fields (whatever
/// their placeholders are called), and the resource part with `name` (EC2 image ARNs keep their
/// empty account field), every placeholder of it filled (see `fill_resource`).
pub fn instantiate_arn(format: &str, region: &str, account: &str, name: &str) -> String {
    let fields: Vec<&str> = format.splitn(6, ':').collect();
    if fields.len() < 6 {
        return fill_resource(format, name);
    }
    let fill = |field: &str, value: &str| {
        if field.contains("${") {
            value.to_string()
        } else {
            field.to_string()
        }
    };
    format!(
        "{}:{}:{}:{}:{}:{}",
        fields[0],
        fill(fields[1], "aws"),
        fields[2],
        fill(fields[3], region),
        fill(fields[4], account),
        fill_resource(fields[5], name)
    )
}

/// The resource part with every placeholder filled, so that the ARN has its format's shape
/// (`layer:NAME:VERSION`, `NAME/STAGE/METHOD/PATH`): `name`'s `/`-separated parts fill the
/// first placeholders (its last part takes what is left when it has more parts than the format
/// has placeholders), and each placeholder after them is written as its own name in lower
/// case (`${Stage}` → `stage`; `1` for a version).
fn fill_resource(part: &str, name: &str) -> String {
    let placeholders = part.matches("${").count();
    let mut parts: Vec<String> = name
        .splitn(placeholders.max(1), '/')
        .map(str::to_string)
        .collect();
    parts.reverse();
    let mut out = String::new();
    let mut rest = part;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let placeholder = &rest[start + 2..start + end];
        let value = parts
            .pop()
            .unwrap_or_else(|| placeholder_value(placeholder));
        out.push_str(&value);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// The value written for a placeholder that `name` does not fill.
fn placeholder_value(placeholder: &str) -> String {
    if placeholder.ends_with("Version") {
        return "1".to_string();
    }
    placeholder
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// True when a world can hold a resource of this type: its ARN format names its service
/// literally (not `${Vendor}`), so that the ARN says which service it belongs to.
pub fn instantiable(rt: &ResourceTypeDef) -> bool {
    rt.arn
        .split(':')
        .nth(2)
        .is_some_and(|s| !s.is_empty() && !s.contains(['$', '*']))
}

/// The `aws:userid` of a principal (the simulator's form: a unique id, `ROLEID:session` for a
/// role session).
pub fn userid(p: &PrincipalDef) -> String {
    match p.kind {
        iamspec::request::PrincipalType::AssumedRole => match unique_id(p) {
            Some(role_id) => format!("{role_id}:{}", p.name),
            None => format!("AROAEXAMPLEROLEID:{}", p.name),
        },
        // A web-identity or SAML caller becomes a session of the role it asks for.
        iamspec::request::PrincipalType::WebIdentity | iamspec::request::PrincipalType::Saml => {
            "AROAEXAMPLEROLEID:federated-session".to_string()
        }
        iamspec::request::PrincipalType::Root => p.account.clone(),
        _ => format!("AIDAEXAMPLE{}", p.name.to_ascii_uppercase()),
    }
}

/// Upper-case letters and digits of `text`, for an invented unique ID.
fn id_tail(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The IAM user behind a federated-user session (the user who called `GetFederationToken`), as
/// the case format's `principal.user` gives it: the world's token broker of the session's
/// account.
pub fn federating_user(p: &PrincipalDef) -> Option<String> {
    (p.kind == PrincipalType::FederatedUser)
        .then(|| format!("arn:aws:iam::{}:user/token-broker", p.account))
}

/// The unique ID of the IAM user or role a principal is or acts as (IAM User Guide, "IAM
/// identifiers", "Unique identifiers": `AIDA...` for a user, `AROA...` for a role): a user's
/// own, a role session's role's, a federated-user session's federating user's; invented from
/// the name, so one name has one ID within a world.
pub fn unique_id(p: &PrincipalDef) -> Option<String> {
    match p.kind {
        PrincipalType::User => Some(format!("AIDAEXAMPLE{}", id_tail(&p.name))),
        PrincipalType::AssumedRole => p.role_arn.as_deref().map(|role| {
            format!(
                "AROAEXAMPLE{}",
                id_tail(role.rsplit('/').next().unwrap_or(role))
            )
        }),
        PrincipalType::FederatedUser => Some("AIDAEXAMPLETOKENBROKER".to_string()),
        _ => None,
    }
}

/// The Amazon S3 canonical user ID of an account (64 hexadecimal digits; invented from the
/// account ID), which a `CanonicalUser` principal names (IAM User Guide, "AWS JSON policy
/// elements: Principal", "AWS account principals").
pub fn canonical_user(account: &str) -> Option<String> {
    (account.len() == 12).then(|| account.repeat(6)[..64].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_have_real_shapes() {
        assert_eq!(
            instantiate_arn(
                "arn:${Partition}:ec2:${Region}::image/${ImageId}",
                "us-east-1",
                "111122223333",
                "ami-0abc"
            ),
            "arn:aws:ec2:us-east-1::image/ami-0abc"
        );
        assert_eq!(
            instantiate_arn(
                "arn:${Partition}:sso::${AccountId}:permissionSet/${InstanceId}/${PermissionSetId}",
                "us-east-1",
                "111122223333",
                "ps-1"
            ),
            "arn:aws:sso::111122223333:permissionSet/ps-1/permissionsetid"
        );
        assert_eq!(
            instantiate_arn(
                "arn:${Partition}:execute-api:${Region}:${Account}:${ApiId}/${Stage}/${Method}/${ApiSpecificResourcePath}",
                "us-east-1",
                "111122223333",
                "res-1"
            ),
            "arn:aws:execute-api:us-east-1:111122223333:res-1/stage/method/apispecificresourcepath"
        );
        assert_eq!(
            instantiate_arn(
                "arn:${Partition}:lambda:${Region}:${Account}:layer:${LayerName}:${LayerVersion}",
                "us-east-1",
                "111122223333",
                "res-1"
            ),
            "arn:aws:lambda:us-east-1:111122223333:layer:res-1:1"
        );
        assert_eq!(
            instantiate_arn(
                "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
                "us-east-1",
                "111122223333",
                "bucket/a/b.txt"
            ),
            "arn:aws:s3:::bucket/a/b.txt"
        );
        let mut services = std::collections::BTreeSet::new();
        let mut rng = crate::gen::seeded_rng(3);
        for _ in 0..60 {
            let world = World::generate(&mut Gen::from_rng(&mut rng), &Settings::well_formed());
            assert!(!world.principals.is_empty());
            assert!(!world.tag_keys.is_empty());
            services.extend(world.services.iter().cloned());
            for image in world.resources_of("ec2", "image") {
                let prefix = format!("arn:aws:ec2:{}::image/ami-", world.region);
                assert!(image.arn.starts_with(&prefix), "{}", image.arn);
            }
            for object in world.resources_of("s3", "object") {
                assert!(object.arn.starts_with("arn:aws:s3:::"), "{}", object.arn);
                assert!(object.arn.contains('/'), "{}", object.arn);
            }
            for instance in world.resources_of("ec2", "instance") {
                assert!(instance
                    .attributes
                    .iter()
                    .any(|(k, _, _)| *k == "ec2:InstanceType"));
                assert!(!instance
                    .attributes
                    .iter()
                    .any(|(k, _, _)| *k == "ec2:SubnetID"));
            }
            for p in world.resources_of("imagebuilder", "image") {
                assert!(
                    p.arn.contains(":imagebuilder:") && p.arn.contains(":image/"),
                    "{}",
                    p.arn
                );
            }
        }
        assert!(services.len() > 20, "{services:?}");
    }
}
