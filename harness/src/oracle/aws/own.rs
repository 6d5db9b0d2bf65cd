//! Cases about a sandbox principal's own policies (`iamspec diff --oracle aws --principal ARN
//! --account-snapshot FILE`): `SimulatePrincipalPolicy` then counts what is really attached to
//! the principal (nothing is excluded, no identity policy is sent), and the reference reads the
//! same policies from a saved `GetAccountAuthorizationDetails` snapshot.
//!
//! A generated case becomes such a case here: its caller is the principal, its identity-based
//! policies and permissions boundary are the principal's from the snapshot (session policies
//! are dropped: the simulator takes none), and the context keys that describe the caller
//! (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:username`, `aws:userid`, `aws:PrincipalTag/…`,
//! `aws:PrincipalType`…) describe the principal instead — its ARN, account and, for a user, name;
//! its tags are not in the snapshot's policies and are left out. The requests, resources,
//! resource-based policy and SCPs stay as generated.

use iamspec::authorize::NamedPolicy;
use iamspec::context::{ContextEntry, ContextKeyType};
use iamspec::policy::PolicyType;
use iamspec::request::PrincipalType;
use iamspec_generators::policy::{Document, GenPolicy, RenderStyle};
use iamspec_generators::world::PrincipalDef;
use iamspec_generators::GeneratedCase;

/// The principal whose own policies the cases are about.
#[derive(Debug, Clone)]
pub struct OwnPolicies {
    /// Its ARN (an IAM user or role).
    pub arn: String,
    /// Its identity-based policies (inline, attached managed, its groups').
    pub identity: Vec<NamedPolicy>,
    /// Its permissions boundary.
    pub boundary: Option<NamedPolicy>,
}

impl OwnPolicies {
    /// The principal as the generators describe a caller.
    fn caller(&self) -> PrincipalDef {
        let [_, _, _, _, account, resource] =
            iamspec::matching::arn::split_value(&self.arn).unwrap_or([""; 6]);
        let account = account.to_string();
        let kind = if resource.starts_with("role/") {
            PrincipalType::Role
        } else {
            PrincipalType::User
        };
        PrincipalDef {
            arn: self.arn.clone(),
            account,
            kind,
            name: resource.rsplit('/').next().unwrap_or(resource).to_string(),
            role_arn: None,
            tags: Vec::new(),
            management_account: false,
        }
    }

    /// `case` about this principal's own policies (see the module documentation).
    pub fn apply(&self, case: &GeneratedCase) -> GeneratedCase {
        let mut out = case.clone();
        let caller = self.caller();
        let model = |p: &NamedPolicy, policy_type: PolicyType| GenPolicy {
            id: p.id.clone(),
            policy_type,
            document: Document::Model {
                policy: p.policy.clone(),
                style: RenderStyle::default(),
            },
        };
        out.policies.identity = self
            .identity
            .iter()
            .map(|p| model(p, PolicyType::Identity))
            .collect();
        out.policies.permissions_boundary = self
            .boundary
            .as_ref()
            .map(|p| model(p, PolicyType::PermissionsBoundary));
        out.policies.session.clear();
        for request in &mut out.requests {
            request.context.retain(|e| !describes_caller(&e.key));
            let mut add = |key: &str, value: &str| {
                request.context.push(ContextEntry {
                    key: key.to_string(),
                    key_type: ContextKeyType::String,
                    values: vec![value.to_string()],
                })
            };
            add("aws:PrincipalArn", &caller.arn);
            if !caller.account.is_empty() {
                add("aws:PrincipalAccount", &caller.account);
            }
            if caller.kind == PrincipalType::User {
                add("aws:username", &caller.name);
                add("aws:PrincipalType", "User");
            }
        }
        out.caller = caller;
        out
    }
}

/// True for the global keys whose value comes from the caller.
fn describes_caller(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("aws:principal") || key == "aws:username" || key == "aws:userid"
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamspec::policy::parse_policy;
    use iamspec_generators::{generate_case_at, Settings};

    #[test]
    fn a_generated_case_becomes_one_about_the_principals_own_policies() {
        let allow = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            PolicyType::Identity,
        )
        .unwrap();
        let own = OwnPolicies {
            arn: "arn:aws:iam::111122223333:user/team/alice".into(),
            identity: vec![NamedPolicy {
                id: "user/alice inline All".into(),
                policy: allow.clone(),
            }],
            boundary: None,
        };
        for index in 0..50 {
            let case = own.apply(&generate_case_at(&Settings::realistic(), 3, index));
            assert_eq!(case.caller.arn, own.arn);
            assert_eq!(case.caller.name, "alice");
            assert_eq!(case.caller.account, "111122223333");
            assert_eq!(case.policies.identity.len(), 1);
            assert_eq!(case.policies.identity[0].id, "user/alice inline All");
            assert!(case.policies.permissions_boundary.is_none());
            assert!(case.policies.session.is_empty());
            for r in &case.requests {
                let arns: Vec<&ContextEntry> = r
                    .context
                    .iter()
                    .filter(|e| e.key.eq_ignore_ascii_case("aws:PrincipalArn"))
                    .collect();
                assert_eq!(arns.len(), 1);
                assert_eq!(arns[0].values, std::slice::from_ref(&own.arn));
                assert!(!r
                    .context
                    .iter()
                    .any(|e| e.key.eq_ignore_ascii_case("aws:userid")
                        || e.key.to_ascii_lowercase().starts_with("aws:principaltag/")));
            }
        }
    }
}
