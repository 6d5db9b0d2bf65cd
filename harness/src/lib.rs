//! # iamspec-harness — the `iamspec` command line and the machinery behind it
//!
//! Runs case files on the reference evaluator and on third-party evaluators, compares answers,
//! and reports. The modules read as layers, each using only the ones listed before it:
//!
//! - [`known`]: known-failures lists (`known-failures.json`), read and matched;
//! - [`error`]: [`error::CliError`], every way a command can fail, with exit status 2;
//! - [`embedded`]: the corpus compiled into the binary, for an installed `iamspec`;
//! - [`paths`]: the source tree, the bundled corpus, case directories, test names, shell quoting;
//! - [`oracle`]: the [`oracle::Oracle`] trait ("decide this case", defined in `iamspec-format`)
//!   and its implementations — the
//!   reference evaluator, a program speaking the protocol (`oracle::process`: the client with
//!   timeouts, restarts and stderr capture, and the protocol's JSON Schemas), a replay of
//!   recorded answers, a recorder — the bundled adapters and the `--oracle` value;
//! - [`run`]: running cases and judging answers with the one checker of `iamspec-format`
//!   ([`run::compare`]), results and counts ([`run::results`]), any oracle — the reference
//!   included — in parallel ([`run::suite`]);
//! - [`cli`]: every command's flags (clap);
//! - [`report`]: what a person or a CI system reads: `eval`'s answer, `check`'s text and JSON,
//!   the conformance report as JSON, Markdown and HTML, `report diff`;
//! - [`diff`]: the differential loop — compare two oracles' answers, store, shrink, sign, summarise;
//! - [`commands`]: one module per subcommand — `eval`, `check`, `gen`, `diff`, `bench`,
//!   `report` — each a thin function from its flags to an exit status.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod commands;
pub mod diff;
pub mod embedded;
pub mod error;
pub mod known;
pub mod oracle;
pub mod paths;
pub mod report;
pub mod run;
pub mod shard;
pub mod snapshot;
