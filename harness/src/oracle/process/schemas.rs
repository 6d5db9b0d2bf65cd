//! The protocol's JSON Schemas (`docs/protocol/*.schema.json`), compiled once, for
//! `--validate-protocol`: every line an evaluator sends is checked against the schema of what it
//! should be, and a violation is reported with the schema's own words.
//!
//! This module only validates; the serde types in `iamspec_format::protocol` read the messages.
//! The schemas are built into the binary, so validation works wherever the binary runs.

use jsonschema::Validator;
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
        })
    }

    /// Checks a message; `Err` lists every violation (`at /path: message`), one per line.
    pub fn check(&self, message: Message, value: &Value) -> Result<(), String> {
        match message {
            Message::StartResponse => violations("start-response", &self.start_response, value),
            Message::StartRequest => violations("start-request", &self.start_request, value),
            Message::RunRequest => violations("run-request", &self.run_request, value),
            Message::StopRequest => violations("stop-request", &self.stop_request, value),
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
                    .map(|(name, v)| violations(name, v, value))
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
                            "run-answer: valid against none of results, skipped, errored; as {}",
                            results[index].clone().err().unwrap_or_default()
                        ))
                    }
                    _ => Err("run-answer: valid against more than one shape".to_string()),
                }
            }
        }
    }
}

fn violations(name: &str, validator: &Validator, value: &Value) -> Result<(), String> {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| {
            let path = e.instance_path().to_string();
            let at = if path.is_empty() { "/" } else { &path };
            format!("{name}.schema.json at {at}: {e}")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
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
        assert!(err.contains("/results/0"), "{err}");
        let err = s
            .check(Message::RunAnswer, &json!({"seq":1,"skipped":true}))
            .unwrap_err();
        assert!(err.contains("skipped.schema.json"), "{err}");
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
