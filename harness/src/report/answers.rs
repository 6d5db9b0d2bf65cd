//! One request's two answers in one line each, for the reports that show a failure: what the
//! case expected and what the evaluator answered.

use crate::run::results::RequestResult;

/// What the case expected, in one line (its `expect` as JSON).
pub fn expected_text(r: &RequestResult) -> String {
    match &r.expected {
        Some(expect) => serde_json::to_string(expect).unwrap_or_else(|e| e.to_string()),
        None => "(the file did not load)".to_string(),
    }
}

/// What the evaluator answered, in one line: its answer as JSON when it is a third-party
/// evaluator, else the decision or the rejected policy.
pub fn answered_text(r: &RequestResult) -> String {
    if let Some(answer) = &r.answer {
        return answer.to_string();
    }
    if let Some(decision) = &r.decision {
        return format!("{{\"decision\":\"{decision}\"}}");
    }
    if let Some(rejected) = &r.rejected {
        return serde_json::to_string(rejected).unwrap_or_else(|e| e.to_string());
    }
    format!("(no answer: {})", r.status.name())
}
