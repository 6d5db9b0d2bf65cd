//! Judging an oracle's answers against a case's expectations: the one checker of
//! `iamspec-format` ([`iamspec_format::check()`]) under a named [`ComparisonMode`], re-exported
//! here for the harness (the differential loop compares two oracles' answers under the same
//! modes in `crate::diff::disagreement`). Its rules are written in `iamspec_format::check`.

pub use iamspec_format::check::{check as check_request, ComparisonMode, Verdict};
