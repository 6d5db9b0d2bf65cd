//! "Why (not)" in words: the rule of the decision flow that decided a resource and, for a
//! denial, what did not match in each statement (from [`iamspec::why_not`]). Used by `eval`'s
//! text output and `check`'s failure reports; also how a matched statement and a serialised name
//! read in one line.

use iamspec::explain::{Decision, MatchedStatement};
use iamspec::policy::PolicyType;
use iamspec::why_not::{PolicyTypeExplanation, ResourceExplanation};
use serde_json::Value;

/// The explanation of one resource as indented lines: `why: RULE`, then (for a denial) each
/// statement that did not apply with what did not match, grouped by policy type and level.
pub fn lines(explanation: &ResourceExplanation, indent: &str) -> Vec<String> {
    let mut out = vec![format!("{indent}why: {}", explanation.rule)];
    if explanation.decision == Decision::Allowed {
        return out;
    }
    let mut first = true;
    for t in &explanation.policy_types {
        let missed: Vec<_> = t.statements.iter().filter(|s| !s.applies).collect();
        if missed.is_empty() {
            continue;
        }
        if first {
            out.push(format!("{indent}why not, statement by statement:"));
            first = false;
        }
        out.push(format!("{indent}  {} {}:", type_label(t), t.decision));
        for s in missed {
            out.push(format!("{indent}    {}", statement_line(&s.statement)));
            for m in &s.not_matched {
                out.push(format!("{indent}      - {m}"));
            }
        }
    }
    out
}

fn type_label(t: &PolicyTypeExplanation) -> String {
    let name = serde_name(&t.policy_type);
    match (t.policy_type, t.level) {
        (PolicyType::Scp | PolicyType::Rcp, Some(level)) => format!("{name} level {level}"),
        _ => name,
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

/// The name serde gives a unit enum value (`identity`, `resource-never-matches`...).
pub(crate) fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

/// The reference evaluator's explanation of a request that failed a check, as indented lines:
/// per resource the decision and the rule of the flow that decided, then every statement of
/// every policy type and level — `applies`, or each part that did not match. Unlike [`lines`]
/// it shows the statements whatever the decision: a wrong `allowed` is explained by the
/// statement that applied and by the `Deny` that did not.
pub fn failure_lines(explanations: &[ResourceExplanation], indent: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in explanations {
        out.push(format!(
            "{indent}reference evaluator: {} for {}: {}",
            e.decision, e.resource, e.rule
        ));
        for t in &e.policy_types {
            out.push(format!("{indent}  {} {}:", type_label(t), t.decision));
            for s in &t.statements {
                if s.applies {
                    out.push(format!(
                        "{indent}    {}: applies",
                        statement_line(&s.statement)
                    ));
                    continue;
                }
                out.push(format!("{indent}    {}", statement_line(&s.statement)));
                for m in &s.not_matched {
                    out.push(format!("{indent}      - {m}"));
                }
            }
        }
    }
    out
}
