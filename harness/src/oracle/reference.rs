//! The reference evaluator as an [`Oracle`]: runs a case with [`iamspec::scenario::run_case`]
//! (panics caught) and gives its answers in protocol terms.

use std::panic::{self, AssertUnwindSafe};

use iamspec::explain::{MatchedStatement, Response};
use iamspec::scenario::{run_case, Answer as ScenarioAnswer, Verdict};
use iamspec_format::protocol::{
    Decision, DecisionMode, DecisionResult, Position, Rejection, RequestAnswer, Statement,
};
use iamspec_format::Case;

use crate::oracle::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer, Oracle, OracleInfo};

/// The reference evaluator as an oracle.
#[derive(Debug, Clone, Default)]
pub struct ReferenceOracle;

impl Oracle for ReferenceOracle {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            name: "iamspec".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let outcomes = run_catching_panics(case).map_err(|panic| {
            CouldNotAnswer::new(
                NoAnswer::Crashed,
                format!("the reference evaluator panicked: {panic}"),
            )
        })?;
        Ok(case
            .requests
            .iter()
            .enumerate()
            .map(|(i, request)| {
                let outcome = outcomes
                    .iter()
                    .find(|o| o.name == request.name)
                    .or_else(|| outcomes.get(i));
                match outcome {
                    None => Answer::CouldNot(CouldNotAnswer::new(
                        NoAnswer::Errored,
                        "the scenario runner gave no outcome for this request",
                    )),
                    Some(o) => match (&o.answer, &o.verdict) {
                        (Some(answer), _) => reference_answer(answer, request.resources.is_some()),
                        (None, Verdict::Skipped(why)) => {
                            Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Unsupported, why))
                        }
                        (None, Verdict::Errored(why)) => {
                            Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Errored, why))
                        }
                        (None, other) => Answer::CouldNot(CouldNotAnswer::new(
                            NoAnswer::Errored,
                            format!("no answer ({other})"),
                        )),
                    },
                }
            })
            .collect())
    }
}

/// Runs a case on the reference evaluator, turning a panic into its message.
pub fn run_catching_panics(case: &Case) -> Result<Vec<iamspec::scenario::RequestOutcome>, String> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| run_case(case)));
    panic::set_hook(previous);
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_string())
    })
}

fn statement(m: &MatchedStatement) -> Statement {
    Statement {
        policy: m.policy.clone(),
        statement: m.statement,
        sid: m.sid.clone(),
        start: Some(Position {
            line: m.start.line,
            column: m.start.column,
        }),
        end: Some(Position {
            line: m.end.line,
            column: m.end.column,
        }),
    }
}

fn decision(d: iamspec::explain::Decision) -> Decision {
    match d {
        iamspec::explain::Decision::Allowed => Decision::Allowed,
        iamspec::explain::Decision::ExplicitDeny => Decision::ExplicitDeny,
        iamspec::explain::Decision::ImplicitDeny => Decision::ImplicitDeny,
    }
}

/// The reference evaluator's answer in protocol terms; per-resource results only for a request
/// with a `resources` list.
pub fn reference_answer(answer: &ScenarioAnswer, several_resources: bool) -> Answer {
    match answer {
        ScenarioAnswer::Decided(response) => Answer::Decided(decided(response, several_resources)),
        ScenarioAnswer::Rejected { policy, error } => Answer::Rejected(Rejection {
            error: error.kind.name().to_string(),
            message: Some(format!("policy `{policy}`: {}", error.message)),
            error_position: Some(Position {
                line: error.position.line,
                column: error.position.column,
            }),
        }),
    }
}

fn decided(response: &Response, several_resources: bool) -> DecisionResult {
    DecisionResult {
        decision: decision(response.decision),
        matched: Some(response.matched.iter().map(statement).collect()),
        missing_context: Some(response.missing_context.clone()),
        resources: several_resources.then(|| {
            response
                .resources
                .iter()
                .map(|r| {
                    RequestAnswer::Decision(DecisionResult {
                        decision: decision(r.decision),
                        matched: Some(r.matched.iter().map(statement).collect()),
                        missing_context: Some(r.missing_context.clone()),
                        resources: None,
                        message: None,
                    })
                })
                .collect()
        }),
        message: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::test_cases::{case, ALLOW_GET};

    #[test]
    fn the_reference_oracle_answers_in_protocol_terms() {
        let answers = ReferenceOracle.decide(&case(ALLOW_GET)).unwrap();
        let Answer::Decided(d) = &answers[0] else {
            panic!("{answers:?}")
        };
        assert_eq!(d.decision, Decision::Allowed);
        assert_eq!(d.matched.as_ref().unwrap()[0].policy, "P");
        assert_eq!(answers[1].decision(), Some(Decision::ImplicitDeny));
        let rejected = ReferenceOracle
            .decide(&case(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}]}"#))
            .unwrap();
        assert!(matches!(&rejected[0], Answer::Rejected(r) if r.error == "invalid-effect"));
    }
}
