//! The `iamspec` command line: `iamspec eval` decides one request against policy files with
//! the simulator's explanation; `iamspec check` runs case files (the bundled corpus by default)
//! and reports per feature; `iamspec gen` writes generated cases or prints their coverage.
//!
//! This file only dispatches and turns errors into exit status 2; see [`cli`] for the flags.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
mod cli;
mod error;
mod eval;
mod gen;
mod report;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Eval(args) => eval::run(args),
        Command::Check(args) => check::run(args),
        Command::Gen(args) => gen::run(args),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(2)
        }
    }
}
