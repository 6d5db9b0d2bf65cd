//! The types of a corpus case file (see `docs/case-format.md`).
//!
//! Every struct rejects unknown fields. Policy documents are kept as raw JSON text so that the
//! policy text a case gives is exactly the text the evaluator (and AWS) sees.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::expect::Expect;

/// One scenario: a policy set, a principal, and requests with their expected answers.
///
/// `E` is the type of the expectations: [`Expect`] (typed) everywhere except inside the loader,
/// which reads [`crate::ExpectFields`] first so that it can say where a bad one is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "E: Deserialize<'de>"))]
pub struct Case<E = Expect> {
    /// Optional pointer to the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What the scenario shows; unique across the corpus.
    pub description: String,
    /// Where the expectations come from.
    pub source: Source,
    /// Feature tags from the vocabulary (`corpus/features.json`).
    pub features: Vec<String>,
    /// Who makes the requests.
    pub principal: CasePrincipal,
    /// The policies in force.
    #[serde(default)]
    pub policies: CasePolicies,
    /// The requests, each with its expectation.
    pub requests: Vec<CaseRequest<E>>,
}

/// The provenance kinds of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// From the example policies of the project's founding documents.
    Seeds,
    /// From AWS documentation (the case cites the page).
    Docs,
    /// Answers recorded from AWS, with date and API.
    AwsObserved,
    /// Shrunk differences confirmed against AWS.
    Regressions,
    /// Differences with a peer, not yet confirmed: never counted as conformance.
    Triage,
}

impl SourceKind {
    /// Every kind, in DESIGN.md's order.
    pub const ALL: &'static [SourceKind] = &[
        SourceKind::Seeds,
        SourceKind::Docs,
        SourceKind::AwsObserved,
        SourceKind::Regressions,
        SourceKind::Triage,
    ];

    /// Looks a kind up by its kebab-case name (the corpus folder name).
    pub fn from_name(name: &str) -> Option<SourceKind> {
        Self::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// The kebab-case name, which is also the corpus folder name.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Seeds => "seeds",
            SourceKind::Docs => "docs",
            SourceKind::AwsObserved => "aws-observed",
            SourceKind::Regressions => "regressions",
            SourceKind::Triage => "triage",
        }
    }
}

/// Where a case's expectations come from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The provenance kind.
    pub kind: SourceKind,
    /// A human-readable citation.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The cited page, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When the source was read or the answer recorded (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The API that answered (e.g. `SimulateCustomPolicy`), for recorded answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    /// The AWS region the API was called in, for recorded answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The other side of a differential run (`aws`, `adapter:NAME`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oracle: Option<String>,
    /// The generator seed that produced the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The generator version that produced the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    /// How the expectations were derived from the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The principal of a case.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePrincipal {
    /// The caller's ARN.
    pub arn: String,
    /// The principal type (`user`, `role`, `assumed-role`, `federated-user`, `root`, `service`,
    /// `anonymous`); read from the ARN when absent.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub principal_type: Option<String>,
    /// The caller's account; read from the ARN when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// For a role session: the ARN of the role behind it, with its path; derived from the
    /// session ARN (without a path) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// True when the caller belongs to the organization's management account (SCPs do not
    /// affect it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub management_account: bool,
    /// For a federated-user session (`GetFederationToken`): the ARN of the IAM user (or the
    /// account's root user) who federated; a resource-based policy naming it grants within the
    /// boundary and session policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The unique ID of the IAM user or role the caller is or acts as (`AIDA...` for a user or
    /// the user behind a federated-user session, `AROA...` for a role or the role behind a
    /// session), which a `Principal` may name instead of the ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    /// The canonical user ID of the caller's account (Amazon S3), which a `CanonicalUser`
    /// principal names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_user: Option<String>,
}

/// The policies of a case, by policy type.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePolicies {
    /// Identity-based policies.
    #[serde(default)]
    pub identity: Vec<CasePolicy>,
    /// The resource-based policy.
    #[serde(default)]
    pub resource: Option<CasePolicy>,
    /// What the resource-based policy is attached to (`bucket`, `role-trust`, `kms-key`,
    /// `queue`, `topic`, `secret`, `other`); read from each request's resource ARN when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_kind: Option<String>,
    /// The permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<CasePolicy>,
    /// Session policies.
    #[serde(default)]
    pub session: Vec<CasePolicy>,
    /// SCPs by organization level, root first, account last.
    #[serde(default)]
    pub scps: Vec<Vec<CasePolicy>>,
    /// RCPs by organization level, root first, account last.
    #[serde(default)]
    pub rcps: Vec<Vec<CasePolicy>>,
    /// The organizations of the accounts involved, each with its accounts' SCP and RCP paths.
    /// When present, it replaces `scps` and `rcps` (which must then be empty): SCPs bind the
    /// principals of member accounts, RCPs the resources of member accounts, and accounts
    /// listed in no organization are outside every organization. When absent, `scps` are the
    /// caller's account's levels and `rcps` the resource's account's, in one organization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<CaseOrganization>,
    /// The policy of the VPC endpoint that requests carrying `aws:SourceVpce` come through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint: Option<CasePolicy>,
}

impl CasePolicies {
    /// Every policy of the case: identity-based, resource-based, permissions boundary, session
    /// policies, the SCP and RCP levels (of the flat paths and of every organization's
    /// accounts) and the VPC endpoint policy, in that order.
    pub fn all(&self) -> impl Iterator<Item = &CasePolicy> {
        let organizations = self
            .organizations
            .iter()
            .flat_map(|o| o.accounts.iter())
            .flat_map(|a| a.scps.iter().chain(a.rcps.iter()).flatten());
        self.identity
            .iter()
            .chain(self.resource.iter())
            .chain(self.permissions_boundary.iter())
            .chain(self.session.iter())
            .chain(self.scps.iter().flatten())
            .chain(self.rcps.iter().flatten())
            .chain(organizations)
            .chain(self.vpc_endpoint.iter())
    }

    /// Every policy of the case, mutably, in the order of [`CasePolicies::all`].
    pub fn all_mut(&mut self) -> impl Iterator<Item = &mut CasePolicy> {
        let organizations = self
            .organizations
            .iter_mut()
            .flat_map(|o| o.accounts.iter_mut())
            .flat_map(|a| a.scps.iter_mut().chain(a.rcps.iter_mut()).flatten());
        self.identity
            .iter_mut()
            .chain(self.resource.iter_mut())
            .chain(self.permissions_boundary.iter_mut())
            .chain(self.session.iter_mut())
            .chain(self.scps.iter_mut().flatten())
            .chain(self.rcps.iter_mut().flatten())
            .chain(organizations)
            .chain(self.vpc_endpoint.iter_mut())
    }
}

/// One AWS organization of a case: its management account and its member accounts' paths.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseOrganization {
    /// The organization id (`o-...`), for readers: it is not a context key.
    pub id: String,
    /// The management account, which SCPs and RCPs do not affect; it must be one of `accounts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_account: Option<String>,
    /// The accounts of the organization.
    pub accounts: Vec<CaseOrganizationAccount>,
}

/// An account of an organization with the policies on its path, root first, account last.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseOrganizationAccount {
    /// The 12-digit account id.
    pub account: String,
    /// SCPs by level on the account's path (none: SCPs are not evaluated for its principals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scps: Vec<Vec<CasePolicy>>,
    /// RCPs by level on the account's path (none: RCPs are not evaluated for its resources).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<Vec<CasePolicy>>,
}

/// One policy of a case.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePolicy {
    /// The id that matched statements name.
    pub id: String,
    /// The document: a JSON object (its text in the case file is the policy text) or a JSON
    /// string (the exact policy text, possibly not valid JSON).
    pub document: Box<RawValue>,
    /// For an identity-based policy: the entity it is embedded in as an inline policy (`user`,
    /// `role`, or `group` / `group/NAME`), whose inline policies share one size quota; absent
    /// for a managed policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline: Option<String>,
}

impl CasePolicy {
    /// The policy text: the string's contents when `document` is a JSON string, else the
    /// object's text exactly as written in the case file.
    pub fn text(&self) -> Result<String, serde_json::Error> {
        let raw = self.document.get();
        if raw.trim_start().starts_with('"') {
            serde_json::from_str::<String>(raw)
        } else {
            Ok(raw.to_string())
        }
    }
}

/// One request of a case.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "E: Deserialize<'de>"))]
pub struct CaseRequest<E = Expect> {
    /// Unique within the file; the test is named `<file>::<name>`.
    pub name: String,
    /// What the request shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The action, e.g. `ec2:RunInstances`.
    pub action: String,
    /// The one resource (exactly one of `resource` and `resources`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<CaseResource<E>>,
    /// Several resources of one API call (exactly one of `resource` and `resources`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<CaseResource<E>>>,
    /// Every context key the request carries.
    #[serde(default)]
    pub context: Vec<ContextItem>,
    /// The expected answer for the whole request.
    pub expect: E,
}

/// A resource of a request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "E: Deserialize<'de>"))]
pub struct CaseResource<E = Expect> {
    /// The ARN, or `*`.
    pub arn: String,
    /// The owning account, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Context keys of this resource only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextItem>,
    /// The expected answer for this resource (in a `resources` list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<E>,
}

/// One context key of a request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextItem {
    /// The key, e.g. `aws:SourceIp`.
    pub key: String,
    /// The simulator's ContextKeyType name (`string`, `stringList`, `numeric`...).
    #[serde(rename = "type")]
    pub key_type: String,
    /// The values, as strings.
    pub values: Vec<String>,
}

/// Where in a case an expectation is: `requests[r].expect`, or
/// `requests[r].resources[i].expect` when `resource` is `Some(i)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectAt {
    /// The request's index.
    pub request: usize,
    /// The resource's index in `resources`, for a per-resource expectation.
    pub resource: Option<usize>,
}

impl<E> Case<E> {
    /// The same case with every expectation converted by `f`; the first failure comes back
    /// with where it is.
    pub fn try_map_expect<X, Err>(
        self,
        mut f: impl FnMut(E) -> Result<X, Err>,
    ) -> Result<Case<X>, (ExpectAt, Err)> {
        let mut requests = Vec::with_capacity(self.requests.len());
        for (r, request) in self.requests.into_iter().enumerate() {
            let at = |resource| ExpectAt {
                request: r,
                resource,
            };
            let expect = f(request.expect).map_err(|e| (at(None), e))?;
            let resource = match request.resource {
                Some(res) => Some(res.try_map(&mut f).map_err(|e| (at(None), e))?),
                None => None,
            };
            let resources = match request.resources {
                Some(list) => {
                    let mut out = Vec::with_capacity(list.len());
                    for (i, res) in list.into_iter().enumerate() {
                        out.push(res.try_map(&mut f).map_err(|e| (at(Some(i)), e))?);
                    }
                    Some(out)
                }
                None => None,
            };
            requests.push(CaseRequest {
                name: request.name,
                description: request.description,
                action: request.action,
                resource,
                resources,
                context: request.context,
                expect,
            });
        }
        Ok(Case {
            schema: self.schema,
            description: self.description,
            source: self.source,
            features: self.features,
            principal: self.principal,
            policies: self.policies,
            requests,
        })
    }
}

impl<E> CaseResource<E> {
    fn try_map<X, Err>(
        self,
        f: &mut impl FnMut(E) -> Result<X, Err>,
    ) -> Result<CaseResource<X>, Err> {
        Ok(CaseResource {
            arn: self.arn,
            owner: self.owner,
            context: self.context,
            expect: self.expect.map(f).transpose()?,
        })
    }
}

impl<E> CaseRequest<E> {
    /// The request's expectation, then each resource's in a `resources` list, with the
    /// resource's index.
    pub fn expectations(&self) -> impl Iterator<Item = (Option<usize>, &E)> {
        std::iter::once((None, &self.expect)).chain(
            self.resources
                .iter()
                .flatten()
                .enumerate()
                .filter_map(|(i, r)| r.expect.as_ref().map(|e| (Some(i), e))),
        )
    }
}
