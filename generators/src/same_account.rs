//! A cross-account case made same-account — two of the shrinking steps of [`crate::shrink`].
//!
//! Shrinking cannot remove an account: a difference that a cross-account request shows only
//! because it is *some* request (an RCP applied to a service RCPs do not cover, a `Deny` an
//! evaluator ignores) kept `account:cross` and made one cause two signatures, one per side of
//! the account boundary. Two candidates put the caller and the resources in one account; the
//! shrinker keeps one only when the difference still holds, so a shrunk case is cross-account
//! exactly when the difference needs it. Both are offered only when every resource of the
//! requests that names an owner names the same one (shrinking removes requests and resources
//! first), and each is taken once (a same-account case offers neither).
//!
//! [`with_caller_moved`] moves the caller into the resources' account, as it is — the same
//! kind, name, role name and principal tags, the account field of its ARN (and of its role's
//! ARN) rewritten — with its identity-based policies, boundary and session policies. Every ARN
//! the policies name still points where it did (a resource pattern, `aws:ResourceAccount`, the
//! RCPs of the resource's account, a VPC endpoint's policy stay true as they are); what changes
//! is what describes the caller:
//!
//! - the keys that describe it (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:userid`) are
//!   rewritten for the moved caller (`crate::plain_caller`'s rewriting);
//! - its standing in the organization becomes the new account's: with `organizations`, the
//!   account's membership decides (its SCP levels, the management account) and
//!   `aws:PrincipalOrgID` becomes the new account's organization (or goes, when the account is
//!   in none); without them, the flat SCP levels are every account's and the caller is of the
//!   management account when the world marks the new account's principals so;
//! - a resource-based or VPC endpoint policy naming the old caller (its ARN, its role, its
//!   account) no longer names it, and a condition on its account (`aws:PrincipalAccount`) no
//!   longer holds: the step turning a `Principal` into `"*"` and the removal of conditions can
//!   come first, and delta debugging finds that order when the difference needs the statement
//!   (or the other candidate, which leaves the caller where it is, keeps it).
//!
//! [`with_resources_moved`] moves the resources into the caller's account instead, for a
//! difference that needs the caller where it is (its SCP levels or management account under
//! `organizations`, a policy naming its account): every resource of the resources' account —
//! in the requests and in the world — takes the caller's account as owner and in its ARN's
//! account field (an S3 or EC2 image ARN has none), and what names those resources follows: the
//! account field of the policies' `Resource`/`NotResource` patterns that name the old account,
//! the requests' `aws:ResourceAccount`, and the policies' `aws:ResourceAccount` condition
//! values (values that name another account stay). The RCPs that apply become the caller's
//! account's (its membership under `organizations`); `Principal` elements stay (they name
//! principals, which did not move); a VPC endpoint's policy is rewritten like the others (its
//! resource patterns follow the resources) and requests through it stay so. The generated
//! requests carry no `aws:ResourceOrgID`/`aws:ResourceOrgPaths` (not in the global keys the
//! generator draws, `data/global-keys.json`), so nothing else names the resources' account.
//!
//! Offered for a signed caller of an account (an IAM user, a role session, a federated user, the
//! root user); not for a service or an anonymous caller, which have no account
//! ([`crate::plain_caller::with_user_for_policyless_caller`] makes them a user of the
//! resources' account), nor for a web identity or SAML provider's user (its request's principal
//! keys describe the role session it asks for, not the provider, and the signature reads it as
//! an ordinary caller already).

use iamspec::policy::ResourceBlock;
use iamspec::request::PrincipalType;

use crate::case::GeneratedCase;
use crate::plain_caller::{account_standing, resource_accounts, rewritten};
use crate::world::PrincipalDef;

/// The one account of the requests' resources when it is not the caller's and the caller is a
/// signed caller of an account (see the module documentation).
fn other_account(case: &GeneratedCase) -> Option<String> {
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
    match resource_accounts(case).as_slice() {
        [one] if *one != caller.account => Some(one.to_string()),
        _ => None,
    }
}

/// `case` with its caller moved into the account of the requests' resources (see the module
/// documentation); `None` when the case is same-account or the move is not offered.
pub fn with_caller_moved(case: &GeneratedCase) -> Option<GeneratedCase> {
    let caller = &case.caller;
    let target = other_account(case)?;
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

/// `case` with the requests' resources moved into the caller's account (see the module
/// documentation); `None` when the case is same-account or the move is not offered.
pub fn with_resources_moved(case: &GeneratedCase) -> Option<GeneratedCase> {
    let from = other_account(case)?;
    let to = case.caller.account.clone();
    let mut c = case.clone();
    for r in &mut c.world.resources {
        if r.owner == from {
            r.arn = in_account(&r.arn, &from, &to);
            r.owner = to.clone();
        }
    }
    for request in &mut c.requests {
        for r in &mut request.resources {
            if r.owner.as_deref() == Some(from.as_str()) {
                r.arn = in_account(&r.arn, &from, &to);
                r.owner = Some(to.clone());
            }
        }
        for e in &mut request.context {
            if e.key.eq_ignore_ascii_case("aws:ResourceAccount") {
                for v in &mut e.values {
                    if *v == from {
                        v.clone_from(&to);
                    }
                }
            }
        }
    }
    for policy in c.policies.all_mut().filter_map(|p| p.model_mut()) {
        for s in &mut policy.statements {
            if let Some(ResourceBlock::Resource(patterns) | ResourceBlock::NotResource(patterns)) =
                &mut s.resource
            {
                for p in patterns {
                    *p = in_account(p, &from, &to);
                }
            }
            for condition in &mut s.conditions {
                if condition.key.eq_ignore_ascii_case("aws:ResourceAccount") {
                    for v in &mut condition.values {
                        if *v == from {
                            v.clone_from(&to);
                        }
                    }
                }
            }
        }
    }
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

    /// How many `Resource`/`NotResource` patterns of the case's policies are the ARN of a
    /// resource of its requests.
    fn exact_patterns(case: &GeneratedCase) -> usize {
        let arns: Vec<&str> = case
            .requests
            .iter()
            .flat_map(|r| r.resources.iter().map(|x| x.arn.as_str()))
            .collect();
        case.policies
            .all()
            .filter_map(|p| p.model())
            .flat_map(|m| m.statements.iter())
            .filter_map(|s| match &s.resource {
                Some(ResourceBlock::Resource(p) | ResourceBlock::NotResource(p)) => Some(p),
                None => None,
            })
            .flatten()
            .filter(|p| arns.contains(&p.as_str()))
            .count()
    }

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
    fn a_cross_account_case_becomes_a_realistic_same_account_one_either_way() {
        let (mut moved, mut realistic, mut exact) = (0, 0, 0);
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
            let resources = with_resources_moved(&case).expect("offered with the caller's move");
            let tags = detect(&resources, &resources.outcome(Via::Model));
            assert!(!tags.contains("account:cross"), "{tags:?}");
            assert!(with_resources_moved(&resources).is_none());
            assert_eq!(resources.caller, case.caller, "the caller stays");
            assert_eq!(
                resource_accounts(&resources),
                vec![case.caller.account.as_str()]
            );
            assert_eq!(
                exact_patterns(&resources),
                exact_patterns(&case),
                "the patterns naming a resource follow it"
            );
            exact += exact_patterns(&case);
            if violations(&case).is_empty() {
                realistic += 1;
                assert_eq!(
                    violations(&same),
                    vec![],
                    "a realistic case stays realistic"
                );
                assert_eq!(
                    violations(&resources),
                    vec![],
                    "a realistic case stays realistic"
                );
            }
        }
        assert!(moved > 50, "only {moved} callers moved");
        assert!(realistic > 50, "only {realistic} realistic callers moved");
        assert!(kinds.len() >= 3, "{kinds:?}");
        assert!(exact > 10, "only {exact} patterns naming a moved resource");
    }
}
