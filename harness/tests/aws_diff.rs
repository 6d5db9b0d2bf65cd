//! End to end, offline: `iamspec diff --oracle aws` against a synthetic simulator on 127.0.0.1
//! that disagrees with the reference on a planted rule (it denies every S3 action the reference
//! allows), recorded as HTTP traffic; then the same run from the answer cache (0 calls), and
//! from the traffic file alone with no credentials and no network (the replay).
//! SYNTHETIC traffic: see `aws_support`.
#![cfg(feature = "aws")]

mod aws_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use aws_support::{identity_only_diff_args, isolated_iamspec, simulate, Endpoint, Planted};
use iamspec_format::load::load_case_file;
use iamspec_format::SourceKind;

const KEY_ID: &str = "AKIAPLANTEDDIFFKEY01";
const SECRET: &str = "planted-diff-secret/ABCDEFGHIJKLMNOP0123";
const TOKEN: &str = "planted-diff-session-token/0123456789";

fn planted(action: &str, decision: &str) -> Option<&'static str> {
    (action.to_ascii_lowercase().starts_with("s3:") && decision == "allowed")
        .then_some("implicitDeny")
}

fn iamspec(args: &[&str], credentials: bool) -> Output {
    let planted = Planted {
        key_id: KEY_ID,
        secret: SECRET,
        token: Some(TOKEN),
    };
    isolated_iamspec(credentials.then_some(&planted))
        .args(args)
        .output()
        .unwrap()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            out.extend(files(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out.sort();
    out
}

fn api_calls(stdout: &str) -> usize {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("API calls: "))
        .unwrap_or_else(|| panic!("no API calls line in:\n{stdout}"));
    line["API calls: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn assert_clean(what: &str, text: &str) {
    for planted in [KEY_ID, SECRET, TOKEN] {
        assert!(!text.contains(planted), "{what} holds a planted credential");
    }
}

#[test]
fn a_planted_disagreement_becomes_a_regression_and_a_rerun_costs_nothing() {
    let endpoint = Endpoint::start(|seen, _| simulate(&seen.body, planted));
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("corpus");
    let cache = work.path().join("cache");
    let traffic = work.path().join("traffic.jsonl");
    // Seed 32's 40 identity-only cases hold three S3 requests the reference allows.
    let common = |extra: &[&str]| identity_only_diff_args("40", "32", &out, extra);
    let first_args = common(&[
        "--aws-endpoint",
        &endpoint.url,
        "--aws-cache",
        &cache.display().to_string(),
        "--aws-record",
        &traffic.display().to_string(),
    ]);
    let refs: Vec<&str> = first_args.iter().map(String::as_str).collect();
    let first = iamspec(&refs, true);
    let stdout = String::from_utf8_lossy(&first.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&first.stderr).into_owned();
    assert_eq!(first.status.code(), Some(1), "{stdout}\n{stderr}");
    let calls = api_calls(&stdout);
    assert_eq!(calls, endpoint.count(), "{stdout}");
    assert!(calls > 0);
    println!("first run: {calls} API calls\n{stdout}");

    // The regression cases: AWS's answer as the expectation, full provenance, re-loadable.
    let regressions: Vec<PathBuf> = files(&out.join("regressions"));
    assert!(!regressions.is_empty(), "{stdout}");
    let mut planted_found = false;
    for path in &regressions {
        let loaded = load_case_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let source = &loaded.case.source;
        assert_eq!(source.kind, SourceKind::Regressions);
        assert_eq!(source.oracle.as_deref(), Some("aws"));
        assert_eq!(source.api.as_deref(), Some("SimulateCustomPolicy"));
        assert_eq!(source.region.as_deref(), Some("us-east-1"));
        assert_eq!(source.seed, Some(32));
        assert!(source.date.is_some() && source.generator.is_some());
        planted_found |= loaded.case.requests.iter().any(|r| {
            r.action.to_ascii_lowercase().starts_with("s3:")
                && r.expect.expected_decision() == Some(iamspec_format::Decision::ImplicitDeny)
        });
    }
    // The planted rule (AWS denies an S3 action the reference allows) is among them.
    assert!(planted_found, "{stdout}");
    // Raw findings were saved before shrinking.
    assert!(!files(&out.join(".diff").join("aws").join("raw")).is_empty());

    // A second run of the same cases: every answer from the cache, no call (the endpoint is
    // gone: a dead port).
    let second_args = common(&[
        "--aws-endpoint",
        "http://127.0.0.1:9",
        "--aws-cache",
        &cache.display().to_string(),
    ]);
    let refs: Vec<&str> = second_args.iter().map(String::as_str).collect();
    let second = iamspec(&refs, true);
    let stdout2 = String::from_utf8_lossy(&second.stdout).into_owned();
    assert_eq!(api_calls(&stdout2), 0, "{stdout2}");
    assert_eq!(second.status.code(), Some(1), "{stdout2}");

    // The replay: the traffic file alone, no credentials, no network.
    // A fresh cache fills as in the first run, so the calls are the recorded ones.
    let replay_out = work.path().join("replayed");
    let replay_cache = work.path().join("replay-cache");
    let replay_args = identity_only_diff_args(
        "40",
        "32",
        &replay_out,
        &[
            "--aws-cache",
            &replay_cache.display().to_string(),
            "--aws-replay",
            &traffic.display().to_string(),
        ],
    );
    let replay_refs: Vec<&str> = replay_args.iter().map(String::as_str).collect();
    let replayed = iamspec(&replay_refs, false);
    let stdout3 = String::from_utf8_lossy(&replayed.stdout).into_owned();
    assert_eq!(
        replayed.status.code(),
        Some(1),
        "{stdout3}\n{}",
        String::from_utf8_lossy(&replayed.stderr)
    );
    let names = |dir: &Path| -> Vec<String> {
        files(dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(
        names(&replay_out.join("regressions")),
        names(&out.join("regressions"))
    );

    // No planted credential anywhere: output, cache, traffic, cases.
    assert_clean("stdout", &stdout);
    assert_clean("stderr", &stderr);
    for path in files(work.path()) {
        assert_clean(
            &path.display().to_string(),
            &std::fs::read_to_string(&path).unwrap_or_default(),
        );
    }
}

/// The README's figures: calls per 1,000 generated cases and per shrunk difference, on the
/// synthetic simulator (`cargo test -p iamspec-harness --test aws_diff -- --ignored --nocapture`).
#[test]
#[ignore = "a measurement (1,000 cases); .ci/run runs it"]
fn calls_per_thousand_cases_on_the_replay() {
    let endpoint = Endpoint::start(|seen, _| simulate(&seen.body, planted));
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("corpus");
    let cache = work.path().join("cache");
    let args = [
        "diff",
        "--oracle",
        "aws",
        "--count",
        "1000",
        "--seed",
        "1",
        "--aws-rate",
        "0",
        "--aws-endpoint",
        &endpoint.url,
        "--aws-cache",
        &cache.display().to_string(),
        "--out",
        &out.display().to_string(),
    ];
    let run = iamspec(&args, true);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.code().is_some_and(|c| c <= 1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    println!("{stdout}");
    let calls = api_calls(&stdout);
    assert_eq!(calls, endpoint.count());
    let again = iamspec(&args, true);
    assert_eq!(api_calls(&String::from_utf8_lossy(&again.stdout)), 0);
}

/// Faults in the middle of a run — malformed XML (not retried: "could not answer" for the
/// requests of that call), connection resets and 500s (retried by the SDK) — are never a
/// difference and never a crash (no planted disagreement: exit status 0).
#[test]
fn faults_in_a_run_are_could_not_answer_never_a_difference() {
    let endpoint = Endpoint::start(|seen, n| {
        match n % 7 {
        2 => aws_support::Reply::Http {
            status: 200,
            body: "<SimulateCustomPolicyResponse><SimulateCustomPolicyResult><EvaluationResults><member><EvalAct".into(),
        },
        4 => aws_support::Reply::Reset,
        5 => aws_support::Reply::Http {
            status: 500,
            body: aws_support::error_xml("ServiceFailure", "internal"),
        },
        _ => simulate(&seen.body, |_, _| None),
    }
    });
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("corpus");
    let args = identity_only_diff_args(
        "30",
        "32",
        &out,
        &["--no-aws-cache", "--aws-endpoint", &endpoint.url],
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = iamspec(&refs, true);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains(" 0 disagreed"), "{stdout}");
    let could_not: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("other side could not answer:"))
        .collect();
    assert!(could_not.iter().any(|l| l.contains("garbage")), "{stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(files(&out.join("regressions")).is_empty(), "{stdout}");
    assert_clean("stdout", &stdout);
    assert_clean("stderr", &stderr);
}
