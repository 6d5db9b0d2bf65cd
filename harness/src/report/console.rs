//! The text report of `iamspec check` (and `print_check`, which picks text or JSON).
//!
//! The text always ends with the summary line `N passed, N failed, N skipped, N errored` (CI
//! logs are read for it), preceded by the per-feature table, the failures and errors with a
//! one-line reproduction each, the skip reasons, and the triage results kept apart.

use std::collections::BTreeMap;
use std::io::Write;

use crate::cli::CheckFormat;
use crate::error::CliError;
use crate::report::json::check_json;
use crate::report::junit::check_junit;
use crate::run::results::{CheckRun, Counts, Outcome, RequestResult};

/// Prints the report of `iamspec check` on stdout.
pub fn print_check(run: &CheckRun, format: CheckFormat) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match format {
        CheckFormat::Text => out.write_all(check_text(run).as_bytes())?,
        CheckFormat::Junit => out.write_all(check_junit(run).as_bytes())?,
        CheckFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &check_json(run))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The text report of `iamspec check`; its last line is the summary.
pub fn check_text(run: &CheckRun) -> String {
    let mut s = String::new();
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
    let features = run.features();
    if !features.is_empty() {
        s.push('\n');
        s.push_str(&feature_table(&features));
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
    push_problems(&mut s, failures, Outcome::Failed, &main);
    for status in [Outcome::Errored, Outcome::Crashed, Outcome::TimedOut] {
        let title = match status {
            Outcome::Errored => errors.to_string(),
            other => other.name().to_string(),
        };
        push_problems(&mut s, &title, status, &main);
    }
    push_known(&mut s, run);
    let all: Vec<&RequestResult> = run.results.iter().filter(|r| !r.triage).collect();
    push_skip_reasons(&mut s, &all);
    let triage: Vec<&RequestResult> = run.results.iter().filter(|r| r.triage).collect();
    if !triage.is_empty() {
        s.push_str("\ntriage (differences with a peer, not yet confirmed; never fail the run):\n");
        for r in triage.iter().filter(|r| r.status != Outcome::Passed) {
            s.push_str(&format!("  {} {}\n", r.status.name(), r.name()));
            for m in &r.messages {
                s.push_str(&format!("    {m}\n"));
            }
        }
        s.push_str(&format!("  triage: {}\n", run.triage_counts().summary()));
    }
    if run.counts().total() + run.triage_counts().total() == 0 {
        s.push_str("\nno case matched\n");
    }
    s.push('\n');
    s.push_str(&crate::report::basis::basis_line(run));
    s.push('\n');
    s.push_str(&summary_line(run));
    s.push('\n');
    s
}

/// The last line of `check`'s text: the counts, then with known failures how many are known,
/// new, and no longer failing.
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

fn push_known(s: &mut String, run: &CheckRun) {
    let Some(known) = &run.known else { return };
    let changed: Vec<&RequestResult> = run.no_longer_failing().collect();
    if !changed.is_empty() {
        s.push_str(
            "\nlisted as known failures but no longer failing (remove them from the list):\n",
        );
        for r in changed {
            s.push_str(&format!(
                "  {} {}\n",
                r.status.name().to_uppercase(),
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
    if !still.is_empty() {
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

fn push_problems(s: &mut String, title: &str, status: Outcome, results: &[&RequestResult]) {
    let chosen: Vec<&&RequestResult> = results.iter().filter(|r| r.status == status).collect();
    if chosen.is_empty() {
        return;
    }
    s.push_str(&format!("\n{title}:\n"));
    for r in chosen {
        s.push_str(&format!(
            "  {} {}\n",
            status.name().to_uppercase(),
            r.name()
        ));
        for m in &r.messages {
            s.push_str(&format!("    {m}\n"));
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
}
