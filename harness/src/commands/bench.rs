//! `iamspec bench`: decisions per second of the reference evaluator and of third-party
//! evaluators over the same cases, in one run, with the ratio of the reference to each.
//!
//! Each implementation gets one instance (the reference in process, a peer as one process),
//! all started and handshaken before the clock starts. A round runs the cases again and again
//! until it has lasted at least `--round-seconds` (one pass at least), so that even a fast
//! implementation is timed over a stretch a shared machine's noise does not dominate. Rounds are
//! interleaved — round 1 of every implementation, then round 2 of every one... — so that a
//! stretch of load on the machine falls on all of them alike; `--rounds` rounds are run and the
//! slowest, median and fastest rates reported. The ratio of the reference to another is taken
//! round by round (the reference's round `r` over the other's round `r`) and the median,
//! smallest and largest of those ratios reported.
//!
//! Times are wall clock over the cases only (process start-up excluded; for a peer they include
//! the protocol's JSON encoding and the pipe round trips, which is what a user of the peer
//! through iamspec pays). A "decision" is a request answered with a decision or a policy
//! rejection; skipped and unanswered requests are counted apart and do not add to the rate.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cli::{BenchArgs, Format};
use crate::error::CliError;
use crate::oracle::process::client::ProcessOptions;
use crate::oracle::spec::OracleSpec;
use crate::oracle::{Answer, Oracle};
use crate::paths::{case_dirs, shell_quote};
use crate::run::cpu::cpu_seconds;
use crate::run::suite::load_work;

/// One implementation's measurement.
#[derive(Debug, Clone, Serialize)]
pub struct BenchRow {
    /// `name version` as the implementation says.
    pub implementation: String,
    /// True for the reference evaluator (`--oracle reference`): the ratios are to it.
    pub reference: bool,
    /// Cases run per pass.
    pub cases: usize,
    /// Requests per pass.
    pub requests: usize,
    /// Requests answered with a decision or a rejection, per pass.
    pub decisions: usize,
    /// Requests skipped or not answered, per pass.
    pub not_decided: usize,
    /// Passes over the cases in each round.
    pub passes: Vec<usize>,
    /// Each round's wall-clock time, in seconds.
    pub round_seconds: Vec<f64>,
    /// Each round's decisions per second.
    pub rates: Vec<f64>,
    /// Each round's decisions per CPU second (this thread's and the evaluator processes'
    /// together; empty where `/proc` cannot be read).
    pub cpu_rates: Vec<f64>,
    /// The median round's wall-clock time per pass, in seconds.
    pub seconds: f64,
    /// Decisions per second: the slowest round.
    pub min_decisions_per_second: f64,
    /// Decisions per second: the median round.
    pub decisions_per_second: f64,
    /// Decisions per second: the fastest round.
    pub max_decisions_per_second: f64,
    /// Decisions per CPU second: the median round (0 where `/proc` cannot be read).
    pub cpu_decisions_per_second: f64,
}

/// The ratio of the reference's rate to another implementation's, round by round.
#[derive(Debug, Clone, Serialize)]
pub struct Ratio {
    /// The other implementation.
    pub implementation: String,
    /// The median of the per-round ratios.
    pub median: f64,
    /// The smallest per-round ratio.
    pub min: f64,
    /// The largest per-round ratio.
    pub max: f64,
    /// The same three of the ratios of decisions per CPU second (none where `/proc` cannot be
    /// read): what the machine's other work does not change.
    pub cpu: Option<(f64, f64, f64)>,
}

/// What `bench --format json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// One row per implementation, in the order named.
    pub rows: Vec<BenchRow>,
    /// The reference's rate over each other's, when the reference was measured.
    pub ratios: Vec<Ratio>,
}

/// How long and how often each implementation is measured.
#[derive(Debug, Clone, Copy)]
pub struct Rounds {
    /// Rounds per implementation.
    pub rounds: usize,
    /// The shortest round: passes are repeated until a round has lasted this long.
    pub min_round: Duration,
}

/// Runs `iamspec bench`.
pub fn run(args: &BenchArgs) -> Result<u8, CliError> {
    let specs = args.all_oracles();
    if specs.is_empty() {
        return Err(CliError::Usage(
            "bench: name what to measure: --oracle reference|adapter:NAME|command:CMD|replay:FILE"
                .into(),
        ));
    }
    if !(args.round_seconds.is_finite() && (0.0..=3600.0).contains(&args.round_seconds)) {
        return Err(CliError::Usage(format!(
            "--round-seconds `{}`: expected a number of seconds from 0 to 3600",
            args.round_seconds
        )));
    }
    let dirs: Vec<PathBuf> = case_dirs(&args.cases)?;
    let (work, _) = load_work(&dirs, None);
    let cases: Vec<iamspec_format::Case> = work
        .into_iter()
        .filter(|w| !w.triage)
        .map(|w| w.case)
        .collect();
    let rounds = Rounds {
        rounds: args.rounds.max(1),
        min_round: Duration::from_secs_f64(args.round_seconds),
    };
    let options = ProcessOptions::with_timeout(args.timeout.duration());
    let mut oracles: Vec<(bool, Box<dyn Oracle>)> = Vec::new();
    for spec in &specs {
        let flag = format!("--oracle {}", shell_quote(&spec.to_string()));
        let oracle = spec
            .open(options.clone())
            .map_err(|e| CliError::EvaluatorDidNotStart {
                flag,
                message: e.to_string(),
            })?;
        oracles.push((matches!(spec, OracleSpec::Reference), oracle));
    }
    let mut measured: Vec<Measured> = oracles.iter().map(|_| Measured::default()).collect();
    for _ in 0..rounds.rounds {
        for ((_, oracle), m) in oracles.iter_mut().zip(&mut measured) {
            m.round(oracle.as_mut(), &cases, rounds.min_round);
        }
    }
    let mut rows = Vec::new();
    for ((reference, mut oracle), m) in oracles.into_iter().zip(measured) {
        rows.push(m.row(oracle.as_mut(), &cases, reference));
        if let Err(e) = oracle.finish() {
            eprintln!("warning: {e}");
        }
    }
    let report = BenchReport {
        ratios: ratios(&rows),
        rows,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => {
            out.write_all(table(&report.rows, rounds).as_bytes())?;
            out.write_all(ratio_table(&report).as_bytes())?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
    }
    Ok(0)
}

/// Decisions (and rejections) among the answers to one pass over `cases`.
fn one_pass(oracle: &mut dyn Oracle, cases: &[iamspec_format::Case]) -> usize {
    let mut decisions = 0;
    for case in cases {
        if let Ok(answers) = oracle.decide(case) {
            decisions += answers
                .iter()
                .filter(|a| matches!(a, Answer::Decided(_) | Answer::Rejected(_)))
                .count();
        }
    }
    decisions
}

/// The rounds of one implementation so far.
#[derive(Debug, Default)]
struct Measured {
    decisions: usize,
    passes: Vec<usize>,
    round_seconds: Vec<f64>,
    rates: Vec<f64>,
    cpu_rates: Vec<f64>,
}

impl Measured {
    /// One round: passes over the cases until it has lasted `min_round` (one pass at least).
    fn round(&mut self, oracle: &mut dyn Oracle, cases: &[iamspec_format::Case], min: Duration) {
        let cpu_before = cpu_seconds();
        let started = Instant::now();
        let mut done = 0usize;
        let mut decided = 0usize;
        loop {
            self.decisions = one_pass(oracle, cases);
            decided += self.decisions;
            done += 1;
            if started.elapsed() >= min {
                break;
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        if let (Some(before), Some(after)) = (cpu_before, cpu_seconds()) {
            if after > before {
                self.cpu_rates.push(decided as f64 / (after - before));
            }
        }
        self.passes.push(done);
        self.round_seconds.push(seconds);
        self.rates.push(if seconds > 0.0 {
            decided as f64 / seconds
        } else {
            0.0
        });
    }

    fn row(
        self,
        oracle: &mut dyn Oracle,
        cases: &[iamspec_format::Case],
        reference: bool,
    ) -> BenchRow {
        let info = oracle.info();
        let requests: usize = cases.iter().map(|c| c.requests.len()).sum();
        let (min, median, max) = spread(&self.rates);
        let at = self
            .rates
            .iter()
            .position(|r| *r == median)
            .unwrap_or_default();
        BenchRow {
            implementation: format!("{} {}", info.name, info.version),
            reference,
            cases: cases.len(),
            requests,
            decisions: self.decisions,
            not_decided: requests - self.decisions.min(requests),
            seconds: self.round_seconds.get(at).copied().unwrap_or_default()
                / self.passes.get(at).copied().unwrap_or(1).max(1) as f64,
            min_decisions_per_second: min,
            decisions_per_second: median,
            max_decisions_per_second: max,
            cpu_decisions_per_second: spread(&self.cpu_rates).1,
            passes: self.passes,
            round_seconds: self.round_seconds,
            rates: self.rates,
            cpu_rates: self.cpu_rates,
        }
    }
}

/// Runs `rounds` rounds of passes over the cases on one oracle; each round lasts at least
/// `rounds.min_round` (and one pass).
pub fn measure(
    oracle: &mut dyn Oracle,
    cases: &[iamspec_format::Case],
    rounds: Rounds,
    reference: bool,
) -> BenchRow {
    let mut m = Measured::default();
    for _ in 0..rounds.rounds.max(1) {
        m.round(oracle, cases, rounds.min_round);
    }
    m.row(oracle, cases, reference)
}

/// The smallest, median (the upper one of an even count) and largest of `values` (zeros when
/// empty).
fn spread(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match (sorted.first(), sorted.get(sorted.len() / 2), sorted.last()) {
        (Some(a), Some(m), Some(z)) => (*a, *m, *z),
        _ => (0.0, 0.0, 0.0),
    }
}

/// The reference's rate over each other implementation's, round by round, when the reference
/// was measured.
pub fn ratios(rows: &[BenchRow]) -> Vec<Ratio> {
    let Some(reference) = rows.iter().find(|r| r.reference) else {
        return Vec::new();
    };
    rows.iter()
        .filter(|r| !r.reference)
        .map(|r| {
            let per_round = |a: &[f64], b: &[f64]| -> Vec<f64> {
                a.iter()
                    .zip(b)
                    .map(|(a, b)| if *b > 0.0 { a / b } else { f64::INFINITY })
                    .collect()
            };
            let (min, median, max) = spread(&per_round(&reference.rates, &r.rates));
            let cpu = per_round(&reference.cpu_rates, &r.cpu_rates);
            Ratio {
                implementation: r.implementation.clone(),
                median,
                min,
                max,
                cpu: (!cpu.is_empty()).then(|| {
                    let (min, median, max) = spread(&cpu);
                    (median, min, max)
                }),
            }
        })
        .collect()
}

/// The table `bench` prints.
pub fn table(rows: &[BenchRow], rounds: Rounds) -> String {
    let width = rows
        .iter()
        .map(|r| r.implementation.len())
        .max()
        .unwrap_or(0)
        .max("implementation".len());
    let mut s = format!(
        "{:<width$}  {:>6}  {:>8}  {:>9}  {:>11}  {:>6}  {:>12}  {:>12}  {:>12}  {:>14}\n",
        "implementation",
        "cases",
        "requests",
        "decisions",
        "not decided",
        "passes",
        "min dec/s",
        "median dec/s",
        "max dec/s",
        "median dec/CPU s"
    );
    for r in rows {
        s.push_str(&format!(
            "{:<width$}  {:>6}  {:>8}  {:>9}  {:>11}  {:>6}  {:>12.0}  {:>12.0}  {:>12.0}  {:>14.0}\n",
            r.implementation,
            r.cases,
            r.requests,
            r.decisions,
            r.not_decided,
            r.passes.iter().sum::<usize>(),
            r.min_decisions_per_second,
            r.decisions_per_second,
            r.max_decisions_per_second,
            r.cpu_decisions_per_second
        ));
    }
    s.push_str(&format!(
        "wall clock over the cases: {} interleaved round(s) of at least {:.1} s each (passes over the cases repeated), one instance each, process start-up excluded\n",
        rounds.rounds,
        rounds.min_round.as_secs_f64()
    ));
    s
}

/// The ratio table that follows [`table`] when the reference and others were measured; empty
/// otherwise.
pub fn ratio_table(report: &BenchReport) -> String {
    let Some(reference) = report.rows.iter().find(|r| r.reference) else {
        return String::new();
    };
    if report.ratios.is_empty() {
        return String::new();
    }
    let width = report
        .ratios
        .iter()
        .map(|r| r.implementation.len())
        .max()
        .unwrap_or(0)
        .max("implementation".len());
    let mut s = format!(
        "\n{} decides faster than (its decisions per second over the other's, round by round: median, smallest, largest; by wall clock, and by CPU time of the harness and the evaluator's processes):\n",
        reference.implementation
    );
    for r in &report.ratios {
        s.push_str(&format!(
            "  {:<width$}  wall clock {:>7.1}×  ({:.1}× to {:.1}×)",
            r.implementation, r.median, r.min, r.max,
        ));
        if let Some((median, min, max)) = r.cpu {
            s.push_str(&format!(
                "   CPU time {median:>7.1}×  ({min:.1}× to {max:.1}×)"
            ));
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::reference::ReferenceOracle;
    use crate::paths::built_in_corpus;

    #[test]
    fn rounds_last_their_minimum_and_rates_are_ordered() {
        let (work, _) = load_work(&[built_in_corpus()], Some("seeds/"));
        let cases: Vec<_> = work.into_iter().map(|w| w.case).collect();
        let rounds = Rounds {
            rounds: 3,
            min_round: Duration::from_millis(150),
        };
        let row = measure(&mut ReferenceOracle, &cases, rounds, true);
        assert!(row.decisions > 0);
        assert_eq!(row.passes.len(), 3);
        assert!(row.round_seconds.iter().all(|s| *s >= 0.15), "{row:?}");
        assert!(row.passes.iter().all(|p| *p >= 1));
        assert!(row.min_decisions_per_second > 0.0);
        assert!(row.min_decisions_per_second <= row.decisions_per_second);
        assert!(row.decisions_per_second <= row.max_decisions_per_second);
        let t = table(std::slice::from_ref(&row), rounds);
        assert!(t.contains("iamspec"), "{t}");
        assert!(t.contains("at least 0.1 s"), "{t}");
        assert!(t.contains("start-up excluded"), "{t}");
    }

    #[test]
    fn the_ratio_table_divides_the_reference_s_rates_round_by_round() {
        let row = |name: &str, reference: bool, rates: Vec<f64>| {
            let (min, median, max) = spread(&rates);
            BenchRow {
                implementation: name.into(),
                reference,
                cases: 1,
                requests: 1,
                decisions: 1,
                not_decided: 0,
                passes: vec![1; rates.len()],
                round_seconds: vec![1.0; rates.len()],
                seconds: 1.0,
                min_decisions_per_second: min,
                decisions_per_second: median,
                max_decisions_per_second: max,
                cpu_decisions_per_second: 0.0,
                cpu_rates: Vec::new(),
                rates,
            }
        };
        let rows = vec![
            row("iamspec 0.1.0", true, vec![900.0, 1000.0, 1100.0]),
            row("peer 1", false, vec![9.0, 10.0, 10.0]),
        ];
        let report = BenchReport {
            ratios: ratios(&rows),
            rows,
        };
        // 900/9, 1000/10, 1100/10.
        assert_eq!(report.ratios.len(), 1);
        assert_eq!(report.ratios[0].min, 100.0);
        assert_eq!(report.ratios[0].median, 100.0);
        assert_eq!(report.ratios[0].max, 110.0);
        let t = ratio_table(&report);
        assert!(t.contains("peer 1"), "{t}");
        assert!(t.contains("100.0×  (100.0× to 110.0×)"), "{t}");
        // No CPU readings: no CPU ratio.
        assert!(
            report.ratios[0].cpu.is_none() && !t.contains("CPU time  "),
            "{t}"
        );
        assert!(ratios(&report.rows[1..]).is_empty());
    }

    #[test]
    fn spread_of_nothing_is_zero() {
        assert_eq!(spread(&[]), (0.0, 0.0, 0.0));
        assert_eq!(spread(&[3.0, 1.0, 2.0]), (1.0, 2.0, 3.0));
    }
}
