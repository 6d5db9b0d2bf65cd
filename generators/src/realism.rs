//! What AWS could have produced: the rules a realistic case keeps, and a check that lists the
//! rules a generated case breaks. The realistic preset ([`Settings::realistic`]) generates
//! cases that break none; the other presets may break them (the adversarial preset on purpose),
//! and a written case says which it breaks. `iamspec gen --stats` counts the cases breaking each
//! rule.
//!
//! Sources: the IAM User Guide (global condition keys and their availability, in
//! `data/global-keys.json`; principals; policy types), the resource types that take a
//! resource-based policy (`data/resource-policies.json`), the AWS Organizations User Guide
//! (RCPFullAWSAccess is attached to every root, OU and account and cannot be detached).
//!
//! This module checks; it generates nothing (the generators call its helpers to stay inside
//! the rules).
//!
//! [`Settings::realistic`]: crate::settings::Settings::realistic

use std::net::IpAddr;

use iamspec::context::ContextEntry;
use iamspec::policy::{ActionBlock, Effect, PolicyType, ResourceBlock};
use iamspec::request::PrincipalType;

use crate::case::GeneratedCase;
use crate::policy::{Document, GenPolicy};
use crate::vocabulary::{KeyDef, KeyType, ResourcePolicyType, Vocabulary};
use crate::world::World;

macro_rules! rules {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// A rule of realistic cases.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = $doc]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The rule's name in reports and case notes.
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// What the rule asks, in one sentence.
            pub fn description(self) -> &'static str {
                match self { $(Rule::$variant => $doc,)* }
            }
        }
    };
}

rules! {
    RootWithPolicies => "root-with-policies",
        "The root user has no identity-based policies, permissions boundary or session policy (none can be attached to it).";
    PolicylessCallerWithPolicies => "service-or-anonymous-with-identity-policies",
        "Service principals and anonymous callers get access only through resource-based policies.";
    ResourcePolicyUnsupported => "resource-policy-where-service-has-none",
        "A resource-based policy only for requests on resource types that take one (trust policies only for the sts actions they govern).";
    RoleWithoutTrustPolicy => "role-without-trust-policy",
        "Every role an sts:AssumeRole*/TagSession/SetSourceIdentity request names has a trust policy.";
    AlwaysPresentKeyMissing => "always-present-key-missing",
        "Every request carries the keys the IAM User Guide says are always present for its caller's kind (unless a named near miss leaves one out).";
    ValueOutsideDomain => "value-outside-key-domain",
        "Every request value lies in its key's domain (its type, and the range or shape the docs give).";
    SyntheticKey => "synthetic-key",
        "No key the generator made up (iamspec:...).";
    CrossServiceStatement => "cross-service-statement",
        "A statement's actions and resource ARNs belong to one service (the service's own ARN formats).";
    RcpLevelWithoutFullAccess => "rcp-level-without-RCPFullAWSAccess",
        "Every RCP level keeps RCPFullAWSAccess (AWS attaches it everywhere and it cannot be detached).";
    InvalidPolicy => "invalid-policy",
        "Every policy document is one AWS accepts.";
}

/// One broken rule, with what broke it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// What broke it (a request name, a key, a policy id).
    pub detail: String,
}

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

/// True for callers that can have no identity-based policies (root, services, anonymous).
pub fn policyless(kind: PrincipalType) -> bool {
    matches!(
        kind,
        PrincipalType::Root | PrincipalType::Service | PrincipalType::Anonymous
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

/// The rules `case` breaks, each with what broke it (empty for a realistic case).
pub fn violations(case: &GeneratedCase) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut add = |rule: Rule, detail: String| out.push(Violation { rule, detail });
    let ps = &case.policies;
    let kind = case.caller.kind;
    let identity_side =
        !ps.identity.is_empty() || ps.permissions_boundary.is_some() || !ps.session.is_empty();
    if kind == PrincipalType::Root && identity_side {
        add(Rule::RootWithPolicies, case.caller.arn.clone());
    }
    if matches!(kind, PrincipalType::Service | PrincipalType::Anonymous) && identity_side {
        add(Rule::PolicylessCallerWithPolicies, kind_name(kind).into());
    }
    for r in &case.requests {
        let trust = needs_trust_policy(&r.action);
        if trust && ps.resource.is_none() {
            add(Rule::RoleWithoutTrustPolicy, r.name.clone());
        }
        if ps.resource.is_some() {
            for res in &r.resources {
                let supported = world_type(&case.world, &res.arn)
                    .and_then(|(s, t)| policy_type_of(s, t))
                    .is_some_and(|rp| {
                        rp.actions.is_empty() || rp.actions.iter().any(|a| a == &r.action)
                    });
                if !supported {
                    add(
                        Rule::ResourcePolicyUnsupported,
                        format!("{} {} {}", r.name, r.action, res.arn),
                    );
                }
            }
        }
        let left_out = r.mutation.as_deref() == Some(crate::request::KEY_LEFT_OUT);
        if !left_out {
            for key in always_present(kind) {
                if !r
                    .context
                    .iter()
                    .any(|e| e.key.eq_ignore_ascii_case(&key.name))
                {
                    add(
                        Rule::AlwaysPresentKeyMissing,
                        format!("{} {}", r.name, key.name),
                    );
                }
            }
        }
        let entries = r
            .context
            .iter()
            .chain(r.resources.iter().flat_map(|x| x.context.iter()));
        for e in entries {
            check_entry(e, &r.name, &mut add);
        }
    }
    for p in ps.all() {
        check_policy(p, &mut add);
    }
    for (i, level) in ps.rcps.iter().enumerate() {
        if !level.iter().any(is_full_access) {
            add(Rule::RcpLevelWithoutFullAccess, format!("level {i}"));
        }
    }
    out
}

fn check_entry(e: &ContextEntry, request: &str, add: &mut impl FnMut(Rule, String)) {
    if is_synthetic(&e.key) {
        add(Rule::SyntheticKey, format!("{request} {}", e.key));
        return;
    }
    let Some(def) = Vocabulary::get().definition(&e.key) else {
        return;
    };
    for value in &e.values {
        if !in_domain(&e.key, def.key_type, value) {
            add(
                Rule::ValueOutsideDomain,
                format!("{request} {}={value}", e.key),
            );
        }
    }
}

fn check_policy(p: &GenPolicy, add: &mut impl FnMut(Rule, String)) {
    let policy = match &p.document {
        Document::Invalid { broken, .. } => {
            add(Rule::InvalidPolicy, format!("{} ({broken})", p.id));
            return;
        }
        Document::Model { policy, .. } => policy,
    };
    for s in &policy.statements {
        for c in &s.conditions {
            if is_synthetic(&c.key) {
                add(Rule::SyntheticKey, format!("{} {}", p.id, c.key));
            }
        }
        let (ActionBlock::Action(actions), Some(ResourceBlock::Resource(resources))) =
            (&s.action, &s.resource)
        else {
            continue;
        };
        if let Some(detail) = cross_service(actions, resources) {
            add(
                Rule::CrossServiceStatement,
                format!("{} statement {}: {detail}", p.id, s.index),
            );
        }
    }
}

/// A pair of an action pattern and an ARN pattern of different services, if any: the ARN's
/// service field must be one of the ARN services of every action's service (`iam` for `sts`'s
/// role, for instance). Patterns with wildcards in the service part are not compared.
pub fn cross_service(actions: &[String], resources: &[String]) -> Option<String> {
    let v = Vocabulary::get();
    for a in actions {
        let Some((prefix, _)) = a.split_once(':') else {
            continue;
        };
        if prefix.contains(['*', '?']) {
            continue;
        }
        let Some(si) = v
            .services
            .services
            .iter()
            .position(|s| s.prefix.eq_ignore_ascii_case(prefix))
        else {
            continue;
        };
        for r in resources {
            let Some(service) = r.split(':').nth(2) else {
                continue;
            };
            if r == "*" || service.contains(['*', '?']) {
                continue;
            }
            if !v.arn_services[si].iter().any(|s| s == service) {
                return Some(format!("{a} with {r}"));
            }
        }
    }
    None
}

/// True for RCPFullAWSAccess: one Allow of `*` on `*` to `*` without a condition.
pub fn is_full_access(p: &GenPolicy) -> bool {
    let Some(model) = p.model() else { return false };
    p.policy_type == PolicyType::Rcp
        && model.statements.len() == 1
        && model.statements.iter().all(|s| {
            s.effect == Effect::Allow
                && s.conditions.is_empty()
                && matches!(&s.action, ActionBlock::Action(a) if a.len() == 1 && a[0] == "*")
                && matches!(&s.resource, Some(ResourceBlock::Resource(r)) if r.len() == 1 && r[0] == "*")
        })
}

/// The (service, resource type) of a world resource by its ARN.
pub fn world_type<'w>(world: &'w World, arn: &str) -> Option<(&'w str, &'w str)> {
    world
        .resources
        .iter()
        .find(|r| r.arn == arn)
        .map(|r| (r.service.as_str(), r.resource_type.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_take_what_the_docs_allow_and_nothing_else() {
        assert!(in_domain("aws:EpochTime", KeyType::Numeric, "1767225600"));
        assert!(!in_domain("aws:EpochTime", KeyType::Numeric, "1.2"));
        assert!(!in_domain("aws:MultiFactorAuthAge", KeyType::Numeric, "-1"));
        assert!(in_domain("aws:MultiFactorAuthAge", KeyType::Numeric, "0"));
        assert!(!in_domain("s3:TlsVersion", KeyType::Numeric, "2147483647"));
        assert!(in_domain("s3:TlsVersion", KeyType::Numeric, "1.2"));
        assert!(in_domain(
            "aws:CurrentTime",
            KeyType::Date,
            "2026-01-01T00:00:00Z"
        ));
        assert!(!in_domain("aws:CurrentTime", KeyType::Date, "1767225600"));
        assert!(in_domain("aws:SourceIp", KeyType::Ip, "203.0.113.10"));
        assert!(!in_domain("aws:SourceIp", KeyType::Ip, "203.0.113.0/24"));
        assert!(in_domain(
            "aws:PrincipalAccount",
            KeyType::String,
            "111122223333"
        ));
        assert!(!in_domain("aws:PrincipalAccount", KeyType::String, "dev"));
        assert!(!in_domain("aws:SecureTransport", KeyType::Bool, "TRUE"));
    }

    #[test]
    fn statements_pair_actions_with_their_own_services_arns() {
        let s = |x: &[&str]| x.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(cross_service(&s(&["s3:GetObject"]), &s(&["arn:aws:s3:::b/k"])).is_none());
        assert!(cross_service(&s(&["sts:AssumeRole"]), &s(&["arn:aws:iam::1:role/r"])).is_none());
        assert!(
            cross_service(&s(&["s3:GetObject"]), &s(&["arn:aws:ec2:r:1:instance/i"])).is_some()
        );
        assert!(cross_service(&s(&["*"]), &s(&["arn:aws:ec2:r:1:instance/i"])).is_none());
    }

    #[test]
    fn every_principal_kind_has_the_time_and_transport_keys() {
        for kind in [
            PrincipalType::User,
            PrincipalType::AssumedRole,
            PrincipalType::Root,
            PrincipalType::FederatedUser,
            PrincipalType::Service,
            PrincipalType::Anonymous,
        ] {
            let names: Vec<&str> = always_present(kind).map(|k| k.name.as_str()).collect();
            for key in ["aws:CurrentTime", "aws:EpochTime", "aws:SecureTransport"] {
                assert!(names.contains(&key), "{kind:?} {names:?}");
            }
            let signed = !matches!(kind, PrincipalType::Service | PrincipalType::Anonymous);
            assert_eq!(names.contains(&"aws:PrincipalArn"), signed, "{kind:?}");
        }
    }

    #[test]
    fn trust_policies_govern_only_the_assume_role_family() {
        assert!(needs_trust_policy("sts:AssumeRole"));
        assert!(needs_trust_policy("sts:TagSession"));
        assert!(!needs_trust_policy("sts:GetCallerIdentity"));
        assert!(policy_type_of("s3", "bucket").is_some());
        assert!(policy_type_of("ec2", "instance").is_none());
    }
}
