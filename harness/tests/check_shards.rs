//! `iamspec check --shard I/N`: the shards are disjoint, and `iamspec report shards` merges
//! their JSON reports into the whole run's (every test, the same verdicts and counts) — files
//! that do not load included.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{iamspec, repo, write};
use serde_json::Value;

fn report(dir: &Path) -> Value {
    let path = dir.join("report.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn tests(report: &Value) -> &serde_json::Map<String, Value> {
    report["implementations"][0]["tests"].as_object().unwrap()
}

#[test]
fn the_shards_of_a_check_are_disjoint_and_merge_into_the_whole_run() {
    let work = tempfile::tempdir().unwrap();
    let broken = work.path().join("broken");
    write(&broken, "not-json.json", "{ this is not JSON");
    write(&broken, "also-not.json", "[1, 2");
    let decisions = repo().join("corpus/docs/decisions");
    let conditions = repo().join("corpus/docs/conditions");
    let cases = [
        "--cases",
        decisions.to_str().unwrap(),
        "--cases",
        conditions.to_str().unwrap(),
        "--cases",
        broken.to_str().unwrap(),
    ];
    let run = |extra: &[&str], dir: &Path| {
        let mut args = vec![
            "check",
            "--no-progress",
            "--report-dir",
            dir.to_str().unwrap(),
        ];
        args.extend_from_slice(&cases);
        args.extend_from_slice(extra);
        let run = iamspec(&args, work.path());
        // The broken files are errors: exit status 1, in the whole run and in their shards.
        assert!(
            run.code == 0 || run.code == 1,
            "{}\n{}",
            run.stdout,
            run.stderr
        );
        report(dir)
    };
    let whole = run(&[], &work.path().join("whole"));
    let n = 3;
    let mut shard_files = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for i in 1..=n {
        let dir = work.path().join(format!("shard-{i}"));
        let part = run(&["--shard", &format!("{i}/{n}")], &dir);
        let names = tests(&part);
        assert!(!names.is_empty(), "shard {i}/{n} ran nothing");
        assert!(
            names.len() < tests(&whole).len(),
            "shard {i}/{n} ran everything"
        );
        for name in names.keys() {
            assert!(seen.insert(name.clone()), "{name} is in two shards");
        }
        shard_files.push(dir.join("report.json"));
    }
    let merged_path = work.path().join("merged.json");
    let mut args = vec!["report", "shards", "--json", merged_path.to_str().unwrap()];
    args.extend(shard_files.iter().map(|p| p.to_str().unwrap()));
    let merged_run = iamspec(&args, work.path());
    // The load errors are problems of the whole run: exit status 1.
    assert_eq!(
        merged_run.code, 1,
        "{}\n{}",
        merged_run.stdout, merged_run.stderr
    );
    assert!(
        merged_run.stdout.contains("3 shards merged"),
        "{}",
        merged_run.stdout
    );
    let merged: Value =
        serde_json::from_str(&std::fs::read_to_string(&merged_path).unwrap()).unwrap();
    assert_eq!(tests(&merged), tests(&whole));
    let (m, w) = (&merged["implementations"][0], &whole["implementations"][0]);
    assert_eq!(m["totals"], w["totals"]);
    assert_eq!(m["features"], w["features"]);
    assert!(w["totals"]["errored"].as_u64().unwrap() >= 2);

    // The same shard twice is not a partition: refused, naming the test.
    let twice = iamspec(
        &[
            "report",
            "shards",
            shard_files[0].to_str().unwrap(),
            shard_files[0].to_str().unwrap(),
        ],
        work.path(),
    );
    assert_eq!(twice.code, 2, "{}\n{}", twice.stdout, twice.stderr);
    assert!(twice.stderr.contains("not disjoint"), "{}", twice.stderr);
}
