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

/// The organization shape of a case with `policies.organizations`: where the caller's account
/// and each resource's account stand (member, management account, outside; same or another
/// organization), as corpus tags (`org:organizations`, `org:outside-organization`,
/// `org:two-organizations`, `org:management-account`, `org:levels`, `policy:scp`,
/// `policy:rcp`) and generator-only `org-shape:` tags for the statistics.
fn organization_shapes(case: &GeneratedCase, add: &mut impl FnMut(&str)) {
    let orgs = &case.policies.organizations;
    add("org:organizations");
    // (organization index, management?) of an account, or None outside every organization.
    let standing = |account: &str| -> Option<(usize, bool)> {
        orgs.iter().enumerate().find_map(|(i, o)| {
            if o.management_account.as_deref() == Some(account) {
                Some((i, true))
            } else {
                o.accounts
                    .iter()
                    .any(|a| a.account == account)
                    .then_some((i, false))
            }
        })
    };
    for a in orgs.iter().flat_map(|o| o.accounts.iter()) {
        if !a.scps.is_empty() {
            add("policy:scp");
        }
        if !a.rcps.is_empty() {
            add("policy:rcp");
        }
        if a.scps.len() > 1 || a.rcps.len() > 1 {
            add("org:levels");
        }
    }
    let caller = standing(&case.caller.account);
    add(match caller {
        None => "org-shape:caller-outside",
        Some((_, true)) => "org-shape:caller-management-account",
        Some(_) => "org-shape:caller-member",
    });
    match caller {
        None => add("org:outside-organization"),
        Some((_, true)) => add("org:management-account"),
        Some(_) => {}
    }
    for r in &case.requests {
        for res in &r.resources {
            let owner = res.owner.as_deref().unwrap_or(&case.caller.account);
            let resource = standing(owner);
            add(match (caller, resource) {
                (_, None) => "org-shape:resource-outside",
                (_, Some((_, true))) => "org-shape:resource-management-account",
                (Some((c, _)), Some((o, false))) if c == o => {
                    "org-shape:resource-member-same-organization"
                }
                (Some(_), Some(_)) => "org-shape:resource-member-other-organization",
                (None, Some(_)) => "org-shape:resource-member-caller-outside",
            });
            match (caller, resource) {
                (_, None) => add("org:outside-organization"),
                (Some((c, _)), Some((o, _))) if c != o => add("org:two-organizations"),
                _ => {}
            }
        }
    }
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
    if !ps.organizations.is_empty() {
        organization_shapes(case, &mut add);
    }
    if ps.vpc_endpoint.is_some() {
        add("policy:vpc-endpoint");
        let through = case.requests.iter().any(|r| {
            r.context
                .iter()
                .any(|e| e.key.eq_ignore_ascii_case("aws:SourceVpce"))
        });
        add(if through {
            "vpc-endpoint:request-through-endpoint"
        } else {
            "vpc-endpoint:no-request-through-endpoint"
        });
    }
    if ps.resource.is_some() {
        // The kind of resource-based policy, as the evaluator reads it from the resource ARNs
        // (`policies.resource_kind` is never written by the generators).
        for r in &case.requests {
            for res in r.resources.iter().filter(|x| x.arn != "*") {
                let kind = iamspec::resource_policy::ResourcePolicyKind::infer(&res.arn);
                add(&format!("resource-kind:{}", kind.name()));
                match kind {
                    iamspec::resource_policy::ResourcePolicyKind::RoleTrust
                        if r.action.starts_with("sts:") =>
                    {
                        add("policy:role-trust")
                    }
                    iamspec::resource_policy::ResourcePolicyKind::KmsKey
                        if r.action.starts_with("kms:") =>
                    {
                        add("policy:kms-key")
                    }
                    _ => {}
                }
            }
        }
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
                                if *kind == PrincipalKind::Federated {
                                    add("principal:federated");
                                }
                                if *kind == PrincipalKind::CanonicalUser {
                                    add("principal:named-canonical-user");
                                }
                                if Some(value) == crate::world::unique_id(&case.caller).as_ref() {
                                    add("principal:named-unique-id");
                                }
                                if Some(value)
                                    == crate::world::federating_user(&case.caller).as_ref()
                                {
                                    add("principal:named-federating-user");
                                }
                                // A root user's ARN is its account's principal: the account
                                // ID and `arn:aws:iam::ID:root` name the same caller, which the
                                // evaluator decides as named directly, so both spellings are one
                                // tag (they made one difference two signatures).
                                let root_by_account = c.kind == PrincipalType::Root
                                    && (*value == c.account
                                        || *value == format!("arn:aws:iam::{}:root", c.account));
                                if *kind == PrincipalKind::Aws && value == "*" {
                                    add("principal:wildcard");
                                } else if *value == c.arn || root_by_account {
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
        if r.all_context().any(|e| e.key_type.is_list()) {
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
