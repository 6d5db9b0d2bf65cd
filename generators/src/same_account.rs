//! A cross-account case made same-account — one of the shrinking steps of [`crate::shrink`].
//!
//! Shrinking cannot remove an account: a difference that a cross-account request shows only
//! because it is *some* request (an RCP applied to a service RCPs do not cover, a `Deny` an
//! evaluator ignores) kept `account:cross` and made one cause two signatures, one per side of
//! the account boundary. [`with_caller_moved`] moves the caller into the account that owns the
//! request's resources; the shrinker keeps the move only when the difference still holds, so a
//! shrunk case is cross-account exactly when the difference needs it.
//!
//! The caller is moved as it is — the same kind, name, role name and principal tags, the
//! account field of its ARN (and of its role's ARN) rewritten — and keeps its identity-based
//! policies, boundary and session policies; the resources, the resource-based policy and the
//! organization policies do not change. Moving the caller rather than the resources leaves
//! every ARN the policies name pointing where it did (a resource pattern, `aws:ResourceAccount`,
//! the RCPs of the resource's account, a VPC endpoint's policy stay true as they are); what
//! changes is what describes the caller:
//!
//! - the keys that describe it (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:userid`) are
//!   rewritten for the moved caller (`crate::plain_caller`'s rewriting);
//! - its standing in the organization becomes the new account's: with `organizations`, the
//!   account's membership decides (its SCP levels, the management account) and
//!   `aws:PrincipalOrgID` becomes the new account's organization (or goes, when the account is
//!   in none); without them, the flat SCP levels are every account's and the caller is of the
//!   management account when the world marks the new account's principals so;
//! - a resource-based policy naming the old caller (its ARN, its role, its account) no longer
//!   names it: the step turning a `Principal` into `"*"` can make such a statement apply first,
//!   and delta debugging finds that order when the difference needs the statement.
//!
//! Offered for a signed caller of an account (an IAM user, a role session, a federated user, the
//! root user); not for a service or an anonymous caller, which have no account
//! ([`crate::plain_caller::with_user_for_policyless_caller`] makes them a user of the
//! resources' account), nor for a web identity or SAML provider's user (its request's principal
//! keys describe the role session it asks for, not the provider, and the signature reads it as
//! an ordinary caller already); not when no resource names an owner, nor when the requests'
//! resources are in several accounts (shrinking removes requests and resources first).

use crate::case::GeneratedCase;
use crate::plain_caller::{account_standing, resource_accounts, rewritten};
use crate::world::PrincipalDef;
use iamspec::request::PrincipalType;

/// `case` with its caller moved into the account of the requests' resources (see the module
/// documentation); `None` when the case is same-account or the move is not offered.
pub fn with_caller_moved(case: &GeneratedCase) -> Option<GeneratedCase> {
    let caller = &case.caller;
    let signed = matches!(
        caller.kind,
        PrincipalType::User
            | PrincipalType::AssumedRole
            | PrincipalType::Root
            | PrincipalType::FederatedUser
    );
    if !signed || caller.account.is_empty() {
        return None;
    }
    let accounts = resource_accounts(case);
    let [target] = accounts.as_slice() else {
        return None;
    };
    if *target == caller.account {
        return None;
    }
    let target = target.to_string();
    let (management_account, org_id) = account_standing(case, &target);
    let moved = PrincipalDef {
        arn: in_account(&caller.arn, &caller.account, &target),
        role_arn: caller
            .role_arn
            .as_deref()
            .map(|role| in_account(role, &caller.account, &target)),
        account: target,
        management_account,
        ..caller.clone()
    };
    let mut c = case.clone();
    for request in &mut c.requests {
        request.context = std::mem::take(&mut request.context)
            .into_iter()
            .filter_map(|e| rewritten(e, &moved, Some(org_id.as_deref())))
            .collect();
    }
    c.caller = moved;
    Some(c)
}

/// `arn` with its account field `from` replaced by `to` (unchanged when the field is another
/// account or the text is not an ARN).
fn in_account(arn: &str, from: &str, to: &str) -> String {
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    match fields.as_slice() {
        [arn_, partition, service, region, account, rest] if *account == from => {
            format!("{arn_}:{partition}:{service}:{region}:{to}:{rest}")
        }
        _ => arn.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::detect;
    use crate::realism::violations;
    use crate::{generate_cases, Settings, Via};

    #[test]
    fn arns_move_by_their_account_field() {
        assert_eq!(
            in_account("arn:aws:sts::111:assumed-role/R/s", "111", "222"),
            "arn:aws:sts::222:assumed-role/R/s"
        );
        assert_eq!(
            in_account("arn:aws:iam::111:root", "111", "222"),
            "arn:aws:iam::222:root"
        );
        assert_eq!(
            in_account("arn:aws:iam::333:root", "111", "222"),
            "arn:aws:iam::333:root"
        );
        assert_eq!(
            in_account("imagebuilder.amazonaws.com", "", "222"),
            "imagebuilder.amazonaws.com"
        );
    }

    #[test]
    fn a_cross_account_caller_moves_into_the_resources_account_and_stays_realistic() {
        let (mut moved, mut realistic) = (0, 0);
        let mut kinds = std::collections::BTreeSet::new();
        for case in generate_cases(&Settings::realistic(), 7, 1500) {
            let cross = detect(&case, &case.outcome(Via::Model)).contains("account:cross");
            let Some(same) = with_caller_moved(&case) else {
                let provider = matches!(
                    case.caller.kind,
                    PrincipalType::WebIdentity | PrincipalType::Saml
                );
                assert!(
                    !cross || provider || resource_accounts(&case).len() > 1,
                    "a cross-account case with one resource account moves: {:?}",
                    case.caller
                );
                continue;
            };
            moved += 1;
            kinds.insert(format!("{:?}", case.caller.kind));
            assert!(cross, "only a cross-account case moves");
            let tags = detect(&same, &same.outcome(Via::Model));
            assert!(!tags.contains("account:cross"), "{tags:?}");
            assert!(with_caller_moved(&same).is_none());
            let c = &same.caller;
            assert_eq!(c.kind, case.caller.kind);
            assert_eq!(c.name, case.caller.name);
            assert_eq!(c.tags, case.caller.tags);
            assert!(c.arn.contains(&format!(":{}:", c.account)), "{}", c.arn);
            assert_eq!(same.policies, case.policies, "policies stay");
            for r in &same.requests {
                for e in &r.context {
                    let k = e.key.to_ascii_lowercase();
                    if k == "aws:principalaccount" {
                        assert_eq!(e.values, vec![c.account.clone()]);
                    }
                    if k == "aws:principalarn" {
                        let arn = c.role_arn.clone().unwrap_or_else(|| c.arn.clone());
                        assert_eq!(e.values, vec![arn]);
                    }
                    if k == "aws:userid" && c.kind == PrincipalType::Root {
                        assert_eq!(e.values, vec![c.account.clone()]);
                    }
                }
            }
            if violations(&case).is_empty() {
                realistic += 1;
                assert_eq!(
                    violations(&same),
                    vec![],
                    "a realistic case stays realistic"
                );
            }
        }
        assert!(moved > 50, "only {moved} callers moved");
        assert!(realistic > 50, "only {realistic} realistic callers moved");
        assert!(kinds.len() >= 3, "{kinds:?}");
    }
}
