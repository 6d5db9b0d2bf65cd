//! The subcommands, one module each: each turns its flags ([`crate::cli`]) into an exit status
//! (0, or 1 when the command found a problem) or a [`CliError`] (exit status 2).

pub mod bench;
pub mod check;
pub mod completions;
pub mod diff;
pub mod eval;
pub mod gen;
pub mod report;

use crate::cli::Command;
use crate::error::CliError;

/// Runs one subcommand; returns its exit status.
pub fn run(command: &Command) -> Result<u8, CliError> {
    match command {
        Command::Eval(args) => eval::run(args),
        Command::Check(args) => check::run(args),
        Command::Gen(args) => gen::run(args),
        Command::Report(command) => report::run(command),
        Command::Bench(args) => bench::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Completions(args) => completions::run(args),
    }
}
