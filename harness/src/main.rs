//! The `iamspec` command line: `iamspec eval` decides one request against policy files with
//! the simulator's explanation; `iamspec check` runs case files (the bundled corpus by default)
//! and reports per feature, on the reference evaluator or a third-party evaluator; `iamspec gen`
//! writes generated cases or prints their coverage; `iamspec report` compares runs and writes the
//! conformance page; `iamspec bench` measures decisions per second.
//!
//! This file only dispatches and turns errors into exit status 2; see `iamspec_harness::cli` for
//! the flags.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::process::ExitCode;

use clap::Parser;

use iamspec_harness::cli::{Cli, Command};
use iamspec_harness::{bench, check, eval, gen, report_cmd};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Eval(args) => eval::run(args),
        Command::Check(args) => check::run(args),
        Command::Gen(args) => gen::run(args),
        Command::Report(command) => report_cmd::run(command),
        Command::Bench(args) => bench::run(args),
        Command::Diff(args) => return iamspec_harness::diff::main(args),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(2)
        }
    }
}
