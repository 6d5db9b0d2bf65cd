//! The HTML conformance page shows what the JSON report says: the page is rendered in headless
//! Chromium, the feature × implementation matrix and the summary table are read back from the
//! dumped DOM, and every count and percentage is compared with the JSON report; each cell's
//! drill-down link is followed and the failing requests listed there (case file, expected,
//! answered, reproduce command) are compared with the report's.
//!
//! The Chromium test is `#[ignore]`d (it needs `apt-get install -y chromium`); `.ci/run` runs it
//! with `--ignored` and `IAMSPEC_REQUIRE_CHROMIUM=1`, which makes a missing browser a failure.
//! Without that variable a missing browser skips the test with a loud message on stderr. The
//! same reading runs on the page's source in a fast test that needs nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use iamspec_harness::paths::built_in_corpus;
use iamspec_harness::report::conformance::{FailureDetail, ImplementationReport, Report};
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
    let tags = report.feature_tags();
    for (k, (test, result)) in other.tests.iter_mut().take(7).enumerate() {
        result.status = [Outcome::Failed, Outcome::Errored, Outcome::TimedOut][k % 3];
        result.failure = Some(FailureDetail {
            file: test.split("::").next().unwrap_or(test).to_string(),
            features: vec![tags[k % 2].clone(), tags[2].clone()],
            expected: format!("{{\"decision\":\"allowed\",\"n\":{k}}}"),
            answered: "{\"decision\":\"implicitDeny\",\"odd\":\"<&>\"}".to_string(),
            reproduce: format!("iamspec check --oracle 'command:x <y>' --filter {test}"),
            why: Vec::new(),
        });
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

/// One failing request as listed in a drill-down.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Listed {
    test: String,
    file: String,
    expected: String,
    answered: String,
    reproduce: String,
}

/// The drill-downs of a page: (implementation, feature) -> the failing requests listed at the
/// target of that cell's link (cells without a link are absent). Each link is followed to the
/// section it names, which must carry the same implementation and feature.
fn follow_drill_downs(dom: &str) -> BTreeMap<(String, String), Vec<Listed>> {
    let cell = Regex::new(r#"(?s)<td([^>]*data-feature[^>]*)>(.*?)</td>"#).unwrap();
    let attr = |name: &str| Regex::new(&format!(r#"{name}="([^"]*)""#)).unwrap();
    let (impl_attr, feature_attr) = (attr("data-impl"), attr("data-feature"));
    let link = Regex::new(r##"<a class="drill" href="#([^"]+)""##).unwrap();
    let section =
        Regex::new(r#"(?s)<section class="drill-down" id="([^"]+)"([^>]*)>(.*?)</section>"#)
            .unwrap();
    let row = Regex::new(r#"(?s)<tr class="failing" data-test="([^"]*)">(.*?)</tr>"#).unwrap();
    let field = Regex::new(r#"(?s)<td class="([a-z]+)">(.*?)</td>"#).unwrap();
    let sections: BTreeMap<String, (String, String, String)> = section
        .captures_iter(dom)
        .map(|c| {
            (
                c[1].to_string(),
                (
                    unescape(&impl_attr.captures(&c[2]).expect("data-impl")[1]),
                    unescape(&feature_attr.captures(&c[2]).expect("data-feature")[1]),
                    c[3].to_string(),
                ),
            )
        })
        .collect();
    let mut out = BTreeMap::new();
    for c in cell.captures_iter(dom) {
        let Some(target) = link.captures(&c[2]) else {
            continue;
        };
        let key = (
            unescape(&impl_attr.captures(&c[1]).expect("data-impl")[1]),
            unescape(&feature_attr.captures(&c[1]).expect("data-feature")[1]),
        );
        let (implementation, feature, body) = sections
            .get(&target[1])
            .unwrap_or_else(|| panic!("the link #{} leads nowhere", &target[1]));
        assert_eq!(
            (implementation, feature),
            (&key.0, &key.1),
            "#{}",
            &target[1]
        );
        let listed = row
            .captures_iter(body)
            .map(|r| {
                let fields: BTreeMap<String, String> = field
                    .captures_iter(&r[2])
                    .map(|f| {
                        let text = f[2].replace("<code>", "").replace("</code>", "");
                        (f[1].to_string(), unescape(&text))
                    })
                    .collect();
                Listed {
                    test: unescape(&r[1]),
                    file: fields["file"].clone(),
                    expected: fields["expected"].clone(),
                    answered: fields["answered"].clone(),
                    reproduce: fields["reproduce"].clone(),
                }
            })
            .collect();
        out.insert(key, listed);
    }
    out
}

/// Every cell with failing requests links to a drill-down listing exactly them, with what the
/// JSON report says about each; cells without failing requests have no link. Returns how many
/// drill-downs were followed.
fn assert_drill_downs_match_json(dom: &str, report: &Report) -> usize {
    let json = serde_json::to_string(report).unwrap();
    let report: Report = serde_json::from_str(&json).unwrap();
    let drill_downs = follow_drill_downs(dom);
    let mut followed = 0;
    for i in &report.implementations {
        for tag in report.feature_tags() {
            let mut expected: Vec<Listed> = iamspec_harness::report::html::failing_in(i, &tag)
                .into_iter()
                .map(|(test, t)| {
                    let f = t.failure.as_ref().unwrap();
                    Listed {
                        test: test.clone(),
                        file: f.file.clone(),
                        expected: f.expected.clone(),
                        answered: f.answered.clone(),
                        reproduce: f.reproduce.clone(),
                    }
                })
                .collect();
            expected.sort();
            match drill_downs.get(&(i.name.clone(), tag.clone())) {
                Some(listed) => {
                    let mut listed: Vec<&Listed> = listed.iter().collect();
                    listed.sort();
                    let expected: Vec<&Listed> = expected.iter().collect();
                    assert_eq!(listed, expected, "{} / {tag}", i.name);
                    assert!(!listed.is_empty());
                    followed += 1;
                }
                None => assert!(expected.is_empty(), "{} / {tag}: no link", i.name),
            }
        }
    }
    followed
}

/// (implementation, feature) -> the percentage a cell shows, read from the matrix.
fn read_percentages(dom: &str) -> BTreeMap<(String, String), Option<u32>> {
    let cell = Regex::new(r#"(?s)<td([^>]*data-feature[^>]*)>(.*?)</td>"#).unwrap();
    let attr = |name: &str| Regex::new(&format!(r#"{name}="([^"]*)""#)).unwrap();
    let (impl_attr, feature_attr) = (attr("data-impl"), attr("data-feature"));
    let pct = Regex::new(r#"<span class="pct">(\d+)%</span>"#).unwrap();
    cell.captures_iter(dom)
        .map(|c| {
            let key = (
                unescape(&impl_attr.captures(&c[1]).unwrap()[1]),
                unescape(&feature_attr.captures(&c[1]).unwrap()[1]),
            );
            (key, pct.captures(&c[2]).map(|p| p[1].parse().unwrap()))
        })
        .collect()
}

fn assert_percentages_match_json(dom: &str, report: &Report) {
    let shown = read_percentages(dom);
    let mut some_below_100 = false;
    for i in &report.implementations {
        for tag in report.feature_tags() {
            let expected = i
                .features
                .get(&tag)
                .and_then(iamspec_harness::report::html::pass_percent);
            some_below_100 |= expected.is_some_and(|p| p < 100);
            assert_eq!(
                shown[&(i.name.clone(), tag.clone())],
                expected,
                "{} / {tag}",
                i.name
            );
        }
    }
    assert!(some_below_100, "the sample has cells below 100%");
}

#[test]
fn the_page_source_holds_the_json_counts() {
    let report = sample_report();
    let page = html(&report, "t");
    assert_page_matches_json(&page, &report);
    assert_percentages_match_json(&page, &report);
    assert!(assert_drill_downs_match_json(&page, &report) >= 3);
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
    dump_dom_at(browser, &format!("file://{}", page.display()))
}

fn dump_dom_at(browser: &Path, url: &str) -> String {
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
        .arg(url)
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
    assert_percentages_match_json(&dom, &report);
    assert!(assert_drill_downs_match_json(&dom, &report) >= 3);
    // Follow one drill-down link the way a reader does: open the page at its target.
    let link = Regex::new(r##"<a class="drill" href="#([^"]+)""##).unwrap();
    let target = link.captures(&dom).expect("a drill-down link")[1].to_string();
    let at_target = dump_dom_at(&browser, &format!("file://{}#{target}", page.display()));
    assert!(
        at_target.contains(&format!("id=\"{target}\"")) && at_target.contains("class=\"failing\""),
        "the target #{target} lists no failing request"
    );
}

#[test]
fn the_readme_shows_a_screenshot_of_the_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("](docs/conformance-matrix.png)"));
    let png = std::fs::read(root.join("docs/conformance-matrix.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
}
