//! Adapter conformance: the whole bundled corpus through each bundled adapter, checked against
//! its `known-failures.json`. A test fails on any new failure or error, on a listed failure that
//! no longer fails, and on a listed test the corpus no longer has.
//!
//! These tests need the adapters installed (`harness/adapters/install-all.sh`: npm and PyPI), so
//! they are `#[ignore]`d; `.ci/run` runs them with `cargo test -p iamspec-harness --test adapters
//! -- --ignored` after installing. Each prints the run's summary and, on failure, the report.

use std::time::Duration;

use iamspec_harness::known::KnownFailures;
use iamspec_harness::oracle::adapters::{Adapter, ProcessFactory};
use iamspec_harness::paths::built_in_corpus;
use iamspec_harness::report::{check_text, summary_line};
use iamspec_harness::run::compare::ComparisonMode;
use iamspec_harness::run::results::CheckRun;
use iamspec_harness::run::suite::{default_jobs, run_suite, SuiteOptions};

fn run_adapter(name: &str) -> CheckRun {
    let adapter = Adapter::find(name).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        adapter.installed(),
        "adapter `{name}` is not installed: run harness/adapters/install-all.sh first \
         (npm and PyPI), then `cargo test -p iamspec-harness --test adapters -- --ignored`"
    );
    let known = KnownFailures::load(&adapter.known_failures()).unwrap_or_else(|e| panic!("{e}"));
    // Schema validation on: an adapter that drifts from the protocol fails here too.
    let factory = ProcessFactory::new(&adapter.command(), Duration::from_secs(30), true)
        .unwrap_or_else(|e| panic!("{e}"));
    let options = SuiteOptions {
        jobs: default_jobs(),
        mode: ComparisonMode::Decision,
        filter: None,
        progress: false,
        evaluator_flag: Some(format!("--oracle adapter:{name}")),
        shard: None,
    };
    run_suite(
        &[built_in_corpus()],
        &|| factory.make(),
        &options,
        Some(known),
    )
    .unwrap_or_else(|e| panic!("adapter `{name}` did not start: {e}"))
}

fn check_adapter(name: &str) {
    let run = run_adapter(name);
    println!("{name}: {}", summary_line(&run));
    assert!(
        run.counts().passed > 0,
        "{name}: nothing passed\n{}",
        check_text(&run)
    );
    assert!(
        run.succeeded(),
        "{name}: new failures, or known failures that no longer fail (fix the adapter or \
         correct harness/adapters/{name}/known-failures.json, each entry with a reason):\n{}",
        check_text(&run)
    );
}

#[test]
#[ignore = "needs harness/adapters/install-all.sh (npm)"]
fn iam_simulate_conforms_up_to_its_known_failures() {
    check_adapter("iam-simulate");
}

#[test]
#[ignore = "needs harness/adapters/install-all.sh (PyPI)"]
fn pmapper_conforms_up_to_its_known_failures() {
    check_adapter("pmapper");
}

#[test]
#[ignore = "needs harness/adapters/install-all.sh (PyPI)"]
fn moto_conforms_up_to_its_known_failures() {
    check_adapter("moto");
}
