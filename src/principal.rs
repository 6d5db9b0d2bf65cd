//! Whether a `Principal`/`NotPrincipal` element of a resource-based policy names the caller,
//! and how directly.
//!
//! How directly matters: within one account, a resource-based policy that names the caller's
//! own ARN (an IAM user, a role session, a federated-user session) grants access that an
//! implicit deny in a permissions boundary or session policy does not limit, while one that names
//! the role (or the account) does not (IAM User Guide, "Policy evaluation logic" and "Policy
//! evaluation for requests within a single account"; B. Kehoe's experiment "Demonstration that
//! AWS IAM policy evaluation docs are incorrect" confirms the role/session split).
//!
//! Principal ARNs are compared exactly: AWS does not allow wildcards in principal ARNs other than
//! `"*"` (IAM User Guide, "AWS JSON policy elements: Principal").

use crate::policy::{Effect, PrincipalBlock, PrincipalKind, PrincipalSpec};
use crate::request::{Principal, PrincipalType};

/// How a `Principal` element names the caller, from the most to the least direct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalMatch {
    /// The element does not name the caller.
    None,
    /// It names the caller's account (`"111122223333"` or `arn:aws:iam::111122223333:root`):
    /// the account delegates to its own identity-based policies.
    Account,
    /// It names the IAM role the caller is or acts as (the role itself, or the role behind the
    /// caller's session), or the IAM user behind a federated-user session: limited by the
    /// boundary and session policies.
    Role,
    /// It names the caller itself (user ARN, role-session ARN, federated-user ARN, service,
    /// canonical user) or everyone (`"*"`); a role named by its own ARN is [`Self::Role`].
    Direct,
}

/// How the statement's `Principal` or `NotPrincipal` element applies to `caller`.
///
/// For `Principal`: the most direct way any listed principal names the caller. For
/// `NotPrincipal`, see [`statement_principal_match`], which also needs the statement's effect;
/// this function reads a `NotPrincipal` as in a `Deny` statement for a caller without a
/// permissions boundary.
pub fn principal_match(block: &PrincipalBlock, caller: &Principal) -> PrincipalMatch {
    statement_principal_match(block, Effect::Deny, caller, false)
}

/// How a statement's `Principal` or `NotPrincipal` applies to `caller`, given the statement's
/// effect and whether the caller has a permissions boundary attached.
///
/// `NotPrincipal` (IAM User Guide, "AWS JSON policy elements: NotPrincipal" and "Permissions
/// boundaries for IAM entities"):
/// - with `Deny`, the statement applies ([`PrincipalMatch::Direct`]) unless the caller is
///   excluded, which needs every identity of the caller's chain (account, role, session)
///   listed — AWS evaluates a session against its role and account too, so excluding only the
///   session leaves the statement applying; and it always applies to an IAM principal with a
///   permissions boundary attached, "regardless of the values specified in the NotPrincipal
///   element";
/// - with `Allow` ("not supported"; the policy is accepted with a warning), it never grants a
///   caller any identity of whose chain is listed: a principal the element names is never
///   granted, and neither is one whose role or account it names.
pub fn statement_principal_match(
    block: &PrincipalBlock,
    effect: Effect,
    caller: &Principal,
    has_boundary: bool,
) -> PrincipalMatch {
    match block {
        PrincipalBlock::Principal(spec) => spec_match(spec, caller),
        PrincipalBlock::NotPrincipal(spec) => {
            let excluded = match effect {
                Effect::Deny => {
                    !(has_boundary && is_iam_principal(caller))
                        && excluded_by_not_principal(spec, caller)
                }
                Effect::Allow => named_anywhere_in_chain(spec, caller),
            };
            if excluded {
                PrincipalMatch::None
            } else {
                PrincipalMatch::Direct
            }
        }
    }
}

/// True for IAM principals that can have a permissions boundary: users, roles and their
/// sessions.
fn is_iam_principal(caller: &Principal) -> bool {
    matches!(
        caller.principal_type,
        PrincipalType::User | PrincipalType::Role | PrincipalType::AssumedRole
    )
}

fn spec_match(spec: &PrincipalSpec, caller: &Principal) -> PrincipalMatch {
    match spec {
        PrincipalSpec::Wildcard => PrincipalMatch::Direct,
        PrincipalSpec::Map(entries) => entries
            .iter()
            .flat_map(|(kind, values)| values.iter().map(move |v| entry_match(*kind, v, caller)))
            .max()
            .unwrap_or(PrincipalMatch::None),
    }
}

fn entry_match(kind: PrincipalKind, value: &str, caller: &Principal) -> PrincipalMatch {
    match kind {
        PrincipalKind::Aws => aws_entry_match(value, caller),
        PrincipalKind::Service => {
            if caller.principal_type == PrincipalType::Service
                && caller.arn.eq_ignore_ascii_case(value)
            {
                PrincipalMatch::Direct
            } else {
                PrincipalMatch::None
            }
        }
        PrincipalKind::Federated => {
            let federated = matches!(
                caller.principal_type,
                PrincipalType::WebIdentity | PrincipalType::Saml
            );
            if federated && caller.arn == value {
                PrincipalMatch::Direct
            } else {
                PrincipalMatch::None
            }
        }
        // A canonical user ID is one of Amazon S3's ways of naming an account (IAM User
        // Guide, "AWS JSON policy elements: Principal", "AWS account principals"): it names the
        // caller's account as `arn:aws:iam::ACCOUNT:root` does.
        PrincipalKind::CanonicalUser => {
            let aws_principal = !matches!(
                caller.principal_type,
                PrincipalType::Anonymous
                    | PrincipalType::WebIdentity
                    | PrincipalType::Saml
                    | PrincipalType::Service
            );
            if !aws_principal || caller.canonical_user.as_deref() != Some(value) {
                PrincipalMatch::None
            } else if caller.principal_type == PrincipalType::Root {
                PrincipalMatch::Direct
            } else {
                PrincipalMatch::Account
            }
        }
    }
}

/// How an `AWS` entry holding a unique ID (`AIDA...`, `AROA...`; IAM User Guide, "IAM
/// identifiers", "Unique identifiers": a resource-based policy can grant by unique ID) names the
/// caller: as the ARN of the user or role with that ID would.
fn unique_id_match(value: &str, caller: &Principal) -> PrincipalMatch {
    if caller.unique_id.as_deref() != Some(value) {
        return PrincipalMatch::None;
    }
    match caller.principal_type {
        PrincipalType::User => PrincipalMatch::Direct,
        // The role itself or the role behind a session, and the user behind a federated-user
        // session, are limited by the boundary and session policies.
        PrincipalType::Role | PrincipalType::AssumedRole | PrincipalType::FederatedUser => {
            PrincipalMatch::Role
        }
        _ => PrincipalMatch::None,
    }
}

fn aws_entry_match(value: &str, caller: &Principal) -> PrincipalMatch {
    if value == "*" {
        return PrincipalMatch::Direct;
    }
    // An anonymous caller, or a user of a web identity or SAML provider, is not an AWS
    // principal: only `Federated` (or `"*"`) names a federated one (IAM User Guide, "AWS JSON
    // policy elements: Principal", "Web identity session principals", "SAML session
    // principals").
    if matches!(
        caller.principal_type,
        PrincipalType::Anonymous | PrincipalType::WebIdentity | PrincipalType::Saml
    ) {
        return PrincipalMatch::None;
    }
    // A role is limited by its boundary even where a policy names its own ARN (IAM User
    // Guide, "Permissions boundaries for IAM entities": a resource-based policy that grants to
    // an IAM role ARN is limited by an implicit deny in a boundary or session policy).
    if caller.role_arn_is(value) {
        return PrincipalMatch::Role;
    }
    // The IAM user behind a federated-user session: "if a resource-based policy grants
    // permission to the ARN of the IAM user who federated, then requests made by the federated
    // user during the session are limited by an implicit deny in a permission boundary or
    // session policy" (IAM User Guide, "Policy evaluation logic"). A federated root user is
    // named by its account (below).
    if caller.principal_type == PrincipalType::FederatedUser
        && caller.user.as_deref() == Some(value)
        && account_of_entry(value).is_none()
    {
        return PrincipalMatch::Role;
    }
    if value == caller.arn {
        return PrincipalMatch::Direct;
    }
    match (account_of_entry(value), caller.account.as_deref()) {
        (Some(named), Some(account)) if named == account => {
            if caller.principal_type == PrincipalType::Root {
                PrincipalMatch::Direct
            } else {
                PrincipalMatch::Account
            }
        }
        _ if caller.unique_id.as_deref() == Some(value) => unique_id_match(value, caller),
        _ => PrincipalMatch::None,
    }
}

/// The account an `AWS` principal entry names as a whole: a bare 12-digit ID or an account-root
/// ARN (`arn:PARTITION:iam::ID:root`).
fn account_of_entry(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let _partition = parts.next()?;
    let service = parts.next()?;
    let _region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    (service == "iam" && resource == "root").then_some(account)
}

fn excluded_by_not_principal(spec: &PrincipalSpec, caller: &Principal) -> bool {
    let entries: Vec<(PrincipalKind, &str)> = match spec {
        PrincipalSpec::Wildcard => return true,
        PrincipalSpec::Map(entries) => entries
            .iter()
            .flat_map(|(kind, values)| values.iter().map(move |v| (*kind, v.as_str())))
            .collect(),
    };
    let listed =
        |pred: &dyn Fn(PrincipalKind, &str) -> bool| entries.iter().any(|(k, v)| pred(*k, v));
    match caller.principal_type {
        PrincipalType::Service => {
            listed(&|k, v| k == PrincipalKind::Service && caller.arn.eq_ignore_ascii_case(v))
        }
        PrincipalType::Anonymous => listed(&|k, v| k == PrincipalKind::Aws && v == "*"),
        _ => {
            let chain = caller_chain(caller);
            chain.iter().all(|identity| {
                listed(&|k, v| {
                    k == PrincipalKind::Aws
                        && (v == "*"
                            || v == identity.as_str()
                            || account_of_entry(v) == Some(identity.as_str()))
                })
            })
        }
    }
}

/// True when any identity of the caller's chain (account, role, itself) is listed in `spec`.
fn named_anywhere_in_chain(spec: &PrincipalSpec, caller: &Principal) -> bool {
    match spec {
        PrincipalSpec::Wildcard => true,
        PrincipalSpec::Map(entries) => entries.iter().any(|(kind, values)| {
            values
                .iter()
                .any(|value| entry_match(*kind, value, caller) != PrincipalMatch::None)
        }),
    }
}

/// The identities AWS evaluates a caller as: its account, its role (for a session), itself.
fn caller_chain(caller: &Principal) -> Vec<String> {
    let mut chain = Vec::new();
    if let Some(account) = &caller.account {
        chain.push(account.clone());
    }
    if caller.principal_type == PrincipalType::Root {
        return chain;
    }
    if let Some(role) = caller.role_arn() {
        chain.push(role);
    }
    if caller.principal_type != PrincipalType::Role {
        chain.push(caller.arn.clone());
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws(values: &[&str]) -> PrincipalSpec {
        PrincipalSpec::Map(vec![(
            PrincipalKind::Aws,
            values.iter().map(|v| v.to_string()).collect(),
        )])
    }

    fn principal(values: &[&str]) -> PrincipalBlock {
        PrincipalBlock::Principal(aws(values))
    }

    #[test]
    fn user_arn_is_direct_account_is_delegation() {
        let alice = Principal::from_arn("arn:aws:iam::111122223333:user/alice");
        assert_eq!(
            principal_match(
                &principal(&["arn:aws:iam::111122223333:user/alice"]),
                &alice
            ),
            PrincipalMatch::Direct
        );
        assert_eq!(
            principal_match(&principal(&["111122223333"]), &alice),
            PrincipalMatch::Account
        );
        assert_eq!(
            principal_match(&principal(&["arn:aws:iam::111122223333:root"]), &alice),
            PrincipalMatch::Account
        );
        assert_eq!(
            principal_match(&principal(&["arn:aws:iam::444455556666:root"]), &alice),
            PrincipalMatch::None
        );
        assert_eq!(
            principal_match(
                &principal(&["arn:aws:iam::111122223333:user/Alice"]),
                &alice
            ),
            PrincipalMatch::None
        );
        assert_eq!(
            principal_match(&PrincipalBlock::Principal(PrincipalSpec::Wildcard), &alice),
            PrincipalMatch::Direct
        );
    }

    #[test]
    fn session_is_direct_role_is_role() {
        let session = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Dev/alice");
        assert_eq!(
            principal_match(
                &principal(&["arn:aws:sts::111122223333:assumed-role/Dev/alice"]),
                &session
            ),
            PrincipalMatch::Direct
        );
        assert_eq!(
            principal_match(
                &principal(&["arn:aws:iam::111122223333:role/Dev"]),
                &session
            ),
            PrincipalMatch::Role
        );
        assert_eq!(
            principal_match(
                &principal(&["arn:aws:iam::111122223333:role/Ops"]),
                &session
            ),
            PrincipalMatch::None
        );
    }

    #[test]
    fn service_principals_match_services_only() {
        let ec2 = Principal::from_arn("ec2.amazonaws.com");
        let block = PrincipalBlock::Principal(PrincipalSpec::Map(vec![(
            PrincipalKind::Service,
            vec!["ec2.amazonaws.com".into()],
        )]));
        assert_eq!(principal_match(&block, &ec2), PrincipalMatch::Direct);
        let alice = Principal::from_arn("arn:aws:iam::111122223333:user/alice");
        assert_eq!(principal_match(&block, &alice), PrincipalMatch::None);
    }

    #[test]
    fn not_principal_excludes_only_a_fully_listed_chain() {
        let session = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Dev/alice");
        let only_session = PrincipalBlock::NotPrincipal(aws(&[
            "arn:aws:sts::111122223333:assumed-role/Dev/alice",
        ]));
        assert_eq!(
            principal_match(&only_session, &session),
            PrincipalMatch::Direct
        );
        let whole_chain = PrincipalBlock::NotPrincipal(aws(&[
            "arn:aws:sts::111122223333:assumed-role/Dev/alice",
            "arn:aws:iam::111122223333:role/Dev",
            "arn:aws:iam::111122223333:root",
        ]));
        assert_eq!(
            principal_match(&whole_chain, &session),
            PrincipalMatch::None
        );
        let user = Principal::from_arn("arn:aws:iam::111122223333:user/bob");
        let user_and_account = PrincipalBlock::NotPrincipal(aws(&[
            "arn:aws:iam::111122223333:user/bob",
            "111122223333",
        ]));
        assert_eq!(
            principal_match(&user_and_account, &user),
            PrincipalMatch::None
        );
        let other = Principal::from_arn("arn:aws:iam::111122223333:user/carol");
        assert_eq!(
            principal_match(&user_and_account, &other),
            PrincipalMatch::Direct
        );
    }

    #[test]
    fn a_role_named_by_its_own_arn_is_a_role_grant() {
        let role = Principal::from_arn("arn:aws:iam::111122223333:role/Dev");
        assert_eq!(
            principal_match(&principal(&["arn:aws:iam::111122223333:role/Dev"]), &role),
            PrincipalMatch::Role
        );
    }

    #[test]
    fn deny_not_principal_always_applies_to_a_caller_with_a_boundary() {
        let user = Principal::from_arn("arn:aws:iam::111122223333:user/bob");
        let listed = PrincipalBlock::NotPrincipal(aws(&[
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:iam::111122223333:root",
        ]));
        assert_eq!(
            statement_principal_match(&listed, Effect::Deny, &user, false),
            PrincipalMatch::None
        );
        assert_eq!(
            statement_principal_match(&listed, Effect::Deny, &user, true),
            PrincipalMatch::Direct
        );
    }

    #[test]
    fn allow_not_principal_never_grants_a_listed_identity() {
        let user = Principal::from_arn("arn:aws:iam::111122223333:user/bob");
        let session = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Dev/s");
        for listed in [
            &["arn:aws:iam::111122223333:user/bob"][..],
            &["111122223333"][..],
            &["*"][..],
        ] {
            let block = PrincipalBlock::NotPrincipal(aws(listed));
            assert_eq!(
                statement_principal_match(&block, Effect::Allow, &user, false),
                PrincipalMatch::None,
                "{listed:?}"
            );
        }
        let role_listed =
            PrincipalBlock::NotPrincipal(aws(&["arn:aws:iam::111122223333:role/Dev"]));
        assert_eq!(
            statement_principal_match(&role_listed, Effect::Allow, &session, false),
            PrincipalMatch::None
        );
        assert_eq!(
            statement_principal_match(&role_listed, Effect::Allow, &user, false),
            PrincipalMatch::Direct
        );
    }

    #[test]
    fn the_user_behind_a_federated_session_is_a_limited_grant() {
        let mut carol = Principal::from_arn("arn:aws:sts::111122223333:federated-user/carol");
        carol.user = Some("arn:aws:iam::111122223333:user/broker".into());
        assert_eq!(
            principal_match(
                &principal(&["arn:aws:iam::111122223333:user/broker"]),
                &carol
            ),
            PrincipalMatch::Role
        );
        assert_eq!(
            principal_match(
                &principal(&["arn:aws:sts::111122223333:federated-user/carol"]),
                &carol
            ),
            PrincipalMatch::Direct
        );
        // A user who federated is not named by that user's ARN when the caller is not its session.
        let broker = Principal::from_arn("arn:aws:iam::111122223333:user/other");
        assert_eq!(
            principal_match(
                &principal(&["arn:aws:iam::111122223333:user/broker"]),
                &broker
            ),
            PrincipalMatch::None
        );
    }

    #[test]
    fn unique_ids_name_what_the_arn_names() {
        let mut alice = Principal::from_arn("arn:aws:iam::111122223333:user/alice");
        alice.unique_id = Some("AIDACKCEVSQ6C2EXAMPLE".into());
        assert_eq!(
            principal_match(&principal(&["AIDACKCEVSQ6C2EXAMPLE"]), &alice),
            PrincipalMatch::Direct
        );
        assert_eq!(
            principal_match(&principal(&["AIDAJQABLZS4A3QDU576Q"]), &alice),
            PrincipalMatch::None
        );
        let mut session = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Dev/s");
        session.unique_id = Some("AROADBQP57FF2AEXAMPLE".into());
        assert_eq!(
            principal_match(&principal(&["AROADBQP57FF2AEXAMPLE"]), &session),
            PrincipalMatch::Role
        );
    }

    #[test]
    fn a_canonical_user_names_the_account() {
        let canonical = PrincipalBlock::Principal(PrincipalSpec::Map(vec![(
            PrincipalKind::CanonicalUser,
            vec!["79a59df9".into()],
        )]));
        let mut alice = Principal::from_arn("arn:aws:iam::111122223333:user/alice");
        assert_eq!(principal_match(&canonical, &alice), PrincipalMatch::None);
        alice.canonical_user = Some("79a59df9".into());
        assert_eq!(principal_match(&canonical, &alice), PrincipalMatch::Account);
        let mut root = Principal::from_arn("arn:aws:iam::111122223333:root");
        root.canonical_user = Some("79a59df9".into());
        assert_eq!(principal_match(&canonical, &root), PrincipalMatch::Direct);
    }
}
