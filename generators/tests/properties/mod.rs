//! The metamorphic properties of the reference evaluator over one generated case: rewrites
//! that must not change a decision (or must change it in a known way). `metamorphic.rs` runs
//! them under proptest (shrinking a failure); `soak.rs` runs them over millions of cases drawn
//! by index on every core. Each returns `Err` with what failed (or a rejection, when the case
//! does not fit the property).

#![allow(dead_code)]

use iamspec::condition::{BaseOperator, ConditionOperator, SetOperator};
use iamspec::explain::Decision;
use iamspec::policy::{
    ActionBlock, Condition, Effect, PolicyType, PolicyVersion, ResourceBlock, Span, Statement,
};
use iamspec_generators::case::{GeneratedCase, Outcome, Via};
use iamspec_generators::policy::{full_access, Document, GenPolicy, GenPolicySet};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// A property of one case.
pub type Property = fn(&GeneratedCase) -> Result<(), TestCaseError>;

/// Every property over one generated case (well-formed settings), by name.
pub const CASE_PROPERTIES: &[(&str, Property)] = &[
    (
        "statement_order_does_not_matter",
        statement_order_does_not_matter,
    ),
    ("policy_order_does_not_matter", policy_order_does_not_matter),
    (
        "splitting_and_merging_identity_policies_does_not_matter",
        splitting_and_merging_identity_policies_does_not_matter,
    ),
    (
        "case_of_action_names_and_condition_key_names_does_not_matter",
        case_of_action_names_and_condition_key_names_does_not_matter,
    ),
    (
        "if_exists_agrees_with_the_plain_operator_when_the_key_is_present",
        if_exists_agrees_with_the_plain_operator_when_the_key_is_present,
    ),
    (
        "a_negated_operator_is_the_complement_on_a_present_single_valued_key",
        a_negated_operator_is_the_complement_on_a_present_single_valued_key,
    ),
    (
        "for_any_value_over_one_value_equals_the_plain_operator",
        for_any_value_over_one_value_equals_the_plain_operator,
    ),
    (
        "for_all_values_over_one_value_equals_the_plain_positive_operator",
        for_all_values_over_one_value_equals_the_plain_positive_operator,
    ),
    (
        "null_true_holds_exactly_when_the_key_is_absent",
        null_true_holds_exactly_when_the_key_is_absent,
    ),
    (
        "a_never_matching_statement_changes_nothing",
        a_never_matching_statement_changes_nothing,
    ),
    (
        "adding_deny_everything_always_gives_explicit_deny",
        adding_deny_everything_always_gives_explicit_deny,
    ),
    (
        "full_access_scps_change_nothing",
        full_access_scps_change_nothing,
    ),
];

/// Decisions of every request (`None` for a rejected case or an undecidable request).
pub fn decisions(case: &GeneratedCase) -> Vec<Option<Decision>> {
    match case.outcome(Via::Model) {
        Outcome::Rejected { .. } => vec![None; case.requests.len()],
        Outcome::Decided(rs) => rs
            .iter()
            .map(|r| r.as_ref().ok().map(|r| r.decision))
            .collect(),
    }
}

pub fn reindex(statements: &mut [Statement]) {
    for (i, s) in statements.iter_mut().enumerate() {
        s.index = i;
    }
}

pub fn for_each_policy(set: &mut GenPolicySet, mut f: impl FnMut(&mut iamspec::policy::Policy)) {
    for p in set.all_mut() {
        if let Some(m) = p.model_mut() {
            f(m);
        }
    }
}

pub fn for_each_condition(case: &mut GeneratedCase, mut f: impl FnMut(&mut Condition)) {
    for_each_policy(&mut case.policies, |p| {
        for s in &mut p.statements {
            for c in &mut s.conditions {
                f(c);
            }
        }
    });
}

pub fn identity_policy(id: &str, statements: Vec<Statement>) -> GenPolicy {
    let mut statements = statements;
    reindex(&mut statements);
    GenPolicy {
        id: id.into(),
        policy_type: PolicyType::Identity,
        document: Document::Model {
            policy: iamspec::policy::Policy {
                version: Some(PolicyVersion::V2012_10_17),
                id: None,
                statements,
                warnings: Vec::new(),
            },
            style: Default::default(),
        },
    }
}

pub fn statement(effect: Effect, action: &str, conditions: Vec<Condition>) -> Statement {
    Statement {
        index: 0,
        sid: None,
        effect,
        principal: None,
        action: ActionBlock::Action(vec![action.into()]),
        resource: Some(ResourceBlock::Resource(vec!["*".into()])),
        conditions,
        span: Span::default(),
    }
}

pub fn with_operator(c: &Condition, operator: ConditionOperator) -> Condition {
    Condition {
        operator,
        operator_text: operator.name(),
        ..c.clone()
    }
}

/// The positive/negated pairs of operators.
pub fn negation(base: BaseOperator) -> Option<BaseOperator> {
    use BaseOperator::*;
    Some(match base {
        StringEquals => StringNotEquals,
        StringEqualsIgnoreCase => StringNotEqualsIgnoreCase,
        StringLike => StringNotLike,
        NumericEquals => NumericNotEquals,
        DateEquals => DateNotEquals,
        IpAddress => NotIpAddress,
        ArnEquals => ArnNotEquals,
        ArnLike => ArnNotLike,
        _ => return None,
    })
}

/// Conditions of the case (plain operator, no set prefix, no IfExists, no variables) whose key
/// the request carries as a single value at request level, with the request's index.
pub fn present_single_valued(case: &GeneratedCase) -> Vec<(usize, Condition)> {
    let mut out = Vec::new();
    for p in case.policies.all() {
        let Some(m) = p.model() else { continue };
        for s in &m.statements {
            for c in &s.conditions {
                if c.operator.set.is_some()
                    || c.operator.if_exists
                    || c.values.iter().any(|v| v.contains("${"))
                {
                    continue;
                }
                for (i, r) in case.requests.iter().enumerate() {
                    let present = r.context.iter().any(|e| {
                        e.key.eq_ignore_ascii_case(&c.key)
                            && !e.key_type.is_list()
                            && e.values.len() == 1
                    }) && r.resources.iter().all(|res| {
                        !res.context
                            .iter()
                            .any(|e| e.key.eq_ignore_ascii_case(&c.key))
                    });
                    if present {
                        out.push((i, c.clone()));
                    }
                }
            }
        }
    }
    out
}

/// True when the caller is an IAM identity: identity-based policies apply to users, roles and
/// their sessions, federated users and the root user, not to AWS services or anonymous callers
/// (whom only resource-based policies can speak for).
pub fn caller_has_identity(case: &GeneratedCase) -> bool {
    // A web identity or SAML provider's user asking for a role has, like a service or an
    // anonymous caller, no identity-side policies (ARCHITECTURE.md, "Principals").
    !matches!(
        case.caller.kind,
        iamspec::request::PrincipalType::Service
            | iamspec::request::PrincipalType::Anonymous
            | iamspec::request::PrincipalType::WebIdentity
            | iamspec::request::PrincipalType::Saml
    )
}

/// True when request `i` of the case is an operation that needs no permission for this caller
/// (`data/no-permission-actions.json`): no policy can deny it, so the properties about Deny
/// statements skip it.
pub fn needs_no_permission(case: &GeneratedCase, i: usize) -> bool {
    iamspec::service_data::needs_no_permission(&case.requests[i].action, case.caller.kind.name())
}

/// The case with only one identity policy `Deny * on * if <condition>` and no other policy: the
/// request is `explicitDeny` exactly when the condition holds, for any caller that is an IAM
/// identity (the properties using it skip the others).
pub fn only_condition(case: &GeneratedCase, condition: Condition) -> GeneratedCase {
    let mut c = case.clone();
    c.policies = GenPolicySet {
        identity: vec![identity_policy(
            "OnlyCondition",
            vec![statement(Effect::Deny, "*", vec![condition])],
        )],
        ..GenPolicySet::default()
    };
    c
}

pub fn decision_of(case: &GeneratedCase, request: usize) -> Option<Decision> {
    decisions(case)[request]
}

/// See `metamorphic.rs`: statement order does not matter.
pub fn statement_order_does_not_matter(case: &GeneratedCase) -> Result<(), TestCaseError> {
    let before = decisions(case);
    let mut after = case.clone();
    for_each_policy(&mut after.policies, |p| {
        p.statements.reverse();
        reindex(&mut p.statements);
    });
    prop_assert_eq!(before, decisions(&after));
    Ok(())
}

/// See `metamorphic.rs`: policy order does not matter.
pub fn policy_order_does_not_matter(case: &GeneratedCase) -> Result<(), TestCaseError> {
    let before = decisions(case);
    let mut after = case.clone();
    after.policies.identity.reverse();
    after.policies.session.reverse();
    for level in after
        .policies
        .scps
        .iter_mut()
        .chain(after.policies.rcps.iter_mut())
    {
        level.reverse();
    }
    prop_assert_eq!(before, decisions(&after));
    Ok(())
}

/// See `metamorphic.rs`: splitting and merging identity policies does not matter.
pub fn splitting_and_merging_identity_policies_does_not_matter(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    let before = decisions(case);
    // Split every identity policy into one policy per statement.
    let mut split = case.clone();
    split.policies.identity = case
        .policies
        .identity
        .iter()
        .flat_map(|p| {
            let Document::Model { policy, style } = &p.document else {
                return vec![p.clone()];
            };
            policy
                .statements
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let mut s = s.clone();
                    s.index = 0;
                    GenPolicy {
                        id: format!("{}-{i}", p.id),
                        policy_type: p.policy_type,
                        document: Document::Model {
                            policy: iamspec::policy::Policy {
                                statements: vec![s],
                                ..policy.clone()
                            },
                            style: *style,
                        },
                    }
                })
                .collect()
        })
        .collect();
    prop_assert_eq!(&before, &decisions(&split));
    // Merge identity policies of the same Version into one.
    let mut merged = case.clone();
    let models: Vec<_> = case
        .policies
        .identity
        .iter()
        .filter_map(|p| p.model())
        .collect();
    if models.len() == case.policies.identity.len()
        && models.windows(2).all(|w| w[0].version == w[1].version)
    {
        let mut statements: Vec<Statement> = models
            .iter()
            .flat_map(|m| m.statements.iter().cloned())
            .collect();
        reindex(&mut statements);
        let mut policy = models[0].clone();
        policy.statements = statements;
        merged.policies.identity = vec![GenPolicy {
            id: "Merged".into(),
            policy_type: PolicyType::Identity,
            document: Document::Model {
                policy,
                style: Default::default(),
            },
        }];
        prop_assert_eq!(&before, &decisions(&merged));
    }
    Ok(())
}

/// See `metamorphic.rs`: case of action names and condition key names does not matter.
pub fn case_of_action_names_and_condition_key_names_does_not_matter(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    let before = decisions(case);
    let mut after = case.clone();
    for r in &mut after.requests {
        r.action = r.action.to_ascii_uppercase();
    }
    for_each_policy(&mut after.policies, |p| {
        for s in &mut p.statements {
            let lower =
                |v: &mut Vec<String>| v.iter_mut().for_each(|a| *a = a.to_ascii_lowercase());
            match &mut s.action {
                ActionBlock::Action(a) | ActionBlock::NotAction(a) => lower(a),
            }
        }
    });
    for_each_condition(&mut after, |c| {
        // The service prefix and key name, not the tag-key part after `/`.
        let (head, tail) = match c.key.split_once('/') {
            Some((h, t)) => (h.to_string(), format!("/{t}")),
            None => (c.key.clone(), String::new()),
        };
        c.key = format!("{}{tail}", head.to_ascii_uppercase());
    });
    prop_assert_eq!(before, decisions(&after));
    Ok(())
}

/// See `metamorphic.rs`: if exists agrees with the plain operator when the key is present.
pub fn if_exists_agrees_with_the_plain_operator_when_the_key_is_present(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    for (request, condition) in present_single_valued(case) {
        if condition.operator.base == BaseOperator::Null {
            continue;
        }
        let plain = only_condition(case, condition.clone());
        let if_exists = only_condition(
            case,
            with_operator(
                &condition,
                ConditionOperator {
                    if_exists: true,
                    ..condition.operator
                },
            ),
        );
        prop_assert_eq!(
            decision_of(&plain, request),
            decision_of(&if_exists, request),
            "{} vs its IfExists form on {}",
            condition.operator_text,
            condition.key
        );
    }
    Ok(())
}

/// See `metamorphic.rs`: a negated operator is the complement on a present single valued key.
pub fn a_negated_operator_is_the_complement_on_a_present_single_valued_key(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    prop_assume!(caller_has_identity(case));
    for (request, condition) in present_single_valued(case) {
        if needs_no_permission(case, request) {
            continue;
        }
        let Some(negated) = negation(condition.operator.base) else {
            continue;
        };
        let positive = only_condition(case, condition.clone());
        let negative = only_condition(
            case,
            with_operator(
                &condition,
                ConditionOperator {
                    base: negated,
                    ..condition.operator
                },
            ),
        );
        let p = decision_of(&positive, request) == Some(Decision::ExplicitDeny);
        let n = decision_of(&negative, request) == Some(Decision::ExplicitDeny);
        prop_assert!(
            p != n,
            "{} and {} agree ({p}) on {} = {:?}, values {:?}",
            condition.operator_text,
            negated.name(),
            condition.key,
            case.requests[request]
                .context
                .iter()
                .find(|e| e.key.eq_ignore_ascii_case(&condition.key))
                .map(|e| &e.values),
            condition.values
        );
    }
    Ok(())
}

/// See `metamorphic.rs`: for any value over one value equals the plain operator.
pub fn for_any_value_over_one_value_equals_the_plain_operator(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    prop_assume!(caller_has_identity(case));
    for (request, condition) in present_single_valued(case) {
        if condition.operator.base == BaseOperator::Null {
            continue;
        }
        let plain = only_condition(case, condition.clone());
        let any = only_condition(
            case,
            with_operator(
                &condition,
                ConditionOperator {
                    set: Some(SetOperator::ForAnyValue),
                    ..condition.operator
                },
            ),
        );
        prop_assert_eq!(
            decision_of(&plain, request),
            decision_of(&any, request),
            "{} on {}",
            condition.operator_text,
            condition.key
        );
    }
    Ok(())
}

/// See `metamorphic.rs`: for all values over one value equals the plain positive operator.
pub fn for_all_values_over_one_value_equals_the_plain_positive_operator(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    for (request, condition) in present_single_valued(case) {
        if condition.operator.base == BaseOperator::Null || condition.operator.base.is_negated() {
            continue;
        }
        let plain = only_condition(case, condition.clone());
        let all = only_condition(
            case,
            with_operator(
                &condition,
                ConditionOperator {
                    set: Some(SetOperator::ForAllValues),
                    ..condition.operator
                },
            ),
        );
        prop_assert_eq!(
            decision_of(&plain, request),
            decision_of(&all, request),
            "{} on {}",
            condition.operator_text,
            condition.key
        );
    }
    Ok(())
}

/// See `metamorphic.rs`: null true holds exactly when the key is absent.
pub fn null_true_holds_exactly_when_the_key_is_absent(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    prop_assume!(caller_has_identity(case));
    for (i, r) in case.requests.iter().enumerate() {
        if needs_no_permission(case, i) {
            continue;
        }
        let Some(entry) = r.context.first() else {
            continue;
        };
        if r.resources.iter().any(|x| {
            x.context
                .iter()
                .any(|e| e.key.eq_ignore_ascii_case(&entry.key))
        }) {
            continue;
        }
        let null = Condition {
            operator: ConditionOperator::parse("Null").expect("Null"),
            operator_text: "Null".into(),
            key: entry.key.clone(),
            values: vec!["true".into()],
            span: Span::default(),
        };
        let present = only_condition(case, null.clone());
        prop_assert_ne!(
            decision_of(&present, i),
            Some(Decision::ExplicitDeny),
            "{} present",
            entry.key
        );
        let mut absent = present.clone();
        absent.requests[i].context.remove(0);
        prop_assert_eq!(
            decision_of(&absent, i),
            Some(Decision::ExplicitDeny),
            "{} absent",
            entry.key
        );
    }
    Ok(())
}

/// See `metamorphic.rs`: a never matching statement changes nothing.
pub fn a_never_matching_statement_changes_nothing(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    let before = case.outcome(Via::Model);
    let mut after = case.clone();
    for effect in [Effect::Allow, Effect::Deny] {
        if let Some(m) = after
            .policies
            .identity
            .first_mut()
            .and_then(|p| p.model_mut())
        {
            m.statements
                .push(statement(effect, "nosuchservice:NeverCalled", Vec::new()));
            reindex(&mut m.statements);
        }
    }
    let after = after.outcome(Via::Model);
    match (before, after) {
        (Outcome::Decided(b), Outcome::Decided(a)) => {
            for (b, a) in b.iter().zip(&a) {
                let (Ok(b), Ok(a)) = (b, a) else { continue };
                prop_assert_eq!(b.decision, a.decision);
                prop_assert_eq!(&b.missing_context, &a.missing_context);
            }
        }
        _ => prop_assert!(false, "well-formed cases are decided"),
    }
    Ok(())
}

/// See `metamorphic.rs`: adding deny everything always gives explicit deny.
pub fn adding_deny_everything_always_gives_explicit_deny(
    case: &GeneratedCase,
) -> Result<(), TestCaseError> {
    prop_assume!(caller_has_identity(case));
    let mut after = case.clone();
    after.policies.identity.push(identity_policy(
        "DenyEverything",
        vec![statement(Effect::Deny, "*", Vec::new())],
    ));
    for (i, d) in decisions(&after).into_iter().enumerate() {
        if needs_no_permission(&after, i) {
            // "No permissions are required ... you can still perform this operation".
            prop_assert_eq!(d, Some(Decision::Allowed));
            continue;
        }
        prop_assert_eq!(d, Some(Decision::ExplicitDeny));
    }
    Ok(())
}

/// See `metamorphic.rs`: full access scps change nothing.
pub fn full_access_scps_change_nothing(case: &GeneratedCase) -> Result<(), TestCaseError> {
    let before = decisions(case);
    let mut after = case.clone();
    after.policies.scps.push(vec![full_access(
        PolicyType::Scp,
        "FullAWSAccessExtra".into(),
    )]);
    prop_assert_eq!(before, decisions(&after));
    Ok(())
}
