//! A vocabulary file: one JSON object from names to descriptions (`corpus/features.json`,
//! `corpus/error-kinds.json`), read with duplicate names rejected and order kept.

use std::fmt;
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use crate::LoadError;

/// Names and their descriptions, in file order, without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Vocabulary {
    pub(crate) entries: Vec<(String, String)>,
}

impl Vocabulary {
    /// Reads a vocabulary file; `check_name` says what is wrong with a badly formed name.
    pub(crate) fn load(
        path: &Path,
        check_name: fn(&str) -> Option<String>,
    ) -> Result<Self, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path, check_name)
    }

    /// Parses vocabulary text; `path` is used in errors.
    pub(crate) fn parse(
        text: &str,
        path: &Path,
        check_name: fn(&str) -> Option<String>,
    ) -> Result<Self, LoadError> {
        let vocabulary: Vocabulary =
            serde_json::from_str(text).map_err(|e| LoadError::from_json(path, &e))?;
        for (name, description) in &vocabulary.entries {
            let problem = check_name(name).or_else(|| {
                description
                    .trim()
                    .is_empty()
                    .then(|| "the description must not be empty".to_string())
            });
            if let Some(problem) = problem {
                let (line, column) =
                    crate::locate::locate(text, &crate::locate::JsonPath::root().key(name))
                        .unwrap_or((0, 0));
                return Err(LoadError::Invalid {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: format!("`{name}`: {problem}"),
                });
            }
        }
        Ok(vocabulary)
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d.as_str())
    }
}

impl<'de> Deserialize<'de> for Vocabulary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vocabulary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object from names to descriptions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vocabulary, A::Error> {
                let mut entries: Vec<(String, String)> = Vec::new();
                while let Some((name, description)) = map.next_entry::<String, String>()? {
                    if entries.iter().any(|(n, _)| *n == name) {
                        return Err(serde::de::Error::custom(format!(
                            "`{name}` is listed twice"
                        )));
                    }
                    entries.push((name, description));
                }
                Ok(Vocabulary { entries })
            }
        }
        deserializer.deserialize_map(V)
    }
}
