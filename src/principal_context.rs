//! The context keys AWS fills for a real request from a principal, read from the principal
//! alone (what `iamspec eval --principal-context` adds).
//!
//! The policy simulator's `SimulateCustomPolicy` fills none of these — a key the caller does
//! not pass is missing — and that stays the default everywhere: the evaluator invents no key.
//! This module is for people who want to see what a real request from that principal would
//! carry. Sources (IAM User Guide): "AWS global condition context keys" — `aws:PrincipalArn`
//! ("For IAM roles, the request context returns the ARN of the role, not the ARN of the user
//! that assumed the role"; always present), `aws:PrincipalAccount` (always present),
//! `aws:PrincipalType` (always present), `aws:username` ("always included in the request
//! context for IAM users. Anonymous requests and requests that are made using the AWS account
//! root user or IAM roles do not include this key"), `aws:userid` ("included in the request
//! context for all signed requests"); and "IAM policy elements: Variables and tags", table
//! "Principal key values": `aws:PrincipalType` is `Account` for the root user, `User` for an
//! IAM user, `FederatedUser` for a GetFederationToken session, `AssumedRole` for a role
//! session, `Anonymous` for an anonymous request; `aws:userid` is the account ID for the root
//! user, `account:caller-specified-name` for a federated user, the user's unique ID (`AIDA...`)
//! for an IAM user and `role-id:caller-specified-role-name` for a role session.
//!
//! Only what the ARN determines is filled: a user's unique ID and a role's ID are not in its
//! ARN, so `aws:userid` is left out for users and role sessions ([`unknown_keys`] names it, so
//! the caller can pass it with `--context`).

use crate::context::{ContextEntry, ContextKeyType};
use crate::request::{Principal, PrincipalType};

/// The keys AWS would fill for a request from `principal` that its ARN determines, in a fixed
/// order. Empty for a service principal (whose keys depend on the service's call).
pub fn principal_keys(principal: &Principal) -> Vec<ContextEntry> {
    let mut keys = Vec::new();
    let mut push = |key: &str, value: String| {
        keys.push(ContextEntry {
            key: key.to_string(),
            key_type: ContextKeyType::String,
            values: vec![value],
        });
    };
    let principal_type = match principal.principal_type {
        PrincipalType::Root => "Account",
        PrincipalType::User => "User",
        PrincipalType::FederatedUser => "FederatedUser",
        PrincipalType::AssumedRole | PrincipalType::Role => "AssumedRole",
        PrincipalType::Anonymous => "Anonymous",
        // A service, or a web-identity or SAML user asking for a role: its keys come from the
        // service's call or the provider's token, not from an ARN.
        PrincipalType::Service | PrincipalType::WebIdentity | PrincipalType::Saml => return keys,
    };
    if principal.principal_type == PrincipalType::Anonymous {
        push("aws:PrincipalType", principal_type.to_string());
        return keys;
    }
    let arn = principal
        .role_arn()
        .unwrap_or_else(|| principal.arn.clone());
    push("aws:PrincipalArn", arn);
    if let Some(account) = &principal.account {
        push("aws:PrincipalAccount", account.clone());
    }
    push("aws:PrincipalType", principal_type.to_string());
    let name = principal.arn.rsplit('/').next().unwrap_or_default();
    match principal.principal_type {
        PrincipalType::User => push("aws:username", name.to_string()),
        PrincipalType::Root => {
            if let Some(account) = &principal.account {
                push("aws:userid", account.clone());
            }
        }
        PrincipalType::FederatedUser => {
            if let Some(account) = &principal.account {
                push("aws:userid", format!("{account}:{name}"));
            }
        }
        _ => {}
    }
    keys
}

/// Keys AWS fills for this principal that its ARN does not determine (so [`principal_keys`]
/// leaves them out), with what AWS puts there.
pub fn unknown_keys(principal: &Principal) -> Vec<(&'static str, &'static str)> {
    match principal.principal_type {
        PrincipalType::User => vec![("aws:userid", "the user's unique ID (AIDA...)")],
        PrincipalType::AssumedRole | PrincipalType::Role => vec![(
            "aws:userid",
            "role-id:caller-specified-role-name (the role ID is AROA...)",
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(arn: &str) -> Vec<(String, String)> {
        principal_keys(&Principal::from_arn(arn))
            .into_iter()
            .map(|e| (e.key, e.values.join(",")))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_user_gets_its_arn_account_type_and_name() {
        assert_eq!(
            keys("arn:aws:iam::111122223333:user/division/alice"),
            pairs(&[
                (
                    "aws:PrincipalArn",
                    "arn:aws:iam::111122223333:user/division/alice"
                ),
                ("aws:PrincipalAccount", "111122223333"),
                ("aws:PrincipalType", "User"),
                ("aws:username", "alice"),
            ])
        );
        let unknown = unknown_keys(&Principal::from_arn("arn:aws:iam::111122223333:user/a"));
        assert_eq!(unknown[0].0, "aws:userid");
    }

    #[test]
    fn a_role_session_gets_the_role_arn_and_no_username() {
        assert_eq!(
            keys("arn:aws:sts::111122223333:assumed-role/Dev/alice"),
            pairs(&[
                ("aws:PrincipalArn", "arn:aws:iam::111122223333:role/Dev"),
                ("aws:PrincipalAccount", "111122223333"),
                ("aws:PrincipalType", "AssumedRole"),
            ])
        );
    }

    #[test]
    fn root_federated_anonymous_and_services() {
        assert_eq!(
            keys("arn:aws:iam::111122223333:root"),
            pairs(&[
                ("aws:PrincipalArn", "arn:aws:iam::111122223333:root"),
                ("aws:PrincipalAccount", "111122223333"),
                ("aws:PrincipalType", "Account"),
                ("aws:userid", "111122223333"),
            ])
        );
        assert_eq!(
            keys("arn:aws:sts::111122223333:federated-user/carol")[3],
            ("aws:userid".to_string(), "111122223333:carol".to_string())
        );
        assert_eq!(keys(""), pairs(&[("aws:PrincipalType", "Anonymous")]));
        assert!(keys("ec2.amazonaws.com").is_empty());
    }
}
