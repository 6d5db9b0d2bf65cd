//! The plainest caller of a case: an IAM user — one of the shrinking steps of [`crate::shrink`].
//!
//! Shrinking removes what a difference does not need, but it cannot remove the caller: a
//! difference that a root user shows only because it is *some* caller kept `principal:root`,
//! and a difference about RCPs ended in one signature per caller kind. Replacing the caller by
//! the plainest one (an IAM user without tags) is kept only when the difference still holds,
//! so a caller kind stays in a shrunk case exactly when the difference needs it. Four steps:
//!
//! - [`with_plain_caller`]: a root user, role session or federated user becomes an IAM user of
//!   the same account, with the same standing in the organization. Its identity-based policies
//!   stay; session policies go (a user has none).
//! - [`with_user_for_policyless_caller`]: a service principal or an anonymous caller becomes an
//!   IAM user of the account that owns the request's resources (of the world's first account
//!   when no resource names one; not offered when the resources are in several accounts, which
//!   other steps reduce to one), so that the request stays same-account as a service's or an
//!   anonymous caller's request is read. The user has no identity-based policies, as the
//!   service or anonymous caller had none (the reference ignores any such a case names for
//!   them: keeping them would grant the user what the other caller never had); the resource
//!   policy's statements naming the service stay as they are (the step turning a `Principal`
//!   into `"*"` can make them apply to the user first). Its standing in the organization is its
//!   account's: under `organizations`, the account's membership (the case format then names
//!   the management account there, not on the caller); otherwise the world's organization, and
//!   the management account when the world marks that account's principals so.
//!
//! - [`with_user_for_provider_user`]: a web identity or SAML provider's user becomes an IAM user
//!   of the role's account in the same way, asking for the role with `sts:AssumeRole` instead
//!   of `AssumeRoleWithWebIdentity`/`AssumeRoleWithSAML` (the provider's keys gone from its
//!   requests, and an action pattern of a policy that names the provider's call but not
//!   `sts:AssumeRole` written `sts:AssumeRole`). A condition of a trust policy that a provider's
//!   user fails or meets the same way as a user — a key it lacks, an operator the other side
//!   reads differently — then shows in an IAM user's request, where the other steps can take it
//!   out of the trust policy.
//!
//! - [`with_role_session_for_federated_user`]: a federated user with session policies becomes
//!   a role session of the same account that keeps them. Both are sessions limited by their
//!   session policies in the same way, which the plain user (who has no session policies)
//!   cannot show; a federated user without session policies stays one (it has no permissions:
//!   IAM User Guide, "Session policies").
//!
//! The keys that describe the caller are rewritten for the user (`aws:PrincipalArn`,
//! `aws:PrincipalAccount`, `aws:userid`, `aws:PrincipalType`, `aws:username`), its principal
//! tags dropped, and keys a user's request does not carry dropped (`aws:TokenIssueTime`,
//! `aws:MultiFactorAuthPresent` as the realistic requests have them; a service's
//! `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths`,
//! `aws:PrincipalServiceName`, `aws:PrincipalServiceNamesList`). A former service or anonymous
//! caller's requests get the keys every user's request carries and theirs lacked (IAM User
//! Guide, "AWS global condition context keys", as `data/global-keys.json` lists them per
//! principal kind: the principal keys, `aws:PrincipalIsAWSService` = `false`, `aws:SourceIp`
//! from the value pools) and `aws:PrincipalOrgID` when the user's account is in an
//! organization (the generated requests of a signed caller carry it). The case writes nothing
//! else new.

use iamspec::context::{ContextEntry, ContextKeyType};
use iamspec::request::PrincipalType;

use iamspec::matching::glob::wildcard_match;
use iamspec::policy::ActionBlock;

use crate::case::GeneratedCase;
use crate::domains::always_present;
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

/// The plain user of `account`: an IAM user without tags, named by the value pools' first user
/// name.
fn plain_user(account: &str, management_account: bool) -> PrincipalDef {
    let name = user_name();
    PrincipalDef {
        arn: format!("arn:aws:iam::{account}:user/{name}"),
        account: account.to_string(),
        kind: PrincipalType::User,
        name,
        role_arn: None,
        tags: Vec::new(),
        management_account,
    }
}

/// `case` with its caller replaced by an IAM user of the caller's account (see the module
/// documentation). `None` when the caller is a user already, or is not a principal of an
/// account of its own (a service or anonymous caller: [`with_user_for_policyless_caller`]; a
/// web identity or SAML provider's user, evaluated as an ordinary caller already).
pub fn with_plain_caller(case: &GeneratedCase) -> Option<GeneratedCase> {
    let caller = &case.caller;
    if !matches!(
        caller.kind,
        PrincipalType::Root | PrincipalType::AssumedRole | PrincipalType::FederatedUser
    ) || caller.account.is_empty()
    {
        return None;
    }
    let user = plain_user(&caller.account, caller.management_account);
    let mut plain = case.clone();
    plain.policies.session.clear();
    for request in &mut plain.requests {
        request.context = std::mem::take(&mut request.context)
            .into_iter()
            .filter_map(|e| rewritten(e, &user, None))
            .collect();
        let name = key_value(&user, "aws:username");
        add_if_absent(
            &mut request.context,
            "aws:username",
            ContextKeyType::String,
            name,
        );
    }
    plain.caller = user;
    Some(plain)
}

/// `case` with its federated user (`GetFederationToken`) replaced by a role session of the same
/// account that keeps its identity-based and session policies (see the module documentation);
/// `None` for other callers and for a federated user without session policies (which has no
/// permissions at all: a cause of its own).
pub fn with_role_session_for_federated_user(case: &GeneratedCase) -> Option<GeneratedCase> {
    let caller = &case.caller;
    if caller.kind != PrincipalType::FederatedUser
        || caller.account.is_empty()
        || case.policies.session.is_empty()
    {
        return None;
    }
    let role = Vocabulary::get()
        .samples
        .role_names
        .first()
        .cloned()
        .unwrap_or_else(|| "Developer".to_string());
    let session = PrincipalDef {
        arn: format!(
            "arn:aws:sts::{}:assumed-role/{role}/{}",
            caller.account, caller.name
        ),
        account: caller.account.clone(),
        kind: PrincipalType::AssumedRole,
        name: caller.name.clone(),
        role_arn: Some(format!("arn:aws:iam::{}:role/{role}", caller.account)),
        tags: Vec::new(),
        management_account: caller.management_account,
    };
    let mut moved = case.clone();
    for request in &mut moved.requests {
        request.context = std::mem::take(&mut request.context)
            .into_iter()
            .filter_map(|e| rewritten(e, &session, None))
            .collect();
    }
    moved.caller = session;
    Some(moved)
}

/// `case` with its service principal or anonymous caller replaced by an IAM user of the
/// resources' account, without identity-based policies (see the module documentation). `None`
/// for other callers, and when the requests' resources are in several accounts.
pub fn with_user_for_policyless_caller(case: &GeneratedCase) -> Option<GeneratedCase> {
    if !matches!(
        case.caller.kind,
        PrincipalType::Service | PrincipalType::Anonymous
    ) {
        return None;
    }
    as_user_of_resources_account(case)
}

/// `case` with its web identity or SAML provider's user replaced by an IAM user of the role's
/// account asking for the role with `sts:AssumeRole` (see the module documentation). `None`
/// for other callers, and when the requests' resources are in several accounts.
pub fn with_user_for_provider_user(case: &GeneratedCase) -> Option<GeneratedCase> {
    let federated = crate::world::federated_action(case.caller.kind)?;
    let mut plain = as_user_of_resources_account(case)?;
    for request in &mut plain.requests {
        if request.action.eq_ignore_ascii_case(federated) {
            request.action = ASSUME_ROLE.to_string();
        }
        // The provider's keys (`saml:...`, `accounts.google.com:aud`...) come with its token
        // or assertion; a user's `AssumeRole` carries the global and `sts:` keys only.
        request.context.retain(|e| {
            let key = e.key.to_ascii_lowercase();
            key.starts_with("aws:") || key.starts_with("sts:")
        });
    }
    for policy in plain.policies.all_mut() {
        let Some(model) = policy.model_mut() else {
            continue;
        };
        for statement in &mut model.statements {
            let patterns = match &mut statement.action {
                ActionBlock::Action(p) | ActionBlock::NotAction(p) => p,
            };
            for pattern in patterns.iter_mut() {
                let names_federated = wildcard_match(pattern, federated, true);
                if names_federated && !wildcard_match(pattern, ASSUME_ROLE, true) {
                    *pattern = ASSUME_ROLE.to_string();
                }
            }
        }
    }
    Some(plain)
}

/// The action a user asks for a role with.
const ASSUME_ROLE: &str = "sts:AssumeRole";

/// `case` with its caller replaced by an IAM user of the account of the requests' resources
/// without identity-based policies, its requests carrying a user's keys; `None` when the
/// resources are in several accounts.
fn as_user_of_resources_account(case: &GeneratedCase) -> Option<GeneratedCase> {
    let old = case.caller.kind;
    let account = match resource_accounts(case).as_slice() {
        [] => case.world.accounts.first()?.clone(),
        [one] => one.to_string(),
        _ => return None,
    };
    let (management, org_id) = account_standing(case, &account);
    let user = plain_user(&account, management);
    let mut plain = case.clone();
    plain.policies.identity.clear();
    plain.policies.permissions_boundary = None;
    plain.policies.session.clear();
    let source_ip = Vocabulary::get()
        .samples
        .ips
        .first()
        .map(|ip| ip.split('/').next().unwrap_or(ip).to_string());
    for request in &mut plain.requests {
        request.context = std::mem::take(&mut request.context)
            .into_iter()
            .filter_map(|e| rewritten(e, &user, Some(org_id.as_deref())))
            .collect();
        // The keys every user's request carries that the old caller's did not.
        for def in always_present(PrincipalType::User) {
            if always_present(old).any(|d| d.name == def.name) {
                continue;
            }
            let value = match def.name.as_str() {
                "aws:SourceIp" => source_ip.clone(),
                name => key_value(&user, name),
            };
            let key_type = def.key_type.context_type();
            add_if_absent(&mut request.context, &def.name, key_type, value);
        }
        let string = ContextKeyType::String;
        add_if_absent(
            &mut request.context,
            "aws:PrincipalOrgID",
            string,
            org_id.clone(),
        );
    }
    plain.caller = user;
    Some(plain)
}

/// Appends `key` with its one `value` unless the context has the key already (any ASCII case)
/// or there is no value.
fn add_if_absent(
    context: &mut Vec<ContextEntry>,
    key: &str,
    key_type: ContextKeyType,
    value: Option<String>,
) {
    let Some(value) = value else { return };
    if context.iter().any(|e| e.key.eq_ignore_ascii_case(key)) {
        return;
    }
    context.push(ContextEntry {
        key: key.to_string(),
        key_type,
        values: vec![value],
    });
}

/// The distinct accounts that own the resources of the case's requests, in order of first
/// appearance (resources without an owner, such as `*`, name none).
pub(crate) fn resource_accounts(case: &GeneratedCase) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let owners = case
        .requests
        .iter()
        .flat_map(|r| r.resources.iter())
        .filter_map(|r| r.owner.as_deref());
    for owner in owners {
        if !out.contains(&owner) {
            out.push(owner);
        }
    }
    out
}

/// Where `account` stands in the case's organizations: whether a principal of it is of the
/// management account as the case format has that flag (only without `organizations`, which
/// name the management account themselves), and the id of its organization — `None` when
/// `organizations` leave it outside every organization. Without `organizations`, the flat SCP
/// and RCP levels put every account in the world's organization, and an account is the
/// management account when a principal of it in the world is marked so (the generator marks
/// every principal of the management account).
pub(crate) fn account_standing(case: &GeneratedCase, account: &str) -> (bool, Option<String>) {
    let orgs = &case.policies.organizations;
    if orgs.is_empty() {
        let management = case
            .world
            .principals
            .iter()
            .chain(std::iter::once(&case.caller))
            .any(|p| p.account == account && p.management_account);
        return (management, Some(case.world.org_id.clone()));
    }
    let org = orgs.iter().find(|o| {
        o.management_account.as_deref() == Some(account)
            || o.accounts.iter().any(|a| a.account == account)
    });
    (false, org.map(|o| o.id.clone()))
}

/// The value a request of `caller` gives a key that describes the caller (`aws:PrincipalArn`,
/// `aws:PrincipalAccount`, `aws:userid`, `aws:username`, `aws:PrincipalType`,
/// `aws:PrincipalIsAWSService`; `key` in any ASCII case), `None` for other keys and for keys
/// this caller's requests do not carry (`aws:username` of anyone but a user, the principal keys
/// of a service or anonymous caller).
fn key_value(caller: &PrincipalDef, key: &str) -> Option<String> {
    let signed = !matches!(
        caller.kind,
        PrincipalType::Service | PrincipalType::Anonymous
    );
    let value = match key.to_ascii_lowercase().as_str() {
        "aws:principalisawsservice" => {
            return (caller.kind != PrincipalType::Anonymous)
                .then(|| (caller.kind == PrincipalType::Service).to_string())
        }
        _ if !signed => return None,
        "aws:principalarn" => caller
            .role_arn
            .clone()
            .unwrap_or_else(|| caller.arn.clone()),
        "aws:principalaccount" => caller.account.clone(),
        "aws:userid" => userid(caller),
        "aws:username" if caller.kind == PrincipalType::User => caller.name.clone(),
        "aws:principaltype" => match caller.kind {
            PrincipalType::User => "User",
            PrincipalType::AssumedRole => "AssumedRole",
            PrincipalType::FederatedUser => "FederatedUser",
            _ => "Account",
        }
        .to_string(),
        _ => return None,
    };
    Some(value)
}

/// Keys only a service principal's request carries (IAM User Guide, "AWS global condition
/// context keys": the source keys "when a service principal calls on behalf of a resource",
/// and the service principal's own name), lower-cased.
const SERVICE_ONLY_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalservicename",
    "aws:principalservicenameslist",
];

/// A context entry of the old caller's request as `caller`'s request has it: the keys that
/// describe the caller rewritten ([`key_value`]) or dropped when `caller` does not carry them,
/// principal tags kept only when `caller` has a tag of that key, keys `caller` does not carry
/// dropped (session keys of a user, a service's source keys), and `aws:PrincipalOrgID` set to
/// `org_id` when that is given (`Some(None)`: the caller is in no organization, the key goes;
/// `None`: the organization did not change, the key stays as it is).
pub(crate) fn rewritten(
    mut entry: ContextEntry,
    caller: &PrincipalDef,
    org_id: Option<Option<&str>>,
) -> Option<ContextEntry> {
    let key = entry.key.to_ascii_lowercase();
    let describes_caller = matches!(
        key.as_str(),
        "aws:principalarn"
            | "aws:principalaccount"
            | "aws:userid"
            | "aws:username"
            | "aws:principaltype"
            | "aws:principalisawsservice"
    );
    if describes_caller {
        entry.values = vec![key_value(caller, &key)?];
        return Some(entry);
    }
    if key == "aws:principalorgid" {
        return match org_id {
            None => Some(entry),
            Some(id) => {
                entry.values = vec![id?.to_string()];
                Some(entry)
            }
        };
    }
    if let Some(tag) = key.strip_prefix("aws:principaltag/") {
        return caller
            .tags
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(tag))
            .then_some(entry);
    }
    if caller.kind != PrincipalType::Service && SERVICE_ONLY_KEYS.contains(&key.as_str()) {
        return None;
    }
    vocabulary_name(&entry.key)
        .is_none_or(|name| realistic_optional_key(&name, caller))
        .then_some(entry)
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
    use crate::model::GenPolicy;
    use crate::realism::violations;
    use crate::{generate_cases, Settings};

    #[test]
    fn a_federated_user_with_session_policies_becomes_a_realistic_role_session() {
        let mut moved = 0;
        for case in generate_cases(&Settings::realistic(), 12, 600) {
            let Some(c) = with_role_session_for_federated_user(&case) else {
                assert!(
                    case.caller.kind != PrincipalType::FederatedUser
                        || case.policies.session.is_empty()
                );
                continue;
            };
            moved += 1;
            assert_eq!(c.caller.kind, PrincipalType::AssumedRole);
            assert_eq!(c.caller.account, case.caller.account);
            assert_eq!(c.policies, case.policies, "every policy stays");
            assert!(with_role_session_for_federated_user(&c).is_none());
            assert!(violations(&c).is_empty(), "{:?}", violations(&c));
            for r in &c.requests {
                let value = |k: &str| {
                    r.context
                        .iter()
                        .find(|e| e.key.eq_ignore_ascii_case(k))
                        .map(|e| e.values.clone())
                };
                // A near miss may leave a principal key out; one that is there describes the
                // role session.
                if let Some(t) = value("aws:PrincipalType") {
                    assert_eq!(t, vec!["AssumedRole".to_string()]);
                }
                if let Some(arn) = value("aws:PrincipalArn") {
                    assert_eq!(Some(arn), c.caller.role_arn.clone().map(|a| vec![a]));
                }
                assert_eq!(value("aws:username"), None);
            }
        }
        assert!(moved > 5, "{moved} federated users moved");
    }

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

    #[test]
    fn a_service_or_anonymous_caller_becomes_a_realistic_user_of_the_resources_account() {
        let mut realistic = 0;
        let mut kinds = std::collections::BTreeSet::new();
        for case in generate_cases(&Settings::realistic(), 5, 2000) {
            let Some(user) = with_user_for_policyless_caller(&case) else {
                assert!(
                    !matches!(
                        case.caller.kind,
                        PrincipalType::Service | PrincipalType::Anonymous
                    ) || resource_accounts(&case).len() > 1,
                    "{:?}",
                    case.caller.kind
                );
                continue;
            };
            kinds.insert(format!("{:?}", case.caller.kind));
            assert_eq!(user.caller.kind, PrincipalType::User);
            assert!(user.policies.identity.is_empty());
            assert!(with_user_for_policyless_caller(&user).is_none());
            if let [owner] = resource_accounts(&case).as_slice() {
                assert_eq!(user.caller.account, *owner, "same-account");
            }
            for r in &user.requests {
                let value = |key: &str| {
                    r.context
                        .iter()
                        .find(|e| e.key.eq_ignore_ascii_case(key))
                        .map(|e| e.values.clone())
                };
                assert_eq!(
                    value("aws:PrincipalArn"),
                    Some(vec![user.caller.arn.clone()])
                );
                assert_eq!(value("aws:PrincipalType"), Some(vec!["User".to_string()]));
                assert_eq!(
                    value("aws:PrincipalIsAWSService"),
                    Some(vec!["false".into()])
                );
                for gone in ["aws:SourceArn", "aws:PrincipalServiceName"] {
                    assert_eq!(value(gone), None, "{gone}");
                }
            }
            if violations(&case).is_empty() {
                realistic += 1;
                assert_eq!(
                    violations(&user),
                    vec![],
                    "a realistic case stays realistic"
                );
            }
        }
        assert!(
            realistic > 30,
            "only {realistic} realistic callers replaced"
        );
        assert_eq!(
            kinds.len(),
            2,
            "both services and anonymous callers: {kinds:?}"
        );
    }

    #[test]
    fn a_providers_user_becomes_a_realistic_user_asking_for_the_role() {
        let mut realistic = 0;
        let mut kinds = std::collections::BTreeSet::new();
        for case in generate_cases(&Settings::realistic(), 9, 3000) {
            let Some(federated) = crate::world::federated_action(case.caller.kind) else {
                assert!(with_user_for_provider_user(&case).is_none());
                continue;
            };
            let Some(user) = with_user_for_provider_user(&case) else {
                assert!(resource_accounts(&case).len() > 1);
                continue;
            };
            kinds.insert(format!("{:?}", case.caller.kind));
            assert_eq!(user.caller.kind, PrincipalType::User);
            assert!(with_user_for_provider_user(&user).is_none());
            for (before, after) in case.requests.iter().zip(&user.requests) {
                if before.action == federated {
                    assert_eq!(after.action, "sts:AssumeRole");
                }
                for e in &after.context {
                    let key = e.key.to_ascii_lowercase();
                    assert!(key.starts_with("aws:") || key.starts_with("sts:"), "{key}");
                }
            }
            // No action pattern names the provider's call without also naming AssumeRole.
            for statement in user
                .policies
                .all()
                .filter_map(GenPolicy::model)
                .flat_map(|m| m.statements.iter())
            {
                let (ActionBlock::Action(patterns) | ActionBlock::NotAction(patterns)) =
                    &statement.action;
                for p in patterns {
                    assert!(
                        !wildcard_match(p, federated, true) || wildcard_match(p, ASSUME_ROLE, true),
                        "{p}"
                    );
                }
            }
            if violations(&case).is_empty() {
                realistic += 1;
                assert_eq!(
                    violations(&user),
                    vec![],
                    "a realistic case stays realistic"
                );
            }
        }
        assert!(
            realistic > 20,
            "only {realistic} realistic callers replaced"
        );
        assert_eq!(kinds.len(), 2, "both kinds of provider: {kinds:?}");
    }
}
