//! The protocol's JSON Schemas (`docs/protocol/*.schema.json`), compiled once, for
//! `--validate-protocol`: every line an evaluator sends is checked against the schema of what it
//! should be, and a violation is reported in plain words: the field that is wrong (`results[0].
//! decision`) and what it must be — for a value that fits none of a `oneOf`'s shapes, only the
//! errors of the shape it is closest to, with "did you mean" for a misspelled field. The schemas
//! count the messages they checked and the violations, so a run can say "protocol OK".
//!
//! This module only validates; the serde types in `iamspec_format::protocol` read the messages.
//! The schemas are built into the binary, so validation works wherever the binary runs.

use std::sync::atomic::{AtomicUsize, Ordering};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

const START_RESPONSE: &str = include_str!("../../../protocol/start-response.schema.json");
const RUN_RESPONSE: &str = include_str!("../../../protocol/run-response.schema.json");
const SKIPPED: &str = include_str!("../../../protocol/skipped.schema.json");
const ERRORED: &str = include_str!("../../../protocol/errored.schema.json");
const START_REQUEST: &str = include_str!("../../../protocol/start-request.schema.json");
const RUN_REQUEST: &str = include_str!("../../../protocol/run-request.schema.json");
const STOP_REQUEST: &str = include_str!("../../../protocol/stop-request.schema.json");

/// Which protocol message a line should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    /// The answer to `start`.
    StartResponse,
    /// Any answer to `run` (`run-answer.schema.json`: exactly one of results, skipped, errored).
    RunAnswer,
    /// The `start` command.
    StartRequest,
    /// The `run` command.
    RunRequest,
    /// The `stop` command.
    StopRequest,
}

/// The compiled schemas.
pub struct ProtocolSchemas {
    start_response: Validator,
    run_response: Validator,
    skipped: Validator,
    errored: Validator,
    start_request: Validator,
    run_request: Validator,
    stop_request: Validator,
    /// Every field name the schemas define (for "did you mean").
    fields: Vec<String>,
    /// Messages checked so far.
    checked: AtomicUsize,
    /// Messages that broke a schema so far.
    broken: AtomicUsize,
}

impl std::fmt::Debug for ProtocolSchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProtocolSchemas")
    }
}

/// A schema built into the binary that does not compile (a bug in `docs/protocol/`).
#[derive(Debug, thiserror::Error)]
#[error("docs/protocol/{file}: the built-in schema does not compile: {message}")]
pub struct SchemaError {
    /// The schema file.
    pub file: &'static str,
    /// Why.
    pub message: String,
}

fn compile(file: &'static str, text: &str) -> Result<Validator, SchemaError> {
    let schema: Value = serde_json::from_str(text).map_err(|e| SchemaError {
        file,
        message: e.to_string(),
    })?;
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| SchemaError {
            file,
            message: e.to_string(),
        })
}

impl ProtocolSchemas {
    /// Compiles the built-in schemas.
    pub fn new() -> Result<ProtocolSchemas, SchemaError> {
        Ok(ProtocolSchemas {
            start_response: compile("start-response.schema.json", START_RESPONSE)?,
            run_response: compile("run-response.schema.json", RUN_RESPONSE)?,
            skipped: compile("skipped.schema.json", SKIPPED)?,
            errored: compile("errored.schema.json", ERRORED)?,
            start_request: compile("start-request.schema.json", START_REQUEST)?,
            run_request: compile("run-request.schema.json", RUN_REQUEST)?,
            stop_request: compile("stop-request.schema.json", STOP_REQUEST)?,
            fields: field_names(&[
                START_RESPONSE,
                RUN_RESPONSE,
                SKIPPED,
                ERRORED,
                START_REQUEST,
                RUN_REQUEST,
                STOP_REQUEST,
            ]),
            checked: AtomicUsize::new(0),
            broken: AtomicUsize::new(0),
        })
    }

    /// How many messages were checked, and how many of them broke a schema.
    pub fn tally(&self) -> (usize, usize) {
        (
            self.checked.load(Ordering::Relaxed),
            self.broken.load(Ordering::Relaxed),
        )
    }

    /// Checks a message; `Err` lists every violation in plain words, one per line
    /// (`SCHEMA: `field` is ...; it must be ...`).
    pub fn check(&self, message: Message, value: &Value) -> Result<(), String> {
        self.checked.fetch_add(1, Ordering::Relaxed);
        let result = self.check_one(message, value);
        if result.is_err() {
            self.broken.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    fn check_one(&self, message: Message, value: &Value) -> Result<(), String> {
        let fields = self.fields.as_slice();
        match message {
            Message::StartResponse => {
                violations("start-response", &self.start_response, value, fields)
            }
            Message::StartRequest => {
                violations("start-request", &self.start_request, value, fields)
            }
            Message::RunRequest => violations("run-request", &self.run_request, value, fields),
            Message::StopRequest => violations("stop-request", &self.stop_request, value, fields),
            Message::RunAnswer => {
                // run-answer.schema.json is `oneOf` the three shapes; checking them one by one
                // is the same test with better messages.
                let shapes = [
                    ("run-response", &self.run_response),
                    ("skipped", &self.skipped),
                    ("errored", &self.errored),
                ];
                let results: Vec<Result<(), String>> = shapes
                    .iter()
                    .map(|(name, v)| violations(name, v, value, fields))
                    .collect();
                let valid = results.iter().filter(|r| r.is_ok()).count();
                match valid {
                    1 => Ok(()),
                    0 => {
                        // Report the shape the answer most looks like.
                        let index = match value {
                            Value::Object(m) if m.contains_key("skipped") => 1,
                            Value::Object(m) if m.contains_key("errored") => 2,
                            _ => 0,
                        };
                        Err(format!(
                            "not a run answer (results, skipped or errored); read as {} answer:\n{}",
                            ["a `results`", "a `skipped`", "an `errored`"][index],
                            results[index].clone().err().unwrap_or_default()
                        ))
                    }
                    _ => Err(
                        "the run answer fits more than one of results, skipped, errored"
                            .to_string(),
                    ),
                }
            }
        }
    }
}

fn violations(
    name: &str,
    validator: &Validator,
    value: &Value,
    fields: &[String],
) -> Result<(), String> {
    let mut errors: Vec<String> = Vec::new();
    for line in validator.iter_errors(value).flat_map(|e| plain(&e, fields)) {
        let line = format!("{name}.schema.json: {line}");
        if !errors.contains(&line) {
            errors.push(line);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// Where in a message a value is, in plain words: `results[0].decision`, or `the message`.
fn place(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if part.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part);
        }
    }
    if out.is_empty() {
        "the message".to_string()
    } else {
        format!("`{out}`")
    }
}

/// A JSON value in a message, shortened.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}

/// How far a `oneOf`/`anyOf` branch is from the value's shape: a required field it lacks or a
/// field it does not define, at the value itself, means the value is shaped for another branch.
fn shape_misses(branch: &[ValidationError<'static>], at: &str) -> (usize, usize) {
    let misses = branch
        .iter()
        .filter(|e| e.instance_path().to_string() == at)
        .filter(|e| {
            matches!(
                e.kind(),
                ValidationErrorKind::Required { .. }
                    | ValidationErrorKind::AdditionalProperties { .. }
                    | ValidationErrorKind::Type { .. }
            )
        })
        .count();
    (misses, branch.len())
}

/// One violation in plain words (several lines for a field-by-field answer): the field that is
/// wrong and what it must be. For a value that fits none of a `oneOf`'s shapes, the shape it is
/// closest to is picked (the fewest missing or unknown fields) and only its errors are told,
/// rather than every branch's.
fn plain(e: &ValidationError<'_>, fields: &[String]) -> Vec<String> {
    let path = e.instance_path().to_string();
    let at = place(&path);
    let instance = e.instance();
    match e.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            match context
                .iter()
                .filter(|b| !b.is_empty())
                .min_by_key(|b| shape_misses(b, &path))
            {
                Some(branch) => branch.iter().flat_map(|e| plain(e, fields)).collect(),
                None => vec![format!("{at} fits none of the shapes the protocol allows")],
            }
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            vec![format!(
                "{at} fits more than one shape of the protocol (it must fit exactly one)"
            )]
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = match options.as_ref() {
                Value::Array(values) => values.iter().map(|v| v.to_string()).collect(),
                other => vec![other.to_string()],
            };
            let given = instance.as_str().unwrap_or_default();
            let hint = iamspec::suggest::hint(given, options.iter().map(|o| o.trim_matches('"')));
            vec![format!(
                "{at} is {}; it must be one of {}{hint}",
                shown(instance),
                options.join(", ")
            )]
        }
        ValidationErrorKind::Constant { expected_value } => vec![format!(
            "{at} is {}; it must be {}",
            shown(instance),
            expected_value
        )],
        ValidationErrorKind::Required { property } => {
            let mut lines = vec![format!(
                "{at} has no {} field (required)",
                match property {
                    Value::String(s) => format!("`{s}`"),
                    other => other.to_string(),
                }
            )];
            // Members the protocol does not define are allowed (adding an optional member is
            // compatible), but beside a missing required one, a near miss of a defined name is
            // most likely a typo: say so.
            if let Value::Object(map) = &**instance {
                for key in map.keys().filter(|k| !fields.contains(k)) {
                    let hint = iamspec::suggest::hint(key, fields.iter().map(String::as_str));
                    if !hint.is_empty() {
                        lines.push(format!(
                            "{at} has a field `{key}` the protocol does not define{hint}"
                        ));
                    }
                }
            }
            lines
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|field| {
                format!(
                    "{at} has a field `{field}` the protocol does not define{}",
                    iamspec::suggest::hint(field, fields.iter().map(String::as_str))
                )
            })
            .collect(),
        ValidationErrorKind::Type {
            kind: TypeKind::Single(want),
        } => vec![format!(
            "{at} is {} ({}); it must be {}",
            shown(instance),
            json_type(instance),
            a_type(&want.to_string())
        )],
        _ => vec![format!("{at}: {e}")],
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn a_type(name: &str) -> String {
    match name {
        "integer" => "an integer".to_string(),
        "array" => "an array".to_string(),
        "object" => "an object".to_string(),
        "string" => "a string".to_string(),
        "number" => "a number".to_string(),
        "boolean" => "a boolean".to_string(),
        "null" => "null".to_string(),
        other => format!("of type `{other}`"),
    }
}

/// Every field name the protocol's schemas define (for "did you mean").
fn field_names(texts: &[&str]) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    out.extend(props.keys().cloned());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for text in texts {
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            walk(&value, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamspec_format::protocol::Command;
    use serde_json::json;

    #[test]
    fn the_schemas_compile_and_tell_good_from_bad() {
        let s = ProtocolSchemas::new().unwrap();
        let start = json!({"version":1,"implementation":{"name":"x","version":"1","language":"rust","homepage":"https://e.com","issues":"https://e.com/i"}});
        s.check(Message::StartResponse, &start).unwrap();
        let bad = json!({"version":1,"implementation":{"name":"x"}});
        let err = s.check(Message::StartResponse, &bad).unwrap_err();
        assert!(err.contains("start-response.schema.json"), "{err}");
        s.check(
            Message::RunAnswer,
            &json!({"seq":1,"results":[{"decision":"allowed"},{"skipped":true,"message":"m"}]}),
        )
        .unwrap();
        s.check(
            Message::RunAnswer,
            &json!({"seq":1,"skipped":true,"message":"m"}),
        )
        .unwrap();
        s.check(Message::RunAnswer, &json!({"seq":1,"errored":true}))
            .unwrap();
        let err = s
            .check(
                Message::RunAnswer,
                &json!({"seq":1,"results":[{"decision":"yes"}]}),
            )
            .unwrap_err();
        assert!(
            err.contains(
                "run-response.schema.json: `results[0].decision` is \"yes\"; it must be one of \"allowed\", \"explicitDeny\", \"implicitDeny\""
            ),
            "{err}"
        );
        // Only the shape the result is closest to (a decision) is told, not every branch.
        assert!(!err.contains("oneOf"), "{err}");
        assert!(!err.contains("skipped.schema.json"), "{err}");
        let err = s
            .check(Message::RunAnswer, &json!({"seq":1,"skipped":true}))
            .unwrap_err();
        assert!(err.contains("skipped.schema.json"), "{err}");
    }

    #[test]
    fn violations_name_the_field_in_plain_words() {
        let s = ProtocolSchemas::new().unwrap();
        let err = s
            .check(
                Message::RunAnswer,
                &json!({"seq":1,"results":[{"decison":"allowed"}]}),
            )
            .unwrap_err();
        assert!(
            err.contains("`results[0]` has a field `decison` the protocol does not define (did you mean `decision`?)"),
            "{err}"
        );
        assert!(
            err.contains("`results[0]` has no `decision` field (required)"),
            "{err}"
        );
        let err = s
            .check(Message::RunAnswer, &json!({"seq":"1","results":[]}))
            .unwrap_err();
        assert!(
            err.contains("`seq` is \"1\" (a string); it must be an integer"),
            "{err}"
        );
        let err = s
            .check(
                Message::RunAnswer,
                &json!({"seq":1,"results":[{"decision":"allowed","matched":[{"policy":"p"}]}]}),
            )
            .unwrap_err();
        assert!(
            err.contains("`results[0].matched[0]` has no `statement` field (required)"),
            "{err}"
        );
        let (checked, broken) = s.tally();
        assert_eq!((checked, broken), (3, 3));
        s.check(Message::RunAnswer, &json!({"seq":1,"errored":true}))
            .unwrap();
        assert_eq!(s.tally(), (4, 3));
    }

    #[test]
    fn the_harness_commands_are_valid() {
        let s = ProtocolSchemas::new().unwrap();
        let v = serde_json::to_value(Command::start()).unwrap();
        s.check(Message::StartRequest, &v).unwrap();
        let v = serde_json::to_value(Command::Stop).unwrap();
        s.check(Message::StopRequest, &v).unwrap();
    }
}
