//! The oracles: whoever answers "decide this case", per request — the reference evaluator
//! ([`reference::ReferenceOracle`]), a third-party evaluator program speaking the protocol
//! ([`process::ProcessOracle`]), or a replay of recorded answers ([`replay::ReplayOracle`],
//! written by [`recorder::RecordingOracle`]).
//!
//! The trait ([`Oracle`]) and the answer ([`Answer`]: a decision, a rejection of a policy, or
//! [`CouldNotAnswer`] with its [`NoAnswer`] reason) are defined once, in `iamspec-format`, so
//! that an evaluator outside this project implements the same ones; they are re-exported here.
//! "The other side could not answer" is a value of its own and is never a disagreement; judging
//! answers is the one checker's job ([`crate::run::compare`]).
//!
//! - `reference`: the reference evaluator, in process;
//! - `process`: a program speaking the protocol (the client, its JSON Schemas);
//! - `replay`, `recorder`: answers recorded with `--record`, read back by case hash;
//! - `adapters`: the bundled adapters, found by name;
//! - `spec`: the `--oracle` value (`adapter:NAME`, `command:CMD`, `replay:FILE`).

pub mod adapters;
#[cfg(feature = "aws")]
pub mod aws;
pub mod process;
pub mod recorder;
pub mod reference;
pub mod replay;
pub mod spec;

pub use iamspec_format::answer::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer};
pub use iamspec_format::oracle::{Oracle, OracleInfo};

/// Cases the oracles' tests share.
#[cfg(test)]
pub(crate) mod test_cases {
    use iamspec_format::Case;

    /// A case with one identity policy and two requests (GetObject expected allowed, PutObject
    /// expected implicitly denied).
    pub(crate) fn case(policy: &str) -> Case {
        serde_json::from_str(&format!(
            r#"{{"description":"d","source":{{"kind":"seeds","ref":"r"}},"features":[],
                "principal":{{"arn":"arn:aws:iam::111122223333:user/a"}},
                "policies":{{"identity":[{{"id":"P","document":{policy}}}]}},
                "requests":[
                  {{"name":"get","action":"s3:GetObject","resource":{{"arn":"arn:aws:s3:::b/k"}},"expect":{{"decision":"allowed"}}}},
                  {{"name":"put","action":"s3:PutObject","resource":{{"arn":"arn:aws:s3:::b/k"}},"expect":{{"decision":"implicitDeny"}}}}
                ]}}"#
        ))
        .unwrap()
    }

    /// An identity policy allowing `s3:GetObject` on everything.
    pub(crate) const ALLOW_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
}
