//! A kill in the middle of `iamspec diff --oracle aws` loses no saved difference: the run is
//! killed (SIGKILL) as soon as its first raw finding is on disk, every raw case saved before the
//! kill is still there, whole and loadable, and `--resume` finishes the batch and files the
//! regressions. Offline: the synthetic simulator of `aws_support` on 127.0.0.1, slowed down so
//! that the kill lands in the middle of the run, with a planted disagreement.
#![cfg(feature = "aws")]

mod aws_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_support::{identity_only_diff_args, isolated_iamspec, simulate, Endpoint, Planted};
use iamspec_format::load::load_case_file;

fn planted(action: &str, decision: &str) -> Option<&'static str> {
    (action.to_ascii_lowercase().starts_with("s3:") && decision == "allowed")
        .then_some("implicitDeny")
}

/// The `.json` files under `dir` and their text (a kill may leave a temporary `.tmp` file of
/// an unfinished atomic write: that is no saved difference).
fn files(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().and_then(|e| e.to_str()) == Some("json") {
            out.insert(
                path.clone(),
                std::fs::read_to_string(&path).unwrap_or_default(),
            );
        }
    }
    out
}

fn command(args: &[String]) -> Command {
    let mut cmd = isolated_iamspec(Some(&Planted {
        key_id: "AKIAPLANTEDKILLKEY01",
        secret: "planted-kill-secret/0123456789",
        token: None,
    }));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn a_kill_in_the_middle_of_an_aws_run_loses_no_saved_difference() {
    // Every answer takes 30 ms: the run lasts long enough to be killed in the middle.
    let endpoint = Endpoint::start(|seen, _| {
        std::thread::sleep(Duration::from_millis(30));
        simulate(&seen.body, planted)
    });
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("corpus");
    let raw = out.join(".diff").join("aws").join("raw");
    // Seed 32's identity-only cases hold S3 requests the reference allows (the planted
    // disagreement), the first of them early in the batch.
    let mut args = identity_only_diff_args("40", "32", &out, &["--aws-endpoint", &endpoint.url]);

    let mut child = command(&args).spawn().unwrap();
    let started = Instant::now();
    let mut killed_at_calls = None;
    while started.elapsed() < Duration::from_secs(120) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if !files(&raw).is_empty() {
            child.kill().unwrap();
            killed_at_calls = Some(endpoint.count());
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = child.wait().unwrap();
    let calls = killed_at_calls.unwrap_or_else(|| {
        panic!("the run ended ({status}) before a raw finding was seen: nothing to kill")
    });
    assert!(!status.success(), "the run was killed, not finished");

    // What the kill left: every raw finding whole (no half-written file) and loadable.
    let saved = files(&raw);
    assert!(!saved.is_empty());
    for path in saved.keys() {
        load_case_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    println!(
        "killed after {calls} API calls with {} raw findings saved",
        saved.len()
    );

    // The resumed run finishes the batch and keeps every raw finding as it was.
    args.push("--resume".into());
    let resumed = command(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&resumed.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&resumed.stderr).into_owned();
    assert_eq!(resumed.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("cases run: 40 "), "{stdout}");
    let after = files(&raw);
    for (path, text) in &saved {
        assert_eq!(
            after.get(path),
            Some(text),
            "{} changed or vanished",
            path.display()
        );
    }
    // The planted difference is filed as a regression case, with AWS's answer expected.
    let regressions = files(&out.join("regressions"));
    assert!(!regressions.is_empty(), "{stdout}");
    let planted_found = regressions.keys().any(|path| {
        let loaded = load_case_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        loaded.case.requests.iter().any(|r| {
            r.action.to_ascii_lowercase().starts_with("s3:")
                && r.expect.expected_decision() == Some(iamspec_format::Decision::ImplicitDeny)
        })
    });
    assert!(planted_found, "{stdout}");
}
