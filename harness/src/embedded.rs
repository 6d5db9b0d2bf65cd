//! The bundled corpus compiled into the binary (by `harness/build.rs`), and its copy on disk.
//!
//! An `iamspec` installed with `cargo install` may run where its source tree is gone; it then
//! writes the corpus it was built with, once, under the user's cache directory
//! (`$XDG_CACHE_HOME/iamspec/` or `~/.cache/iamspec/`, else the temporary directory), in a folder
//! named by the crate version and the corpus digest, and checks that. Nothing is ever written
//! into the current directory.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_corpus.rs"));

/// Where copies of the bundled corpus go: `$XDG_CACHE_HOME/iamspec`, `$HOME/.cache/iamspec`,
/// else `<temporary directory>/iamspec`.
pub fn cache_root() -> PathBuf {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    absolute("XDG_CACHE_HOME")
        .or_else(|| absolute("HOME").map(|home| home.join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("iamspec")
}

/// The folder [`write_corpus`] uses under `root`: `corpus-<version>-<digest>`.
pub fn corpus_dir(root: &Path) -> PathBuf {
    root.join(format!("corpus-{}-{DIGEST}", env!("CARGO_PKG_VERSION")))
}

/// Writes the bundled corpus under `root` (see [`corpus_dir`]) unless a complete copy is
/// there already, and returns its folder. The copy is written beside it and renamed into place,
/// so a reader never sees half a corpus, and two processes writing at once both succeed.
pub fn write_corpus(root: &Path) -> io::Result<PathBuf> {
    let dir = corpus_dir(root);
    if dir.join("features.json").is_file() {
        return Ok(dir);
    }
    fs::create_dir_all(root)?;
    let staging = root.join(format!(".corpus-{}-{}", DIGEST, std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    for (name, bytes) in FILES {
        let path = staging.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
    }
    match fs::rename(&staging, &dir) {
        Ok(()) => Ok(dir),
        // Another process put its complete copy there first.
        Err(_) if dir.join("features.json").is_file() => {
            fs::remove_dir_all(&staging)?;
            Ok(dir)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_written_once_and_holds_every_file() {
        let root = std::env::temp_dir().join(format!("iamspec-embedded-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let dir = write_corpus(&root).unwrap();
        for (name, bytes) in FILES {
            assert_eq!(&fs::read(dir.join(name)).unwrap(), bytes, "{name}");
        }
        // A second call finds the complete copy and leaves no staging folder behind.
        assert_eq!(write_corpus(&root).unwrap(), dir);
        let entries: Vec<_> = fs::read_dir(&root).unwrap().collect();
        assert_eq!(entries.len(), 1);
        fs::remove_dir_all(&root).unwrap();
    }
}
