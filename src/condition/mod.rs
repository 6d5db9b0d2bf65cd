//! Condition blocks: operators, set operators, `IfExists`, `Null`, and how values are read.
//!
//! STUB: to be replaced by the conditions work.

mod operator;

pub use operator::{BaseOperator, ConditionOperator, OperatorError, OperatorFamily, SetOperator};

use crate::context::ContextView;
use crate::policy::Condition;

/// Evaluates one condition against the request context. Keys the condition needed that the
/// context lacks are pushed onto `missing` (as written in the policy).
pub fn evaluate(
    condition: &Condition,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> bool {
    let _ = variables_enabled;
    match context.get(&condition.key) {
        Some(entry) => entry.values.iter().any(|v| condition.values.contains(v)),
        None => {
            missing.push(condition.key.clone());
            false
        }
    }
}

/// Checks that every value of a condition can be read by its operator (a number for Numeric*,
/// a date for Date*, a CIDR or address for IpAddress, base64 for BinaryEquals, `true`/`false`
/// for Bool and Null). The error says which value and why; policy parsing turns it into an
/// `invalid-condition-value` error at the value's position.
pub fn check_values(operator: &ConditionOperator, values: &[String]) -> Result<(), String> {
    let _ = (operator, values);
    Ok(())
}
