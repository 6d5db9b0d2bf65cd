//! Metamorphic properties of the reference evaluator over generated cases: rewrites that must
//! not change a decision (or must change it in a known way).
//!
//! Each property runs 64 generated cases by default so the suite stays fast; run 100x with
//! `PROPTEST_CASES=6400 cargo test -p iamspec-generators --release --test metamorphic`.
//! Cases are decided through the generated model (`Via::Model`); failures shrink toward a small
//! case (see `iamspec_generators::strategy`).

use iamspec::condition::{BaseOperator, ConditionOperator, SetOperator};
use iamspec::context::ContextKeyType;
use iamspec::explain::Decision;
use iamspec::policy::{
    ActionBlock, Condition, Effect, PolicyType, PolicyVersion, ResourceBlock, Span, Statement,
};
use iamspec_generators::case::{GeneratedCase, Outcome, Via};
use iamspec_generators::condition::wildcard_pattern;
use iamspec_generators::gen::Gen;
use iamspec_generators::policy::{full_access, Document, GenPolicy, GenPolicySet};
use iamspec_generators::settings::Settings;
use iamspec_generators::strategy::{bytes, cases};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config() -> Config {
    let mut c = Config::default();
    if std::env::var("PROPTEST_CASES").is_err() {
        c.cases = 64;
    }
    c.failure_persistence = None;
    c.max_shrink_iters = 4096;
    c
}

/// Decisions of every request (`None` for a rejected case or an undecidable request).
fn decisions(case: &GeneratedCase) -> Vec<Option<Decision>> {
    match case.outcome(Via::Model) {
        Outcome::Rejected { .. } => vec![None; case.requests.len()],
        Outcome::Decided(rs) => rs
            .iter()
            .map(|r| r.as_ref().ok().map(|r| r.decision))
            .collect(),
    }
}

fn reindex(statements: &mut [Statement]) {
    for (i, s) in statements.iter_mut().enumerate() {
        s.index = i;
    }
}

fn for_each_policy(set: &mut GenPolicySet, mut f: impl FnMut(&mut iamspec::policy::Policy)) {
    for p in set.all_mut() {
        if let Some(m) = p.model_mut() {
            f(m);
        }
    }
}

fn for_each_condition(case: &mut GeneratedCase, mut f: impl FnMut(&mut Condition)) {
    for_each_policy(&mut case.policies, |p| {
        for s in &mut p.statements {
            for c in &mut s.conditions {
                f(c);
            }
        }
    });
}

fn identity_policy(id: &str, statements: Vec<Statement>) -> GenPolicy {
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

fn statement(effect: Effect, action: &str, conditions: Vec<Condition>) -> Statement {
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

fn with_operator(c: &Condition, operator: ConditionOperator) -> Condition {
    Condition {
        operator,
        operator_text: operator.name(),
        ..c.clone()
    }
}

/// The positive/negated pairs of operators.
fn negation(base: BaseOperator) -> Option<BaseOperator> {
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
fn present_single_valued(case: &GeneratedCase) -> Vec<(usize, Condition)> {
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
fn caller_has_identity(case: &GeneratedCase) -> bool {
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
fn needs_no_permission(case: &GeneratedCase, i: usize) -> bool {
    iamspec::service_data::needs_no_permission(&case.requests[i].action, case.caller.kind.name())
}

/// The case with only one identity policy `Deny * on * if <condition>` and no other policy: the
/// request is `explicitDeny` exactly when the condition holds, for any caller that is an IAM
/// identity (the properties using it skip the others).
fn only_condition(case: &GeneratedCase, condition: Condition) -> GeneratedCase {
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

fn decision_of(case: &GeneratedCase, request: usize) -> Option<Decision> {
    decisions(case)[request]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn statement_order_does_not_matter(case in cases(Settings::well_formed())) {
        let before = decisions(&case);
        let mut after = case.clone();
        for_each_policy(&mut after.policies, |p| {
            p.statements.reverse();
            reindex(&mut p.statements);
        });
        prop_assert_eq!(before, decisions(&after));
    }

    #[test]
    fn policy_order_does_not_matter(case in cases(Settings::well_formed())) {
        let before = decisions(&case);
        let mut after = case.clone();
        after.policies.identity.reverse();
        after.policies.session.reverse();
        for level in after.policies.scps.iter_mut().chain(after.policies.rcps.iter_mut()) {
            level.reverse();
        }
        prop_assert_eq!(before, decisions(&after));
    }

    #[test]
    fn splitting_and_merging_identity_policies_does_not_matter(case in cases(Settings::well_formed())) {
        let before = decisions(&case);
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
        let models: Vec<_> = case.policies.identity.iter().filter_map(|p| p.model()).collect();
        if models.len() == case.policies.identity.len()
            && models.windows(2).all(|w| w[0].version == w[1].version)
        {
            let mut statements: Vec<Statement> =
                models.iter().flat_map(|m| m.statements.iter().cloned()).collect();
            reindex(&mut statements);
            let mut policy = models[0].clone();
            policy.statements = statements;
            merged.policies.identity = vec![GenPolicy {
                id: "Merged".into(),
                policy_type: PolicyType::Identity,
                document: Document::Model { policy, style: Default::default() },
            }];
            prop_assert_eq!(&before, &decisions(&merged));
        }
    }

    #[test]
    fn case_of_action_names_and_condition_key_names_does_not_matter(case in cases(Settings::well_formed())) {
        let before = decisions(&case);
        let mut after = case.clone();
        for r in &mut after.requests {
            r.action = r.action.to_ascii_uppercase();
        }
        for_each_policy(&mut after.policies, |p| {
            for s in &mut p.statements {
                let lower = |v: &mut Vec<String>| v.iter_mut().for_each(|a| *a = a.to_ascii_lowercase());
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
    }

    #[test]
    fn if_exists_agrees_with_the_plain_operator_when_the_key_is_present(case in cases(Settings::well_formed())) {
        for (request, condition) in present_single_valued(&case) {
            if condition.operator.base == BaseOperator::Null {
                continue;
            }
            let plain = only_condition(&case, condition.clone());
            let if_exists = only_condition(
                &case,
                with_operator(&condition, ConditionOperator { if_exists: true, ..condition.operator }),
            );
            prop_assert_eq!(
                decision_of(&plain, request),
                decision_of(&if_exists, request),
                "{} vs its IfExists form on {}", condition.operator_text, condition.key
            );
        }
    }

    #[test]
    fn a_negated_operator_is_the_complement_on_a_present_single_valued_key(case in cases(Settings::well_formed())) {
        prop_assume!(caller_has_identity(&case));
        for (request, condition) in present_single_valued(&case) {
            if needs_no_permission(&case, request) {
                continue;
            }
            let Some(negated) = negation(condition.operator.base) else { continue };
            let positive = only_condition(&case, condition.clone());
            let negative = only_condition(
                &case,
                with_operator(&condition, ConditionOperator { base: negated, ..condition.operator }),
            );
            let p = decision_of(&positive, request) == Some(Decision::ExplicitDeny);
            let n = decision_of(&negative, request) == Some(Decision::ExplicitDeny);
            prop_assert!(p != n, "{} and {} agree ({p}) on {} = {:?}, values {:?}",
                condition.operator_text, negated.name(), condition.key,
                case.requests[request].context.iter().find(|e| e.key.eq_ignore_ascii_case(&condition.key)).map(|e| &e.values),
                condition.values);
        }
    }

    #[test]
    fn for_any_value_over_one_value_equals_the_plain_operator(case in cases(Settings::well_formed())) {
        prop_assume!(caller_has_identity(&case));
        for (request, condition) in present_single_valued(&case) {
            if condition.operator.base == BaseOperator::Null {
                continue;
            }
            let plain = only_condition(&case, condition.clone());
            let any = only_condition(
                &case,
                with_operator(&condition, ConditionOperator { set: Some(SetOperator::ForAnyValue), ..condition.operator }),
            );
            prop_assert_eq!(decision_of(&plain, request), decision_of(&any, request),
                "{} on {}", condition.operator_text, condition.key);
        }
    }

    #[test]
    fn for_all_values_over_one_value_equals_the_plain_positive_operator(case in cases(Settings::well_formed())) {
        for (request, condition) in present_single_valued(&case) {
            if condition.operator.base == BaseOperator::Null || condition.operator.base.is_negated() {
                continue;
            }
            let plain = only_condition(&case, condition.clone());
            let all = only_condition(
                &case,
                with_operator(&condition, ConditionOperator { set: Some(SetOperator::ForAllValues), ..condition.operator }),
            );
            prop_assert_eq!(decision_of(&plain, request), decision_of(&all, request),
                "{} on {}", condition.operator_text, condition.key);
        }
    }

    #[test]
    fn null_true_holds_exactly_when_the_key_is_absent(case in cases(Settings::well_formed())) {
        prop_assume!(caller_has_identity(&case));
        for (i, r) in case.requests.iter().enumerate() {
            if needs_no_permission(&case, i) {
                continue;
            }
            let Some(entry) = r.context.first() else { continue };
            if r.resources.iter().any(|x| x.context.iter().any(|e| e.key.eq_ignore_ascii_case(&entry.key))) {
                continue;
            }
            let null = Condition {
                operator: ConditionOperator::parse("Null").expect("Null"),
                operator_text: "Null".into(),
                key: entry.key.clone(),
                values: vec!["true".into()],
                span: Span::default(),
            };
            let present = only_condition(&case, null.clone());
            prop_assert_ne!(decision_of(&present, i), Some(Decision::ExplicitDeny), "{} present", entry.key);
            let mut absent = present.clone();
            absent.requests[i].context.remove(0);
            prop_assert_eq!(decision_of(&absent, i), Some(Decision::ExplicitDeny), "{} absent", entry.key);
        }
    }

    #[test]
    fn a_wildcard_pattern_matches_what_its_regex_matches(input in bytes()) {
        let mut g = Gen::from_bytes(&input);
        let world = iamspec_generators::world::World::generate(&mut g, &Settings::well_formed());
        let texts: Vec<String> = world
            .resources
            .iter()
            .map(|r| r.arn.clone())
            .chain(world.principals.iter().map(|p| p.arn.clone()))
            .collect();
        for _ in 0..8 {
            let source = g.pick(&texts).clone();
            let pattern = wildcard_pattern(&mut g, &source);
            let text = if g.chance(50) { source.clone() } else {
                iamspec_generators::mutate::string_neighbour(&mut g, &source)
            };
            let regex_text: String = pattern
                .chars()
                .map(|c| match c {
                    '*' => ".*".to_string(),
                    '?' => ".".to_string(),
                    other => regex::escape(&other.to_string()),
                })
                .collect();
            let sensitive = regex::Regex::new(&format!("(?s)^{regex_text}$")).expect("regex");
            let insensitive = regex::Regex::new(&format!("(?si)^{regex_text}$")).expect("regex");
            prop_assert_eq!(
                iamspec::matching::glob::wildcard_match(&pattern, &text, false),
                sensitive.is_match(&text),
                "pattern {} text {}", pattern, text
            );
            prop_assert_eq!(
                iamspec::matching::glob::wildcard_match(&pattern, &text, true),
                insensitive.is_match(&text),
                "pattern {} text {} (ignoring case)", pattern, text
            );
        }
    }

    #[test]
    fn a_never_matching_statement_changes_nothing(case in cases(Settings::well_formed())) {
        let before = case.outcome(Via::Model);
        let mut after = case.clone();
        for effect in [Effect::Allow, Effect::Deny] {
            if let Some(m) = after.policies.identity.first_mut().and_then(|p| p.model_mut()) {
                m.statements.push(statement(effect, "nosuchservice:NeverCalled", Vec::new()));
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
    }

    #[test]
    fn adding_deny_everything_always_gives_explicit_deny(case in cases(Settings::well_formed())) {
        prop_assume!(caller_has_identity(&case));
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
    }

    #[test]
    fn full_access_scps_change_nothing(case in cases(Settings::well_formed())) {
        let before = decisions(&case);
        let mut after = case.clone();
        after.policies.scps.push(vec![full_access(PolicyType::Scp, "FullAWSAccessExtra".into())]);
        prop_assert_eq!(before, decisions(&after));
    }
}

#[test]
fn context_types_used_by_requests_are_simulator_types() {
    // Every context entry of generated requests uses a type the simulator knows, and
    // single-valued types carry exactly one value.
    for case in iamspec_generators::generate_cases(&Settings::adversarial(), 5, 200) {
        for r in &case.requests {
            for e in r
                .context
                .iter()
                .chain(r.resources.iter().flat_map(|x| x.context.iter()))
            {
                assert!(ContextKeyType::ALL.contains(&e.key_type));
                if !e.key_type.is_list() {
                    assert_eq!(e.values.len(), 1, "{e:?}");
                }
            }
        }
    }
}

#[test]
fn the_condition_properties_have_material() {
    // The IfExists / negation / ForAnyValue properties only test conditions on keys the request
    // carries as one value; make sure generated cases have plenty.
    let cases = iamspec_generators::generate_cases(&Settings::well_formed(), 1, 200);
    let pairs: usize = cases.iter().map(|c| present_single_valued(c).len()).sum();
    let negatable = cases
        .iter()
        .flat_map(present_single_valued)
        .filter(|(_, c)| negation(c.operator.base).is_some())
        .count();
    assert!(pairs >= 100, "{pairs}");
    assert!(negatable >= 30, "{negatable}");
}
