//! The HTML conformance page shows what the JSON report says: the page is rendered in headless
//! Chromium, the feature × implementation matrix and the summary table are read back from the
//! dumped DOM, and every count is compared with the JSON report.
//!
//! The Chromium test is `#[ignore]`d (it needs `apt-get install -y chromium`); `.ci/run` runs it
//! with `--ignored` and `IAMSPEC_REQUIRE_CHROMIUM=1`, which makes a missing browser a failure.
//! Without that variable a missing browser skips the test with a loud message on stderr. The
//! same reading runs on the page's source in a fast test that needs nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use iamspec_harness::paths::built_in_corpus;
use iamspec_harness::report::conformance::{ImplementationReport, Report};
use iamspec_harness::report::html::html;
use iamspec_harness::run::results::Outcome;
use iamspec_harness::run::suite::check_dirs;
use regex::Regex;

/// A report with the reference run and a made-up second implementation whose name needs
/// escaping and whose counts use every status.
fn sample_report() -> Report {
    let run = check_dirs(&[built_in_corpus()], None);
    let mut report = Report::from_runs(&[run]);
    let mut other: ImplementationReport = report.implementations[0].clone();
    other.name = "odd <&\"> name".to_string();
    other.version = "9.9".to_string();
    for (i, counts) in other.features.values_mut().enumerate() {
        let moved = counts.passed.min(6);
        counts.passed -= moved;
        for k in i..i + moved {
            let status = [
                Outcome::Failed,
                Outcome::Skipped,
                Outcome::Errored,
                Outcome::Crashed,
                Outcome::TimedOut,
            ][k % 5];
            counts.add(status);
        }
    }
    report.implementations.push(other);
    report
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// (implementation, feature) -> [count per status, in Outcome::ALL order], read from the matrix.
fn read_matrix(dom: &str) -> BTreeMap<(String, String), Vec<usize>> {
    let cell = Regex::new(r#"(?s)<td([^>]*data-feature[^>]*)>(.*?)</td>"#).unwrap();
    let attr = |name: &str| Regex::new(&format!(r#"{name}="([^"]*)""#)).unwrap();
    let (impl_attr, feature_attr) = (attr("data-impl"), attr("data-feature"));
    let span = Regex::new(r#"<span class="([a-z-]+)">(\d+)</span>"#).unwrap();
    let mut out = BTreeMap::new();
    for c in cell.captures_iter(dom) {
        let attrs = &c[1];
        let implementation = unescape(&impl_attr.captures(attrs).expect("data-impl")[1]);
        let feature = unescape(&feature_attr.captures(attrs).expect("data-feature")[1]);
        let mut counts = vec![0; Outcome::ALL.len()];
        let mut seen = 0;
        for s in span.captures_iter(&c[2]) {
            let status = Outcome::from_name(&s[1]).expect("a status class");
            let index = Outcome::ALL.iter().position(|x| *x == status).unwrap();
            counts[index] = s[2].parse().unwrap();
            seen += 1;
        }
        if seen > 0 {
            assert_eq!(
                seen,
                Outcome::ALL.len(),
                "a cell shows every status: {}",
                &c[0]
            );
        }
        out.insert((implementation, feature), counts);
    }
    out
}

/// implementation -> totals, read from the summary table.
fn read_summary(dom: &str) -> BTreeMap<String, Vec<usize>> {
    let row = Regex::new(r#"(?s)<tr data-impl="([^"]*)">(.*?)</tr>"#).unwrap();
    let span = Regex::new(r#"<span class="([a-z-]+)">(\d+)</span>"#).unwrap();
    row.captures_iter(dom)
        .map(|r| {
            let counts = span
                .captures_iter(&r[2])
                .map(|s| s[2].parse().unwrap())
                .collect();
            (unescape(&r[1]), counts)
        })
        .collect()
}

/// Compares what the page shows with the JSON report (read back from its JSON text).
fn assert_page_matches_json(dom: &str, report: &Report) {
    let json = serde_json::to_string(report).unwrap();
    let report: Report = serde_json::from_str(&json).unwrap();
    let matrix = read_matrix(dom);
    let summary = read_summary(dom);
    let tags = report.feature_tags();
    assert!(!tags.is_empty());
    assert_eq!(
        matrix.len(),
        tags.len() * report.implementations.len(),
        "one cell per feature and implementation"
    );
    for i in &report.implementations {
        let totals: Vec<usize> = Outcome::ALL.iter().map(|s| i.totals.get(*s)).collect();
        assert_eq!(summary.get(&i.name), Some(&totals), "summary of {}", i.name);
        for tag in &tags {
            let shown = &matrix[&(i.name.clone(), tag.clone())];
            let expected: Vec<usize> = match i.features.get(tag) {
                Some(c) => Outcome::ALL.iter().map(|s| c.get(*s)).collect(),
                None => vec![0; Outcome::ALL.len()],
            };
            assert_eq!(shown, &expected, "{} / {tag}", i.name);
        }
    }
}

#[test]
fn the_page_source_holds_the_json_counts() {
    let report = sample_report();
    assert_page_matches_json(&html(&report, "t"), &report);
}

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

fn dump_dom(browser: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("{}: cannot run: {e}", browser.display()));
    assert!(
        output.status.success(),
        "{} --dump-dom failed ({}): {}",
        browser.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the DOM dump is UTF-8")
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium); run with --ignored"]
fn the_rendered_page_shows_the_json_counts() {
    let Some(browser) = chromium() else {
        let message = "chromium not found (looked at $CHROMIUM, /usr/bin/chromium, \
                       /usr/bin/chromium-browser): the rendered HTML report was NOT checked";
        if std::env::var_os("IAMSPEC_REQUIRE_CHROMIUM").is_some() {
            panic!("{message}");
        }
        eprintln!("\n*** SKIPPED: {message} ***\n");
        return;
    };
    let report = sample_report();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, html(&report, "iamspec conformance")).unwrap();
    let dom = dump_dom(&browser, &page);
    assert!(
        dom.contains("<table id=\"matrix\">"),
        "no matrix in the DOM:\n{dom}"
    );
    assert_page_matches_json(&dom, &report);
}
