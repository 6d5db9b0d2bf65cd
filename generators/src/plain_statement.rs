//! The plainest place, form and parts of a statement — shrinking steps of [`crate::shrink`].
//!
//! Removing elements cannot take a statement out of the policy type it sits in, and cannot
//! empty a policy that must keep one statement. Both left tags in a shrunk case that the
//! difference did not need, and split one cause into several signatures:
//!
//! - **Hoisting** moves one statement of a resource-based policy, permissions boundary, session
//!   policy, SCP, RCP or VPC endpoint policy into an identity-based policy of its own (without
//!   its `Principal`), taking it out of where it was (the whole policy when it was the policy's
//!   only statement and the policy may go; a KMS key policy or role trust policy a request
//!   needs stays, in the form that delegates to IAM when its only statement, a `Deny`, moves),
//!   next to the identity-based policies the case has
//!   or instead of them (an `Allow` of a boundary that a difference needs shows alone only
//!   when the identity side's own `Allow` goes with the move). A pattern or operator that the other side reads
//!   differently then shows in the plainest policy type, so one such cause is one shrunk shape
//!   whichever policy type it was generated in; where the statement's policy type matters the
//!   difference does not hold after the move, and the step is not kept.
//! - **Idling** replaces a statement that must stay but must not apply — the one statement of a
//!   permissions boundary that does not allow the request, an SCP level's statement whose
//!   condition fails — by its idle form: the same effect and `Principal`, one action of the same
//!   service that no request of the case names, `Resource: "*"` and no condition. What made it
//!   not apply (an operator, a `NotAction`, a pattern) is then gone from the case unless the
//!   difference needs it.
//! - **One identity-based policy** for several ([`merged_identity_policies`]), and **a plainer
//!   operator** for a condition ([`plain_operators`]): without `IfExists` or its set operator,
//!   or `StringEquals` (`StringNotEquals` for a negated one) or its family's (in)equality.
//! - **A plain key for `Null`** ([`plain_null_keys`]): `aws:PrincipalArn` or `aws:SourceVpc`,
//!   the same test of presence on a key of the plainest kind.
//! - **Plain values** for values with policy variables ([`plain_values`]): a string
//!   condition's value without its `${...}`, a resource pattern with `*` for each.
//! - **Plain spellings** ([`plain_spellings`]): condition values as JSON strings, a condition
//!   key's service prefix in lower case.
//! - **A present key for `Null`** ([`present_null_keys`]): a `Null` test on an absent key
//!   moved to a key every request carries — kept, like a positive form, when the difference
//!   holds the other way (a misread `Null` misses a match on an absent key and adds one on a
//!   present key).
//! - **Positive forms** ([`positive_forms`]): `NotResource` as `Resource`, `NotAction` as
//!   `Action`, a negated operator as its positive counterpart — kept when the difference holds
//!   the *other* way (a negation turns a missed match into an added one).
//! - **A key or trust policy that delegates to IAM** ([`delegating_resource_policy`]): the
//!   resource's account allowed the service's every action, as AWS's default key policy.
//! - **A session's policies as a user's own**: a role session's or federated user's session
//!   policies become the identity-based policies of a plain IAM user of its account
//!   ([`session_policies_as_identity`]): what a session policy's statement does then shows
//!   without the session.
//!
//! Each step is kept only when the difference still holds, and only when it keeps a realistic
//! case realistic (the shrinker checks every candidate with [`crate::realism::violations`]);
//! none adds a policy type, a key or an operator.

use iamspec::policy::{
    ActionBlock, BaseOperator, Condition, ConditionOperator, OperatorFamily, Policy, PolicyType,
    PolicyVersion, ResourceBlock, Statement,
};

use crate::case::GeneratedCase;
use crate::model::{Document, GenPolicy, GenPolicySet, RenderStyle};
use crate::vocabulary::Vocabulary;

/// Every case with one statement of a policy other than an identity-based one hoisted into an
/// identity-based policy of its own, next to the case's identity-based policies and (when it
/// has some) instead of them (see the module documentation).
pub fn hoisted_statements(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let mut out = Vec::new();
    // Each statement with its policy's id and spelling (values written as JSON numbers or
    // booleans stay so: a peer may read them differently).
    let sources: Vec<(String, usize, Statement, RenderStyle)> = case
        .policies
        .all()
        .filter(|p| p.policy_type != PolicyType::Identity)
        .filter_map(|p| match &p.document {
            Document::Model { policy, style } => Some((p, policy, *style)),
            Document::Invalid { .. } => None,
        })
        .flat_map(|(p, m, style)| {
            m.statements
                .iter()
                .enumerate()
                .map(move |(si, s)| (p.id.clone(), si, s.clone(), style))
        })
        .collect();
    let needed = needs_explicit_allow(case);
    for (id, si, statement, style) in sources {
        let mut c = case.clone();
        if !take_statement(&mut c.policies, &id, si) {
            continue;
        }
        // A KMS key policy or role trust policy a request needs cannot go with its only
        // statement. When that statement is a `Deny`, the policy stays in the form that
        // delegates to IAM (which the signature reads as no resource-based policy) and the
        // `Deny` decides from the identity side; an `Allow` stays where it is (the delegating
        // form is already the plain shape of what it grants: `delegating_resource_policy`).
        let required_gone = needed
            && statement.effect == iamspec::policy::Effect::Deny
            && c.policies.resource.is_none()
            && case.policies.resource.as_ref().is_some_and(|p| p.id == id);
        let bases = if required_gone {
            let mut kept = c.clone();
            kept.policies.resource = case.policies.resource.clone();
            delegating_resource_policy(&kept)
        } else {
            vec![c]
        };
        for c in bases {
            out.extend(hoisted_into(c, &id, &statement, style));
        }
    }
    out
}

/// True when a request of `case` needs a resource-based policy that must allow explicitly (a
/// role's trust policy for its `sts:` actions, a KMS key's policy for `kms:` actions).
fn needs_explicit_allow(case: &GeneratedCase) -> bool {
    case.requests.iter().any(|r| {
        r.resources.iter().any(|x| {
            iamspec::resource_policy::ResourcePolicyKind::infer(&x.arn)
                .requires_explicit_allow(&r.action)
        })
    })
}

/// `c` with `statement` (taken out of policy `id` already) in an identity-based policy of its
/// own: next to the case's identity-based policies and, when it has some, instead of them.
fn hoisted_into(
    mut c: GeneratedCase,
    id: &str,
    statement: &Statement,
    style: RenderStyle,
) -> Vec<GeneratedCase> {
    let mut moved = statement.clone();
    moved.principal = None;
    moved.index = 0;
    moved.sid = None;
    let hoisted = GenPolicy {
        id: fresh_identity_id(&c.policies, id),
        policy_type: PolicyType::Identity,
        document: Document::Model {
            policy: Policy {
                version: Some(PolicyVersion::V2012_10_17),
                id: None,
                statements: vec![moved],
                warnings: Vec::new(),
            },
            style,
        },
    };
    let mut out = Vec::new();
    if !c.policies.identity.is_empty() {
        let mut alone = c.clone();
        alone.policies.identity = vec![hoisted.clone()];
        out.push(alone);
    }
    c.policies.identity.push(hoisted);
    out.push(c);
    out
}

/// The case with a role session's or federated user's session policies as the identity-based
/// policies of a plain IAM user of its account ([`crate::plain_caller`]), its own identity-based
/// policies gone; `None` when the caller has no session policy or is not such a session.
///
/// A session's permissions are those its identity-based policies and its session policies both
/// allow, so a difference about a session policy's statement needs both, and neither the
/// plain caller (which drops the session policies: a user has none) nor hoisting one statement
/// (which leaves the session without a session policy) keeps it. With the session policies as
/// the user's own policies the statement decides alone.
pub fn session_policies_as_identity(case: &GeneratedCase) -> Option<GeneratedCase> {
    if case.policies.session.is_empty() {
        return None;
    }
    let mut c = case.clone();
    c.policies.identity = std::mem::take(&mut c.policies.session)
        .into_iter()
        .map(|mut p| {
            p.policy_type = PolicyType::Identity;
            p
        })
        .collect();
    crate::plain_caller::with_plain_caller(&c)
}

/// The case with its identity-based policies merged into one (their statements in order, under
/// the first policy's id and spelling, values written as JSON numbers and booleans if any
/// policy writes them so); `None` unless it has several, all valid and of one `Version`.
///
/// Several identity-based policies are a mechanism of their own (`policy:multiple`), but one
/// generated case often has several where one would do: a `Deny` in one and the `Allow` that a
/// class-only side needs to show a missed `Deny` in another split one cause by this tag.
pub fn merged_identity_policies(case: &GeneratedCase) -> Option<GeneratedCase> {
    let identity = &case.policies.identity;
    if identity.len() < 2 {
        return None;
    }
    let models: Vec<&Policy> = identity
        .iter()
        .map(GenPolicy::model)
        .collect::<Option<_>>()?;
    let version = models[0].version;
    if models.iter().any(|m| m.version != version) {
        return None;
    }
    let mut merged = identity[0].clone();
    // A `Sid` is unique within a policy (IAM User Guide, "IAM JSON policy elements: Sid"): a
    // repeated one is dropped.
    let mut sids = std::collections::HashSet::new();
    let statements: Vec<Statement> = models
        .iter()
        .flat_map(|m| m.statements.iter().cloned())
        .enumerate()
        .map(|(i, mut s)| {
            s.index = i;
            if s.sid.as_ref().is_some_and(|sid| !sids.insert(sid.clone())) {
                s.sid = None;
            }
            s
        })
        .collect();
    merged.model_mut()?.statements = statements;
    // Values written as JSON numbers or booleans in one policy stay so in the merged one.
    let typed = identity
        .iter()
        .any(|p| matches!(&p.document, Document::Model { style, .. } if style.json_typed_values));
    if let Document::Model { style, .. } = &mut merged.document {
        style.json_typed_values = typed;
    }
    let mut c = case.clone();
    c.policies.identity = vec![merged];
    Some(c)
}

/// Every case with one condition's operator in a plainer form: without its `IfExists`, without
/// its `ForAllValues:`/`ForAnyValue:`, or (not for `Null`) with the base operator
/// `StringEquals` (and, for a negated operator, also `StringNotEquals`) or the equality or
/// inequality of its own family (`NumericGreaterThan` → `NumericNotEquals`...), the modifiers
/// kept.
///
/// What a condition does with a key the request does not carry depends only on those
/// modifiers and on negation, so a difference about absent keys showed once per operator the
/// generator drew; where the operator itself matters the difference does not hold after the
/// change, and the step is not kept.
pub fn plain_operators(case: &GeneratedCase) -> Vec<GeneratedCase> {
    with_each_condition(case, |_, condition| {
        let operator = condition.operator;
        let base = operator.base;
        // Without `IfExists`, without the set operator (the same test on a key the request
        // carries with one value).
        let mut plain: Vec<ConditionOperator> = Vec::new();
        if operator.if_exists {
            plain.push(ConditionOperator {
                if_exists: false,
                ..operator
            });
        }
        if operator.set.is_some() {
            plain.push(ConditionOperator {
                set: None,
                ..operator
            });
        }
        if base != BaseOperator::Null {
            let mut bases = vec![BaseOperator::StringEquals];
            if base.is_negated() {
                bases.push(BaseOperator::StringNotEquals);
            }
            bases.extend(family_equals(base.family()));
            plain.extend(
                bases
                    .into_iter()
                    .filter(|t| *t != base)
                    .map(|t| ConditionOperator {
                        base: t,
                        ..operator
                    }),
            );
        }
        plain
            .into_iter()
            .map(|operator| with_operator(condition, operator))
            .collect()
    })
}

/// `condition` with `operator`, written as its name.
fn with_operator(condition: &Condition, operator: ConditionOperator) -> Condition {
    Condition {
        operator,
        operator_text: operator.name(),
        ..condition.clone()
    }
}

/// Every case with one statement of one policy that `which` picks replaced by each of the
/// statements `variants` gives for it, in policy, statement and variant order: the one walk
/// every statement-level step of this module makes.
fn with_each_statement(
    case: &GeneratedCase,
    which: impl Fn(&GenPolicy) -> bool,
    variants: impl Fn(&Statement) -> Vec<Statement>,
) -> Vec<GeneratedCase> {
    let mut out = Vec::new();
    for (pi, policy) in case.policies.all().enumerate() {
        let Some(model) = policy.model().filter(|_| which(policy)) else {
            continue;
        };
        for (si, statement) in model.statements.iter().enumerate() {
            for variant in variants(statement) {
                let mut c = case.clone();
                let edited = c
                    .policies
                    .all_mut()
                    .nth(pi)
                    .and_then(GenPolicy::model_mut)
                    .map(|m| m.statements[si] = variant)
                    .is_some();
                if edited {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Every case with one condition of one policy replaced by each of the conditions `variants`
/// gives for it (with its statement at hand).
fn with_each_condition(
    case: &GeneratedCase,
    variants: impl Fn(&Statement, &Condition) -> Vec<Condition>,
) -> Vec<GeneratedCase> {
    with_each_statement(
        case,
        |_| true,
        |statement| {
            let mut out = Vec::new();
            for (ci, condition) in statement.conditions.iter().enumerate() {
                for variant in variants(statement, condition) {
                    let mut edited = statement.clone();
                    edited.conditions[ci] = variant;
                    out.push(edited);
                }
            }
            out
        },
    )
}

/// Every case with the policy variables of one value written out plainly: a string
/// condition's value without its `${...}` (the text around them kept) and a `Resource` or
/// `NotResource` pattern with `*` for each of them.
///
/// A variable is a mechanism of its own (`variable:substitution`), but a value with one is
/// often just some value — the key it tests absent, the pattern matching anyway — and then it
/// split a cause from the same cause with a plain value.
pub fn plain_values(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let mut out = with_each_condition(case, |_, condition| {
        if condition.operator.base.family() != OperatorFamily::String {
            return Vec::new();
        }
        (0..condition.values.len())
            .filter_map(|vi| {
                let plain = without_variables(&condition.values[vi], "")?;
                let mut edited = condition.clone();
                edited.values[vi] = plain;
                Some(edited)
            })
            .collect()
    });
    out.extend(with_each_statement(
        case,
        |_| true,
        |statement| {
            let Some(ResourceBlock::Resource(patterns) | ResourceBlock::NotResource(patterns)) =
                &statement.resource
            else {
                return Vec::new();
            };
            (0..patterns.len())
                .filter_map(|ri| {
                    let plain = without_variables(&patterns[ri], "*")?;
                    let mut edited = statement.clone();
                    if let Some(ResourceBlock::Resource(p) | ResourceBlock::NotResource(p)) =
                        &mut edited.resource
                    {
                        p[ri] = plain;
                    }
                    Some(edited)
                })
                .collect()
        },
    ));
    out
}

/// Every case with one policy's spelling made plain: its condition values written as JSON
/// strings when it writes numbers and booleans as such, or one condition key's service prefix
/// in lower case (`AWS:SourceIp` → `aws:SourceIp`).
///
/// Both are shapes a peer may read wrongly (`condition:non-string-json-value`,
/// `condition:key-case-insensitive`), so they are causes when the difference needs them and
/// noise in the signature when it does not.
pub fn plain_spellings(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let mut out = Vec::new();
    let count = case.policies.all().count();
    for pi in 0..count {
        let Some(policy) = case.policies.all().nth(pi) else {
            continue;
        };
        let Document::Model { style, .. } = &policy.document else {
            continue;
        };
        if style.json_typed_values {
            let mut c = case.clone();
            if let Some(Document::Model { style, .. }) =
                c.policies.all_mut().nth(pi).map(|p| &mut p.document)
            {
                style.json_typed_values = false;
            }
            out.push(c);
        }
    }
    out.extend(with_each_condition(case, |_, condition| {
        let Some((prefix, rest)) = condition.key.split_once(':') else {
            return Vec::new();
        };
        if !prefix.chars().any(|ch| ch.is_ascii_uppercase()) {
            return Vec::new();
        }
        vec![Condition {
            key: format!("{}:{rest}", prefix.to_ascii_lowercase()),
            ..condition.clone()
        }]
    }));
    out
}

/// `text` with every `${...}` replaced by `with`; `None` when it has none (or one is not
/// closed).
fn without_variables(text: &str, with: &str) -> Option<String> {
    if !text.contains("${") {
        return None;
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let end = rest[start..].find('}')? + start;
        out.push_str(&rest[..start]);
        out.push_str(with);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Every case with one `Null` condition's key replaced by a plain key: `aws:PrincipalArn`
/// (which every signed request carries) or `aws:SourceVpc` (which only requests through a VPC
/// endpoint carry), whichever it is not already.
///
/// `Null` reads only whether the key is there, so which key it names matters only through
/// that: a difference about `Null` itself showed once per kind of key the generator drew
/// (`condition:multi-valued-key`); where the key's presence changes with the swap, the
/// difference does not hold, and the step is not kept.
pub fn plain_null_keys(case: &GeneratedCase) -> Vec<GeneratedCase> {
    const PLAIN: [&str; 2] = ["aws:PrincipalArn", "aws:SourceVpc"];
    with_each_condition(case, |statement, condition| {
        if condition.operator.base != BaseOperator::Null {
            return Vec::new();
        }
        PLAIN
            .iter()
            .filter(|key| {
                !statement
                    .conditions
                    .iter()
                    .any(|c| c.operator == condition.operator && c.key.eq_ignore_ascii_case(key))
            })
            .map(|key| Condition {
                key: key.to_string(),
                ..condition.clone()
            })
            .collect()
    })
}

/// Every case with one `Null` condition on a key that no request carries moved to
/// `aws:PrincipalArn`, a key every request of the case carries: the same test of presence on a
/// present key.
///
/// `Null` is a test of presence, so a key's presence is its input the way a resource is
/// `NotResource`'s: moving the test to a present key turns whether it matches around. A peer
/// that reads `"Null": {"key": true}` as a test of the key's *presence* misses the match on an
/// absent key and adds one on a present key — one bug that otherwise ends in two shrunk
/// shapes, depending on the request it was found on. Like a positive form, the shrinker keeps
/// such a candidate when the difference holds the other way with both sides' decisions turned
/// around, so the present-key shape is the one shape of such a cause; a peer that only
/// mishandles absent keys does not show the difference on a present one, and the step is not
/// kept. Nothing is offered when a request lacks `aws:PrincipalArn` (a caller
/// without one) or when the key is present in some request.
pub fn present_null_keys(case: &GeneratedCase) -> Vec<GeneratedCase> {
    const PRESENT: &str = "aws:PrincipalArn";
    let carries = |r: &crate::request::GenRequest, key: &str| {
        r.all_context().any(|e| e.key.eq_ignore_ascii_case(key))
    };
    let carried_by_every_request = |key: &str| case.requests.iter().all(|r| carries(r, key));
    let carried_by_some_request = |key: &str| case.requests.iter().any(|r| carries(r, key));
    if case.requests.is_empty() || !carried_by_every_request(PRESENT) {
        return Vec::new();
    }
    with_each_condition(case, |statement, condition| {
        let same_test_on_present_key = statement
            .conditions
            .iter()
            .any(|c| c.operator == condition.operator && c.key.eq_ignore_ascii_case(PRESENT));
        if condition.operator.base != BaseOperator::Null
            || same_test_on_present_key
            || carried_by_some_request(&condition.key)
        {
            return Vec::new();
        }
        vec![Condition {
            key: PRESENT.to_string(),
            ..condition.clone()
        }]
    })
}

/// Every case with one negation of a policy in its positive form: a `NotResource` as
/// `Resource`, a `NotAction` as `Action` (the same patterns), or a negated condition operator
/// as its positive counterpart (`StringNotLike` → `StringLike`, `NotIpAddress` → `IpAddress`...,
/// modifiers kept).
///
/// Unlike the other steps these turn whether a statement applies around, so a difference they
/// keep shows the *other* way: a peer that does not expand `?` misses a match in `Resource` and
/// adds one in `NotResource`. The shrinker keeps such a candidate when the difference holds in
/// the opposite direction, so one pattern or operator bug is one positive shape whichever
/// negation the generator drew; where the peer reads the negation itself wrongly the difference
/// does not survive the change.
pub fn positive_forms(case: &GeneratedCase) -> Vec<GeneratedCase> {
    with_each_statement(
        case,
        |_| true,
        |statement| {
            let mut out = Vec::new();
            if let Some(ResourceBlock::NotResource(patterns)) = &statement.resource {
                out.push(Statement {
                    resource: Some(ResourceBlock::Resource(patterns.clone())),
                    ..statement.clone()
                });
            }
            if let ActionBlock::NotAction(patterns) = &statement.action {
                out.push(Statement {
                    action: ActionBlock::Action(patterns.clone()),
                    ..statement.clone()
                });
            }
            for (ci, condition) in statement.conditions.iter().enumerate() {
                let Some(positive) = positive_operator(condition.operator.base) else {
                    continue;
                };
                let mut edited = statement.clone();
                edited.conditions[ci] = with_operator(
                    condition,
                    ConditionOperator {
                        base: positive,
                        ..condition.operator
                    },
                );
                out.push(edited);
            }
            out
        },
    )
}

/// The positive counterpart of a negated operator (`None` for a positive one).
fn positive_operator(base: BaseOperator) -> Option<BaseOperator> {
    use BaseOperator as B;
    Some(match base {
        B::StringNotEquals => B::StringEquals,
        B::StringNotEqualsIgnoreCase => B::StringEqualsIgnoreCase,
        B::StringNotLike => B::StringLike,
        B::NumericNotEquals => B::NumericEquals,
        B::DateNotEquals => B::DateEquals,
        B::NotIpAddress => B::IpAddress,
        B::ArnNotEquals => B::ArnEquals,
        B::ArnNotLike => B::ArnLike,
        _ => return None,
    })
}

/// The case with its KMS key policy or role trust policy in the form that delegates to IAM
/// (AWS's default key policy): one statement allowing the resource's account
/// (`arn:aws:iam::ACCOUNT:root`) — across accounts, also one allowing the caller's — every
/// action of the service (`kms:*`, `sts:*`) on `*`. None unless a request is a `kms:` action
/// on a key or an `sts:` action on a role (whose policy must allow explicitly:
/// [`iamspec::resource_policy::ResourcePolicyKind`]) by a caller of an account (not a web
/// identity or SAML provider's user, which a trust policy names otherwise); not the form the
/// policy has already.
///
/// A realistic case keeps such a policy (every key has one, every role a trust policy), so a
/// difference that has nothing to do with it kept it, and the signature set these requests
/// apart by service. In this form the policy only hands the decision to the identity-based
/// policies, as if the service had no resource-based policy (the signature reads it so).
pub fn delegating_resource_policy(case: &GeneratedCase) -> Vec<GeneratedCase> {
    use iamspec::policy::{PrincipalBlock, PrincipalKind, PrincipalSpec};
    use iamspec::request::PrincipalType;
    use iamspec::resource_policy::ResourcePolicyKind;
    let Some(current) = case.policies.resource.as_ref() else {
        return Vec::new();
    };
    if matches!(
        case.caller.kind,
        PrincipalType::WebIdentity | PrincipalType::Saml | PrincipalType::Anonymous
    ) {
        return Vec::new();
    }
    let Some((service, account)) = case.requests.iter().find_map(|r| {
        r.resources.iter().find_map(|x| {
            let kind = ResourcePolicyKind::infer(&x.arn);
            if !kind.requires_explicit_allow(&r.action) {
                return None;
            }
            let [_, _, _, _, account, _] = iamspec::matching::arn::split_value(&x.arn)?;
            let service = if kind == ResourcePolicyKind::KmsKey {
                "kms"
            } else {
                "sts"
            };
            Some((service, account.to_string()))
        })
    }) else {
        return Vec::new();
    };
    // The resource's own account; across accounts also the caller's, as a key policy lets
    // another account's IAM policies grant its use (then the request can be made same-account
    // with the policy still delegating).
    let mut accounts = vec![account];
    let caller = &case.caller.account;
    if !caller.is_empty() && !accounts.contains(caller) {
        accounts.push(caller.clone());
    }
    let mut out = Vec::new();
    for account in accounts {
        let mut delegating = crate::policy::full_access(PolicyType::Resource, current.id.clone());
        let Some(model) = delegating.model_mut() else {
            continue;
        };
        let statement = &mut model.statements[0];
        statement.principal = Some(PrincipalBlock::Principal(PrincipalSpec::Map(vec![(
            PrincipalKind::Aws,
            vec![format!("arn:aws:iam::{account}:root")],
        )])));
        statement.action = ActionBlock::Action(vec![format!("{service}:*")]);
        if current.model() == delegating.model() {
            continue;
        }
        let mut c = case.clone();
        c.policies.resource = Some(delegating);
        out.push(c);
    }
    out
}

/// The account and service (`kms` or `sts`) a resource-based policy in the form that delegates
/// to IAM ([`delegating_resource_policy`]) hands its decision to: one `Allow` statement naming
/// the account's root user (`arn:aws:iam::ACCOUNT:root`) as its `Principal`, `kms:*` or
/// `sts:*`, `Resource: "*"`, no condition. `None` for any other policy. The one recogniser of
/// that form: the shrinking steps leave such a policy as it is ([`is_delegating`]) and the
/// harness's signature reads it as no resource-based policy.
pub fn delegation(policy: &Policy) -> Option<(&str, &str)> {
    use iamspec::policy::{Effect, PrincipalBlock, PrincipalKind, PrincipalSpec};
    let [statement] = policy.statements.as_slice() else {
        return None;
    };
    let Some(PrincipalBlock::Principal(PrincipalSpec::Map(entries))) = &statement.principal else {
        return None;
    };
    let [(PrincipalKind::Aws, arns)] = entries.as_slice() else {
        return None;
    };
    let [arn] = arns.as_slice() else {
        return None;
    };
    let account = arn.strip_prefix("arn:aws:iam::")?.strip_suffix(":root")?;
    let ActionBlock::Action(actions) = &statement.action else {
        return None;
    };
    let [action] = actions.as_slice() else {
        return None;
    };
    let service = action
        .strip_suffix(":*")
        .filter(|s| *s == "kms" || *s == "sts")?;
    let everything = matches!(&statement.resource,
        Some(ResourceBlock::Resource(patterns)) if patterns.len() == 1 && patterns[0] == "*");
    (statement.effect == Effect::Allow && everything && statement.conditions.is_empty())
        .then_some((account, service))
}

/// True when `policy` is a resource-based policy in the form that delegates to IAM
/// ([`delegation`]). The shrinking steps leave such a policy as it is (its `Principal` as
/// `"*"` would grant everyone).
pub fn is_delegating(policy: &GenPolicy) -> bool {
    policy.policy_type == PolicyType::Resource && policy.model().and_then(delegation).is_some()
}

/// The equality operators of an operator family (`NumericEquals` and `NumericNotEquals`...):
/// on a key the request carries, a comparison that holds is often also a plain (in)equality,
/// and a difference that shows with either does not need the comparison. None for the
/// families with one operator (`Bool`, `BinaryEquals`, `Null`) and for strings (above).
fn family_equals(family: OperatorFamily) -> Vec<BaseOperator> {
    match family {
        OperatorFamily::Numeric => {
            vec![BaseOperator::NumericEquals, BaseOperator::NumericNotEquals]
        }
        OperatorFamily::Date => vec![BaseOperator::DateEquals, BaseOperator::DateNotEquals],
        OperatorFamily::Arn => vec![BaseOperator::ArnEquals, BaseOperator::ArnNotEquals],
        OperatorFamily::Ip => vec![BaseOperator::IpAddress, BaseOperator::NotIpAddress],
        _ => Vec::new(),
    }
}

/// Every case with one statement of a policy other than an identity-based one in its idle form
/// (see the module documentation), for the statements not in that form already.
pub fn idled_statements(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let requested: Vec<String> = case
        .requests
        .iter()
        .map(|r| r.action.to_ascii_lowercase())
        .collect();
    // A KMS key policy or role trust policy that a request needs is put in the form that
    // delegates to IAM instead ([`delegating_resource_policy`]), which the signature can read
    // as no resource-based policy; idle it would deny the request outright.
    let needed = needs_explicit_allow(case);
    with_each_statement(
        case,
        |policy| {
            policy.policy_type != PolicyType::Identity
                && !(needed && policy.policy_type == PolicyType::Resource)
        },
        |statement| {
            idle_form(statement, &requested)
                .filter(|idle| idle != statement)
                .into_iter()
                .collect()
        },
    )
}

/// The idle form of `statement`: its effect, `Principal` and index, the first action (in the
/// service data's order) of the service of its first action that no request names
/// (`requested`, lower-cased), `Resource: "*"`, no condition. `None` when the statement's
/// service is not in the service data or every action of it is requested.
fn idle_form(statement: &Statement, requested: &[String]) -> Option<Statement> {
    let (ActionBlock::Action(actions) | ActionBlock::NotAction(actions)) = &statement.action;
    let prefix = actions.first()?.split(':').next()?.to_ascii_lowercase();
    let v = Vocabulary::get();
    let service = v
        .services
        .services
        .iter()
        .find(|s| s.prefix.eq_ignore_ascii_case(&prefix))?;
    let action = service
        .actions
        .iter()
        .map(|a| format!("{}:{}", service.prefix, a.name))
        .find(|a| !requested.contains(&a.to_ascii_lowercase()))?;
    Some(Statement {
        index: statement.index,
        sid: statement.sid.clone(),
        effect: statement.effect,
        principal: statement.principal.clone(),
        action: ActionBlock::Action(vec![action]),
        resource: Some(ResourceBlock::Resource(vec!["*".to_string()])),
        conditions: Vec::new(),
        span: statement.span,
    })
}

/// Takes statement `si` out of the policy with id `id`: removes it when the policy has others,
/// else removes the whole policy where a case may go without it (the resource-based policy,
/// the permissions boundary, a session policy, the VPC endpoint policy, an SCP or RCP of a
/// level that keeps another) or, for the only SCP or RCP of a level, puts `FullAWSAccess` or
/// `RCPFullAWSAccess` in its place. False when the policy is not in the set or is that
/// full-access policy already.
fn take_statement(set: &mut GenPolicySet, id: &str, si: usize) -> bool {
    let Some(policy) = set.all_mut().find(|p| p.id == id) else {
        return false;
    };
    if let Some(m) = policy.model_mut() {
        if m.statements.len() > 1 && si < m.statements.len() {
            m.statements.remove(si);
            for (i, s) in m.statements.iter_mut().enumerate() {
                s.index = i;
            }
            return true;
        }
    }
    let is_it = |p: &Option<GenPolicy>| p.as_ref().is_some_and(|p| p.id == id);
    if is_it(&set.resource) {
        set.resource = None;
        return true;
    }
    if is_it(&set.permissions_boundary) {
        set.permissions_boundary = None;
        return true;
    }
    if is_it(&set.vpc_endpoint) {
        set.vpc_endpoint = None;
        return true;
    }
    if let Some(i) = set.session.iter().position(|p| p.id == id) {
        set.session.remove(i);
        return true;
    }
    let org_levels = set
        .organizations
        .iter_mut()
        .flat_map(|o| o.accounts.iter_mut())
        .flat_map(|a| a.scps.iter_mut().chain(a.rcps.iter_mut()));
    for level in set
        .scps
        .iter_mut()
        .chain(set.rcps.iter_mut())
        .chain(org_levels)
    {
        if let Some(i) = level.iter().position(|p| p.id == id) {
            if level.len() > 1 {
                level.remove(i);
            } else {
                // A level keeps one policy at least: the plainest, the one AWS attaches.
                // (Already that policy: nothing to take out.)
                let full = crate::policy::full_access(level[i].policy_type, id.to_string());
                if level[i].model() == full.model() {
                    return false;
                }
                level[i] = full;
            }
            return true;
        }
    }
    false
}

/// An identity-based policy id for a statement hoisted from the policy `from`, unused in `set`.
fn fresh_identity_id(set: &GenPolicySet, from: &str) -> String {
    let base = format!("hoisted-{from}");
    let taken = |id: &str| set.all().any(|p| p.id == id);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realism::violations;
    use crate::{generate_cases, Settings};

    /// Every condition of every policy of `case`, in order.
    fn conditions(case: &GeneratedCase) -> Vec<Condition> {
        case.policies
            .all()
            .filter_map(GenPolicy::model)
            .flat_map(|m| m.statements.iter())
            .flat_map(|s| s.conditions.iter().cloned())
            .collect()
    }

    /// The one condition that differs between two lists of the same conditions.
    fn the_changed<'a>(
        before: &'a [Condition],
        after: &'a [Condition],
    ) -> (&'a Condition, &'a Condition) {
        let diffs: Vec<_> = before.iter().zip(after).filter(|(a, b)| a != b).collect();
        assert_eq!(diffs.len(), 1, "one condition changes");
        diffs[0]
    }

    #[test]
    fn a_needed_key_or_trust_policys_only_deny_moves_and_leaves_the_delegating_form() {
        let mut delegated = 0;
        for mut case in generate_cases(&Settings::realistic(), 5, 400) {
            if !needs_explicit_allow(&case) {
                continue;
            }
            // The needed policy with one statement, a `Deny`.
            let Some(model) = case
                .policies
                .resource
                .as_mut()
                .and_then(GenPolicy::model_mut)
            else {
                continue;
            };
            model.statements.truncate(1);
            model.statements[0].effect = iamspec::policy::Effect::Deny;
            let deny = model.statements[0].clone();
            // (None for a provider's user or an anonymous caller, who cannot be delegated to.)
            let delegating = delegating_resource_policy(&case);
            if delegating.is_empty() {
                continue;
            }
            let was = case.policies.resource.as_ref().and_then(GenPolicy::model);
            for c in hoisted_statements(&case) {
                let resource = c
                    .policies
                    .resource
                    .as_ref()
                    .expect("the needed policy stays");
                if resource.model() == was {
                    continue; // another policy's statement moved
                }
                assert!(
                    delegating
                        .iter()
                        .any(|d| d.policies.resource.as_ref().map(GenPolicy::model)
                            == Some(resource.model())),
                    "in a delegating form"
                );
                assert!(is_delegating(resource));
                let mut everyone = resource.clone();
                if let Some(m) = everyone.model_mut() {
                    m.statements[0].principal = Some(iamspec::policy::PrincipalBlock::Principal(
                        iamspec::policy::PrincipalSpec::Wildcard,
                    ));
                }
                assert!(!is_delegating(&everyone), "Principal \"*\" grants everyone");
                let moved = c.policies.identity.last().and_then(GenPolicy::model);
                let moved = &moved.expect("a hoisted policy").statements[0];
                assert_eq!((moved.effect, &moved.action), (deny.effect, &deny.action));
                delegated += 1;
            }
        }
        assert!(
            delegated > 10,
            "{delegated} needed policies left delegating"
        );
    }

    #[test]
    fn a_hoisted_statement_leaves_its_policy_and_joins_the_identity_side() {
        let mut hoisted = 0;
        let mut realistic = 0;
        for case in generate_cases(&Settings::realistic(), 5, 200) {
            let before: usize = case
                .policies
                .all()
                .filter_map(GenPolicy::model)
                .map(|m| m.statements.len())
                .sum();
            for c in hoisted_statements(&case) {
                hoisted += 1;
                realistic += usize::from(violations(&c).is_empty());
                let n = c.policies.identity.len();
                assert!(
                    n == case.policies.identity.len() + 1 || n == 1,
                    "next to the identity-based policies or alone"
                );
                let moved = c.policies.identity.last().expect("a hoisted policy");
                let model = moved.model().expect("a model");
                assert_eq!(model.statements.len(), 1);
                assert!(model.statements[0].principal.is_none());
                let after: usize = c
                    .policies
                    .all()
                    .filter_map(GenPolicy::model)
                    .map(|m| m.statements.len())
                    .sum();
                // A statement moves; only the only SCP or RCP of a level is replaced by its
                // full-access policy (one statement more).
                assert!(
                    after <= before + 1,
                    "a statement moves, nothing else is added"
                );
                let ids: std::collections::HashSet<&str> =
                    c.policies.all().map(|p| p.id.as_str()).collect();
                assert_eq!(ids.len(), c.policies.all().count(), "ids stay unique");
            }
        }
        assert!(hoisted > 100, "{hoisted} hoisted candidates");
        assert!(
            realistic * 4 > hoisted,
            "{realistic} of {hoisted} hoisted candidates realistic"
        );
    }

    #[test]
    fn a_session_s_policies_become_a_user_s_own() {
        let mut moved = 0;
        for case in generate_cases(&Settings::realistic(), 7, 300) {
            let Some(c) = session_policies_as_identity(&case) else {
                assert!(
                    case.policies.session.is_empty()
                        || crate::plain_caller::with_plain_caller(&case).is_none()
                );
                continue;
            };
            moved += 1;
            assert_eq!(c.caller.kind, iamspec::request::PrincipalType::User);
            assert!(c.policies.session.is_empty());
            let ids = |ps: &[GenPolicy]| ps.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&c.policies.identity), ids(&case.policies.session));
            assert!(c
                .policies
                .identity
                .iter()
                .all(|p| p.policy_type == PolicyType::Identity));
            assert!(violations(&c).is_empty() || !violations(&case).is_empty());
        }
        assert!(moved > 10, "{moved} sessions moved");
    }

    #[test]
    fn merged_identity_policies_keep_every_statement_in_order() {
        let mut merged = 0;
        for case in generate_cases(&Settings::realistic(), 8, 300) {
            let Some(c) = merged_identity_policies(&case) else {
                continue;
            };
            merged += 1;
            assert_eq!(c.policies.identity.len(), 1);
            assert_eq!(c.policies.identity[0].id, case.policies.identity[0].id);
            let statements = |ps: &[GenPolicy]| -> Vec<(Statement, usize)> {
                ps.iter()
                    .filter_map(GenPolicy::model)
                    .flat_map(|m| m.statements.iter().cloned())
                    .enumerate()
                    .map(|(i, mut s)| {
                        let was = s.index;
                        s.index = i;
                        (s, was)
                    })
                    .collect()
            };
            let after = statements(&c.policies.identity);
            let without_sid = |list: &[(Statement, usize)]| -> Vec<Statement> {
                list.iter()
                    .map(|(s, _)| Statement {
                        sid: None,
                        ..s.clone()
                    })
                    .collect()
            };
            assert_eq!(
                without_sid(&after),
                without_sid(&statements(&case.policies.identity))
            );
            let sids: Vec<&String> = after.iter().filter_map(|(s, _)| s.sid.as_ref()).collect();
            let unique: std::collections::HashSet<&&String> = sids.iter().collect();
            assert_eq!(sids.len(), unique.len(), "Sids stay unique");
            assert!(after.iter().all(|(s, was)| s.index == *was));
            assert!(merged_identity_policies(&c).is_none());
        }
        assert!(merged > 20, "{merged} merged");
    }

    #[test]
    fn a_plain_operator_keeps_the_key_values_and_modifiers() {
        let mut changed = 0;
        for case in generate_cases(&Settings::realistic(), 9, 200) {
            let before = conditions(&case);
            for c in plain_operators(&case) {
                changed += 1;
                let after = conditions(&c);
                let (was, now) = the_changed(&before, &after);
                assert_eq!((&was.key, &was.values), (&now.key, &now.values));
                assert_eq!(now.operator_text, now.operator.name());
                if now.operator.base == was.operator.base {
                    // A modifier dropped, one at a time.
                    let dropped = usize::from(was.operator.set != now.operator.set)
                        + usize::from(was.operator.if_exists != now.operator.if_exists);
                    assert_eq!(dropped, 1);
                    assert!(now.operator.set.is_none() || !now.operator.if_exists);
                    continue;
                }
                assert_eq!(was.operator.set, now.operator.set);
                assert_eq!(was.operator.if_exists, now.operator.if_exists);
                let string = matches!(
                    now.operator.base,
                    BaseOperator::StringEquals | BaseOperator::StringNotEquals
                );
                assert!(
                    string
                        || family_equals(was.operator.base.family()).contains(&now.operator.base)
                );
                assert!(
                    !string
                        || now.operator.base == BaseOperator::StringEquals
                        || was.operator.base.is_negated()
                );
                assert_eq!(now.operator_text, now.operator.name());
                assert_ne!(was.operator.base, BaseOperator::Null);
            }
        }
        assert!(changed > 50, "{changed} operators made plain");
    }

    #[test]
    fn a_plain_null_key_changes_only_the_key_of_a_null_condition() {
        let mut swapped = 0;
        for case in generate_cases(&Settings::realistic(), 13, 400) {
            let before = conditions(&case);
            for c in plain_null_keys(&case) {
                swapped += 1;
                let after = conditions(&c);
                let (was, now) = the_changed(&before, &after);
                assert_eq!(was.operator.base, BaseOperator::Null);
                assert_eq!((&was.operator, &was.values), (&now.operator, &now.values));
                assert!(now.key == "aws:PrincipalArn" || now.key == "aws:SourceVpc");
            }
        }
        assert!(swapped > 5, "{swapped} Null keys made plain");
    }

    #[test]
    fn a_present_null_key_moves_a_test_on_an_absent_key_to_a_key_every_request_carries() {
        let carried = |case: &GeneratedCase, key: &str| {
            case.requests
                .iter()
                .filter(|r| r.all_context().any(|e| e.key.eq_ignore_ascii_case(key)))
                .count()
        };
        let mut moved = 0;
        let mut kept_for_a_present_key = 0;
        for case in generate_cases(&Settings::realistic(), 17, 600) {
            let before = conditions(&case);
            let offered = present_null_keys(&case);
            for c in &offered {
                moved += 1;
                let after = conditions(c);
                let (was, now) = the_changed(&before, &after);
                assert_eq!(was.operator.base, BaseOperator::Null);
                assert_eq!((&was.operator, &was.values), (&now.operator, &now.values));
                assert_eq!(now.key, "aws:PrincipalArn");
                assert_eq!(carried(&case, &was.key), 0, "{} is in a request", was.key);
                assert_eq!(carried(c, &now.key), c.requests.len());
                assert_eq!(c.requests, case.requests);
            }
            // A Null test on a key some request carries is left alone.
            let on_present_key = before
                .iter()
                .any(|c| c.operator.base == BaseOperator::Null && carried(&case, &c.key) > 0);
            if on_present_key && offered.is_empty() {
                kept_for_a_present_key += 1;
            }
        }
        assert!(moved > 5, "{moved} Null tests moved to a present key");
        assert!(
            kept_for_a_present_key > 0,
            "no Null test on a present key seen"
        );
    }

    #[test]
    fn a_positive_form_drops_one_negation() {
        let negations = |c: &GeneratedCase| -> usize {
            c.policies
                .all()
                .filter_map(GenPolicy::model)
                .flat_map(|m| m.statements.iter())
                .map(|s| {
                    usize::from(matches!(s.resource, Some(ResourceBlock::NotResource(_))))
                        + usize::from(matches!(s.action, ActionBlock::NotAction(_)))
                        + s.conditions
                            .iter()
                            .filter(|c| positive_operator(c.operator.base).is_some())
                            .count()
                })
                .sum()
        };
        let mut made = 0;
        for case in generate_cases(&Settings::realistic(), 14, 300) {
            let forms = positive_forms(&case);
            assert_eq!(forms.len(), negations(&case));
            for c in forms {
                made += 1;
                assert_eq!(negations(&c) + 1, negations(&case));
            }
        }
        assert!(made > 20, "{made} positive forms");
        for base in BaseOperator::ALL {
            assert_eq!(
                positive_operator(*base).is_some(),
                base.is_negated(),
                "{base:?}"
            );
        }
    }

    #[test]
    fn a_delegating_key_or_trust_policy_names_the_resource_s_account() {
        let mut made = 0;
        for case in generate_cases(&Settings::realistic(), 15, 600) {
            for c in delegating_resource_policy(&case) {
                made += 1;
                let policy = c
                    .policies
                    .resource
                    .as_ref()
                    .expect("a resource-based policy");
                assert_eq!(
                    Some(&policy.id),
                    case.policies.resource.as_ref().map(|p| &p.id)
                );
                let model = policy.model().expect("a model");
                assert_eq!(model.statements.len(), 1);
                let s = &model.statements[0];
                assert!(s.conditions.is_empty() && s.effect == iamspec::policy::Effect::Allow);
                let ActionBlock::Action(actions) = &s.action else {
                    panic!("an Action")
                };
                assert!(actions[0] == "kms:*" || actions[0] == "sts:*");
                assert!(
                    delegating_resource_policy(&c).len() < delegating_resource_policy(&case).len(),
                    "each form taken once"
                );
                assert!(violations(&c).is_empty() || !violations(&case).is_empty());
            }
        }
        assert!(made > 5, "{made} delegating policies");
    }

    #[test]
    fn plain_values_write_variables_out() {
        assert_eq!(
            without_variables("a${aws:username}b", ""),
            Some("ab".into())
        );
        assert_eq!(
            without_variables(
                "arn:aws:s3:::b/${aws:PrincipalTag/team, 'x'}/${aws:userid}",
                "*"
            ),
            Some("arn:aws:s3:::b/*/*".into())
        );
        assert_eq!(without_variables("plain", "*"), None);
        assert_eq!(without_variables("open ${aws:username", "*"), None);
        let mut written = 0;
        for case in generate_cases(&Settings::realistic(), 10, 300) {
            let texts = |c: &GeneratedCase| -> usize {
                c.policies
                    .all()
                    .filter_map(GenPolicy::model)
                    .flat_map(|m| m.statements.iter())
                    .map(|s| {
                        let values = s.conditions.iter().flat_map(|c| c.values.iter());
                        let patterns = match &s.resource {
                            Some(ResourceBlock::Resource(p) | ResourceBlock::NotResource(p)) => {
                                p.iter().collect::<Vec<_>>()
                            }
                            None => Vec::new(),
                        };
                        values.chain(patterns).filter(|v| v.contains("${")).count()
                    })
                    .sum()
            };
            for c in plain_values(&case) {
                written += 1;
                assert_eq!(texts(&c) + 1, texts(&case), "one value written out");
            }
        }
        assert!(written > 10, "{written} values written out");
    }

    #[test]
    fn plain_spellings_change_one_spelling() {
        let mut spelled = 0;
        for case in generate_cases(&Settings::realistic(), 11, 300) {
            for c in plain_spellings(&case) {
                spelled += 1;
                let changed: Vec<(&GenPolicy, &GenPolicy)> = c
                    .policies
                    .all()
                    .zip(case.policies.all())
                    .filter(|(a, b)| a != b)
                    .collect();
                assert_eq!(changed.len(), 1, "one policy changes");
                let (
                    Document::Model {
                        policy: a,
                        style: sa,
                    },
                    Document::Model {
                        policy: b,
                        style: sb,
                    },
                ) = (&changed[0].0.document, &changed[0].1.document)
                else {
                    panic!("models")
                };
                if sa != sb {
                    assert!(!sa.json_typed_values && sb.json_typed_values);
                    assert_eq!(a, b);
                } else {
                    let keys = |m: &Policy| -> Vec<String> {
                        m.statements
                            .iter()
                            .flat_map(|s| s.conditions.iter().map(|c| c.key.clone()))
                            .collect()
                    };
                    let (ka, kb) = (keys(a), keys(b));
                    let diffs: Vec<_> = ka.iter().zip(&kb).filter(|(x, y)| x != y).collect();
                    assert_eq!(diffs.len(), 1);
                    assert!(diffs[0].0.eq_ignore_ascii_case(diffs[0].1));
                    assert!(!diffs[0]
                        .0
                        .split(':')
                        .next()
                        .unwrap()
                        .chars()
                        .any(|ch| ch.is_ascii_uppercase()));
                }
            }
        }
        assert!(spelled > 10, "{spelled} spellings made plain");
    }

    #[test]
    fn an_idle_statement_names_no_requested_action_and_tests_nothing() {
        let mut idled = 0;
        let mut realistic = 0;
        for case in generate_cases(&Settings::realistic(), 6, 200) {
            let requested: Vec<String> = case
                .requests
                .iter()
                .map(|r| r.action.to_ascii_lowercase())
                .collect();
            for c in idled_statements(&case) {
                idled += 1;
                realistic += usize::from(violations(&c).is_empty());
                let changed: Vec<&Statement> = c
                    .policies
                    .all()
                    .zip(case.policies.all())
                    .filter_map(|(a, b)| Some((a.model()?, b.model()?)))
                    .flat_map(|(a, b)| a.statements.iter().zip(&b.statements))
                    .filter(|(a, b)| a != b)
                    .map(|(a, _)| a)
                    .collect();
                assert_eq!(changed.len(), 1, "one statement changes");
                let s = changed[0];
                assert!(s.conditions.is_empty());
                let ActionBlock::Action(actions) = &s.action else {
                    panic!("an Action block")
                };
                assert!(!requested.contains(&actions[0].to_ascii_lowercase()));
                assert_eq!(
                    s.resource,
                    Some(ResourceBlock::Resource(vec!["*".to_string()]))
                );
                assert!(idled_statements(&c).len() < idled_statements(&case).len());
            }
        }
        assert!(idled > 100, "{idled} idled candidates");
        assert!(
            realistic * 2 > idled,
            "{realistic} of {idled} idled candidates realistic"
        );
    }
}
