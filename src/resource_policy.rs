//! The kind of a resource-based policy (bucket policy, role trust policy, KMS key policy, ...)
//! and the rules that differ between kinds.
//!
//! Two kinds change the decision (IAM User Guide, "Policy evaluation for requests within a single
//! account": "For most resources, you only need an explicit allow for the principal in either an
//! identity-based policy or a resource-based policy to grant access. IAM role trust policies and
//! KMS key policies are exceptions to this logic, because they must explicitly allow access for
//! principals"):
//! - a **role trust policy** decides the `sts:` actions on its role (`AssumeRole`, `TagSession`,
//!   ...): even within one account the trust policy must allow the caller, either naming it (then
//!   no identity-based policy is needed: STS API reference, `AssumeRole`, "add the user as a
//!   principal directly in the role's trust policy") or naming its account (then an
//!   identity-based policy must allow too);
//! - a **KMS key policy** decides the `kms:` actions on its key: "Unless the key policy explicitly
//!   allows it, you cannot use IAM policies to allow access to a KMS key"; a key policy naming the
//!   account (`arn:aws:iam::ACCOUNT:root`) is what lets IAM policies grant access, and no
//!   principal, the account root user included, has any permission the key policy does not give
//!   (AWS KMS Developer Guide, "Key policies in AWS KMS").
//!
//! One kind changes validation: "You cannot use the NotPrincipal element in ... an IAM role trust
//! policy" (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
//!
//! When a case does not say the kind, it is read from the resource's ARN ([`ResourcePolicyKind::infer`]).

use crate::policy::{Policy, PolicyError, PolicyErrorKind, PrincipalBlock};

/// What a resource-based policy is attached to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ResourcePolicyKind {
    /// An Amazon S3 bucket policy (`arn:aws:s3:::...`).
    Bucket,
    /// An IAM role trust policy (`arn:aws:iam::ACCOUNT:role/...`).
    RoleTrust,
    /// An AWS KMS key policy (`arn:aws:kms:REGION:ACCOUNT:key/...`).
    KmsKey,
    /// An Amazon SQS queue policy (`arn:aws:sqs:...`).
    Queue,
    /// An Amazon SNS topic policy (`arn:aws:sns:...`).
    Topic,
    /// An AWS Secrets Manager secret's resource policy (`arn:aws:secretsmanager:...`).
    Secret,
    /// Any other resource-based policy: the common rules apply.
    #[default]
    Other,
}

impl ResourcePolicyKind {
    /// Every kind, in the order of the case format's list.
    pub const ALL: &'static [ResourcePolicyKind] = &[
        Self::Bucket,
        Self::RoleTrust,
        Self::KmsKey,
        Self::Queue,
        Self::Topic,
        Self::Secret,
        Self::Other,
    ];

    /// The case format's name: `bucket`, `role-trust`, `kms-key`, `queue`, `topic`, `secret`,
    /// `other`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Bucket => "bucket",
            Self::RoleTrust => "role-trust",
            Self::KmsKey => "kms-key",
            Self::Queue => "queue",
            Self::Topic => "topic",
            Self::Secret => "secret",
            Self::Other => "other",
        }
    }

    /// Looks a kind up by its case-format name (exact spelling).
    pub fn from_name(name: &str) -> Option<ResourcePolicyKind> {
        Self::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// The kind of the resource-based policy of the resource `arn`: a role ARN has a trust
    /// policy, a KMS key ARN a key policy, an S3 ARN a bucket policy, an SQS, SNS or Secrets
    /// Manager ARN a queue, topic or secret policy; anything else (including `*`) is `other`.
    pub fn infer(arn: &str) -> ResourcePolicyKind {
        // Split without collecting (this runs for every decision).
        let Some(["arn", _, service, _, _, resource]) = crate::matching::arn::split_value(arn)
        else {
            return Self::Other;
        };
        match service {
            "s3" => Self::Bucket,
            "iam" if resource.starts_with("role/") => Self::RoleTrust,
            "kms" if resource.starts_with("key/") => Self::KmsKey,
            "sqs" => Self::Queue,
            "sns" => Self::Topic,
            "secretsmanager" => Self::Secret,
            _ => Self::Other,
        }
    }

    /// True when, for `action`, this kind of policy must itself allow the caller even within
    /// one account: a role trust policy for the `sts:` actions on its role, a KMS key policy for
    /// the `kms:` actions on its key. (Other actions on a role or key, such as `iam:PassRole`,
    /// are not decided by the trust or key policy's exception.)
    pub fn requires_explicit_allow(self, action: &str) -> bool {
        let service = crate::service_data::service_prefix(action);
        match self {
            Self::RoleTrust => service.eq_ignore_ascii_case("sts"),
            Self::KmsKey => service.eq_ignore_ascii_case("kms"),
            _ => false,
        }
    }

    /// False when no kind requires an explicit allow for `action` ([`Self::requires_explicit_allow`]
    /// is then false whatever the kind): a cheap test that spares reading the kind from the ARN.
    pub fn any_requires_explicit_allow(action: &str) -> bool {
        let service = crate::service_data::service_prefix(action);
        service.eq_ignore_ascii_case("sts") || service.eq_ignore_ascii_case("kms")
    }

    /// Checks the rules of this kind that the common resource-based policy grammar does not:
    /// no `NotPrincipal` in a role trust policy (the error points at the statement).
    pub fn check(self, policy: &Policy) -> Result<(), PolicyError> {
        if self != Self::RoleTrust {
            return Ok(());
        }
        match policy
            .statements
            .iter()
            .find(|s| matches!(s.principal, Some(PrincipalBlock::NotPrincipal(_))))
        {
            Some(statement) => Err(PolicyError::new(
                PolicyErrorKind::UnsupportedPrincipal,
                statement.span.start,
                format!(
                    "statement {} uses `NotPrincipal`, which a role trust policy cannot have: name the principals that may assume the role in `Principal`",
                    statement.index
                ),
            )),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{parse_policy, PolicyType};

    #[test]
    fn names_round_trip_and_match_serde() {
        for &k in ResourcePolicyKind::ALL {
            assert_eq!(ResourcePolicyKind::from_name(k.name()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String(k.name().into())
            );
        }
        assert_eq!(ResourcePolicyKind::from_name("RoleTrust"), None);
    }

    #[test]
    fn the_kind_is_read_from_the_arn() {
        use ResourcePolicyKind::*;
        for (arn, kind) in [
            ("arn:aws:s3:::amzn-s3-demo-bucket/x", Bucket),
            ("arn:aws:iam::111122223333:role/path/Admin", RoleTrust),
            ("arn:aws:iam::111122223333:user/alice", Other),
            (
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                KmsKey,
            ),
            ("arn:aws:kms:us-east-1:111122223333:alias/x", Other),
            ("arn:aws:sqs:us-east-1:111122223333:queue1", Queue),
            ("arn:aws:sns:us-east-1:111122223333:topic1", Topic),
            (
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf",
                Secret,
            ),
            ("*", Other),
            ("arn:aws:ec2:us-east-1:111122223333:instance/i-1", Other),
        ] {
            assert_eq!(ResourcePolicyKind::infer(arn), kind, "{arn}");
        }
    }

    #[test]
    fn only_trust_and_key_policies_need_an_explicit_allow_for_their_own_actions() {
        use ResourcePolicyKind::*;
        assert!(RoleTrust.requires_explicit_allow("sts:AssumeRole"));
        assert!(RoleTrust.requires_explicit_allow("STS:TagSession"));
        assert!(!RoleTrust.requires_explicit_allow("iam:PassRole"));
        assert!(KmsKey.requires_explicit_allow("kms:Decrypt"));
        assert!(!KmsKey.requires_explicit_allow("s3:GetObject"));
        assert!(!Bucket.requires_explicit_allow("s3:GetObject"));
    }

    #[test]
    fn a_trust_policy_cannot_have_not_principal() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}"#;
        let policy = parse_policy(text, PolicyType::Resource).expect("valid resource policy");
        let error = ResourcePolicyKind::RoleTrust
            .check(&policy)
            .expect_err("rejected");
        assert_eq!(error.kind, PolicyErrorKind::UnsupportedPrincipal);
        assert_eq!(ResourcePolicyKind::Bucket.check(&policy), Ok(()));
    }
}
