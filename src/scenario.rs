//! Running corpus scenarios (the `iamspec-format` case files) on the reference evaluator, and
//! comparing the answers with the cases' expectations.
//!
//! STUB: to be written against the case format.
