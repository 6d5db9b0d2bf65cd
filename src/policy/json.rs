//! A small JSON reader that keeps the position of every value, for policy text.
//!
//! STUB: to be replaced by the policy-grammar work (a spanned JSON tree and syntax errors with
//! line and column).
