//! Policy documents: the typed model, the position-keeping JSON reader, the grammar and
//! AWS-style validation.
//!
//! Entry point: [`parse_policy`], which turns policy text into a [`Policy`] or a
//! [`PolicyError`] with a kind from the documented list ([`PolicyErrorKind`]), a message and a
//! position. This module decides what a document *is*; it does not decide requests.
//!
//! - `json`: the JSON reader that keeps positions ([`json::parse`]).
//! - `operator`: condition operator names (`[ForAllValues:|ForAnyValue:]Name[IfExists]`) and
//!   whether an operator can read a value.
//! - `limits`: size limits and the character set, checked before the text is read as JSON.
//! - `parse`: the grammar, walked in document order.
//! - `validate`: the rules on single values and the rules that differ between policy types.

pub mod envelope;
mod error;
pub mod json;
pub mod limits;
mod model;
pub mod operator;
mod parse;
pub mod validate;

pub use error::{PolicyError, PolicyErrorKind, PolicyWarning, PolicyWarningKind};
pub use limits::{decode_policy_text, size_limit, SizeLimit};
pub use model::*;
pub use operator::{BaseOperator, ConditionOperator, OperatorError, OperatorFamily, SetOperator};
pub use parse::{
    parse_policy, parse_policy_all, parse_policy_value, parse_policy_without_size_limit,
    PolicyErrors, MAX_POLICY_SIZE,
};
