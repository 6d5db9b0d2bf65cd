//! Comparing the reference's answers with the other side's, under a named [`ComparisonMode`].
//!
//! One request compares to [`RequestComparison::Agree`], [`RequestComparison::Disagree`] (with
//! the first [`Difference`] found), or one of the two "could not answer" values — which are
//! never disagreements. This module only compares answers it is given; it asks no oracle and
//! writes nothing.

use std::collections::BTreeSet;

use iamspec_format::protocol::{Decision, DecisionMode, DecisionResult, RequestAnswer};
use serde::{Deserialize, Serialize};

use crate::oracle::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer};

pub use crate::run::compare::ComparisonMode;

/// Which part of the answers differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// The decision (or its class).
    Decision,
    /// One side rejects a policy, the other decides.
    Rejection,
    /// Both reject, with different error kinds.
    ErrorKind,
    /// The matched statements.
    Matched,
    /// The missing context keys.
    MissingContext,
    /// The decision of one resource of a multi-resource request.
    Resources,
}

impl Aspect {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Aspect::Decision => "decision",
            Aspect::Rejection => "rejection",
            Aspect::ErrorKind => "error-kind",
            Aspect::Matched => "matched",
            Aspect::MissingContext => "missing-context",
            Aspect::Resources => "resources",
        }
    }
}

/// What differs between two answers to one request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Difference {
    /// Which part.
    pub aspect: Aspect,
    /// The reference's answer class (`allowed`, `denied`, a decision name, `rejected`). For a
    /// decision difference it is always the reference's exact decision, even when decisions are
    /// compared by class: the reference always answers exactly, and its exact decision says how
    /// a class-only side differs (`explicitDeny` vs `allowed`: the other side misses a `Deny`;
    /// `implicitDeny` vs `allowed`: it adds an `Allow` or misses a guardrail).
    pub reference: String,
    /// The other side's answer class.
    pub other: String,
    /// A one-line account of the difference, for humans.
    pub detail: String,
    /// For a rejection, the id of the rejected policy in the case when the rejecting side
    /// names it: a rejection is about one document, and the signature counts that document's
    /// policy type only (not every policy type the case holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_policy: Option<String>,
}

/// The comparison of one request.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestComparison {
    /// The answers match under the mode.
    Agree,
    /// They do not.
    Disagree(Difference),
    /// The reference gave no answer (never a disagreement).
    ReferenceCouldNot(CouldNotAnswer),
    /// The other side gave no answer (never a disagreement).
    OtherCouldNot(CouldNotAnswer),
}

/// Against a side that answers only a class, names the implicit denials it must have meant:
/// when no policy of `case` has a `Deny` statement, nothing can deny the request explicitly,
/// so the other side's `denied` on a request the reference allows is an `implicitDeny` — the
/// other side misses a match the reference makes (see
/// [`crate::diff::signature::matching_direction`]), the same direction an exact side would
/// show. Other differences, and cases with a `Deny` statement or a document that is not JSON,
/// stay as they are.
pub fn infer_implicit_denials(comparisons: &mut [RequestComparison], case: &iamspec_format::Case) {
    let has_deny = || {
        case.policies.all().any(|p| {
            let Ok(text) = p.text() else { return true };
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
                return true;
            };
            let statements = match doc.get("Statement") {
                Some(serde_json::Value::Array(list)) => list.clone(),
                Some(single) => vec![single.clone()],
                None => Vec::new(),
            };
            statements
                .iter()
                .any(|s| s.get("Effect").and_then(serde_json::Value::as_str) != Some("Allow"))
        })
    };
    let mut checked: Option<bool> = None;
    for c in comparisons.iter_mut() {
        let RequestComparison::Disagree(d) = c else {
            continue;
        };
        if d.aspect != Aspect::Decision || d.reference != "allowed" || d.other != "denied" {
            continue;
        }
        if !*checked.get_or_insert_with(has_deny) {
            d.other = "implicitDeny".to_string();
            d.detail = format!(
                "{} (a class-only denial, read as implicitDeny: the case has no Deny statement)",
                d.detail
            );
        }
    }
}

/// `case` with the `Deny` statements of every policy taken out, to ask a side that answers only
/// a class whether its denial came from one ([`crate::diff::sides::Sides`]). An identity-based
/// or resource-based policy of nothing but `Deny` statements goes as a whole (it allows
/// nothing either way). `None` when a policy is not a JSON object with statements, or when
/// another policy holds nothing but `Deny` statements (a permissions boundary, session policy,
/// SCP or RCP that allows nothing is not the same as none), or when the case has no `Deny`
/// statement.
pub fn without_deny_statements(case: &iamspec_format::Case) -> Option<iamspec_format::Case> {
    use serde_json::Value;
    let statements_of = |policy: &iamspec_format::CasePolicy| -> Option<(Value, Vec<Value>)> {
        let doc: Value = serde_json::from_str(&policy.text().ok()?).ok()?;
        let statements = match doc.get("Statement")? {
            Value::Array(items) => items.clone(),
            single @ Value::Object(_) => vec![single.clone()],
            _ => return None,
        };
        Some((doc, statements))
    };
    let is_deny = |s: &Value| s.get("Effect").and_then(Value::as_str) == Some("Deny");
    let only_deny = |policy: &iamspec_format::CasePolicy| {
        statements_of(policy).is_some_and(|(_, list)| !list.is_empty() && list.iter().all(is_deny))
    };
    let mut stripped = case.clone();
    let identity_before = stripped.policies.identity.len();
    stripped.policies.identity.retain(|p| !only_deny(p));
    let mut removed = stripped.policies.identity.len() != identity_before;
    if stripped.policies.resource.as_ref().is_some_and(only_deny) {
        stripped.policies.resource = None;
        removed = true;
    }
    for policy in stripped.policies.all_mut() {
        let (mut doc, statements) = statements_of(policy)?;
        let kept: Vec<Value> = statements.iter().filter(|s| !is_deny(s)).cloned().collect();
        if kept.len() == statements.len() {
            continue;
        }
        if kept.is_empty() {
            return None;
        }
        removed = true;
        doc["Statement"] = Value::Array(kept);
        policy.document = serde_json::value::RawValue::from_string(doc.to_string()).ok()?;
    }
    removed.then_some(stripped)
}

/// The comparison settings of a run: the mode asked for, and whether the other side only tells
/// allowed from not allowed (its `decision_mode` is `class`), which lowers the decision part
/// to [`ComparisonMode::DecisionClass`] whatever the mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparator {
    /// The mode asked for.
    pub mode: ComparisonMode,
    /// The other side's decision mode.
    pub other_decision_mode: DecisionMode,
}

impl Comparator {
    /// True when decisions are compared by class only.
    pub fn by_class(&self) -> bool {
        self.mode == ComparisonMode::DecisionClass
            || self.other_decision_mode == DecisionMode::Class
    }

    /// Compares every request of a case; one entry per request of the reference's answer list
    /// (or of the other side's, when the reference gave none).
    pub fn compare_case(
        &self,
        reference: &CaseAnswers,
        other: &CaseAnswers,
    ) -> Vec<RequestComparison> {
        match (reference, other) {
            (Err(r), Err(_)) | (Err(r), Ok(_)) => {
                let n = other.as_ref().map_or(1, |o| o.len().max(1));
                vec![RequestComparison::ReferenceCouldNot(r.clone()); n]
            }
            (Ok(rs), Err(o)) => vec![RequestComparison::OtherCouldNot(o.clone()); rs.len()],
            (Ok(rs), Ok(os)) if rs.len() != os.len() => {
                let c = CouldNotAnswer::new(
                    NoAnswer::Garbage,
                    format!("{} answers for {} requests", os.len(), rs.len()),
                );
                vec![RequestComparison::OtherCouldNot(c); rs.len()]
            }
            (Ok(rs), Ok(os)) => rs.iter().zip(os).map(|(r, o)| self.compare(r, o)).collect(),
        }
    }

    /// Compares one request's answers.
    pub fn compare(&self, reference: &Answer, other: &Answer) -> RequestComparison {
        match (reference, other) {
            (Answer::CouldNot(c), _) => RequestComparison::ReferenceCouldNot(c.clone()),
            (_, Answer::CouldNot(c)) => RequestComparison::OtherCouldNot(c.clone()),
            (Answer::Rejected(r), Answer::Rejected(o)) => {
                if self.mode == ComparisonMode::Full && r.error != o.error {
                    self.differ(
                        Aspect::ErrorKind,
                        reference,
                        other,
                        format!("error kind `{}` vs `{}`", r.error, o.error),
                    )
                } else {
                    RequestComparison::Agree
                }
            }
            // A rejection is about a policy document, not about the request: the decided side's
            // decision and the action do not say what the difference is, the error kind does.
            (Answer::Rejected(r), Answer::Decided(o)) => RequestComparison::Disagree(Difference {
                aspect: Aspect::Rejection,
                reference: format!("rejected-{}", r.error),
                other: "decided".to_string(),
                detail: format!(
                    "the reference rejects ({}), the other side decides {}",
                    r.error, o.decision
                ),
                rejected_policy: r.policy.clone(),
            }),
            (Answer::Decided(r), Answer::Rejected(o)) => RequestComparison::Disagree(Difference {
                aspect: Aspect::Rejection,
                reference: "decided".to_string(),
                other: format!("rejected-{}", o.error),
                detail: format!(
                    "the reference decides {}, the other side rejects ({}{})",
                    r.decision,
                    o.error,
                    o.message
                        .as_deref()
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ),
                rejected_policy: o.policy.clone(),
            }),
            (Answer::Decided(r), Answer::Decided(o)) => match self.compare_decided(r, o) {
                None => RequestComparison::Agree,
                Some((aspect, detail)) => self.differ(aspect, reference, other, detail),
            },
        }
    }

    fn differ(
        &self,
        aspect: Aspect,
        reference: &Answer,
        other: &Answer,
        detail: String,
    ) -> RequestComparison {
        let reference_class = match reference {
            Answer::Decided(d) if aspect == Aspect::Decision => d.decision.name().to_string(),
            _ => self.class(reference),
        };
        RequestComparison::Disagree(Difference {
            aspect,
            reference: reference_class,
            other: self.class(other),
            detail,
            rejected_policy: None,
        })
    }

    /// The class of an answer as this comparator sees it: `allowed`/`denied` when comparing by
    /// class, else the decision's name; `rejected`; `no-answer`.
    pub fn class(&self, answer: &Answer) -> String {
        match answer {
            Answer::Decided(d) => self.decision_class(d.decision).to_string(),
            Answer::Rejected(_) => "rejected".to_string(),
            Answer::CouldNot(_) => "no-answer".to_string(),
        }
    }

    fn decision_class(&self, d: Decision) -> &'static str {
        match (self.by_class(), d) {
            (true, Decision::Allowed) => "allowed",
            (true, _) => "denied",
            (false, d) => d.name(),
        }
    }

    /// The first difference between two decided answers, if any.
    fn compare_decided(&self, r: &DecisionResult, o: &DecisionResult) -> Option<(Aspect, String)> {
        if self.decision_class(r.decision) != self.decision_class(o.decision) {
            return Some((
                Aspect::Decision,
                format!("decision {} vs {}", r.decision, o.decision),
            ));
        }
        // Statements and keys are compared only when the exact decisions agree: a class-only
        // evaluator's denial says nothing about which Deny applied.
        if self.mode < ComparisonMode::Matched || r.decision != o.decision {
            return None;
        }
        let full = self.mode == ComparisonMode::Full;
        if let (Some(rm), Some(om)) = (&r.matched, &o.matched) {
            let both_sids = rm.iter().chain(om).all(|s| s.sid.is_some());
            let key = |s: &iamspec_format::MatchedStatement| {
                let sid = if full && both_sids {
                    s.sid.clone()
                } else {
                    None
                };
                (s.policy.clone(), s.statement, sid)
            };
            let rs: BTreeSet<_> = rm.iter().map(key).collect();
            let os: BTreeSet<_> = om.iter().map(key).collect();
            if rs != os {
                return Some((
                    Aspect::Matched,
                    format!("matched {} vs {}", statements(&rs), statements(&os)),
                ));
            }
        }
        if !full {
            return None;
        }
        if let (Some(rk), Some(ok)) = (&r.missing_context, &o.missing_context) {
            let lower = |keys: &[String]| -> BTreeSet<String> {
                keys.iter().map(|k| k.to_ascii_lowercase()).collect()
            };
            let (rs, os) = (lower(rk), lower(ok));
            if rs != os {
                return Some((
                    Aspect::MissingContext,
                    format!("missing context {rs:?} vs {os:?}"),
                ));
            }
        }
        if let (Some(rr), Some(or)) = (&r.resources, &o.resources) {
            for (i, (a, b)) in rr.iter().zip(or).enumerate() {
                let decision = |x: &RequestAnswer| match x {
                    RequestAnswer::Decision(d) => Some(d.decision),
                    _ => None,
                };
                if let (Some(a), Some(b)) = (decision(a), decision(b)) {
                    if self.decision_class(a) != self.decision_class(b) {
                        return Some((
                            Aspect::Resources,
                            format!("resource {i}: decision {a} vs {b}"),
                        ));
                    }
                }
            }
        }
        None
    }
}

fn statements(set: &BTreeSet<(String, usize, Option<String>)>) -> String {
    let items: Vec<String> = set
        .iter()
        .map(|(p, i, sid)| match sid {
            Some(sid) => format!("{p}#{i}({sid})"),
            None => format!("{p}#{i}"),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamspec_format::protocol::Rejection;
    use iamspec_format::MatchedStatement;

    fn decided(d: Decision, matched: &[(&str, usize)], missing: &[&str]) -> Answer {
        Answer::Decided(DecisionResult {
            matched: Some(
                matched
                    .iter()
                    .map(|(p, i)| MatchedStatement::new(*p, *i))
                    .collect(),
            ),
            missing_context: Some(missing.iter().map(|k| k.to_string()).collect()),
            ..DecisionResult::new(d)
        })
    }

    fn cmp(mode: ComparisonMode) -> Comparator {
        Comparator {
            mode,
            other_decision_mode: DecisionMode::Exact,
        }
    }

    #[test]
    fn a_non_answer_is_never_a_disagreement() {
        let none = Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Skipped, "no"));
        let yes = decided(Decision::Allowed, &[], &[]);
        assert!(matches!(
            cmp(ComparisonMode::Full).compare(&yes, &none),
            RequestComparison::OtherCouldNot(c) if c.why == NoAnswer::Skipped
        ));
        assert!(matches!(
            cmp(ComparisonMode::Full).compare(&none, &yes),
            RequestComparison::ReferenceCouldNot(_)
        ));
    }

    #[test]
    fn rejected_vs_decided_differs_in_every_mode() {
        let rejected = Answer::Rejected(Rejection {
            error: "invalid-effect".into(),
            policy: None,
            message: None,
            error_position: None,
        });
        let yes = decided(Decision::Allowed, &[], &[]);
        let RequestComparison::Disagree(d) =
            cmp(ComparisonMode::DecisionClass).compare(&rejected, &yes)
        else {
            panic!()
        };
        assert_eq!(
            (d.aspect, d.reference.as_str(), d.other.as_str()),
            (Aspect::Rejection, "rejected-invalid-effect", "decided")
        );
    }

    #[test]
    fn each_mode_sees_what_it_names() {
        use ComparisonMode::{DecisionClass, Full, Matched};
        let exact = ComparisonMode::Decision;
        let explicit = decided(Decision::ExplicitDeny, &[("P", 0)], &[]);
        let implicit = decided(Decision::ImplicitDeny, &[], &[]);
        let allow0 = decided(Decision::Allowed, &[("P", 0)], &["aws:SourceIp"]);
        let allow1 = decided(Decision::Allowed, &[("P", 1)], &["aws:SourceIp"]);
        let allow0_other_keys = decided(
            Decision::Allowed,
            &[("P", 0)],
            &["AWS:sourceip", "s3:prefix"],
        );
        let allow0_same_keys = decided(Decision::Allowed, &[("P", 0)], &["AWS:SOURCEIP"]);
        let agree = |m, a, b| cmp(m).compare(a, b) == RequestComparison::Agree;
        let aspect = |m, a, b| match cmp(m).compare(a, b) {
            RequestComparison::Disagree(d) => Some(d.aspect),
            _ => None,
        };
        // decision-class: both denials are one class.
        assert!(agree(DecisionClass, &explicit, &implicit));
        assert_eq!(
            aspect(DecisionClass, &allow0, &implicit),
            Some(Aspect::Decision)
        );
        // decision: the exact decision, statements ignored.
        assert_eq!(aspect(exact, &explicit, &implicit), Some(Aspect::Decision));
        assert!(agree(exact, &allow0, &allow1));
        // matched: the statements too, keys ignored.
        assert_eq!(aspect(Matched, &allow0, &allow1), Some(Aspect::Matched));
        assert!(agree(Matched, &allow0, &allow0_other_keys));
        // full: the missing keys, case-insensitively.
        assert_eq!(
            aspect(Full, &allow0, &allow0_other_keys),
            Some(Aspect::MissingContext)
        );
        assert!(agree(Full, &allow0, &allow0_same_keys));
        // What one side does not give is not compared.
        let bare = Answer::Decided(DecisionResult::new(Decision::Allowed));
        assert!(agree(Full, &allow0, &bare));
    }

    #[test]
    fn a_class_only_other_side_is_compared_by_class() {
        let c = Comparator {
            mode: ComparisonMode::Full,
            other_decision_mode: DecisionMode::Class,
        };
        let explicit = decided(Decision::ExplicitDeny, &[("P", 0)], &[]);
        let implicit = decided(Decision::ImplicitDeny, &[], &[]);
        assert_eq!(c.compare(&explicit, &implicit), RequestComparison::Agree);
        assert_eq!(c.class(&explicit), "denied");
        // A decision difference names the reference's exact decision and the other side's class.
        let allowed = decided(Decision::Allowed, &[("P", 1)], &[]);
        let RequestComparison::Disagree(d) = c.compare(&explicit, &allowed) else {
            panic!("explicitDeny vs allowed must differ")
        };
        assert_eq!(
            (d.reference.as_str(), d.other.as_str()),
            ("explicitDeny", "allowed")
        );
        let RequestComparison::Disagree(d) = c.compare(&allowed, &implicit) else {
            panic!("allowed vs implicitDeny must differ")
        };
        assert_eq!(
            (d.reference.as_str(), d.other.as_str()),
            ("allowed", "denied")
        );
    }

    #[test]
    fn a_class_only_denial_is_implicit_when_no_policy_can_deny() {
        let case = |effect: &str| -> iamspec_format::Case {
            serde_json::from_value(serde_json::json!({
                "description": "x",
                "source": {"kind": "triage", "ref": "x"},
                "features": ["policy:identity"],
                "principal": {"arn": "arn:aws:iam::111122223333:user/u", "type": "user"},
                "policies": {
                    "identity": [{"id": "a", "document": {"Statement": [
                        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}],
                    "scps": [[{"id": "s", "document": {"Statement":
                        {"Effect": effect, "Action": "*", "Resource": "*"}}}]]
                },
                "requests": [{"name": "r0", "action": "s3:GetObject",
                              "resource": {"arn": "arn:aws:s3:::b/k"},
                              "expect": {"decision": "allowed"}}]
            }))
            .expect("a valid case")
        };
        let c = Comparator {
            mode: ComparisonMode::Decision,
            other_decision_mode: DecisionMode::Class,
        };
        let allowed = decided(Decision::Allowed, &[("a", 0)], &[]);
        let implicit = decided(Decision::ImplicitDeny, &[], &[]);
        let other = |effect: &str| {
            let mut compared =
                c.compare_case(&Ok(vec![allowed.clone()]), &Ok(vec![implicit.clone()]));
            infer_implicit_denials(&mut compared, &case(effect));
            match &compared[0] {
                RequestComparison::Disagree(d) => d.other.clone(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(other("Allow"), "implicitDeny");
        assert_eq!(
            other("Deny"),
            "denied",
            "an SCP's Deny could have denied it"
        );
    }

    #[test]
    fn deny_statements_come_out_and_an_identity_policy_of_only_deny_goes_whole() {
        let with = |policies: serde_json::Value| -> iamspec_format::Case {
            serde_json::from_value(serde_json::json!({
                "description": "x",
                "source": {"kind": "triage", "ref": "x"},
                "features": ["policy:identity"],
                "principal": {"arn": "arn:aws:iam::111122223333:user/u", "type": "user"},
                "policies": policies,
                "requests": [{"name": "r0", "action": "s3:GetObject",
                              "resource": {"arn": "arn:aws:s3:::b/k"},
                              "expect": {"decision": "allowed"}}]
            }))
            .expect("a valid case")
        };
        let case = |identity: serde_json::Value| {
            with(
                serde_json::json!({"identity": [{"id": "a", "document": {"Statement": identity}}]}),
            )
        };
        let allow = serde_json::json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"});
        let deny = serde_json::json!({"Effect": "Deny", "Action": "s3:*", "Resource": "*"});
        let stripped = without_deny_statements(&case(serde_json::json!([allow, deny])))
            .expect("the Deny comes out");
        let text = stripped.policies.identity[0].text().unwrap();
        assert!(text.contains("Allow") && !text.contains("Deny"), "{text}");
        assert!(without_deny_statements(&case(serde_json::json!([allow]))).is_none());
        // An identity-based policy of only `Deny` statements allows nothing: it goes whole.
        let two = with(serde_json::json!({"identity": [
            {"id": "a", "document": {"Statement": [allow]}},
            {"id": "d", "document": {"Statement": [deny]}}
        ]}));
        let stripped = without_deny_statements(&two).expect("the Deny-only policy goes");
        let ids: Vec<&str> = stripped
            .policies
            .identity
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(ids, ["a"]);
        // A permissions boundary of only `Deny` statements allows nothing, unlike no boundary:
        // the question cannot be asked.
        let boundary = with(serde_json::json!({
            "identity": [{"id": "a", "document": {"Statement": [allow]}}],
            "permissions_boundary": {"id": "b", "document": {"Statement": [deny]}}
        }));
        assert!(
            without_deny_statements(&boundary).is_none(),
            "a boundary is never left empty"
        );
    }

    #[test]
    fn a_rejection_names_the_rejected_policy_when_the_rejecting_side_does() {
        let rejected = |policy: Option<&str>| {
            Answer::Rejected(Rejection {
                error: "invalid-action".into(),
                policy: policy.map(str::to_string),
                message: None,
                error_position: None,
            })
        };
        let yes = decided(Decision::Allowed, &[], &[]);
        let c = cmp(ComparisonMode::Decision);
        let policy = |a: &Answer, b: &Answer| match c.compare(a, b) {
            RequestComparison::Disagree(d) => d.rejected_policy,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            policy(&yes, &rejected(Some("rcp-1"))).as_deref(),
            Some("rcp-1")
        );
        assert_eq!(
            policy(&rejected(Some("id-0")), &yes).as_deref(),
            Some("id-0")
        );
        assert_eq!(policy(&yes, &rejected(None)), None);
    }

    #[test]
    fn error_kinds_count_only_in_full_mode() {
        let kind = |k: &str| {
            Answer::Rejected(Rejection {
                error: k.into(),
                policy: None,
                message: None,
                error_position: None,
            })
        };
        let (a, b) = (kind("invalid-effect"), kind("invalid-action"));
        assert_eq!(
            cmp(ComparisonMode::Matched).compare(&a, &b),
            RequestComparison::Agree
        );
        assert!(matches!(
            cmp(ComparisonMode::Full).compare(&a, &b),
            RequestComparison::Disagree(d) if d.aspect == Aspect::ErrorKind
        ));
    }
}
