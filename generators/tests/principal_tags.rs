//! Feature tags of the `Principal` element: a root user named by its account ID or by its ARN
//! is one principal named one way (`principal:named-directly`), as the evaluator decides it.

use iamspec::request::PrincipalType;
use iamspec_generators::{generate_cases, serialise, Settings};

#[test]
fn a_root_user_named_by_its_account_is_named_directly() {
    let mut by_account = 0;
    for case in generate_cases(&Settings::realistic(), 11, 3000) {
        if case.caller.kind != PrincipalType::Root {
            continue;
        }
        let Some(resource) = &case.policies.resource else {
            continue;
        };
        let text = iamspec_generators::render::policy_text(resource);
        let account = &case.caller.account;
        let names_bare_account = principal_aws_values(&text).contains(account);
        let Ok(written) = serialise::to_case(&case) else {
            continue;
        };
        let tags = &written.features;
        assert!(
            !tags.iter().any(|t| t == "principal:named-account"),
            "a root caller is never 'named by its account': {tags:?}\n{text}"
        );
        if names_bare_account {
            by_account += 1;
            assert!(
                tags.iter().any(|t| t == "principal:named-directly"),
                "{tags:?}\n{text}"
            );
        }
    }
    assert!(
        by_account > 0,
        "no root caller named by its bare account ID in 3000 cases"
    );
}

/// Every value of `Principal.AWS` in a policy text.
fn principal_aws_values(text: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let statements = match &doc["Statement"] {
        serde_json::Value::Array(items) => items.clone(),
        single => vec![single.clone()],
    };
    statements
        .iter()
        .flat_map(|s| match &s["Principal"]["AWS"] {
            serde_json::Value::String(v) => vec![v.clone()],
            serde_json::Value::Array(vs) => vs
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}
