//! The nightly differential workflow's IAM policies (`.github/aws/`) are also corpus cases
//! (`corpus/docs/harness/`), so the reference decides what the role may do; these tests keep
//! each file and its case's document identical.

use std::path::Path;

use serde_json::Value;

fn read(relative: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
}

#[test]
fn the_role_permissions_policy_is_the_corpus_cases() {
    let case = read("corpus/docs/harness/differential-role-permissions.json");
    let identity = &case["policies"]["identity"];
    assert_eq!(identity.as_array().map(Vec::len), Some(1));
    assert_eq!(
        identity[0]["document"],
        read(".github/aws/differential-role-policy.json")
    );
}

#[test]
fn the_role_trust_policy_is_the_corpus_cases() {
    let case = read("corpus/docs/harness/differential-role-github-oidc-trust.json");
    assert_eq!(
        case["policies"]["resource"]["document"],
        read(".github/aws/github-oidc-trust-policy.json")
    );
    assert_eq!(case["principal"]["type"], "web-identity");
}
