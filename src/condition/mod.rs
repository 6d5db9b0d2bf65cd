//! Condition blocks: operators, set operators, `IfExists`, `Null`, and how values are read.
//!
//! One [`Condition`] is one operator × one key with its policy values. [`evaluate`] decides it
//! against the request context; [`check_values`] checks at parse time that the operator can read
//! every policy value. This module holds the rules that are the same for every operator family
//! (absent keys, set operators, several values, multi-valued keys, unreadable values, variables,
//! missing keys); each family's reading and comparison lives in its own file (`string.rs`,
//! `numeric.rs`, `date.rs`, `boolean.rs`, `binary.rs`, `ip.rs`; `Null` is here). It does not
//! combine conditions (every condition of a statement must hold: `authorize`) and does not parse
//! policies.
//!
//! # The rules, with their sources
//!
//! Pages of the IAM User Guide: [operators] "IAM JSON policy elements: Condition operators";
//! [multi] "Conditions with multiple context keys or values"; [single] "Single-valued vs.
//! multivalued context keys"; [examples] "Multivalued context key examples"; [variables] "IAM
//! policy elements: Variables and tags".
//!
//! 1. **Absent key.** "If the key that you specify in a policy condition is not present in the
//!    request context, the values do not match and the condition is false. If the policy
//!    condition requires that the key is not matched, such as `StringNotLike` or `ArnNotLike`,
//!    and the right key is not present, the condition is true" [operators]. So a positive
//!    operator is false and a negated one (`is_negated`) true.
//! 2. **`...IfExists`.** "If the key is not present, evaluate the condition element as true";
//!    when the key is present, the operator is applied as if `IfExists` were not there
//!    [operators]. This holds with a set operator too (`ForAnyValue:StringEqualsIfExists` on an
//!    absent key is true).
//! 3. **`Null`.** `true`: the key is absent; `false`: the key is present "and its value is not
//!    null" [operators]. A key present with an empty list of values counts as null: AWS tells
//!    readers to guard `ForAllValues` against "missing context keys or context keys with empty
//!    values" with `Null` = `false` [examples]. Several values OR. `Null` reads `true`/`false`
//!    like `Bool` (any ASCII case); no variables [operators]; a set prefix changes nothing.
//!    Decision: an empty *string* is a value, not null — AWS's own `StringLike` example lists
//!    `""` as an `s3:prefix` value to match — although [examples] gives "an empty string" as an
//!    example of a "null dataset" for `ForAllValues`; only an empty list is an empty data set
//!    here, until an observed AWS answer says otherwise.
//! 4. **Several policy values** for one key OR; for a negated operator they NOR: "If a single
//!    negated matching condition operator includes multiple values for a context key, those
//!    values are evaluated using a logical NOR" [multi]. So `StringNotEquals` holds when the
//!    context value equals none of the policy values.
//! 5. **Set operators.** `ForAllValues`: every value of the key must pass the test; true "if
//!    there are no context keys in the request, or if the context key value resolves to a null
//!    dataset" [examples] [single] — absent or an empty list. `ForAnyValue`: at least one value
//!    must pass; "for no matching context key or if the key does not exist, the condition
//!    returns false" [single]. The test applied to each value is the base operator with rule 4:
//!    for a negated base operator it is "matches none of the policy values", so
//!    `ForAllValues:StringNotLike {"aws:TagKeys": "key1*"}` is false for `[key1:legal]`, true for
//!    `[key2:audit]`, and true when `aws:TagKeys` is absent [examples].
//! 6. **Multi-valued key without a set operator.** "Multivalued context keys require a
//!    condition set operator" [single]. Decision (the docs do not say what happens otherwise): a
//!    plain operator on a multi-valued key — a `...List` context type, or any key carrying other
//!    than exactly one value — is **false**, positive or negated, with or without `IfExists`.
//!    Evidence: AWS staff confirmed "set operator is required for a multi-value key" (noted in
//!    cloud-copilot/iam-simulate `src/condition/condition.ts`, re:Inforce 2025 IAM431), and a user
//!    observed `StringEquals` on `aws:CalledVia` deny where `ForAnyValue:StringEquals` allowed
//!    (boogy/iam-policy-validator PR #161).
//! 7. **Set operator on a single-valued key.** "Do not use a condition set operator with a
//!    single-valued context key" [single], but AWS does evaluate it. Decision: the single value
//!    is a one-element set (as cloud-copilot/iam-simulate does since act-security-labs/iam-simulate
//!    PR #32, "treat it like a multi value context key").
//! 8. **Unreadable values** (decisions; the docs are silent). Two kinds:
//!    - *A malformed request*: a context value that does not read as its own declared
//!      `ContextKeyType` (`0x100` as a `numeric`, `no` as a `boolean`, `999.1.1.1` as an `ip`).
//!      The simulator answers such input with `InvalidInput` and every front end rejects it
//!      ([`crate::context::ContextEntry::check`]); when such a context reaches the evaluator
//!      anyway, a condition on that key (other than `Null`, which tests presence only) **fails
//!      closed** ([`evaluate_for`]): it holds in a `Deny` statement and fails in an `Allow`
//!      statement, whatever the operator. So a malformed request is never decided more
//!      permissively than the same request with any well-formed value of that type (the
//!      property `tests/fail_closed.rs` checks).
//!    - *A well-formed value the operator cannot read* (a `string` key holding `abc` under
//!      `NumericEquals`): it passes neither the positive nor the negated test: the condition on
//!      that value is **false** whether the operator is positive or negated (so with
//!      `ForAnyValue` the value does not count, with `ForAllValues` it makes the condition
//!      false).
//!
//!    A policy value that cannot be read (it passed `check_values` only
//!    because it held a variable, or checking was skipped) matches no context value: it drops
//!    out of the OR (positive) and of the NOR (negated). Context values are read by the
//!    operator's family whatever their declared `ContextKeyType` (a `string` key holding `10`
//!    is the number 10 for `NumericEquals`).
//! 9. **Policy variables** are substituted in the values of the String, ARN and `Bool`
//!    operators only — "You can use a policy variable with the `String` / `ARN` / `Boolean`
//!    condition operator"; "You can not use a policy variable with the `Numeric` / `Date` /
//!    `Binary` / `IpAddress` / `Null` condition operator" [operators] — and only in
//!    `2012-10-17` policies [variables] (`variables_enabled`). A value whose variable's key is
//!    absent (and has no default) matches nothing (rule 8's policy-value half): with one value,
//!    positive operators are false and negated ones true. Its key goes to `missing`.
//! 10. **Missing keys.** The condition key, as written in the policy, is pushed onto `missing`
//!     whenever the request lacks it — for every operator including `IfExists` and `Null`, since
//!     the simulator reports the keys a policy references that the request lacks — and the
//!     keys of absent variables are pushed by [`variables::expand`]. Every value is expanded
//!     (even when the key is absent or the answer is known early), so the report does not
//!     depend on evaluation order. A key present with an empty list is not missing.
//!
//! Operator names are case-sensitive (AWS rejects `stringEquals`: "MalformedPolicyDocument:
//! Invalid Condition type : stringEquals", ministryofjustice/modernisation-platform-environments
//! PR #8893); see [`ConditionOperator::parse`].
//!
//! [operators]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//! [multi]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
//! [single]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
//! [examples]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
//! [variables]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

mod string;

// The operator model lives with the policy model; these names stay here for callers that
// know them as condition operators.
pub use crate::policy::operator::{
    check_values, BaseOperator, ConditionOperator, OperatorError, OperatorFamily, SetOperator,
};

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::context::{ContextEntry, ContextView};
use crate::policy::{Condition, Effect};
use crate::variables::{self, Piece};

use crate::values::numeric::Decimal;
use crate::values::{binary, boolean, date, ip};

/// Evaluates one condition against the request context. Keys the condition needed that the
/// context lacks are pushed onto `missing` (as written in the policy), and so are the keys of
/// policy variables that could not be substituted. See the module documentation for the rules.
pub fn evaluate(
    condition: &Condition,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> bool {
    let operator = condition.operator;
    let base = operator.base;
    let entry = context.get(&condition.key);
    if entry.is_none() {
        missing.push(condition.key.clone());
    }
    if base == BaseOperator::Null {
        return null_holds(&condition.values, entry);
    }
    let substitute = variables_enabled && takes_variables(base.family());
    let policy = PolicyValues::prepare(&condition.values, substitute, context, missing);
    let Some(entry) = entry else {
        return absent_key_result(operator);
    };
    match operator.set {
        None => {
            if is_multi_valued(entry) {
                return false;
            }
            entry
                .values
                .first()
                .is_some_and(|value| value_test(base, &policy, value))
        }
        Some(SetOperator::ForAllValues) => entry
            .values
            .iter()
            .all(|value| value_test(base, &policy, value)),
        Some(SetOperator::ForAnyValue) => entry
            .values
            .iter()
            .any(|value| value_test(base, &policy, value)),
    }
}

/// Evaluates one condition of a statement with the given effect, failing closed on a malformed
/// request (rule 8): when the condition's key is present with a value that does not read as
/// its declared type, the condition holds in a `Deny` statement and fails in an `Allow`
/// statement (`Null` excepted: it tests presence only). Otherwise it is [`evaluate`]. Missing
/// keys are pushed as [`evaluate`] pushes them.
pub fn evaluate_for(
    effect: Effect,
    condition: &Condition,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> bool {
    let holds = evaluate(condition, context, variables_enabled, missing);
    if condition.operator.base == BaseOperator::Null {
        return holds;
    }
    match context.lookup(&condition.key) {
        Some((_, false)) => effect == Effect::Deny,
        _ => holds,
    }
}

/// Why a condition is false, for explanations (see [`why_false`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FalseBecause {
    /// The request has no value for the key, and the operator is false on an absent key
    /// (rule 1 for a positive operator, rule 5 for `ForAnyValue`).
    KeyAbsent,
    /// `Null`: the key's presence is not what the policy value says (rule 3); `key_is_null` is
    /// what the request says.
    NullMismatch {
        /// True when the key is absent or an empty list.
        key_is_null: bool,
    },
    /// The key has several values or a list type, and the operator has no set prefix (rule 6).
    MultiValuedWithoutSetOperator,
    /// The key is present and its values fail the operator's test (rules 4, 5, 8).
    ValuesFail,
    /// The request's value does not read as its declared type, and an `Allow` statement's
    /// condition fails closed on a malformed request (rule 8).
    UnreadableContextValue,
}

/// Why `condition` is false in `context`, or `None` when it holds. Only explanations call this:
/// it re-evaluates the condition (with [`evaluate_for`], as the decision does) and then looks at which rule decided.
pub fn why_false(
    effect: Effect,
    condition: &Condition,
    context: &ContextView<'_>,
    variables_enabled: bool,
) -> Option<FalseBecause> {
    if evaluate_for(
        effect,
        condition,
        context,
        variables_enabled,
        &mut Vec::new(),
    ) {
        return None;
    }
    let entry = context.get(&condition.key);
    if condition.operator.base != BaseOperator::Null
        && matches!(context.lookup(&condition.key), Some((_, false)))
    {
        return Some(FalseBecause::UnreadableContextValue);
    }
    if condition.operator.base == BaseOperator::Null {
        return Some(FalseBecause::NullMismatch {
            key_is_null: entry.is_none_or(|e| e.values.is_empty()),
        });
    }
    Some(match entry {
        None => FalseBecause::KeyAbsent,
        Some(entry) if condition.operator.set.is_none() && is_multi_valued(entry) => {
            FalseBecause::MultiValuedWithoutSetOperator
        }
        Some(_) => FalseBecause::ValuesFail,
    })
}

/// True for the families whose values AWS substitutes policy variables in (rule 9).
fn takes_variables(family: OperatorFamily) -> bool {
    matches!(
        family,
        OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool
    )
}

/// The result when the condition key is absent (rules 1, 2, 5).
fn absent_key_result(operator: ConditionOperator) -> bool {
    if operator.if_exists {
        return true;
    }
    match operator.set {
        Some(SetOperator::ForAllValues) => true,
        Some(SetOperator::ForAnyValue) => false,
        None => operator.base.is_negated(),
    }
}

/// True when a key must be tested with a set operator (rule 6).
fn is_multi_valued(entry: &ContextEntry) -> bool {
    entry.key_type.is_list() || entry.values.len() != 1
}

/// `Null` (rule 3): does the key's absence (or empty list) agree with any policy value?
fn null_holds(values: &[String], entry: Option<&ContextEntry>) -> bool {
    let is_null = entry.is_none_or(|e| e.values.is_empty());
    values
        .iter()
        .any(|value| boolean::parse(value) == Some(is_null))
}

/// The policy values of a condition, ready to compare.
enum PolicyValues<'c> {
    /// Used as written: no variable substitution applies, or no value holds `${`.
    Plain(&'c [String]),
    /// After substitution; `None` where a variable's key was absent (the value matches nothing).
    Expanded(Vec<Option<Vec<Piece<'c>>>>),
}

impl<'c> PolicyValues<'c> {
    /// Substitutes variables when `substitute` and some value holds `${` (the only case that
    /// allocates); pushes absent variable keys onto `missing`.
    fn prepare(
        values: &'c [String],
        substitute: bool,
        context: &ContextView<'_>,
        missing: &mut Vec<String>,
    ) -> Self {
        if !substitute || !values.iter().any(|v| v.contains("${")) {
            return PolicyValues::Plain(values);
        }
        PolicyValues::Expanded(
            values
                .iter()
                .map(|v| variables::expand(v, context, true, missing))
                .collect(),
        )
    }

    /// True when `test` holds for some usable policy value (given as pieces).
    fn any(&self, mut test: impl FnMut(&[Piece<'_>]) -> bool) -> bool {
        match self {
            PolicyValues::Plain(values) => values
                .iter()
                .any(|value| test(&[Piece::Pattern(value.as_str())])),
            PolicyValues::Expanded(values) => values
                .iter()
                .any(|pieces| pieces.as_deref().is_some_and(&mut test)),
        }
    }
}

/// The text of expanded pieces, joined (borrowed when there is one piece).
fn joined<'p>(pieces: &'p [Piece<'_>]) -> Cow<'p, str> {
    match pieces {
        [Piece::Pattern(s)] => Cow::Borrowed(s),
        [Piece::Literal(s)] => Cow::Borrowed(s.as_ref()),
        _ => Cow::Owned(
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Pattern(s) => *s,
                    Piece::Literal(s) => s.as_ref(),
                })
                .collect(),
        ),
    }
}

/// Whether an ordering of context value to policy value satisfies an ordered operator
/// (`...Equals`/`...NotEquals` test equality; `NotEquals` is negated by the caller).
fn ordering_holds(operator: BaseOperator, ordering: Ordering) -> bool {
    use BaseOperator as B;
    match operator {
        B::NumericEquals | B::NumericNotEquals | B::DateEquals | B::DateNotEquals => {
            ordering == Ordering::Equal
        }
        B::NumericLessThan | B::DateLessThan => ordering == Ordering::Less,
        B::NumericLessThanEquals | B::DateLessThanEquals => ordering != Ordering::Greater,
        B::NumericGreaterThan | B::DateGreaterThan => ordering == Ordering::Greater,
        B::NumericGreaterThanEquals | B::DateGreaterThanEquals => ordering != Ordering::Less,
        _ => false,
    }
}

/// The test applied to one context value (rules 4 and 8): for a positive operator, "some
/// policy value matches"; for a negated one, "no policy value matches". A context value the
/// operator cannot read fails both.
fn value_test(base: BaseOperator, policy: &PolicyValues<'_>, value: &str) -> bool {
    let matched = match base.family() {
        OperatorFamily::String | OperatorFamily::Arn => {
            policy.any(|pieces| string::matches(base, pieces, value))
        }
        OperatorFamily::Numeric => {
            let Some(number) = Decimal::parse(value) else {
                return false;
            };
            policy.any(|pieces| {
                let text = joined(pieces);
                Decimal::parse(&text)
                    .is_some_and(|wanted| ordering_holds(base, number.compare(&wanted)))
            })
        }
        OperatorFamily::Date => {
            let Some(instant) = date::parse(value) else {
                return false;
            };
            policy.any(|pieces| {
                date::parse(&joined(pieces))
                    .is_some_and(|wanted| ordering_holds(base, instant.cmp(&wanted)))
            })
        }
        OperatorFamily::Bool => {
            let Some(flag) = boolean::parse(value) else {
                return false;
            };
            policy.any(|pieces| boolean::parse(&joined(pieces)) == Some(flag))
        }
        OperatorFamily::Binary => {
            let Some(bytes) = binary::decode(value) else {
                return false;
            };
            policy.any(|pieces| binary::decode(&joined(pieces)).is_some_and(|b| b == bytes))
        }
        OperatorFamily::Ip => {
            let Some(address) = ip::parse_address(value) else {
                return false;
            };
            policy.any(|pieces| {
                ip::parse_range(&joined(pieces)).is_some_and(|range| ip::contains(&range, &address))
            })
        }
        // Null never reaches here (it tests presence, not values).
        OperatorFamily::Null => return false,
    };
    matched != base.is_negated()
}

#[cfg(test)]
mod tests;
