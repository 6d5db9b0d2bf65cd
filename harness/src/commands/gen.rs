//! `iamspec gen`: write generated cases as corpus case files, or print coverage statistics.
//!
//! A thin layer over `iamspec-generators`: `generate_case_at` (case `i` of a seed's batch, made
//! alone), `serialise` (triage case files whose expectations are the reference evaluator's
//! unconfirmed answer) and `CoverageStats`. Cases are made lazily on `--jobs` threads
//! ([`crate::run::ordered`]): memory stays flat whatever `--count`, and the output is the same
//! whatever `--jobs`. It decides nothing itself.

use std::ops::ControlFlow;
use std::path::PathBuf;

use iamspec_generators::serialise::{self, WriteError};
use iamspec_generators::{generate_case_at, CoverageStats, Settings, Via};

use crate::cli::GenArgs;
use crate::error::CliError;
use crate::run::ordered::for_each_ordered;

/// What one case gives: its statistics, and its file (name and text) when written.
struct Made {
    stats: Option<CoverageStats>,
    file: Option<Result<(String, String), String>>,
}

/// Runs `iamspec gen`; returns the exit status.
pub fn run(args: &GenArgs) -> Result<u8, CliError> {
    let settings = Settings::preset(&args.preset).ok_or_else(|| CliError::Preset {
        name: args.preset.clone(),
        known: Settings::PRESETS.join(", "),
    })?;
    if !args.stats && args.out.is_none() {
        return Err(CliError::GenNothingToDo);
    }
    let write_error = |path: &PathBuf, message: String| CliError::Generate {
        path: path.clone(),
        message,
    };
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out).map_err(|e| write_error(out, e.to_string()))?;
    }
    let jobs = args
        .jobs
        .unwrap_or_else(crate::run::suite::default_jobs)
        .max(1);
    let shard = args.shard;
    let indices = (0..args.count).filter(|&i| shard.is_none_or(|s| s.holds(i)));
    let produce = |index: usize| {
        let case = generate_case_at(&settings, args.seed, index);
        Made {
            stats: args.stats.then(|| {
                // Only the rows this case touches; the totals list every row.
                let mut one = CoverageStats::default();
                one.add(&case, Via::Text);
                one
            }),
            file: args
                .out
                .as_ref()
                .and_then(|_| match serialise::to_case(&case) {
                    Ok(file) => Some(
                        serialise::case_json(&file)
                            .map(|text| (serialise::file_name(&case), text))
                            .map_err(|e| e.to_string()),
                    ),
                    Err(WriteError::NothingToExpect) => None,
                    Err(e) => Some(Err(e.to_string())),
                }),
        }
    };
    let mut stats = CoverageStats::new();
    let mut written = 0usize;
    let stopped = for_each_ordered(indices, jobs, produce, |_, made| {
        if let Some(one) = &made.stats {
            stats.merge(one);
        }
        if let (Some(out), Some(file)) = (&args.out, made.file) {
            let result = file.and_then(|(name, text)| {
                std::fs::write(out.join(name), text).map_err(|e| e.to_string())
            });
            match result {
                Ok(()) => written += 1,
                Err(message) => return ControlFlow::Break(write_error(out, message)),
            }
        }
        ControlFlow::Continue(())
    });
    if let Some(error) = stopped {
        return Err(error);
    }
    if args.stats {
        print!("{stats}");
    }
    if let Some(out) = &args.out {
        println!(
            "wrote {written} case files to {} (seed {}, preset {})",
            out.display(),
            args.seed,
            args.preset
        );
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
            jobs: None,
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
