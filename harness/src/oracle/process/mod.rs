//! A third-party evaluator program as an [`Oracle`]: the protocol client ([`client`]) behind
//! the trait, with the protocol's JSON Schemas ([`schemas`]) for `--validate-protocol`.

pub mod client;
pub mod schemas;

use std::sync::Arc;

use iamspec_format::protocol::RunAnswer;
use iamspec_format::Case;

use crate::oracle::process::client::{
    CaseOutcome, FailureKind, ProcessEvaluator, ProcessOptions, StartError,
};
use crate::oracle::process::schemas::ProtocolSchemas;
use crate::oracle::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer, Oracle, OracleInfo};

impl From<FailureKind> for NoAnswer {
    fn from(kind: FailureKind) -> Self {
        match kind {
            FailureKind::Timeout => NoAnswer::TimedOut,
            FailureKind::Crash => NoAnswer::Crashed,
            FailureKind::Garbage => NoAnswer::Garbage,
            FailureKind::Unavailable => NoAnswer::Unavailable,
        }
    }
}

/// A third-party evaluator program as an oracle.
#[derive(Debug)]
pub struct ProcessOracle {
    evaluator: Option<ProcessEvaluator>,
    info: OracleInfo,
}

impl ProcessOracle {
    /// Starts `sh -c command` and does the handshake.
    pub fn start(
        command: &str,
        options: ProcessOptions,
        schemas: Option<Arc<ProtocolSchemas>>,
    ) -> Result<ProcessOracle, StartError> {
        let evaluator = ProcessEvaluator::start(command, options, schemas)?;
        let implementation = evaluator.implementation().clone();
        Ok(ProcessOracle {
            info: OracleInfo {
                name: implementation.name.clone(),
                version: implementation.version.clone(),
                decision_mode: implementation.decision_mode(),
                implementation: Some(implementation),
            },
            evaluator: Some(evaluator),
        })
    }

    /// How many times the process was restarted.
    pub fn restarts(&self) -> usize {
        self.evaluator.as_ref().map_or(0, |e| e.restarts())
    }
}

impl Oracle for ProcessOracle {
    fn info(&self) -> OracleInfo {
        self.info.clone()
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let Some(evaluator) = self.evaluator.as_mut() else {
            return Err(CouldNotAnswer::new(
                NoAnswer::Unavailable,
                "the evaluator was stopped",
            ));
        };
        match evaluator.run(case) {
            CaseOutcome::Answered(RunAnswer::Results(r)) => {
                Ok(r.results.into_iter().map(Answer::from_protocol).collect())
            }
            CaseOutcome::Answered(RunAnswer::Skipped(s)) => Err(CouldNotAnswer {
                why: NoAnswer::Skipped,
                message: s.message,
                detail: None,
                issue_url: s.issue_url,
            }),
            CaseOutcome::Answered(RunAnswer::Errored(e)) => {
                let context = e.context.unwrap_or_default();
                let detail = [context.traceback, context.stderr]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("\n");
                Err(CouldNotAnswer {
                    why: NoAnswer::Errored,
                    message: context
                        .message
                        .unwrap_or_else(|| "the evaluator errored (no message)".to_string()),
                    detail: (!detail.is_empty()).then_some(detail),
                    issue_url: None,
                })
            }
            CaseOutcome::Failed(f) => Err(CouldNotAnswer {
                why: f.kind.into(),
                message: f.message,
                detail: (!f.stderr.trim().is_empty()).then_some(f.stderr),
                issue_url: None,
            }),
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        let Some(evaluator) = self.evaluator.take() else {
            return Ok(());
        };
        if !evaluator.is_running() {
            // The harness itself killed the last process (a crash, a hang, garbage), and that
            // was reported with its case: there is nothing to stop and nothing to warn about.
            return Ok(());
        }
        match evaluator.stop() {
            (Some(status), _) if status.success() => Ok(()),
            (Some(status), stderr) => Err(format!(
                "the evaluator exited with {status} after stop{}",
                tail_note(&stderr)
            )),
            (None, stderr) => Err(format!(
                "the evaluator did not exit after stop and was killed{}",
                tail_note(&stderr)
            )),
        }
    }
}

impl Drop for ProcessOracle {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

fn tail_note(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.trim_end().lines().collect();
    if lines.is_empty() {
        String::new()
    } else {
        let from = lines.len().saturating_sub(5);
        format!("; stderr ends:\n{}", lines[from..].join("\n"))
    }
}
