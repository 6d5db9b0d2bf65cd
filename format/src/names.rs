//! The closed lists of names a case file may use, written once for the loader and the schema.
//!
//! The evaluator has its own enums for these (`Decision`, `ContextKeyType`, `PrincipalType`);
//! a test in the root package keeps them and these lists in step. This crate does not depend on
//! the evaluator, so the names are repeated here as data.

/// The decisions of AWS's policy simulator (`EvalDecision`), as `expect.decision` spells them.
pub const DECISIONS: &[&str] = &["allowed", "explicitDeny", "implicitDeny"];

/// The simulator's twelve `ContextKeyType` names, single-valued then list types.
pub const CONTEXT_KEY_TYPES: &[&str] = &[
    "string",
    "stringList",
    "numeric",
    "numericList",
    "boolean",
    "booleanList",
    "ip",
    "ipList",
    "binary",
    "binaryList",
    "date",
    "dateList",
];

/// The principal types a case's `principal.type` may name.
pub const PRINCIPAL_TYPES: &[&str] = &[
    "user",
    "role",
    "assumed-role",
    "federated-user",
    "root",
    "service",
    "anonymous",
    "web-identity",
    "saml",
];

/// The kinds of resource-based policy a case's `policies.resource_kind` may name.
pub const RESOURCE_POLICY_KINDS: &[&str] = &[
    "bucket",
    "role-trust",
    "kms-key",
    "queue",
    "topic",
    "secret",
    "other",
];

/// True for a 12-digit AWS account id.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// True for the entity an inline identity-based policy is embedded in: `user`, `role`, `group`
/// or `group/NAME` (a named group, when a case has inline policies of several groups).
pub fn is_inline_entity(text: &str) -> bool {
    matches!(text, "user" | "role" | "group")
        || text
            .strip_prefix("group/")
            .is_some_and(|name| !name.is_empty() && !name.contains(char::is_whitespace))
}

/// True for a `ContextKeyType` name that carries exactly one value (not a `...List` type).
pub fn is_single_valued(key_type: &str) -> bool {
    CONTEXT_KEY_TYPES.contains(&key_type) && !key_type.ends_with("List")
}

/// True when `name` is a valid request name: non-empty, only `[A-Za-z0-9._-]`.
pub fn is_valid_request_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_valued_types_are_the_six_without_list() {
        let singles: Vec<_> = CONTEXT_KEY_TYPES
            .iter()
            .filter(|t| is_single_valued(t))
            .collect();
        assert_eq!(
            singles,
            [&"string", &"numeric", &"boolean", &"ip", &"binary", &"date"]
        );
        assert!(!is_single_valued("String"));
    }

    #[test]
    fn request_names() {
        assert!(is_valid_request_name("prod-tagged_ami.1"));
        assert!(!is_valid_request_name(""));
        assert!(!is_valid_request_name("has space"));
        assert!(!is_valid_request_name("a::b"));
        assert!(!is_valid_request_name("é"));
    }
}
