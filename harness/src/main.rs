//! The `iamspec` command line: `iamspec eval` decides one request against policy files with
//! the simulator's explanation; `iamspec check` runs case files (the bundled corpus by default)
//! and reports per feature.
//!
//! This file only dispatches and turns errors into exit status 2; see `iamspec_harness::cli` for
//! the flags.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::process::ExitCode;

use clap::Parser;

use iamspec_harness::cli::{Cli, Command};
use iamspec_harness::{check, eval};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Eval(args) => eval::run(args),
        Command::Check(args) => check::run(args),
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
