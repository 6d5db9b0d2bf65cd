//! End-to-end tests of the `iamspec` binary: `eval` on policy files and `check` on small
//! directories of case files written here (passing, failing, malformed, triage), checking exit
//! statuses, the summary line and the JSON fields that scripts rely on.

use std::path::Path;

use serde_json::Value;

mod common;

use common::{iamspec, write, Run};

const ALLOW_GET_OBJECT: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadObjects",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
"#;

/// A case whose identity policy allows s3:GetObject on one bucket; `expected` is the decision
/// the case expects for a GetObject on that bucket, `kind` its provenance.
fn case(description: &str, kind: &str, expected: &str) -> String {
    format!(
        r#"{{
  "description": "{description}",
  "source": {{
    "kind": "{kind}",
    "ref": "IAM User Guide: Policy evaluation logic",
    "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
  }},
  "features": ["effect:allow", "decision:default-deny"],
  "principal": {{ "arn": "arn:aws:iam::111122223333:user/alice" }},
  "policies": {{
    "identity": [
      {{ "id": "ReadObjects", "document": {{ "Version": "2012-10-17", "Statement": [
        {{ "Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*" }}
      ] }} }}
    ]
  }},
  "requests": [
    {{
      "name": "get-object",
      "action": "s3:GetObject",
      "resource": {{ "arn": "arn:aws:s3:::example-bucket/report.csv" }},
      "expect": {{ "decision": "{expected}" }}
    }},
    {{
      "name": "put-object",
      "action": "s3:PutObject",
      "resource": {{ "arn": "arn:aws:s3:::example-bucket/report.csv" }},
      "expect": {{ "decision": "implicitDeny" }}
    }}
  ]
}}
"#
    )
}

/// Runs `iamspec check --cases DIR` in DIR and checks its exit status and summary line.
fn check_dir(dir: &Path, code: i32, summary: &str) -> Run {
    let cases = dir.to_str().expect("a UTF-8 scratch path");
    let run = iamspec(&["check", "--cases", cases], dir);
    assert_eq!(
        run.code, code,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert_eq!(summary_line(&run.stdout), summary);
    run
}

/// The JSON report of `iamspec check --cases DIR`, run in DIR.
fn check_json(dir: &Path) -> Value {
    let cases = dir.to_str().expect("a UTF-8 scratch path");
    iamspec(&["check", "--cases", cases, "--format", "json"], dir).json()
}

/// The requests of a JSON check report whose verdict is `verdict`.
fn with_verdict<'a>(report: &'a Value, verdict: &str) -> Vec<&'a Value> {
    report["requests"]
        .as_array()
        .expect("the report lists its requests")
        .iter()
        .filter(|r| r["verdict"] == verdict)
        .collect()
}

fn summary_line(stdout: &str) -> &str {
    stdout.lines().last().unwrap_or("")
}

fn is_summary(line: &str) -> bool {
    let words: Vec<&str> = line.split(' ').collect();
    words.len() == 8
        && words[0].parse::<usize>().is_ok()
        && words[1] == "passed,"
        && words[2].parse::<usize>().is_ok()
        && words[3] == "failed,"
        && words[4].parse::<usize>().is_ok()
        && words[5] == "skipped,"
        && words[6].parse::<usize>().is_ok()
        && words[7] == "errored"
}

// ---- eval ----

#[test]
fn eval_allows_and_explains_in_json() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ReadObjects.json", ALLOW_GET_OBJECT);
    let run = iamspec(
        &[
            "eval",
            "--policy",
            "ReadObjects.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::example-bucket/report.csv",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let v = run.json();
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["matched"][0]["policy"], "ReadObjects");
    assert_eq!(v["matched"][0]["statement"], 0);
    assert_eq!(v["matched"][0]["sid"], "ReadObjects");
    assert_eq!(v["matched"][0]["start"]["line"], 4);
    assert_eq!(v["resources"][0]["decision"], "allowed");
    assert_eq!(v["missing_context"], Value::Array(vec![]));
}

#[test]
fn eval_text_names_the_decision_and_statement() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ReadObjects.json", ALLOW_GET_OBJECT);
    let run = iamspec(
        &[
            "eval",
            "--policy",
            "ReadObjects.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::example-bucket/report.csv",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.contains("decision: allowed"), "{}", run.stdout);
    assert!(
        run.stdout.contains("ReadObjects statement 0"),
        "{}",
        run.stdout
    );
}

#[test]
fn eval_denial_is_exit_zero_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ReadObjects.json", ALLOW_GET_OBJECT);
    let args = [
        "eval",
        "--policy",
        "ReadObjects.json",
        "--action",
        "s3:DeleteObject",
        "--resource",
        "arn:aws:s3:::example-bucket/report.csv",
    ];
    let run = iamspec(&args, dir.path());
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains("decision: implicitDeny"),
        "{}",
        run.stdout
    );

    let mut with_exit_code = args.to_vec();
    with_exit_code.push("--exit-code");
    let run = iamspec(&with_exit_code, dir.path());
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
}

#[test]
fn eval_reports_a_rejected_policy_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n",
    );
    let run = iamspec(
        &[
            "eval",
            "--policy",
            "broken.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    let line = run.stderr.lines().next().unwrap_or("");
    let rest = line
        .strip_prefix("broken.json:")
        .unwrap_or_else(|| panic!("stderr does not start with the file: {line}"));
    let parts: Vec<&str> = rest.splitn(4, ':').collect();
    assert_eq!(parts.len(), 4, "{line}");
    assert!(parts[0].parse::<u32>().is_ok(), "line in {line}");
    assert!(parts[1].parse::<u32>().is_ok(), "column in {line}");
    assert_eq!(parts[2], " malformed-json", "{line}");
    assert!(run.stdout.is_empty());
}

#[test]
fn eval_refuses_bad_context_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ReadObjects.json", ALLOW_GET_OBJECT);
    for bad in [
        "aws:SourceIp",
        "aws:SourceIp=ipaddress:10.0.0.1",
        "=string:x",
    ] {
        let run = iamspec(
            &[
                "eval",
                "--policy",
                "ReadObjects.json",
                "--action",
                "s3:GetObject",
                "--resource",
                "*",
                "--context",
                bad,
            ],
            dir.path(),
        );
        assert_eq!(run.code, 2, "{bad}");
        assert!(run.stderr.contains("--context"), "{bad}: {}", run.stderr);
    }
}

#[test]
fn eval_names_a_missing_policy_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = iamspec(
        &[
            "eval",
            "--policy",
            "nope.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("nope.json: cannot read"),
        "{}",
        run.stderr
    );
}

/// The README's example: launching only from AMIs tagged Environment=Prod.
#[test]
fn eval_the_readme_example() {
    let policy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/example-policies/LaunchFromTaggedAmis.json"
    );
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = [
        "eval",
        "--policy",
        policy,
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--action",
        "ec2:RunInstances",
        "--resource",
        "arn:aws:ec2:us-east-1::image/ami-0abc",
        "--format",
        "json",
    ];
    let mut prod = base.to_vec();
    prod.extend(["--context", "ec2:ResourceTag/Environment=string:Prod"]);
    let v = iamspec(&prod, here).json();
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["matched"][0]["policy"], "LaunchFromTaggedAmis");
    assert_eq!(v["matched"][0]["statement"], 2);
    assert_eq!(v["matched"][0]["sid"], "LaunchingEC2withAMIsAndTags");

    let mut dev = base.to_vec();
    dev.extend(["--context", "ec2:ResourceTag/Environment=string:Dev"]);
    let v = iamspec(&dev, here).json();
    assert_eq!(v["decision"], "implicitDeny");
    assert_eq!(v["missing_context"], Value::Array(vec![]));

    let v = iamspec(&base, here).json();
    assert_eq!(v["decision"], "implicitDeny");
    assert_eq!(v["missing_context"][0], "ec2:ResourceTag/Environment");
}

// ---- check ----

#[test]
fn check_passes_a_passing_directory() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/s3/read.json",
        &case("cli: read objects", "docs", "allowed"),
    );
    let cases = dir.path().to_str().unwrap();
    let run = check_dir(dir.path(), 0, "2 passed, 0 failed, 0 skipped, 0 errored");
    // Every tag passed: the table is left out unless asked for (issue 12).
    assert!(!run.stdout.contains("effect:allow"), "{}", run.stdout);
    let verbose = iamspec(&["check", "--cases", cases, "--verbose"], dir.path());
    assert!(
        verbose.stdout.contains("effect:allow"),
        "{}",
        verbose.stdout
    );

    let v = check_json(dir.path());
    assert_eq!(v["passed"], 2);
    assert_eq!(v["failed"], 0);
    assert_eq!(v["skipped"], 0);
    assert_eq!(v["errored"], 0);
    assert_eq!(v["features"]["effect:allow"]["passed"], 2);
    let requests = v["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0]["name"], "docs/s3/read.json::get-object");
    assert_eq!(requests[0]["file"], "docs/s3/read.json");
    assert_eq!(requests[0]["verdict"], "passed");
    assert_eq!(requests[0]["decision"], "allowed");
    assert!(requests[0]["messages"].is_array());
}

#[test]
fn check_fails_and_shows_how_to_reproduce() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/good.json",
        &case("cli: good", "docs", "allowed"),
    );
    write(
        dir.path(),
        "docs/bad.json",
        &case("cli: bad", "docs", "explicitDeny"),
    );
    let run = check_dir(dir.path(), 1, "3 passed, 1 failed, 0 skipped, 0 errored");
    assert!(
        run.stdout.contains("FAILED docs/bad.json::get-object"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--filter docs/bad.json::get-object"),
        "{}",
        run.stdout
    );

    let v = check_json(dir.path());
    assert_eq!(v["failed"], 1);
    let failed = with_verdict(&v, "failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["name"], "docs/bad.json::get-object");
    assert_eq!(failed[0]["decision"], "allowed");
    assert!(!failed[0]["messages"].as_array().unwrap().is_empty());
}

#[test]
fn check_counts_a_malformed_file_as_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/good.json",
        &case("cli: good", "docs", "allowed"),
    );
    write(dir.path(), "docs/broken.json", "{ \"description\": ");
    write(
        dir.path(),
        "unknown-field.json",
        &case("cli: unknown field", "docs", "allowed").replacen(
            "\"features\"",
            "\"colour\": \"red\", \"features\"",
            1,
        ),
    );
    let run = check_dir(dir.path(), 1, "2 passed, 0 failed, 0 skipped, 2 errored");
    assert!(run.stdout.contains("broken.json"), "{}", run.stdout);

    let v = check_json(dir.path());
    assert_eq!(v["errored"], 2);
    let errored = with_verdict(&v, "errored");
    assert_eq!(errored.len(), 2);
    assert!(errored
        .iter()
        .all(|r| !r["messages"].as_array().unwrap().is_empty()));
}

#[test]
fn check_reports_triage_apart_and_never_fails_on_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/good.json",
        &case("cli: good", "docs", "allowed"),
    );
    write(
        dir.path(),
        "triage/peer.json",
        &case("cli: peer disagrees", "triage", "explicitDeny"),
    );
    let run = check_dir(dir.path(), 0, "2 passed, 0 failed, 0 skipped, 0 errored");
    assert!(
        run.stdout
            .contains("triage: 1 passed, 1 failed, 0 skipped, 0 errored"),
        "{}",
        run.stdout
    );
    let v = check_json(dir.path());
    assert_eq!(v["passed"], 2);
    assert_eq!(v["triage"]["failed"], 1);
}

#[test]
fn check_filter_selects_requests_by_test_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/a.json",
        &case("cli: a", "docs", "allowed"),
    );
    write(
        dir.path(),
        "docs/b.json",
        &case("cli: b", "docs", "explicitDeny"),
    );
    let cases = dir.path().to_str().unwrap();
    let run = iamspec(
        &[
            "check",
            "--cases",
            cases,
            "--filter",
            "docs/a.json::get-object",
        ],
        dir.path(),
    );
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert_eq!(
        summary_line(&run.stdout),
        "1 passed, 0 failed, 0 skipped, 0 errored"
    );
}

#[test]
fn check_refuses_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir");
    let run = iamspec(&["check", "--cases", missing.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-dir"), "{}", run.stderr);
}

#[test]
fn check_runs_the_bundled_corpus_from_anywhere() {
    let elsewhere = tempfile::tempdir().unwrap();
    let run = iamspec(&["check"], elsewhere.path());
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(
        is_summary(summary_line(&run.stdout)),
        "last line: {:?}",
        summary_line(&run.stdout)
    );
    let v = iamspec(&["check", "--format", "json"], elsewhere.path()).json();
    for field in ["passed", "failed", "skipped", "errored"] {
        assert!(v[field].is_u64(), "{field}");
    }
    assert!(v["features"].is_object());
    assert!(v["requests"].is_array());
}

#[test]
fn the_github_workflow_runs_the_projects_ci_script_with_caches() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workflow = std::fs::read_to_string(root.join(".github/workflows/ci.yml"))
        .expect(".github/workflows/ci.yml");
    assert!(workflow.contains("run: .ci/run"), "{workflow}");
    for cached in [
        "~/.cargo/registry",
        "target",
        "cache: npm",
        "cache: pip",
        "hashFiles('Cargo.lock'",
    ] {
        assert!(
            workflow.contains(cached),
            "not cached: {cached}\n{workflow}"
        );
    }
    assert!(root.join(".ci/run").is_file());
}
