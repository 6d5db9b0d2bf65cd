//! The `iamspec` command line: `iamspec eval` decides one request against policy files with
//! the simulator's explanation; `iamspec check` runs case files (the bundled corpus by default)
//! and reports per feature, on the reference evaluator or a third-party evaluator; `iamspec gen`
//! writes generated cases or prints their coverage; `iamspec diff` runs the differential loop
//! against another evaluator; `iamspec report` compares runs and writes the conformance page;
//! `iamspec bench` measures decisions per second.
//!
//! This file only parses the flags, dispatches ([`iamspec_harness::commands::run`]) and turns
//! errors into exit status 2; see `iamspec_harness::cli` for the flags.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::process::ExitCode;

use clap::Parser;

use iamspec_harness::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match iamspec_harness::commands::run(&cli.command) {
        Ok(status) => ExitCode::from(status),
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(2)
        }
    }
}
