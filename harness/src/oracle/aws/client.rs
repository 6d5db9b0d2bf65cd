//! Calling the simulator through the real SDK client (`aws-sdk-iam`), on a current-thread tokio
//! runtime owned here: the rest of the harness stays synchronous.
//!
//! Credentials come from `aws-config`'s standard chain (environment, profiles, SSO, web
//! identity for CI), except over a replay, which needs none. Retries are the SDK's standard
//! mode (throttling and 5xx retried with exponential backoff). Every failure becomes a
//! [`CouldNotAnswer`] — never a difference — except an `InvalidInput` about a policy document,
//! which is the simulator rejecting a policy. Messages are passed through [`Redactor`] so that no
//! credential reaches a log, report, cache file or case file.

use std::path::PathBuf;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types::{
    ContextEntry, ContextKeyTypeEnum, EvaluationResult, OrderedOrganizationPolicyType,
    PolicyIdentifier, PolicyIdentifierPolicyType,
};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use iamspec_format::protocol::Rejection;

use crate::oracle::aws::redact::Redactor;
use crate::oracle::aws::request::{Api, Call};
use crate::oracle::aws::response::{
    CallAnswers, SimDecision, SimPosition, SimResult, SimStatement,
};
use crate::oracle::aws::traffic::{RecordingHttp, ReplayHttp, NOT_RECORDED};
use crate::oracle::{CouldNotAnswer, NoAnswer};

/// How to reach the simulator.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// The region the IAM client is configured with (IAM is global; the region names the
    /// partition's endpoint and is recorded as provenance). `None`: the standard chain's, else
    /// `us-east-1`.
    pub region: Option<String>,
    /// Another endpoint (a local scripted endpoint in tests).
    pub endpoint_url: Option<String>,
    /// Answer from recorded HTTP traffic instead of the network (no credentials needed).
    pub replay: Option<PathBuf>,
    /// Append every HTTP exchange to this traffic file (credentials never written).
    pub record: Option<PathBuf>,
    /// Send through this HTTP client instead (tests: `aws-smithy-http-client`'s test
    /// utilities). Credentials still come from the standard chain.
    pub http_client: Option<SharedHttpClient>,
    /// Attempts per call (the SDK's standard retry mode), at least 1.
    pub max_attempts: u32,
    /// The first retry's backoff.
    pub initial_backoff: Duration,
    /// Time allowed per attempt.
    pub attempt_timeout: Duration,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            region: None,
            endpoint_url: None,
            replay: None,
            record: None,
            http_client: None,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            attempt_timeout: Duration::from_secs(20),
        }
    }
}

/// Why a call gave no answers.
#[derive(Debug, Clone, PartialEq)]
pub enum CallFailure {
    /// The simulator rejected a policy document (`InvalidInput` about a policy).
    Rejected(Rejection),
    /// Anything else: throttled past the retries, 5xx, timeouts, connection failures, bad XML,
    /// bad pagination, credentials.
    CouldNot(CouldNotAnswer),
    /// The credentials are missing, expired or refused: no later call can succeed either.
    Credentials(CouldNotAnswer),
}

/// The IAM client and the runtime it runs on.
pub struct Simulator {
    runtime: tokio::runtime::Runtime,
    client: aws_sdk_iam::Client,
    region: String,
    redactor: Redactor,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// Why the client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The tokio runtime could not start.
    #[error("cannot start the runtime of the AWS client: {0}")]
    Runtime(std::io::Error),
    /// The replay or recording file.
    #[error("{0}")]
    Traffic(String),
}

impl Simulator {
    /// Builds the client: the standard credential chain (or none over a replay), the standard
    /// retry mode, the timeouts.
    pub fn new(settings: &ClientSettings) -> Result<Simulator, ClientError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(ClientError::Runtime)?;
        let http: SharedHttpClient = match (&settings.replay, &settings.http_client) {
            (Some(path), _) => {
                SharedHttpClient::new(ReplayHttp::open(path).map_err(ClientError::Traffic)?)
            }
            (None, Some(client)) => client.clone(),
            (None, None) => network_client(settings.endpoint_url.as_deref()),
        };
        let http = match &settings.record {
            Some(path) => {
                SharedHttpClient::new(RecordingHttp::new(http, path).map_err(ClientError::Traffic)?)
            }
            None => http,
        };
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(settings.max_attempts.max(1))
                    .with_initial_backoff(settings.initial_backoff),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(settings.attempt_timeout)
                    .connect_timeout(settings.attempt_timeout)
                    .build(),
            );
        if let Some(region) = &settings.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        if let Some(url) = &settings.endpoint_url {
            loader = loader.endpoint_url(url.clone());
        }
        if settings.replay.is_some() {
            // A replay answers without looking at signatures: never load real credentials.
            loader = loader.credentials_provider(Credentials::new(
                "AKIDREPLAY",
                "replay-needs-no-secret",
                None,
                None,
                "iamspec-replay",
            ));
        }
        let (client, region, redactor) = runtime.block_on(async {
            let config = loader.load().await;
            let region = config
                .region()
                .map_or("us-east-1".to_string(), |r| r.to_string());
            let mut redactor = Redactor::default();
            if let Some(provider) = config.credentials_provider() {
                // Learn the values to scrub from every message (a failure here is reported
                // on the first call, by the SDK).
                if let Ok(creds) = provider.provide_credentials().await {
                    redactor.add(creds.access_key_id());
                    redactor.add(creds.secret_access_key());
                    if let Some(token) = creds.session_token() {
                        redactor.add(token);
                    }
                }
            }
            let iam = aws_sdk_iam::config::Builder::from(&config)
                .region(aws_config::Region::new(region.clone()))
                .build();
            (aws_sdk_iam::Client::from_conf(iam), region, redactor)
        });
        Ok(Simulator {
            runtime,
            client,
            region,
            redactor,
        })
    }

    /// The region the client is configured with.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The scrubber of this client's credentials.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Makes one call, following `Marker` while `IsTruncated`. `pages` counts the HTTP calls
    /// made (one per page, retries aside).
    pub fn call(&self, call: &Call, pages: &mut usize) -> Result<CallAnswers, CallFailure> {
        let mut answers = CallAnswers::default();
        let mut marker: Option<String> = None;
        loop {
            *pages += 1;
            let page = self.runtime.block_on(self.page(call, marker.clone()));
            let (results, truncated, next) = page.map_err(|f| self.scrub(f))?;
            answers.results.extend(results.iter().map(sim_result));
            match (truncated, next) {
                (false, _) => return Ok(answers),
                (true, Some(m)) if Some(&m) != marker.as_ref() => marker = Some(m),
                (true, m) => {
                    return Err(CallFailure::CouldNot(CouldNotAnswer::new(
                        NoAnswer::Garbage,
                        format!(
                            "{}: IsTruncated without a new Marker ({})",
                            call.scope.api.name(),
                            m.map_or("none".to_string(), |m| format!("`{m}` again"))
                        ),
                    )))
                }
            }
        }
    }

    fn scrub(&self, failure: CallFailure) -> CallFailure {
        let r = &self.redactor;
        match failure {
            CallFailure::Rejected(mut x) => {
                x.message = x.message.map(|m| r.redact(&m));
                CallFailure::Rejected(x)
            }
            CallFailure::CouldNot(c) => CallFailure::CouldNot(r.redact_answer(c)),
            CallFailure::Credentials(c) => CallFailure::Credentials(r.redact_answer(c)),
        }
    }

    async fn page(
        &self,
        call: &Call,
        marker: Option<String>,
    ) -> Result<(Vec<EvaluationResult>, bool, Option<String>), CallFailure> {
        let s = &call.scope;
        let context: Vec<ContextEntry> = s
            .context
            .iter()
            .map(|e| {
                ContextEntry::builder()
                    .context_key_name(&e.key)
                    .context_key_type(ContextKeyTypeEnum::from(e.key_type.as_str()))
                    .set_context_key_values(Some(e.values.clone()))
                    .build()
            })
            .collect();
        let api = s.api.name();
        match s.api {
            Api::SimulateCustomPolicy => {
                let levels: Vec<OrderedOrganizationPolicyType> = s
                    .organization_levels
                    .iter()
                    .map(|level| {
                        OrderedOrganizationPolicyType::builder()
                            .set_service_control_policy_input_list(Some(level.clone()))
                            .build()
                    })
                    .collect();
                let out = self
                    .client
                    .simulate_custom_policy()
                    .set_policy_input_list(Some(s.policies.clone()))
                    .set_permissions_boundary_policy_input_list(
                        s.permissions_boundary.clone().map(|b| vec![b]),
                    )
                    .set_ordered_organization_policy_input_list(
                        (!levels.is_empty()).then_some(levels),
                    )
                    .set_action_names(Some(call.actions.clone()))
                    .set_resource_arns(Some(call.resources.clone()))
                    .set_resource_policy(s.resource_policy.clone())
                    .set_resource_owner(s.resource_owner.clone())
                    .set_caller_arn(s.caller_arn.clone())
                    .set_context_entries((!context.is_empty()).then_some(context))
                    .set_resource_handling_option(s.resource_handling_option.clone())
                    .max_items(1000)
                    .set_marker(marker)
                    .send()
                    .await
                    .map_err(|e| failure(api, e))?;
                Ok((
                    out.evaluation_results().to_vec(),
                    out.is_truncated(),
                    out.marker().map(str::to_string),
                ))
            }
            Api::SimulatePrincipalPolicy => {
                let exclusions: Vec<PolicyIdentifier> = s
                    .policy_exclusions
                    .iter()
                    .map(|t| {
                        PolicyIdentifier::PolicyType(PolicyIdentifierPolicyType::from(t.as_str()))
                    })
                    .collect();
                let out = self
                    .client
                    .simulate_principal_policy()
                    .set_policy_source_arn(s.policy_source_arn.clone())
                    .set_policy_exclusion_list((!exclusions.is_empty()).then_some(exclusions))
                    .set_policy_input_list((!s.policies.is_empty()).then(|| s.policies.clone()))
                    .set_permissions_boundary_policy_input_list(
                        s.permissions_boundary.clone().map(|b| vec![b]),
                    )
                    .set_action_names(Some(call.actions.clone()))
                    .set_resource_arns(Some(call.resources.clone()))
                    .set_resource_policy(s.resource_policy.clone())
                    .set_resource_owner(s.resource_owner.clone())
                    .set_caller_arn(s.caller_arn.clone())
                    .set_context_entries((!context.is_empty()).then_some(context))
                    .set_resource_handling_option(s.resource_handling_option.clone())
                    .max_items(1000)
                    .set_marker(marker)
                    .customize()
                    .mutate_request(name_union_members)
                    .send()
                    .await
                    .map_err(|e| failure(api, e))?;
                Ok((
                    out.evaluation_results().to_vec(),
                    out.is_truncated(),
                    out.marker().map(str::to_string),
                ))
            }
        }
    }
}

/// `aws-sdk-iam` 1.133 writes a `PolicyIdentifier` union member of `PolicyExclusionList` as
/// `PolicyExclusionList.member.N.member=inline`, without the member's name; the IAM query
/// protocol names it (`PolicyExclusionList.member.N.PolicyType=inline`), and IAM ignores
/// identifiers it does not recognise ("Syntactically valid identifiers that don't match any
/// attached policy are ignored"), which would leave the sandbox principal's own policies in.
/// Only policy-type identifiers are sent, so the member is always `PolicyType`. Runs before
/// signing.
fn name_union_members(request: &mut aws_smithy_runtime_api::client::orchestrator::HttpRequest) {
    let Some(body) = request
        .body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned())
    else {
        return;
    };
    let fixed = name_policy_type_members(&body);
    if fixed != body {
        let length = fixed.len().to_string();
        *request.body_mut() = aws_smithy_types::body::SdkBody::from(fixed);
        request.headers_mut().insert("content-length", length);
    }
}

/// The form body with `PolicyExclusionList.member.N.member=` written as
/// `PolicyExclusionList.member.N.PolicyType=`.
pub fn name_policy_type_members(body: &str) -> String {
    body.split('&')
        .map(|param| {
            let Some(rest) = param.strip_prefix("PolicyExclusionList.member.") else {
                return param.to_string();
            };
            match rest.split_once(".member=") {
                Some((n, value)) if n.chars().all(|c| c.is_ascii_digit()) => {
                    format!("PolicyExclusionList.member.{n}.PolicyType={value}")
                }
                _ => param.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The client over the network: rustls with ring (plain HTTP for an `http://` endpoint).
fn network_client(endpoint: Option<&str>) -> SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    if endpoint.is_some_and(|e| e.starts_with("http://")) {
        return aws_smithy_http_client::Builder::new().build_http();
    }
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// Error codes that say the credentials cannot work (AWS's common errors).
const CREDENTIAL_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "MissingAuthenticationToken",
    "IncompleteSignature",
    "AccessDenied",
    "AccessDeniedException",
];

fn failure<E, R>(api: &str, error: SdkError<E, R>) -> CallFailure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let chain = error_chain(&error);
    match &error {
        SdkError::TimeoutError(_) => CallFailure::CouldNot(CouldNotAnswer::new(
            NoAnswer::TimedOut,
            format!("{api}: timed out: {chain}"),
        )),
        SdkError::ResponseError(_) => CallFailure::CouldNot(CouldNotAnswer::new(
            NoAnswer::Garbage,
            format!("{api}: the response could not be read: {chain}"),
        )),
        SdkError::DispatchFailure(d) if d.is_timeout() => CallFailure::CouldNot(
            CouldNotAnswer::new(NoAnswer::TimedOut, format!("{api}: timed out: {chain}")),
        ),
        SdkError::DispatchFailure(_) if chain.contains(NOT_RECORDED) => CallFailure::CouldNot(
            CouldNotAnswer::new(NoAnswer::NotRecorded, format!("{api}: {chain}")),
        ),
        SdkError::DispatchFailure(_) => CallFailure::CouldNot(CouldNotAnswer::new(
            NoAnswer::Unavailable,
            format!("{api}: the request could not be sent: {chain}"),
        )),
        SdkError::ConstructionFailure(_) => {
            // The SDK builds no request without credentials: nothing else will work either.
            let c = CouldNotAnswer::new(
                NoAnswer::Unavailable,
                format!("{api}: the request could not be built (credentials?): {chain}"),
            );
            if chain.to_ascii_lowercase().contains("credential") {
                CallFailure::Credentials(c)
            } else {
                CallFailure::CouldNot(c)
            }
        }
        SdkError::ServiceError(s) => {
            let e = s.err();
            let code = e.code().unwrap_or("");
            let message = e.message().unwrap_or("");
            let text = format!("{api}: {code}: {message}");
            if CREDENTIAL_CODES.contains(&code) {
                return CallFailure::Credentials(CouldNotAnswer::new(NoAnswer::Unavailable, text));
            }
            if code.starts_with("Throttl") || code == "RequestLimitExceeded" {
                return CallFailure::CouldNot(CouldNotAnswer::new(
                    NoAnswer::Unavailable,
                    format!("throttled past the SDK's retries: {text}"),
                ));
            }
            if code == "InvalidInput" && is_about_a_policy(message) {
                return CallFailure::Rejected(Rejection {
                    error: "other".to_string(),
                    policy: None,
                    message: Some(text),
                    error_position: None,
                });
            }
            CallFailure::CouldNot(CouldNotAnswer::new(
                if code.is_empty() {
                    NoAnswer::Unavailable
                } else {
                    NoAnswer::Errored
                },
                if code.is_empty() { chain } else { text },
            ))
        }
        _ => CallFailure::CouldNot(CouldNotAnswer::new(
            NoAnswer::Errored,
            format!("{api}: {chain}"),
        )),
    }
}

/// True for an `InvalidInput` message about a policy document (syntax, grammar, size), as
/// opposed to one about the call (a bad ARN, a missing CallerArn...).
fn is_about_a_policy(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    (m.contains("policy") || m.contains("statement"))
        && [
            "syntax",
            "malformed",
            "invalid",
            "unsupported",
            "must",
            "cannot",
            "not valid",
            "size",
        ]
        .iter()
        .any(|w| m.contains(w))
        && !m.contains("callerarn")
        && !m.contains("caller arn")
        && !m.contains("policysourcearn")
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

fn sim_result(r: &EvaluationResult) -> SimResult {
    SimResult {
        action: r.eval_action_name().to_string(),
        resource: r.eval_resource_name().map(str::to_string),
        top: SimDecision {
            decision: r.eval_decision().as_str().to_string(),
            matched: r.matched_statements().iter().map(statement).collect(),
            missing_context: r.missing_context_values().to_vec(),
            details: r
                .eval_decision_details()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            allowed_by_permissions_boundary: r
                .permissions_boundary_decision_detail()
                .map(|d| d.allowed_by_permissions_boundary()),
            allowed_by_organizations: r
                .organizations_decision_detail()
                .map(|d| d.allowed_by_organizations()),
        },
        per_resource: r
            .resource_specific_results()
            .iter()
            .map(|rs| {
                (
                    rs.eval_resource_name().to_string(),
                    SimDecision {
                        decision: rs.eval_resource_decision().as_str().to_string(),
                        matched: rs.matched_statements().iter().map(statement).collect(),
                        missing_context: rs.missing_context_values().to_vec(),
                        details: rs
                            .eval_decision_details()
                            .map(|m| {
                                m.iter()
                                    .map(|(k, v)| (k.clone(), v.as_str().to_string()))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        allowed_by_permissions_boundary: rs
                            .permissions_boundary_decision_detail()
                            .map(|d| d.allowed_by_permissions_boundary()),
                        allowed_by_organizations: None,
                    },
                )
            })
            .collect(),
    }
}

fn statement(s: &aws_sdk_iam::types::Statement) -> SimStatement {
    let position = |p: Option<&aws_sdk_iam::types::Position>| {
        p.map(|p| SimPosition {
            line: p.line(),
            column: p.column(),
        })
    };
    SimStatement {
        source_policy_id: s.source_policy_id().map(str::to_string),
        source_policy_type: s.source_policy_type().map(|t| t.as_str().to_string()),
        start: position(s.start_position()),
        end: position(s.end_position()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_exclusion_members_are_named() {
        assert_eq!(
            name_policy_type_members(
                "Action=SimulatePrincipalPolicy&PolicyExclusionList.member.1.member=inline&PolicyExclusionList.member.12.member=scp&ActionNames.member.1=s3%3AGetObject"
            ),
            "Action=SimulatePrincipalPolicy&PolicyExclusionList.member.1.PolicyType=inline&PolicyExclusionList.member.12.PolicyType=scp&ActionNames.member.1=s3%3AGetObject"
        );
    }

    #[test]
    fn policy_messages_are_told_from_call_messages() {
        assert!(is_about_a_policy("Syntax errors in policy."));
        assert!(is_about_a_policy("The policy document is malformed"));
        assert!(!is_about_a_policy(
            "CallerArn is required if you include a ResourcePolicy"
        ));
        assert!(!is_about_a_policy("Invalid ARN: arn:aws:s3"));
    }
}
