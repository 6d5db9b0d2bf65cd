//! The two sides of a differential run and one "probe": a case decided by both and compared.
//!
//! The loop, the shrinker and the confirmation of a written case all ask both oracles through
//! [`Sides::probe`], which also counts oracle calls. The other side gets the case with
//! one-line documents ([`crate::diff::wire`]). This module writes nothing.

use iamspec_format::protocol::Decision;
use iamspec_format::Case;
use iamspec_generators::serialise::{self, WriteError};
use iamspec_generators::GeneratedCase;

use crate::diff::disagreement::{
    infer_implicit_denials, without_deny_statements, Aspect, Comparator, RequestComparison,
};
use crate::diff::signature::Finding;
use crate::diff::wire::one_line_documents;
use crate::oracle::{Answer, CaseAnswers, Oracle};

/// The reference oracle, the other side, and how their answers are compared.
pub struct Sides<'a> {
    /// The reference evaluator (or whatever stands for it) for shrinking and confirming; the
    /// loop decides the generated cases themselves with the in-process reference evaluator
    /// ([`crate::diff::run`], on `--jobs` threads).
    pub reference: &'a mut dyn Oracle,
    /// The other side.
    pub other: &'a mut dyn Oracle,
    /// How answers are compared.
    pub comparator: Comparator,
    /// Oracle calls made so far (one per `decide`, on either side).
    pub calls: usize,
}

/// A case decided by both sides and compared.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The case as both sides saw it.
    pub case: Case,
    /// The reference's answers.
    pub reference: CaseAnswers,
    /// The other side's answers.
    pub other: CaseAnswers,
    /// One comparison per request.
    pub comparisons: Vec<RequestComparison>,
}

impl Probe {
    /// The disagreements, with the index of their request.
    pub fn findings(&self) -> Vec<(usize, Finding)> {
        let actions: Vec<&str> = self
            .case
            .requests
            .iter()
            .map(|r| r.action.as_str())
            .collect();
        Finding::of_case(&self.comparisons, &actions)
    }

    /// True when some request still shows `finding`.
    pub fn holds(&self, finding: &Finding) -> bool {
        self.findings().iter().any(|(_, f)| f.same_as(finding))
    }

    /// True when a side could not answer some request (crashed, timed out, skipped...): a
    /// finding that does not show then is unknown, not gone.
    pub fn could_not_answer(&self) -> bool {
        self.comparisons.iter().any(|c| {
            matches!(
                c,
                RequestComparison::ReferenceCouldNot(_) | RequestComparison::OtherCouldNot(_)
            )
        })
    }
}

impl Sides<'_> {
    /// Decides `case` on both sides and compares.
    pub fn probe(&mut self, case: Case) -> Probe {
        let reference = self.reference.decide(&case);
        self.probe_with_reference(case, reference)
    }

    /// The reference's answers to `case` alone (one call): the shrinker asks the other side
    /// only when these can still show the finding.
    pub fn reference_answers(&mut self, case: &Case) -> CaseAnswers {
        self.calls += 1;
        self.reference.decide(case)
    }

    /// Completes a probe whose reference answers [`Sides::reference_answers`] gave: asks the
    /// other side (one call) and compares.
    pub fn complete(&mut self, case: Case, reference: CaseAnswers) -> Probe {
        self.calls += 1;
        self.compare_with_other(case, reference)
    }

    /// Completes a probe whose reference answers were decided elsewhere (the loop decides the
    /// reference side of generated cases on several threads): asks the other side and
    /// compares. Counts two calls, as [`Sides::probe`] does.
    pub fn probe_with_reference(&mut self, case: Case, reference: CaseAnswers) -> Probe {
        self.calls += 2;
        self.compare_with_other(case, reference)
    }

    fn compare_with_other(&mut self, case: Case, reference: CaseAnswers) -> Probe {
        let other = self.other.decide(&one_line_documents(&case));
        let mut comparisons = self.comparator.compare_case(&reference, &other);
        if self.comparator.by_class() {
            infer_implicit_denials(&mut comparisons, &case);
            self.tell_class_denials(&case, &mut comparisons);
        }
        Probe {
            case,
            reference,
            other,
            comparisons,
        }
    }

    /// Against a side that answers only a class, tells what its `denied` meant where the
    /// reference allows and the case has `Deny` statements (a missed `Allow` or an added `Deny`?):
    /// asks it once more about the case without its `Deny` statements (one call). A request it
    /// then allows was denied by a `Deny` statement (`explicitDeny`: it adds a match); one it
    /// still denies is denied without one (`implicitDeny`: it misses a match). Nothing changes
    /// when the case cannot be stripped or the side cannot answer.
    fn tell_class_denials(&mut self, case: &Case, comparisons: &mut [RequestComparison]) {
        let ambiguous = |c: &RequestComparison| {
            matches!(c, RequestComparison::Disagree(d)
                if d.aspect == Aspect::Decision && d.reference == "allowed" && d.other == "denied")
        };
        if !comparisons.iter().any(ambiguous) {
            return;
        }
        let Some(stripped) = without_deny_statements(case) else {
            return;
        };
        self.calls += 1;
        let Ok(again) = self.other.decide(&one_line_documents(&stripped)) else {
            return;
        };
        for (c, answer) in comparisons.iter_mut().zip(&again) {
            if !ambiguous(c) {
                continue;
            }
            let (RequestComparison::Disagree(d), Answer::Decided(a)) = (c, answer) else {
                continue;
            };
            let (class, why) = if a.decision == Decision::Allowed {
                ("explicitDeny", "allowed without the Deny statements")
            } else {
                ("implicitDeny", "still denied without the Deny statements")
            };
            d.other = class.to_string();
            d.detail = format!("{} (a class-only denial, read as {class}: {why})", d.detail);
        }
    }

    /// Writes a generated case in the corpus format (with the reference's answer as its
    /// expectations) and probes it. Fails when no request of it can be decided.
    pub fn probe_generated(&mut self, generated: &GeneratedCase) -> Result<Probe, WriteError> {
        Ok(self.probe(serialise::to_case(generated)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::reference::ReferenceOracle;
    use crate::oracle::OracleInfo;
    use crate::run::compare::ComparisonMode;
    use iamspec_format::protocol::{DecisionMode, DecisionResult};

    /// A class-only side that applies every `Deny` statement and no `Allow`: it denies when the
    /// case has a `Deny` statement and allows otherwise.
    struct DeniesOnDeny;

    impl Oracle for DeniesOnDeny {
        fn info(&self) -> OracleInfo {
            OracleInfo {
                name: "deny".into(),
                version: "1".into(),
                decision_mode: DecisionMode::Class,
                implementation: None,
            }
        }

        fn decide(&mut self, case: &Case) -> CaseAnswers {
            let has_deny = case
                .policies
                .all()
                .any(|p| p.text().is_ok_and(|t| t.contains("\"Deny\"")));
            let decision = if has_deny {
                Decision::ExplicitDeny
            } else {
                Decision::Allowed
            };
            Ok(case
                .requests
                .iter()
                .map(|_| Answer::Decided(DecisionResult::new(decision)))
                .collect())
        }
    }

    fn case(statements: serde_json::Value) -> Case {
        serde_json::from_value(serde_json::json!({
            "description": "x",
            "source": {"kind": "triage", "ref": "x"},
            "features": ["policy:identity"],
            "principal": {"arn": "arn:aws:iam::111122223333:user/u", "type": "user",
                          "account": "111122223333"},
            "policies": {"identity": [{"id": "a", "document": {
                "Version": "2012-10-17", "Statement": statements}}]},
            "requests": [{"name": "r0", "action": "s3:GetObject",
                          "resource": {"arn": "arn:aws:s3:::b/k"},
                          "expect": {"decision": "allowed"}}]
        }))
        .expect("a valid case")
    }

    #[test]
    fn a_class_only_denial_is_told_apart_by_asking_without_the_deny_statements() {
        let mut reference = ReferenceOracle;
        let mut other = DeniesOnDeny;
        let mut sides = Sides {
            reference: &mut reference,
            other: &mut other,
            comparator: Comparator {
                mode: ComparisonMode::Decision,
                other_decision_mode: DecisionMode::Class,
            },
            calls: 0,
        };
        // The reference allows (the Deny's condition fails); the other side denies because of
        // the Deny statement, and allows without it: it added a match.
        let allow = serde_json::json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"});
        let deny = serde_json::json!({"Effect": "Deny", "Action": "s3:*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:username": "nobody"}}});
        let probe = sides.probe(case(serde_json::json!([allow, deny])));
        assert_eq!(
            sides.calls, 3,
            "the reference, the other side, the other side again"
        );
        let RequestComparison::Disagree(d) = &probe.comparisons[0] else {
            panic!("{:?}", probe.comparisons)
        };
        assert_eq!(
            (d.reference.as_str(), d.other.as_str()),
            ("allowed", "explicitDeny")
        );
        assert!(
            d.detail.contains("read as explicitDeny"),
            "the detail says how the denial was read: {}",
            d.detail
        );
        // Without any Deny statement nothing is asked again.
        sides.calls = 0;
        let probe = sides.probe(case(serde_json::json!([allow])));
        assert_eq!(sides.calls, 2);
        assert!(matches!(probe.comparisons[0], RequestComparison::Agree));
    }
}
