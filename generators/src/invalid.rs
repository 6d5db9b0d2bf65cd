//! Policy text AWS would reject, made on purpose from a valid policy (adversarial settings):
//! broken JSON, a misspelt element, a lower-case Effect, an unknown operator, `NullIfExists`,
//! a non-numeric value for a Numeric operator, a Principal where none is allowed, an unknown
//! Version, Action with NotAction, a missing Effect.
//!
//! Which error the evaluator reports is its business: the case records its answer.

use serde_json::Value;

use crate::gen::Gen;
use crate::model::{Document, GenPolicy};
use crate::render::policy_text;

/// Replaces the policy's document with an invalid variant of its text.
pub fn break_policy(g: &mut Gen<'_>, policy: &mut GenPolicy) {
    let text = policy_text(policy);
    let Ok(mut value) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    let kind = g.below(10);
    if kind == 0 {
        let cut = text.trim_end().trim_end_matches('}').to_string();
        policy.document = Document::Invalid {
            text: cut,
            broken: "malformed-json".into(),
        };
        return;
    }
    let what = {
        let first = first_statement(&mut value);
        match (kind, first) {
            (1, _) => {
                value["Version"] = "2012-10-18".into();
                "unknown version"
            }
            (2, Some(s)) => {
                rename(s, "Action", "Actions");
                rename(s, "NotAction", "NotActions");
                "misspelt Action"
            }
            (3, Some(s)) => {
                s.insert("Effect".into(), "allow".into());
                "lower-case Effect"
            }
            (4, Some(s)) => {
                s.insert(
                    "Condition".into(),
                    serde_json::json!({"StringEqual": {"aws:username": "alice"}}),
                );
                "unknown operator"
            }
            (5, Some(s)) => {
                s.insert(
                    "Condition".into(),
                    serde_json::json!({"NullIfExists": {"aws:username": "true"}}),
                );
                "NullIfExists"
            }
            (6, Some(s)) => {
                s.insert(
                    "Condition".into(),
                    serde_json::json!({"NumericLessThan": {"s3:max-keys": "ten"}}),
                );
                "non-numeric value"
            }
            (7, Some(s)) => {
                if s.contains_key("Principal") {
                    s.remove("Principal");
                    "missing Principal"
                } else {
                    s.insert("Principal".into(), "*".into());
                    "Principal where none is allowed"
                }
            }
            (8, Some(s)) => {
                s.insert("NotAction".into(), "s3:*".into());
                s.insert("Action".into(), "ec2:*".into());
                "Action with NotAction"
            }
            (_, Some(s)) => {
                s.remove("Effect");
                "missing Effect"
            }
            (_, None) => "no statement",
        }
    };
    policy.document = Document::Invalid {
        text: serde_json::to_string_pretty(&value).unwrap_or_default(),
        broken: what.into(),
    };
}

fn first_statement(value: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    match value.get_mut("Statement")? {
        Value::Array(items) => items.first_mut()?.as_object_mut(),
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn rename(m: &mut serde_json::Map<String, Value>, from: &str, to: &str) {
    if let Some(v) = m.remove(from) {
        m.insert(to.into(), v);
    }
}
