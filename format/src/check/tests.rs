use super::*;
use crate::answer::NoAnswer;
use crate::terms::Position;

fn request(expect: &str) -> CaseRequest {
    serde_json::from_str(&format!(
        r#"{{"name":"r","action":"s3:GetObject","resource":{{"arn":"*"}},"expect":{expect}}}"#
    ))
    .unwrap()
}

fn statement(
    policy: &str,
    index: usize,
    sid: Option<&str>,
    start: Option<(u32, u32)>,
) -> MatchedStatement {
    MatchedStatement {
        sid: sid.map(str::to_string),
        start: start.map(|(line, column)| Position { line, column }),
        ..MatchedStatement::new(policy, index)
    }
}

fn decided(d: Decision, matched: Option<Vec<MatchedStatement>>) -> Answer {
    let mut r = DecisionResult::new(d);
    r.matched = matched;
    Answer::Decided(r)
}

fn failures(v: Verdict) -> String {
    match v {
        Verdict::Failed(m) => m.join("\n"),
        other => panic!("expected a failure, got {other}"),
    }
}

#[test]
fn modes_compare_what_they_say() {
    let req = request(r#"{"decision":"explicitDeny","matched":[{"policy":"P","statement":1}]}"#);
    let implicit = decided(Decision::ImplicitDeny, None);
    let m = failures(check(&req, &implicit, ComparisonMode::Decision));
    assert!(
        m.contains("decision: expected explicitDeny, actual implicitDeny"),
        "{m}"
    );
    assert_eq!(
        check(&req, &implicit, ComparisonMode::DecisionClass),
        Verdict::Passed
    );
    let allowed = decided(Decision::Allowed, None);
    let m = failures(check(&req, &allowed, ComparisonMode::DecisionClass));
    assert!(
        m.contains("decision (decision-class): expected explicitDeny, actual allowed"),
        "{m}"
    );
    let wrong = decided(
        Decision::ExplicitDeny,
        Some(vec![statement("P", 0, None, None)]),
    );
    assert_eq!(
        check(&req, &wrong, ComparisonMode::Decision),
        Verdict::Passed
    );
    let m = failures(check(&req, &wrong, ComparisonMode::Matched));
    assert!(
        m.contains("matched statements: expected [P#1], actual [P#0]"),
        "{m}"
    );
    // An answer that does not report matched statements is not judged on them.
    assert_eq!(
        check(
            &req,
            &decided(Decision::ExplicitDeny, None),
            ComparisonMode::Full
        ),
        Verdict::Passed
    );
}

#[test]
fn matched_statements_are_a_multiset() {
    let req = request(
        r#"{"decision":"allowed","matched":[{"policy":"P","statement":1},{"policy":"P","statement":1}]}"#,
    );
    let once = decided(Decision::Allowed, Some(vec![statement("P", 1, None, None)]));
    let m = failures(check(&req, &once, ComparisonMode::Full));
    assert!(m.contains("expected [P#1, P#1], actual [P#1]"), "{m}");
}

#[test]
fn an_expected_sid_must_be_answered_and_positions_are_judged_where_given() {
    let req = request(
        r#"{"decision":"allowed","matched":[{"policy":"P","statement":0,"sid":"Read","start":{"line":4,"column":5}}]}"#,
    );
    let right = decided(
        Decision::Allowed,
        Some(vec![statement("P", 0, Some("Read"), Some((4, 5)))]),
    );
    assert_eq!(check(&req, &right, ComparisonMode::Full), Verdict::Passed);
    let other_sid = decided(
        Decision::Allowed,
        Some(vec![statement("P", 0, Some("Other"), Some((4, 5)))]),
    );
    let m = failures(check(&req, &other_sid, ComparisonMode::Full));
    assert!(
        m.contains("matched P#0: Sid expected `Read`, actual `Other`"),
        "{m}"
    );
    let no_sid = decided(Decision::Allowed, Some(vec![statement("P", 0, None, None)]));
    let m = failures(check(&req, &no_sid, ComparisonMode::Full));
    assert!(
        m.contains("matched P#0: Sid expected `Read`, actual none"),
        "{m}"
    );
    assert!(
        !m.contains("start"),
        "positions not given are not judged: {m}"
    );
    let moved = decided(
        Decision::Allowed,
        Some(vec![statement("P", 0, Some("Read"), Some((9, 1)))]),
    );
    let m = failures(check(&req, &moved, ComparisonMode::Full));
    assert!(
        m.contains("matched P#0: start expected 4:5, actual 9:1"),
        "{m}"
    );
    // Sid and positions belong to `full` only.
    assert_eq!(
        check(&req, &moved, ComparisonMode::Matched),
        Verdict::Passed
    );
}

#[test]
fn missing_context_is_a_case_insensitive_set_in_full_mode() {
    let req = request(r#"{"decision":"implicitDeny","missing_context":["AWS:SOURCEIP"]}"#);
    let mut answer = DecisionResult::new(Decision::ImplicitDeny);
    answer.missing_context = Some(vec!["aws:SourceIp".into()]);
    assert_eq!(
        check(&req, &Answer::Decided(answer.clone()), ComparisonMode::Full),
        Verdict::Passed
    );
    answer.missing_context = Some(vec![]);
    let m = failures(check(
        &req,
        &Answer::Decided(answer.clone()),
        ComparisonMode::Full,
    ));
    assert!(
        m.contains("missing context: expected [AWS:SOURCEIP], actual []"),
        "{m}"
    );
    assert_eq!(
        check(&req, &Answer::Decided(answer), ComparisonMode::Matched),
        Verdict::Passed
    );
}

fn rejected(kind: &str, position: Option<(u32, u32)>) -> Answer {
    Answer::Rejected(Rejection {
        error: kind.into(),
        policy: Some("P".into()),
        message: None,
        error_position: position.map(|(line, column)| Position { line, column }),
    })
}

#[test]
fn rejections_compare_by_kind_then_position_in_full_mode() {
    let req = request(r#"{"error":"invalid-effect","error_position":{"line":2,"column":3}}"#);
    assert_eq!(
        check(
            &req,
            &rejected("invalid-effect", Some((2, 3))),
            ComparisonMode::Full
        ),
        Verdict::Passed
    );
    assert_eq!(
        check(
            &req,
            &rejected("invalid-effect", None),
            ComparisonMode::Full
        ),
        Verdict::Passed
    );
    let m = failures(check(
        &req,
        &rejected("invalid-effect", Some((9, 9))),
        ComparisonMode::Full,
    ));
    assert!(
        m.contains("error position: expected 2:3, actual 9:9"),
        "{m}"
    );
    assert_eq!(
        check(
            &req,
            &rejected("invalid-effect", Some((9, 9))),
            ComparisonMode::Decision
        ),
        Verdict::Passed
    );
    let m = failures(check(
        &req,
        &rejected("other", None),
        ComparisonMode::Decision,
    ));
    assert!(
        m.contains("error kind: expected `invalid-effect`, actual `other`"),
        "{m}"
    );
    let m = failures(check(
        &req,
        &decided(Decision::Allowed, None),
        ComparisonMode::Decision,
    ));
    assert!(
        m.contains(
            "expected error `invalid-effect`, but every policy was accepted (decision: allowed)"
        ),
        "{m}"
    );
    let req = request(r#"{"decision":"implicitDeny"}"#);
    let m = failures(check(
        &req,
        &rejected("malformed-json", None),
        ComparisonMode::DecisionClass,
    ));
    assert!(
        m.contains("decision: expected implicitDeny, but policy `P` was rejected: malformed-json"),
        "{m}"
    );
}

#[test]
fn could_not_answer_is_not_a_failure() {
    let req = request(r#"{"decision":"allowed"}"#);
    for why in NoAnswer::ALL {
        let v = check(
            &req,
            &Answer::CouldNot(CouldNotAnswer::new(*why, "no")),
            ComparisonMode::Full,
        );
        assert!(matches!(v, Verdict::NotAnswered(_)));
        assert_eq!(v.outcome(), why.outcome());
    }
}

#[test]
fn per_resource_expectations_are_judged_against_per_resource_answers() {
    let req: CaseRequest = serde_json::from_str(
        r#"{"name":"run","action":"ec2:RunInstances",
            "resources":[{"arn":"a","expect":{"decision":"allowed"}},{"arn":"b"},{"arn":"c","expect":{"decision":"implicitDeny"}}],
            "expect":{"decision":"implicitDeny"}}"#,
    )
    .unwrap();
    let one = |d| RequestAnswer::Decision(DecisionResult::new(d));
    let mut answer = DecisionResult::new(Decision::ImplicitDeny);
    // Without per-resource results, only the request is judged.
    assert_eq!(
        check(&req, &Answer::Decided(answer.clone()), ComparisonMode::Full),
        Verdict::Passed
    );
    answer.resources = Some(vec![
        one(Decision::Allowed),
        one(Decision::Allowed),
        one(Decision::ImplicitDeny),
    ]);
    assert_eq!(
        check(&req, &Answer::Decided(answer.clone()), ComparisonMode::Full),
        Verdict::Passed
    );
    answer.resources = Some(vec![one(Decision::ImplicitDeny), one(Decision::Allowed)]);
    let m = failures(check(&req, &Answer::Decided(answer), ComparisonMode::Full));
    assert!(
        m.contains("resources[0] (`a`): decision: expected allowed, actual implicitDeny"),
        "{m}"
    );
    assert!(
        m.contains("resources[2] (`c`): the evaluator answered for 2 resources only"),
        "{m}"
    );
    assert!(!m.contains("resources[1]"), "{m}");
}

#[test]
fn modes_read_and_order() {
    for m in ComparisonMode::ALL {
        assert_eq!(m.name().parse::<ComparisonMode>().unwrap(), *m);
    }
    assert!("exact"
        .parse::<ComparisonMode>()
        .unwrap_err()
        .contains("decision-class"));
    assert!(ComparisonMode::DecisionClass < ComparisonMode::Full);
    assert_eq!(
        ComparisonMode::Full.for_evaluator(DecisionMode::Class),
        ComparisonMode::DecisionClass
    );
}
