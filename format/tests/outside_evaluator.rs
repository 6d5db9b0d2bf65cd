//! The outside-evaluator example (`examples/outside_evaluator.rs`) run over the bundled corpus
//! through this crate's loader, trait and checker: a deny-everything toy passes exactly the
//! requests whose expectation is a denial, and fails every other one.

#[allow(dead_code)]
#[path = "../examples/outside_evaluator.rs"]
mod example;

use example::{bundled_corpus, DenyEverything};
use iamspec_format::run::run_dir;
use iamspec_format::{load_dir, ComparisonMode, Decision, Expect, Verdict};

#[test]
fn a_deny_everything_toy_passes_exactly_the_denied_requests() {
    let dir = bundled_corpus();
    // What the corpus expects, read without the runner: denials pass, the rest fails.
    let (mut denied, mut explicit, mut other) = (0, 0, 0);
    for loaded in load_dir(&dir) {
        let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
        if loaded.is_triage() {
            continue;
        }
        for request in &loaded.case.requests {
            match &request.expect {
                Expect::Decision(d) if d.decision != Decision::Allowed => {
                    denied += 1;
                    explicit += usize::from(d.decision == Decision::ExplicitDeny);
                }
                _ => other += 1,
            }
        }
    }
    assert!(
        denied > 100 && other > 100,
        "{denied} denied, {other} other"
    );

    let (run, finished) = run_dir(&dir, &mut DenyEverything, ComparisonMode::Full);
    finished.unwrap();
    let counts = run.counts();
    assert_eq!(counts.passed, denied, "{}", counts.summary());
    assert_eq!(counts.failed, other, "{}", counts.summary());
    assert_eq!(counts.total(), denied + other);
    // The toy answers implicitDeny only, yet passes the explicit denials too: it is judged on
    // allowed vs not allowed (class mode), whatever mode was asked.
    assert!(explicit > 0);
    // Every failure says what was expected and what was answered.
    for r in run.results.iter().filter(|r| !r.triage) {
        if let Ok(Verdict::Failed(messages)) = &r.verdict {
            assert!(
                messages.iter().any(|m| m.contains("expected")),
                "{}: {messages:?}",
                r.name()
            );
        }
    }
    assert!(
        run.triage_counts().total() > 0,
        "the triage cases are counted apart"
    );
}
