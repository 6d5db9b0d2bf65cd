//! `iamspec bench`: decisions per second of the reference evaluator and of third-party
//! evaluators over the same cases, in one run.
//!
//! Each implementation gets one instance (the reference in process, a peer as one process),
//! started and handshaken before the clock starts; then it decides every case, `rounds` times,
//! and the median round is reported. Times are wall clock over the cases only (process start-up
//! excluded; for a peer they include the protocol's JSON encoding and the pipe round trips,
//! which is what a user of the peer through iamspec pays). A "decision" is a request answered
//! with a decision or a policy rejection; skipped and unanswered requests are counted apart and
//! do not add to the rate.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use crate::cli::{BenchArgs, Format};
use crate::error::CliError;
use crate::oracle::process::client::ProcessOptions;
use crate::oracle::{Answer, Oracle};
use crate::paths::{case_dirs, shell_quote};
use crate::run::suite::load_work;

/// One implementation's measurement.
#[derive(Debug, Clone, Serialize)]
pub struct BenchRow {
    /// `name version` as the implementation says.
    pub implementation: String,
    /// Cases run per round.
    pub cases: usize,
    /// Requests per round.
    pub requests: usize,
    /// Requests answered with a decision or a rejection, per round.
    pub decisions: usize,
    /// Requests skipped or not answered, per round.
    pub not_decided: usize,
    /// The median round's wall-clock time, in seconds.
    pub seconds: f64,
    /// Decisions per second in the median round.
    pub decisions_per_second: f64,
}

/// Runs `iamspec bench`.
pub fn run(args: &BenchArgs) -> Result<u8, CliError> {
    let oracles = args.all_oracles();
    if oracles.is_empty() {
        return Err(CliError::Usage(
            "bench: name what to measure: --oracle reference|adapter:NAME|command:CMD|replay:FILE"
                .into(),
        ));
    }
    let dirs: Vec<PathBuf> = case_dirs(&args.cases)?;
    let (work, _) = load_work(&dirs, None);
    let cases: Vec<iamspec_format::Case> = work
        .into_iter()
        .filter(|w| !w.triage)
        .map(|w| w.case)
        .collect();
    let rounds = args.rounds.max(1);
    let options = ProcessOptions::with_timeout(args.timeout.duration());
    let mut rows = Vec::new();
    for spec in oracles {
        let flag = format!("--oracle {}", shell_quote(&spec.to_string()));
        let mut oracle =
            spec.open(options.clone())
                .map_err(|e| CliError::EvaluatorDidNotStart {
                    flag,
                    message: e.to_string(),
                })?;
        rows.push(measure(oracle.as_mut(), &cases, rounds));
        if let Err(e) = oracle.finish() {
            eprintln!("warning: {e}");
        }
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => out.write_all(table(&rows, rounds).as_bytes())?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
    }
    Ok(0)
}

/// Runs the cases `rounds` times on one oracle and keeps the median round.
pub fn measure(oracle: &mut dyn Oracle, cases: &[iamspec_format::Case], rounds: usize) -> BenchRow {
    let info = oracle.info();
    let requests: usize = cases.iter().map(|c| c.requests.len()).sum();
    let mut times = Vec::with_capacity(rounds);
    let mut decisions = 0;
    for _ in 0..rounds.max(1) {
        decisions = 0;
        let started = Instant::now();
        for case in cases {
            if let Ok(answers) = oracle.decide(case) {
                decisions += answers
                    .iter()
                    .filter(|a| matches!(a, Answer::Decided(_) | Answer::Rejected(_)))
                    .count();
            }
        }
        times.push(started.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    let seconds = median.as_secs_f64();
    BenchRow {
        implementation: format!("{} {}", info.name, info.version),
        cases: cases.len(),
        requests,
        decisions,
        not_decided: requests - decisions.min(requests),
        seconds,
        decisions_per_second: if seconds > 0.0 {
            decisions as f64 / seconds
        } else {
            0.0
        },
    }
}

/// The table `bench` prints.
pub fn table(rows: &[BenchRow], rounds: usize) -> String {
    let width = rows
        .iter()
        .map(|r| r.implementation.len())
        .max()
        .unwrap_or(0)
        .max("implementation".len());
    let mut s = format!(
        "{:<width$}  {:>6}  {:>8}  {:>9}  {:>11}  {:>10}  {:>12}\n",
        "implementation", "cases", "requests", "decisions", "not decided", "seconds", "decisions/s"
    );
    for r in rows {
        s.push_str(&format!(
            "{:<width$}  {:>6}  {:>8}  {:>9}  {:>11}  {:>10.4}  {:>12.0}\n",
            r.implementation,
            r.cases,
            r.requests,
            r.decisions,
            r.not_decided,
            r.seconds,
            r.decisions_per_second
        ));
    }
    s.push_str(&format!(
        "wall clock over the cases, median of {rounds} round(s), one instance each, process start-up excluded\n"
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::reference::ReferenceOracle;
    use crate::paths::built_in_corpus;

    #[test]
    fn the_reference_is_measured() {
        let (work, _) = load_work(&[built_in_corpus()], Some("seeds/"));
        let cases: Vec<_> = work.into_iter().map(|w| w.case).collect();
        let row = measure(&mut ReferenceOracle, &cases, 1);
        assert!(row.decisions > 0);
        assert!(row.decisions_per_second > 0.0);
        let t = table(&[row], 1);
        assert!(t.contains("iamspec"), "{t}");
        assert!(t.contains("start-up excluded"), "{t}");
    }
}
