//! The documented list of policy error kinds (`corpus/error-kinds.json`): the names a case may
//! give in `expect.error`. The evaluator's `PolicyErrorKind` mirrors this list; a test in the
//! root package keeps the two in step. This module only reads the list.

use std::path::Path;

use crate::vocabulary::Vocabulary;
use crate::LoadError;

/// The error kinds and their descriptions, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorKinds(Vocabulary);

/// What is wrong with a kind's spelling, if anything: kinds are kebab-case.
fn check_kind(kind: &str) -> Option<String> {
    let kebab = !kind.is_empty()
        && !kind.starts_with('-')
        && !kind.ends_with('-')
        && kind
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (!kebab).then(|| "an error kind is kebab-case (e.g. `malformed-json`)".to_string())
}

/// The text of the bundled `corpus/error-kinds.json`.
const BUNDLED: &str = include_str!("../vocabulary/error-kinds.json");

impl ErrorKinds {
    /// The bundled list (`corpus/error-kinds.json`, compiled in): the kinds the loader accepts
    /// in `expect.error`. Empty only if the bundled file were broken, which
    /// `tests/corpus_sanity.rs` rules out.
    pub fn bundled() -> &'static ErrorKinds {
        static BUNDLED_KINDS: std::sync::OnceLock<ErrorKinds> = std::sync::OnceLock::new();
        BUNDLED_KINDS.get_or_init(|| {
            ErrorKinds::parse(BUNDLED, Path::new("corpus/error-kinds.json")).unwrap_or_default()
        })
    }

    /// Reads `error-kinds.json`: one object from kind to description; kinds are kebab-case,
    /// each listed once, each with a non-empty description.
    pub fn load(path: &Path) -> Result<ErrorKinds, LoadError> {
        Vocabulary::load(path, check_kind).map(ErrorKinds)
    }

    /// Parses the text of an `error-kinds.json`; `path` is used in errors.
    pub fn parse(text: &str, path: &Path) -> Result<ErrorKinds, LoadError> {
        Vocabulary::parse(text, path, check_kind).map(ErrorKinds)
    }

    /// True when `kind` is a documented error kind.
    pub fn contains(&self, kind: &str) -> bool {
        self.0.get(kind).is_some()
    }

    /// What `kind` means, when it is documented.
    pub fn description(&self, kind: &str) -> Option<&str> {
        self.0.get(kind)
    }

    /// Every kind, in file order.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.0.entries.iter().map(|(kind, _)| kind.as_str())
    }

    /// How many kinds there are.
    pub fn len(&self) -> usize {
        self.0.entries.len()
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ErrorKinds, LoadError> {
        ErrorKinds::parse(text, Path::new("corpus/error-kinds.json"))
    }

    #[test]
    fn reads_kinds_in_order() {
        let k = parse(r#"{ "malformed-json": "M", "duplicate-sid": "D" }"#).unwrap();
        assert_eq!(
            k.kinds().collect::<Vec<_>>(),
            ["malformed-json", "duplicate-sid"]
        );
        assert!(k.contains("duplicate-sid"));
        assert_eq!(k.description("malformed-json"), Some("M"));
        assert!(!k.is_empty());
    }

    #[test]
    fn rejects_bad_kinds() {
        for bad in [
            r#"{ "MalformedJson": "M" }"#,
            r#"{ "malformed json": "M" }"#,
            r#"{ "-x": "M" }"#,
            r#"{ "": "M" }"#,
            r#"{ "a": "A", "a": "B" }"#,
            r#"{ "a": "" }"#,
            r#"{ "a": ["A"] }"#,
        ] {
            assert!(parse(bad).is_err(), "accepted {bad}");
        }
    }
}
