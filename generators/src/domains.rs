//! What AWS could produce, as facts the generators draw within and the realism rules check
//! against: which global keys each kind of caller always carries, which callers have no
//! identity-based policies, which resource types take a resource-based policy and which actions
//! it governs, and each condition key's domain of values.
//!
//! Sources: the IAM User Guide (global condition keys and their availability, in
//! `data/global-keys.json`; principals), the resource types that take a resource-based policy
//! (`data/resource-policies.json`). This module depends only on the vocabulary: the generators
//! ([`crate::request`], [`crate::values`], ...) and the rules ([`crate::realism`]) both use it.

use std::net::IpAddr;

use iamspec::request::PrincipalType;

use crate::vocabulary::{KeyDef, KeyType, ResourcePolicyType, Vocabulary};

/// The caller kinds of `global-keys.json`'s `present_for`.
pub fn kind_name(kind: PrincipalType) -> &'static str {
    match kind {
        PrincipalType::User => "user",
        // Web-identity and SAML callers are role sessions (AssumeRoleWithWebIdentity/SAML).
        PrincipalType::Role
        | PrincipalType::AssumedRole
        | PrincipalType::WebIdentity
        | PrincipalType::Saml => "assumed-role",
        PrincipalType::Root => "root",
        PrincipalType::FederatedUser => "federated-user",
        PrincipalType::Service => "service",
        PrincipalType::Anonymous => "anonymous",
    }
}

/// The global keys every request of a caller of this kind carries.
pub fn always_present(kind: PrincipalType) -> impl Iterator<Item = &'static KeyDef> {
    let name = kind_name(kind);
    Vocabulary::get()
        .services
        .global_condition_keys
        .iter()
        .filter(move |k| k.present_for.iter().any(|p| p == name))
}

/// True for callers that can have no identity-based policies (root, services, anonymous, and a
/// web identity or SAML provider's user asking for a role: only the trust policy decides).
pub fn policyless(kind: PrincipalType) -> bool {
    matches!(
        kind,
        PrincipalType::Root
            | PrincipalType::Service
            | PrincipalType::Anonymous
            | PrincipalType::WebIdentity
            | PrincipalType::Saml
    )
}

/// True when a resource-based policy of type `rp` governs action `index` (the action targets
/// the type, and for a trust policy it is one of the actions trust policies govern).
pub fn policy_governs(rp: &ResourcePolicyType, v: &Vocabulary, index: usize) -> bool {
    let (service, action) = v.action(index);
    service.prefix == rp.service
        && action
            .resources
            .iter()
            .any(|r| r.resource_type == rp.resource_type)
        && (rp.actions.is_empty()
            || rp
                .actions
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&format!("{}:{}", service.prefix, action.name))))
}

/// The resource-based policy type of a world resource type, if it takes one.
pub fn policy_type_of(service: &str, resource_type: &str) -> Option<&'static ResourcePolicyType> {
    Vocabulary::get()
        .resource_policies
        .types
        .iter()
        .find(|t| t.service == service && t.resource_type == resource_type)
}

/// True for the actions only a role's trust policy can allow (`sts:AssumeRole`...).
pub fn needs_trust_policy(action: &str) -> bool {
    Vocabulary::get()
        .resource_policies
        .types
        .iter()
        .filter(|t| t.kind == "trust")
        .flat_map(|t| t.actions.iter())
        .any(|a| a.eq_ignore_ascii_case(action))
}

/// True when every resource of this type carries a resource-based policy that governs
/// `action` and that AWS never lets go: a KMS key's key policy for the `kms:` actions on the key
/// (AWS KMS Developer Guide, "Key policies in AWS KMS": every KMS key has exactly one key
/// policy). A role's trust policy is the other such policy; [`needs_trust_policy`] covers it.
pub fn key_policy_governs(action: &str, service: &str, resource_type: &str) -> bool {
    policy_type_of(service, resource_type).is_some_and(|rp| {
        rp.kind == "key"
            && action
                .split_once(':')
                .is_some_and(|(prefix, _)| prefix.eq_ignore_ascii_case(&rp.service))
    })
}

/// True for the actions a realistic request makes only together with a policy AWS always
/// attaches: the `sts:AssumeRole*` family (a role's trust policy) and the actions on a KMS key
/// (its key policy). The realistic preset draws them only in cases that carry that policy.
pub fn needs_attached_policy(v: &Vocabulary, index: usize) -> bool {
    let (service, action) = v.action(index);
    let name = format!("{}:{}", service.prefix, action.name);
    needs_trust_policy(&name)
        || action
            .resources
            .iter()
            .any(|r| key_policy_governs(&name, &service.prefix, &r.resource_type))
}

/// True for keys the generator made up (`iamspec:...`).
pub fn is_synthetic(key: &str) -> bool {
    Vocabulary::get()
        .samples
        .synthetic_keys
        .iter()
        .any(|k| k.name.eq_ignore_ascii_case(key))
        || key.to_ascii_lowercase().starts_with("iamspec:")
}

/// The TLS versions `s3:TlsVersion` takes (Amazon S3 User Guide, "Enforcing a minimum TLS
/// version": the key holds the TLS version of the connection, 1.0 to 1.3).
const TLS_VERSIONS: &[&str] = &["1.0", "1.1", "1.2", "1.3"];

/// True when `value` lies in the domain of key `name` of type `key_type`: numbers are
/// non-negative (integers where the docs count seconds), dates ISO 8601, addresses without a
/// mask, booleans `true`/`false`, ARNs `arn:...`, and the named shapes of `global-keys.json`.
pub fn in_domain(name: &str, key_type: KeyType, value: &str) -> bool {
    let v = Vocabulary::get();
    let domain = v.definition(name).and_then(|d| d.domain.as_deref());
    if name.eq_ignore_ascii_case("s3:TlsVersion") {
        return TLS_VERSIONS.contains(&value);
    }
    match domain {
        Some("epoch-seconds") | Some("non-negative-integer") => {
            return value.parse::<u64>().is_ok()
        }
        Some("iso-8601") => return is_iso_date(value),
        Some("ip-address") => return value.parse::<IpAddr>().is_ok(),
        Some("account-id") => {
            return value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
        }
        Some("region") => return v.samples.regions.iter().any(|r| r == value),
        Some("principal-type") => {
            return ["User", "AssumedRole", "FederatedUser", "Account"].contains(&value)
        }
        Some("org-id") => return value.starts_with("o-"),
        _ => {}
    }
    match key_type {
        KeyType::Numeric => value
            .parse::<f64>()
            .map(|n| n.is_finite() && n >= 0.0 && n <= u32::MAX as f64)
            .unwrap_or(false),
        KeyType::Date => is_iso_date(value),
        KeyType::Ip => value.parse::<IpAddr>().is_ok(),
        KeyType::Bool | KeyType::ArrayOfBool => value == "true" || value == "false",
        KeyType::Arn | KeyType::ArrayOfArn => value.starts_with("arn:"),
        KeyType::Binary | KeyType::String | KeyType::ArrayOfString => true,
    }
}

/// `YYYY-MM-DDTHH:MM:SS` with an optional fraction and `Z` or `±HH:MM`.
fn is_iso_date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() < 20 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(|c| c.is_ascii_digit());
    let shape = digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let rest = &value[19..];
    let rest = match rest.strip_prefix('.') {
        Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => rest,
    };
    shape
        && (rest == "Z"
            || (rest.len() == 6
                && (rest.starts_with('+') || rest.starts_with('-'))
                && rest.as_bytes()[3] == b':'))
}
