//! The rules AWS checks on single policy values (an action, a resource, a principal, a `Sid`, a
//! condition key) and the rules that differ between policy types.
//!
//! Each check returns the error kind and a message naming the value; the grammar in `parse.rs`
//! adds the position. Nothing here decides requests.
//!
//! Sources (IAM User Guide unless noted):
//! - "IAM JSON policy elements: Action": `service:action`, "Actions/Conditions must be prefaced by a
//!   vendor, e.g., iam, sdb, ec2, etc.", "Actions/Condition can contain only one colon.", "Action
//!   vendors (e.g., aws, ec2, etc.) must not contain wildcards" (IAM's MalformedPolicyDocument
//!   messages).
//! - "IAM JSON policy elements: Resource": a resource is `*` or an ARN
//!   `arn:partition:service:region:account-id:resource`; IAM answers "Resource ... must be in ARN
//!   format or \"*\"".
//! - "AWS JSON policy elements: Principal": `"*"` or a map of `AWS`, `Service`, `Federated`,
//!   `CanonicalUser`; an `AWS` principal is `*`, a 12-digit account ID, an ARN or the unique ID
//!   of a user (`AIDA...`) or role (`AROA...`) ("IAM identifiers", "Unique identifiers") —
//!   anything else is "Invalid principal in policy".
//! - "IAM JSON policy elements: Sid": "The Sid element supports ASCII uppercase letters (A-Z),
//!   lowercase letters (a-z), and numbers (0-9)"; IAM answers "Statement IDs (SID) must be
//!   alpha-numeric". Resource-based policies of other services accept more (KMS default key
//!   policies use spaces), so the rule is applied to the IAM and STS identity-side types only.
//! - AWS Organizations User Guide, "SCP syntax" and "RCP syntax": no `Principal`/`NotPrincipal`
//!   in SCPs; RCPs have `Principal` (always `"*"`), no `NotPrincipal`, no `NotAction`; both need
//!   `Version` `2012-10-17`.
//! - "AWS JSON policy elements: Principal": "You cannot identify a user group as a principal in a
//!   policy (such as a resource-based policy) because groups relate to permissions, not
//!   authentication"; S3 answers such a value with "Invalid principal in policy".
//! - "AWS JSON policy elements: NotPrincipal": "You cannot use the NotPrincipal element in an IAM
//!   identity-based policy"; IAM answers "Policy document should not specify a principal."

use crate::policy::{PolicyErrorKind, PolicyType};

/// A problem with one value: its kind and a message naming it.
pub type Problem = (PolicyErrorKind, String);

/// Whether a policy type has a `Principal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalRule {
    /// `Principal`/`NotPrincipal` must not appear (identity-side policies, SCPs).
    Forbidden,
    /// `Principal` or `NotPrincipal` is required (resource-based policies).
    Required,
    /// `Principal` is required and must be `"*"`; `NotPrincipal` is not supported (RCPs).
    RequiredWildcard,
}

/// The grammar rules that differ between policy types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeRules {
    /// Whether and how a statement names a principal.
    pub principal: PrincipalRule,
    /// Whether every statement needs `Resource` or `NotResource` (a role trust policy has none).
    pub resource_required: bool,
    /// Whether `Version` must be present and `2012-10-17`.
    pub version_2012_required: bool,
    /// Whether `NotAction` is supported.
    pub not_action_supported: bool,
    /// Whether a `Sid` is limited to ASCII letters and digits.
    pub alphanumeric_sid: bool,
    /// Whether the document may have an `Id` ("It must not be included in identity-based
    /// policies": IAM User Guide, policy grammar notes).
    pub id_supported: bool,
}

/// The rules for `policy_type`.
pub fn rules(policy_type: PolicyType) -> TypeRules {
    let identity_side = TypeRules {
        principal: PrincipalRule::Forbidden,
        resource_required: true,
        version_2012_required: false,
        not_action_supported: true,
        alphanumeric_sid: true,
        id_supported: false,
    };
    match policy_type {
        PolicyType::Identity | PolicyType::PermissionsBoundary => identity_side,
        PolicyType::Session => TypeRules {
            id_supported: true,
            ..identity_side
        },
        // An endpoint policy "must contain a Principal element" (AWS PrivateLink Guide,
        // "Control access to VPC endpoints using endpoint policies"); otherwise it is read like
        // any resource-based policy.
        PolicyType::Resource | PolicyType::VpcEndpoint => TypeRules {
            principal: PrincipalRule::Required,
            resource_required: false,
            alphanumeric_sid: false,
            id_supported: true,
            ..identity_side
        },
        PolicyType::Scp => TypeRules {
            version_2012_required: true,
            alphanumeric_sid: false,
            id_supported: true,
            ..identity_side
        },
        PolicyType::Rcp => TypeRules {
            principal: PrincipalRule::RequiredWildcard,
            version_2012_required: true,
            not_action_supported: false,
            alphanumeric_sid: false,
            id_supported: true,
            ..identity_side
        },
    }
}

/// Checks one `Action`/`NotAction` entry: `*` or `vendor:action`.
pub fn check_action(action: &str) -> Result<(), Problem> {
    if action == "*" {
        return Ok(());
    }
    let invalid = |why: &str| {
        Err((
            PolicyErrorKind::InvalidAction,
            format!("action `{action}` {why}"),
        ))
    };
    let Some((vendor, name)) = action.split_once(':') else {
        return invalid("has no service prefix: actions must be prefaced by a vendor, e.g. `iam:`, `s3:`, `ec2:` (or be `*`)");
    };
    if name.contains(':') {
        return invalid("contains more than one colon: an action is `service:name`");
    }
    if vendor.contains(['*', '?']) {
        return invalid(
            "has a wildcard in its service prefix: action vendors must not contain wildcards",
        );
    }
    if vendor.is_empty()
        || !vendor
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return invalid("has an invalid service prefix: a prefix is letters, digits and hyphens");
    }
    // One rule for an action with no name: nothing, or only white space, after the colon.
    if name.trim().is_empty() {
        return invalid("has no action name after the colon");
    }
    Ok(())
}

/// True when `text` has the shape of an ARN: `arn:` and at least six colon-separated parts.
pub fn looks_like_arn(text: &str) -> bool {
    text.starts_with("arn:") && text.bytes().filter(|&b| b == b':').count() >= 5
}

/// The `n`th (0-based) colon-separated field of `text`, as `text.split(':').nth(n)` gives it,
/// found with a byte scan (cheaper on these short strings; the parser calls it per resource).
fn colon_field(text: &str, n: usize) -> Option<&str> {
    let mut start = 0;
    let mut field = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b':' {
            if field == n {
                return text.get(start..i);
            }
            field += 1;
            start = i + 1;
        }
    }
    if field == n {
        text.get(start..)
    } else {
        None
    }
}

/// The AWS partitions an ARN can name (IAM User Guide, "IAM identifiers": ARNs; the
/// partitions of the AWS SDKs' endpoint data).
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Checks one `Resource`/`NotResource` entry: `*` or an ARN pattern whose partition is a known
/// partition or contains a wildcard or a policy variable. IAM checks the partition:
/// `Partition "1" is not valid for resource "arn:1:..."` (a MalformedPolicyDocument message).
pub fn check_resource(resource: &str) -> Result<(), Problem> {
    if resource == "*" {
        return Ok(());
    }
    if looks_like_arn(resource) {
        return check_partition(resource);
    }
    Err((
        PolicyErrorKind::InvalidResource,
        format!(
            "resource `{resource}` must be `*` or an ARN (`arn:partition:service:region:account:resource`)"
        ),
    ))
}

fn check_partition(resource: &str) -> Result<(), Problem> {
    let partition = colon_field(resource, 1).unwrap_or_default();
    let open = partition.contains(['*', '?', '$']);
    if open || PARTITIONS.contains(&partition) {
        return Ok(());
    }
    Err((
        PolicyErrorKind::InvalidResource,
        format!(
            "partition `{partition}` is not valid for resource `{resource}`: expected one of {}",
            PARTITIONS.join(", ")
        ),
    ))
}

/// Why a resource pattern can never match an ARN, if it cannot (no ARN has an empty service).
pub fn resource_never_matches(resource: &str) -> Option<String> {
    if !resource.starts_with("arn:") {
        return None;
    }
    let service = colon_field(resource, 2).unwrap_or_default();
    if service.is_empty() {
        return Some(format!(
            "resource `{resource}` has an empty service; no ARN matches it"
        ));
    }
    None
}

/// Checks a `Sid` for the characters AWS allows in `rules`' policy type.
pub fn check_sid(sid: &str, rules: &TypeRules) -> Result<(), Problem> {
    if !rules.alphanumeric_sid || sid.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(());
    }
    Err((
        PolicyErrorKind::InvalidSid,
        format!("Sid `{sid}` must be alphanumeric: only ASCII letters (A-Z, a-z) and digits (0-9)"),
    ))
}

/// Checks one value of `"AWS": ...` in a `Principal`: `*`, a 12-digit account ID or an ARN
/// without wildcards ("you can use * only to specify everyone/anonymous. You cannot use it to
/// specify part of a name or ARN": IAM User Guide, policy grammar notes, `principal_id_string`).
pub fn check_aws_principal(principal: &str) -> Result<(), Problem> {
    let is_account = principal.len() == 12 && principal.chars().all(|c| c.is_ascii_digit());
    if principal == "*" || is_account || is_principal_unique_id(principal) {
        return Ok(());
    }
    if principal.starts_with("AGPA") && is_unique_id_shape(principal) {
        return Err((
            PolicyErrorKind::InvalidPrincipal,
            format!(
                "invalid principal `{principal}`: `AGPA` is a user group's unique ID, and a user group cannot be a principal; name its users or roles instead"
            ),
        ));
    }
    if looks_like_arn(principal) && principal.contains('*') {
        return Err((
            PolicyErrorKind::InvalidPrincipal,
            format!(
                "invalid principal `{principal}`: `*` can only stand alone for everyone, not as part of an ARN"
            ),
        ));
    }
    if looks_like_arn(principal) && is_group_arn(principal) {
        return Err((
            PolicyErrorKind::InvalidPrincipal,
            format!(
                "invalid principal `{principal}`: a user group cannot be a principal (groups relate to permissions, not authentication); name its users or roles instead"
            ),
        ));
    }
    if looks_like_arn(principal) {
        return Ok(());
    }
    Err((
        PolicyErrorKind::InvalidPrincipal,
        format!(
            "invalid principal `{principal}`: an AWS principal is `*`, a 12-digit account ID, an ARN or a user's (AIDA...) or role's (AROA...) unique ID"
        ),
    ))
}

/// True for the unique ID of an IAM user (`AIDA...`) or role (`AROA...`), which a
/// resource-based policy may name in `"AWS"` instead of the ARN (IAM User Guide, "IAM
/// identifiers", "Unique identifiers": the example `"AIDACKCEVSQ6C2EXAMPLE"`,
/// `"AROADBQP57FF2AEXAMPLE"` and the prefix table).
pub fn is_principal_unique_id(value: &str) -> bool {
    (value.starts_with("AIDA") || value.starts_with("AROA")) && is_unique_id_shape(value)
}

/// An IAM unique ID's shape: a four-letter prefix and at least one more upper-case letter or
/// digit, nothing else (the page's examples are 21 characters; the length is not documented).
fn is_unique_id_shape(value: &str) -> bool {
    value.len() > 4
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// True for an IAM user group ARN (`arn:PARTITION:iam::ACCOUNT:group/...`), which "you cannot
/// identify ... as a principal in a policy" (IAM User Guide, "AWS JSON policy elements:
/// Principal").
fn is_group_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.get(2) == Some(&"iam") && parts.get(5).is_some_and(|r| r.starts_with("group/"))
}

/// Checks a condition key for its service prefix (`aws:`, `s3:`...).
pub fn check_condition_key(key: &str) -> Result<(), Problem> {
    match key.split_once(':') {
        Some((vendor, name)) if !vendor.is_empty() && !name.is_empty() => Ok(()),
        _ => Err((
            PolicyErrorKind::InvalidCondition,
            format!(
                "condition key `{key}` has no service prefix: conditions must be prefaced by a vendor, e.g. `aws:`, `s3:`"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colon_field_is_split_nth() {
        for text in [
            "",
            ":",
            "a",
            "arn:aws:s3:::b",
            "arn::",
            "a:b:c:d:e:f:g",
            "::x",
        ] {
            for n in 0..8 {
                assert_eq!(colon_field(text, n), text.split(':').nth(n), "{text} {n}");
            }
            assert_eq!(
                looks_like_arn(text),
                text.starts_with("arn:") && text.split(':').count() >= 6
            );
        }
    }

    fn kind(r: Result<(), Problem>) -> Option<PolicyErrorKind> {
        r.err().map(|(k, _)| k)
    }

    #[test]
    fn actions() {
        for ok in [
            "*",
            "s3:GetObject",
            "ec2:Describe*",
            "S3:*",
            "execute-api:Invoke",
            "s3:Get?bject",
        ] {
            assert_eq!(check_action(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("GetObject", "service prefix"),
            ("s3:Get:Object", "more than one colon"),
            ("*:Untag*", "wildcard"),
            ("s?:Get", "wildcard"),
            (":Get", "invalid service prefix"),
            ("s 3:Get", "invalid service prefix"),
            ("s3:", "no action name"),
            ("s3:   ", "no action name"),
            ("s3:\t", "no action name"),
        ] {
            let (k, message) = check_action(bad).unwrap_err();
            assert_eq!(k, PolicyErrorKind::InvalidAction);
            assert!(message.contains(why), "{bad}: {message}");
            assert!(message.contains(bad), "{message}");
        }
    }

    #[test]
    fn resources() {
        for ok in [
            "*",
            "arn:aws:s3:::bucket/*",
            "arn:aws:iam::111122223333:user/${aws:username}",
            "arn:*:*:*:*:*",
        ] {
            assert_eq!(check_resource(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "bucket",
            "arn:aws:s3",
            "arn:aws:s3::bucket",
            "*bucket",
            "ARN:aws:s3:::b",
        ] {
            assert_eq!(
                kind(check_resource(bad)),
                Some(PolicyErrorKind::InvalidResource),
                "{bad}"
            );
        }
        assert!(resource_never_matches("arn:aws::::x").is_some());
        assert!(resource_never_matches("arn:aws:s3:::x").is_none());
        assert!(resource_never_matches("*").is_none());
    }

    #[test]
    fn sids_are_alphanumeric_on_the_identity_side_only() {
        let identity = rules(PolicyType::Identity);
        assert_eq!(check_sid("Stmt1", &identity), Ok(()));
        assert_eq!(check_sid("", &identity), Ok(()));
        assert_eq!(
            kind(check_sid("Stmt 1", &identity)),
            Some(PolicyErrorKind::InvalidSid)
        );
        assert_eq!(
            kind(check_sid("Stmt-1", &identity)),
            Some(PolicyErrorKind::InvalidSid)
        );
        assert_eq!(
            kind(check_sid("Stmté", &identity)),
            Some(PolicyErrorKind::InvalidSid)
        );
        assert_eq!(
            check_sid("Enable IAM User Permissions", &rules(PolicyType::Resource)),
            Ok(())
        );
    }

    #[test]
    fn aws_principals() {
        for ok in [
            "*",
            "111122223333",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:role/r",
            "AIDACKCEVSQ6C2EXAMPLE",
            "AROADBQP57FF2AEXAMPLE",
        ] {
            assert_eq!(check_aws_principal(ok), Ok(()), "{ok}");
        }
        for bad in [
            "arn:aws:iam::111122223333:group/Developers",
            "arn:aws:iam::111122223333:group/division/Developers",
            "alice",
            "11112222333",
            "1111222233334",
            "arn:aws:iam",
            "arn:aws:iam::111122223333:role/*",
            "AGPAJQABLZS4A3QDU576Q",
            "AIDA",
            "AIDAcKCEVSQ6C2EXAMPLE",
            "AKIAIOSFODNN7EXAMPLE",
        ] {
            assert_eq!(
                kind(check_aws_principal(bad)),
                Some(PolicyErrorKind::InvalidPrincipal),
                "{bad}"
            );
        }
    }

    #[test]
    fn condition_keys_need_a_vendor() {
        assert_eq!(check_condition_key("aws:SourceIp"), Ok(()));
        assert_eq!(check_condition_key("aws:ResourceTag/a:b"), Ok(()));
        for bad in ["SourceIp", ":x", "aws:"] {
            assert_eq!(
                kind(check_condition_key(bad)),
                Some(PolicyErrorKind::InvalidCondition)
            );
        }
    }

    #[test]
    fn rules_per_type() {
        assert_eq!(
            rules(PolicyType::Identity).principal,
            PrincipalRule::Forbidden
        );
        assert_eq!(rules(PolicyType::Scp).principal, PrincipalRule::Forbidden);
        assert_eq!(
            rules(PolicyType::Resource).principal,
            PrincipalRule::Required
        );
        assert!(!rules(PolicyType::Resource).resource_required);
        assert_eq!(
            rules(PolicyType::Rcp).principal,
            PrincipalRule::RequiredWildcard
        );
        assert!(!rules(PolicyType::Rcp).not_action_supported);
        assert!(rules(PolicyType::Scp).version_2012_required);
        assert!(!rules(PolicyType::Session).version_2012_required);
        assert!(!rules(PolicyType::Identity).id_supported);
        assert!(!rules(PolicyType::PermissionsBoundary).id_supported);
        assert!(rules(PolicyType::Resource).id_supported);
    }
}
