//! Results the reports' tests share.

use std::path::PathBuf;

use crate::run::results::{CheckRun, Outcome, RequestResult};

fn result(file: &str, status: Outcome, triage: bool, messages: &[&str]) -> RequestResult {
    RequestResult {
        dir: PathBuf::from("/tmp/cases"),
        bundled: false,
        file: file.into(),
        request: Some("req".into()),
        triage,
        features: vec!["effect:allow".into()],
        status,
        messages: messages.iter().map(|s| s.to_string()).collect(),
        decision: Some("implicitDeny".into()),
        rejected: None,
        expected: None,
        known: None,
        evaluator_flag: None,
        answer: None,
        detail: None,
        why: Vec::new(),
    }
}

/// Four results: one passed, one failed, one skipped, one failed in triage.
pub(crate) fn sample_run() -> CheckRun {
    CheckRun {
        dirs: vec![PathBuf::from("/tmp/cases")],
        results: vec![
            result("a.json", Outcome::Passed, false, &[]),
            result(
                "b.json",
                Outcome::Failed,
                false,
                &["decision: expected allowed, got implicitDeny"],
            ),
            result("c.json", Outcome::Skipped, false, &["no SCPs yet"]),
            result("triage/d.json", Outcome::Failed, true, &["differs"]),
        ],
        ..CheckRun::default()
    }
}
