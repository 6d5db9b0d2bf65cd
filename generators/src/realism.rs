//! What AWS could have produced: the rules a realistic case keeps, and a check that lists the
//! rules a generated case breaks. The realistic preset ([`Settings::realistic`]) generates
//! cases that break none; the other presets may break them (the adversarial preset on purpose),
//! and a written case says which it breaks. `iamspec gen --stats` counts the cases breaking each
//! rule.
//!
//! Sources: the IAM User Guide (global condition keys and their availability, in
//! `data/global-keys.json`; principals; policy types), the resource types that take a
//! resource-based policy (`data/resource-policies.json`), the AWS Organizations User Guide
//! (RCPFullAWSAccess is attached to every root, OU and account and cannot be detached; every
//! root, OU and account keeps at least one SCP: the Organizations API reference, `DetachPolicy`,
//! error `MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED`), the
//! AWS KMS Developer Guide (every KMS key has exactly one key policy).
//!
//! This module checks; it generates nothing (the generators call its helpers to stay inside
//! the rules).
//!
//! [`Settings::realistic`]: crate::settings::Settings::realistic

use iamspec::context::ContextEntry;
use iamspec::policy::{parse_policy, ActionBlock, Effect, Policy, PolicyType, ResourceBlock};
use iamspec::request::PrincipalType;
use iamspec_format::{Case, CasePolicy, CaseResource};

use crate::case::GeneratedCase;
use crate::domains::{
    always_present, in_domain, is_synthetic, key_policy_governs, kind_name, needs_trust_policy,
    policy_type_of,
};
use crate::policy::{Document, GenPolicy};
use crate::vocabulary::{ResourcePolicyType, Vocabulary};
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
        "Service principals, anonymous callers and web identity or SAML providers' users get access only through resource-based policies.";
    ResourcePolicyUnsupported => "resource-policy-where-service-has-none",
        "A resource-based policy only for requests on resource types that take one (trust policies only for the sts actions they govern).";
    RoleWithoutTrustPolicy => "role-without-trust-policy",
        "Every role an sts:AssumeRole*/TagSession/SetSourceIdentity request names has a trust policy.";
    KeyWithoutKeyPolicy => "kms-key-without-key-policy",
        "Every KMS key a kms: request names has its key policy (every key has exactly one).";
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
    ScpLevelWithoutPolicy => "scp-level-without-policy",
        "Every SCP level has at least one SCP (AWS Organizations keeps one attached to every root, OU and account).";
    InvalidPolicy => "invalid-policy",
        "Every policy document is one AWS accepts.";
    ProviderInAnotherAccount => "provider-in-another-account",
        "A web identity or SAML provider's user asks only for roles of the account its IAM identity provider belongs to (a role trusts a provider created in IAM in the role's own account).";
}

/// One broken rule, with what broke it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// What broke it (a request name, a key, a policy id).
    pub detail: String,
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
    if matches!(
        kind,
        PrincipalType::Service
            | PrincipalType::Anonymous
            | PrincipalType::WebIdentity
            | PrincipalType::Saml
    ) && identity_side
    {
        add(Rule::PolicylessCallerWithPolicies, kind_name(kind).into());
    }
    for r in &case.requests {
        for res in &r.resources {
            if provider_in_another_account(kind, &case.caller.account, &res.arn) {
                add(
                    Rule::ProviderInAnotherAccount,
                    format!("{} {}", r.name, res.arn),
                );
            }
        }
        let trust = needs_trust_policy(&r.action);
        if trust && ps.resource.is_none() {
            add(Rule::RoleWithoutTrustPolicy, r.name.clone());
        }
        if ps.resource.is_none() {
            for res in &r.resources {
                if world_types(&case.world, &res.arn)
                    .any(|(s, t)| key_policy_governs(&r.action, s, t))
                {
                    add(
                        Rule::KeyWithoutKeyPolicy,
                        format!("{} {} {}", r.name, r.action, res.arn),
                    );
                }
            }
        }
        if ps.resource.is_some() {
            for res in &r.resources {
                let supported = world_types(&case.world, &res.arn)
                    .filter_map(|(s, t)| policy_type_of(s, t))
                    .any(|rp| rp.actions.is_empty() || rp.actions.iter().any(|a| a == &r.action));
                if !supported {
                    add(
                        Rule::ResourcePolicyUnsupported,
                        format!("{} {} {}", r.name, r.action, res.arn),
                    );
                }
            }
        }
        // A named near miss leaves out one key, the one it names.
        let left_out = (r.mutation.as_deref() == Some(crate::request::KEY_LEFT_OUT))
            .then_some(r.mutation_detail.as_deref())
            .flatten();
        let present: Vec<&str> = r.context.iter().map(|e| e.key.as_str()).collect();
        for key in missing_always_present(kind, &present, left_out) {
            add(Rule::AlwaysPresentKeyMissing, format!("{} {key}", r.name));
        }
        for e in r.all_context() {
            check_entry(e, &r.name, &mut add);
        }
    }
    for p in ps.all() {
        check_policy(p, &mut add);
    }
    for (i, (_, level)) in ps
        .all_levels()
        .into_iter()
        .filter(|(t, _)| *t == iamspec::policy::PolicyType::Scp)
        .enumerate()
    {
        if level.is_empty() {
            add(Rule::ScpLevelWithoutPolicy, format!("level {i}"));
        }
    }
    let rcp_levels = ps
        .all_levels()
        .into_iter()
        .filter(|(t, _)| *t == iamspec::policy::PolicyType::Rcp);
    for (i, (_, level)) in rcp_levels.enumerate() {
        if !level.iter().any(is_full_access) {
            add(Rule::RcpLevelWithoutFullAccess, format!("level {i}"));
        }
    }
    out
}

/// The keys always present for a caller of `kind` (IAM User Guide, "AWS global condition
/// context keys") that the request's own context (`present`, its key names) lacks, but for the
/// one a named `key-left-out` near miss leaves out on purpose. Keys compare without ASCII case.
fn missing_always_present<'a>(
    kind: PrincipalType,
    present: &'a [&'a str],
    left_out: Option<&'a str>,
) -> impl Iterator<Item = &'static str> + 'a {
    always_present(kind)
        .map(|key| key.name.as_str())
        .filter(move |name| {
            !present.iter().any(|k| k.eq_ignore_ascii_case(name))
                && left_out.is_none_or(|k| !k.eq_ignore_ascii_case(name))
        })
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
    match &p.document {
        Document::Invalid { broken, .. } => {
            add(Rule::InvalidPolicy, format!("{} ({broken})", p.id));
        }
        Document::Model { policy, .. } => check_model(&p.id, policy, add),
    }
}

fn check_model(id: &str, policy: &Policy, add: &mut impl FnMut(Rule, String)) {
    for s in &policy.statements {
        for c in &s.conditions {
            if is_synthetic(&c.key) {
                add(Rule::SyntheticKey, format!("{id} {}", c.key));
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
                format!("{id} statement {}: {detail}", s.index),
            );
        }
    }
}

/// The rules a case *file* breaks (any case: generated by any version, written by hand, shrunk
/// by `iamspec diff`), read from the file alone: the caller's type, the policies' text, each
/// request's action, resources, context and description (`near miss (key-left-out): ...`).
/// The resource type of an ARN is found by matching the ARN formats of the resource types that
/// take a resource-based policy.
pub fn case_file_violations(case: &Case) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut add = |rule: Rule, detail: String| out.push(Violation { rule, detail });
    let ps = &case.policies;
    let kind = match case.principal.principal_type.as_deref() {
        Some("user") => PrincipalType::User,
        Some("root") => PrincipalType::Root,
        Some("federated-user") => PrincipalType::FederatedUser,
        Some("service") => PrincipalType::Service,
        Some("anonymous") => PrincipalType::Anonymous,
        Some("role") => PrincipalType::Role,
        Some("web-identity") => PrincipalType::WebIdentity,
        Some("saml") => PrincipalType::Saml,
        _ => PrincipalType::AssumedRole,
    };
    let identity_side =
        !ps.identity.is_empty() || ps.permissions_boundary.is_some() || !ps.session.is_empty();
    if kind == PrincipalType::Root && identity_side {
        add(Rule::RootWithPolicies, case.principal.arn.clone());
    }
    if crate::domains::policyless(kind) && kind != PrincipalType::Root && identity_side {
        add(Rule::PolicylessCallerWithPolicies, kind_name(kind).into());
    }
    let typed = |p: &CasePolicy, t: PolicyType| -> Option<Policy> {
        p.text().ok().and_then(|text| parse_policy(&text, t).ok())
    };
    let mut policies: Vec<(&CasePolicy, PolicyType)> = Vec::new();
    policies.extend(ps.identity.iter().map(|p| (p, PolicyType::Identity)));
    policies.extend(ps.resource.iter().map(|p| (p, PolicyType::Resource)));
    policies.extend(
        ps.permissions_boundary
            .iter()
            .map(|p| (p, PolicyType::PermissionsBoundary)),
    );
    policies.extend(ps.session.iter().map(|p| (p, PolicyType::Session)));
    // The SCP and RCP levels: the flat paths, then every organization's accounts' paths.
    let org_accounts = ps.organizations.iter().flat_map(|o| o.accounts.iter());
    let scp_levels: Vec<&Vec<CasePolicy>> = ps
        .scps
        .iter()
        .chain(org_accounts.clone().flat_map(|a| a.scps.iter()))
        .collect();
    let rcp_levels: Vec<&Vec<CasePolicy>> = ps
        .rcps
        .iter()
        .chain(org_accounts.flat_map(|a| a.rcps.iter()))
        .collect();
    policies.extend(
        scp_levels
            .iter()
            .copied()
            .flatten()
            .map(|p| (p, PolicyType::Scp)),
    );
    policies.extend(
        rcp_levels
            .iter()
            .copied()
            .flatten()
            .map(|p| (p, PolicyType::Rcp)),
    );
    policies.extend(ps.vpc_endpoint.iter().map(|p| (p, PolicyType::VpcEndpoint)));
    for (p, t) in &policies {
        match typed(p, *t) {
            None => add(Rule::InvalidPolicy, p.id.clone()),
            Some(model) => check_model(&p.id, &model, &mut add),
        }
    }
    for (i, level) in scp_levels.iter().enumerate() {
        if level.is_empty() {
            add(Rule::ScpLevelWithoutPolicy, format!("level {i}"));
        }
    }
    for (i, level) in rcp_levels.iter().enumerate() {
        let full = level
            .iter()
            .any(|p| typed(p, PolicyType::Rcp).is_some_and(|m| model_is_full_access(&m)));
        if !full {
            add(Rule::RcpLevelWithoutFullAccess, format!("level {i}"));
        }
    }
    for r in &case.requests {
        if needs_trust_policy(&r.action) && ps.resource.is_none() {
            add(Rule::RoleWithoutTrustPolicy, r.name.clone());
        }
        let resources: Vec<&CaseResource> = r
            .resource
            .iter()
            .chain(r.resources.iter().flatten())
            .collect();
        for res in &resources {
            if provider_in_another_account(kind, arn_account(&case.principal.arn), &res.arn) {
                add(
                    Rule::ProviderInAnotherAccount,
                    format!("{} {}", r.name, res.arn),
                );
            }
        }
        if ps.resource.is_none() {
            for res in &resources {
                let key = arn_policy_types(&res.arn).any(|rp| {
                    rp.kind == "key"
                        && key_policy_governs(&r.action, &rp.service, &rp.resource_type)
                });
                if key {
                    add(
                        Rule::KeyWithoutKeyPolicy,
                        format!("{} {} {}", r.name, r.action, res.arn),
                    );
                }
            }
        }
        if ps.resource.is_some() {
            for res in &resources {
                // A policy governs its own service's actions (a KMS key's policy is not read
                // for `kinesis:StartStreamEncryption` on that key).
                let service = r.action.split(':').next().unwrap_or("");
                let supported = arn_policy_types(&res.arn).any(|rp| {
                    rp.service.eq_ignore_ascii_case(service)
                        && (rp.actions.is_empty() || rp.actions.iter().any(|a| a == &r.action))
                });
                if !supported {
                    add(
                        Rule::ResourcePolicyUnsupported,
                        format!("{} {} {}", r.name, r.action, res.arn),
                    );
                }
            }
        }
        // A named near miss leaves out one key, the one it names.
        let prefix = format!("near miss ({}): ", crate::request::KEY_LEFT_OUT);
        let left_out = r
            .description
            .as_deref()
            .and_then(|d| d.strip_prefix(prefix.as_str()));
        let present: Vec<&str> = r.context.iter().map(|e| e.key.as_str()).collect();
        for key in missing_always_present(kind, &present, left_out) {
            add(Rule::AlwaysPresentKeyMissing, format!("{} {key}", r.name));
        }
        let items = r
            .context
            .iter()
            .chain(resources.iter().flat_map(|x| x.context.iter()));
        for item in items {
            let entry = ContextEntry {
                key: item.key.clone(),
                key_type: iamspec::context::ContextKeyType::String,
                values: item.values.clone(),
            };
            check_entry(&entry, &r.name, &mut add);
        }
    }
    out
}

/// The account field of an ARN (`""` when it has none or is not an ARN).
fn arn_account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or("")
}

/// True when a caller of `kind` whose IAM identity provider belongs to account `provider`
/// names a resource of another account: a web identity or SAML provider's user asks for a
/// role, and the role's trust policy names a provider created in IAM in the role's account
/// (IAM User Guide, "Create a role for SAML 2.0 federation" and "Create a role for OpenID
/// Connect federation": the provider is created first, then the role that trusts it). The docs
/// describe no role trusting another account's provider. A provider outside IAM
/// (`accounts.google.com`, `cognito-identity.amazonaws.com`) has no account.
pub fn provider_in_another_account(
    kind: PrincipalType,
    provider: &str,
    resource_arn: &str,
) -> bool {
    let resource = arn_account(resource_arn);
    matches!(kind, PrincipalType::WebIdentity | PrincipalType::Saml)
        && !provider.is_empty()
        && !resource.is_empty()
        && resource != provider
}

/// The resource-policy types whose ARN format matches `arn` (placeholders match anything).
fn arn_policy_types(arn: &str) -> impl Iterator<Item = &'static ResourcePolicyType> + '_ {
    let v = Vocabulary::get();
    let format_of = |service: &str, resource_type: &str| {
        v.services
            .services
            .iter()
            .find(|s| s.prefix == service)
            .and_then(|s| s.resource_types.iter().find(|r| r.name == resource_type))
            .map(|rt| rt.arn.as_str())
    };
    // Only the most specific formats the ARN has the shape of (the most literal text):
    // `function:NAME:1/durable-execution/...` has the shape of a Lambda function's format too
    // (`function:${FunctionName}`), but it is a durable execution's ARN.
    let service = arn.split(':').nth(2).unwrap_or("");
    let most_literal = v
        .services
        .services
        .iter()
        .flat_map(|s| s.resource_types.iter())
        .filter(|rt| rt.arn.split(':').nth(2) == Some(service))
        .filter(|rt| arn_matches_format(arn, &rt.arn))
        .map(|rt| literal_length(&rt.arn))
        .max();
    v.resource_policies.types.iter().filter(move |t| {
        format_of(&t.service, &t.resource_type).is_some_and(|format| {
            arn_matches_format(arn, format) && Some(literal_length(format)) == most_literal
        })
    })
}

/// The literal text of an ARN format between its `${...}` placeholders (one part more than it
/// has placeholders; an unclosed `${` stays literal).
fn literal_parts(format: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        parts.push(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    parts.push(rest);
    parts
}

/// The length of an ARN format without its `${...}` placeholders.
fn literal_length(format: &str) -> usize {
    literal_parts(format).iter().map(|part| part.len()).sum()
}

/// True when `arn` has the shape of an ARN format (each `${...}` matches one or more
/// characters, the partition any).
fn arn_matches_format(arn: &str, format: &str) -> bool {
    let pattern = literal_parts(format).join("?*");
    iamspec::matching::glob::wildcard_match(&pattern, arn, false) && arn != "*"
}

/// True for RCPFullAWSAccess as a parsed policy.
fn model_is_full_access(model: &Policy) -> bool {
    model.statements.len() == 1
        && model.statements.iter().all(|s| {
            s.effect == Effect::Allow
                && s.conditions.is_empty()
                && matches!(&s.action, ActionBlock::Action(a) if a.len() == 1 && a[0] == "*")
                && matches!(&s.resource, Some(ResourceBlock::Resource(r)) if r.len() == 1 && r[0] == "*")
        })
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
    p.policy_type == PolicyType::Rcp && p.model().is_some_and(model_is_full_access)
}

/// The (service, resource type) of a world resource by its ARN (the first, when several
/// services name one ARN: see [`world_types`]).
pub fn world_type<'w>(world: &'w World, arn: &'w str) -> Option<(&'w str, &'w str)> {
    world_types(world, arn).next()
}

/// Every (service, resource type) of the world resources with this ARN: a role is both `iam`'s
/// `role` and `sts`'s `role`.
pub fn world_types<'w>(
    world: &'w World,
    arn: &'w str,
) -> impl Iterator<Item = (&'w str, &'w str)> + 'w {
    world
        .resources
        .iter()
        .filter(move |r| r.arn == arn)
        .map(|r| (r.service.as_str(), r.resource_type.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::KeyType;

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
    fn arns_match_the_formats_of_types_that_take_resource_policies() {
        let kinds = |arn: &str| {
            arn_policy_types(arn)
                .map(|t| t.kind.as_str())
                .collect::<Vec<_>>()
        };
        assert!(kinds("arn:aws:s3:::bucket/key").contains(&"bucket"));
        assert!(kinds("arn:aws:iam::111122223333:role/Admin").contains(&"trust"));
        assert!(kinds("arn:aws:kms:us-east-1:111122223333:key/1234").contains(&"key"));
        assert!(kinds("arn:aws:ec2:us-east-1:111122223333:instance/i-1").is_empty());
        assert!(kinds("*").is_empty());
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
