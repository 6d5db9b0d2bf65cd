//! What is wrong with a policy document: errors AWS would reject the document for, and warnings
//! for documents AWS accepts but that can never match or are probably mistakes.
//!
//! The kinds are a closed, documented list (mirrored in `corpus/error-kinds.json`, which corpus
//! cases use in `expect.error`). A test keeps the two in step.

use crate::policy::Position;

/// The documented kinds of policy error (defined once, in `iamspec-format`).
pub use iamspec_format::ErrorKind as PolicyErrorKind;

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
