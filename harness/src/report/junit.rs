//! The JUnit XML report of `iamspec check` (`--format junit`), so CI systems (GitLab, GitHub,
//! Jenkins) show the results natively: one `testcase` per request, `classname` = the case file,
//! `name` = the request.
//!
//! A result that fails the run is a `failure` (a wrong answer, or a known failure that no longer
//! fails) or an `error` (errored, crashed, timed out); its text is the reproduce line and both
//! answers, expected and answered. A skipped request, a triage result and a listed known failure
//! that still fails never fail the run: they are `skipped`, with the reason.

use std::fmt::Write as _;

use crate::report::answers::{answered_text, expected_text};
use crate::run::results::{CheckRun, Outcome, RequestResult};

/// How one result shows in JUnit.
enum Shown {
    Passed,
    Failure,
    Error,
    Skipped(String),
}

fn shown(r: &RequestResult) -> Shown {
    if r.triage {
        return match r.status {
            Outcome::Passed => Shown::Passed,
            status => Shown::Skipped(format!(
                "triage ({}): {}",
                status.name(),
                r.messages.join("; ")
            )),
        };
    }
    if !r.is_problem() {
        return match (r.status, &r.known) {
            (Outcome::Passed, _) => Shown::Passed,
            (status, Some(known)) => Shown::Skipped(format!(
                "known failure ({}): {}",
                status.name(),
                known.reason
            )),
            (_, None) => Shown::Skipped(r.messages.join("; ")),
        };
    }
    match r.status {
        Outcome::Errored | Outcome::Crashed | Outcome::TimedOut => Shown::Error,
        _ => Shown::Failure,
    }
}

/// The text of a failure or error: why, the reproduce line, both answers, and any detail.
fn failure_text(r: &RequestResult) -> String {
    let mut text = String::new();
    for message in &r.messages {
        let _ = writeln!(text, "{message}");
    }
    if r.is_problem() && r.known.is_some() {
        let _ = writeln!(text, "listed in the known failures but {}", r.status.name());
    }
    let _ = writeln!(text, "reproduce: {}", r.reproduction());
    let _ = writeln!(text, "expected: {}", expected_text(r));
    let _ = writeln!(text, "answered: {}", answered_text(r));
    if let Some(detail) = &r.detail {
        let _ = writeln!(text, "detail:\n{detail}");
    }
    let why = crate::report::why_not::failure_lines(&r.why, "  ");
    if !why.is_empty() {
        let _ = writeln!(text, "why (not), from the reference evaluator:");
        for line in why {
            let _ = writeln!(text, "{line}");
        }
    }
    text
}

/// Escapes text for an XML attribute or element.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// The JUnit XML report of a run: one `testsuite` (the evaluator's name, or `iamspec`).
pub fn check_junit(run: &CheckRun) -> String {
    let shown: Vec<(&RequestResult, Shown)> = run.results.iter().map(|r| (r, shown(r))).collect();
    let count = |f: fn(&Shown) -> bool| shown.iter().filter(|(_, s)| f(s)).count();
    let failures = count(|s| matches!(s, Shown::Failure));
    let errors = count(|s| matches!(s, Shown::Error));
    let skipped = count(|s| matches!(s, Shown::Skipped(_)));
    let tests = shown.len();
    let suite = run.oracle.as_ref().map_or_else(
        || "iamspec".to_string(),
        |o| format!("{} {}", o.name, o.version),
    );
    let seconds = run.elapsed.map_or(0.0, |d| d.as_secs_f64());
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"iamspec check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">"
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
        xml(&suite)
    );
    for (r, how) in &shown {
        let name = r.request.clone().unwrap_or_else(|| "(load)".to_string());
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml(&r.file),
            xml(&name)
        );
        match how {
            Shown::Passed => {
                let _ = writeln!(s, "{open}/>");
            }
            Shown::Skipped(reason) => {
                let _ = writeln!(
                    s,
                    "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(reason)
                );
            }
            Shown::Failure | Shown::Error => {
                let tag = if matches!(how, Shown::Failure) {
                    "failure"
                } else {
                    "error"
                };
                let message = r
                    .messages
                    .first()
                    .cloned()
                    .unwrap_or_else(|| r.status.name().to_string());
                let _ = writeln!(
                    s,
                    "{open}>\n      <{tag} message=\"{}\" type=\"{}\">{}</{tag}>\n    </testcase>",
                    xml(&message),
                    r.status.name(),
                    xml(&failure_text(r))
                );
            }
        }
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}
