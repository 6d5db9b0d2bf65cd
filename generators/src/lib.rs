//! # iamspec-generators — random but meaningful IAM policies and requests
//!
//! Following cedar-spec's approach, a case is drawn **world first**: accounts, principals with
//! tags, resources with real ARN shapes and attribute values ([`world`]); then the case's caller
//! and focus actions; then the policy set ([`policy`], [`condition`]); then a batch of requests
//! ([`request`]) — all from shared pools ([`keys`], [`values`], `data/samples.json`) and the
//! service data of `data/services.json` ([`vocabulary`]), so that the ARNs, tags and values in
//! the policies meet those in the requests, some exactly and some one step away ([`mutate`]).
//!
//! One generator, three front ends ([`strategy`]): proptest strategies (shrinking toward small
//! cases), `arbitrary::Arbitrary` (fuzzing), and [`generate_cases`] / [`cases`] (a seeded ChaCha stream per case index,
//! lazily).
//!
//! ## What the CLI calls
//!
//! ```no_run
//! use iamspec_generators::{generate_cases, coverage_stats, serialise, settings::Settings, Via};
//! // iamspec gen --count N --seed S --out DIR [--preset well-formed|adversarial|identity-only]
//! let settings = Settings::preset("well-formed").expect("known preset");
//! let cases = generate_cases(&settings, 42, 100);
//! let paths = serialise::write_cases(&cases, std::path::Path::new("corpus/triage/generated"))
//!     .expect("written");
//! // iamspec gen --stats
//! println!("{}", coverage_stats(&cases, Via::Model));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod case;
pub mod condition;
pub mod domains;
pub mod features;
pub mod gen;
pub mod invalid;
pub mod keys;
pub mod model;
pub mod mutate;
pub mod plain_caller;
pub mod plain_statement;
pub mod policy;
pub mod realism;
pub mod render;
pub mod request;
pub mod same_account;
pub mod serialise;
pub mod settings;
pub mod shrink;
pub mod stats;
pub mod strategy;
pub mod values;
pub mod vocabulary;
pub mod world;

pub use case::{cases, generate_case_at, generate_cases, GeneratedCase, Outcome, Via};
pub use settings::{Settings, Switch};
pub use stats::{coverage_stats, CoverageStats};
