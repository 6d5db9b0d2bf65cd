//! Where the caller's account and each resource's account sit in AWS Organizations, and which
//! SCP and RCP levels that puts on a request.
//!
//! AWS Organizations User Guide, "Understanding SCPs and RCPs", "Service control policies
//! (SCPs)", "Resource control policies (RCPs)": SCPs limit the principals of member accounts
//! and do not affect principals of accounts outside the organization; RCPs limit the resources
//! of member accounts and do not affect resources of accounts outside it (even when a principal
//! of the organization accesses them); neither affects the management account.
//!
//! Without organizations (an empty list) the policy set's own `scps` are the caller's account's
//! levels and its `rcps` every resource's account's levels, as if both accounts were members of
//! one organization. The types are generic over the policy (`P`, the evaluator's
//! `authorize::NamedPolicy`) so this module depends on the request only.

use crate::request::{Principal, RequestResource};

/// One organization: its management account and its member accounts with their paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization<P> {
    /// The organization id (`o-...`); informative only (it is not a context key).
    pub id: String,
    /// The management account, which SCPs and RCPs do not affect.
    pub management_account: Option<String>,
    /// The accounts of the organization.
    pub accounts: Vec<OrganizationAccount<P>>,
}

/// An account of an organization with the policies on its path, root first, account last.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationAccount<P> {
    /// The 12-digit account id.
    pub account: String,
    /// SCP levels on the account's path.
    pub scps: Vec<Vec<P>>,
    /// RCP levels on the account's path.
    pub rcps: Vec<Vec<P>>,
}

/// Where an account stands in the organizations of a policy set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Membership<'a, P> {
    /// In no organization (or the account is unknown).
    Outside,
    /// The management account of its organization.
    Management,
    /// A member account, with its paths.
    Member(&'a OrganizationAccount<P>),
}

/// Where `account` stands among `organizations`.
pub fn membership<'a, P>(
    organizations: &'a [Organization<P>],
    account: Option<&str>,
) -> Membership<'a, P> {
    let Some(account) = account else {
        return Membership::Outside;
    };
    for organization in organizations {
        if organization.management_account.as_deref() == Some(account) {
            return Membership::Management;
        }
        if let Some(member) = organization.accounts.iter().find(|a| a.account == account) {
            return Membership::Member(member);
        }
    }
    Membership::Outside
}

/// The SCP levels that bind `caller`: its account's path when the account is a member of an
/// organization, none when it is outside every organization or its management account.
/// Without organizations: `default` (the policy set's `scps`; the caller's own
/// management-account flag and service-linked roles are decided by the flow, not here).
pub fn scp_levels<'a, P>(
    organizations: &'a [Organization<P>],
    default: &'a [Vec<P>],
    caller: &Principal,
) -> &'a [Vec<P>] {
    if organizations.is_empty() {
        return default;
    }
    match membership(organizations, caller.account.as_deref()) {
        Membership::Member(account) => &account.scps,
        Membership::Outside | Membership::Management => &[],
    }
}

/// The RCP levels that bind `resource`: its owner's path when the owner (or, when the resource
/// names none, the caller's account) is a member of an organization, none when it is outside
/// every organization or its management account. Without organizations: `default` (the policy
/// set's `rcps`).
pub fn rcp_levels<'a, P>(
    organizations: &'a [Organization<P>],
    default: &'a [Vec<P>],
    caller: &Principal,
    resource: &RequestResource,
) -> &'a [Vec<P>] {
    if organizations.is_empty() {
        return default;
    }
    let owner = resource.owner.as_deref().or(caller.account.as_deref());
    match membership(organizations, owner) {
        Membership::Member(account) => &account.rcps,
        Membership::Outside | Membership::Management => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(id: &str) -> Vec<Vec<String>> {
        vec![vec![id.to_string()]]
    }

    fn organizations() -> Vec<Organization<String>> {
        vec![Organization {
            id: "o-a1b2c3d4e5".into(),
            management_account: Some("999999999999".into()),
            accounts: vec![
                OrganizationAccount {
                    account: "999999999999".into(),
                    scps: level("MgmtScp"),
                    rcps: level("MgmtRcp"),
                },
                OrganizationAccount {
                    account: "111122223333".into(),
                    scps: level("MemberScp"),
                    rcps: level("MemberRcp"),
                },
            ],
        }]
    }

    fn resource(owner: Option<&str>) -> RequestResource {
        RequestResource {
            arn: "arn:aws:s3:::b/k".into(),
            owner: owner.map(str::to_string),
            context: Default::default(),
        }
    }

    #[test]
    fn members_are_bound_outsiders_and_the_management_account_are_not() {
        let orgs = organizations();
        let none: Vec<Vec<String>> = level("Default");
        let member = Principal::from_arn("arn:aws:iam::111122223333:user/a");
        let outsider = Principal::from_arn("arn:aws:iam::444455556666:user/b");
        let manager = Principal::from_arn("arn:aws:iam::999999999999:user/c");
        assert_eq!(scp_levels(&orgs, &none, &member)[0][0], "MemberScp");
        assert!(scp_levels(&orgs, &none, &outsider).is_empty());
        assert!(scp_levels(&orgs, &none, &manager).is_empty());
        let rcps = |caller: &Principal, owner| rcp_levels(&orgs, &none, caller, &resource(owner));
        assert_eq!(rcps(&outsider, Some("111122223333"))[0][0], "MemberRcp");
        assert!(rcps(&member, Some("444455556666")).is_empty());
        assert!(rcps(&member, Some("999999999999")).is_empty());
        assert_eq!(rcps(&member, None)[0][0], "MemberRcp");
    }

    #[test]
    fn without_organizations_the_default_levels_apply() {
        let orgs: Vec<Organization<String>> = Vec::new();
        let default = level("Default");
        let anyone = Principal::from_arn("arn:aws:iam::444455556666:user/b");
        assert_eq!(scp_levels(&orgs, &default, &anyone).len(), 1);
        assert_eq!(
            rcp_levels(&orgs, &default, &anyone, &resource(None)).len(),
            1
        );
    }
}
