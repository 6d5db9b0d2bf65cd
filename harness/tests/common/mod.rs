//! What the end-to-end tests of the `iamspec` binary share: running it (with arguments, a
//! working directory, optional environment and standard input) and writing scratch files.
//!
//! Each test file that needs it says `mod common;`; not every file uses every helper.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What one run of the binary gave.
pub struct Run {
    /// The exit status (-1 when the process was killed by a signal).
    pub code: i32,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Run {
    /// Standard output read as JSON; panics (naming both streams) when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// How to run the binary beyond its arguments and working directory.
#[derive(Default)]
pub struct Options<'a> {
    /// Variables set in the child's environment.
    pub env: &'a [(&'a str, &'a str)],
    /// Variables removed from the child's environment.
    pub env_remove: &'a [&'a str],
    /// Text written to the child's standard input (which is closed either way).
    pub stdin: Option<&'a str>,
}

/// Runs `iamspec ARGS` in `cwd` with an empty, closed standard input.
pub fn iamspec(args: &[&str], cwd: &Path) -> Run {
    iamspec_with(args, cwd, &Options::default())
}

/// Runs `iamspec ARGS` in `cwd` as `options` say.
pub fn iamspec_with(args: &[&str], cwd: &Path, options: &Options) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_iamspec"));
    command
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in options.env_remove {
        command.env_remove(name);
    }
    for (name, value) in options.env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the iamspec binary runs");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(text) = options.stdin {
            input
                .write_all(text.as_bytes())
                .expect("the binary reads its standard input");
        }
    }
    let output = child.wait_with_output().expect("the iamspec binary ends");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The repository's root (the corpus, the example policies and the README are read from it).
pub fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Writes `text` to `dir/relative`, creating the folders on the way.
pub fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("the scratch folder can be created");
    }
    std::fs::write(path, text).expect("the scratch file can be written");
}
