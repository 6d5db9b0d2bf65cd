//! The AWS oracle through `aws-smithy-http-client`'s `StaticReplayClient`: the real SDK client
//! parses responses built from the IAM API reference's documented shapes.
//!
//! SYNTHETIC fixtures (never recorded from AWS): `SimulatePolicyResponse` inside
//! `SimulateCustomPolicyResult` / `SimulatePrincipalPolicyResult` (botocore's IAM model,
//! `botocore/data/iam/2010-05-08/service-2.json`): the newer shape (one `EvaluationResult` per
//! action, per-resource decisions in `ResourceSpecificResults`, `EvalDecisionDetails`,
//! `PermissionsBoundaryDecisionDetail`, `OrganizationsDecisionDetail`) and the older one (one
//! `EvaluationResult` per action and resource), with a `SourcePolicyType` outside the documented
//! list (`IAM Policy`, as live responses carry).
#![cfg(feature = "aws")]

use std::time::Duration;

use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::body::SdkBody;
use iamspec_format::protocol::Decision;
use iamspec_format::Case;
use iamspec_harness::oracle::aws::client::ClientSettings;
use iamspec_harness::oracle::aws::request::Target;
use iamspec_harness::oracle::aws::{AwsOracle, AwsSettings};
use iamspec_harness::oracle::{Answer, Oracle};

const POLICY: &str = "{\"Version\":\"2012-10-17\",\"Statement\":[\n{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"},\n{\"Sid\":\"NoPublic\",\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/public/*\"}\n]}";

fn case() -> Case {
    let policy = serde_json::to_string(POLICY).unwrap();
    serde_json::from_str(&format!(
        r#"{{"description":"d","source":{{"kind":"seeds","ref":"r"}},"features":[],
            "principal":{{"arn":"arn:aws:iam::111122223333:user/alice"}},
            "policies":{{"identity":[{{"id":"Reader","document":{policy}}}],
                         "permissions_boundary":{{"id":"Boundary","document":"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}]}}"}}}},
            "requests":[
              {{"name":"private","action":"s3:GetObject","resource":{{"arn":"arn:aws:s3:::b/private/k"}},"expect":{{"decision":"allowed"}}}},
              {{"name":"public","action":"s3:GetObject","resource":{{"arn":"arn:aws:s3:::b/public/k"}},"expect":{{"decision":"explicitDeny"}}}}
            ]}}"#
    ))
    .unwrap()
}

fn statement(line: i32, column: i32, end_column: i32) -> String {
    format!(
        "<member><SourcePolicyId>PolicyInputList.1</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType>\
         <StartPosition><Line>{line}</Line><Column>{column}</Column></StartPosition>\
         <EndPosition><Line>{line}</Line><Column>{end_column}</Column></EndPosition></member>"
    )
}

fn newer_shape(operation: &str) -> String {
    format!(
        "<{operation}Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><{operation}Result>\
         <IsTruncated>false</IsTruncated><EvaluationResults><member>\
           <EvalActionName>s3:GetObject</EvalActionName>\
           <EvalResourceName>arn:${{Partition}}:s3:::${{BucketName}}/${{ObjectName}}</EvalResourceName>\
           <EvalDecision>explicitDeny</EvalDecision>\
           <MatchedStatements>{deny}</MatchedStatements><MissingContextValues/>\
           <OrganizationsDecisionDetail><AllowedByOrganizations>true</AllowedByOrganizations></OrganizationsDecisionDetail>\
           <PermissionsBoundaryDecisionDetail><AllowedByPermissionsBoundary>true</AllowedByPermissionsBoundary></PermissionsBoundaryDecisionDetail>\
           <EvalDecisionDetails><entry><key>IAM Policy</key><value>explicitDeny</value></entry></EvalDecisionDetails>\
           <ResourceSpecificResults>\
             <member><EvalResourceName>arn:aws:s3:::b/private/k</EvalResourceName><EvalResourceDecision>allowed</EvalResourceDecision>\
               <MatchedStatements>{allow}</MatchedStatements><MissingContextValues/>\
               <PermissionsBoundaryDecisionDetail><AllowedByPermissionsBoundary>true</AllowedByPermissionsBoundary></PermissionsBoundaryDecisionDetail></member>\
             <member><EvalResourceName>arn:aws:s3:::b/public/k</EvalResourceName><EvalResourceDecision>explicitDeny</EvalResourceDecision>\
               <MatchedStatements>{deny}</MatchedStatements><MissingContextValues/></member>\
           </ResourceSpecificResults>\
         </member></EvaluationResults></{operation}Result>\
         <ResponseMetadata><RequestId>synthetic-1</RequestId></ResponseMetadata></{operation}Response>",
        allow = statement(2, 1, 85),
        deny = statement(3, 1, 95),
    )
}

fn older_shape() -> String {
    let member = |resource: &str, decision: &str, matched: String| {
        format!(
            "<member><EvalActionName>s3:GetObject</EvalActionName><EvalResourceName>{resource}</EvalResourceName>\
             <EvalDecision>{decision}</EvalDecision><MatchedStatements>{matched}</MatchedStatements>\
             <MissingContextValues/><EvalDecisionDetails/></member>"
        )
    };
    format!(
        "<SimulateCustomPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><SimulateCustomPolicyResult>\
         <IsTruncated>false</IsTruncated><EvaluationResults>{}{}</EvaluationResults></SimulateCustomPolicyResult>\
         <ResponseMetadata><RequestId>synthetic-2</RequestId></ResponseMetadata></SimulateCustomPolicyResponse>",
        member("arn:aws:s3:::b/private/k", "allowed", statement(2, 1, 85)),
        member("arn:aws:s3:::b/public/k", "explicitDeny", statement(3, 1, 95)),
    )
}

fn replay(body: String) -> StaticReplayClient {
    StaticReplayClient::new(vec![ReplayEvent::new(
        http::Request::builder()
            .uri("https://iam.amazonaws.com/")
            .body(SdkBody::empty())
            .unwrap(),
        http::Response::builder()
            .status(200)
            .body(SdkBody::from(body))
            .unwrap(),
    )])
}

fn oracle(client: &StaticReplayClient, target: Target) -> AwsOracle {
    std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDEXAMPLEREPLAY");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "replay-secret");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/iamspec-test-config");
    AwsOracle::new(AwsSettings {
        client: ClientSettings {
            region: Some("us-east-1".into()),
            http_client: Some(SharedHttpClient::new(client.clone())),
            initial_backoff: Duration::from_millis(1),
            ..ClientSettings::default()
        },
        target,
        min_interval: Duration::ZERO,
        ..AwsSettings::default()
    })
    .unwrap()
}

fn check(answers: &[Answer]) {
    let Answer::Decided(private) = &answers[0] else {
        panic!("{answers:?}")
    };
    assert_eq!(private.decision, Decision::Allowed);
    let m = &private.matched.as_ref().unwrap()[0];
    assert_eq!(
        (m.policy.as_str(), m.statement, m.sid.as_deref()),
        ("Reader", 0, Some("Read"))
    );
    let Answer::Decided(public) = &answers[1] else {
        panic!("{answers:?}")
    };
    assert_eq!(public.decision, Decision::ExplicitDeny);
    let m = &public.matched.as_ref().unwrap()[0];
    assert_eq!((m.policy.as_str(), m.statement), ("Reader", 1));
}

#[test]
fn the_newer_response_shape_is_read_per_resource() {
    let client = replay(newer_shape("SimulateCustomPolicy"));
    let answers = oracle(&client, Target::Custom).decide(&case()).unwrap();
    check(&answers);
    let Answer::Decided(private) = &answers[0] else {
        panic!()
    };
    assert!(private
        .message
        .as_deref()
        .unwrap()
        .contains("AllowedByPermissionsBoundary=true"));
    // What was sent: one call, both resources, the boundary, the policy text as given.
    let sent: Vec<_> = client.actual_requests().collect();
    assert_eq!(sent.len(), 1);
    let body = std::str::from_utf8(sent[0].body().bytes().unwrap()).unwrap();
    assert!(body.contains("Action=SimulateCustomPolicy"), "{body}");
    assert!(body.contains("ResourceArns.member.2="), "{body}");
    assert!(
        body.contains("PermissionsBoundaryPolicyInputList.member.1="),
        "{body}"
    );
}

#[test]
fn the_older_response_shape_is_still_accepted() {
    let client = replay(older_shape());
    check(&oracle(&client, Target::Custom).decide(&case()).unwrap());
}

#[test]
fn simulate_principal_policy_leaves_the_sandbox_principals_policies_out() {
    let client = replay(newer_shape("SimulatePrincipalPolicy"));
    let target = Target::Principal {
        arn: "arn:aws:iam::111122223333:user/iamspec-sandbox".into(),
    };
    check(&oracle(&client, target).decide(&case()).unwrap());
    let sent: Vec<_> = client.actual_requests().collect();
    let body = std::str::from_utf8(sent[0].body().bytes().unwrap()).unwrap();
    assert!(body.contains("Action=SimulatePrincipalPolicy"), "{body}");
    assert!(
        body.contains("PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Fiamspec-sandbox"),
        "{body}"
    );
    assert!(
        body.contains("PolicyExclusionList.member.1.PolicyType=inline"),
        "{body}"
    );
    assert!(
        !body.contains("PolicyExclusionList.member.1.member="),
        "{body}"
    );
}
