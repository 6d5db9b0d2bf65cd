//! The feature-tag vocabulary (`corpus/features.json`): every tag a case may list in
//! `features`, with what it means. The per-feature conformance report groups results by these
//! tags; this module only reads the list and checks cases against it.

use std::path::Path;

use crate::vocabulary::Vocabulary;
use crate::{Case, LoadError};

/// The feature tags and their descriptions, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features(Vocabulary);

/// What is wrong with a tag's spelling, if anything: a tag is `family:name`, without whitespace.
fn check_tag(tag: &str) -> Option<String> {
    match tag.split_once(':') {
        _ if tag.chars().any(char::is_whitespace) => Some("a feature tag has no whitespace".into()),
        Some((family, name)) if !family.is_empty() && !name.is_empty() => None,
        _ => Some("a feature tag is `family:name` (e.g. `operator:StringEquals`)".into()),
    }
}

/// The text of the bundled `corpus/features.json`.
const BUNDLED: &str = include_str!("../vocabulary/features.json");

impl Features {
    /// The bundled vocabulary (`corpus/features.json`, compiled in): the tags the loader
    /// accepts in any case file. Empty only if the bundled file were broken, which
    /// `tests/corpus_sanity.rs` rules out.
    pub fn bundled() -> &'static Features {
        static BUNDLED_FEATURES: std::sync::OnceLock<Features> = std::sync::OnceLock::new();
        BUNDLED_FEATURES.get_or_init(|| {
            Features::parse(BUNDLED, Path::new("corpus/features.json")).unwrap_or_default()
        })
    }

    /// Reads `features.json`: one object from tag to description; tags are `family:name`, each
    /// listed once, each with a non-empty description.
    pub fn load(path: &Path) -> Result<Features, LoadError> {
        Vocabulary::load(path, check_tag).map(Features)
    }

    /// Parses the text of a `features.json`; `path` is used in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Features, LoadError> {
        Vocabulary::parse(text, path, check_tag).map(Features)
    }

    /// True when `tag` is in the vocabulary (exact spelling).
    pub fn contains(&self, tag: &str) -> bool {
        self.0.get(tag).is_some()
    }

    /// What `tag` means, when it is in the vocabulary.
    pub fn description(&self, tag: &str) -> Option<&str> {
        self.0.get(tag)
    }

    /// Every tag, in file order.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.0.entries.iter().map(|(tag, _)| tag.as_str())
    }

    /// How many tags there are.
    pub fn len(&self) -> usize {
        self.0.entries.len()
    }

    /// True when the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.0.entries.is_empty()
    }

    /// The tags of `case` that are not in the vocabulary, in the case's order.
    pub fn unknown_tags<'c>(&self, case: &'c Case) -> Vec<&'c str> {
        case.features
            .iter()
            .map(String::as_str)
            .filter(|tag| !self.contains(tag))
            .collect()
    }

    /// `Ok` when every tag of `case` is in the vocabulary, else a message listing the others.
    pub fn check_case(&self, case: &Case) -> Result<(), String> {
        let unknown = self.unknown_tags(case);
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "feature tags not in features.json: {}",
                unknown.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Features, LoadError> {
        Features::parse(text, Path::new("corpus/features.json"))
    }

    #[test]
    fn reads_tags_in_order() {
        let f = parse(r#"{ "b:x": "B", "a:y": "A" }"#).unwrap();
        assert_eq!(f.tags().collect::<Vec<_>>(), ["b:x", "a:y"]);
        assert!(f.contains("a:y"));
        assert!(!f.contains("A:y"));
        assert_eq!(f.description("b:x"), Some("B"));
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn rejects_duplicates_bad_tags_and_bad_shapes() {
        let err = parse("{ \"a:x\": \"A\",\n  \"a:x\": \"B\" }")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`a:x` is listed twice"), "{err}");
        assert!(err.starts_with("corpus/features.json:2:"), "{err}");
        let err = parse("{\n \"nocolon\": \"A\" }").unwrap_err().to_string();
        assert!(
            err.starts_with("corpus/features.json:2:13: `nocolon`"),
            "{err}"
        );
        assert!(parse(r#"{ "a: b": "A" }"#).is_err());
        assert!(parse(r#"{ "a:": "A" }"#).is_err());
        assert!(parse(r#"{ "a:b": "" }"#).is_err());
        assert!(parse(r#"{ "a:b": 1 }"#).is_err());
        assert!(parse(r#"["a:b"]"#).is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn checks_a_case_s_tags() {
        let f = parse(r#"{ "effect:allow": "A" }"#).unwrap();
        let case: Case = serde_json::from_str(
            r#"{ "description": "d", "source": { "kind": "seeds", "ref": "r" },
                 "features": ["effect:allow", "effect:nope", "x:y"],
                 "principal": { "arn": "a" }, "requests": [] }"#,
        )
        .unwrap();
        assert_eq!(f.unknown_tags(&case), ["effect:nope", "x:y"]);
        assert_eq!(
            f.check_case(&case).unwrap_err(),
            "feature tags not in features.json: effect:nope, x:y"
        );
    }
}
