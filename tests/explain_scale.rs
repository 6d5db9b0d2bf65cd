//! Explanations of very large policies (issue 13, item 8): 50,000 matching statements, each
//! asking for its own absent context key, over two resources. De-duplicating the matched
//! statements and the missing keys used to be quadratic (`Vec::contains`: 40,000 statements
//! took 6.8 s, 50,000 over 10 s); the figure is measured by the `explain` benchmark
//! (`cargo bench --bench evaluate -- explain`), and this test asserts on the result only.

use iamspec::authorize::{authorize, NamedPolicy, PolicySet};
use iamspec::condition::ConditionOperator;
use iamspec::explain::Decision;
use iamspec::policy::{
    ActionBlock, Condition, Effect, Policy, PolicyVersion, ResourceBlock, Span, Statement,
};
use iamspec::request::{Request, RequestResource};

const STATEMENTS: usize = 50_000;

/// `n` Allow statements for s3:GetObject on `*`, statement `i` with
/// `StringEqualsIfExists {"test:Key<i>": "x"}` (true: the key is absent, and reported missing).
fn big_policy(n: usize) -> Policy {
    Policy {
        version: Some(PolicyVersion::V2012_10_17),
        id: None,
        statements: (0..n)
            .map(|index| Statement {
                index,
                sid: None,
                effect: Effect::Allow,
                principal: None,
                action: ActionBlock::Action(vec!["s3:GetObject".into()]),
                resource: Some(ResourceBlock::Resource(vec!["*".into()])),
                conditions: vec![Condition {
                    operator: ConditionOperator::parse("StringEqualsIfExists")
                        .expect("known operator"),
                    operator_text: "StringEqualsIfExists".into(),
                    key: format!("test:Key{index}"),
                    values: vec!["x".into()],
                    span: Span::default(),
                }],
                span: Span::default(),
            })
            .collect(),
        warnings: Vec::new(),
    }
}

#[test]
fn fifty_thousand_matching_statements_are_explained_once_each() {
    let set = PolicySet {
        identity: vec![NamedPolicy {
            id: "Big".into(),
            policy: big_policy(STATEMENTS),
        }],
        ..PolicySet::default()
    };
    let mut request = Request::new(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::bucket/a",
    );
    request.resources.push(RequestResource {
        arn: "arn:aws:s3:::bucket/b".into(),
        ..request.resources[0].clone()
    });
    let response = authorize(&set, &request).expect("decidable");
    assert_eq!(response.decision, Decision::Allowed);
    assert_eq!(response.resources.len(), 2);
    // Both resources matched every statement; the request lists each once, in order.
    assert_eq!(response.matched.len(), STATEMENTS);
    assert!(response
        .matched
        .iter()
        .enumerate()
        .all(|(i, m)| m.statement == i && m.policy == "Big"));
    assert_eq!(response.missing_context.len(), STATEMENTS);
    assert_eq!(response.missing_context[STATEMENTS - 1], "test:Key49999");
    for resource in &response.resources {
        assert_eq!(resource.matched.len(), STATEMENTS);
        assert_eq!(resource.missing_context.len(), STATEMENTS);
    }
}
