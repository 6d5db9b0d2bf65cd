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

use iamspec::context::ContextEntry;
use iamspec::policy::{ActionBlock, Effect, PolicyType, ResourceBlock};
use iamspec::request::PrincipalType;

use crate::case::GeneratedCase;
use crate::domains::{
    always_present, in_domain, is_synthetic, kind_name, needs_trust_policy, policy_type_of,
};
use crate::policy::{Document, GenPolicy};
use crate::vocabulary::Vocabulary;
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
    fn trust_policies_govern_only_the_assume_role_family() {
        assert!(needs_trust_policy("sts:AssumeRole"));
        assert!(needs_trust_policy("sts:TagSession"));
        assert!(!needs_trust_policy("sts:GetCallerIdentity"));
        assert!(policy_type_of("s3", "bucket").is_some());
        assert!(policy_type_of("ec2", "instance").is_none());
    }
}
