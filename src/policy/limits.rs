//! Limits AWS puts on policy text before it reads it as JSON: the size of the document for each
//! policy type, and the characters a document may contain.
//!
//! Sources:
//! - IAM User Guide, "IAM and AWS STS quotas"
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>): managed
//!   policies 6,144 characters, "IAM does not count white space when calculating the size of a
//!   policy"; policy documents "can contain only the following Unicode characters: horizontal tab
//!   (U+0009), linefeed (U+000A), carriage return (U+000D), and characters in the range U+0020 to
//!   U+00FF".
//! - STS API reference, `AssumeRole` `Policy` parameter: "The plaintext that you use for both
//!   inline and managed session policies can't exceed 2,048 characters" and the same character set.
//!   (The packed-size limit, which also counts session tags, cannot be computed from the text.)
//! - AWS Organizations User Guide, "Quotas and service limits" and "SCP syntax"/"RCP syntax":
//!   SCPs and RCPs 5,120 characters, and "All characters in your SCP count against its maximum
//!   size".
//! - AWS PrivateLink Guide, "Control access to VPC endpoints using endpoint policies": "The size
//!   of an endpoint policy cannot exceed 20,480 characters, including white space".
//!
//! - IAM API model (`botocore/data/iam/2010-05-08/service-2.json`, `policyDocumentType`): a
//!   policy document passed to IAM is at most 131,072 characters, white space included
//!   ([`API_MAX_DOCUMENT_CHARACTERS`]).
//!
//! Decisions: an identity-based policy and a permissions boundary are held to the managed-policy
//! limit; inline limits are per entity, summed over its inline policies, so one document cannot
//! be judged alone: [`check_inline_total`] judges an entity's inline policies together (user
//! 2,048, group 5,120, role 10,240, white space not counted). A resource-based policy has no limit here: each service sets its own
//! (role trust policy 2,048 by default, S3 bucket policy 20 KB, KMS key policy 32 KB). "White
//! space not counted" is read as JSON white space outside string literals, which IAM can drop
//! without changing the document. The character set is checked for the IAM and STS policy types
//! (identity, resource, boundary, session: the simulator's `PolicyInputList` and
//! `ResourcePolicy` parameters carry the same pattern), not for SCPs and RCPs, whose
//! Organizations `Content` parameter does not restrict characters, nor for VPC endpoint policies
//! (set through the EC2 API, whose `PolicyDocument` parameter states no character set).

use crate::policy::{PolicyError, PolicyErrorKind, PolicyType, Position};

/// The largest identity-based policy accepted, in characters without white space (the
/// managed-policy limit).
pub const MAX_POLICY_SIZE: usize = 6144;

/// The longest policy document the IAM API takes, white space included: `policyDocumentType`
/// (`max` 131,072) in the IAM API model, the type of `SimulateCustomPolicy`'s `PolicyInputList`
/// and `ResourcePolicy` and of `CreatePolicy`'s `PolicyDocument` ("The maximum length of the
/// policy document that you can pass in this operation, including whitespace"). Checked for
/// identity-based, boundary and resource-based documents before the white-space-free quota, so
/// a document that is mostly white space is still rejected (issue 13).
pub const API_MAX_DOCUMENT_CHARACTERS: usize = 131_072;

/// The size limit of one policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeLimit {
    /// The most characters allowed.
    pub max_characters: usize,
    /// Whether white space outside strings counts against the limit.
    pub counts_white_space: bool,
}

/// The size limit AWS applies to a document of `policy_type`, if there is one fixed limit.
pub fn size_limit(policy_type: PolicyType) -> Option<SizeLimit> {
    match policy_type {
        PolicyType::Identity | PolicyType::PermissionsBoundary => Some(SizeLimit {
            max_characters: MAX_POLICY_SIZE,
            counts_white_space: false,
        }),
        PolicyType::Session => Some(SizeLimit {
            max_characters: 2048,
            counts_white_space: true,
        }),
        PolicyType::Scp | PolicyType::Rcp => Some(SizeLimit {
            max_characters: 5120,
            counts_white_space: true,
        }),
        // "The size of an endpoint policy cannot exceed 20,480 characters, including white
        // space" (AWS PrivateLink Guide, "Control access to VPC endpoints using endpoint
        // policies").
        PolicyType::VpcEndpoint => Some(SizeLimit {
            max_characters: 20480,
            counts_white_space: true,
        }),
        PolicyType::Resource => None,
    }
}

/// The number of characters of `text` that count against a limit: every character, or every
/// character except JSON white space outside string literals.
pub fn policy_size(text: &str, counts_white_space: bool) -> usize {
    if counts_white_space {
        return text.chars().count();
    }
    let mut in_string = false;
    let mut escaped = false;
    let mut size = 0;
    for c in text.chars() {
        if in_string {
            size += 1;
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            size += 1;
            in_string = c == '"';
        }
    }
    size
}

/// Rejects a document larger than its policy type allows.
pub fn check_size(text: &str, policy_type: PolicyType) -> Result<(), PolicyError> {
    if matches!(
        policy_type,
        PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::Resource
    ) {
        // A text of no more bytes than the cap has no more characters either; counting stops
        // just past the cap, so a 10 MB document costs no more than a small one.
        if text.len() > API_MAX_DOCUMENT_CHARACTERS
            && text.chars().take(API_MAX_DOCUMENT_CHARACTERS + 1).count()
                > API_MAX_DOCUMENT_CHARACTERS
        {
            return Err(PolicyError::new(
                PolicyErrorKind::PolicyTooLarge,
                Position { line: 1, column: 1 },
                format!(
                    "the policy text is more than {API_MAX_DOCUMENT_CHARACTERS} characters \
                     (white space included); the IAM API takes no longer policy document"
                ),
            ));
        }
    }
    let Some(limit) = size_limit(policy_type) else {
        return Ok(());
    };
    // The size counted is at most the number of characters, which is at most the number of
    // bytes: a short text needs no counting.
    if text.len() <= limit.max_characters {
        return Ok(());
    }
    let size = policy_size(text, limit.counts_white_space);
    if size <= limit.max_characters {
        return Ok(());
    }
    let counted = if limit.counts_white_space {
        ""
    } else {
        " (white space outside strings not counted)"
    };
    Err(PolicyError::new(
        PolicyErrorKind::PolicyTooLarge,
        Position { line: 1, column: 1 },
        format!(
            "the policy is {size} characters{counted}; {} may have at most {}",
            type_name_with_article(policy_type),
            limit.max_characters
        ),
    ))
}

/// The IAM entity an inline identity-based policy is embedded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InlineEntity {
    /// An IAM user: its inline policies total at most 2,048 characters.
    User,
    /// An IAM group: its inline policies total at most 5,120 characters.
    Group,
    /// An IAM role: its inline policies total at most 10,240 characters.
    Role,
}

impl InlineEntity {
    /// The most characters (white space not counted) of all inline policies of one entity
    /// together (IAM User Guide, "IAM and AWS STS quotas": "the total aggregate policy size (the
    /// sum size of all inline policies) per entity cannot exceed ... User policy size cannot
    /// exceed 2,048 characters. Role policy size cannot exceed 10,240 characters. Group policy
    /// size cannot exceed 5,120 characters. IAM does not count white space").
    pub fn max_characters(self) -> usize {
        match self {
            InlineEntity::User => 2048,
            InlineEntity::Group => 5120,
            InlineEntity::Role => 10240,
        }
    }

    /// How the entity is named in messages.
    pub fn name(self) -> &'static str {
        match self {
            InlineEntity::User => "user",
            InlineEntity::Group => "group",
            InlineEntity::Role => "role",
        }
    }
}

/// Checks the inline policies of one entity against its aggregate quota, in the order they are
/// embedded: the error names the first policy (its index in `texts`) that takes the total over
/// the quota, as AWS refuses the `Put*Policy` call that would.
pub fn check_inline_total(
    texts: &[&str],
    entity: InlineEntity,
) -> Result<(), (usize, PolicyError)> {
    let max = entity.max_characters();
    let mut total = 0usize;
    for (i, text) in texts.iter().enumerate() {
        total = total.saturating_add(policy_size(text, false));
        if total > max {
            let earlier = if i == 0 {
                String::new()
            } else {
                format!(" with the {i} inline policies before it")
            };
            return Err((
                i,
                PolicyError::new(
                    PolicyErrorKind::PolicyTooLarge,
                    Position { line: 1, column: 1 },
                    format!(
                        "the inline policies of this {} total {total} characters (white space outside strings not counted){earlier}; the inline policies of one {} may total at most {max}",
                        entity.name(),
                        entity.name()
                    ),
                ),
            ));
        }
    }
    Ok(())
}

/// True for the characters IAM and STS accept in policy text.
pub fn is_allowed_character(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

/// Rejects the first character IAM and STS do not accept in a policy document, for the policy
/// types they validate.
pub fn check_characters(text: &str, policy_type: PolicyType) -> Result<(), PolicyError> {
    if matches!(
        policy_type,
        PolicyType::Scp | PolicyType::Rcp | PolicyType::VpcEndpoint
    ) {
        return Ok(());
    }
    // The usual document is ASCII without control characters other than tab, line feed and
    // carriage return: one pass over the bytes says so, and positions are only counted when
    // some character may be refused.
    // (Chunks without an early exit inside let the compiler test many bytes at once.)
    let plain = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7f);
    if text
        .as_bytes()
        .chunks(64)
        .all(|chunk| chunk.iter().fold(true, |ok, &b| ok & plain(b)))
    {
        return Ok(());
    }
    let mut position = Position { line: 1, column: 1 };
    for c in text.chars() {
        if !is_allowed_character(c) {
            return Err(PolicyError::new(
                PolicyErrorKind::InvalidCharacter,
                position,
                format!(
                    "character U+{:04X} is not allowed in a policy document (only tab, line feed, carriage return and U+0020 to U+00FF; write others as \\u escapes)",
                    u32::from(c)
                ),
            ));
        }
        if c == '\n' {
            position.line = position.line.saturating_add(1);
            position.column = 1;
        } else {
            position.column = position.column.saturating_add(1);
        }
    }
    Ok(())
}

/// How a policy type is named in messages.
pub fn type_name(policy_type: PolicyType) -> &'static str {
    match policy_type {
        PolicyType::Identity => "identity-based policy",
        PolicyType::Resource => "resource-based policy",
        PolicyType::PermissionsBoundary => "permissions boundary",
        PolicyType::Session => "session policy",
        PolicyType::Scp => "service control policy",
        PolicyType::Rcp => "resource control policy",
        PolicyType::VpcEndpoint => "VPC endpoint policy",
    }
}

/// How a policy type is named in messages, with its indefinite article ("an identity-based
/// policy", "a permissions boundary").
pub fn type_name_with_article(policy_type: PolicyType) -> &'static str {
    match policy_type {
        PolicyType::Identity => "an identity-based policy",
        PolicyType::Resource => "a resource-based policy",
        PolicyType::PermissionsBoundary => "a permissions boundary",
        PolicyType::Session => "a session policy",
        PolicyType::Scp => "a service control policy",
        PolicyType::Rcp => "a resource control policy",
        PolicyType::VpcEndpoint => "a VPC endpoint policy",
    }
}

/// Reads policy file bytes as text: invalid UTF-8 is an `invalid-character` error at the line
/// and column of the first byte that is not UTF-8 (a policy document is UTF-8 text of tab,
/// line feed, carriage return and U+0020 to U+00FF). A leading byte-order mark is reported the
/// same way, by name, since U+FEFF is not an allowed character either.
pub fn decode_policy_text(bytes: &[u8]) -> Result<&str, PolicyError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(PolicyError::new(
            PolicyErrorKind::InvalidCharacter,
            Position { line: 1, column: 1 },
            "the file starts with a byte-order mark (U+FEFF), which a policy document may not \
             contain: save it as UTF-8 without BOM"
                .to_string(),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let before = std::str::from_utf8(valid).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
        PolicyError::new(
            PolicyErrorKind::InvalidCharacter,
            Position {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
            format!("byte 0x{byte:02X} is not UTF-8: a policy document is UTF-8 text"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undecodable_bytes_get_a_position_and_kind() {
        let e = decode_policy_text(b"{\n  \"Sid\": \"caf\xE9\"}").unwrap_err();
        assert_eq!(e.kind, PolicyErrorKind::InvalidCharacter);
        assert_eq!(
            e.position,
            Position {
                line: 2,
                column: 14
            }
        );
        assert!(e.message.contains("0xE9"), "{}", e.message);
        let bom = decode_policy_text(b"\xEF\xBB\xBF{}").unwrap_err();
        assert_eq!(bom.position, Position { line: 1, column: 1 });
        assert!(bom.message.contains("byte-order mark"));
        assert_eq!(decode_policy_text(b"{}").unwrap(), "{}");
    }

    #[test]
    fn messages_use_the_right_article() {
        let over = format!("{{\"Id\":\"{}\"}}", "x".repeat(MAX_POLICY_SIZE));
        let e = check_size(&over, PolicyType::Identity).unwrap_err();
        assert!(
            e.message.contains("; an identity-based policy may"),
            "{}",
            e.message
        );
        let e = check_size(&over, PolicyType::PermissionsBoundary).unwrap_err();
        assert!(
            e.message.contains("; a permissions boundary may"),
            "{}",
            e.message
        );
    }

    #[test]
    fn white_space_outside_strings_is_not_counted_for_identity_policies() {
        assert_eq!(policy_size("{ \"a b\" :\n\t\"c\\\" d\" }", false), 15);
        assert_eq!(policy_size("{ \"a b\" }", true), 9);
    }

    #[test]
    fn identity_limit_is_6144_without_white_space() {
        let filler = |n: usize| format!("{{\"Id\":\"{}\"}}", "x".repeat(n - 9));
        let at_limit = filler(MAX_POLICY_SIZE);
        assert_eq!(policy_size(&at_limit, false), MAX_POLICY_SIZE);
        assert!(check_size(&at_limit, PolicyType::Identity).is_ok());
        let padded = at_limit.replace("{", "{    \n   ");
        assert!(check_size(&padded, PolicyType::Identity).is_ok());
        let over = filler(MAX_POLICY_SIZE + 1);
        let e = check_size(&over, PolicyType::Identity).unwrap_err();
        assert_eq!(e.kind, PolicyErrorKind::PolicyTooLarge);
        assert_eq!(e.position, Position { line: 1, column: 1 });
        assert!(e.message.contains("6145"), "{}", e.message);
        assert!(check_size(&over, PolicyType::PermissionsBoundary).is_err());
        assert!(check_size(&over, PolicyType::Resource).is_ok());
    }

    #[test]
    fn the_api_caps_documents_at_131072_characters_white_space_included() {
        let stmt = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let padded = |total: usize| {
            format!(
                "{}{}}}",
                &stmt[..stmt.len() - 1],
                " ".repeat(total - stmt.len())
            )
        };
        let at_cap = padded(API_MAX_DOCUMENT_CHARACTERS);
        assert!(check_size(&at_cap, PolicyType::Identity).is_ok());
        // Ten megabytes, nearly all white space: within the 6,144 quota, over the API's cap.
        let huge = padded(10 * 1024 * 1024);
        assert!(policy_size(&huge, false) < MAX_POLICY_SIZE);
        for policy_type in [
            PolicyType::Identity,
            PolicyType::PermissionsBoundary,
            PolicyType::Resource,
        ] {
            let e = check_size(&huge, policy_type).unwrap_err();
            assert_eq!(e.kind, PolicyErrorKind::PolicyTooLarge);
            assert!(e.message.contains("131072"), "{}", e.message);
        }
        assert!(check_size(
            &padded(API_MAX_DOCUMENT_CHARACTERS + 1),
            PolicyType::Identity
        )
        .is_err());
    }

    #[test]
    fn scp_rcp_and_session_limits_count_every_character() {
        let doc = |n: usize| " ".repeat(n);
        assert!(check_size(&doc(5120), PolicyType::Scp).is_ok());
        assert!(check_size(&doc(5121), PolicyType::Scp).is_err());
        assert!(check_size(&doc(5121), PolicyType::Rcp).is_err());
        assert!(check_size(&doc(2048), PolicyType::Session).is_ok());
        assert!(check_size(&doc(2049), PolicyType::Session).is_err());
    }

    #[test]
    fn inline_policies_share_their_entity_quota_without_white_space() {
        let doc = |n: usize| format!("{{\"Id\":\"{}\"}}", "x".repeat(n - 9));
        let user = doc(2048);
        assert!(check_inline_total(&[&user], InlineEntity::User).is_ok());
        let padded = user.replace('{', "{ \n ");
        assert!(check_inline_total(&[&padded], InlineEntity::User).is_ok());
        let (index, e) = check_inline_total(&[&doc(1000), &doc(1049)], InlineEntity::User)
            .expect_err("2,049 characters in two policies");
        assert_eq!(index, 1);
        assert_eq!(e.kind, PolicyErrorKind::PolicyTooLarge);
        assert!(
            e.message.contains("2049") && e.message.contains("2048"),
            "{}",
            e.message
        );
        let role = doc(8000);
        assert!(check_inline_total(&[&role], InlineEntity::Role).is_ok());
        assert!(check_inline_total(&[&role], InlineEntity::Group).is_err());
        assert!(check_inline_total(&[&doc(5120)], InlineEntity::Group).is_ok());
        assert!(check_inline_total(&[&doc(10241)], InlineEntity::Role).is_err());
    }

    #[test]
    fn vpc_endpoint_policies_count_every_character_up_to_20480() {
        let doc = |n: usize| " ".repeat(n);
        assert!(check_size(&doc(20480), PolicyType::VpcEndpoint).is_ok());
        assert!(check_size(&doc(20481), PolicyType::VpcEndpoint).is_err());
        assert!(check_characters("😀", PolicyType::VpcEndpoint).is_ok());
    }

    #[test]
    fn characters_outside_latin1_are_rejected_where_iam_checks_them() {
        assert!(check_characters("{\"a\":\"é\tÿ\r\n\"}", PolicyType::Identity).is_ok());
        let e = check_characters("{\n  \"é€\"}", PolicyType::Identity).unwrap_err();
        assert_eq!(e.kind, PolicyErrorKind::InvalidCharacter);
        assert_eq!(e.position, Position { line: 2, column: 5 });
        assert!(e.message.contains("U+20AC"));
        assert!(check_characters("\u{1}", PolicyType::Session).is_err());
        assert!(check_characters("😀", PolicyType::Scp).is_ok());
        assert!(check_characters("😀", PolicyType::Rcp).is_ok());
    }
}
