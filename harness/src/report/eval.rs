//! What `iamspec eval` found ([`EvalOutcome`]) and how it is shown: the text a person reads
//! (decision, matched statements with positions, missing context keys, per-resource and
//! per-policy-type decisions) and the JSON a program reads.

use std::io::Write;
use std::path::PathBuf;

use iamspec::explain::{MatchedStatement, ResourceDecision, Response};
use iamspec::policy::PolicyWarning;
use iamspec::request::Request;
use iamspec::why_not::ResourceExplanation;
use serde_json::{json, Value};

use crate::cli::Format;
use crate::error::CliError;
use crate::report::why_not::{serde_name, statement_line};

/// A warning the parser gave for one policy file.
#[derive(Debug, Clone)]
pub struct FileWarning {
    /// The policy file.
    pub path: PathBuf,
    /// The warning.
    pub warning: PolicyWarning,
}

/// What `eval` found: the request and the evaluator's answer.
#[derive(Debug, Clone)]
pub struct EvalOutcome {
    /// The request as built from the flags.
    pub request: Request,
    /// The evaluator's answer.
    pub response: Response,
    /// Warnings about the policies (accepted by AWS but probably not what was meant).
    pub warnings: Vec<FileWarning>,
    /// Why each resource got its decision ("why not" for a denial), in request order.
    pub why: Vec<ResourceExplanation>,
    /// Warnings about the request flags (an action unknown to the service data...).
    pub request_warnings: Vec<String>,
    /// Context keys filled from the principal (`--principal-context`), as `key=value`.
    pub filled: Vec<String>,
    /// For each missing context key, the `--context` flag that would supply it.
    pub missing_flags: Vec<String>,
}

/// Prints the answer of `iamspec eval` on stdout (and parser warnings on stderr).
pub fn print_eval(outcome: &EvalOutcome, format: Format) -> Result<(), CliError> {
    let mut err = std::io::stderr().lock();
    for w in &outcome.request_warnings {
        writeln!(err, "warning: {w}")?;
    }
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
    if !outcome.filled.is_empty() {
        s.push_str(&format!(
            "filled from the principal (--principal-context): {}\n",
            outcome.filled.join(", ")
        ));
    }
    if let [only] = response.resources.as_slice() {
        s.push_str(&format!("resource: {}\n", only.resource));
        s.push_str(&format!("decision: {}\n", response.decision));
        push_explanation(&mut s, "", only);
        push_why(&mut s, "", outcome.why.first());
    } else {
        s.push_str(&format!("decision: {}\n", response.decision));
        s.push_str("resources:\n");
        for (i, resource) in response.resources.iter().enumerate() {
            s.push_str(&format!("  {}: {}\n", resource.resource, resource.decision));
            push_explanation(&mut s, "    ", resource);
            push_why(&mut s, "    ", outcome.why.get(i));
        }
    }
    if !outcome.missing_flags.is_empty() {
        s.push_str("to supply the missing context:\n");
        for flag in &outcome.missing_flags {
            s.push_str(&format!("  {flag}\n"));
        }
    }
    s
}

fn push_why(s: &mut String, indent: &str, why: Option<&ResourceExplanation>) {
    if let Some(why) = why {
        for line in super::why_not::lines(why, indent) {
            s.push_str(&line);
            s.push('\n');
        }
    }
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
        "why": outcome.why,
        "filled_context": outcome.filled,
        "missing_context_flags": outcome.missing_flags,
        "request_warnings": outcome.request_warnings,
        "warnings": warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamspec::explain::{Decision, PolicyTypeDecision};
    use iamspec::policy::{Effect, PolicyType, Position};

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
            why: vec![],
            request_warnings: vec![],
            filled: vec![],
            missing_flags: vec![],
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
