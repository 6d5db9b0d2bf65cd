//! End-to-end tests of what `iamspec check` (and `completions`) tells a person (issue 12):
//! the reference evaluator's "why (not)" in every failure report (text, JSON, JUnit, HTML), the
//! per-feature table only where something did not pass, `--failures-only`, colour, triage cases
//! counted where they are seen, shell completions. Each test reads the binary's actual output.

use std::path::Path;
use std::process::Command;

mod common;

use common::{repo, write, Options, Run};

/// Runs the binary with `env` set and `NO_COLOR` removed (the colour tests decide it).
fn iamspec_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    common::iamspec_with(
        args,
        cwd,
        &Options {
            env,
            env_remove: &["NO_COLOR"],
            stdin: None,
        },
    )
}

fn iamspec(args: &[&str], cwd: &Path) -> Run {
    iamspec_env(args, cwd, &[])
}

/// A case of founding document 000's third statement (RunInstances on an AMI only when it is
/// tagged Environment=Prod), whose request carries the tag Dev. `expected` is what the case
/// claims: `allowed` makes a case the reference must fail, with a condition that did not match
/// to explain.
fn tagged_ami_case(kind: &str, expected: &str) -> String {
    format!(
        r#"{{
  "description": "check ux: tagged AMI, {kind}, {expected}",
  "source": {{
    "kind": "{kind}",
    "ref": "Founding document 000: AWS Knowledge Center, launch EC2 instances only from tagged AMIs",
    "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
  }},
  "features": ["operator:StringEquals", "effect:allow"],
  "principal": {{ "arn": "arn:aws:iam::111122223333:user/alice" }},
  "policies": {{
    "identity": [
      {{ "id": "LaunchFromProdAmis", "document": {{ "Version": "2012-10-17", "Statement": [
        {{ "Sid": "LaunchingEC2withAMIsAndTags", "Effect": "Allow", "Action": "ec2:RunInstances",
           "Resource": "arn:aws:ec2:us-east-1::image/ami-*",
           "Condition": {{ "StringEquals": {{ "ec2:ResourceTag/Environment": "Prod" }} }} }}
      ] }} }}
    ]
  }},
  "requests": [
    {{
      "name": "dev-ami",
      "action": "ec2:RunInstances",
      "resource": {{ "arn": "arn:aws:ec2:us-east-1::image/ami-0dev", "owner": "111122223333" }},
      "context": [ {{ "key": "ec2:ResourceTag/Environment", "type": "string", "values": ["Dev"] }} ],
      "expect": {{ "decision": "{expected}" }}
    }}
  ]
}}
"#
    )
}

/// A second case, tagged `grammar:sid` only, that passes.
const PASSING: &str = r#"{
  "description": "check ux: a passing case",
  "source": { "kind": "docs", "ref": "IAM User Guide: Policy evaluation logic",
              "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html" },
  "features": ["grammar:sid"],
  "principal": { "arn": "arn:aws:iam::111122223333:user/alice" },
  "policies": { "identity": [ { "id": "Read", "document": { "Version": "2012-10-17", "Statement": [
    { "Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" } ] } } ] },
  "requests": [ { "name": "get", "action": "s3:GetObject",
                  "resource": { "arn": "arn:aws:s3:::b/k" }, "expect": { "decision": "allowed" } } ]
}
"#;

const CONDITION_LINE: &str = "condition: `StringEquals` `ec2:ResourceTag/Environment` policy [\"Prod\"] vs request [\"Dev\"]: no policy value matches the request's value";

fn failing_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/ami.json",
        &tagged_ami_case("docs", "allowed"),
    );
    write(dir.path(), "docs/read.json", PASSING);
    dir
}

#[test]
fn a_failure_says_why_not_in_text_json_junit_and_html() {
    let dir = failing_dir();
    let cases = dir.path().to_str().unwrap();

    let text = iamspec(&["check", "--cases", cases], dir.path());
    assert_eq!(text.code, 1, "{}\n{}", text.stdout, text.stderr);
    let out = &text.stdout;
    assert!(out.contains("FAILED docs/ami.json::dev-ami"), "{out}");
    assert!(
        out.contains("reference evaluator: implicitDeny for arn:aws:ec2:us-east-1::image/ami-0dev: same account: nothing allows: no identity-based policy allows it"),
        "{out}"
    );
    assert!(out.contains("identity implicitDeny:"), "{out}");
    assert!(
        out.contains("LaunchFromProdAmis statement 0 (Sid \"LaunchingEC2withAMIsAndTags\") Allow [identity] at"),
        "{out}"
    );
    assert!(out.contains(CONDITION_LINE), "{out}");
    // The explanation belongs to the failure: it comes before its reproduce line.
    let why_at = out.find(CONDITION_LINE).unwrap();
    let reproduce_at = out.find("reproduce:").unwrap();
    assert!(why_at < reproduce_at, "{out}");

    let json = iamspec(&["check", "--cases", cases, "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let requests = v["requests"].as_array().unwrap();
    let failed = requests
        .iter()
        .find(|r| r["verdict"] == "failed")
        .expect("one failed request");
    let why = &failed["why"][0];
    assert_eq!(why["decision"], "implicitDeny");
    assert_eq!(why["step"], "same-account");
    let statement = &why["policy_types"][0]["statements"][0];
    assert_eq!(statement["applies"], false);
    assert_eq!(statement["not_matched"][0]["part"], "condition");
    assert_eq!(
        statement["not_matched"][0]["key"],
        "ec2:ResourceTag/Environment"
    );
    let passed = requests.iter().find(|r| r["verdict"] == "passed").unwrap();
    assert_eq!(passed["why"], serde_json::json!([]));

    let junit = iamspec(
        &["check", "--cases", cases, "--format", "junit"],
        dir.path(),
    );
    assert!(
        junit
            .stdout
            .contains("why (not), from the reference evaluator:"),
        "{}",
        junit.stdout
    );
    assert!(
        junit.stdout.contains(
            "condition: `StringEquals` `ec2:ResourceTag/Environment` policy [&quot;Prod&quot;] vs request [&quot;Dev&quot;]"
        ),
        "{}",
        junit.stdout
    );

    let report = dir.path().join("report");
    let run = iamspec(
        &[
            "check",
            "--cases",
            cases,
            "--report-dir",
            report.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1);
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(
        html.contains("<summary>why (not), from the reference evaluator</summary>"),
        "{html}"
    );
    assert!(
        html.contains(
            "condition: `StringEquals` `ec2:ResourceTag/Environment` policy [&quot;Prod&quot;]"
        ),
        "{html}"
    );
}

#[test]
fn the_feature_table_shows_only_what_did_not_pass_unless_verbose() {
    let dir = failing_dir();
    let cases = dir.path().to_str().unwrap();
    let run = iamspec(&["check", "--cases", cases], dir.path());
    let out = &run.stdout;
    assert!(
        out.contains(
            "features where not every request passed (2 of 3 tags; --verbose prints them all):"
        ),
        "{out}"
    );
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.starts_with("effect:allow")
                || l.starts_with("grammar:sid")
                || l.starts_with("operator:StringEquals")
        })
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows.iter().all(|r| !r.starts_with("grammar:sid")), "{out}");

    let verbose = iamspec(&["check", "--cases", cases, "--verbose"], dir.path());
    assert!(
        verbose.stdout.lines().any(|l| l.starts_with("grammar:sid")),
        "{}",
        verbose.stdout
    );

    let green = tempfile::tempdir().unwrap();
    write(green.path(), "docs/read.json", PASSING);
    let run = iamspec(
        &["check", "--cases", green.path().to_str().unwrap()],
        green.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("features: all 1 tags passing (--verbose prints the table)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("feature  "), "{}", run.stdout);
}

#[test]
fn failures_only_prints_the_problems_and_the_summary() {
    let dir = failing_dir();
    let cases = dir.path().to_str().unwrap();
    for flag in ["--failures-only", "-q"] {
        let run = iamspec(&["check", "--cases", cases, flag], dir.path());
        assert_eq!(run.code, 1);
        let out = &run.stdout;
        assert!(!out.contains("cases: "), "{out}");
        assert!(!out.contains("features"), "{out}");
        assert!(out.contains("FAILED docs/ami.json::dev-ami"), "{out}");
        assert!(out.contains(CONDITION_LINE), "{out}");
        assert!(!out.contains("read.json"), "{out}");
        assert_eq!(
            out.lines().last(),
            Some("1 passed, 1 failed, 0 skipped, 0 errored")
        );
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_and_no_color_is_respected() {
    let dir = failing_dir();
    let cases = dir.path().to_str().unwrap();
    // Standard output is a pipe here: `auto` (the default) does not colour.
    let plain = iamspec(&["check", "--cases", cases], dir.path());
    assert!(!plain.stdout.contains('\x1b'), "{}", plain.stdout);
    let never = iamspec(&["check", "--cases", cases, "--color", "never"], dir.path());
    assert!(!never.stdout.contains('\x1b'));
    let always = iamspec_env(
        &["check", "--cases", cases, "--color", "always"],
        dir.path(),
        &[("NO_COLOR", "1")],
    );
    assert!(
        always
            .stdout
            .contains("\x1b[31mFAILED\x1b[0m docs/ami.json::dev-ami"),
        "{}",
        always.stdout
    );
    assert!(
        always
            .stdout
            .ends_with("\x1b[31m1 passed, 1 failed, 0 skipped, 0 errored\x1b[0m\n"),
        "{:?}",
        always.stdout
    );
    let bad = iamspec(
        &["check", "--cases", cases, "--color", "sometimes"],
        dir.path(),
    );
    assert_eq!(bad.code, 2);
}

#[test]
fn generated_triage_cases_are_called_so_and_counted_above_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    let gen = iamspec(
        &[
            "gen",
            "--count",
            "5",
            "--seed",
            "7",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(gen.code, 0, "{}", gen.stderr);
    let run = iamspec(&["check", "--cases", out.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let text = &run.stdout;
    let lines: Vec<&str> = text.lines().collect();
    let total = lines
        .iter()
        .find_map(|l| l.strip_prefix("triage: "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("a triage header line: {text}"));
    assert!(total >= 5, "{text}");
    assert!(text.contains("are triage cases"), "{text}");
    assert_eq!(
        lines.last(),
        Some(&"0 passed, 0 failed, 0 skipped, 0 errored")
    );
    let above = lines[lines.len() - 2];
    assert!(
        above.starts_with("triage cases, not counted below: "),
        "{text}"
    );
    let counted: usize = above
        .trim_start_matches("triage cases, not counted below: ")
        .split(", ")
        .filter_map(|part| part.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(counted, total, "{text}");
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    let dir = tempfile::tempdir().unwrap();
    let bash = iamspec(&["completions", "bash"], dir.path());
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    assert!(
        bash.stdout.contains("complete -F _iamspec"),
        "{}",
        bash.stdout
    );
    assert!(bash.stdout.contains("--failures-only"));
    let zsh = iamspec(&["completions", "zsh"], dir.path());
    assert!(zsh.stdout.starts_with("#compdef iamspec"), "{}", zsh.stdout);
    assert!(zsh.stdout.contains("--principal-context"));
    let fish = iamspec(&["completions", "fish"], dir.path());
    assert!(
        fish.stdout.contains("complete -c iamspec"),
        "{}",
        fish.stdout
    );
    assert!(fish.stdout.contains("completions"));
    let other = iamspec(&["completions", "powershell-9"], dir.path());
    assert_eq!(other.code, 2);
}

/// The README's `check` examples print what the tool prints: each `console` block whose command
/// is `cargo run -q -p iamspec-harness --bin iamspec -- check ...` is run with the binary from
/// the repository root and its output compared line for line.
#[test]
fn the_readme_check_examples_are_the_tools_output() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let prefix = "$ cargo run -q -p iamspec-harness --bin iamspec -- check";
    let mut checked = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap();
        if !block.starts_with(prefix) {
            continue;
        }
        let mut lines = block.lines();
        let command = lines.next().unwrap();
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
    assert!(checked >= 1, "no README check example found");
}

/// A protocol evaluator in POSIX shell: answers `start`, then every `run` with `ANSWER` (the
/// text `SEQ` replaced by the case's seq), except a case described "hang ..." (it sleeps).
fn evaluator(answer: &str) -> String {
    format!(
        r#"read -r line
echo '{{"version":1,"implementation":{{"name":"shell-evaluator","version":"0.0.1","language":"sh","homepage":"https://example.com","issues":"https://example.com/issues"}}}}'
while read -r line; do
  case "$line" in *'"cmd":"stop"'*) exit 0;; esac
  seq=$(printf '%s' "$line" | sed 's/.*"seq":\([0-9]*\).*/\1/')
  case "$line" in *'"description":"hang'*) sleep 60;; esac
  echo '{answer}' | sed "s/SEQ/$seq/"
done
"#
    )
}

/// A one-request case with an allowing identity policy; `description` steers the evaluator.
fn one_request_case(description: &str) -> String {
    format!(
        r#"{{"description": "{description}", "source": {{"kind": "seeds", "ref": "test"}},
  "features": ["effect:allow"],
  "principal": {{"arn": "arn:aws:iam::111122223333:user/alice"}},
  "policies": {{"identity": [{{"id": "P", "document": {{"Version": "2012-10-17", "Statement": [
    {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]}}}}]}},
  "requests": [
    {{"name": "get", "action": "s3:GetObject", "resource": {{"arn": "arn:aws:s3:::b/k"}}, "expect": {{"decision": "allowed"}}}}
  ]}}"#
    )
}

#[test]
fn validate_protocol_names_the_wrong_field_and_says_protocol_ok() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cases/a.json", &one_request_case("a"));
    write(dir.path(), "cases/b.json", &one_request_case("b"));
    write(
        dir.path(),
        "good.sh",
        &evaluator(r#"{"seq":SEQ,"results":[{"decision":"allowed"}]}"#),
    );
    write(
        dir.path(),
        "typo.sh",
        &evaluator(r#"{"seq":SEQ,"results":[{"decison":"allowed"}]}"#),
    );
    let good = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh good.sh",
            "--cases",
            "cases",
            "--validate-protocol",
            "--jobs",
            "1",
        ],
        dir.path(),
    );
    assert_eq!(good.code, 0, "{}{}", good.stdout, good.stderr);
    assert!(
        good.stderr.contains(
            "protocol OK: all 3 messages from the evaluator match docs/protocol/*.schema.json"
        ),
        "{}",
        good.stderr
    );
    let typo = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh typo.sh",
            "--cases",
            "cases",
            "--validate-protocol",
            "--jobs",
            "1",
        ],
        dir.path(),
    );
    assert_eq!(typo.code, 1, "{}{}", typo.stdout, typo.stderr);
    assert!(
        typo.stdout.contains(
            "run-response.schema.json: `results[0]` has a field `decison` the protocol does not define (did you mean `decision`?)"
        ),
        "{}",
        typo.stdout
    );
    assert!(
        typo.stdout
            .contains("run-response.schema.json: `results[0]` has no `decision` field (required)"),
        "{}",
        typo.stdout
    );
    // Not every branch of the oneOf: the result is read as a decision only.
    assert!(!typo.stdout.contains("oneOf"), "{}", typo.stdout);
    assert!(
        !typo.stdout.contains("skipped.schema.json"),
        "{}",
        typo.stdout
    );
    assert!(
        typo.stderr.contains(
            "protocol: 2 of 4 messages from the evaluator break docs/protocol/*.schema.json"
        ),
        "{}",
        typo.stderr
    );
    assert!(!typo.stderr.contains("protocol OK"), "{}", typo.stderr);
}

#[test]
fn no_stop_warning_after_the_harness_killed_a_hanging_evaluator() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cases/a.json", &one_request_case("a"));
    write(dir.path(), "cases/b.json", &one_request_case("hang now"));
    write(
        dir.path(),
        "ev.sh",
        &evaluator(r#"{"seq":SEQ,"results":[{"decision":"allowed"}]}"#),
    );
    let run = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh ev.sh",
            "--cases",
            "cases",
            "--jobs",
            "1",
            "--timeout",
            "1",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.lines().last(),
        Some("1 passed, 0 failed, 0 skipped, 0 errored, 0 crashed, 1 timed out"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stderr.contains("did not exit after stop"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_evaluator_that_cannot_start_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b", "c"] {
        write(
            dir.path(),
            &format!("cases/{name}.json"),
            &one_request_case(name),
        );
    }
    let run = iamspec(
        &[
            "check",
            "--oracle",
            "command:echo nope >&2; exit 3",
            "--cases",
            "cases",
            "--jobs",
            "3",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stderr.matches("exited (exit status: 3)").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("(the same for 3 instances)"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_writes_into_iamspec_findings_unless_asked_for_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let run = iamspec(
        &[
            "diff",
            "--oracle",
            "reference",
            "--count",
            "2",
            "--seed",
            "1",
            "--preset",
            "identity-only",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let findings = dir.path().join("iamspec-findings");
    assert!(
        findings.join(".diff").is_dir(),
        "nothing under {}: {}",
        findings.display(),
        run.stdout
    );
    assert!(run.stdout.contains("iamspec-findings"), "{}", run.stdout);
    // Nothing else appeared in the working directory.
    let entries: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, vec!["iamspec-findings".to_string()]);

    let both = iamspec(
        &[
            "diff",
            "--oracle",
            "reference",
            "--into-corpus",
            "--out",
            "x",
        ],
        dir.path(),
    );
    assert_eq!(both.code, 2, "{}", both.stderr);
    // --into-corpus means the source tree's corpus (this test's binary was built from one).
    let corpus = iamspec_harness::commands::diff::default_out(true).unwrap();
    assert_eq!(
        corpus.canonicalize().unwrap(),
        repo().join("corpus").canonicalize().unwrap()
    );
    assert_eq!(
        iamspec_harness::commands::diff::default_out(false).unwrap(),
        Path::new("iamspec-findings")
    );
}

#[test]
fn the_readme_examples_write_under_git_ignored_folders() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let ignore = std::fs::read_to_string(repo().join(".gitignore")).unwrap();
    for folder in ["iamspec-out", "iamspec-findings"] {
        assert!(
            ignore.lines().any(|l| l.trim() == format!("/{folder}")),
            ".gitignore lacks /{folder}"
        );
    }
    // Every --out/--report-dir of a README example that writes outside the docs is under
    // iamspec-out/.
    let mut seen = 0;
    for line in readme.lines().filter(|l| l.starts_with("iamspec ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            if pair[0] == "--out" || pair[0] == "--report-dir" {
                seen += 1;
                assert!(
                    pair[1].starts_with("iamspec-out/") || pair[1].starts_with("docs/"),
                    "README example writes to {}: {line}",
                    pair[1]
                );
            }
        }
    }
    assert!(seen >= 2, "{seen}");
}

/// The corpus size the README quotes is what `iamspec check` counts today.
#[test]
fn the_readme_corpus_count_is_what_check_counts() {
    let run = iamspec(&["check", "--format", "json"], repo());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let total: u64 = [
        "passed",
        "failed",
        "skipped",
        "errored",
        "crashed",
        "timed_out",
    ]
    .iter()
    .map(|k| v[k].as_u64().unwrap_or(0))
    .sum();
    let triage: u64 = [
        "passed",
        "failed",
        "skipped",
        "errored",
        "crashed",
        "timed_out",
    ]
    .iter()
    .map(|k| v["triage"][k].as_u64().unwrap_or(0))
    .sum();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let want = format!("authorization corpus ({total} requests");
    assert!(
        readme.contains(&want),
        "README.md's Status must say \"{want}\" (and `{total} passed, plus {triage} triage requests`): `iamspec check` counts {total} requests and {triage} triage requests"
    );
    let want = format!("plus {triage} triage requests");
    assert!(readme.contains(&want), "README.md must say \"{want}\"");
}

/// On a real terminal (a pseudo-terminal from util-linux `script`), `auto` colours, and
/// `NO_COLOR` turns it off.
#[test]
fn on_a_terminal_auto_colours_unless_no_color() {
    let dir = failing_dir();
    let command = format!(
        "{} check --cases {} --failures-only --no-progress",
        env!("CARGO_BIN_EXE_iamspec"),
        dir.path().display()
    );
    let on_tty = |no_color: Option<&str>| {
        let mut script = Command::new("script");
        script
            .args(["-qec", &command, "/dev/null"])
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            script.env("NO_COLOR", v);
        }
        let output = script
            .output()
            .expect("util-linux `script` runs (it gives the command a terminal)");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let coloured = on_tty(None);
    assert!(
        coloured.contains("\x1b[31mFAILED\x1b[0m docs/ami.json::dev-ami"),
        "{coloured:?}"
    );
    let plain = on_tty(Some("1"));
    assert!(plain.contains("FAILED docs/ami.json::dev-ami"), "{plain:?}");
    assert!(!plain.contains("\x1b[31m"), "{plain:?}");
}
