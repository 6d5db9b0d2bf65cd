//! Where the caller's account and each resource's account sit in AWS Organizations, and which
//! SCP and RCP levels that puts on a request.
//!
//! AWS Organizations User Guide, "Understanding SCPs and RCPs", "Service control policies
//! (SCPs)", "Resource control policies (RCPs)": SCPs limit the principals of member accounts
//! and do not affect principals of accounts outside the organization; RCPs limit the resources
//! of member accounts and do not affect resources of accounts outside it (even when a principal
//! of the organization accesses them); neither affects the management account.
//!
//! Without organizations ([`crate::authorize::PolicySet::organizations`] empty) the policy set's
//! own `scps` are the caller's account's levels and its `rcps` every resource's account's levels,
//! as if both accounts were members of one organization.

use crate::authorize::{NamedPolicy, PolicySet};
use crate::request::{Principal, RequestResource};

/// One organization: its management account and its member accounts with their paths.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Organization {
    /// The organization id (`o-...`); informative only (it is not a context key).
    pub id: String,
    /// The management account, which SCPs and RCPs do not affect.
    pub management_account: Option<String>,
    /// The accounts of the organization.
    pub accounts: Vec<OrganizationAccount>,
}

/// An account of an organization with the policies on its path, root first, account last.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganizationAccount {
    /// The 12-digit account id.
    pub account: String,
    /// SCP levels on the account's path.
    pub scps: Vec<Vec<NamedPolicy>>,
    /// RCP levels on the account's path.
    pub rcps: Vec<Vec<NamedPolicy>>,
}

/// Where an account stands in the organizations of a policy set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Membership<'a> {
    /// In no organization (or the account is unknown).
    Outside,
    /// The management account of its organization.
    Management,
    /// A member account, with its paths.
    Member(&'a OrganizationAccount),
}

/// Where `account` stands among `organizations`.
pub fn membership<'a>(organizations: &'a [Organization], account: Option<&str>) -> Membership<'a> {
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
/// Without organizations: the set's `scps` (the caller's own management-account flag and
/// service-linked roles are decided by the flow, not here).
pub fn scp_levels<'a>(set: &'a PolicySet, caller: &Principal) -> &'a [Vec<NamedPolicy>] {
    if set.organizations.is_empty() {
        return &set.scps;
    }
    match membership(&set.organizations, caller.account.as_deref()) {
        Membership::Member(account) => &account.scps,
        Membership::Outside | Membership::Management => &[],
    }
}

/// The RCP levels that bind `resource`: its owner's path when the owner (or, when the resource
/// names none, the caller's account) is a member of an organization, none when it is outside
/// every organization or its management account. Without organizations: the set's `rcps`.
pub fn rcp_levels<'a>(
    set: &'a PolicySet,
    caller: &Principal,
    resource: &RequestResource,
) -> &'a [Vec<NamedPolicy>] {
    if set.organizations.is_empty() {
        return &set.rcps;
    }
    let owner = resource.owner.as_deref().or(caller.account.as_deref());
    match membership(&set.organizations, owner) {
        Membership::Member(account) => &account.rcps,
        Membership::Outside | Membership::Management => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{parse_policy, PolicyType};

    fn level(id: &str, policy_type: PolicyType) -> Vec<NamedPolicy> {
        let doc = if policy_type == PolicyType::Rcp {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#
        } else {
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#
        };
        vec![NamedPolicy {
            id: id.to_string(),
            policy: parse_policy(doc, policy_type).expect("valid"),
        }]
    }

    fn set() -> PolicySet {
        PolicySet {
            organizations: vec![Organization {
                id: "o-a1b2c3d4e5".into(),
                management_account: Some("999999999999".into()),
                accounts: vec![
                    OrganizationAccount {
                        account: "999999999999".into(),
                        scps: vec![level("MgmtScp", PolicyType::Scp)],
                        rcps: vec![level("MgmtRcp", PolicyType::Rcp)],
                    },
                    OrganizationAccount {
                        account: "111122223333".into(),
                        scps: vec![level("MemberScp", PolicyType::Scp)],
                        rcps: vec![level("MemberRcp", PolicyType::Rcp)],
                    },
                ],
            }],
            ..PolicySet::default()
        }
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
        let set = set();
        let member = Principal::from_arn("arn:aws:iam::111122223333:user/a");
        let outsider = Principal::from_arn("arn:aws:iam::444455556666:user/b");
        let manager = Principal::from_arn("arn:aws:iam::999999999999:user/c");
        assert_eq!(scp_levels(&set, &member)[0][0].id, "MemberScp");
        assert!(scp_levels(&set, &outsider).is_empty());
        assert!(scp_levels(&set, &manager).is_empty());
        assert_eq!(
            rcp_levels(&set, &outsider, &resource(Some("111122223333")))[0][0].id,
            "MemberRcp"
        );
        assert!(rcp_levels(&set, &member, &resource(Some("444455556666"))).is_empty());
        assert!(rcp_levels(&set, &member, &resource(Some("999999999999"))).is_empty());
        assert_eq!(
            rcp_levels(&set, &member, &resource(None))[0][0].id,
            "MemberRcp"
        );
    }

    #[test]
    fn without_organizations_the_set_levels_apply() {
        let plain = PolicySet {
            scps: vec![level("S", PolicyType::Scp)],
            rcps: vec![level("R", PolicyType::Rcp)],
            ..PolicySet::default()
        };
        let anyone = Principal::from_arn("arn:aws:iam::444455556666:user/b");
        assert_eq!(scp_levels(&plain, &anyone).len(), 1);
        assert_eq!(rcp_levels(&plain, &anyone, &resource(None)).len(), 1);
    }
}
