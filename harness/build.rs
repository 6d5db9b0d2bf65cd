//! Compiles the bundled corpus into the binary, so that an installed `iamspec` (`cargo install`)
//! checks it from any directory, without the source tree.
//!
//! `harness/corpus` links to the workspace's `corpus/` (`cargo package` copies the files, so the
//! published crate carries them too). Every `.json` file under it becomes one entry of
//! `FILES` in `$OUT_DIR/embedded_corpus.rs`, read with `include_bytes!`; links inside the corpus
//! are not followed. `DIGEST` names this corpus (FNV-1a over names and contents).

use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("no OUT_DIR")?);
    let corpus = manifest.join("corpus");
    println!("cargo:rerun-if-changed={}", corpus.display());
    let mut files = Vec::new();
    collect(&corpus, &corpus, &mut files)?;
    files.sort();
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    let mut source = String::from(
        "/// The bundled corpus: each file's path relative to `corpus/` (`/`-separated) and its bytes.\n\
         pub const FILES: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &files {
        for byte in name.bytes().chain([0]).chain(fs::read(path)?).chain([0]) {
            digest = (digest ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        let absolute = path.canonicalize()?;
        writeln!(
            source,
            "    ({name:?}, include_bytes!({:?})),",
            absolute.display().to_string()
        )?;
    }
    source.push_str("];\n");
    writeln!(
        source,
        "/// A digest of the bundled corpus's names and contents (FNV-1a, hex).\npub const DIGEST: &str = \"{digest:016x}\";"
    )?;
    fs::write(out_dir.join("embedded_corpus.rs"), source)?;
    Ok(())
}

/// Every `.json` file under `dir` (not following links below the top), named relative to `root`.
fn collect(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, PathBuf)>,
) -> Result<(), Box<dyn Error>> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = fs::symlink_metadata(&path)?.file_type();
        if kind.is_dir() {
            collect(root, &path, files)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
            let relative = path.strip_prefix(root)?;
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((name, path));
        }
    }
    Ok(())
}
