//! `iamspec diff --oracle aws --principal ARN --account-snapshot FILE`: cases about a sandbox
//! principal's own policies. `SimulatePrincipalPolicy` is called with nothing excluded and no
//! identity policy sent (AWS counts what is attached), and the reference reads the same
//! policies from the saved `GetAccountAuthorizationDetails` snapshot.
//!
//! SYNTHETIC: the snapshot is written here in the shape of the IAM API reference's
//! `GetAccountAuthorizationDetails` response (botocore's iam 2010-05-08 model), and the
//! synthetic simulator of `aws_support` "has" the same policies attached to the principal, as
//! the real account would.
#![cfg(feature = "aws")]

mod aws_support;

use std::path::Path;
use std::process::Output;

use aws_support::{form, isolated_iamspec, simulate_attached, Endpoint, Planted};
use iamspec_format::load::load_case_file;

const PRINCIPAL: &str = "arn:aws:iam::111122223333:user/sandbox/iamspec-sandbox";
const INLINE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const MANAGED: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoDeletes","Effect":"Deny","Action":["s3:Delete*","ec2:Delete*"],"Resource":"*"}]}"#;
const BOUNDARY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;

fn snapshot() -> String {
    let doc = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    serde_json::json!({
        "UserDetailList": [{
            "Path": "/sandbox/", "UserName": "iamspec-sandbox", "UserId": "AIDAEXAMPLESANDBOX01",
            "Arn": PRINCIPAL, "CreateDate": "2026-01-02T03:04:05Z",
            "UserPolicyList": [{"PolicyName": "All", "PolicyDocument": doc(INLINE)}],
            "GroupList": [],
            "AttachedManagedPolicies": [{"PolicyName": "NoDeletes", "PolicyArn": "arn:aws:iam::111122223333:policy/NoDeletes"}],
            "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/Boundary"},
            "Tags": []
        }],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [
            {"PolicyName": "NoDeletes", "Arn": "arn:aws:iam::111122223333:policy/NoDeletes", "DefaultVersionId": "v1",
             "PolicyVersionList": [{"Document": doc(MANAGED), "VersionId": "v1", "IsDefaultVersion": true}]},
            {"PolicyName": "Boundary", "Arn": "arn:aws:iam::111122223333:policy/Boundary", "DefaultVersionId": "v1",
             "PolicyVersionList": [{"Document": doc(BOUNDARY), "VersionId": "v1", "IsDefaultVersion": true}]}
        ]
    })
    .to_string()
}

/// What is attached to a principal in the synthetic account: identity policies and boundary.
fn attached(arn: &str) -> (Vec<String>, Option<String>) {
    if arn == PRINCIPAL {
        (vec![INLINE.into(), MANAGED.into()], Some(BOUNDARY.into()))
    } else {
        (Vec::new(), None)
    }
}

fn no_plant(_: &str, _: &str) -> Option<&'static str> {
    None
}

/// AWS denies everything the principal's policies allow.
fn planted(_: &str, decision: &str) -> Option<&'static str> {
    (decision == "allowed").then_some("implicitDeny")
}

fn diff(endpoint: &Endpoint, dir: &Path, count: &str) -> Output {
    let snapshot_file = dir.join("account.json");
    std::fs::write(&snapshot_file, snapshot()).unwrap();
    isolated_iamspec(Some(&Planted {
        key_id: "AKIAPLANTEDOWNKEY001",
        secret: "planted-own-secret/0123456789",
        token: None,
    }))
    .args([
        "diff",
        "--oracle",
        "aws",
        "--principal",
        PRINCIPAL,
        "--account-snapshot",
        snapshot_file.to_str().unwrap(),
        "--count",
        count,
        "--seed",
        "4",
        "--preset",
        "identity-only",
        "--aws-rate",
        "0",
        "--aws-endpoint",
        &endpoint.url,
        "--out",
        dir.join("out").to_str().unwrap(),
    ])
    .output()
    .unwrap()
}

fn compared(stdout: &str) -> usize {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("requests: "))
        .unwrap();
    let agreed = line.split(" compared: ").nth(1).unwrap();
    agreed.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn the_reference_reads_the_principals_policies_from_the_snapshot_and_agrees() {
    let endpoint = Endpoint::start(|seen, _| simulate_attached(&seen.body, no_plant, &attached));
    let work = tempfile::tempdir().unwrap();
    let run = diff(&endpoint, work.path(), "30");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    // No difference: both sides decide with the same policies (without them, the reference
    // would deny what the simulator allows).
    assert_eq!(run.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(compared(&stdout) >= 100, "{stdout}");
    assert!(stdout.contains("0 disagreed"), "{stdout}");
    println!("{stdout}");
    // Every call simulated the principal with its own policies: no policy sent, none excluded
    // but SCPs.
    let seen = endpoint.seen.lock().unwrap();
    assert!(!seen.is_empty());
    for s in seen.iter() {
        let f = form(&s.body);
        assert_eq!(
            f.get("Action").map(String::as_str),
            Some("SimulatePrincipalPolicy")
        );
        assert_eq!(
            f.get("PolicySourceArn").map(String::as_str),
            Some(PRINCIPAL)
        );
        assert!(
            !f.keys().any(|k| k.starts_with("PolicyInputList.")),
            "{f:?}"
        );
        assert!(
            !f.keys()
                .any(|k| k.starts_with("PermissionsBoundaryPolicyInputList.")),
            "{f:?}"
        );
        assert!(
            f.iter()
                .filter(|(k, _)| k.starts_with("PolicyExclusionList."))
                .all(|(_, v)| v == "scp"),
            "{f:?}"
        );
    }
}

#[test]
fn a_difference_on_the_principals_own_policies_is_a_regression_of_simulate_principal_policy() {
    let endpoint = Endpoint::start(|seen, _| simulate_attached(&seen.body, planted, &attached));
    let work = tempfile::tempdir().unwrap();
    let run = diff(&endpoint, work.path(), "3");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let dir = work.path().join("out").join("regressions");
    let cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(!cases.is_empty(), "{stdout}");
    for path in cases {
        let loaded = load_case_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let case = &loaded.case;
        assert_eq!(case.source.api.as_deref(), Some("SimulatePrincipalPolicy"));
        assert_eq!(case.principal.arn, PRINCIPAL);
        // The snapshot's policies, by where they came from.
        let ids: Vec<&str> = case
            .policies
            .identity
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert!(!ids.is_empty());
        assert!(
            ids.iter()
                .all(|id| id.contains("iamspec-sandbox") || id.contains("policy/NoDeletes")),
            "{ids:?}"
        );
        // AWS's answer is the expectation: the planted denial of what the policies allow (the
        // reference allowed it: it read the policies from the snapshot).
        assert!(case
            .requests
            .iter()
            .any(|r| r.expect.expected_decision() == Some(iamspec_format::Decision::ImplicitDeny)));
    }
}
