//! The messages of the iamspec evaluator protocol, version 1 (`docs/protocol/README.md`), as
//! serde types matching `docs/protocol/*.schema.json`.
//!
//! The harness writes [`Command`]s (`start`, `run`, `stop`) and reads a [`StartResponse`] and
//! one [`RunAnswer`] per `run`. An adapter written in Rust can use the same types the other way
//! round. Nothing here starts processes or decides requests: see the harness for the process
//! client, and the reference evaluator for decisions.
//!
//! Reading an answer is strict where the schemas are: [`RunAnswer::parse`] and
//! [`StartResponse::parse`] reject missing members, values out of range, unknown error kinds and
//! an object of two shapes at once (a result holding both `decision` and `skipped`), with a
//! message saying what is wrong, so that the harness can report the line as garbage. Members
//! they do not know are ignored, as the schemas allow them: adding an optional member to an
//! answer is a compatible change (`docs/protocol/README.md`, "Changing the protocol"). They
//! never panic, whatever the text.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::case::Case;
use crate::terms::ErrorKind;
pub use crate::terms::{Decision, MatchedStatement, Position};

/// The protocol version this crate speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// True when `kind` is an error kind an evaluator may answer in a rejection: an [`ErrorKind`]
/// (the keys of `corpus/error-kinds.json`), or `other`. Mirrors `run-response.schema.json`.
pub fn is_error_kind(kind: &str) -> bool {
    kind == OTHER_ERROR_KIND || ErrorKind::from_name(kind).is_some()
}

/// The error kind an evaluator answers when no [`ErrorKind`] fits or it cannot say which.
pub const OTHER_ERROR_KIND: &str = "other";

/// Every error kind an evaluator may answer, in the schema's order: the [`ErrorKind`]s, then
/// `other`.
pub fn error_kinds() -> Vec<&'static str> {
    ErrorKind::ALL
        .iter()
        .map(|k| k.name())
        .chain([OTHER_ERROR_KIND])
        .collect()
}

/// A command from the harness to the evaluator (`start-request`, `run-request`,
/// `stop-request` schemas).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "lowercase", deny_unknown_fields)]
pub enum Command {
    /// The first line: the protocol version the harness speaks.
    Start {
        /// Always [`PROTOCOL_VERSION`].
        version: u32,
    },
    /// Decide every request of one case.
    Run {
        /// Sequence number, echoed in the answer.
        seq: u64,
        /// The case, as the case file holds it.
        case: Box<Case>,
    },
    /// The last line: the evaluator exits with status 0 without answering.
    Stop,
}

impl Command {
    /// The `start` command for [`PROTOCOL_VERSION`].
    pub fn start() -> Command {
        Command::Start {
            version: PROTOCOL_VERSION,
        }
    }

    /// The command as one line of compact JSON, without the newline.
    ///
    /// Policy documents that a case file writes as JSON objects are kept as raw text (with the
    /// file's line breaks and indentation); on the protocol's one line they are re-encoded
    /// compactly, member order kept. Documents written as JSON strings keep their exact text.
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        serde_json::to_value(self).map(|v| v.to_string())
    }
}

/// How an evaluator tells denials apart (`implementation.decision_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionMode {
    /// It tells `explicitDeny` from `implicitDeny` (the default).
    #[default]
    Exact,
    /// It only knows allowed vs not allowed and answers `implicitDeny` for every denial.
    Class,
}

/// What the evaluator says it is (`start-response.schema.json`, `implementation`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Implementation {
    /// Short name of the wrapped evaluator, e.g. `iam-simulate`.
    pub name: String,
    /// Version of the wrapped evaluator as loaded.
    pub version: String,
    /// The language it is written in.
    pub language: String,
    /// Its home page.
    pub homepage: String,
    /// Where to report its bugs.
    pub issues: String,
    /// How it tells denials apart; `None` means [`DecisionMode::Exact`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_mode: Option<DecisionMode>,
    /// Any other member (the schema allows them).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Implementation {
    /// The decision mode, defaulting to [`DecisionMode::Exact`].
    pub fn decision_mode(&self) -> DecisionMode {
        self.decision_mode.unwrap_or_default()
    }
}

/// The answer to `start` (`start-response.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartResponse {
    /// The protocol version the evaluator speaks.
    pub version: u32,
    /// What it is.
    pub implementation: Implementation,
}

impl StartResponse {
    /// Reads a start response line, checking what the schema checks.
    pub fn parse(line: &str) -> Result<StartResponse, String> {
        let response: StartResponse =
            serde_json::from_str(line).map_err(|e| format!("not a start response: {e}"))?;
        if response.version != PROTOCOL_VERSION {
            return Err(format!(
                "protocol version {} answered, the harness speaks {PROTOCOL_VERSION}",
                response.version
            ));
        }
        let i = &response.implementation;
        for (member, value) in [
            ("name", &i.name),
            ("version", &i.version),
            ("language", &i.language),
        ] {
            if value.is_empty() {
                return Err(format!("implementation.{member} is empty"));
            }
        }
        Ok(response)
    }
}

/// A decided request (`$defs/decision` of `run-response.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionResult {
    /// The decision.
    pub decision: Decision,
    /// The statements that decided; `None` when the evaluator cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<Vec<MatchedStatement>>,
    /// Context keys referenced by applicable statements that the request lacks; `None` when
    /// the evaluator cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_context: Option<Vec<String>>,
    /// For a request with `resources`: one result per resource, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<RequestAnswer>>,
    /// Free text for humans, never compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl DecisionResult {
    /// A bare decision, with nothing else reported.
    pub fn new(decision: Decision) -> DecisionResult {
        DecisionResult {
            decision,
            matched: None,
            missing_context: None,
            resources: None,
            message: None,
        }
    }
}

/// A per-request (or whole-case) skip: the evaluator cannot express it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedResult {
    /// Always `true`.
    pub skipped: True,
    /// Why the evaluator cannot express it (not empty).
    pub message: String,
    /// An issue about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_url: Option<String>,
}

/// The evaluator rejects a policy document of the case (`$defs/error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// The error kind: an [`ErrorKind`] name, or `other` (see [`is_error_kind`]).
    pub error: String,
    /// The id of the rejected policy in the case, when the evaluator says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The evaluator's own message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where the error is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_position: Option<Position>,
}

/// One result of a `results` answer: a decision, a skip or a rejection.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RequestAnswer {
    /// The request was decided.
    Decision(DecisionResult),
    /// The evaluator cannot express this request.
    Skipped(SkippedResult),
    /// The evaluator rejects a policy of the case.
    Error(Rejection),
}

impl<'de> Deserialize<'de> for RequestAnswer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        RequestAnswer::from_value(value).map_err(serde::de::Error::custom)
    }
}

impl RequestAnswer {
    /// Reads one result from JSON, saying what is wrong when it is not one of the three shapes.
    pub fn from_value(value: Value) -> Result<RequestAnswer, String> {
        let Value::Object(map) = &value else {
            return Err(format!(
                "a result must be an object, not {}",
                kind_of(&value)
            ));
        };
        let shape = if map.contains_key("decision") {
            "decision"
        } else if map.contains_key("skipped") {
            "skipped"
        } else if map.contains_key("error") {
            "error"
        } else {
            return Err(
                "a result must hold `decision`, `skipped` or `error`, and holds none".to_string(),
            );
        };
        one_shape(map, &["decision", "skipped", "error"], "a result")?;
        let mut value = value;
        if let Value::Object(map) = &mut value {
            match shape {
                "decision" => {
                    map.retain(|k, _| DECISION_MEMBERS.contains(&k.as_str()));
                    if let Some(Value::Array(matched)) = map.get_mut("matched") {
                        for item in matched.iter_mut() {
                            if let Value::Object(item) = item {
                                item.retain(|k, _| MATCHED_MEMBERS.contains(&k.as_str()));
                                for end in ["start", "end"] {
                                    retain_position(item.get_mut(end));
                                }
                            }
                        }
                    }
                }
                "skipped" => map.retain(|k, _| SKIPPED_MEMBERS.contains(&k.as_str())),
                _ => {
                    map.retain(|k, _| REJECTION_MEMBERS.contains(&k.as_str()));
                    retain_position(map.get_mut("error_position"));
                }
            }
        }
        let answer = match shape {
            "decision" => serde_json::from_value(value).map(RequestAnswer::Decision),
            "skipped" => serde_json::from_value(value).map(RequestAnswer::Skipped),
            _ => serde_json::from_value(value).map(RequestAnswer::Error),
        }
        .map_err(|e| format!("a result of shape `{shape}`: {e}"))?;
        answer.check()?;
        Ok(answer)
    }

    /// Checks what serde cannot: non-empty skip messages, known error kinds, 1-based positions.
    fn check(&self) -> Result<(), String> {
        match self {
            RequestAnswer::Decision(d) => {
                for s in d.matched.iter().flatten() {
                    for p in [s.start, s.end].into_iter().flatten() {
                        check_position(p, "matched statement")?;
                    }
                }
                for (i, r) in d.resources.iter().flatten().enumerate() {
                    r.check().map_err(|e| format!("resources[{i}]: {e}"))?;
                }
                Ok(())
            }
            RequestAnswer::Skipped(s) => {
                if s.message.is_empty() {
                    Err("a skipped result needs a non-empty `message`".to_string())
                } else {
                    Ok(())
                }
            }
            RequestAnswer::Error(r) => {
                if !is_error_kind(&r.error) {
                    return Err(format!(
                        "error kind `{}` is not one of the protocol's kinds (use `other`)",
                        r.error
                    ));
                }
                if let Some(p) = r.error_position {
                    check_position(p, "error_position")?;
                }
                Ok(())
            }
        }
    }
}

/// The members of a decided result this version reads (others are ignored).
const DECISION_MEMBERS: &[&str] = &[
    "decision",
    "matched",
    "missing_context",
    "resources",
    "message",
];
/// The members of a matched statement this version reads.
const MATCHED_MEMBERS: &[&str] = &[
    "policy",
    "policy_type",
    "statement",
    "sid",
    "effect",
    "start",
    "end",
];
/// The members of a skipped result (and, with `seq`, of a skipped answer) this version reads.
const SKIPPED_MEMBERS: &[&str] = &["seq", "skipped", "message", "issue_url"];
/// The members of a rejection this version reads.
const REJECTION_MEMBERS: &[&str] = &["error", "policy", "message", "error_position"];

/// Drops the members of a position this version does not read.
fn retain_position(position: Option<&mut Value>) {
    if let Some(Value::Object(p)) = position {
        p.retain(|k, _| k == "line" || k == "column");
    }
}

/// An error when `map` holds more than one of the members that name a shape.
fn one_shape(map: &Map<String, Value>, shapes: &[&str], what: &str) -> Result<(), String> {
    let held: Vec<String> = shapes
        .iter()
        .filter(|s| map.contains_key(**s))
        .map(|s| format!("`{s}`"))
        .collect();
    if held.len() > 1 {
        Err(format!(
            "{what} holds {}: it must be one shape",
            held.join(" and ")
        ))
    } else {
        Ok(())
    }
}

fn check_position(p: Position, what: &str) -> Result<(), String> {
    if p.line == 0 || p.column == 0 {
        Err(format!(
            "{what}: positions are 1-based, got {}:{}",
            p.line, p.column
        ))
    } else {
        Ok(())
    }
}

/// The JSON `true` (the `const: true` members `skipped` and `errored`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct True;

impl Serialize for True {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(true)
    }
}

impl<'de> Deserialize<'de> for True {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if bool::deserialize(deserializer)? {
            Ok(True)
        } else {
            Err(serde::de::Error::custom("must be true"))
        }
    }
}

/// `results`: one result per request (`run-response.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsAnswer {
    /// The echoed sequence number.
    pub seq: u64,
    /// One result per request, in the order of the case's requests.
    pub results: Vec<RequestAnswer>,
}

/// The whole case skipped (`skipped.schema.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedAnswer {
    /// The echoed sequence number.
    pub seq: u64,
    /// Always `true`.
    pub skipped: True,
    /// Why the evaluator cannot express the case (not empty).
    pub message: String,
    /// An issue about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_url: Option<String>,
}

/// What the evaluator says about its own failure (`errored.schema.json`, `context`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ErrorContext {
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Its stderr.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    /// A traceback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceback: Option<String>,
    /// Any other member (the schema allows them).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The evaluator failed on this case (`errored.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErroredAnswer {
    /// The echoed sequence number.
    pub seq: u64,
    /// Always `true`.
    pub errored: True,
    /// What it says about the failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ErrorContext>,
}

/// Any answer to `run` (`run-answer.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RunAnswer {
    /// One result per request.
    Results(ResultsAnswer),
    /// The whole case skipped.
    Skipped(SkippedAnswer),
    /// The evaluator failed on the case.
    Errored(ErroredAnswer),
}

impl RunAnswer {
    /// The echoed sequence number.
    pub fn seq(&self) -> u64 {
        match self {
            RunAnswer::Results(a) => a.seq,
            RunAnswer::Skipped(a) => a.seq,
            RunAnswer::Errored(a) => a.seq,
        }
    }

    /// Reads an answer line, checking what the schemas check; the error says what is wrong.
    pub fn parse(line: &str) -> Result<RunAnswer, String> {
        let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
        RunAnswer::from_value(value)
    }

    /// Reads an answer from JSON, checking what the schemas check.
    pub fn from_value(value: Value) -> Result<RunAnswer, String> {
        let Value::Object(map) = &value else {
            return Err(format!(
                "an answer must be an object, not {}",
                kind_of(&value)
            ));
        };
        one_shape(map, &["results", "skipped", "errored"], "an answer")?;
        if map.contains_key("results") {
            let Some(Value::Array(items)) = map.get("results") else {
                return Err("`results` must be an array".to_string());
            };
            let seq = read_seq(map)?;
            let mut results = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                results.push(
                    RequestAnswer::from_value(item.clone())
                        .map_err(|e| format!("results[{i}]: {e}"))?,
                );
            }
            Ok(RunAnswer::Results(ResultsAnswer { seq, results }))
        } else if map.contains_key("skipped") {
            let mut value = value;
            if let Value::Object(map) = &mut value {
                map.retain(|k, _| SKIPPED_MEMBERS.contains(&k.as_str()));
            }
            let answer: SkippedAnswer =
                serde_json::from_value(value).map_err(|e| format!("a skipped answer: {e}"))?;
            if answer.message.is_empty() {
                return Err("a skipped answer needs a non-empty `message`".to_string());
            }
            Ok(RunAnswer::Skipped(answer))
        } else if map.contains_key("errored") {
            let mut value = value;
            if let Value::Object(map) = &mut value {
                map.retain(|k, _| ["seq", "errored", "context"].contains(&k.as_str()));
            }
            serde_json::from_value(value)
                .map(RunAnswer::Errored)
                .map_err(|e| format!("an errored answer: {e}"))
        } else {
            Err("an answer must hold `results`, `skipped` or `errored`, and holds none".to_string())
        }
    }
}

impl<'de> Deserialize<'de> for RunAnswer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        RunAnswer::from_value(value).map_err(serde::de::Error::custom)
    }
}

fn read_seq(map: &Map<String, Value>) -> Result<u64, String> {
    match map.get("seq") {
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| format!("`seq` must be a non-negative integer, not {n}")),
        Some(other) => Err(format!(
            "`seq` must be a non-negative integer, not {}",
            kind_of(other)
        )),
        None => Err("the answer has no `seq`".to_string()),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_serialise_as_the_protocol_says() {
        assert_eq!(
            Command::start().to_line().unwrap(),
            r#"{"cmd":"start","version":1}"#
        );
        assert_eq!(Command::Stop.to_line().unwrap(), r#"{"cmd":"stop"}"#);
        let case: Case = serde_json::from_str(
            r#"{"description":"d","source":{"kind":"seeds","ref":"r"},"features":[],
                "principal":{"arn":"arn:aws:iam::111122223333:user/a"},
                "policies":{"identity":[{"id":"P","document":{"Version":"2012-10-17","Statement":[]}}]},
                "requests":[{"name":"n","action":"s3:GetObject","resource":{"arn":"*"},"expect":{"decision":"allowed"}}]}"#,
        )
        .unwrap();
        let line = Command::Run {
            seq: 7,
            case: Box::new(case),
        }
        .to_line()
        .unwrap();
        assert!(
            line.starts_with(r#"{"cmd":"run","seq":7,"case":{"#),
            "{line}"
        );
        assert!(line.contains(r#""document":{"Version":"2012-10-17","Statement":[]}"#));
        assert!(!line.contains('\n'));
        let case: Case = serde_json::from_str(
            "{\"description\":\"d\",\"source\":{\"kind\":\"seeds\",\"ref\":\"r\"},\"features\":[],\n\
             \"principal\":{\"arn\":\"arn:aws:iam::111122223333:user/a\"},\n\
             \"policies\":{\"identity\":[{\"id\":\"P\",\"document\":{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}},\n\
               {\"id\":\"Q\",\"document\":\"{\\n \\\"Version\\\": 1}\"}]},\n\
             \"requests\":[{\"name\":\"n\",\"action\":\"s3:GetObject\",\"resource\":{\"arn\":\"*\"},\"expect\":{\"decision\":\"allowed\"}}]}",
        )
        .unwrap();
        let line = Command::Run {
            seq: 1,
            case: Box::new(case),
        }
        .to_line()
        .unwrap();
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.contains(r#""document":{"Version":"2012-10-17","Statement":[]}"#),
            "{line}"
        );
        assert!(
            line.contains(r#""document":"{\n \"Version\": 1}""#),
            "{line}"
        );
    }

    #[test]
    fn the_three_answer_shapes_are_read() {
        let a = RunAnswer::parse(
            r#"{"seq":0,"results":[{"decision":"allowed","matched":[{"policy":"P","statement":0}]},{"decision":"explicitDeny"},{"skipped":true,"message":"m"},{"error":"invalid-effect","error_position":{"line":1,"column":2}}]}"#,
        )
        .unwrap();
        let RunAnswer::Results(r) = a else {
            panic!("not results")
        };
        assert_eq!(r.results.len(), 4);
        assert!(
            matches!(&r.results[0], RequestAnswer::Decision(d) if d.decision == Decision::Allowed && d.matched.as_ref().unwrap().len() == 1)
        );
        assert!(matches!(&r.results[2], RequestAnswer::Skipped(s) if s.message == "m"));
        assert!(matches!(&r.results[3], RequestAnswer::Error(e) if e.error == "invalid-effect"));
        assert!(matches!(
            RunAnswer::parse(r#"{"seq":1,"skipped":true,"message":"no RCPs"}"#).unwrap(),
            RunAnswer::Skipped(s) if s.seq == 1
        ));
        assert!(matches!(
            RunAnswer::parse(r#"{"seq":2,"errored":true,"context":{"message":"boom","x":1}}"#).unwrap(),
            RunAnswer::Errored(e) if e.context.as_ref().unwrap().message.as_deref() == Some("boom")
        ));
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        for (line, needle) in [
            ("hello", "not JSON"),
            ("[1]", "must be an object"),
            (r#"{"seq":0}"#, "holds none"),
            (r#"{"seq":-1,"results":[]}"#, "non-negative"),
            (r#"{"results":[]}"#, "no `seq`"),
            (
                r#"{"seq":0,"results":[],"skipped":true,"message":"m"}"#,
                "one shape",
            ),
            (
                r#"{"seq":0,"results":[{"decision":"maybe"}]}"#,
                "results[0]",
            ),
            (
                r#"{"seq":0,"results":[{"decision":"allowed","skipped":true,"message":"m"}]}"#,
                "one shape",
            ),
            (r#"{"seq":0,"results":[{"error":"nope"}]}"#, "not one of"),
            (
                r#"{"seq":0,"results":[{"skipped":false,"message":"m"}]}"#,
                "true",
            ),
            (
                r#"{"seq":0,"results":[{"skipped":true,"message":""}]}"#,
                "non-empty",
            ),
            (r#"{"seq":0,"skipped":true,"message":""}"#, "non-empty"),
            (r#"{"seq":0,"errored":false}"#, "true"),
            (
                r#"{"seq":0,"results":[{"error":"other","error_position":{"line":0,"column":1}}]}"#,
                "1-based",
            ),
        ] {
            let err = RunAnswer::parse(line).unwrap_err();
            assert!(err.contains(needle), "{line}: {err}");
        }
    }

    #[test]
    fn start_responses_are_read() {
        let r = StartResponse::parse(
            r#"{"version":1,"implementation":{"name":"x","version":"1","language":"py","homepage":"https://e","issues":"https://e/i","decision_mode":"class","more":1}}"#,
        )
        .unwrap();
        assert_eq!(r.implementation.decision_mode(), DecisionMode::Class);
        assert_eq!(r.implementation.extra["more"], 1);
        assert!(StartResponse::parse(r#"{"version":2,"implementation":{"name":"x","version":"1","language":"py","homepage":"h","issues":"i"}}"#).unwrap_err().contains("version 2"));
        assert!(StartResponse::parse(r#"{"version":1}"#).is_err());
    }

    #[test]
    fn answers_round_trip() {
        let line = r#"{"seq":3,"results":[{"decision":"implicitDeny","missing_context":["aws:SourceIp"],"resources":[{"decision":"implicitDeny"},{"skipped":true,"message":"m"}]}]}"#;
        let a = RunAnswer::parse(line).unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), line);
        let b: RunAnswer = serde_json::from_str(line).unwrap();
        assert_eq!(a, b);
    }
}
