//! What is wrong with a policy document: errors AWS would reject the document for, and warnings
//! for documents AWS accepts but that can never match or are probably mistakes.
//!
//! The kinds are a closed, documented list (mirrored in `corpus/error-kinds.json`, which corpus
//! cases use in `expect.error`). A test keeps the two in step.

use crate::policy::Position;

/// The documented kinds of policy error. Each is what AWS would reject a document for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyErrorKind {
    /// The text is not JSON (syntax error, trailing garbage, bad escape), or an object repeats a key.
    MalformedJson,
    /// The document, a statement or an element has the wrong JSON type (e.g. a number for `Effect`).
    InvalidElementType,
    /// A required element is missing (`Statement`, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`, `Principal` in a resource policy).
    MissingElement,
    /// An element name AWS does not know (a misspelling such as `Actions`), or a wrong-case name.
    UnknownElement,
    /// Two elements that exclude each other: `Action` with `NotAction`, `Resource` with `NotResource`, `Principal` with `NotPrincipal`.
    ConflictingElements,
    /// A `Version` other than `2012-10-17` or `2008-10-17`.
    InvalidVersion,
    /// An `Effect` other than `Allow` or `Deny` (case-sensitive).
    InvalidEffect,
    /// An action that is not `*` or `service:name` (empty, no prefix, bad characters).
    InvalidAction,
    /// A resource that is neither `*` nor an ARN (`arn:partition:service:region:account:resource`).
    InvalidResource,
    /// A principal AWS cannot read (unknown principal type, malformed ARN or account ID).
    InvalidPrincipal,
    /// `Principal`/`NotPrincipal` in a policy type that must not have one (identity, boundary,
    /// session, SCP), or `NotPrincipal` in a resource control policy or a role trust policy.
    UnsupportedPrincipal,
    /// A condition operator AWS does not know (including `NullIfExists`).
    UnknownConditionOperator,
    /// A condition block of the wrong shape (not an object, empty, a value that is an object or
    /// null), or a condition key without a service prefix.
    InvalidCondition,
    /// A condition value the operator cannot read: not a number for Numeric*, a bad date, a bad CIDR, bad base64, not a boolean for Bool, not `true`/`false` for Null.
    InvalidConditionValue,
    /// Two statements share a `Sid`.
    DuplicateSid,
    /// A `Sid` with characters AWS does not allow.
    InvalidSid,
    /// An element that is an empty list or empty string where AWS requires a value.
    EmptyElement,
    /// The document exceeds the size limit for its policy type.
    PolicyTooLarge,
    /// The text has a character outside the set IAM and STS accept in a policy document (tab,
    /// line feed, carriage return, U+0020 to U+00FF).
    InvalidCharacter,
    /// An element AWS knows but that this policy type does not support (`NotAction` in a
    /// resource control policy, `Id` in an identity-based policy or permissions boundary).
    UnsupportedElement,
}

impl PolicyErrorKind {
    /// Every kind, in the documented order.
    pub const ALL: &'static [PolicyErrorKind] = &[
        Self::MalformedJson,
        Self::InvalidElementType,
        Self::MissingElement,
        Self::UnknownElement,
        Self::ConflictingElements,
        Self::InvalidVersion,
        Self::InvalidEffect,
        Self::InvalidAction,
        Self::InvalidResource,
        Self::InvalidPrincipal,
        Self::UnsupportedPrincipal,
        Self::UnknownConditionOperator,
        Self::InvalidCondition,
        Self::InvalidConditionValue,
        Self::DuplicateSid,
        Self::InvalidSid,
        Self::EmptyElement,
        Self::PolicyTooLarge,
        Self::InvalidCharacter,
        Self::UnsupportedElement,
    ];

    /// The kebab-case name used in corpus files (`expect.error`) and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::MalformedJson => "malformed-json",
            Self::InvalidElementType => "invalid-element-type",
            Self::MissingElement => "missing-element",
            Self::UnknownElement => "unknown-element",
            Self::ConflictingElements => "conflicting-elements",
            Self::InvalidVersion => "invalid-version",
            Self::InvalidEffect => "invalid-effect",
            Self::InvalidAction => "invalid-action",
            Self::InvalidResource => "invalid-resource",
            Self::InvalidPrincipal => "invalid-principal",
            Self::UnsupportedPrincipal => "unsupported-principal",
            Self::UnknownConditionOperator => "unknown-condition-operator",
            Self::InvalidCondition => "invalid-condition",
            Self::InvalidConditionValue => "invalid-condition-value",
            Self::DuplicateSid => "duplicate-sid",
            Self::InvalidSid => "invalid-sid",
            Self::EmptyElement => "empty-element",
            Self::PolicyTooLarge => "policy-too-large",
            Self::InvalidCharacter => "invalid-character",
            Self::UnsupportedElement => "unsupported-element",
        }
    }
}

impl std::fmt::Display for PolicyErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A policy document AWS would reject: the kind, a message a person understands, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at line {}, column {}: {message}", position.line, position.column)]
pub struct PolicyError {
    /// What kind of problem this is.
    pub kind: PolicyErrorKind,
    /// What is wrong, in words (names the element and the offending value).
    pub message: String,
    /// Where in the policy text the problem is.
    pub position: Position,
}

impl PolicyError {
    /// Builds an error of `kind` at `position`.
    pub fn new(kind: PolicyErrorKind, position: Position, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            position,
        }
    }
}

/// The kinds of warning: documents AWS accepts but that cannot do what they seem to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyWarningKind {
    /// A resource pattern that no real ARN can match (e.g. a path that ends in `/` with nothing after it).
    ResourceNeverMatches,
    /// A condition that can never be true (e.g. a variable in a 2008-10-17 policy left as literal text).
    ConditionNeverMatches,
    /// `${...}` appears in a policy without `Version: 2012-10-17`, so it is literal text.
    VariableInOldVersion,
    /// A condition value that is an empty string.
    EmptyConditionValue,
    /// `NotPrincipal` with `"Effect": "Allow"`, which AWS documents as not supported.
    NotPrincipalWithAllow,
}

/// Something AWS accepts but that is probably not what the author meant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PolicyWarning {
    /// What kind of warning this is.
    pub kind: PolicyWarningKind,
    /// What the problem is, in words.
    pub message: String,
    /// Where in the policy text.
    pub position: Position,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `corpus/error-kinds.json` documents exactly the kinds of [`PolicyErrorKind::ALL`], in order.
    #[test]
    fn error_kinds_file_lists_every_kind_in_order() {
        let file: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(include_str!("../../corpus/error-kinds.json")).unwrap();
        let documented: Vec<&str> = file.keys().map(String::as_str).collect();
        let kinds: Vec<&str> = PolicyErrorKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(documented, kinds);
        for value in file.values() {
            assert!(value.as_str().is_some_and(|d| !d.is_empty()));
        }
    }

    #[test]
    fn serde_names_match_kind_names() {
        for kind in PolicyErrorKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, serde_json::Value::String(kind.name().to_string()));
        }
    }
}
