//! Writing generated cases in the corpus format (`iamspec_format::Case`): policies as document
//! objects (invalid ones as strings), requests with their context, the reference evaluator's
//! answer as the expectation, `source.kind = "triage"`, `source.oracle = "reference"`, the seed
//! and the generator's version, and a note that the expectations are unconfirmed.
//!
//! Expectations come from the written text through `parse_policy` ([`Via::Text`]), exactly as the
//! corpus runner will read them. This module does not generate or decide anything itself.

use std::path::{Path, PathBuf};

use iamspec::context::ContextEntry;
use iamspec::explain::Response;
use iamspec::request::PrincipalType;
use iamspec_format::{
    Case, CaseOrganization, CaseOrganizationAccount, CasePolicies, CasePolicy, CasePrincipal,
    CaseRequest, CaseResource, ContextItem, Expect, ExpectedDecision, MatchedStatement, Source,
    SourceKind,
};
use serde_json::value::RawValue;

use crate::case::{GeneratedCase, Outcome, Via};
use crate::features;
use crate::policy::{Document, GenPolicy};
use crate::render::policy_text;

/// The version of this crate, recorded as `source.generator`.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The note every generated case carries.
pub const UNCONFIRMED_NOTE: &str = "Generated case: the expectations are the reference \
evaluator's own answer (iamspec, policies read from the text below), unconfirmed by AWS or any \
peer. Never count it as conformance; confirm it against AWS before moving it out of triage.";

/// Why a case could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// A file could not be written.
    Io(std::io::Error),
    /// JSON could not be produced.
    Json(serde_json::Error),
    /// Every request of the case was undecidable.
    NothingToExpect,
}

impl std::error::Error for WriteError {}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Io(e) => write!(f, "cannot write the case: {e}"),
            WriteError::Json(e) => write!(f, "cannot serialise the case: {e}"),
            WriteError::NothingToExpect => f.write_str("no request of the case could be decided"),
        }
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

impl From<serde_json::Error> for WriteError {
    fn from(e: serde_json::Error) -> Self {
        WriteError::Json(e)
    }
}

fn principal_type_name(kind: PrincipalType) -> &'static str {
    match kind {
        PrincipalType::User => "user",
        PrincipalType::Role => "role",
        PrincipalType::AssumedRole => "assumed-role",
        PrincipalType::FederatedUser => "federated-user",
        PrincipalType::Root => "root",
        PrincipalType::Service => "service",
        PrincipalType::Anonymous => "anonymous",
        PrincipalType::WebIdentity => "web-identity",
        PrincipalType::Saml => "saml",
    }
}

fn case_policy(p: &GenPolicy) -> Result<CasePolicy, serde_json::Error> {
    let text = policy_text(p);
    let document = match &p.document {
        Document::Model { .. } => RawValue::from_string(text)?,
        // Invalid text may not be JSON at all: keep it as a JSON string.
        Document::Invalid { .. } => RawValue::from_string(serde_json::to_string(&text)?)?,
    };
    Ok(CasePolicy {
        id: p.id.clone(),
        document,
        inline: None,
    })
}

fn context_items(entries: &[ContextEntry]) -> Vec<ContextItem> {
    entries
        .iter()
        .map(|e| ContextItem {
            key: e.key.clone(),
            key_type: e.key_type.name().to_string(),
            values: e.values.clone(),
        })
        .collect()
}

fn expect_of(
    decision: iamspec::explain::Decision,
    matched: &[iamspec::explain::MatchedStatement],
    missing: &[String],
) -> Expect {
    Expect::Decision(ExpectedDecision {
        decision,
        matched: Some(
            matched
                .iter()
                .map(|m| MatchedStatement {
                    sid: m.sid.clone(),
                    ..MatchedStatement::new(m.policy.clone(), m.statement)
                })
                .collect(),
        ),
        missing_context: Some(missing.to_vec()),
    })
}

fn response_expect(r: &Response) -> Expect {
    expect_of(r.decision, &r.matched, &r.missing_context)
}

/// The case file for a generated case, with the reference evaluator's answer (read from the
/// written text) as expectations. Undecidable requests are left out.
pub fn to_case(case: &GeneratedCase) -> Result<Case, WriteError> {
    let outcome = case.outcome(Via::Text);
    let vocabulary = features::corpus_vocabulary();
    let features: Vec<String> = features::detect(case, &outcome)
        .into_iter()
        .filter(|t| vocabulary.contains(t))
        .collect();
    let ps = &case.policies;
    let level = |levels: &[Vec<GenPolicy>]| {
        levels
            .iter()
            .map(|l| l.iter().map(case_policy).collect::<Result<Vec<_>, _>>())
            .collect::<Result<Vec<_>, _>>()
    };
    let policies = CasePolicies {
        identity: ps
            .identity
            .iter()
            .map(case_policy)
            .collect::<Result<_, _>>()?,
        resource: ps.resource.as_ref().map(case_policy).transpose()?,
        resource_kind: None,
        permissions_boundary: ps
            .permissions_boundary
            .as_ref()
            .map(case_policy)
            .transpose()?,
        session: ps
            .session
            .iter()
            .map(case_policy)
            .collect::<Result<_, _>>()?,
        scps: level(&ps.scps)?,
        rcps: level(&ps.rcps)?,
        organizations: ps
            .organizations
            .iter()
            .map(|o| {
                Ok(CaseOrganization {
                    id: o.id.clone(),
                    management_account: o.management_account.clone(),
                    accounts: o
                        .accounts
                        .iter()
                        .map(|a| {
                            Ok(CaseOrganizationAccount {
                                account: a.account.clone(),
                                scps: level(&a.scps)?,
                                rcps: level(&a.rcps)?,
                            })
                        })
                        .collect::<Result<_, serde_json::Error>>()?,
                })
            })
            .collect::<Result<_, serde_json::Error>>()?,
        vpc_endpoint: ps.vpc_endpoint.as_ref().map(case_policy).transpose()?,
    };
    let mut requests = Vec::new();
    for (i, r) in case.requests.iter().enumerate() {
        let (expect, per_resource): (Expect, Option<&Response>) = match &outcome {
            Outcome::Rejected { kind, .. } => (Expect::error(kind.name()), None),
            Outcome::Decided(responses) => match &responses[i] {
                Ok(response) => (response_expect(response), Some(response)),
                Err(_) => continue,
            },
        };
        let mut resources: Vec<CaseResource> = r
            .resources
            .iter()
            .map(|res| CaseResource {
                arn: res.arn.clone(),
                owner: res.owner.clone(),
                context: context_items(&res.context),
                expect: None,
            })
            .collect();
        let (resource, resources) = if resources.len() == 1 {
            (resources.pop(), None)
        } else {
            if let Some(response) = per_resource {
                for (res, decided) in resources.iter_mut().zip(&response.resources) {
                    res.expect = Some(expect_of(
                        decided.decision,
                        &decided.matched,
                        &decided.missing_context,
                    ));
                }
            }
            (None, Some(resources))
        };
        requests.push(CaseRequest {
            name: r.name.clone(),
            description: r.mutation.as_ref().map(|m| {
                format!(
                    "near miss ({m}): {}",
                    r.mutation_detail.as_deref().unwrap_or("")
                )
            }),
            action: r.action.clone(),
            resource,
            resources,
            context: context_items(&r.context),
            expect,
        });
    }
    if requests.is_empty() {
        return Err(WriteError::NothingToExpect);
    }
    let seed = case.seed.unwrap_or(0);
    let actions: Vec<&str> = {
        let mut a: Vec<&str> = case.requests.iter().map(|r| r.action.as_str()).collect();
        a.dedup();
        a
    };
    Ok(Case {
        schema: None,
        description: format!(
            "Generated case {seed}/{}: {} {} calls {}",
            case.index,
            principal_type_name(case.caller.kind),
            case.caller.arn,
            actions.join(", ")
        ),
        source: Source {
            kind: SourceKind::Triage,
            reference: format!(
                "iamspec-generators {GENERATOR_VERSION}, seed {seed}, case {}",
                case.index
            ),
            url: None,
            date: None,
            api: None,
            region: None,
            oracle: Some("reference".into()),
            seed: case.seed,
            generator: Some(GENERATOR_VERSION.to_string()),
            notes: Some(notes(case)),
        },
        features,
        principal: CasePrincipal {
            arn: case.caller.arn.clone(),
            principal_type: Some(principal_type_name(case.caller.kind).to_string()),
            account: (!case.caller.account.is_empty()).then(|| case.caller.account.clone()),
            role: case.caller.role_arn.clone(),
            management_account: case.caller.management_account,
            user: crate::world::federating_user(&case.caller)
                .filter(|user| named_in_policies(case, user)),
            unique_id: crate::world::unique_id(&case.caller)
                .filter(|id| named_in_policies(case, id)),
            canonical_user: crate::world::canonical_user(&case.caller.account)
                .filter(|c| named_in_policies(case, c)),
        },
        policies,
        requests,
    })
}

/// True when a `Principal`/`NotPrincipal` of the case's policies lists `value`: the caller's
/// other identities (`principal.user`, `unique_id`, `canonical_user`) are written only then, since
/// nothing else reads them, and evaluators that cannot take them (the AWS simulator, the
/// adapters) skip a case that has them.
fn named_in_policies(case: &GeneratedCase, value: &str) -> bool {
    case.policies.all().filter_map(|p| p.model()).any(|policy| {
        policy.statements.iter().any(|s| match &s.principal {
            Some(
                iamspec::policy::PrincipalBlock::Principal(iamspec::policy::PrincipalSpec::Map(
                    entries,
                ))
                | iamspec::policy::PrincipalBlock::NotPrincipal(iamspec::policy::PrincipalSpec::Map(
                    entries,
                )),
            ) => entries
                .iter()
                .any(|(_, values)| values.iter().any(|v| v == value)),
            _ => false,
        })
    })
}

/// The case's note: [`UNCONFIRMED_NOTE`], and for a case that breaks realism rules (the
/// adversarial and well-formed presets; never the realistic one) which rules it breaks, so that
/// nobody sends it to AWS expecting an answer AWS could give.
pub fn notes(case: &GeneratedCase) -> String {
    let violations = crate::realism::violations(case);
    if violations.is_empty() {
        return UNCONFIRMED_NOTE.to_string();
    }
    let mut rules: Vec<&str> = violations.iter().map(|v| v.rule.name()).collect();
    rules.dedup();
    let mut seen = Vec::new();
    rules.retain(|r| {
        let new = !seen.contains(r);
        seen.push(*r);
        new
    });
    let first: Vec<String> = violations
        .iter()
        .take(5)
        .map(|v| format!("{} ({})", v.rule.name(), v.detail))
        .collect();
    format!(
        "{UNCONFIRMED_NOTE} Synthetic or impossible on purpose: this case breaks the realism \
rules {} (first: {}); AWS could not receive it as written, so a difference on it is about \
the input, not the decision.",
        rules.join(", "),
        first.join("; ")
    )
}

/// The case file's text (pretty JSON with a final newline).
pub fn case_json(case: &Case) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(case).map(|mut s| {
        s.push('\n');
        s
    })
}

/// The file name of a generated case: `gen-<seed>-<index>.json`.
pub fn file_name(case: &GeneratedCase) -> String {
    format!("gen-{}-{:05}.json", case.seed.unwrap_or(0), case.index)
}

/// Writes every case into `dir` (created if needed); returns the paths written. Cases none of
/// whose requests could be decided are skipped.
pub fn write_cases(cases: &[GeneratedCase], dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for case in cases {
        let file = match to_case(case) {
            Ok(file) => file,
            Err(WriteError::NothingToExpect) => continue,
            Err(e) => return Err(e),
        };
        let path = dir.join(file_name(case));
        std::fs::write(&path, case_json(&file)?)?;
        written.push(path);
    }
    Ok(written)
}
