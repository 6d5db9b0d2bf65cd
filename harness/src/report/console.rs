//! The text report of `iamspec check` (and `print_check`, which picks text, JSON or JUnit).
//!
//! The text always ends with the summary line `N passed, N failed, N skipped, N errored` (CI
//! logs are read for it), preceded by the per-feature table (only the tags where something did
//! not pass, unless `--verbose`), the failures and errors with the reference evaluator's "why
//! (not)" and a one-line reproduction each, the skip reasons, and the triage results kept apart.
//! `--failures-only` keeps the problems and the summary. Colour (`--color`, `NO_COLOR`) only
//! ever marks words that are there without it.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use crate::cli::{CheckFormat, ColorChoice};
use crate::error::CliError;
use crate::report::json::check_json;
use crate::report::junit::check_junit;
use crate::run::results::{CheckRun, Counts, Outcome, RequestResult};

/// How the text report of `iamspec check` is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// The whole per-feature table (`--verbose`), not only the tags where something did not
    /// pass.
    pub verbose: bool,
    /// Only the problems (failures, errors, known failures that stopped failing, stale entries)
    /// and the summary (`--failures-only`).
    pub failures_only: bool,
    /// ANSI colours.
    pub color: bool,
}

/// Whether to colour: `always` and `never` say so; `auto` colours only a terminal, and not
/// when the `NO_COLOR` environment variable is set to anything but the empty string
/// (no-color.org).
pub fn use_color(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

/// Whether to colour standard output under `choice` (reads the terminal and `NO_COLOR`).
pub fn stdout_color(choice: ColorChoice) -> bool {
    use_color(
        choice,
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn red(self, text: &str) -> String {
        self.wrap("31", text)
    }
    fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }
    fn yellow(self, text: &str) -> String {
        self.wrap("33", text)
    }
    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
}

/// Prints the report of `iamspec check` on stdout (text with default [`TextOptions`]).
pub fn print_check(run: &CheckRun, format: CheckFormat) -> Result<(), CliError> {
    print_check_with(run, format, &TextOptions::default())
}

/// Prints the report of `iamspec check` on stdout; `options` shape the text.
pub fn print_check_with(
    run: &CheckRun,
    format: CheckFormat,
    options: &TextOptions,
) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match format {
        CheckFormat::Text => out.write_all(check_text_with(run, options).as_bytes())?,
        CheckFormat::Junit => out.write_all(check_junit(run).as_bytes())?,
        CheckFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &check_json(run))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The text report of `iamspec check` with default [`TextOptions`]; its last line is the
/// summary.
pub fn check_text(run: &CheckRun) -> String {
    check_text_with(run, &TextOptions::default())
}

/// The text report of `iamspec check`; its last line is the summary.
pub fn check_text_with(run: &CheckRun, options: &TextOptions) -> String {
    let paint = Paint(options.color);
    let mut s = String::new();
    if !options.failures_only {
        push_header(&mut s, run);
        let features = run.features();
        if !features.is_empty() {
            s.push('\n');
            s.push_str(&feature_section(&features, options.verbose, paint));
        }
    }
    let main: Vec<&RequestResult> = run
        .results
        .iter()
        .filter(|r| !r.triage && r.known.is_none())
        .collect();
    let (failures, errors) = if run.known.is_some() {
        ("new failures", "new errors")
    } else {
        ("failures", "errors")
    };
    push_problems(&mut s, failures, Outcome::Failed, &main, paint);
    for status in [Outcome::Errored, Outcome::Crashed, Outcome::TimedOut] {
        let title = match status {
            Outcome::Errored => errors.to_string(),
            other => other.name().to_string(),
        };
        push_problems(&mut s, &title, status, &main, paint);
    }
    push_known(&mut s, run, options.failures_only, paint);
    if !options.failures_only {
        let all: Vec<&RequestResult> = run.results.iter().filter(|r| !r.triage).collect();
        push_skip_reasons(&mut s, &all);
        push_triage(&mut s, run, paint);
    }
    if run.counts().total() + run.triage_counts().total() == 0 {
        s.push_str("\nno case matched\n");
    }
    s.push('\n');
    if !options.failures_only {
        s.push_str(&crate::report::basis::basis_line(run));
        s.push('\n');
    }
    let triage = run.triage_counts();
    if triage.total() > 0 {
        // Right above the summary, where a person reads the counts: a run of generated cases
        // (all triage) would otherwise end in `0 passed, 0 failed, ...` and look empty.
        s.push_str(&paint.yellow(&format!(
            "triage cases, not counted below: {}",
            triage.summary()
        )));
        s.push('\n');
    }
    let summary = summary_line(run);
    s.push_str(&if run.succeeded() {
        paint.green(&summary)
    } else {
        paint.red(&summary)
    });
    s.push('\n');
    if options.failures_only {
        // No header above the first problem: start with it.
        return s.trim_start_matches('\n').to_string();
    }
    s
}

/// The lines before the table: the cases, the evaluator, the comparison, the time, the known
/// failures file, and how many requests are triage cases.
fn push_header(s: &mut String, run: &CheckRun) {
    let dirs: Vec<String> = run.dirs.iter().map(|d| d.display().to_string()).collect();
    s.push_str(&format!("cases: {}\n", dirs.join(", ")));
    if let Some(info) = &run.oracle {
        s.push_str(&format!(
            "evaluator: {} {}{}\n",
            info.name,
            info.version,
            info.implementation
                .as_ref()
                .map(|i| format!(" ({}, {})", i.language, i.homepage))
                .unwrap_or_default()
        ));
    }
    if let Some(mode) = run.mode {
        s.push_str(&format!("comparison: {mode}\n"));
    }
    if let Some(elapsed) = run.elapsed {
        s.push_str(&format!(
            "time: {:.2} s over the cases (evaluator start-up excluded)\n",
            elapsed.as_secs_f64()
        ));
    }
    if let Some(path) = run.known.as_ref().and_then(|k| k.path.as_ref()) {
        s.push_str(&format!("known failures: {}\n", path.display()));
    }
    let triage = run.triage_counts().total();
    if triage > 0 {
        s.push_str(&format!(
            "triage: {triage} of the {} requests are triage cases (under triage/ or with \
             source.kind triage, as `iamspec gen` and `iamspec diff` write them): differences \
             with a peer not confirmed against AWS, reported apart and never failing the run\n",
            triage + run.counts().total()
        ));
    }
}

/// The per-feature table: with `verbose` every tag, else only the tags where something did not
/// pass (and one line saying so when every tag passed).
fn feature_section(features: &[(String, Counts)], verbose: bool, paint: Paint) -> String {
    if verbose {
        return colored_table(features, paint);
    }
    let not_passing: Vec<(String, Counts)> = features
        .iter()
        .filter(|(_, c)| c.passed != c.total())
        .cloned()
        .collect();
    let mut s = String::new();
    if not_passing.is_empty() {
        s.push_str(&format!(
            "features: all {} tags passing (--verbose prints the table)\n",
            features.len()
        ));
    } else {
        s.push_str(&format!(
            "features where not every request passed ({} of {} tags; --verbose prints them all):\n",
            not_passing.len(),
            features.len()
        ));
        s.push_str(&colored_table(&not_passing, paint));
    }
    s
}

/// [`feature_table`] with the rows that have a failure or an error in red.
fn colored_table(features: &[(String, Counts)], paint: Paint) -> String {
    let table = feature_table(features);
    let mut s = String::new();
    for (i, line) in table.lines().enumerate() {
        let bad = i > 0
            && features
                .get(i - 1)
                .is_some_and(|(_, c)| c.failed + c.errored + c.crashed + c.timed_out > 0);
        s.push_str(&if bad {
            paint.red(line)
        } else if i == 0 {
            paint.bold(line)
        } else {
            line.to_string()
        });
        s.push('\n');
    }
    s
}

fn push_triage(s: &mut String, run: &CheckRun, paint: Paint) {
    let triage: Vec<&RequestResult> = run.results.iter().filter(|r| r.triage).collect();
    if triage.is_empty() {
        return;
    }
    s.push_str(&format!(
        "\n{}\n",
        paint.bold("triage (differences with a peer, not yet confirmed; never fail the run):")
    ));
    for r in triage.iter().filter(|r| r.status != Outcome::Passed) {
        s.push_str(&format!(
            "  {} {}\n",
            paint.yellow(r.status.name()),
            r.name()
        ));
        for m in &r.messages {
            s.push_str(&format!("    {m}\n"));
        }
        for line in crate::report::why_not::failure_lines(&r.why, "    ") {
            s.push_str(&line);
            s.push('\n');
        }
    }
    s.push_str(&format!("  triage: {}\n", run.triage_counts().summary()));
}

/// The last line of `check`'s text: the counts, then with known failures how many are known,
/// new, and no longer failing. Triage cases are counted on the line above it.
pub fn summary_line(run: &CheckRun) -> String {
    let mut line = run.counts().summary();
    if run.known.is_some() {
        line.push_str(&format!(
            "; {} known failures, {} new problems, {} no longer failing, {} stale entries",
            run.known_failures().count(),
            run.new_failures().count(),
            run.no_longer_failing().count(),
            run.stale_known.len()
        ));
    }
    line
}

fn push_known(s: &mut String, run: &CheckRun, failures_only: bool, paint: Paint) {
    let Some(known) = &run.known else { return };
    let changed: Vec<&RequestResult> = run.no_longer_failing().collect();
    if !changed.is_empty() {
        s.push_str(
            "\nlisted as known failures but no longer failing (remove them from the list):\n",
        );
        for r in changed {
            s.push_str(&format!(
                "  {} {}\n",
                paint.red(&r.status.name().to_uppercase()),
                r.test_id()
            ));
            if let Some(k) = &r.known {
                s.push_str(&format!("    listed because: {}\n", k.reason));
            }
            s.push_str(&format!("    reproduce: {}\n", r.reproduction()));
        }
    }
    if !run.stale_known.is_empty() {
        s.push_str(
            "\nlisted as known failures but not in the corpus (remove them from the list):\n",
        );
        for k in &run.stale_known {
            s.push_str(&format!("  {}\n", k.test));
        }
    }
    let still: Vec<&RequestResult> = run.known_failures().collect();
    if !still.is_empty() && !failures_only {
        s.push_str(&format!(
            "\nknown failures ({} of {} listed in {}):\n",
            still.len(),
            known.len(),
            known
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "the list".to_string())
        ));
        for r in still {
            s.push_str(&format!("  {} {}\n", r.status.name(), r.test_id()));
        }
    }
}
/// The per-feature table: one row per tag with its counts.
pub fn feature_table(features: &[(String, Counts)]) -> String {
    let width = features
        .iter()
        .map(|(tag, _)| tag.len())
        .max()
        .unwrap_or(0)
        .max("feature".len());
    let wide = features.iter().any(|(_, c)| c.crashed + c.timed_out > 0);
    let mut s = format!(
        "{:<width$}  {:>7}  {:>7}  {:>7}  {:>7}",
        "feature", "passed", "failed", "skipped", "errored"
    );
    if wide {
        s.push_str(&format!("  {:>7}  {:>9}", "crashed", "timed out"));
    }
    s.push('\n');
    for (tag, c) in features {
        s.push_str(&format!(
            "{:<width$}  {:>7}  {:>7}  {:>7}  {:>7}",
            tag, c.passed, c.failed, c.skipped, c.errored
        ));
        if wide {
            s.push_str(&format!("  {:>7}  {:>9}", c.crashed, c.timed_out));
        }
        s.push('\n');
    }
    s
}

fn push_problems(
    s: &mut String,
    title: &str,
    status: Outcome,
    results: &[&RequestResult],
    paint: Paint,
) {
    let chosen: Vec<&&RequestResult> = results.iter().filter(|r| r.status == status).collect();
    if chosen.is_empty() {
        return;
    }
    s.push_str(&format!("\n{}\n", paint.bold(&format!("{title}:"))));
    for r in chosen {
        s.push_str(&format!(
            "  {} {}\n",
            paint.red(&status.name().to_uppercase()),
            r.name()
        ));
        for m in &r.messages {
            s.push_str(&format!("    {m}\n"));
        }
        for line in crate::report::why_not::failure_lines(&r.why, "    ") {
            s.push_str(&line);
            s.push('\n');
        }
        if let Some(detail) = &r.detail {
            let lines: Vec<&str> = detail.trim_end().lines().collect();
            let from = lines.len().saturating_sub(8);
            if !lines.is_empty() {
                s.push_str("    stderr/traceback (tail):\n");
                for l in &lines[from..] {
                    s.push_str(&format!("      {l}\n"));
                }
            }
        }
        if let Some(rejected) = &r.rejected {
            s.push_str(&format!(
                "    policy {} rejected at {}:{}: {}: {}\n",
                rejected.policy, rejected.line, rejected.column, rejected.kind, rejected.message
            ));
        }
        s.push_str(&format!("    reproduce: {}\n", r.reproduction()));
    }
}

fn push_skip_reasons(s: &mut String, results: &[&RequestResult]) {
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results.iter().filter(|r| r.status == Outcome::Skipped) {
        let reason = r
            .messages
            .first()
            .map(String::as_str)
            .unwrap_or("(no reason)");
        *reasons.entry(reason).or_default() += 1;
    }
    if reasons.is_empty() {
        return;
    }
    s.push_str("\nskipped, by reason:\n");
    for (reason, n) in reasons {
        s.push_str(&format!("  {n:>5}  {reason}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_runs::sample_run;

    #[test]
    fn the_check_text_ends_with_the_summary_and_lists_failures() {
        let text = check_text(&sample_run());
        let last = text.lines().last().unwrap();
        assert_eq!(last, "1 passed, 1 failed, 1 skipped, 0 errored");
        assert!(text.contains("FAILED b.json::req"));
        assert!(text.contains("reproduce: iamspec check --cases /tmp/cases --filter b.json::req"));
        assert!(text.contains("no SCPs yet"));
        assert!(text.contains("triage: 0 passed, 1 failed, 0 skipped, 0 errored"));
        assert!(text.contains("effect:allow"));
    }

    #[test]
    fn colour_follows_the_flag_the_terminal_and_no_color() {
        use std::ffi::OsStr;
        assert!(use_color(ColorChoice::Auto, true, None));
        assert!(use_color(ColorChoice::Auto, true, Some(OsStr::new(""))));
        assert!(!use_color(ColorChoice::Auto, true, Some(OsStr::new("1"))));
        assert!(!use_color(ColorChoice::Auto, false, None));
        assert!(use_color(ColorChoice::Always, false, Some(OsStr::new("1"))));
        assert!(!use_color(ColorChoice::Never, true, None));
    }

    #[test]
    fn failures_only_keeps_the_problems_and_the_summary() {
        let options = TextOptions {
            failures_only: true,
            ..TextOptions::default()
        };
        let text = check_text_with(&sample_run(), &options);
        assert!(text.contains("FAILED b.json::req"), "{text}");
        assert!(!text.contains("no SCPs yet"), "{text}");
        assert!(!text.contains("cases: "), "{text}");
        assert_eq!(
            text.lines().last(),
            Some("1 passed, 1 failed, 1 skipped, 0 errored")
        );
    }
}
