//! Properties of the decision flow that must hold for any inputs (issue: the whole authorization
//! decision). Strategies are hand-picked pools so that actions, resources and tag values in the
//! policies actually meet those in the requests; the generators crate will supersede them.

use iamspec::authorize::{authorize, NamedPolicy, PolicySet};
use iamspec::condition::ConditionOperator;
use iamspec::context::{ContextKeyType, RequestContext};
use iamspec::explain::Decision;
use iamspec::policy::{
    ActionBlock, Condition, Effect, Policy, PolicyVersion, ResourceBlock, Span, Statement,
};
use iamspec::request::Request;
use proptest::prelude::*;

const ACTIONS: &[&str] = &[
    "ec2:RunInstances",
    "ec2:StopInstances",
    "ec2:DescribeImages",
    "s3:GetObject",
];
const ACTION_PATTERNS: &[&str] = &[
    "ec2:RunInstances",
    "ec2:Stop*",
    "ec2:*",
    "s3:GetObject",
    "*",
    "ec2:Describe*",
];
const RESOURCES: &[&str] = &[
    "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    "arn:aws:ec2:us-east-1::image/ami-1",
    "arn:aws:s3:::bucket/key",
];
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:ec2:us-east-1:111122223333:instance/*",
    "arn:aws:ec2:us-east-1::image/ami-*",
    "arn:aws:s3:::bucket/*",
];
const TAG_VALUES: &[&str] = &["dev", "prod", "Dev"];

#[derive(Debug, Clone)]
struct StatementSpec {
    effect: Effect,
    not_action: bool,
    actions: Vec<&'static str>,
    resources: Vec<&'static str>,
    tag_condition: Option<&'static str>,
}

fn statement_spec() -> impl Strategy<Value = StatementSpec> {
    (
        prop_oneof![Just(Effect::Allow), Just(Effect::Deny)],
        prop::bool::weighted(0.15),
        prop::sample::subsequence(ACTION_PATTERNS, 1..=2),
        prop::sample::subsequence(RESOURCE_PATTERNS, 1..=2),
        prop::option::weighted(0.4, prop::sample::select(TAG_VALUES)),
    )
        .prop_map(
            |(effect, not_action, actions, resources, tag_condition)| StatementSpec {
                effect,
                not_action,
                actions,
                resources,
                tag_condition,
            },
        )
}

fn build_statement(index: usize, spec: &StatementSpec) -> Statement {
    let patterns = spec.actions.iter().map(|a| a.to_string()).collect();
    Statement {
        index,
        sid: None,
        effect: spec.effect,
        principal: None,
        action: if spec.not_action {
            ActionBlock::NotAction(patterns)
        } else {
            ActionBlock::Action(patterns)
        },
        resource: Some(ResourceBlock::Resource(
            spec.resources.iter().map(|r| r.to_string()).collect(),
        )),
        conditions: spec
            .tag_condition
            .map(|value| Condition {
                operator: ConditionOperator::parse("StringEquals").expect("known operator"),
                operator_text: "StringEquals".into(),
                key: "aws:ResourceTag/env".into(),
                values: vec![value.to_string()],
                span: Span::default(),
            })
            .into_iter()
            .collect(),
        span: Span::default(),
    }
}

fn build_policy(specs: &[StatementSpec]) -> Policy {
    Policy {
        version: Some(PolicyVersion::V2012_10_17),
        id: None,
        statements: specs
            .iter()
            .enumerate()
            .map(|(i, s)| build_statement(i, s))
            .collect(),
        warnings: Vec::new(),
    }
}

fn named(id: &str, policy: Policy) -> NamedPolicy {
    NamedPolicy {
        id: id.to_string(),
        policy,
    }
}

fn request_strategy() -> impl Strategy<Value = Request> {
    (
        prop::sample::select(ACTIONS),
        prop::sample::select(RESOURCES),
        prop::option::of(prop::sample::select(TAG_VALUES)),
    )
        .prop_map(|(action, resource, tag)| {
            let mut context = RequestContext::new();
            if let Some(tag) = tag {
                context = context.with("aws:ResourceTag/env", ContextKeyType::String, &[tag]);
            }
            Request::new("arn:aws:iam::111122223333:user/alice", action, resource)
                .with_context(context)
        })
}

fn decide(set: &PolicySet, request: &Request) -> Decision {
    authorize(set, request)
        .expect("identity requests are decidable")
        .decision
}

fn allow_everything() -> Policy {
    build_policy(&[StatementSpec {
        effect: Effect::Allow,
        not_action: false,
        actions: vec!["*"],
        resources: vec!["*"],
        tag_condition: None,
    }])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Adding a Deny statement never turns a denial into an allow, and never turns an explicit
    /// deny into anything else.
    #[test]
    fn adding_a_deny_never_allows(
        specs in prop::collection::vec(statement_spec(), 0..5),
        extra in statement_spec(),
        request in request_strategy(),
    ) {
        let before = decide(&PolicySet::identity_only(vec![("p".into(), build_policy(&specs))]), &request);
        let deny = StatementSpec { effect: Effect::Deny, ..extra };
        let mut more = specs.clone();
        more.push(deny);
        let after = decide(&PolicySet::identity_only(vec![("p".into(), build_policy(&more))]), &request);
        if before != Decision::Allowed {
            prop_assert_ne!(after, Decision::Allowed);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }

    /// Removing every Allow statement never allows.
    #[test]
    fn without_allow_statements_nothing_is_allowed(
        specs in prop::collection::vec(statement_spec(), 0..6),
        request in request_strategy(),
    ) {
        let denies: Vec<StatementSpec> = specs.into_iter().filter(|s| s.effect == Effect::Deny).collect();
        let set = PolicySet::identity_only(vec![("p".into(), build_policy(&denies))]);
        prop_assert_ne!(decide(&set, &request), Decision::Allowed);
    }

    /// An SCP of `Allow *` at every organization level changes nothing.
    #[test]
    fn full_access_scps_change_nothing(
        specs in prop::collection::vec(statement_spec(), 0..5),
        levels in 1usize..4,
        request in request_strategy(),
    ) {
        let identity = vec![named("p", build_policy(&specs))];
        let plain = PolicySet { identity: identity.clone(), ..PolicySet::default() };
        let with_scps = PolicySet {
            identity,
            scps: (0..levels).map(|i| vec![named(&format!("FullAWSAccess{i}"), allow_everything())]).collect(),
            ..PolicySet::default()
        };
        prop_assert_eq!(decide(&plain, &request), decide(&with_scps, &request));
    }

    /// A permissions boundary of `Allow *` changes nothing for identity-based access.
    #[test]
    fn full_access_boundary_changes_nothing(
        specs in prop::collection::vec(statement_spec(), 0..5),
        request in request_strategy(),
    ) {
        let identity = vec![named("p", build_policy(&specs))];
        let plain = PolicySet { identity: identity.clone(), ..PolicySet::default() };
        let bounded = PolicySet {
            identity,
            permissions_boundary: Some(named("boundary", allow_everything())),
            ..PolicySet::default()
        };
        prop_assert_eq!(decide(&plain, &request), decide(&bounded, &request));
    }

    /// A boundary never grants: whatever it says, a request the identity policies do not allow
    /// stays denied.
    #[test]
    fn a_boundary_never_grants(
        specs in prop::collection::vec(statement_spec(), 0..5),
        boundary in prop::collection::vec(statement_spec(), 0..4),
        request in request_strategy(),
    ) {
        let identity = vec![named("p", build_policy(&specs))];
        let plain = PolicySet { identity: identity.clone(), ..PolicySet::default() };
        let bounded = PolicySet {
            identity,
            permissions_boundary: Some(named("boundary", build_policy(&boundary))),
            ..PolicySet::default()
        };
        if decide(&plain, &request) != Decision::Allowed {
            prop_assert_ne!(decide(&bounded, &request), Decision::Allowed);
        }
    }
}
