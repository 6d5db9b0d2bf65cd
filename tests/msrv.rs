//! The Rust minimum the project states is the one its locked dependencies need: the workspace's
//! `rust-version` is at least every locked package's `rust-version`, and README.md states the
//! workspace's. (Building on that toolchain in CI is not possible on a machine with one
//! toolchain; this compares what the lockfile asks for with what we say.)

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
