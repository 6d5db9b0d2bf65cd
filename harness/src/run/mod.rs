//! Running cases and judging the answers.
//!
//! - `compare`: the one checker of `iamspec-format`, an oracle's answer against a case's
//!   expectations under a named [`compare::ComparisonMode`];
//! - `results`: the outcome of each request, counts, everything a run found;
//! - `suite`: any [`crate::oracle::Oracle`] — the reference evaluator included
//!   ([`suite::check_dirs`]) — over case directories, in parallel, with known failures
//!   attached: case -> oracle -> answer -> checker -> outcome;
//! - `cpu`: CPU seconds of this thread and of the evaluator processes it started (`bench`);
//! - `ordered`: numbered items over `jobs` threads, results back in order, a bounded number in
//!   flight (`gen`, `diff`);
//! - `why_not`: the reference evaluator's "why (not)" attached to each failure after the run.
//!
//! Printing is [`crate::report`]'s job; flags are [`crate::cli`]'s.

pub mod compare;
pub mod cpu;
pub mod ordered;
pub mod results;
pub mod suite;
pub mod why_not;
