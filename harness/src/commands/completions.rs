//! `iamspec completions bash|zsh|fish`: the shell completion script of every subcommand and
//! flag, generated from the flag definitions ([`crate::cli`]) by `clap_complete`, on stdout.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::error::CliError;

/// Writes the completion script for `args.shell` on stdout; returns exit status 0.
pub fn run(args: &CompletionsArgs) -> Result<u8, CliError> {
    let mut out = std::io::stdout().lock();
    write(args.shell, &mut out);
    std::io::Write::flush(&mut out)?;
    Ok(0)
}

/// Writes the completion script for `shell` into `out`.
pub fn write(shell: Shell, out: &mut dyn std::io::Write) {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, &mut Cli::command(), "iamspec", out);
}
