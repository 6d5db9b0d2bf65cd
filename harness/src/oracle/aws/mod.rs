//! AWS's policy simulator as an oracle: `iam:SimulateCustomPolicy` (or
//! `iam:SimulatePrincipalPolicy` against a sandbox principal) through the real SDK client.
//!
//! A case becomes calls ([`request`]): every action × resource that shares the policy set,
//! context, caller, resource owner and EC2 scenario goes in one call. The answer cache
//! ([`cache`]) is asked first, per action × resource, so a re-run of known cases costs no call;
//! then the rate limit and the `--max-calls` budget ([`limit`]) are applied, and the call is
//! made ([`client`]) with the SDK's standard retries. The simulator's answers ([`response`]) are
//! mapped back to the case's requests, statements placed by position. What the simulator cannot
//! express, and every failure of a call, is "could not answer" (never a difference);
//! credentials never leave the client ([`redact`]). Offline, the same code answers from HTTP
//! traffic files ([`traffic`]) or a local scripted endpoint.

pub mod batch;
pub mod cache;
pub mod client;
pub mod limit;
pub mod own;
pub mod redact;
pub mod request;
pub mod response;
pub mod traffic;

use std::path::PathBuf;
use std::time::Duration;

use iamspec_format::protocol::DecisionMode;
use iamspec_format::Case;
use serde::Serialize;

use crate::oracle::aws::cache::{AnswerCache, Known};
use crate::oracle::aws::client::{CallFailure, ClientSettings, Simulator};
use crate::oracle::aws::limit::Limits;
use crate::oracle::aws::request::{plan, Call, Target};
use crate::oracle::aws::response::{pair, request_answer, PairAnswers, StatementMap};
use crate::oracle::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer, Oracle, OracleInfo};

/// Settings of the AWS oracle.
#[derive(Debug, Clone)]
pub struct AwsSettings {
    /// How to reach the simulator.
    pub client: ClientSettings,
    /// `SimulateCustomPolicy`, or `SimulatePrincipalPolicy` against a sandbox principal.
    pub target: Target,
    /// The answer cache directory (`None`: no cache).
    pub cache: Option<PathBuf>,
    /// At most this many calls in the run (`None`: no cap).
    pub max_calls: Option<usize>,
    /// At least this long between two calls.
    pub min_interval: Duration,
    /// The date recorded with cached answers (YYYY-MM-DD).
    pub date: String,
}

impl Default for AwsSettings {
    fn default() -> Self {
        AwsSettings {
            client: ClientSettings::default(),
            target: Target::Custom,
            cache: None,
            max_calls: None,
            min_interval: Duration::from_millis(200),
            date: String::new(),
        }
    }
}

/// What the oracle spent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// API calls made (pages, retries not counted).
    pub calls: usize,
    /// Action × resource decisions the simulator made in those calls.
    pub decisions_simulated: usize,
    /// Decisions of requests answered (by calls or the cache).
    pub decisions_answered: usize,
    /// Action × resource decisions found in the cache.
    pub decisions_cached: usize,
    /// Calls the cache made unnecessary (every pair of the call known).
    pub calls_saved: usize,
    /// Calls not made because `--max-calls` was spent.
    pub calls_refused: usize,
    /// Calls that failed (after the SDK's retries).
    pub calls_failed: usize,
}

impl Usage {
    /// Answered decisions per call made (`None` before the first call).
    pub fn decisions_per_call(&self) -> Option<f64> {
        (self.calls > 0).then(|| self.decisions_answered as f64 / self.calls as f64)
    }
}

/// The AWS oracle.
pub struct AwsOracle {
    simulator: Simulator,
    settings: AwsSettings,
    cache: Option<AnswerCache>,
    limits: Limits,
    usage: Usage,
    /// Set when the credentials failed: no later call is tried.
    broken: Option<CouldNotAnswer>,
}

impl std::fmt::Debug for AwsOracle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsOracle")
            .field("simulator", &self.simulator)
            .field("usage", &self.usage)
            .finish_non_exhaustive()
    }
}

impl AwsOracle {
    /// Builds the client (credentials from the standard chain, none over a replay).
    pub fn new(settings: AwsSettings) -> Result<AwsOracle, client::ClientError> {
        let simulator = Simulator::new(&settings.client)?;
        Ok(AwsOracle {
            simulator,
            cache: settings.cache.as_deref().map(AnswerCache::new),
            limits: Limits::new(settings.min_interval, settings.max_calls),
            usage: Usage::default(),
            broken: None,
            settings,
        })
    }

    /// What the oracle spent so far.
    pub fn usage(&self) -> &Usage {
        &self.usage
    }

    /// The region the client is configured with.
    pub fn region(&self) -> &str {
        self.simulator.region()
    }

    /// The API the oracle calls.
    pub fn api(&self) -> &'static str {
        match self.settings.target {
            Target::Custom => request::Api::SimulateCustomPolicy.name(),
            Target::Principal { .. } | Target::PrincipalOwn { .. } => {
                request::Api::SimulatePrincipalPolicy.name()
            }
        }
    }

    /// The decisions of one call of a plan: from the cache, then from the simulator for the
    /// actions × resources the cache lacks.
    fn answer_call(&mut self, call: &Call) -> Result<PairAnswers, Answer> {
        let mut known = PairAnswers::new();
        if let Some(cache) = &self.cache {
            match cache.lookup(&call.scope, &call.actions, &call.resources) {
                Known::Rejected(r) => {
                    self.usage.calls_saved += 1;
                    return Err(Answer::Rejected(r));
                }
                Known::Decisions(d) => {
                    self.usage.decisions_cached += d.len();
                    known = d;
                }
            }
        }
        let missing = |a: &String, r: &String| !known.contains_key(&pair(a, r));
        let actions: Vec<String> = call
            .actions
            .iter()
            .filter(|a| call.resources.iter().any(|r| missing(a, r)))
            .cloned()
            .collect();
        let resources: Vec<String> = call
            .resources
            .iter()
            .filter(|r| call.actions.iter().any(|a| missing(a, r)))
            .cloned()
            .collect();
        if actions.is_empty() {
            self.usage.calls_saved += 1;
            return Ok(known);
        }
        if let Some(c) = &self.broken {
            return Err(Answer::CouldNot(c.clone()));
        }
        if !self.limits.take() {
            self.usage.calls_refused += 1;
            return Err(Answer::CouldNot(CouldNotAnswer::new(
                NoAnswer::Unavailable,
                format!(
                    "the --max-calls budget ({}) is spent",
                    self.limits.budget().unwrap_or(0)
                ),
            )));
        }
        let reduced = Call {
            scope: call.scope.clone(),
            actions,
            resources,
        };
        let mut pages = 0;
        let result = self.simulator.call(&reduced, &mut pages);
        self.limits.add(pages.saturating_sub(1));
        self.usage.calls += pages;
        match result {
            Ok(answers) => {
                self.usage.decisions_simulated += reduced.decisions();
                let fresh = answers.pairs(&reduced.actions, &reduced.resources);
                if let Some(cache) = &self.cache {
                    if let Err(e) = cache.store(
                        &call.scope,
                        &fresh,
                        None,
                        self.simulator.region(),
                        &self.settings.date,
                    ) {
                        eprintln!("iamspec: aws answer cache: {e}");
                    }
                }
                known.extend(fresh);
                Ok(known)
            }
            Err(CallFailure::Rejected(r)) => {
                if let Some(cache) = &self.cache {
                    if let Err(e) = cache.store(
                        &call.scope,
                        &PairAnswers::new(),
                        Some(&r),
                        self.simulator.region(),
                        &self.settings.date,
                    ) {
                        eprintln!("iamspec: aws answer cache: {e}");
                    }
                }
                Err(Answer::Rejected(r))
            }
            Err(CallFailure::CouldNot(c)) => {
                self.usage.calls_failed += 1;
                Err(Answer::CouldNot(c))
            }
            Err(CallFailure::Credentials(c)) => {
                self.usage.calls_failed += 1;
                self.broken = Some(c.clone());
                Err(Answer::CouldNot(c))
            }
        }
    }
}

impl Oracle for AwsOracle {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            name: "aws".to_string(),
            version: format!("{} ({})", self.api(), self.simulator.region()),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let plan = plan(case, &self.settings.target)
            .map_err(|why| CouldNotAnswer::new(NoAnswer::Unsupported, why.0))?;
        let calls: Vec<Result<PairAnswers, Answer>> = plan
            .calls
            .iter()
            .map(|call| self.answer_call(call))
            .collect();
        let map = StatementMap::new(&plan.sent);
        let answers: Vec<Answer> = case
            .requests
            .iter()
            .zip(&plan.requests)
            .map(|(request, needs)| {
                let answer =
                    request_answer(&plan, needs, &calls, &map, request.resources.is_some());
                if let (Answer::Decided(_), Ok(n)) = (&answer, needs) {
                    self.usage.decisions_answered += n.len();
                }
                answer
            })
            .collect();
        Ok(answers)
    }

    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn api_calls(&self) -> Option<usize> {
        Some(self.usage.calls)
    }
}
