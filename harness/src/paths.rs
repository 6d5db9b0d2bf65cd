//! Where things are: the source tree the binary was built from, the bundled corpus, the case
//! directories a command searches, the bundled adapters' folder; how case files are named in
//! test names; quoting for the reproduce lines a report prints.
//!
//! This module knows paths and names; it runs nothing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use iamspec_format::load::LoadError;

use crate::embedded;
use crate::error::CliError;

/// The source tree this binary was built from (the workspace root).
pub fn source_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The bundled corpus: the folder `IAMSPEC_CORPUS` names (`embedded` for the copy compiled
/// into the binary), else the corpus of the source tree this binary was built from while it is
/// there, else the compiled-in copy, written once under the cache directory
/// ([`crate::embedded::write_corpus`]). When that copy cannot be written, the path it would have
/// had (which does not exist, so commands say the corpus was not found).
pub fn built_in_corpus() -> PathBuf {
    static CORPUS: OnceLock<PathBuf> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let chosen = std::env::var_os("IAMSPEC_CORPUS");
            let embedded = || {
                let root = embedded::cache_root();
                embedded::write_corpus(&root).unwrap_or_else(|_| embedded::corpus_dir(&root))
            };
            match chosen {
                Some(value) if value == "embedded" => embedded(),
                Some(value) if !value.is_empty() => PathBuf::from(value),
                _ => {
                    let source = source_root().join("corpus");
                    if source.join("features.json").is_file() {
                        source
                    } else {
                        embedded()
                    }
                }
            }
        })
        .clone()
}

/// The adapters folder: the one `IAMSPEC_ADAPTERS` names, else the source tree's
/// `harness/adapters`, else `./harness/adapters`.
pub fn adapters_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("IAMSPEC_ADAPTERS").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    let built = source_root().join("harness").join("adapters");
    if built.is_dir() {
        built
    } else {
        PathBuf::from("harness").join("adapters")
    }
}

/// The directories to search: the `--cases` ones (each must exist; one given twice, under
/// any spelling, is searched once), else the bundled corpus, else `./corpus`.
pub fn case_dirs(explicit: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    if !explicit.is_empty() {
        let mut seen = HashSet::new();
        let mut dirs = Vec::new();
        for dir in explicit {
            if !dir.is_dir() {
                return Err(CliError::NoCasesDir { path: dir.clone() });
            }
            if seen.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())) {
                dirs.push(dir.clone());
            }
        }
        return Ok(dirs);
    }
    let tried = vec![built_in_corpus(), PathBuf::from("corpus")];
    match tried.iter().find(|d| d.is_dir()) {
        Some(dir) => Ok(vec![dir.clone()]),
        None => Err(CliError::NoCorpus { tried }),
    }
}

/// The case files a run has taken so far, by canonical path: a file reached from two `--cases`
/// folders (a folder and one inside it, a link to a sibling folder) is taken once, under the
/// first folder that reaches it.
#[derive(Debug, Default)]
pub struct SeenFiles(HashSet<PathBuf>);

impl SeenFiles {
    /// True the first time `path` is seen. A file is known by its canonical path; anything
    /// else a load error names (a link that loops, a folder that cannot be read) by its
    /// canonical folder and its own name, so that two links to one folder stay two reports.
    pub fn first_time(&mut self, path: &Path, is_file: bool) -> bool {
        let canonical = if is_file {
            path.canonicalize().ok()
        } else {
            match (path.parent(), path.file_name()) {
                (Some(parent), Some(name)) => parent.canonicalize().ok().map(|p| p.join(name)),
                _ => None,
            }
        };
        self.0
            .insert(canonical.unwrap_or_else(|| path.to_path_buf()))
    }
}

/// True when `dir` lies inside the bundled corpus (`corpus`, canonical): its cases keep the
/// corpus test names, so the corpus test runner reproduces their results.
pub fn in_bundled_corpus(dir: &Path, corpus: Option<&Path>) -> bool {
    match (corpus, dir.canonicalize()) {
        (Some(corpus), Ok(dir)) => dir.starts_with(corpus),
        _ => false,
    }
}

/// The file a load error is about.
pub fn load_error_path(error: &LoadError) -> &Path {
    match error {
        LoadError::Io { path, .. } | LoadError::Invalid { path, .. } => path,
    }
}

/// `path` relative to `dir`, `/`-separated (the path as given when it is not under `dir`).
/// The path of `path` relative to `dir`, with `/` separators (a test-name prefix).
pub fn relative_name(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A file that did not load is selected when its name matches the filter, or when the filter
/// names one of its requests (`<file>::...`).
/// True when a file's tests may match `filter` (or there is no filter).
pub fn selected_file(file: &str, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| file.contains(f) || f.starts_with(&format!("{file}::")))
}

/// Quotes a string for a POSIX shell when it needs it.
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `path` shown relative to the current directory when it is under it.
pub fn display_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selected_files_match_a_file_or_one_of_its_tests() {
        assert!(selected_file("docs/a.json", Some("docs/a.json::r")));
        assert!(selected_file("docs/a.json", Some("docs/")));
        assert!(!selected_file("docs/a.json", Some("::r")));
    }

    #[test]
    fn quoting_is_shell_safe() {
        assert_eq!(shell_quote("seeds/x.json::y"), "seeds/x.json::y");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn names_are_relative_and_slash_separated() {
        assert_eq!(
            relative_name(Path::new("corpus"), Path::new("corpus/seeds/ec2/x.json")),
            "seeds/ec2/x.json"
        );
        assert_eq!(
            relative_name(Path::new("c"), Path::new("other/x.json")),
            "other/x.json"
        );
    }

    #[test]
    fn a_missing_cases_dir_is_an_error() {
        let err = case_dirs(&[PathBuf::from("/nonexistent/iamspec-cases")]).unwrap_err();
        assert!(err
            .to_string()
            .contains("--cases /nonexistent/iamspec-cases"));
    }

    #[test]
    fn the_bundled_corpus_is_found() {
        let dirs = case_dirs(&[]).unwrap();
        assert_eq!(dirs, vec![built_in_corpus()]);
    }
}
