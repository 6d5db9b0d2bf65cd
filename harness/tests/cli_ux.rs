//! End-to-end tests of what `iamspec eval` tells a person (issue 12): "why not" in text and
//! JSON, real AWS inputs (stdin, `aws iam` output shapes, one file at several SCP levels),
//! request flags that would decide silently wrong, every error of a policy, principal-derived
//! context keys. Each test reads the binary's actual output.

use std::path::Path;

mod common;

use common::{iamspec, repo, Options, Run};

fn iamspec_with_stdin(args: &[&str], cwd: &Path, stdin: Option<&str>) -> Run {
    common::iamspec_with(
        args,
        cwd,
        &Options {
            stdin,
            ..Options::default()
        },
    )
}

const TAGGED_AMI: &str = "harness/example-policies/LaunchFromTaggedAmis.json";

const ALLOW_S3: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

#[test]
fn a_denial_says_why_not_statement_by_statement() {
    let run = iamspec(
        &[
            "eval",
            "--policy",
            TAGGED_AMI,
            "--principal",
            "arn:aws:iam::111122223333:user/alice",
            "--action",
            "ec2:RunInstances",
            "--resource",
            "arn:aws:ec2:us-east-1::image/ami-0abc",
            "--context",
            "ec2:ResourceTag/Environment=string:Dev",
        ],
        repo(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(out.contains("decision: implicitDeny"), "{out}");
    assert!(
        out.contains("why: same account: nothing allows: no identity-based policy allows it"),
        "{out}"
    );
    assert!(out.contains("why not, statement by statement:"), "{out}");
    assert!(
        out.contains("condition: `StringEquals` `ec2:ResourceTag/Environment` policy [\"Prod\"] vs request [\"Dev\"]: no policy value matches the request's value"),
        "{out}"
    );
    assert!(out.contains("action: `Action` ["), "{out}");
    // JSON carries the same explanation.
    let run = iamspec(
        &[
            "eval",
            "--policy",
            TAGGED_AMI,
            "--action",
            "ec2:RunInstances",
            "--resource",
            "arn:aws:ec2:us-east-1::image/ami-0abc",
            "--format",
            "json",
        ],
        repo(),
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["why"][0]["step"], "same-account");
    let statements = v["why"][0]["policy_types"][0]["statements"]
        .as_array()
        .unwrap();
    let condition = statements
        .iter()
        .flat_map(|s| s["not_matched"].as_array().unwrap())
        .find(|m| m["part"] == "condition")
        .expect("a condition mismatch");
    assert_eq!(condition["key"], "ec2:ResourceTag/Environment");
    assert_eq!(condition["context_values"], serde_json::Value::Null);
    assert!(condition["because"]
        .as_str()
        .unwrap()
        .contains("StringEqualsIfExists` would be true"));
    // The missing key's flag is named.
    assert_eq!(
        v["missing_context_flags"][0],
        "--context 'ec2:ResourceTag/Environment=string:VALUE'"
    );
}

#[test]
fn cross_account_and_scp_levels_name_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let bucket = dir.path().join("bucket.json");
    std::fs::write(&bucket, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"*"}]}"#).unwrap();
    let run = iamspec(
        &[
            "eval",
            "--resource-policy",
            bucket.to_str().unwrap(),
            "--principal",
            "arn:aws:iam::444455556666:user/bob",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
            "--resource-owner",
            "111122223333",
        ],
        dir.path(),
    );
    assert!(
        run.stdout.contains("why: cross-account (caller's account 444455556666, resource owned by 111122223333): both sides must allow: the resource-based policy allows; the identity side must allow too, but no identity-based policy allows it"),
        "{}",
        run.stdout
    );
    // One file at several SCP levels (FullAWSAccess is at every level of an organization).
    let full = dir.path().join("FullAWSAccess.json");
    std::fs::write(
        &full,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .unwrap();
    let ec2 = dir.path().join("Ec2Only.json");
    std::fs::write(&ec2, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#).unwrap();
    let identity = dir.path().join("identity.json");
    std::fs::write(&identity, ALLOW_S3).unwrap();
    let level2 = format!("{},{}", full.display(), ec2.display());
    let run = iamspec(
        &[
            "eval",
            "--policy",
            identity.to_str().unwrap(),
            "--scp",
            full.to_str().unwrap(),
            "--scp",
            &level2,
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Level 2 holds FullAWSAccess too, so it allows: every level allows.
    assert!(run.stdout.contains("decision: allowed"), "{}", run.stdout);
    let run = iamspec(
        &[
            "eval",
            "--policy",
            identity.to_str().unwrap(),
            "--scp",
            full.to_str().unwrap(),
            "--scp",
            ec2.to_str().unwrap(),
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
        dir.path(),
    );
    assert!(
        run.stdout
            .contains("why: SCP level 2 (Ec2Only) has no Allow for this action"),
        "{}",
        run.stdout
    );
}

#[test]
fn policies_from_stdin_and_from_aws_cli_output() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "eval",
        "--policy",
        "-",
        "--action",
        "s3:GetObject",
        "--resource",
        "*",
    ];
    let run = iamspec_with_stdin(&args, dir.path(), Some(ALLOW_S3));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("decision: allowed"), "{}", run.stdout);
    assert!(run.stdout.contains("stdin statement 0"), "{}", run.stdout);
    // `aws iam get-policy-version` output, with a mistake: the position is in the file.
    let version = "{\n    \"PolicyVersion\": {\n        \"Document\": {\n            \"Version\": \"2012-10-17\",\n            \"Statement\": [{\"Effect\": \"Alow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n        },\n        \"VersionId\": \"v1\"\n    }\n}\n";
    std::fs::write(dir.path().join("version.json"), version).unwrap();
    let run = iamspec(
        &[
            "eval",
            "--policy",
            "version.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("version.json:5:38: invalid-effect"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `Allow`?"),
        "{}",
        run.stderr
    );
    // URL-encoded, as the IAM API returns it.
    let encoded = ALLOW_S3
        .replace('{', "%7B")
        .replace('}', "%7D")
        .replace('"', "%22")
        .replace(':', "%3A");
    std::fs::write(
        dir.path().join("encoded.json"),
        format!(r#"{{"PolicyVersion":{{"Document":"{encoded}"}}}}"#),
    )
    .unwrap();
    let run = iamspec(
        &[
            "eval",
            "--policy",
            "encoded.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
        dir.path(),
    );
    assert!(
        run.stdout.contains("decision: allowed"),
        "{} {}",
        run.stdout,
        run.stderr
    );
    // get-role's trust policy as a resource-based policy.
    std::fs::write(
        dir.path().join("role.json"),
        r#"{"Role":{"RoleName":"R","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}}}"#,
    )
    .unwrap();
    let run = iamspec(
        &[
            "eval",
            "--resource-policy",
            "role.json",
            "--principal",
            "ec2.amazonaws.com",
            "--action",
            "sts:AssumeRole",
            "--resource",
            "arn:aws:iam::111122223333:role/R",
        ],
        dir.path(),
    );
    assert!(
        run.stdout.contains("decision: allowed"),
        "{} {}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn every_error_of_a_policy_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Efect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqual":{"aws:username":"a"}}}]}"#,
    )
    .unwrap();
    let run = iamspec(
        &[
            "eval",
            "--policy",
            "p.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        lines[0].contains("unknown-element") && lines[0].contains("did you mean `Effect`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown-condition-operator")
            && run.stderr.contains("did you mean `StringEquals`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn request_flags_that_would_decide_silently_wrong_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), ALLOW_S3).unwrap();
    let eval = |extra: &[&str]| {
        let mut args = vec!["eval", "--policy", "p.json", "--resource", "*"];
        args.extend_from_slice(extra);
        iamspec(&args, dir.path())
    };
    let run = eval(&["--action", "GetObject"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("has no service prefix")
            && run.stderr.contains("did you mean")
            && run.stderr.contains("`s3:GetObject`"),
        "{}",
        run.stderr
    );
    let run = eval(&["--action", "s3:Get*"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is a pattern"), "{}", run.stderr);
    let run = eval(&["--action", "s3:GetObject", "--principal", "alice"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not an ARN")
            && run.stderr.contains("arn:aws:iam::111122223333:user/alice"),
        "{}",
        run.stderr
    );
    let run = eval(&["--action", "s3:GetObjects"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains("warning: action `s3:GetObjects`")
            && run.stderr.contains("did you mean `GetObject`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn principal_context_fills_what_aws_fills_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("home.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}"#,
    )
    .unwrap();
    let base = [
        "eval",
        "--policy",
        "home.json",
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::home/alice/notes.txt",
    ];
    // The default is the simulator's: nothing invented, and the flag that would supply it.
    let run = iamspec(&base, dir.path());
    assert!(
        run.stdout.contains("decision: implicitDeny"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("missing context: aws:username"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--context 'aws:username=string:VALUE' (or --principal-context, which fills it from the principal)"),
        "{}",
        run.stdout
    );
    let mut args = base.to_vec();
    args.push("--principal-context");
    let run = iamspec(&args, dir.path());
    assert!(run.stdout.contains("decision: allowed"), "{}", run.stdout);
    assert!(
        run.stdout.contains("filled from the principal (--principal-context): aws:PrincipalArn=arn:aws:iam::111122223333:user/alice, aws:PrincipalAccount=111122223333, aws:PrincipalType=User, aws:username=alice"),
        "{}",
        run.stdout
    );
}

/// The README's `eval` examples print what the tool prints: each `console` block whose command
/// is `cargo run -q -p iamspec-harness --bin iamspec -- eval ...` is run with the binary and its
/// output compared line for line.
#[test]
fn the_readme_eval_examples_are_the_tools_output() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let prefix = "$ cargo run -q -p iamspec-harness --bin iamspec -- eval";
    let mut checked = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap();
        if !block.starts_with(prefix) {
            continue;
        }
        let mut command = String::new();
        let mut lines = block.lines();
        for line in lines.by_ref() {
            let (part, more) = match line.strip_suffix('\\') {
                Some(part) => (part, true),
                None => (line, false),
            };
            command.push_str(part);
            command.push(' ');
            if !more {
                break;
            }
        }
        let expected: Vec<&str> = lines.collect();
        let args: Vec<&str> = command
            .trim_start_matches("$ cargo run -q -p iamspec-harness --bin iamspec --")
            .split_whitespace()
            .collect();
        let run = iamspec(&args, repo());
        let actual: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(actual, expected, "README example `{command}`");
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} README eval examples found");
}

#[test]
fn a_check_filter_that_matches_nothing_fails() {
    let run = iamspec(&["check", "--filter", "no-such-request-anywhere"], repo());
    assert_eq!(run.code, 1, "{} {}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("--filter `no-such-request-anywhere` matches no request"),
        "{}",
        run.stderr
    );
    let run = iamspec(&["check", "--filter", "seeds/department-dev"], repo());
    assert_eq!(run.code, 0, "{} {}", run.stdout, run.stderr);
}
