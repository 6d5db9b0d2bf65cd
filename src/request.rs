//! An authorization request: who asks, for which action, on which resources, with which context.
//!
//! A request names one action and one or more resources (RunInstances touches an image, an
//! instance, a subnet...); each resource may carry context keys of its own. The principal is
//! described richly enough for resource-based policies and cross-account decisions.

use crate::context::RequestContext;

pub use iamspec_format::PrincipalType;

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The caller's ARN (or service name for a service principal; empty for anonymous).
    pub arn: String,
    /// The caller's account ID, when known (taken from the ARN when not given).
    pub account: Option<String>,
    /// What kind of principal this is.
    pub principal_type: PrincipalType,
    /// For a role session: the ARN of the role behind it, with its path. When absent it is
    /// derived from the session ARN (without a path).
    pub role: Option<String>,
    /// True when the principal belongs to the organization's management account, which service
    /// control policies do not affect.
    pub in_management_account: bool,
    /// For a federated-user session (`GetFederationToken`): the ARN of the IAM user (or the
    /// account's root user) who federated. A resource-based policy naming it grants within the
    /// boundary and session policies (IAM User Guide, "Policy evaluation logic").
    pub user: Option<String>,
    /// The unique ID of the IAM user or role the caller is or acts as (`AIDA...` for a user or
    /// the user behind a federated-user session, `AROA...` for a role or the role behind a
    /// session), which a `Principal` may name instead of the ARN (IAM User Guide, "IAM
    /// identifiers", "Unique identifiers").
    pub unique_id: Option<String>,
    /// The canonical user ID of the caller's account, which an Amazon S3 `CanonicalUser`
    /// principal names (IAM User Guide, "AWS JSON policy elements: Principal", "AWS account
    /// principals").
    pub canonical_user: Option<String>,
}

impl Principal {
    /// A principal from its ARN; the type and account are read from the ARN where possible.
    pub fn from_arn(arn: &str) -> Self {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let account = parts
            .get(4)
            .filter(|a| !a.is_empty())
            .map(|a| a.to_string());
        let resource = parts.get(5).copied().unwrap_or("");
        let principal_type = if arn.is_empty() {
            PrincipalType::Anonymous
        } else if !arn.starts_with("arn:") {
            PrincipalType::Service
        } else if resource.starts_with("saml-provider/") {
            PrincipalType::Saml
        } else if resource.starts_with("oidc-provider/") {
            PrincipalType::WebIdentity
        } else if resource == "root" {
            PrincipalType::Root
        } else if resource.starts_with("assumed-role/") {
            PrincipalType::AssumedRole
        } else if resource.starts_with("federated-user/") {
            PrincipalType::FederatedUser
        } else if resource.starts_with("role/") {
            PrincipalType::Role
        } else {
            PrincipalType::User
        };
        Self {
            arn: arn.to_string(),
            account,
            principal_type,
            role: None,
            in_management_account: false,
            user: None,
            unique_id: None,
            canonical_user: None,
        }
    }

    /// The ARN of the role this principal is or acts as: the role itself, or the role behind a
    /// role session (the explicit [`Principal::role`], else `arn:PARTITION:iam::ACCOUNT:role/NAME`
    /// read from the session ARN).
    pub fn role_arn(&self) -> Option<String> {
        match self.principal_type {
            PrincipalType::Role => Some(self.arn.clone()),
            PrincipalType::AssumedRole => self.role.clone().or_else(|| {
                let parts: Vec<&str> = self.arn.splitn(6, ':').collect();
                let partition = parts.get(1)?;
                let account = parts.get(4)?;
                let role_name = parts
                    .get(5)?
                    .strip_prefix("assumed-role/")?
                    .split('/')
                    .next()?;
                Some(format!("arn:{partition}:iam::{account}:role/{role_name}"))
            }),
            _ => None,
        }
    }

    /// True when `value` is [`Self::role_arn`], compared without building the role ARN (this
    /// runs for every `AWS` principal entry of every statement decided).
    pub fn role_arn_is(&self, value: &str) -> bool {
        match (self.principal_type, self.role.as_deref()) {
            (PrincipalType::Role, _) => value == self.arn,
            (PrincipalType::AssumedRole, Some(role)) => value == role,
            (PrincipalType::AssumedRole, None) => {
                let Some([_, partition, _, _, account, resource]) =
                    crate::matching::arn::split_value(&self.arn)
                else {
                    return false;
                };
                let Some(role_name) = resource
                    .strip_prefix("assumed-role/")
                    .and_then(|r| r.split('/').next())
                else {
                    return false;
                };
                value
                    .strip_prefix("arn:")
                    .and_then(|v| v.strip_prefix(partition))
                    .and_then(|v| v.strip_prefix(":iam::"))
                    .and_then(|v| v.strip_prefix(account))
                    .and_then(|v| v.strip_prefix(":role/"))
                    == Some(role_name)
            }
            _ => false,
        }
    }

    /// True for a service-linked role or its sessions (role path `/aws-service-role/`), which
    /// service control policies do not affect.
    pub fn is_service_linked_role(&self) -> bool {
        // Without allocating in the usual case (this runs for every decision). A role ARN
        // derived from a session ARN ([`Self::role_arn`]) is built from the session ARN's
        // partition, account and a role name without `/`, so it can hold the path only when the
        // session ARN holds `role/aws-service-role/`: only then is it built.
        const PATH: &str = ":role/aws-service-role/";
        const WITHOUT_COLON: &str = "role/aws-service-role/";
        match (self.principal_type, self.role.as_deref()) {
            (PrincipalType::Role, _) => self.arn.contains(PATH),
            (PrincipalType::AssumedRole, Some(role)) => role.contains(PATH),
            (PrincipalType::AssumedRole, None) => {
                self.arn.contains(WITHOUT_COLON)
                    && self.role_arn().is_some_and(|r| r.contains(PATH))
            }
            _ => false,
        }
    }
}

/// One resource a request touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestResource {
    /// The resource's ARN, or `*` for actions that do not support resource-level permissions.
    pub arn: String,
    /// The account that owns the resource, if known (the simulator's `ResourceOwner`).
    pub owner: Option<String>,
    /// Context keys that belong to this resource only (its tags, its type...).
    pub context: RequestContext,
}

impl RequestResource {
    /// A resource with no owner and no context of its own.
    pub fn new(arn: &str) -> Self {
        Self {
            arn: arn.to_string(),
            owner: None,
            context: RequestContext::new(),
        }
    }
}

/// An authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Who asks.
    pub principal: Principal,
    /// The action, e.g. `ec2:RunInstances` (matched case-insensitively).
    pub action: String,
    /// The resources the action touches; at least one. The request is allowed only if each is.
    pub resources: Vec<RequestResource>,
    /// Context keys of the whole request.
    pub context: RequestContext,
}

impl Request {
    /// A request on one resource with no context.
    pub fn new(principal_arn: &str, action: &str, resource_arn: &str) -> Self {
        Self {
            principal: Principal::from_arn(principal_arn),
            action: action.to_string(),
            resources: vec![RequestResource::new(resource_arn)],
            context: RequestContext::new(),
        }
    }

    /// Replaces the request context.
    pub fn with_context(mut self, context: RequestContext) -> Self {
        self.context = context;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_type_names_round_trip_and_match_serde() {
        for &t in PrincipalType::ALL {
            assert_eq!(PrincipalType::from_name(t.name()), Some(t));
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::Value::String(t.name().into())
            );
        }
        assert_eq!(PrincipalType::from_name("User"), None);
    }

    #[test]
    fn role_arn_is_agrees_with_role_arn() {
        let mut explicit = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Dev/alice");
        explicit.role = Some("arn:aws:iam::111122223333:role/team/Dev".to_string());
        let principals = [
            Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Dev/alice"),
            Principal::from_arn("arn:aws-cn:sts::111122223333:assumed-role/Dev/alice"),
            Principal::from_arn("arn:aws:iam::111122223333:role/Dev"),
            Principal::from_arn("arn:aws:iam::111122223333:user/Dev"),
            Principal::from_arn("arn:aws:sts::111122223333:assumed-role"),
            explicit,
        ];
        let values = [
            "arn:aws:iam::111122223333:role/Dev",
            "arn:aws-cn:iam::111122223333:role/Dev",
            "arn:aws:iam::111122223333:role/team/Dev",
            "arn:aws:iam::111122223333:role/Devs",
            "arn:aws:iam::444455556666:role/Dev",
            "arn:aws:iam::111122223333:user/Dev",
            "",
        ];
        for principal in &principals {
            for value in values {
                assert_eq!(
                    principal.role_arn_is(value),
                    principal.role_arn().as_deref() == Some(value),
                    "{} {value}",
                    principal.arn
                );
            }
        }
        let linked = Principal::from_arn("arn:aws:iam::111122223333:role/aws-service-role/x/R");
        assert!(linked.is_service_linked_role());
        let odd = Principal::from_arn("arn:aws:sts::role/aws-service-role/x:assumed-role/R/s");
        assert_eq!(
            odd.is_service_linked_role(),
            odd.role_arn()
                .is_some_and(|r| r.contains(":role/aws-service-role/"))
        );
        assert!(odd.is_service_linked_role());
    }

    #[test]
    fn principal_type_and_account_come_from_the_arn() {
        let p = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Dev/alice");
        assert_eq!(p.principal_type, PrincipalType::AssumedRole);
        assert_eq!(p.account.as_deref(), Some("111122223333"));
        assert_eq!(
            Principal::from_arn("arn:aws:iam::111122223333:root").principal_type,
            PrincipalType::Root
        );
        assert_eq!(
            Principal::from_arn("arn:aws:iam::111122223333:role/R").principal_type,
            PrincipalType::Role
        );
        assert_eq!(
            Principal::from_arn("arn:aws:iam::111122223333:user/u").principal_type,
            PrincipalType::User
        );
        assert_eq!(
            Principal::from_arn("ec2.amazonaws.com").principal_type,
            PrincipalType::Service
        );
        assert_eq!(
            Principal::from_arn("").principal_type,
            PrincipalType::Anonymous
        );
        assert_eq!(
            Principal::from_arn("arn:aws:iam::111122223333:saml-provider/Okta").principal_type,
            PrincipalType::Saml
        );
        assert_eq!(
            Principal::from_arn("arn:aws:iam::111122223333:oidc-provider/example.com")
                .principal_type,
            PrincipalType::WebIdentity
        );
    }
}
