//! Shrinking a disagreement: the result is minimal (no single simplification of it keeps the
//! disagreement) and no case is sent to the other side twice during a shrink.

use std::collections::HashSet;

use iamspec_format::protocol::{Decision, DecisionMode, DecisionResult};
use iamspec_format::Case;
use iamspec_generators::shrink::simplifications;
use iamspec_generators::{generate_cases, Settings};
use iamspec_harness::diff::disagreement::Comparator;
use iamspec_harness::diff::shrink::shrink;
use iamspec_harness::diff::sides::Sides;
use iamspec_harness::oracle::reference::ReferenceOracle;
use iamspec_harness::oracle::{Answer, CaseAnswers, Oracle, OracleInfo};
use iamspec_harness::run::compare::ComparisonMode;

/// Answers `allowed` to every request and keeps the text of every case it was sent.
#[derive(Default)]
struct AllowsAndRemembers {
    sent: Vec<String>,
}

impl Oracle for AllowsAndRemembers {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            name: "allows".into(),
            version: "1".into(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        self.sent.push(serde_json::to_string(case).unwrap());
        Ok(case
            .requests
            .iter()
            .map(|_| Answer::Decided(DecisionResult::new(Decision::Allowed)))
            .collect())
    }
}

fn comparator() -> Comparator {
    Comparator {
        mode: ComparisonMode::Decision,
        other_decision_mode: DecisionMode::Exact,
    }
}

#[test]
fn shrinking_reaches_a_minimal_case_without_sending_a_case_twice() {
    let mut shrunk_cases = 0;
    for generated in generate_cases(&Settings::identity_only(), 21, 40) {
        let mut reference = ReferenceOracle;
        let mut other = AllowsAndRemembers::default();
        let mut sides = Sides {
            reference: &mut reference,
            other: &mut other,
            comparator: comparator(),
            calls: 0,
        };
        let Ok(probe) = sides.probe_generated(&generated) else {
            continue;
        };
        let Some((_, finding)) = probe.findings().into_iter().next() else {
            continue;
        };
        let shrunk = shrink(&mut sides, generated.clone(), probe, &finding, 400);
        assert!(!shrunk.budget_spent);
        assert!(shrunk.probe.holds(&finding));
        // One reference call per candidate, one more for each the reference could not rule out.
        assert_eq!(sides.calls, 2 + shrunk.steps + shrunk.sent_to_other);
        assert!(shrunk.sent_to_other <= shrunk.steps);
        // The first case sent is the generated one; every candidate after it is new.
        let sent = &other.sent;
        assert_eq!(sent.len(), 1 + shrunk.sent_to_other);
        let distinct: HashSet<&String> = sent.iter().collect();
        assert_eq!(distinct.len(), sent.len(), "a case was sent twice");

        // Minimal: no single simplification of the result keeps the finding.
        let mut reference = ReferenceOracle;
        let mut fresh = AllowsAndRemembers::default();
        let mut check = Sides {
            reference: &mut reference,
            other: &mut fresh,
            comparator: comparator(),
            calls: 0,
        };
        for smaller in simplifications(&shrunk.case) {
            if let Ok(p) = check.probe_generated(&smaller) {
                assert!(
                    !p.holds(&finding),
                    "case {}: a simplification of the shrunk case still disagrees",
                    generated.index
                );
            }
        }
        assert_eq!(shrunk.case.requests.len(), 1);
        shrunk_cases += 1;
        if shrunk_cases == 6 {
            break;
        }
    }
    assert!(
        shrunk_cases >= 3,
        "only {shrunk_cases} disagreements to shrink"
    );
}
