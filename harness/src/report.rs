//! Printing results: the text a person reads and the JSON a program reads, for `eval` and
//! `check`.
//!
//! Only presentation lives here. The `check` text report always ends with the summary line
//! `N passed, N failed, N skipped, N errored` (CI logs are read for it), preceded by the
//! per-feature table, the failures and errors with a one-line reproduction each, the skip
//! reasons, and the triage results kept apart.

use std::collections::BTreeMap;
use std::io::Write;

use iamspec::explain::{MatchedStatement, ResourceDecision};
use serde_json::{json, Value};

use crate::check::{CheckRun, Counts, RequestResult, Status};
use crate::cli::Format;
use crate::error::CliError;
use crate::eval::EvalOutcome;

/// Prints the answer of `iamspec eval` on stdout (and parser warnings on stderr).
pub fn print_eval(outcome: &EvalOutcome, format: Format) -> Result<(), CliError> {
    let mut err = std::io::stderr().lock();
    for w in &outcome.warnings {
        writeln!(
            err,
            "{}:{}:{}: warning: {}: {}",
            w.path.display(),
            w.warning.position.line,
            w.warning.position.column,
            serde_name(&w.warning.kind),
            w.warning.message
        )?;
    }
    let mut out = std::io::stdout().lock();
    match format {
        Format::Text => out.write_all(eval_text(outcome).as_bytes())?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &eval_json(outcome))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The text report of `iamspec eval`: the decision with its explanation, resource by resource
/// when the request names several.
pub fn eval_text(outcome: &EvalOutcome) -> String {
    let response = &outcome.response;
    let mut s = String::new();
    s.push_str(&format!("action: {}\n", outcome.request.action));
    s.push_str(&format!("principal: {}\n", outcome.request.principal.arn));
    if let [only] = response.resources.as_slice() {
        s.push_str(&format!("resource: {}\n", only.resource));
        s.push_str(&format!("decision: {}\n", response.decision));
        push_explanation(&mut s, "", only);
    } else {
        s.push_str(&format!("decision: {}\n", response.decision));
        s.push_str("resources:\n");
        for resource in &response.resources {
            s.push_str(&format!("  {}: {}\n", resource.resource, resource.decision));
            push_explanation(&mut s, "    ", resource);
        }
    }
    s
}

fn push_explanation(s: &mut String, indent: &str, resource: &ResourceDecision) {
    if !resource.policy_types.is_empty() {
        let types: Vec<String> = resource
            .policy_types
            .iter()
            .map(|t| format!("{} {}", serde_name(&t.policy_type), t.decision))
            .collect();
        s.push_str(&format!("{indent}policy types: {}\n", types.join(", ")));
    }
    push_matched(s, indent, &resource.matched);
    push_missing(s, indent, &resource.missing_context);
}

fn push_matched(s: &mut String, indent: &str, matched: &[MatchedStatement]) {
    if matched.is_empty() {
        s.push_str(&format!("{indent}matched statements: none\n"));
        return;
    }
    s.push_str(&format!("{indent}matched statements:\n"));
    for m in matched {
        s.push_str(&format!("{indent}  {}\n", statement_line(m)));
    }
}

fn push_missing(s: &mut String, indent: &str, missing: &[String]) {
    if missing.is_empty() {
        s.push_str(&format!("{indent}missing context: none\n"));
    } else {
        s.push_str(&format!(
            "{indent}missing context: {}\n",
            missing.join(", ")
        ));
    }
}

/// One matched statement as a line: `POLICY statement N (Sid "S") Effect [type] at L:C-L:C`.
pub fn statement_line(m: &MatchedStatement) -> String {
    let sid = match &m.sid {
        Some(sid) => format!(" (Sid \"{sid}\")"),
        None => String::new(),
    };
    // The reference evaluator gives every part; `?` stands for one an answer leaves out.
    let effect = m.effect.map_or("?".to_string(), |e| format!("{e:?}"));
    let policy_type = m.policy_type.map_or("?", |t| t.name());
    let at = |p: Option<iamspec_format::Position>| p.map_or("?".to_string(), |p| p.to_string());
    format!(
        "{} statement {}{} {effect} [{policy_type}] at {}-{}",
        m.policy,
        m.statement,
        sid,
        at(m.start),
        at(m.end)
    )
}

/// The JSON report of `iamspec eval`.
pub fn eval_json(outcome: &EvalOutcome) -> Value {
    let response = &outcome.response;
    let warnings: Vec<Value> = outcome
        .warnings
        .iter()
        .map(|w| {
            json!({
                "file": w.path.display().to_string(),
                "kind": serde_name(&w.warning.kind),
                "message": w.warning.message,
                "line": w.warning.position.line,
                "column": w.warning.position.column,
            })
        })
        .collect();
    json!({
        "principal": outcome.request.principal.arn,
        "action": outcome.request.action,
        "decision": response.decision.name(),
        "matched": response.matched,
        "missing_context": response.missing_context,
        "resources": response.resources,
        "warnings": warnings,
    })
}

/// The name serde gives a unit enum value (`identity`, `resource-never-matches`...).
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

/// Prints the report of `iamspec check` on stdout.
pub fn print_check(run: &CheckRun, format: Format) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Text => out.write_all(check_text(run).as_bytes())?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &check_json(run))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The text report of `iamspec check`; its last line is the summary.
pub fn check_text(run: &CheckRun) -> String {
    let mut s = String::new();
    let dirs: Vec<String> = run.dirs.iter().map(|d| d.display().to_string()).collect();
    s.push_str(&format!("cases: {}\n", dirs.join(", ")));
    if let Some(info) = &run.oracle {
        s.push_str(&format!(
            "evaluator: {} {}{}\n",
            info.name,
            info.version,
            info.implementation
                .as_ref()
                .map(|i| format!(" ({}, {})", i.language, i.homepage))
                .unwrap_or_default()
        ));
    }
    if let Some(mode) = run.mode {
        s.push_str(&format!("comparison: {mode}\n"));
    }
    if let Some(elapsed) = run.elapsed {
        s.push_str(&format!(
            "time: {:.2} s over the cases (evaluator start-up excluded)\n",
            elapsed.as_secs_f64()
        ));
    }
    if let Some(path) = run.known.as_ref().and_then(|k| k.path.as_ref()) {
        s.push_str(&format!("known failures: {}\n", path.display()));
    }
    let features = run.features();
    if !features.is_empty() {
        s.push('\n');
        s.push_str(&feature_table(&features));
    }
    let main: Vec<&RequestResult> = run
        .results
        .iter()
        .filter(|r| !r.triage && r.known.is_none())
        .collect();
    let (failures, errors) = if run.known.is_some() {
        ("new failures", "new errors")
    } else {
        ("failures", "errors")
    };
    push_problems(&mut s, failures, Status::Failed, &main);
    for status in [Status::Errored, Status::Crashed, Status::TimedOut] {
        let title = match status {
            Status::Errored => errors.to_string(),
            other => other.name().to_string(),
        };
        push_problems(&mut s, &title, status, &main);
    }
    push_known(&mut s, run);
    let all: Vec<&RequestResult> = run.results.iter().filter(|r| !r.triage).collect();
    push_skip_reasons(&mut s, &all);
    let triage: Vec<&RequestResult> = run.results.iter().filter(|r| r.triage).collect();
    if !triage.is_empty() {
        s.push_str("\ntriage (differences with a peer, not yet confirmed; never fail the run):\n");
        for r in triage.iter().filter(|r| r.status != Status::Passed) {
            s.push_str(&format!("  {} {}\n", r.status.name(), r.name()));
            for m in &r.messages {
                s.push_str(&format!("    {m}\n"));
            }
        }
        s.push_str(&format!("  triage: {}\n", run.triage_counts().summary()));
    }
    if run.counts().total() + run.triage_counts().total() == 0 {
        s.push_str("\nno case matched\n");
    }
    s.push('\n');
    s.push_str(&summary_line(run));
    s.push('\n');
    s
}

/// The last line of `check`'s text: the counts, then with known failures how many are known,
/// new, and no longer failing.
pub fn summary_line(run: &CheckRun) -> String {
    let mut line = run.counts().summary();
    if run.known.is_some() {
        line.push_str(&format!(
            "; {} known failures, {} new problems, {} no longer failing, {} stale entries",
            run.known_failures().count(),
            run.new_failures().count(),
            run.no_longer_failing().count(),
            run.stale_known.len()
        ));
    }
    line
}

fn push_known(s: &mut String, run: &CheckRun) {
    let Some(known) = &run.known else { return };
    let changed: Vec<&RequestResult> = run.no_longer_failing().collect();
    if !changed.is_empty() {
        s.push_str(
            "\nlisted as known failures but no longer failing (remove them from the list):\n",
        );
        for r in changed {
            s.push_str(&format!(
                "  {} {}\n",
                r.status.name().to_uppercase(),
                r.test_id()
            ));
            if let Some(k) = &r.known {
                s.push_str(&format!("    listed because: {}\n", k.reason));
            }
            s.push_str(&format!("    reproduce: {}\n", r.reproduction()));
        }
    }
    if !run.stale_known.is_empty() {
        s.push_str(
            "\nlisted as known failures but not in the corpus (remove them from the list):\n",
        );
        for k in &run.stale_known {
            s.push_str(&format!("  {}\n", k.test));
        }
    }
    let still: Vec<&RequestResult> = run.known_failures().collect();
    if !still.is_empty() {
        s.push_str(&format!(
            "\nknown failures ({} of {} listed in {}):\n",
            still.len(),
            known.len(),
            known
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "the list".to_string())
        ));
        for r in still {
            s.push_str(&format!("  {} {}\n", r.status.name(), r.test_id()));
        }
    }
}
/// The per-feature table: one row per tag with its counts.
pub fn feature_table(features: &[(String, Counts)]) -> String {
    let width = features
        .iter()
        .map(|(tag, _)| tag.len())
        .max()
        .unwrap_or(0)
        .max("feature".len());
    let wide = features.iter().any(|(_, c)| c.crashed + c.timed_out > 0);
    let mut s = format!(
        "{:<width$}  {:>7}  {:>7}  {:>7}  {:>7}",
        "feature", "passed", "failed", "skipped", "errored"
    );
    if wide {
        s.push_str(&format!("  {:>7}  {:>9}", "crashed", "timed out"));
    }
    s.push('\n');
    for (tag, c) in features {
        s.push_str(&format!(
            "{:<width$}  {:>7}  {:>7}  {:>7}  {:>7}",
            tag, c.passed, c.failed, c.skipped, c.errored
        ));
        if wide {
            s.push_str(&format!("  {:>7}  {:>9}", c.crashed, c.timed_out));
        }
        s.push('\n');
    }
    s
}

fn push_problems(s: &mut String, title: &str, status: Status, results: &[&RequestResult]) {
    let chosen: Vec<&&RequestResult> = results.iter().filter(|r| r.status == status).collect();
    if chosen.is_empty() {
        return;
    }
    s.push_str(&format!("\n{title}:\n"));
    for r in chosen {
        s.push_str(&format!(
            "  {} {}\n",
            status.name().to_uppercase(),
            r.name()
        ));
        for m in &r.messages {
            s.push_str(&format!("    {m}\n"));
        }
        if let Some(detail) = &r.detail {
            let lines: Vec<&str> = detail.trim_end().lines().collect();
            let from = lines.len().saturating_sub(8);
            if !lines.is_empty() {
                s.push_str("    stderr/traceback (tail):\n");
                for l in &lines[from..] {
                    s.push_str(&format!("      {l}\n"));
                }
            }
        }
        if let Some(rejected) = &r.rejected {
            s.push_str(&format!(
                "    policy {} rejected at {}:{}: {}: {}\n",
                rejected.policy, rejected.line, rejected.column, rejected.kind, rejected.message
            ));
        }
        s.push_str(&format!("    reproduce: {}\n", r.reproduction()));
    }
}

fn push_skip_reasons(s: &mut String, results: &[&RequestResult]) {
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results.iter().filter(|r| r.status == Status::Skipped) {
        let reason = r
            .messages
            .first()
            .map(String::as_str)
            .unwrap_or("(no reason)");
        *reasons.entry(reason).or_default() += 1;
    }
    if reasons.is_empty() {
        return;
    }
    s.push_str("\nskipped, by reason:\n");
    for (reason, n) in reasons {
        s.push_str(&format!("  {n:>5}  {reason}\n"));
    }
}

/// The JSON report of `iamspec check`.
pub fn check_json(run: &CheckRun) -> Value {
    let counts = run.counts();
    let features: serde_json::Map<String, Value> = run
        .features()
        .into_iter()
        .map(|(tag, c)| (tag, counts_json(&c)))
        .collect();
    let requests: Vec<Value> = run.results.iter().map(request_json).collect();
    json!({
        "dirs": run.dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
        "passed": counts.passed,
        "failed": counts.failed,
        "skipped": counts.skipped,
        "errored": counts.errored,
        "features": features,
        "crashed": counts.crashed,
        "timed_out": counts.timed_out,
        "evaluator": run.oracle,
        "comparison": run.mode.map(|m| m.name()),
        "known_failures": run.known.as_ref().map(|k| json!({
            "file": k.path.as_ref().map(|p| p.display().to_string()),
            "listed": k.len(),
            "still_failing": run.known_failures().map(|r| r.test_id()).collect::<Vec<_>>(),
            "no_longer_failing": run.no_longer_failing().map(|r| r.test_id()).collect::<Vec<_>>(),
            "stale": run.stale_known.iter().map(|k| &k.test).collect::<Vec<_>>(),
        })),
        "new_problems": run.new_failures().map(|r| r.test_id()).collect::<Vec<_>>(),
        "triage": counts_json(&run.triage_counts()),
        "requests": requests,
    })
}

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

fn request_json(r: &RequestResult) -> Value {
    json!({
        "name": r.name(),
        "file": r.file,
        "request": r.request,
        "verdict": r.status.name(),
        "messages": r.messages,
        "decision": r.decision,
        "error": r.rejected,
        "expected": r.expected,
        "triage": r.triage,
        "features": r.features,
        "reproduce": r.reproduction(),
        "test": r.test_id(),
        "known": r.known.as_ref().map(|k| &k.reason),
        "answer": r.answer,
        "detail": r.detail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RequestResult;
    use iamspec::explain::{Decision, PolicyTypeDecision, Response};
    use iamspec::policy::{Effect, PolicyType, Position};
    use iamspec::request::Request;
    use std::path::PathBuf;

    fn result(file: &str, status: Status, triage: bool, messages: &[&str]) -> RequestResult {
        RequestResult {
            dir: PathBuf::from("/tmp/cases"),
            bundled: false,
            file: file.into(),
            request: Some("req".into()),
            triage,
            features: vec!["effect:allow".into()],
            status,
            messages: messages.iter().map(|s| s.to_string()).collect(),
            decision: Some("implicitDeny".into()),
            rejected: None,
            expected: None,
            known: None,
            evaluator_flag: None,
            answer: None,
            detail: None,
        }
    }

    fn sample_run() -> CheckRun {
        CheckRun {
            dirs: vec![PathBuf::from("/tmp/cases")],
            results: vec![
                result("a.json", Status::Passed, false, &[]),
                result(
                    "b.json",
                    Status::Failed,
                    false,
                    &["decision: expected allowed, got implicitDeny"],
                ),
                result("c.json", Status::Skipped, false, &["no SCPs yet"]),
                result("triage/d.json", Status::Failed, true, &["differs"]),
            ],
            ..CheckRun::default()
        }
    }

    #[test]
    fn the_check_text_ends_with_the_summary_and_lists_failures() {
        let text = check_text(&sample_run());
        let last = text.lines().last().unwrap();
        assert_eq!(last, "1 passed, 1 failed, 1 skipped, 0 errored");
        assert!(text.contains("FAILED b.json::req"));
        assert!(text.contains("reproduce: iamspec check --cases /tmp/cases --filter b.json::req"));
        assert!(text.contains("no SCPs yet"));
        assert!(text.contains("triage: 0 passed, 1 failed, 0 skipped, 0 errored"));
        assert!(text.contains("effect:allow"));
    }

    #[test]
    fn the_check_json_has_the_documented_fields() {
        let v = check_json(&sample_run());
        assert_eq!(v["passed"], 1);
        assert_eq!(v["failed"], 1);
        assert_eq!(v["skipped"], 1);
        assert_eq!(v["errored"], 0);
        assert_eq!(v["features"]["effect:allow"]["failed"], 1);
        assert_eq!(v["triage"]["failed"], 1);
        let requests = v["requests"].as_array().unwrap();
        assert_eq!(requests.len(), 4);
        assert_eq!(requests[1]["name"], "b.json::req");
        assert_eq!(requests[1]["file"], "b.json");
        assert_eq!(requests[1]["verdict"], "failed");
        assert_eq!(requests[1]["decision"], "implicitDeny");
        assert!(requests[1]["messages"][0]
            .as_str()
            .unwrap()
            .contains("expected"));
    }

    #[test]
    fn the_eval_report_explains_the_decision() {
        let matched = MatchedStatement {
            policy: "LaunchFromProdAmis".into(),
            policy_type: Some(PolicyType::Identity),
            statement: 2,
            sid: Some("LaunchingEC2withAMIsAndTags".into()),
            effect: Some(Effect::Allow),
            start: Some(Position {
                line: 20,
                column: 5,
            }),
            end: Some(Position {
                line: 28,
                column: 5,
            }),
        };
        let resource = ResourceDecision {
            resource: "arn:aws:ec2:us-east-1::image/ami-0abc".into(),
            decision: Decision::Allowed,
            matched: vec![matched],
            missing_context: vec![],
            policy_types: vec![PolicyTypeDecision {
                policy_type: PolicyType::Identity,
                decision: Decision::Allowed,
            }],
        };
        let outcome = EvalOutcome {
            request: Request::new(
                "arn:aws:iam::111122223333:user/alice",
                "ec2:RunInstances",
                "arn:aws:ec2:us-east-1::image/ami-0abc",
            ),
            response: Response::from_resources(vec![resource]),
            warnings: vec![],
        };
        let text = eval_text(&outcome);
        assert!(text.contains("decision: allowed"), "{text}");
        assert!(
            text.contains(
                "LaunchFromProdAmis statement 2 (Sid \"LaunchingEC2withAMIsAndTags\") Allow [identity] at 20:5-28:5"
            ),
            "{text}"
        );
        assert!(text.contains("policy types: identity allowed"), "{text}");
        let v = eval_json(&outcome);
        assert_eq!(v["decision"], "allowed");
        assert_eq!(v["matched"][0]["statement"], 2);
        assert_eq!(v["matched"][0]["start"]["line"], 20);
        assert_eq!(v["resources"][0]["decision"], "allowed");
    }
}
