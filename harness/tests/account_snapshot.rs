//! `iamspec eval --account-snapshot FILE --principal ARN`: the principal's own policies read from
//! the output of `aws iam get-account-authorization-details`.
//!
//! The fixture `harness/example-policies/AccountSnapshot.json` is SYNTHETIC: written by hand in
//! the shape of the IAM API reference's `GetAccountAuthorizationDetails` response (botocore's
//! iam 2010-05-08 model: `UserDetailList`, `GroupDetailList`, `RoleDetailList`, `Policies` with
//! `PolicyVersionList` and `IsDefaultVersion`). Some documents are URL-encoded strings as the raw
//! API returns them (role `Uploader`'s, managed policy `DenyDeletes`), the others JSON objects as
//! the CLI prints them. Expected decisions follow the IAM User Guide's policy evaluation logic
//! (an explicit Deny wins; a permissions boundary limits identity-based policies; a user's
//! effective identity policies include its groups').

const SNAPSHOT: &str = "harness/example-policies/AccountSnapshot.json";
const ALICE: &str = "arn:aws:iam::111122223333:user/team/alice";
const UPLOADER_SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Uploader/s1";

mod common;

use common::{repo, Run};

/// The resource of a request: an object of the fixture's bucket for S3 actions, else `*`.
fn resource_for(action: &str) -> &'static str {
    if action.starts_with("s3:") {
        "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"
    } else {
        "*"
    }
}

fn eval(snapshot: &str, principal: &str, action: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "eval",
        "--account-snapshot",
        snapshot,
        "--principal",
        principal,
        "--action",
        action,
        "--resource",
        resource_for(action),
    ];
    args.extend_from_slice(extra);
    common::iamspec(&args, repo())
}

fn decided(run: &Run, decision: &str) {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains(&format!("decision: {decision}\n")),
        "expected {decision}:\n{}",
        run.stdout
    );
}

#[test]
fn a_users_inline_policy_allows_within_its_boundary() {
    let run = eval(SNAPSHOT, ALICE, "s3:GetObject", &[]);
    decided(&run, "allowed");
    assert!(
        run.stdout
            .contains("user/alice inline ReadOnly statement 0 (Sid \"ReadReports\") Allow"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_groups_policies_count_and_the_boundary_limits_them() {
    // Group devs' inline policy and its managed Ec2Operator allow ec2:StartInstances; alice's
    // boundary allows only s3:* and ec2:Describe*.
    decided(
        &eval(SNAPSHOT, ALICE, "ec2:StartInstances", &[]),
        "implicitDeny",
    );
    // Ec2Operator's default version (v2, ec2:*) allows DescribeInstances, within the boundary.
    let run = eval(SNAPSHOT, ALICE, "ec2:DescribeInstances", &[]);
    decided(&run, "allowed");
    assert!(
        run.stdout
            .contains("arn:aws:iam::111122223333:policy/Ec2Operator statement 0 (Sid \"Ec2All\")"),
        "{}",
        run.stdout
    );
}

#[test]
fn only_the_default_version_of_a_managed_policy_counts() {
    // Ec2Operator v1 (not the default) allows s3:PutObject; v2 does not; nothing else does.
    decided(&eval(SNAPSHOT, ALICE, "s3:PutObject", &[]), "implicitDeny");
}

#[test]
fn an_attached_managed_deny_wins_over_the_groups_allow() {
    // Ec2Operator v2 allows s3:DeleteObject; DenyDeletes (URL-encoded) denies it.
    let run = eval(SNAPSHOT, ALICE, "s3:DeleteObject", &[]);
    decided(&run, "explicitDeny");
    assert!(
        run.stdout.contains(
            "arn:aws:iam::111122223333:policy/DenyDeletes statement 0 (Sid \"NoDeletes\") Deny"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_role_session_has_its_roles_url_encoded_policies() {
    let run = eval(SNAPSHOT, UPLOADER_SESSION, "logs:PutLogEvents", &[]);
    decided(&run, "allowed");
    assert!(
        run.stdout.contains("role/Uploader inline Logs statement 0"),
        "{}",
        run.stdout
    );
    decided(
        &eval(SNAPSHOT, UPLOADER_SESSION, "s3:DeleteObject", &[]),
        "explicitDeny",
    );
    decided(
        &eval(
            SNAPSHOT,
            "arn:aws:iam::111122223333:role/service/Uploader",
            "logs:PutLogEvents",
            &[],
        ),
        "allowed",
    );
}

#[test]
fn other_policy_flags_still_combine() {
    // An SCP level without s3 takes away what alice's own policies allow.
    let dir = tempfile::tempdir().unwrap();
    let scp = dir.path().join("OnlyEc2.json");
    std::fs::write(
        &scp,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#,
    )
    .unwrap();
    let run = eval(
        SNAPSHOT,
        ALICE,
        "s3:GetObject",
        &["--scp", scp.to_str().unwrap()],
    );
    decided(&run, "implicitDeny");
}

fn refused(run: &Run, words: &[&str]) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    for word in words {
        assert!(run.stderr.contains(word), "`{word}` not in: {}", run.stderr);
    }
}

#[test]
fn a_principal_the_snapshot_lacks_is_named() {
    refused(
        &eval(
            SNAPSHOT,
            "arn:aws:iam::111122223333:user/bob",
            "s3:GetObject",
            &[],
        ),
        &[SNAPSHOT, "no user named `bob`", "UserDetailList"],
    );
    refused(
        &eval(
            SNAPSHOT,
            "arn:aws:iam::111122223333:root",
            "s3:GetObject",
            &[],
        ),
        &[SNAPSHOT, "not an IAM user, role or assumed-role session"],
    );
}

#[test]
fn a_managed_policy_the_snapshot_lacks_is_named() {
    refused(
        &eval(
            SNAPSHOT,
            "arn:aws:iam::111122223333:user/mallory",
            "s3:GetObject",
            &[],
        ),
        &[
            SNAPSHOT,
            "arn:aws:iam::111122223333:policy/Gone",
            "Policies lacks",
        ],
    );
}

#[test]
fn a_malformed_snapshot_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        path.to_str().unwrap().to_string()
    };
    let not_json = write("broken.json", "{\"UserDetailList\": [");
    refused(
        &eval(&not_json, ALICE, "s3:GetObject", &[]),
        &[&not_json, "not JSON"],
    );
    let wrong_shape = write("shape.json", r#"{"UserDetailList": {"UserName": "alice"}}"#);
    refused(
        &eval(&wrong_shape, ALICE, "s3:GetObject", &[]),
        &[&wrong_shape, "`UserDetailList` is not a list"],
    );
    let bad_encoding = write(
        "encoding.json",
        r#"{"UserDetailList": [{"UserName": "alice", "UserPolicyList": [{"PolicyName": "P", "PolicyDocument": "%7B%ZZ"}]}]}"#,
    );
    refused(
        &eval(&bad_encoding, ALICE, "s3:GetObject", &[]),
        &[&bad_encoding, "user/alice inline P"],
    );
    let rejected = write(
        "rejected.json",
        r#"{"UserDetailList": [{"UserName": "alice", "UserPolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:*", "Resource": "*"}]}}]}]}"#,
    );
    refused(
        &eval(&rejected, ALICE, "s3:GetObject", &[]),
        &[&rejected, "user/alice inline P:"],
    );
}
