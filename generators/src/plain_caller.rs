//! The plainest caller of a case: its root user, role session or federated user replaced by an
//! IAM user of the same account — one of the shrinking steps of [`crate::shrink`].
//!
//! Shrinking removes what a difference does not need, but it cannot remove the caller: a
//! difference that a root user shows only because it is *some* caller kept `principal:root`,
//! and a difference about RCPs ended in one signature per caller kind. Replacing the caller by
//! the plainest one (an IAM user, without tags, of the same account and the same standing in
//! the organization) is kept only when the difference still holds, so a caller kind stays in a
//! shrunk case exactly when the difference needs it.
//!
//! The keys that describe the caller are rewritten for the user (`aws:PrincipalArn`,
//! `aws:PrincipalAccount`, `aws:userid`, `aws:PrincipalType`, `aws:username`), its principal
//! tags dropped, and keys a user's request does not carry (`aws:TokenIssueTime`,
//! `aws:MultiFactorAuthPresent` as the realistic requests have them) dropped; session policies
//! go too (a user has none). The case writes nothing else new.

use iamspec::context::{ContextEntry, ContextKeyType};
use iamspec::request::PrincipalType;

use crate::case::GeneratedCase;
use crate::request::realistic_optional_key;
use crate::vocabulary::Vocabulary;
use crate::world::{userid, PrincipalDef};

/// The name of the plain user (the first user name of the value pools).
fn user_name() -> String {
    Vocabulary::get()
        .samples
        .user_names
        .first()
        .cloned()
        .unwrap_or_else(|| "alice".to_string())
}

/// `case` with its caller replaced by an IAM user of the caller's account (see the module
/// documentation). `None` when the caller is a user already, or is not a principal of an
/// account of its own (a service, an anonymous caller, a web identity or SAML provider's user:
/// replacing those would also change which account the request comes from).
pub fn with_plain_caller(case: &GeneratedCase) -> Option<GeneratedCase> {
    let caller = &case.caller;
    if !matches!(
        caller.kind,
        PrincipalType::Root | PrincipalType::AssumedRole | PrincipalType::FederatedUser
    ) || caller.account.is_empty()
    {
        return None;
    }
    let name = user_name();
    let user = PrincipalDef {
        arn: format!("arn:aws:iam::{}:user/{name}", caller.account),
        account: caller.account.clone(),
        kind: PrincipalType::User,
        name,
        role_arn: None,
        tags: Vec::new(),
        management_account: caller.management_account,
    };
    let mut plain = case.clone();
    plain.policies.session.clear();
    for request in &mut plain.requests {
        request.context = std::mem::take(&mut request.context)
            .into_iter()
            .filter_map(|e| rewritten(e, &user))
            .collect();
        let has_username = request
            .context
            .iter()
            .any(|e| e.key.eq_ignore_ascii_case("aws:username"));
        if !has_username {
            request.context.push(ContextEntry {
                key: "aws:username".to_string(),
                key_type: ContextKeyType::String,
                values: vec![user.name.clone()],
            });
        }
    }
    plain.caller = user;
    Some(plain)
}

/// A context entry of the old caller's request as the plain `user`'s request has it: the
/// caller's own facts rewritten, its principal tags and the keys a user does not carry dropped.
fn rewritten(mut entry: ContextEntry, user: &PrincipalDef) -> Option<ContextEntry> {
    let key = entry.key.to_ascii_lowercase();
    let value = match key.as_str() {
        "aws:principalarn" => user.arn.clone(),
        "aws:principalaccount" => user.account.clone(),
        "aws:userid" => userid(user),
        "aws:username" => user.name.clone(),
        "aws:principaltype" => "User".to_string(),
        _ if key.starts_with("aws:principaltag/") => return None,
        _ => {
            return vocabulary_name(&entry.key)
                .is_none_or(|name| realistic_optional_key(&name, user))
                .then_some(entry);
        }
    };
    entry.values = vec![value];
    Some(entry)
}

/// The key's name as the realistic requests spell the global keys [`realistic_optional_key`]
/// knows (`aws:TokenIssueTime`...), matched without ASCII case; `None` for other keys.
fn vocabulary_name(key: &str) -> Option<String> {
    [
        "aws:TokenIssueTime",
        "aws:MultiFactorAuthPresent",
        "aws:SourceArn",
        "aws:SourceVpc",
        "aws:CalledVia",
        "aws:ViaAWSService",
        "aws:MultiFactorAuthAge",
    ]
    .iter()
    .find(|k| k.eq_ignore_ascii_case(key))
    .map(|k| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realism::violations;
    use crate::{generate_cases, Settings};

    #[test]
    fn a_session_or_root_caller_becomes_a_realistic_user_of_its_account() {
        let mut replaced = 0;
        for case in generate_cases(&Settings::realistic(), 3, 300) {
            let Some(plain) = with_plain_caller(&case) else {
                assert!(
                    matches!(
                        case.caller.kind,
                        PrincipalType::User
                            | PrincipalType::Service
                            | PrincipalType::Anonymous
                            | PrincipalType::WebIdentity
                            | PrincipalType::Saml
                    ),
                    "{:?}",
                    case.caller.kind
                );
                continue;
            };
            replaced += 1;
            assert_eq!(plain.caller.kind, PrincipalType::User);
            assert_eq!(plain.caller.account, case.caller.account);
            assert!(plain.policies.session.is_empty());
            assert!(with_plain_caller(&plain).is_none(), "a user stays a user");
            for r in &plain.requests {
                for e in &r.context {
                    let k = e.key.to_ascii_lowercase();
                    assert!(!k.starts_with("aws:principaltag/"), "{}", e.key);
                    if k == "aws:principalarn" {
                        assert_eq!(e.values, vec![plain.caller.arn.clone()]);
                    }
                    if k == "aws:principaltype" {
                        assert_eq!(e.values, vec!["User".to_string()]);
                    }
                    assert!(k != "aws:tokenissuetime", "a user's request has no session");
                }
            }
            if violations(&case).is_empty() {
                assert_eq!(
                    violations(&plain),
                    vec![],
                    "a realistic case stays realistic"
                );
            }
        }
        assert!(replaced > 30, "only {replaced} callers replaced");
    }
}
