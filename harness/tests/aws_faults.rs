//! The AWS oracle against a scripted local endpoint (127.0.0.1), through the real SDK client:
//! answers, pagination, and every fault — throttling, 500s, timeouts, connection resets,
//! malformed XML, truncated pages, an expired token — retried or reported as "could not
//! answer", never a difference and never a crash; planted credentials never appear in what the
//! oracle returns or caches. SYNTHETIC traffic: see `aws_support`.
#![cfg(feature = "aws")]

mod aws_support;

use std::sync::Once;
use std::time::Duration;

use aws_support::{error_xml, simulate, Endpoint, Reply};
use iamspec_format::protocol::Decision;
use iamspec_format::Case;
use iamspec_harness::oracle::aws::client::ClientSettings;
use iamspec_harness::oracle::aws::{AwsOracle, AwsSettings};
use iamspec_harness::oracle::{Answer, NoAnswer, Oracle};

const KEY_ID: &str = "AKIAPLANTEDKEYID0001";
const SECRET: &str = "planted/Secret+Access+Key/0123456789abcdef";
const TOKEN: &str = "PlantedSessionToken//0123456789+abcdefXYZ";

fn planted_credentials() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The standard chain reads these first; nothing else of the machine is looked at.
        std::env::set_var("AWS_ACCESS_KEY_ID", KEY_ID);
        std::env::set_var("AWS_SECRET_ACCESS_KEY", SECRET);
        std::env::set_var("AWS_SESSION_TOKEN", TOKEN);
        std::env::set_var("AWS_REGION", "us-east-1");
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/iamspec-test-config");
        std::env::set_var(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/iamspec-test-credentials",
        );
    });
}

fn oracle(endpoint: &Endpoint, cache: Option<&std::path::Path>) -> AwsOracle {
    planted_credentials();
    AwsOracle::new(AwsSettings {
        client: ClientSettings {
            endpoint_url: Some(endpoint.url.clone()),
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            attempt_timeout: Duration::from_millis(1500),
            ..ClientSettings::default()
        },
        cache: cache.map(|p| p.to_path_buf()),
        min_interval: Duration::ZERO,
        date: "2026-11-26".into(),
        ..AwsSettings::default()
    })
    .unwrap()
}

fn case() -> Case {
    serde_json::from_str(
        r#"{"description":"d","source":{"kind":"seeds","ref":"r"},"features":[],
            "principal":{"arn":"arn:aws:iam::111122223333:user/alice"},
            "policies":{"identity":[{"id":"P","document":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\"}]}"}]},
            "requests":[
              {"name":"get","action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k"},"expect":{"decision":"allowed"}},
              {"name":"put","action":"s3:PutObject","resource":{"arn":"arn:aws:s3:::b/k"},"expect":{"decision":"implicitDeny"}},
              {"name":"delete","action":"s3:DeleteObject","resource":{"arn":"arn:aws:s3:::b/other"},"expect":{"decision":"explicitDeny"}}
            ]}"#,
    )
    .unwrap()
}

fn no_plant(_: &str, _: &str) -> Option<&'static str> {
    None
}

fn assert_clean(text: &str) {
    for planted in [KEY_ID, SECRET, TOKEN] {
        assert!(
            !text.contains(planted),
            "a planted credential leaked: {text}"
        );
    }
}

#[test]
fn one_call_decides_every_action_and_resource_and_statements_map_back() {
    let endpoint = Endpoint::start(|seen, _| simulate(&seen.body, no_plant));
    let mut o = oracle(&endpoint, None);
    let answers = o.decide(&case()).unwrap();
    let decisions: Vec<_> = answers.iter().map(Answer::decision).collect();
    assert_eq!(
        decisions,
        [
            Some(Decision::Allowed),
            Some(Decision::ImplicitDeny),
            Some(Decision::ExplicitDeny)
        ]
    );
    let Answer::Decided(get) = &answers[0] else {
        panic!()
    };
    let matched = get.matched.as_ref().unwrap();
    assert_eq!((matched[0].policy.as_str(), matched[0].statement), ("P", 0));
    let Answer::Decided(delete) = &answers[2] else {
        panic!()
    };
    assert_eq!(delete.matched.as_ref().unwrap()[0].statement, 1);
    assert_eq!(endpoint.count(), 1, "three requests, one call");
    assert_eq!(o.usage().calls, 1);
    assert_eq!(o.usage().decisions_answered, 3);
    assert_eq!(o.usage().decisions_simulated, 6, "3 actions x 2 resources");
    // The credentials went out only as a signature: the planted secret is nowhere in the request.
    let seen = endpoint.seen.lock().unwrap();
    let wire = format!("{:?}", *seen);
    assert!(!wire.contains(SECRET));
}

#[test]
fn a_rerun_with_the_cache_costs_no_call() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::start(|seen, _| simulate(&seen.body, no_plant));
    let first = oracle(&endpoint, Some(dir.path())).decide(&case()).unwrap();
    assert_eq!(endpoint.count(), 1);
    let mut again = oracle(&endpoint, Some(dir.path()));
    assert_eq!(again.decide(&case()).unwrap(), first);
    assert_eq!(endpoint.count(), 1, "answered from the cache");
    assert_eq!(again.usage().calls, 0);
    // A shrink candidate that only drops requests is answered from the cache too.
    let mut fewer = case();
    fewer.requests.remove(1);
    again.decide(&fewer).unwrap();
    assert_eq!(endpoint.count(), 1);
    // No credential in the cache files.
    for entry in walk(dir.path()) {
        assert_clean(&std::fs::read_to_string(entry).unwrap());
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

/// Runs the case against an endpoint whose first `faults` replies are `fault`, then answers.
fn with_faults(
    fault: fn(&aws_support::Seen) -> Reply,
    faults: usize,
) -> (Result<Vec<Answer>, String>, usize) {
    let endpoint = Endpoint::start(move |seen, n| {
        if n < faults {
            fault(seen)
        } else {
            simulate(&seen.body, no_plant)
        }
    });
    let result = oracle(&endpoint, None)
        .decide(&case())
        .map_err(|c| c.to_string());
    (result, endpoint.count())
}

fn throttled(_: &aws_support::Seen) -> Reply {
    Reply::Http {
        status: 400,
        body: error_xml("Throttling", "Rate exceeded"),
    }
}

fn server_error(_: &aws_support::Seen) -> Reply {
    Reply::Http {
        status: 500,
        body: error_xml("ServiceFailure", "internal"),
    }
}

#[test]
fn throttling_and_5xx_are_retried_then_answered() {
    for fault in [
        throttled as fn(&aws_support::Seen) -> Reply,
        server_error,
        |_| Reply::Reset,
    ] {
        let (result, calls) = with_faults(fault, 2);
        let answers = result.unwrap();
        assert_eq!(answers[0].decision(), Some(Decision::Allowed));
        assert_eq!(calls, 3, "two faults, then the answer");
    }
}

fn could_not(answers: &[Answer]) -> Vec<NoAnswer> {
    answers
        .iter()
        .map(|a| match a {
            Answer::CouldNot(c) => {
                assert_clean(&c.message);
                assert_clean(c.detail.as_deref().unwrap_or(""));
                c.why
            }
            other => panic!("expected could not answer, got {other:?}"),
        })
        .collect()
}

#[test]
fn faults_past_the_retries_are_could_not_answer() {
    let (r, calls) = with_faults(throttled, 10);
    assert_eq!(could_not(&r.unwrap()), [NoAnswer::Unavailable; 3]);
    assert_eq!(calls, 3, "the SDK's standard mode tries three times");
    let (r, _) = with_faults(server_error, 10);
    assert_eq!(could_not(&r.unwrap()), [NoAnswer::Errored; 3]);
    let (r, _) = with_faults(|_| Reply::Reset, 10);
    assert_eq!(could_not(&r.unwrap()), [NoAnswer::Unavailable; 3]);
    let (r, _) = with_faults(|_| Reply::Hang(Duration::from_secs(3)), 10);
    assert_eq!(could_not(&r.unwrap()), [NoAnswer::TimedOut; 3]);
    let (r, _) = with_faults(
        |_| {
            Reply::Http { status: 200, body: "<SimulateCustomPolicyResponse><SimulateCustomPolicyResult><EvaluationResults><member><EvalAct".into() }
        },
        10,
    );
    assert_eq!(could_not(&r.unwrap()), [NoAnswer::Garbage; 3]);
}

#[test]
fn an_expired_token_stops_the_calls_and_leaks_nothing() {
    // The endpoint echoes the request's headers (the signature, the token) in its message.
    let endpoint = Endpoint::start(|seen, _| Reply::Http {
        status: 403,
        body: error_xml(
            "ExpiredToken",
            &format!(
                "The security token included in the request is expired: {}",
                seen.headers.join(" ")
            ),
        ),
    });
    let mut o = oracle(&endpoint, None);
    let answers = o.decide(&case()).unwrap();
    assert_eq!(could_not(&answers), [NoAnswer::Unavailable; 3]);
    let calls = endpoint.count();
    let more = o.decide(&case()).unwrap();
    could_not(&more);
    assert_eq!(
        endpoint.count(),
        calls,
        "no call after the credentials failed"
    );
}

fn page(marker: Option<&str>, truncated: bool, action: &str, decision: &str) -> String {
    format!(
        "<SimulateCustomPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><SimulateCustomPolicyResult><IsTruncated>{truncated}</IsTruncated>{}<EvaluationResults><member><EvalActionName>{action}</EvalActionName><EvalResourceName>arn:aws:s3:::b/k</EvalResourceName><EvalDecision>{decision}</EvalDecision><MatchedStatements/><MissingContextValues/></member></EvaluationResults></SimulateCustomPolicyResult></SimulateCustomPolicyResponse>",
        marker.map(|m| format!("<Marker>{m}</Marker>")).unwrap_or_default()
    )
}

fn one_resource_case() -> Case {
    let mut c = case();
    c.requests.truncate(2);
    c
}

#[test]
fn pages_are_followed_and_a_truncated_page_without_marker_is_garbage() {
    // The older shape (one EvaluationResult per action and resource), over two pages.
    let endpoint = Endpoint::start(|seen, _| {
        let body = if seen.body.contains("Marker=m1") {
            page(None, false, "s3:PutObject", "implicitDeny")
        } else {
            page(Some("m1"), true, "s3:GetObject", "allowed")
        };
        Reply::Http { status: 200, body }
    });
    let mut o = oracle(&endpoint, None);
    let answers = o.decide(&one_resource_case()).unwrap();
    assert_eq!(answers[0].decision(), Some(Decision::Allowed));
    assert_eq!(answers[1].decision(), Some(Decision::ImplicitDeny));
    assert_eq!(o.usage().calls, 2, "two pages");
    let endpoint = Endpoint::start(|_, _| Reply::Http {
        status: 200,
        body: page(None, true, "s3:GetObject", "allowed"),
    });
    let answers = oracle(&endpoint, None)
        .decide(&one_resource_case())
        .unwrap();
    assert_eq!(could_not(&answers), [NoAnswer::Garbage; 2]);
}

#[test]
fn a_policy_the_simulator_rejects_is_a_rejection_and_the_budget_is_hard() {
    let endpoint = Endpoint::start(|_, _| Reply::Http {
        status: 400,
        body: error_xml("InvalidInput", "Syntax errors in policy."),
    });
    let answers = oracle(&endpoint, None).decide(&case()).unwrap();
    assert!(answers
        .iter()
        .all(|a| matches!(a, Answer::Rejected(r) if r.error == "other")));
    let endpoint = Endpoint::start(|seen, _| simulate(&seen.body, no_plant));
    planted_credentials();
    let mut capped = AwsOracle::new(AwsSettings {
        client: ClientSettings {
            endpoint_url: Some(endpoint.url.clone()),
            ..ClientSettings::default()
        },
        max_calls: Some(0),
        ..AwsSettings::default()
    })
    .unwrap();
    let answers = capped.decide(&case()).unwrap();
    assert_eq!(could_not(&answers), [NoAnswer::Unavailable; 3]);
    assert_eq!(endpoint.count(), 0);
    assert_eq!(capped.usage().calls_refused, 1);
}
