//! The Rust minimum the project states is the one its locked dependencies need: the workspace's
//! `rust-version` is at least every locked package's `rust-version`, README.md states the
//! workspace's, and the GitHub CI workflow has a job that builds everything on exactly that
//! toolchain, reading the version from Cargo.toml (this machine has one toolchain, so the build
//! itself happens there).

use std::path::Path;
use std::process::Command;

fn version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text
        .split('.')
        .map(|p| p.parse().unwrap_or_else(|_| panic!("bad version {text}")))
        .collect();
    parts.resize(3, 0);
    parts
}

fn workspace_rust_version(root: &Path) -> String {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("rust-version") && l.contains('"'))
        .expect("Cargo.toml states a rust-version");
    line.split('"').nth(1).unwrap().to_string()
}

#[test]
fn the_stated_rust_version_covers_every_locked_dependency() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let stated = workspace_rust_version(root);
    let mut needed = (vec![0, 0, 0], String::new());
    for package in metadata["packages"].as_array().unwrap() {
        if let Some(rust) = package["rust_version"].as_str() {
            if version(rust) > needed.0 {
                needed = (
                    version(rust),
                    format!("{} {} needs {rust}", package["name"], package["version"]),
                );
            }
        }
    }
    assert!(
        version(&stated) >= needed.0,
        "Cargo.toml says rust-version {stated}, but {}",
        needed.1
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("Rust toolchain ({stated} or newer)")),
        "README.md must state the minimum Rust as \"Rust toolchain ({stated} or newer)\""
    );
}

#[test]
fn ci_builds_on_exactly_the_stated_rust_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stated = workspace_rust_version(root);
    let workflow = std::fs::read_to_string(root.join(".github/workflows/ci.yml")).unwrap();
    let job = workflow
        .split("\n  msrv:\n")
        .nth(1)
        .expect(".github/workflows/ci.yml has an `msrv` job");
    // The job runs to the next job (a line indented by exactly two spaces) or the end.
    let end = job
        .lines()
        .position(|l| l.starts_with("  ") && !l.starts_with("   ") && l.trim_end().ends_with(':'))
        .unwrap_or(usize::MAX);
    let job: String = job.lines().take(end).collect::<Vec<_>>().join("\n");
    // The job reads the version with this command; run it here and compare.
    let line = job
        .lines()
        .find_map(|l| l.trim().strip_prefix("msrv=$(")?.strip_suffix(')'))
        .expect("the msrv job reads the version into `msrv`");
    let output = Command::new("sh")
        .args(["-c", line])
        .current_dir(root)
        .output()
        .expect("sh runs");
    let read = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert_eq!(
        read, stated,
        "the msrv job's command `{line}` reads {read:?}"
    );
    assert!(job.contains("rustup toolchain install \"$msrv\""), "{job}");
    assert!(
        job.contains("cargo +\"$MSRV\" build --workspace --all-targets --locked"),
        "{job}"
    );
}
