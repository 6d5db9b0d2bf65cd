//! An installed `iamspec` needs no source tree: the corpus is compiled in (`harness/build.rs`)
//! and written once under the cache directory. These tests run the binary from an empty
//! directory, with the compiled-in corpus forced (`IAMSPEC_CORPUS=embedded`) and with the
//! source tree's, and compare what `check` reports; `.ci/run` also installs the binary with
//! `cargo install --path harness` and runs it from a temporary directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use iamspec_harness::embedded::FILES;
use iamspec_harness::paths::relative_name;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamspec-install-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every `.json` file of the source tree's corpus, by `/`-separated relative name.
fn source_corpus(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let kind = std::fs::symlink_metadata(&path).unwrap().file_type();
        if kind.is_dir() {
            source_corpus(root, &path, into);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
            into.insert(relative_name(root, &path), std::fs::read(&path).unwrap());
        }
    }
}

#[test]
fn the_compiled_in_corpus_is_the_source_trees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    let mut source = BTreeMap::new();
    source_corpus(&root, &root, &mut source);
    let embedded: BTreeMap<String, Vec<u8>> = FILES
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    assert!(source.len() > 100, "the corpus has {} files", source.len());
    assert_eq!(
        embedded.keys().collect::<Vec<_>>(),
        source.keys().collect::<Vec<_>>()
    );
    assert!(embedded == source, "a file's bytes differ");
}

/// `iamspec check` from an empty directory; (exit code, stdout's last line).
fn check_from(cwd: &Path, cache: &Path, corpus: Option<&str>) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_iamspec"));
    command
        .arg("check")
        .current_dir(cwd)
        .env("XDG_CACHE_HOME", cache)
        .env_remove("IAMSPEC_CORPUS");
    if let Some(corpus) = corpus {
        command.env("IAMSPEC_CORPUS", corpus);
    }
    let output = command.output().expect("the iamspec binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let last = stdout.lines().last().unwrap_or("").to_string();
    (
        output.status.code().unwrap_or(-1),
        last,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_runs_the_compiled_in_corpus_from_any_directory() {
    let cwd = scratch("cwd");
    let cache = scratch("cache");
    let (code, embedded, stderr) = check_from(&cwd, &cache, Some("embedded"));
    assert_eq!(code, 0, "{embedded}\n{stderr}");
    let (code, source, stderr) = check_from(&cwd, &cache, None);
    assert_eq!(code, 0, "{source}\n{stderr}");
    // The same requests pass, and the summary is the full corpus's.
    assert_eq!(embedded, source);
    assert!(embedded.contains(" passed, 0 failed"), "{embedded}");
    // The copy went under the cache directory, and nothing into the working directory.
    let copies: Vec<_> = std::fs::read_dir(cache.join("iamspec")).unwrap().collect();
    assert_eq!(copies.len(), 1);
    assert_eq!(std::fs::read_dir(&cwd).unwrap().count(), 0);
    // A corpus folder named by IAMSPEC_CORPUS that does not exist is an error, not an empty run.
    let (code, _, stderr) = check_from(&cwd, &cache, Some("/nonexistent/iamspec-corpus"));
    assert_ne!(code, 0);
    assert!(stderr.contains("/nonexistent/iamspec-corpus"), "{stderr}");
    let _ = std::fs::remove_dir_all(&cwd);
    let _ = std::fs::remove_dir_all(&cache);
}
