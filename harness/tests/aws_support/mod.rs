//! Test support for the AWS oracle, offline: a scripted HTTP endpoint on 127.0.0.1 and a
//! synthetic simulator.
//!
//! SYNTHETIC: nothing here was recorded from AWS. The responses follow the shapes documented in
//! the IAM API reference (botocore's model `botocore/data/iam/2010-05-08/service-2.json`,
//! `SimulatePolicyResponse` wrapped in `SimulateCustomPolicyResult`, the IAM query protocol's
//! XML; errors as `ErrorResponse/Error/{Type,Code,Message}`), and the synthetic simulator's
//! decisions are the reference evaluator's, except where a test plants a disagreement.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use iamspec::scenario::{decide_case, ReferenceAnswer};
use iamspec_format::Case;

/// What the endpoint does with one request.
pub enum Reply {
    /// An HTTP response.
    Http { status: u16, body: String },
    /// Wait, then close without answering.
    Hang(Duration),
    /// Close the connection without answering.
    Reset,
}

/// One request the endpoint saw.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Header lines, as sent.
    pub headers: Vec<String>,
    /// The form body.
    pub body: String,
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

/// A scripted endpoint: `handler(request, n)` answers the `n`-th request (0-based).
pub struct Endpoint {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Every request seen.
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Endpoint {
    pub fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Endpoint {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let log = seen.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = handler.clone();
                let log = log.clone();
                thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Endpoint { url, seen }
    }

    /// How many requests it saw.
    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end().to_string();
            if line.is_empty() {
                break;
            }
            headers.push(line);
        }
        let length = headers
            .iter()
            .find_map(|h| {
                let (k, v) = h.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let seen = Seen {
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        let n = {
            let mut log = log.lock().unwrap();
            log.push(seen.clone());
            log.len() - 1
        };
        match handler(&seen, n) {
            Reply::Http { status, body } => {
                let text = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nx-amzn-requestid: synthetic-{n}\r\n\r\n{body}",
                    body.len()
                );
                if stream.write_all(text.as_bytes()).is_err() {
                    return;
                }
            }
            Reply::Hang(d) => {
                thread::sleep(d);
                return;
            }
            Reply::Reset => return,
        }
    }
}

/// The form body's parameters, decoded.
pub fn form(body: &str) -> BTreeMap<String, String> {
    body.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn list(form: &BTreeMap<String, String>, prefix: &str) -> Vec<String> {
    (1..)
        .map_while(|i| form.get(&format!("{prefix}.member.{i}")).cloned())
        .collect()
}

/// An `ErrorResponse` of the IAM query protocol.
pub fn error_xml(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{}</Message></Error><RequestId>synthetic</RequestId></ErrorResponse>",
        escape(message)
    )
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A planted disagreement: may change the decision of `action` (the reference's `decision`).
pub type Plant = fn(action: &str, decision: &str) -> Option<&'static str>;

/// The synthetic simulator's reply to a `SimulateCustomPolicy` form: the reference evaluator's
/// decision of every action × resource, as the documented response (one `EvaluationResult` per
/// action, per-resource decisions in `ResourceSpecificResults`), `plant` applied.
pub fn simulate(body: &str, plant: Plant) -> Reply {
    simulate_attached(body, plant, &|_| (Vec::new(), None))
}

/// What is attached to a principal of the synthetic account: its identity-based policies and
/// its permissions boundary (documents).
pub type Attached = dyn Fn(&str) -> (Vec<String>, Option<String>);

/// [`simulate`], for `SimulatePrincipalPolicy` also counting what `attached` says is attached
/// to `PolicySourceArn` (the identity policies unless `PolicyExclusionList` names `inline`,
/// `aws-managed` or `user-managed`; the boundary unless it names `permission-boundary`).
pub fn simulate_attached(body: &str, plant: Plant, attached: &Attached) -> Reply {
    let f = form(body);
    let operation = f.get("Action").cloned().unwrap_or_default();
    let mut identity = Vec::new();
    for (i, text) in list(&f, "PolicyInputList").into_iter().enumerate() {
        identity.push(
            serde_json::json!({"id": format!("PolicyInputList.{}", i + 1), "document": text}),
        );
    }
    let mut boundary = list(&f, "PermissionsBoundaryPolicyInputList")
        .into_iter()
        .next()
        .map(|t| serde_json::json!({"id": "PermissionsBoundaryPolicyInputList.1", "document": t}));
    if let Some(source) = f.get("PolicySourceArn") {
        // `PolicyExclusionList.member.N.PolicyType`, as the client writes it.
        let excluded: Vec<String> = f
            .iter()
            .filter(|(k, _)| k.starts_with("PolicyExclusionList."))
            .map(|(_, v)| v.clone())
            .collect();
        let (own, own_boundary) = attached(source);
        if !excluded
            .iter()
            .any(|e| matches!(e.as_str(), "inline" | "aws-managed" | "user-managed"))
        {
            for (i, text) in own.into_iter().enumerate() {
                identity.push(
                    serde_json::json!({"id": format!("Attached.{}", i + 1), "document": text}),
                );
            }
        }
        if !excluded.iter().any(|e| e == "permission-boundary") {
            if let Some(text) = own_boundary {
                boundary = Some(serde_json::json!({"id": "AttachedBoundary", "document": text}));
            }
        }
    }
    let resource = f
        .get("ResourcePolicy")
        .map(|t| serde_json::json!({"id": "ResourcePolicy", "document": t}));
    let scps: Vec<Vec<serde_json::Value>> = (1..)
        .map_while(|level| {
            let prefix = format!("OrderedOrganizationPolicyInputList.member.{level}.ServiceControlPolicyInputList");
            let docs = list(&f, &prefix);
            (!docs.is_empty()).then(|| {
                docs.into_iter()
                    .enumerate()
                    .map(|(i, t)| serde_json::json!({"id": format!("Scp.{level}.{}", i + 1), "document": t}))
                    .collect()
            })
        })
        .collect();
    let context: Vec<serde_json::Value> = (1..)
        .map_while(|i| {
            let key = f.get(&format!("ContextEntries.member.{i}.ContextKeyName"))?;
            let kind = f
                .get(&format!("ContextEntries.member.{i}.ContextKeyType"))
                .cloned()
                .unwrap_or_default();
            let values = list(&f, &format!("ContextEntries.member.{i}.ContextKeyValues"));
            Some(serde_json::json!({"key": key, "type": kind, "values": values}))
        })
        .collect();
    let caller = f
        .get("CallerArn")
        .cloned()
        .unwrap_or_else(|| "arn:aws:iam::111122223333:user/synthetic-caller".to_string());
    let owner = f
        .get("ResourceOwner")
        .and_then(|o| o.split(':').nth(4).map(str::to_string));
    let actions = list(&f, "ActionNames");
    let mut resources = list(&f, "ResourceArns");
    if resources.is_empty() {
        resources.push("*".to_string());
    }
    let mut requests = Vec::new();
    for a in &actions {
        for r in &resources {
            let mut res = serde_json::json!({"arn": r});
            if let Some(o) = &owner {
                res["owner"] = serde_json::json!(o);
            }
            requests.push(serde_json::json!({
                "name": format!("r{}", requests.len()), "action": a, "resource": res,
                // The case format needs an expectation; this one is never read (only decided).
                "context": context, "expect": {"decision": "implicitDeny"}
            }));
        }
    }
    let mut policies = serde_json::json!({"identity": identity, "scps": scps});
    if let Some(b) = boundary {
        policies["permissions_boundary"] = b;
    }
    if let Some(r) = resource {
        policies["resource"] = r;
    }
    let case: Case = serde_json::from_value(serde_json::json!({
        "description": "synthetic simulator", "source": {"kind": "seeds", "ref": "synthetic"},
        "features": [], "principal": {"arn": caller}, "policies": policies, "requests": requests
    }))
    .unwrap();
    let outcomes = decide_case(&case);
    let mut members = String::new();
    let mut k = 0;
    for a in &actions {
        let mut per_resource = String::new();
        let mut top = "allowed";
        for r in &resources {
            let outcome = &outcomes[k];
            k += 1;
            let response = match outcome {
                Ok(ReferenceAnswer::Decided(resp)) => resp,
                Ok(ReferenceAnswer::Rejected { policy, error }) => {
                    return Reply::Http {
                        status: 400,
                        body: error_xml(
                            "InvalidInput",
                            &format!("Syntax errors in policy. ({policy}: {})", error.message),
                        ),
                    }
                }
                Err(could_not) => {
                    return Reply::Http {
                        status: 400,
                        body: error_xml("InvalidInput", &format!("cannot simulate: {could_not}")),
                    }
                }
            };
            let decided = response.decision.to_string();
            let decision = plant(a, &decided).unwrap_or(match decided.as_str() {
                "allowed" => "allowed",
                "explicitDeny" => "explicitDeny",
                _ => "implicitDeny",
            });
            if decision == "explicitDeny" || (decision == "implicitDeny" && top == "allowed") {
                top = decision;
            }
            let matched: String = response
                .matched
                .iter()
                .filter(|m| !m.policy.starts_with("Scp."))
                .map(|m| (m, m.start.expect("the reference gives positions"), m.end.expect("the reference gives positions")))
                .map(|(m, start, end)| format!(
                    "<member><SourcePolicyId>{}</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType><StartPosition><Line>{}</Line><Column>{}</Column></StartPosition><EndPosition><Line>{}</Line><Column>{}</Column></EndPosition></member>",
                    m.policy, start.line, start.column, end.line, end.column
                ))
                .collect();
            let missing: String = response
                .missing_context
                .iter()
                .map(|k| format!("<member>{}</member>", escape(k)))
                .collect();
            per_resource.push_str(&format!(
                "<member><EvalResourceName>{}</EvalResourceName><EvalResourceDecision>{decision}</EvalResourceDecision><MatchedStatements>{matched}</MatchedStatements><MissingContextValues>{missing}</MissingContextValues><EvalDecisionDetails/></member>",
                escape(r)
            ));
        }
        members.push_str(&format!(
            "<member><EvalActionName>{}</EvalActionName><EvalResourceName>*</EvalResourceName><EvalDecision>{top}</EvalDecision><MatchedStatements/><MissingContextValues/><ResourceSpecificResults>{per_resource}</ResourceSpecificResults></member>",
            escape(a)
        ));
    }
    Reply::Http {
        status: 200,
        body: format!(
            "<{operation}Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><{operation}Result><IsTruncated>false</IsTruncated><EvaluationResults>{members}</EvaluationResults></{operation}Result><ResponseMetadata><RequestId>synthetic</RequestId></ResponseMetadata></{operation}Response>"
        ),
    }
}

/// Credentials a test plants in the binary's environment (to check that they never leak).
pub struct Planted<'a> {
    /// `AWS_ACCESS_KEY_ID`.
    pub key_id: &'a str,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret: &'a str,
    /// `AWS_SESSION_TOKEN`, if any.
    pub token: Option<&'a str>,
}

/// The `iamspec` binary with the user's own AWS configuration shut out (no profile, no config or
/// credentials file, no instance metadata; region us-east-1) and `credentials` planted, or no
/// credentials at all.
pub fn isolated_iamspec(credentials: Option<&Planted>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamspec"));
    cmd.env_remove("AWS_PROFILE")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/iamspec-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/iamspec-test-credentials",
        )
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_SESSION_TOKEN");
    match credentials {
        Some(planted) => {
            cmd.env("AWS_ACCESS_KEY_ID", planted.key_id)
                .env("AWS_SECRET_ACCESS_KEY", planted.secret);
            if let Some(token) = planted.token {
                cmd.env("AWS_SESSION_TOKEN", token);
            }
        }
        None => {
            cmd.env_remove("AWS_ACCESS_KEY_ID")
                .env_remove("AWS_SECRET_ACCESS_KEY");
        }
    }
    cmd
}

/// The arguments of `iamspec diff --oracle aws` over `count` identity-only cases of `seed` with
/// no rate limit, writing to `out`, followed by `extra`.
pub fn identity_only_diff_args(count: &str, seed: &str, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "diff",
        "--oracle",
        "aws",
        "--count",
        count,
        "--seed",
        seed,
        "--preset",
        "identity-only",
        "--aws-rate",
        "0",
        "--out",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(out.display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}
