//! Running cases and judging the answers.
//!
//! - `compare`: an oracle's answer against a case's expectations, under a named
//!   [`compare::ComparisonMode`];
//! - `results`: the verdict on each request, counts, everything a run found;
//! - `direct`: the reference evaluator run directly through [`iamspec::scenario::run_case`];
//! - `suite`: any [`crate::oracle::Oracle`] over case directories, in parallel, with known
//!   failures attached.
//!
//! Printing is [`crate::report`]'s job; flags are [`crate::cli`]'s.

pub mod compare;
pub mod direct;
pub mod results;
pub mod suite;
