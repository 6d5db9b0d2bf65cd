//! # iamspec — the reference evaluator
//!
//! An executable specification of AWS IAM policy evaluation. This crate parses and validates
//! policy documents the way AWS does ([`policy`]), matches actions and resources
//! ([`matching`]), evaluates condition blocks ([`condition`]) with policy variables
//! ([`variables`]) over typed request context ([`context`]), and decides requests
//! ([`authorize`]) with an explanation in the vocabulary of AWS's policy simulator
//! ([`explain`]).
//!
//! The library is synchronous and free of I/O: it never reads files, the network or the clock.
//! What a request says is all there is — the evaluator invents no context key.
//!
//! ```
//! use iamspec::{authorize::{authorize, PolicySet}, policy::{parse_policy, PolicyType}, request::Request};
//!
//! let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#;
//! let policy = parse_policy(doc, PolicyType::Identity).expect("valid policy");
//! let set = PolicySet::identity_only(vec![("Managers".to_string(), policy)]);
//! let request = Request::new("arn:aws:iam::111122223333:user/alice", "ec2:DescribeInstances", "*");
//! let response = authorize(&set, &request).expect("supported request");
//! assert_eq!(response.decision, iamspec::explain::Decision::Allowed);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod authorize;
pub mod condition;
pub mod context;
pub mod explain;
pub mod matching;
pub mod organizations;
pub mod policy;
pub mod principal;
pub mod principal_context;
pub mod request;
pub mod resource_policy;
pub mod scenario;
pub mod service_data;
pub mod suggest;
pub mod values;
pub mod variables;
pub mod why_not;
