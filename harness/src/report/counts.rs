//! A [`Counts`] as the reports show it: a JSON object, a Markdown table cell. The JSON, Markdown
//! and basis reports all use these; this module uses none of them.

use serde_json::{json, Value};

use crate::run::results::Counts;

/// Counts as JSON: `passed`, `failed`, `skipped`, `errored`, `crashed`, `timed_out`.
pub fn counts_json(c: &Counts) -> Value {
    json!({
        "passed": c.passed,
        "failed": c.failed,
        "skipped": c.skipped,
        "errored": c.errored,
        "crashed": c.crashed,
        "timed_out": c.timed_out,
    })
}

/// A cell of the matrix: `P/N` (passed of answered) and what else there was.
pub fn cell_text(c: &Counts) -> String {
    let answered = c.passed + c.failed;
    let mut parts = vec![format!("{}/{}", c.passed, answered)];
    for (n, what) in [
        (c.skipped, "skipped"),
        (c.errored, "errored"),
        (c.crashed, "crashed"),
        (c.timed_out, "timed out"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    parts.join(", ")
}
