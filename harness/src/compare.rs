//! Comparing an oracle's answers with a case's expectations: the one checker of
//! `iamspec-format` ([`iamspec_format::check()`]), under a named [`ComparisonMode`] (shared
//! with the differential loop, which compares two oracles' answers in `crate::diff::compare`).

pub use iamspec_format::check::{check as check_request, ComparisonMode, Verdict};
