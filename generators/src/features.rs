//! Which features a generated case exercises, as corpus feature tags (`corpus/features.json`),
//! read off the case itself (its policies, requests and the reference evaluator's answer) so
//! that the tags stay true after shrinking or a metamorphic rewrite.
//!
//! [`corpus_vocabulary`] is the corpus's tag list; [`detect`] may return generator-only tags
//! (such as `condition:block`), which [`crate::serialise`] leaves out of case files.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use iamspec::condition::{OperatorFamily, SetOperator};
use iamspec::explain::Decision;
use iamspec::policy::{
    ActionBlock, Effect, PolicyType, PolicyVersion, PrincipalBlock, PrincipalKind, PrincipalSpec,
    ResourceBlock,
};
use iamspec::request::PrincipalType;

use crate::case::{GeneratedCase, Outcome};
use crate::policy::Document;
use crate::vocabulary::Vocabulary;

const CORPUS_FEATURES_JSON: &str = include_str!("../vocabulary/features.json");

/// The corpus's feature tags.
pub fn corpus_vocabulary() -> &'static BTreeSet<String> {
    static TAGS: OnceLock<BTreeSet<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(CORPUS_FEATURES_JSON)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    })
}

/// The features a case exercises, given the evaluator's answer to it.
pub fn detect(case: &GeneratedCase, outcome: &Outcome) -> BTreeSet<String> {
    let mut f: BTreeSet<String> = BTreeSet::new();
    let mut add = |t: &str| {
        f.insert(t.to_string());
    };
    let v = Vocabulary::get();
    let ps = &case.policies;
    if !ps.identity.is_empty() {
        add("policy:identity");
    }
    if ps.identity.len() > 1 {
        add("policy:multiple");
    }
    if ps.resource.is_some() {
        add("policy:resource-based");
        add("grammar:principal");
    }
    if ps.permissions_boundary.is_some() {
        add("policy:permissions-boundary");
    }
    if !ps.session.is_empty() {
        add("policy:session");
    }
    if !ps.scps.is_empty() {
        add("policy:scp");
    }
    if !ps.rcps.is_empty() {
        add("policy:rcp");
    }
    if ps.scps.len() > 1 || ps.rcps.len() > 1 {
        add("org:levels");
    }
    if case.caller.management_account {
        add("org:management-account");
    }
    if case
        .caller
        .role_arn
        .as_deref()
        .is_some_and(|r| r.contains(":role/aws-service-role/"))
    {
        add("org:service-linked-role");
    }
    match case.caller.kind {
        PrincipalType::User => add("principal:user"),
        PrincipalType::AssumedRole => add("principal:assumed-role"),
        PrincipalType::FederatedUser => add("principal:federated-user"),
        PrincipalType::Root => add("principal:root"),
        PrincipalType::Service => add("principal:service"),
        PrincipalType::Anonymous => add("principal:anonymous"),
        PrincipalType::WebIdentity => add("principal:web-identity"),
        PrincipalType::Saml => add("principal:saml"),
        PrincipalType::Role => {}
    }
    let world_arns: Vec<&str> = case
        .world
        .resources
        .iter()
        .map(|r| r.arn.as_str())
        .collect();
    for p in ps.all() {
        let (policy, style) = match &p.document {
            Document::Model { policy, style } => (policy, style),
            Document::Invalid { broken, .. } => {
                // Tagged only when the evaluator did reject the case.
                if matches!(outcome, Outcome::Rejected { .. }) {
                    add("validation:error");
                    if broken == "malformed-json" {
                        add("validation:malformed-json");
                    }
                }
                continue;
            }
        };
        match policy.version {
            Some(PolicyVersion::V2008_10_17) => add("grammar:version-2008"),
            None => add("grammar:version-absent"),
            _ => {}
        }
        if style.statement_object && policy.statements.len() == 1 {
            add("grammar:statement-object");
        }
        if style.scalar_single {
            add("grammar:string-or-list");
        }
        let vars = policy.variables_enabled();
        for s in &policy.statements {
            add(match s.effect {
                Effect::Allow => "effect:allow",
                Effect::Deny => "effect:deny",
            });
            if s.sid.is_some() {
                add("grammar:sid");
            }
            let actions = match &s.action {
                ActionBlock::Action(a) => a,
                ActionBlock::NotAction(a) => {
                    add("action:NotAction");
                    a
                }
            };
            for a in actions {
                if a.contains(['*', '?']) {
                    add("action:wildcard");
                } else if v.actions.iter().any(|(name, _, _)| name == a) {
                    add("action:exact");
                } else if v
                    .actions
                    .iter()
                    .any(|(name, _, _)| name.eq_ignore_ascii_case(a))
                {
                    add("action:case-insensitive");
                }
            }
            if let Some(block) = &s.resource {
                let patterns = match block {
                    ResourceBlock::Resource(r) => r,
                    ResourceBlock::NotResource(r) => {
                        add("resource:NotResource");
                        r
                    }
                };
                for r in patterns {
                    if r == "*" {
                        add("resource:star");
                    } else if r.contains("${") {
                        add(if vars {
                            "variable:substitution"
                        } else {
                            "variable:old-version"
                        });
                    } else if r.contains(['*', '?']) {
                        add("resource:wildcard");
                    } else if world_arns.contains(&r.as_str()) {
                        add("resource:exact");
                    } else if world_arns.iter().any(|w| w.eq_ignore_ascii_case(r)) {
                        add("resource:case-sensitive");
                    }
                }
            }
            if let Some(block) = &s.principal {
                let spec = match block {
                    PrincipalBlock::Principal(spec) => spec,
                    PrincipalBlock::NotPrincipal(spec) => {
                        add("principal:NotPrincipal");
                        spec
                    }
                };
                match spec {
                    PrincipalSpec::Wildcard => add("principal:wildcard"),
                    PrincipalSpec::Map(entries) => {
                        for (kind, values) in entries {
                            for value in values {
                                let c = &case.caller;
                                if *kind == PrincipalKind::Aws && value == "*" {
                                    add("principal:wildcard");
                                } else if *value == c.arn {
                                    add("principal:named-directly");
                                } else if Some(value) == c.role_arn.as_ref() {
                                    add("principal:named-role");
                                } else if *value == c.account
                                    || *value == format!("arn:aws:iam::{}:root", c.account)
                                {
                                    add("principal:named-account");
                                }
                            }
                        }
                    }
                }
            }
            let mut operators: Vec<&str> = Vec::new();
            for c in &s.conditions {
                add("condition:block");
                add(&format!("operator:{}", c.operator.base.name()));
                match c.operator.set {
                    Some(SetOperator::ForAllValues) => add("set:ForAllValues"),
                    Some(SetOperator::ForAnyValue) => add("set:ForAnyValue"),
                    None => {}
                }
                if c.operator.if_exists {
                    add("modifier:IfExists");
                }
                if c.values.len() > 1 {
                    add("condition:multi-value-or");
                }
                if !matches!(
                    c.operator.base.family(),
                    OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Null
                ) {
                    add("condition:typed-value");
                }
                if style.json_typed_values
                    && c.values.iter().any(|x| {
                        x == "true"
                            || x == "false"
                            || x.parse::<i64>().is_ok_and(|n| n.to_string() == *x)
                    })
                {
                    add("condition:non-string-json-value");
                }
                if let Some((prefix, _)) = c.key.split_once(':') {
                    if prefix.chars().any(|ch| ch.is_ascii_uppercase()) {
                        add("condition:key-case-insensitive");
                    }
                }
                let stem = c.key.split('/').next().unwrap_or("");
                let tag = format!("key:{stem}");
                if corpus_vocabulary()
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(&tag))
                {
                    let canonical = corpus_vocabulary()
                        .iter()
                        .find(|t| t.eq_ignore_ascii_case(&tag))
                        .cloned()
                        .unwrap_or(tag);
                    add(&canonical);
                }
                for value in &c.values {
                    if value.contains("${") {
                        if !vars {
                            add("variable:old-version");
                        } else if value.contains("${*}")
                            || value.contains("${?}")
                            || value.contains("${$}")
                        {
                            add("variable:special-characters");
                        } else {
                            add("variable:substitution");
                            if value.contains(", '") {
                                add("variable:default");
                            }
                        }
                    }
                }
                if operators.contains(&c.operator_text.as_str()) {
                    add("condition:multi-key-and");
                } else {
                    operators.push(&c.operator_text);
                }
            }
            if operators.len() > 1 {
                add("condition:multi-operator-and");
            }
        }
        let _ = p.policy_type == PolicyType::Identity;
    }
    for r in &case.requests {
        if !ps.rcps.is_empty() && !iamspec::service_data::rcps_apply_to(&r.action) {
            add("org:unsupported-service");
        }
        if r.resources.len() > 1 {
            add("resource:multi-resource");
        }
        let service = r.action.split(':').next().unwrap_or("");
        let tag = format!("service:{service}");
        if corpus_vocabulary().contains(&tag) {
            add(&tag);
        }
        for res in &r.resources {
            if res.arn.contains(":ec2:") && res.arn.contains("::image/")
                || res.arn.starts_with("arn:aws:s3:::")
            {
                add("resource:empty-account");
            }
            match &res.owner {
                Some(owner) if !case.caller.account.is_empty() && *owner != case.caller.account => {
                    add("account:cross")
                }
                _ => add("account:same"),
            }
        }
        if r.context
            .iter()
            .chain(r.resources.iter().flat_map(|x| x.context.iter()))
            .any(|e| e.key_type.is_list())
        {
            add("condition:multi-valued-key");
        }
    }
    if let Outcome::Decided(responses) = outcome {
        add("explain:matched-statements");
        add("explain:missing-context");
        for r in responses.iter().flatten() {
            if r.decision == Decision::ImplicitDeny {
                add("decision:default-deny");
            }
            if !r.missing_context.is_empty() {
                add("condition:absent-key");
            }
        }
    }
    f
}
