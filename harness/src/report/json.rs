//! The JSON report of `iamspec check`: counts, per feature, triage apart, and one object per
//! request (documented in the README).

use serde_json::{json, Value};

use crate::report::counts::counts_json;
use crate::run::results::{CheckRun, RequestResult};

/// The JSON report of `iamspec check`.
pub fn check_json(run: &CheckRun) -> Value {
    let counts = run.counts();
    let features: serde_json::Map<String, Value> = run
        .features()
        .into_iter()
        .map(|(tag, c)| (tag, counts_json(&c)))
        .collect();
    let requests: Vec<Value> = run.results.iter().map(request_json).collect();
    json!({
        "dirs": run.dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
        "passed": counts.passed,
        "failed": counts.failed,
        "skipped": counts.skipped,
        "errored": counts.errored,
        "features": features,
        "crashed": counts.crashed,
        "timed_out": counts.timed_out,
        "evaluator": run.oracle,
        "comparison": run.mode.map(|m| m.name()),
        "known_failures": run.known.as_ref().map(|k| json!({
            "file": k.path.as_ref().map(|p| p.display().to_string()),
            "listed": k.len(),
            "still_failing": run.known_failures().map(|r| r.test_id()).collect::<Vec<_>>(),
            "no_longer_failing": run.no_longer_failing().map(|r| r.test_id()).collect::<Vec<_>>(),
            "stale": run.stale_known.iter().map(|k| &k.test).collect::<Vec<_>>(),
        })),
        "new_problems": run.new_failures().map(|r| r.test_id()).collect::<Vec<_>>(),
        "triage": counts_json(&run.triage_counts()),
        "basis": crate::report::basis::basis_json(run),
        "requests": requests,
    })
}

fn request_json(r: &RequestResult) -> Value {
    json!({
        "name": r.name(),
        "file": r.file,
        "request": r.request,
        "verdict": r.status.name(),
        "messages": r.messages,
        "decision": r.decision,
        "error": r.rejected,
        "expected": r.expected,
        "triage": r.triage,
        "features": r.features,
        "reproduce": r.reproduction(),
        "test": r.test_id(),
        "known": r.known.as_ref().map(|k| &k.reason),
        "answer": r.answer,
        "detail": r.detail,
        "why": r.why,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_runs::sample_run;

    #[test]
    fn the_check_json_has_the_documented_fields() {
        let v = check_json(&sample_run());
        assert_eq!(v["passed"], 1);
        assert_eq!(v["failed"], 1);
        assert_eq!(v["skipped"], 1);
        assert_eq!(v["errored"], 0);
        assert_eq!(v["features"]["effect:allow"]["failed"], 1);
        assert_eq!(v["triage"]["failed"], 1);
        let requests = v["requests"].as_array().unwrap();
        assert_eq!(requests.len(), 4);
        assert_eq!(requests[1]["name"], "b.json::req");
        assert_eq!(requests[1]["file"], "b.json");
        assert_eq!(requests[1]["verdict"], "failed");
        assert_eq!(requests[1]["decision"], "implicitDeny");
        assert!(requests[1]["messages"][0]
            .as_str()
            .unwrap()
            .contains("expected"));
    }
}
