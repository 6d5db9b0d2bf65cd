//! # iamspec-harness — the `iamspec` command line and the machinery behind it
//!
//! Runs case files on the reference evaluator and on third-party evaluators, compares answers,
//! and reports. The pieces other code builds on:
//!
//! - [`process`]: the client for an evaluator program speaking the protocol
//!   (`docs/protocol/README.md`): handshake, per-case timeout, restart after a crash, a hang or
//!   garbage, stderr capture;
//! - [`schemas`]: the protocol's JSON Schemas, for `--validate-protocol`;
//! - [`oracle`]: the [`oracle::Oracle`] trait ("decide this case") and its implementations —
//!   the reference evaluator, a process, a replay of recorded answers.
//!
//! The binary's commands live in [`check`], [`eval`] and [`diff`] (the differential loop
//! against another evaluator); [`cli`] holds their flags.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod adapters;
pub mod bench;
pub mod check;
pub mod cli;
pub mod compare;
pub mod conformance;
pub mod diff;
pub mod error;
pub mod eval;
pub mod gen;
pub mod known;
pub mod oracle;
pub mod process;
pub mod report;
pub mod report_cmd;
pub mod schemas;
pub mod suite;
