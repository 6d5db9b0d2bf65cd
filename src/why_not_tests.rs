//! Each kind of "why not", one test each: what the explanation says, in words and in fields.

use super::*;
use crate::authorize::{authorize_explained, NamedPolicy, PolicySet};
use crate::context::{ContextKeyType, RequestContext};
use crate::policy::parse_policy;

const ACCOUNT: &str = "111122223333";
const OTHER: &str = "444455556666";
const BUCKET: &str = "arn:aws:s3:::amzn-s3-demo-bucket/report.csv";

fn named(policy_type: PolicyType, id: &str, json: &str) -> NamedPolicy {
    NamedPolicy {
        id: id.to_string(),
        policy: parse_policy(json, policy_type).expect("valid test policy"),
    }
}

fn statement(body: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{body}]}}"#)
}

fn request(caller: &str, action: &str, context: RequestContext) -> Request {
    let mut r = Request::new(caller, action, BUCKET).with_context(context);
    r.resources[0].owner = Some(ACCOUNT.to_string());
    r
}

fn alice() -> String {
    format!("arn:aws:iam::{ACCOUNT}:user/alice")
}

fn explain(set: &PolicySet, request: &Request) -> ResourceExplanation {
    let (_, mut resources) = authorize_explained(set, request).expect("decidable");
    resources.remove(0)
}

fn mismatches(e: &ResourceExplanation) -> Vec<String> {
    e.policy_types
        .iter()
        .flat_map(|t| &t.statements)
        .flat_map(|s| s.not_matched.iter().map(|m| m.to_string()))
        .collect()
}

fn identity(json: &str) -> PolicySet {
    PolicySet {
        identity: vec![named(PolicyType::Identity, "p", json)],
        ..Default::default()
    }
}

#[test]
fn an_action_that_does_not_match_is_named_with_the_patterns() {
    let set = identity(&statement(
        r#"{"Effect":"Allow","Action":"s3:Put*","Resource":"*"}"#,
    ));
    let e = explain(
        &set,
        &request(&alice(), "s3:GetObject", RequestContext::new()),
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(
        mismatches(&e),
        ["action: `Action` [\"s3:Put*\"] does not cover s3:GetObject"]
    );
    assert_eq!(e.step, Step::SameAccount);
    assert!(
        e.rule.contains("no identity-based policy allows"),
        "{}",
        e.rule
    );
}

#[test]
fn a_resource_that_does_not_match_is_named() {
    let set = identity(&statement(
        r#"{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}"#,
    ));
    let e = explain(
        &set,
        &request(&alice(), "s3:GetObject", RequestContext::new()),
    );
    assert_eq!(
        mismatches(&e),
        [format!(
            "resource: `NotResource` [\"arn:aws:s3:::amzn-s3-demo-bucket/*\"] covers {BUCKET}"
        )]
    );
}

#[test]
fn an_absent_key_names_the_absent_key_rule_and_ifexists() {
    let set = identity(&statement(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"dev"}}}"#,
    ));
    let e = explain(
        &set,
        &request(&alice(), "s3:GetObject", RequestContext::new()),
    );
    let m = mismatches(&e);
    assert_eq!(m.len(), 1);
    assert!(
        m[0].starts_with("condition: `StringEquals` `aws:PrincipalTag/team` policy [\"dev\"] vs request: absent: "),
        "{}",
        m[0]
    );
    assert!(
        m[0].contains("`StringEqualsIfExists` would be true"),
        "{}",
        m[0]
    );
}

#[test]
fn values_that_do_not_match_are_shown_both_sides() {
    let set = identity(&statement(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["dev","ops"]},"Bool":{"aws:SecureTransport":"true"}}}"#,
    ));
    let context = RequestContext::new()
        .with("aws:PrincipalTag/team", ContextKeyType::String, &["qa"])
        .with("aws:SecureTransport", ContextKeyType::Boolean, &["true"]);
    let e = explain(&set, &request(&alice(), "s3:GetObject", context));
    assert_eq!(
        mismatches(&e),
        ["condition: `StringEquals` `aws:PrincipalTag/team` policy [\"dev\", \"ops\"] vs request [\"qa\"]: no policy value matches the request's value"]
    );
    // Several values without a set operator: rule 6.
    let context = RequestContext::new().with(
        "aws:PrincipalTag/team",
        ContextKeyType::StringList,
        &["dev"],
    );
    let set = identity(&statement(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"dev"}}}"#,
    ));
    let e = explain(&set, &request(&alice(), "s3:GetObject", context));
    assert!(
        mismatches(&e)[0].contains("multivalued key"),
        "{:?}",
        mismatches(&e)
    );
}

#[test]
fn null_and_negated_operators_say_which_way() {
    let set = identity(&statement(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthAge":"false"},"StringNotEquals":{"aws:username":"alice"}}}"#,
    ));
    let context = RequestContext::new().with("aws:username", ContextKeyType::String, &["alice"]);
    let e = explain(&set, &request(&alice(), "s3:GetObject", context));
    let m = mismatches(&e);
    assert!(
        m[0].contains("`Null` asks for the key to be present"),
        "{m:?}"
    );
    assert!(m[1].contains("negated operator is false"), "{m:?}");
}

#[test]
fn a_principal_that_is_not_named_is_reported() {
    let set = PolicySet {
        resource: Some(named(
            PolicyType::Resource,
            "bucket",
            &statement(&format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/bob"}},"Action":"s3:GetObject","Resource":"{BUCKET}"}}"#
            )),
        )),
        ..Default::default()
    };
    let e = explain(
        &set,
        &request(&alice(), "s3:GetObject", RequestContext::new()),
    );
    assert_eq!(
        mismatches(&e),
        [format!(
            "principal: `Principal` does not name the caller {}",
            alice()
        )]
    );
    assert!(
        e.rule
            .contains("the resource-based policy has no Allow that applies to the caller"),
        "{}",
        e.rule
    );
}

#[test]
fn an_scp_level_without_allow_is_named_with_its_policies() {
    let allow_all = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;
    let set = PolicySet {
        identity: vec![named(PolicyType::Identity, "p", &statement(allow_all))],
        scps: vec![
            vec![named(
                PolicyType::Scp,
                "FullAWSAccess",
                &statement(allow_all),
            )],
            vec![named(
                PolicyType::Scp,
                "Ec2Only",
                &statement(r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#),
            )],
        ],
        ..Default::default()
    };
    let e = explain(
        &set,
        &request(&alice(), "s3:GetObject", RequestContext::new()),
    );
    assert_eq!(e.step, Step::ScpLevel);
    assert!(
        e.rule
            .starts_with("SCP level 2 (Ec2Only) has no Allow for this action"),
        "{}",
        e.rule
    );
    let levels: Vec<Option<usize>> = e
        .policy_types
        .iter()
        .filter(|t| t.policy_type == PolicyType::Scp)
        .map(|t| t.level)
        .collect();
    assert_eq!(levels, [Some(1), Some(2)]);
}

#[test]
fn cross_account_says_both_sides_must_allow_and_which_did_not() {
    let caller = format!("arn:aws:iam::{OTHER}:user/bob");
    let set = PolicySet {
        resource: Some(named(
            PolicyType::Resource,
            "bucket",
            &statement(&format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"{OTHER}"}},"Action":"s3:GetObject","Resource":"{BUCKET}"}}"#
            )),
        )),
        ..Default::default()
    };
    let e = explain(
        &set,
        &request(&caller, "s3:GetObject", RequestContext::new()),
    );
    assert_eq!(e.step, Step::CrossAccount);
    assert_eq!(
        e.rule,
        format!("cross-account (caller's account {OTHER}, resource owned by {ACCOUNT}): both sides must allow: the resource-based policy allows; the identity side must allow too, but no identity-based policy allows it")
    );
}

#[test]
fn an_explicit_deny_names_the_policy_type_it_is_in() {
    let set = PolicySet {
        identity: vec![named(
            PolicyType::Identity,
            "p",
            &statement(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#),
        )],
        permissions_boundary: Some(named(
            PolicyType::PermissionsBoundary,
            "boundary",
            &statement(r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#),
        )),
        ..Default::default()
    };
    let e = explain(
        &set,
        &request(&alice(), "s3:GetObject", RequestContext::new()),
    );
    assert_eq!(e.step, Step::ExplicitDeny);
    assert!(
        e.rule
            .starts_with("an explicit Deny in the permissions boundary decides"),
        "{}",
        e.rule
    );
}

#[test]
fn a_boundary_without_allow_is_named_in_the_same_account_rule() {
    let set = PolicySet {
        identity: vec![named(
            PolicyType::Identity,
            "p",
            &statement(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#),
        )],
        permissions_boundary: Some(named(
            PolicyType::PermissionsBoundary,
            "boundary",
            &statement(r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#),
        )),
        ..Default::default()
    };
    let e = explain(
        &set,
        &request(&alice(), "s3:GetObject", RequestContext::new()),
    );
    assert!(
        e.rule
            .contains("the permissions boundary does not allow it"),
        "{}",
        e.rule
    );
}
