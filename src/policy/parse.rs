//! The policy grammar: from text to a validated [`Policy`].
//!
//! STUB: to be replaced by the policy-grammar work.

use crate::policy::{Policy, PolicyError, PolicyErrorKind, PolicyType, Position};

/// The largest policy text accepted, in characters (the managed-policy limit, 6,144).
pub const MAX_POLICY_SIZE: usize = 6144;

/// Parses and validates policy text used as a policy of type `policy_type`.
pub fn parse_policy(text: &str, policy_type: PolicyType) -> Result<Policy, PolicyError> {
    let _ = (text, policy_type);
    Err(PolicyError::new(
        PolicyErrorKind::MalformedJson,
        Position { line: 1, column: 1 },
        "not implemented",
    ))
}

/// Parses a policy given as a JSON value (serialised with `serde_json::to_string_pretty`, so
/// positions refer to that text).
pub fn parse_policy_value(
    value: &serde_json::Value,
    policy_type: PolicyType,
) -> Result<Policy, PolicyError> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    parse_policy(&text, policy_type)
}
