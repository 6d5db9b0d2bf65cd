//! The realism rules case *files* break (`cargo run --release -p iamspec-generators --example
//! realism_files -- DIR...`): for the raw cases of an `iamspec diff` run, the share of
//! disagreements that come from inputs AWS could not receive, per rule. With
//! `REALISM_VERBOSE=1`, each breaking file and what breaks the rule go to standard error.
use std::collections::BTreeMap;

use iamspec_generators::realism::case_file_violations;

fn main() {
    for dir in std::env::args().skip(1) {
        let mut cases = 0;
        let mut impossible = 0;
        // Cases breaking a rule other than a missing always-present key (every well-formed case
        // lacks one somewhere, whether or not it matters to the difference).
        let mut beyond_keys = 0;
        let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("{dir}: not a directory");
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let Ok(loaded) = iamspec_format::load::load_case_file(&path) else {
                eprintln!("{}: does not load", path.display());
                continue;
            };
            cases += 1;
            let mut rules: Vec<&str> = case_file_violations(&loaded.case)
                .iter()
                .map(|v| v.rule.name())
                .collect();
            rules.sort_unstable();
            rules.dedup();
            if !rules.is_empty() {
                impossible += 1;
            }
            if rules.iter().any(|r| *r != "always-present-key-missing") {
                beyond_keys += 1;
            }
            if std::env::var_os("REALISM_VERBOSE").is_some() && !rules.is_empty() {
                eprintln!(
                    "{}: {:?}",
                    path.display(),
                    case_file_violations(&loaded.case)
                );
            }
            for r in rules {
                *per_rule.entry(r).or_default() += 1;
            }
        }
        let share = |n: usize| 100.0 * n as f64 / cases.max(1) as f64;
        println!(
            "{dir}: {cases} cases, {impossible} break a realism rule ({:.0}%), {beyond_keys} one \
             other than a missing always-present key ({:.0}%): {per_rule:?}",
            share(impossible),
            share(beyond_keys)
        );
    }
}
