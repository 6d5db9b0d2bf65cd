//! End-to-end tests of `iamspec check --evaluator`, `iamspec report diff` and `iamspec bench`
//! with a small evaluator written in POSIX shell: it answers, fails, crashes or hangs depending
//! on the case's description. Needs nothing but `sh` and `sed`.

mod common;

use common::iamspec;

/// The evaluator: `allowed` for the first request and `implicitDeny` for the second, except for
/// cases described as "crash" (it exits) or "hang" (it sleeps).
const EVALUATOR: &str = r#"read -r line
echo '{"version":1,"implementation":{"name":"shell-evaluator","version":"0.0.1","language":"sh","homepage":"https://example.com","issues":"https://example.com/issues"}}'
while read -r line; do
  case "$line" in *'"cmd":"stop"'*) exit 0;; esac
  seq=$(printf '%s' "$line" | sed 's/.*"seq":\([0-9]*\).*/\1/')
  case "$line" in
    *'"description":"crash'*) echo 'crashing on purpose' >&2; exit 7;;
    *'"description":"hang'*) sleep 60;;
  esac
  echo "{\"seq\":$seq,\"results\":[{\"decision\":\"allowed\"},{\"decision\":\"implicitDeny\"}]}"
done
"#;

fn case(description: &str, expected: &str) -> String {
    format!(
        r#"{{"description": "{description}", "source": {{"kind": "seeds", "ref": "test"}},
  "features": ["effect:allow"],
  "principal": {{"arn": "arn:aws:iam::111122223333:user/alice"}},
  "policies": {{"identity": [{{"id": "P", "document": {{"Version": "2012-10-17", "Statement": [
    {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]}}}}]}},
  "requests": [
    {{"name": "get-object", "action": "s3:GetObject", "resource": {{"arn": "arn:aws:s3:::b/k"}}, "expect": {{"decision": "{expected}"}}}},
    {{"name": "put-object", "action": "s3:PutObject", "resource": {{"arn": "arn:aws:s3:::b/k"}}, "expect": {{"decision": "implicitDeny"}}}}
  ]}}"#
    )
}

fn setup(with_trouble: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(dir.path().join("evaluator.sh"), EVALUATOR).unwrap();
    std::fs::write(cases.join("a.json"), case("passes", "allowed")).unwrap();
    std::fs::write(cases.join("b.json"), case("fails", "explicitDeny")).unwrap();
    if with_trouble {
        std::fs::write(cases.join("c.json"), case("crash now", "allowed")).unwrap();
        std::fs::write(cases.join("d.json"), case("hang now", "allowed")).unwrap();
    }
    dir
}

#[test]
fn an_evaluator_is_checked_with_crashes_and_hangs_counted_apart() {
    let dir = setup(true);
    let run = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh evaluator.sh",
            "--cases",
            "cases",
            "--timeout",
            "1",
            "--jobs",
            "2",
            "--validate-protocol",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let last = run.stdout.lines().last().unwrap_or("");
    assert_eq!(
        last, "3 passed, 1 failed, 0 skipped, 0 errored, 2 crashed, 2 timed out",
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("evaluator: shell-evaluator 0.0.1"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("crashing on purpose"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("reproduce: iamspec check --oracle 'command:sh evaluator.sh' --cases cases --filter b.json::get-object"),
        "{}",
        run.stdout
    );
}

#[test]
fn known_failures_decide_the_exit_status() {
    let dir = setup(false);
    let known = dir.path().join("known.json");
    std::fs::write(
        &known,
        r#"[{"test": "b.json::get-object", "reason": "the shell evaluator never denies explicitly"}]"#,
    )
    .unwrap();
    let run_with = |k: &str| {
        iamspec(
            &[
                "check",
                "--oracle",
                "command:sh evaluator.sh",
                "--cases",
                "cases",
                "--known-failures",
                k,
            ],
            dir.path(),
        )
    };
    let run = run_with("known.json");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .trim_end()
        .ends_with("; 1 known failures, 0 new problems, 0 no longer failing, 0 stale entries"));

    // A listed test that passes is a problem too.
    std::fs::write(
        &known,
        r#"[{"test": "b.json::get-object", "reason": "r"}, {"test": "a.json::get-object", "reason": "r"}]"#,
    )
    .unwrap();
    let run = run_with("known.json");
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .contains("no longer failing (remove them from the list)"));
    assert!(
        run.stdout.contains("PASSED a.json::get-object"),
        "{}",
        run.stdout
    );

    // A list without reasons is unusable input.
    std::fs::write(&known, r#"[{"test": "b.json::get-object", "reason": ""}]"#).unwrap();
    let run = run_with("known.json");
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("known.json"), "{}", run.stderr);
}

#[test]
fn an_evaluator_that_does_not_start_is_unusable_input() {
    let dir = setup(false);
    let run = iamspec(
        &[
            "check",
            "--oracle",
            "command:echo no protocol here",
            "--cases",
            "cases",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("the evaluator did not start"),
        "{}",
        run.stderr
    );
    let run = iamspec(
        &["check", "--oracle", "adapter:no-such-adapter"],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("moto"), "{}", run.stderr);
}

#[test]
fn report_diff_shows_what_got_fixed_and_what_broke() {
    let dir = setup(false);
    let reference = iamspec(
        &["check", "--cases", "cases", "--report-dir", "ref"],
        dir.path(),
    );
    assert_eq!(reference.code, 1, "{}", reference.stdout);
    let evaluator = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh evaluator.sh",
            "--cases",
            "cases",
            "--report-dir",
            "ev",
        ],
        dir.path(),
    );
    assert_eq!(evaluator.code, 1, "{}", evaluator.stdout);
    for f in ["report.json", "report.md", "report.html"] {
        assert!(dir.path().join("ev").join(f).is_file(), "{f}");
    }
    // Same implementation name in both? No: the reference is `iamspec`; diffing a report with
    // itself shows nothing, and a changed copy shows the change.
    let run = iamspec(
        &["report", "diff", "ev/report.json", "ev/report.json"],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 fixed, 0 broke"), "{}", run.stdout);
    let text = std::fs::read_to_string(dir.path().join("ev/report.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["implementations"][0]["tests"]["b.json::get-object"]["status"] = "passed".into();
    json["implementations"][0]["tests"]["a.json::get-object"]["status"] = "crashed".into();
    std::fs::write(dir.path().join("changed.json"), json.to_string()).unwrap();
    let run = iamspec(
        &["report", "diff", "ev/report.json", "changed.json"],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("fixed   b.json::get-object: failed -> passed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("broke   a.json::get-object: passed -> crashed"),
        "{}",
        run.stdout
    );
    let run = iamspec(
        &["report", "diff", "ev/report.json", "nope.json"],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nope.json"), "{}", run.stderr);
}

#[test]
fn bench_measures_the_reference_and_an_evaluator() {
    let dir = setup(false);
    let run = iamspec(
        &[
            "bench",
            "--oracle",
            "reference",
            "--oracle",
            "command:sh evaluator.sh",
            "--cases",
            "cases",
            "--rounds",
            "2",
            "--round-seconds",
            "0.2",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("iamspec 0.1.0"), "{}", run.stdout);
    // The ratio table: the reference's rate over the evaluator's, round by round.
    assert!(
        run.stdout.contains("decides faster than") && run.stdout.contains("×  ("),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("shell-evaluator 0.0.1"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("start-up excluded"), "{}", run.stdout);
    let run = iamspec(&["bench", "--cases", "cases"], dir.path());
    assert_eq!(run.code, 2);
}

#[test]
fn recorded_answers_replay_to_the_same_verdicts() {
    let dir = setup(false);
    let live = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh evaluator.sh",
            "--cases",
            "cases",
            "--record",
            "rec.jsonl",
            "--jobs",
            "2",
        ],
        dir.path(),
    );
    assert_eq!(live.code, 1, "{}{}", live.stdout, live.stderr);
    let lines = std::fs::read_to_string(dir.path().join("rec.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 2, "{lines}");
    let replay = iamspec(
        &["check", "--oracle", "replay:rec.jsonl", "--cases", "cases"],
        dir.path(),
    );
    assert_eq!(replay.code, 1, "{}{}", replay.stdout, replay.stderr);
    assert_eq!(
        replay.stdout.lines().last(),
        live.stdout.lines().last(),
        "{}",
        replay.stdout
    );
}

#[test]
fn the_old_spellings_still_name_the_same_oracles() {
    let dir = setup(false);
    let new = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh evaluator.sh",
            "--cases",
            "cases",
        ],
        dir.path(),
    );
    let old = iamspec(
        &[
            "check",
            "--evaluator",
            "sh evaluator.sh",
            "--cases",
            "cases",
        ],
        dir.path(),
    );
    assert_eq!(new.code, 1, "{}{}", new.stdout, new.stderr);
    assert_eq!(old.code, new.code);
    assert_eq!(old.stdout.lines().last(), new.stdout.lines().last());
    let both = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh evaluator.sh",
            "--evaluator",
            "sh evaluator.sh",
        ],
        dir.path(),
    );
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[test]
fn every_command_reads_the_same_timeout_and_rejects_bad_ones_without_panicking() {
    let dir = setup(false);
    for bad in ["1e20", "-1", "0", "NaN", "inf", "soon", "86401"] {
        for command in [
            vec![
                "check",
                "--oracle",
                "command:sh evaluator.sh",
                "--cases",
                "cases",
            ],
            vec!["bench", "--oracle", "reference", "--cases", "cases"],
            vec!["report", "conformance", "--out", "conformance.md"],
            vec![
                "diff",
                "--oracle",
                "command:sh evaluator.sh",
                "--count",
                "1",
            ],
        ] {
            let flag = format!("--timeout={bad}");
            let mut args = command.clone();
            args.push(&flag);
            let run = iamspec(&args, dir.path());
            assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
            assert!(
                run.stderr.contains("--timeout") && !run.stderr.contains("panicked"),
                "{args:?}: {}",
                run.stderr
            );
        }
    }
    let run = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh evaluator.sh",
            "--cases",
            "cases",
            "--timeout",
            "2.5",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
}

#[test]
fn diff_takes_compare_like_check() {
    let dir = setup(false);
    let run = iamspec(&["diff", "--help"], dir.path());
    assert!(run.stdout.contains("--compare <MODE>"), "{}", run.stdout);
    assert!(!run.stdout.contains("--mode"), "{}", run.stdout);
    for command in ["check", "bench", "diff"] {
        let run = iamspec(&[command, "--help"], dir.path());
        assert!(
            run.stdout
                .contains("--oracle <reference|adapter:NAME|command:CMD|replay:FILE>"),
            "{command}: {}",
            run.stdout
        );
    }
}

/// One testcase of a JUnit report as read back: classname, name, and the kind and text of its
/// failure, error or skip.
#[derive(Debug, Default)]
struct JunitCase {
    classname: String,
    name: String,
    outcome: Option<String>,
    text: String,
}

/// Reads a JUnit XML report back with an XML parser: the `testsuites` counts and the cases.
fn read_junit(text: &str) -> (std::collections::BTreeMap<String, String>, Vec<JunitCase>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut totals = std::collections::BTreeMap::new();
    let mut cases: Vec<JunitCase> = Vec::new();
    let attrs = |e: &quick_xml::events::BytesStart| -> Vec<(String, String)> {
        e.attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().expect("value").into_owned(),
                )
            })
            .collect()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuites" => totals.extend(attrs(&e)),
                b"testcase" => {
                    let a = attrs(&e);
                    let get = |k: &str| a.iter().find(|(n, _)| n == k).unwrap().1.clone();
                    cases.push(JunitCase {
                        classname: get("classname"),
                        name: get("name"),
                        ..JunitCase::default()
                    });
                }
                tag @ (b"failure" | b"error" | b"skipped") => {
                    cases.last_mut().unwrap().outcome =
                        Some(String::from_utf8(tag.to_vec()).unwrap());
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(case) = cases.last_mut() {
                    case.text.push_str(&t.unescape().expect("text"));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (totals, cases)
}

#[test]
fn check_writes_junit_that_a_parser_reads_back() {
    let dir = setup(true);
    let run = iamspec(
        &[
            "check",
            "--oracle",
            "command:sh evaluator.sh",
            "--cases",
            "cases",
            "--timeout",
            "1",
            "--format",
            "junit",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let (totals, cases) = read_junit(&run.stdout);
    assert_eq!(totals["tests"], "8", "{}", run.stdout);
    assert_eq!(totals["failures"], "1", "{}", run.stdout);
    assert_eq!(totals["errors"], "4", "{}", run.stdout);
    assert_eq!(totals["skipped"], "0", "{}", run.stdout);
    assert_eq!(cases.len(), 8);
    assert_eq!(
        cases.iter().filter(|c| c.outcome.is_none()).count(),
        3,
        "{cases:?}"
    );
    let failed: Vec<&JunitCase> = cases
        .iter()
        .filter(|c| c.outcome.as_deref() == Some("failure"))
        .collect();
    assert_eq!(failed.len(), 1, "{cases:?}");
    let failure = failed[0];
    assert_eq!(failure.classname, "b.json");
    assert_eq!(failure.name, "get-object");
    assert!(
        failure.text.contains(
            "reproduce: iamspec check --oracle 'command:sh evaluator.sh' --cases cases --filter b.json::get-object"
        ),
        "{}",
        failure.text
    );
    assert!(
        failure
            .text
            .contains("expected: {\"decision\":\"explicitDeny\"}"),
        "{}",
        failure.text
    );
    assert!(
        failure.text.contains("answered: {") && failure.text.contains("allowed"),
        "{}",
        failure.text
    );
}
