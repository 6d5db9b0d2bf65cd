//! Reports: what a person and a CI system read after a run.
//!
//! - `answers`: a request's expected and answered, one line each (JUnit, the HTML drill-down);
//! - `counts`: outcome counts as a JSON object and as a table cell;
//! - `why_not`: the reference's "why (not)" in words, and a matched statement in one line;
//! - `basis`: documented vs our-reading counts;
//! - `eval`: the answer of `iamspec eval` (text and JSON);
//! - `console`: the text report of `iamspec check`, ending with the summary line;
//! - `json`: the JSON report of `iamspec check`;
//! - `junit`: the JUnit XML report of `iamspec check` (`--format junit`), for CI systems;
//! - `conformance`: the feature × implementation report (`report.json`), written as Markdown
//!   (`markdown`, `docs/CONFORMANCE.md`) and HTML (`html`);
//! - `diff`: `iamspec report diff`, what got fixed and what broke between two reports.
//!
//! Only presentation lives here: nothing runs a case.

pub mod answers;
pub mod basis;
pub mod conformance;
pub mod console;
pub mod counts;
pub mod diff;
pub mod eval;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod shards;
pub mod why_not;

pub use console::{check_text, feature_table, print_check, summary_line};
pub use counts::counts_json;
pub use eval::{print_eval, EvalOutcome, FileWarning};
pub use json::check_json;

use std::path::Path;

use crate::error::CliError;
use crate::report::conformance::Report;
use crate::report::html::html;
use crate::report::markdown::markdown;
use crate::run::results::CheckRun;

fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::ReportFile {
        path: path.to_path_buf(),
        message: format!("cannot write: {e}"),
    })
}

/// Writes `report.json`, `report.md` and `report.html` for the runs into `dir` (created if
/// needed).
pub fn write_report_dir(dir: &Path, runs: &[CheckRun]) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::ReportFile {
        path: dir.to_path_buf(),
        message: format!("cannot create the directory: {e}"),
    })?;
    let report = Report::from_runs(runs);
    write_reports(dir, &report, "iamspec conformance report", "")
}

/// Writes the three forms of `report` into `dir`.
pub fn write_reports(
    dir: &Path,
    report: &Report,
    title: &str,
    intro: &str,
) -> Result<(), CliError> {
    let json = serde_json::to_string_pretty(report)?;
    write_file(&dir.join("report.json"), &format!("{json}\n"))?;
    write_file(&dir.join("report.md"), &markdown(report, title, intro))?;
    write_file(&dir.join("report.html"), &html(report, title))?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod test_runs;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::conformance::test_reports::{implementation, report};
    use crate::run::results::Outcome;

    #[test]
    fn reports_round_trip_and_render() {
        let r = report(vec![
            implementation(
                "x<y>",
                &[("a::1", Outcome::Passed), ("a::2", Outcome::Failed)],
            ),
            implementation("z", &[("a::1", Outcome::TimedOut)]),
        ]);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
        let md = markdown(&r, "T", "");
        assert!(
            md.contains("| `effect:allow` | 1/2 | 0/0, 1 timed out |"),
            "{md}"
        );
        let page = html(&r, "T");
        assert!(page.contains("x&lt;y&gt;"));
        assert!(!page.contains("<script"));
        assert!(page.contains(
            "data-impl=\"z\" data-feature=\"effect:allow\" data-percent=\"0\" style=\"background:hsl(0,70%,85%)\"><span class=\"pct\">0%</span><span class=\"passed\">0</span>"
        ));
    }
}
