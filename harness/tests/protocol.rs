//! The protocol types (`iamspec_format::protocol`) and the protocol's JSON Schemas
//! (`docs/protocol/*.schema.json`) agree: the closed lists are the same, every valid example
//! parses and re-serialises into something the schemas accept, and what the schemas refuse the
//! types refuse too.

use iamspec_format::protocol::{error_kinds, Command, Decision, RunAnswer, StartResponse};
use iamspec_harness::oracle::process::schemas::{Message, ProtocolSchemas};
use iamspec_harness::paths::source_root;
use serde_json::Value;
use std::path::Path;

fn schema(name: &str) -> Value {
    let path = source_root().join("docs/protocol").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_closed_lists_match_the_schema() {
    let s = schema("run-response.schema.json");
    let kinds = strings(&s["$defs"]["error"]["properties"]["error"]["enum"]);
    assert_eq!(kinds, error_kinds());
    let decisions = strings(&s["$defs"]["decision"]["properties"]["decision"]["enum"]);
    let ours: Vec<&str> = Decision::ALL.iter().map(|d| d.name()).collect();
    assert_eq!(decisions, ours);
}

#[test]
fn the_protocol_error_kinds_are_the_corpus_error_kinds_plus_other() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/error-kinds.json");
    let corpus: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut expected: Vec<&str> = corpus.keys().map(String::as_str).collect();
    expected.push("other");
    assert_eq!(error_kinds(), expected);
}

const VALID_ANSWERS: &[&str] = &[
    r#"{"seq":0,"results":[{"decision":"allowed","matched":[{"policy":"ReadReports","statement":0}]},{"decision":"explicitDeny"},{"skipped":true,"message":"..."}]}"#,
    r#"{"seq":1,"skipped":true,"message":"pmapper has no resource control policies"}"#,
    r#"{"seq":2,"errored":true,"context":{"message":"IndexError: list index out of range","stderr":"..."}}"#,
    r#"{"seq":3,"results":[{"decision":"implicitDeny","missing_context":["aws:SourceIp"],"resources":[{"decision":"allowed","matched":[{"policy":"P","statement":1,"sid":"S","start":{"line":1,"column":2},"end":{"line":3,"column":4}}]},{"error":"invalid-action","policy":"P","message":"m","error_position":{"line":2,"column":5}}],"message":"note"}]}"#,
    r#"{"seq":4,"skipped":true,"message":"m","issue_url":"https://github.com/x/y/issues/1"}"#,
    r#"{"seq":5,"errored":true}"#,
];

const INVALID_ANSWERS: &[&str] = &[
    r#"{"seq":0}"#,
    r#"{"seq":0,"results":[{"decision":"Allow"}]}"#,
    r#"{"seq":0,"results":[{"decision":"allowed","skipped":true,"message":"m"}]}"#,
    r#"{"seq":0,"results":[{"error":"other","skipped":true,"message":"m"}]}"#,
    r#"{"seq":0,"results":[],"errored":true}"#,
    r#"{"seq":0,"results":[{"skipped":true}]}"#,
    r#"{"seq":0,"results":[{"error":"no-such-kind"}]}"#,
    r#"{"seq":0,"results":[{"decision":"allowed","matched":[{"policy":"P"}]}]}"#,
    r#"{"seq":0,"results":[{"decision":"allowed","matched":[{"policy":"P","statement":-1}]}]}"#,
    r#"{"seq":-1,"results":[]}"#,
    r#"{"seq":0,"skipped":true,"message":""}"#,
    r#"{"seq":0,"skipped":false,"message":"m"}"#,
    r#"{"seq":0,"errored":true,"skipped":true,"message":"m"}"#,
    r#"{"results":[]}"#,
    r#"[]"#,
];

#[test]
fn valid_answers_parse_and_reserialise_into_valid_answers() {
    let schemas = ProtocolSchemas::new().unwrap();
    for line in VALID_ANSWERS {
        let value: Value = serde_json::from_str(line).unwrap();
        schemas
            .check(Message::RunAnswer, &value)
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        let parsed = RunAnswer::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        let again = serde_json::to_value(&parsed).unwrap();
        assert_eq!(again, value, "round trip of {line}");
    }
}

/// Answers with members this version does not know (README, "Changing the protocol": adding an
/// optional member to an answer is compatible), at every level.
const ANSWERS_WITH_NEW_MEMBERS: &[&str] = &[
    r#"{"seq":0,"results":[{"decision":"allowed","confidence":0.9}],"elapsed_ms":3}"#,
    r#"{"seq":0,"results":[{"decision":"allowed","matched":[{"policy":"P","statement":0,"note":"x","start":{"line":1,"column":2,"offset":1}}]}]}"#,
    r#"{"seq":0,"results":[{"skipped":true,"message":"m","tag":"rcp"},{"error":"other","hint":"h","error_position":{"line":1,"column":1,"offset":0}}]}"#,
    r#"{"seq":1,"skipped":true,"message":"m","tag":"rcp"}"#,
    r#"{"seq":2,"errored":true,"retryable":false}"#,
];

#[test]
fn new_optional_members_in_answers_are_accepted_by_schemas_and_types() {
    let schemas = ProtocolSchemas::new().unwrap();
    for line in ANSWERS_WITH_NEW_MEMBERS {
        let value: Value = serde_json::from_str(line).unwrap();
        schemas
            .check(Message::RunAnswer, &value)
            .unwrap_or_else(|e| panic!("the schema refuses {line}: {e}"));
        RunAnswer::parse(line).unwrap_or_else(|e| panic!("the types refuse {line}: {e}"));
    }
    let parsed = RunAnswer::parse(ANSWERS_WITH_NEW_MEMBERS[1]).unwrap();
    assert_eq!(
        serde_json::to_string(&parsed).unwrap(),
        r#"{"seq":0,"results":[{"decision":"allowed","matched":[{"policy":"P","statement":0,"start":{"line":1,"column":2}}]}]}"#,
        "what this version reads is kept, the rest ignored"
    );
    let start = r#"{"version":1,"implementation":{"name":"x","version":"1","language":"l","homepage":"https://e","issues":"https://e"},"capabilities":["rcp"]}"#;
    let value: Value = serde_json::from_str(start).unwrap();
    schemas.check(Message::StartResponse, &value).unwrap();
    StartResponse::parse(start).unwrap();
}

#[test]
fn what_the_schemas_refuse_the_types_refuse() {
    let schemas = ProtocolSchemas::new().unwrap();
    for line in INVALID_ANSWERS {
        let value: Value = serde_json::from_str(line).unwrap();
        assert!(
            schemas.check(Message::RunAnswer, &value).is_err(),
            "the schema accepts {line}"
        );
        assert!(RunAnswer::parse(line).is_err(), "the types accept {line}");
    }
}

#[test]
fn start_and_commands_agree_with_the_schemas() {
    let schemas = ProtocolSchemas::new().unwrap();
    let start = r#"{"version":1,"implementation":{"name":"iam-simulate","version":"0.1.173","language":"typescript","homepage":"https://github.com/cloud-copilot/iam-simulate","issues":"https://github.com/cloud-copilot/iam-simulate/issues","decision_mode":"exact"}}"#;
    let value: Value = serde_json::from_str(start).unwrap();
    schemas.check(Message::StartResponse, &value).unwrap();
    let parsed = StartResponse::parse(start).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), value);
    for bad in [
        r#"{"version":1,"implementation":{"name":"x"}}"#,
        r#"{"version":1,"implementation":{"name":"","version":"1","language":"l","homepage":"https://e","issues":"https://e"}}"#,
        r#"{"version":1,"implementation":{"name":"x","version":"1","language":"l","homepage":"https://e","issues":"https://e","decision_mode":"fuzzy"}}"#,
    ] {
        let value: Value = serde_json::from_str(bad).unwrap();
        assert!(
            schemas.check(Message::StartResponse, &value).is_err(),
            "{bad}"
        );
        assert!(StartResponse::parse(bad).is_err(), "{bad}");
    }
    // The harness's own commands, including a run of a real corpus case.
    let case_path = source_root().join("corpus/seeds");
    let (work, _) = iamspec_harness::run::suite::load_work(&[case_path], None);
    let case = work.into_iter().next().expect("a seed case").case;
    for (message, command) in [
        (Message::StartRequest, Command::start()),
        (
            Message::RunRequest,
            Command::Run {
                seq: 3,
                case: Box::new(case),
            },
        ),
        (Message::StopRequest, Command::Stop),
    ] {
        let line = command.to_line().unwrap();
        assert!(!line.contains('\n'));
        let value: Value = serde_json::from_str(&line).unwrap();
        schemas
            .check(message, &value)
            .unwrap_or_else(|e| panic!("{line}: {e}"));
    }
}
