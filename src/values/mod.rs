//! Condition values: how a number, a date, a boolean, base64 bytes and an IP address or range
//! are written in a policy or a request context, read, and compared.
//!
//! One file per kind of value. [`crate::policy`] uses them to reject a policy value its operator
//! cannot read (`check_values`); [`crate::condition`] uses them to decide. This module depends on
//! nothing else of the crate.

pub(crate) mod binary;
pub(crate) mod boolean;
pub(crate) mod date;
pub(crate) mod ip;
pub(crate) mod numeric;
