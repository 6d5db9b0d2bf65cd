//! `iamspec gen`: write generated cases as corpus case files, or print coverage statistics.
//!
//! A thin layer over `iamspec-generators`: `generate_cases` (reproducible from the seed),
//! `serialise::write_cases` (triage case files whose expectations are the reference evaluator's
//! unconfirmed answer) and `coverage_stats`. It decides nothing itself.

use iamspec_generators::{coverage_stats, generate_cases, serialise, Settings, Via};

use crate::cli::GenArgs;
use crate::error::CliError;

/// Runs `iamspec gen`; returns the exit status.
pub fn run(args: &GenArgs) -> Result<u8, CliError> {
    let settings = Settings::preset(&args.preset).ok_or_else(|| CliError::Preset {
        name: args.preset.clone(),
        known: Settings::PRESETS.join(", "),
    })?;
    let mut cases = generate_cases(&settings, args.seed, args.count);
    if let Some(shard) = args.shard {
        cases.retain(|c| shard.holds(c.index));
    }
    if args.stats {
        print!("{}", coverage_stats(&cases, Via::Text));
    }
    if let Some(out) = &args.out {
        let written = serialise::write_cases(&cases, out).map_err(|error| CliError::Generate {
            path: out.clone(),
            message: error.to_string(),
        })?;
        println!(
            "wrote {} case files to {} (seed {}, preset {})",
            written.len(),
            out.display(),
            args.seed,
            args.preset
        );
    }
    if !args.stats && args.out.is_none() {
        return Err(CliError::GenNothingToDo);
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(out: Option<std::path::PathBuf>, stats: bool) -> GenArgs {
        GenArgs {
            count: 5,
            seed: 11,
            preset: "well-formed".into(),
            out,
            stats,
            shard: None,
        }
    }

    #[test]
    fn written_cases_load_and_the_same_seed_writes_the_same_files() {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        run(&args(Some(first.path().to_path_buf()), false)).unwrap();
        run(&args(Some(second.path().to_path_buf()), false)).unwrap();
        let loaded = iamspec_format::load::load_dir(first.path());
        assert_eq!(loaded.len(), 5);
        for case in loaded {
            let case = case.unwrap();
            assert_eq!(case.case.source.kind, iamspec_format::SourceKind::Triage);
            let again = std::fs::read_to_string(second.path().join(&case.name)).unwrap();
            assert_eq!(std::fs::read_to_string(&case.path).unwrap(), again);
        }
    }

    #[test]
    fn an_unknown_preset_and_nothing_to_do_are_errors() {
        let mut a = args(None, true);
        a.preset = "chaotic".into();
        assert!(run(&a).unwrap_err().to_string().contains("chaotic"));
        assert!(matches!(
            run(&args(None, false)),
            Err(CliError::GenNothingToDo)
        ));
    }
}
