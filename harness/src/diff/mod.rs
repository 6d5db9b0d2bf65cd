//! `iamspec diff`: the differential loop of DESIGN.md against any other side — a bundled
//! adapter, a command speaking the protocol, or a replay of recorded answers.
//!
//! Generated cases (seeded) are decided by the reference evaluator and by the other side and
//! compared under a named [`crate::run::compare::ComparisonMode`]; "the other side could not
//! answer" is counted apart from "the two sides disagree" ([`disagreement`]). Each disagreement
//! is written raw at once, shrunk while it holds ([`shrink`]), deduplicated by [`signature`],
//! written as a triage case and confirmed by re-loading and re-running it ([`run`](mod@run),
//! [`store`]), and summed up ([`summary`]). The arguments are in [`crate::cli`], the entry point
//! in [`crate::commands::diff`].

pub mod disagreement;
pub mod run;
pub mod shrink;
pub mod sides;
pub mod signature;
pub mod store;
pub mod summary;
pub mod wire;
