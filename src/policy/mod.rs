//! Policy documents: the typed model, the position-keeping JSON reader, the grammar and
//! AWS-style validation.
//!
//! Entry point: [`parse_policy`], which turns policy text into a [`Policy`] or a
//! [`PolicyError`] with a kind from the documented list ([`PolicyErrorKind`]), a message and a
//! position. This module decides what a document *is*; it does not decide requests.

mod error;
pub mod json;
mod model;
mod parse;

pub use error::{PolicyError, PolicyErrorKind, PolicyWarning, PolicyWarningKind};
pub use model::*;
pub use parse::{parse_policy, parse_policy_value, MAX_POLICY_SIZE};
