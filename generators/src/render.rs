//! Writing a policy model as JSON policy text, in the style the generator chose (Statement as
//! an object or a list, single values as strings or lists, condition values as JSON numbers and
//! booleans or strings). The text is what the case file stores and what AWS would be sent.
//!
//! This module writes; it does not parse (the evaluator's `parse_policy` reads the text back).

use iamspec::policy::{
    ActionBlock, Effect, Policy, PolicyVersion, PrincipalBlock, PrincipalKind, PrincipalSpec,
    ResourceBlock, Statement,
};
use serde_json::{Map, Value};

use crate::model::{Document, GenPolicy, RenderStyle};

/// The policy text of a generated policy (pretty-printed JSON, or the invalid text as is).
pub fn policy_text(policy: &GenPolicy) -> String {
    match &policy.document {
        Document::Model { policy, style } => {
            // Serialising a `Value` cannot fail (no non-string map keys, no NaN).
            serde_json::to_string_pretty(&policy_value(policy, *style)).unwrap_or_default()
        }
        Document::Invalid { text, .. } => text.clone(),
    }
}

/// The policy as a JSON value.
pub fn policy_value(policy: &Policy, style: RenderStyle) -> Value {
    let mut doc = Map::new();
    match policy.version {
        Some(PolicyVersion::V2012_10_17) => {
            doc.insert("Version".into(), "2012-10-17".into());
        }
        Some(PolicyVersion::V2008_10_17) => {
            doc.insert("Version".into(), "2008-10-17".into());
        }
        None => {}
    }
    if let Some(id) = &policy.id {
        doc.insert("Id".into(), id.clone().into());
    }
    let statements: Vec<Value> = policy
        .statements
        .iter()
        .map(|s| statement_value(s, style))
        .collect();
    let statement = if style.statement_object && statements.len() == 1 {
        statements.into_iter().next().unwrap_or(Value::Null)
    } else {
        Value::Array(statements)
    };
    doc.insert("Statement".into(), statement);
    Value::Object(doc)
}

fn list(values: &[String], style: RenderStyle) -> Value {
    if style.scalar_single && values.len() == 1 {
        Value::String(values[0].clone())
    } else {
        Value::Array(values.iter().map(|v| Value::String(v.clone())).collect())
    }
}

fn statement_value(s: &Statement, style: RenderStyle) -> Value {
    let mut m = Map::new();
    if let Some(sid) = &s.sid {
        m.insert("Sid".into(), sid.clone().into());
    }
    m.insert(
        "Effect".into(),
        match s.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
        .into(),
    );
    if let Some(p) = &s.principal {
        let (name, spec) = match p {
            PrincipalBlock::Principal(spec) => ("Principal", spec),
            PrincipalBlock::NotPrincipal(spec) => ("NotPrincipal", spec),
        };
        m.insert(name.into(), principal_value(spec, style));
    }
    match &s.action {
        ActionBlock::Action(p) => m.insert("Action".into(), list(p, style)),
        ActionBlock::NotAction(p) => m.insert("NotAction".into(), list(p, style)),
    };
    match &s.resource {
        Some(ResourceBlock::Resource(p)) => {
            m.insert("Resource".into(), list(p, style));
        }
        Some(ResourceBlock::NotResource(p)) => {
            m.insert("NotResource".into(), list(p, style));
        }
        None => {}
    }
    if !s.conditions.is_empty() {
        let mut block = Map::new();
        for c in &s.conditions {
            let entry = block
                .entry(c.operator_text.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(keys) = entry {
                let values: Vec<Value> =
                    c.values.iter().map(|v| condition_value(v, style)).collect();
                let value = if style.scalar_single && values.len() == 1 {
                    values.into_iter().next().unwrap_or(Value::Null)
                } else {
                    Value::Array(values)
                };
                keys.insert(c.key.clone(), value);
            }
        }
        m.insert("Condition".into(), Value::Object(block));
    }
    Value::Object(m)
}

/// A condition value: a JSON number or boolean when the style asks and the text is exactly an
/// integer or `true`/`false` (so that the policy text keeps the same characters), else a string.
fn condition_value(v: &str, style: RenderStyle) -> Value {
    if style.json_typed_values {
        if v == "true" || v == "false" {
            return Value::Bool(v == "true");
        }
        if let Ok(n) = v.parse::<i64>() {
            if n.to_string() == v {
                return Value::from(n);
            }
        }
    }
    Value::String(v.to_string())
}

fn principal_value(spec: &PrincipalSpec, style: RenderStyle) -> Value {
    match spec {
        PrincipalSpec::Wildcard => Value::String("*".into()),
        PrincipalSpec::Map(entries) => {
            let mut m = Map::new();
            for (kind, values) in entries {
                let name = match kind {
                    PrincipalKind::Aws => "AWS",
                    PrincipalKind::Service => "Service",
                    PrincipalKind::Federated => "Federated",
                    PrincipalKind::CanonicalUser => "CanonicalUser",
                };
                m.insert(name.into(), list(values, style));
            }
            Value::Object(m)
        }
    }
}
