//! Coverage of `corpus/docs/authorization/`: every field and kind the case format gained to
//! write issue 9's documented rules (the caller's other identities, every principal kind,
//! `organizations` and its management accounts, VPC endpoint policies, inline identity-based
//! policies, each kind of resource-based policy) must appear in a cited case for each of {same
//! account, cross account} × {in an organization, outside any}.
//!
//! The cell of a request is derived from the case's fields, never from its file name:
//! - the caller's account is `principal.account`, else read from its ARN (as the evaluator
//!   does); a resource's account is its `owner`, else the caller's; the request is
//!   cross-account when both are known and differ (the case format's rule);
//! - with `policies.organizations`, the request is in an organization when the caller's
//!   account or the resource's account is listed in one; without it, when the case has SCP or
//!   RCP levels or says the caller is in the management account (the case format's default:
//!   "as if both were members of one organization");
//! - a row holds for a request when its field is set (`principal.user`, `unique_id`,
//!   `canonical_user`, `policies.organizations`, an identity-based policy with `inline`); when
//!   the caller's or the resource's account is a management account (`management_account` of
//!   an organization, or `principal.management_account`); when the caller's type is
//!   `web-identity`, `saml`, `anonymous` or `service`; when the request carries
//!   `aws:SourceVpce` next to `policies.vpc_endpoint`; and, for a case with a resource-based
//!   policy, for the kind of that policy (`policies.resource_kind`, else read from each
//!   resource's ARN).
//!
//! Cells that cannot exist are listed in [`IMPOSSIBLE`] with the page that makes them so; a
//! case that fills one of them fails the second test (the reason would be wrong).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use iamspec::request::Principal;
use iamspec::resource_policy::ResourcePolicyKind;
use iamspec_format::{load_dir, Case, LoadedCase, PrincipalType};

/// The rows of the matrix: each field or kind a cell is counted for.
const ROWS: &[&str] = &[
    "principal.user",
    "principal.unique_id",
    "principal.canonical_user",
    "principal:web-identity",
    "principal:saml",
    "principal:anonymous",
    "principal:service",
    "policies.organizations",
    "organizations:management-account",
    "policies.vpc_endpoint",
    "inline",
    "resource_kind:bucket",
    "resource_kind:role-trust",
    "resource_kind:kms-key",
    "resource_kind:queue",
    "resource_kind:topic",
    "resource_kind:secret",
    "resource_kind:other",
];

/// Whether the resource is in the caller's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Accounts {
    Same,
    Cross,
}

/// Whether the caller's or the resource's account is in an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Organization {
    In,
    Outside,
}

/// One cell of the matrix.
type Cell = (&'static str, Accounts, Organization);

/// Cells no case can fill, each with the reason and the page that gives it.
const IMPOSSIBLE: &[(&str, Accounts, Organization, &str)] = &[
    (
        "principal:saml",
        Accounts::Cross,
        Organization::In,
        SAML_PROVIDER_IN_ROLE_ACCOUNT,
    ),
    (
        "principal:saml",
        Accounts::Cross,
        Organization::Outside,
        SAML_PROVIDER_IN_ROLE_ACCOUNT,
    ),
    (
        "organizations:management-account",
        Accounts::Same,
        Organization::Outside,
        MANAGEMENT_ACCOUNT_IS_IN_ITS_ORGANIZATION,
    ),
    (
        "organizations:management-account",
        Accounts::Cross,
        Organization::Outside,
        MANAGEMENT_ACCOUNT_IS_IN_ITS_ORGANIZATION,
    ),
    (
        "principal:anonymous",
        Accounts::Cross,
        Organization::In,
        ANONYMOUS_HAS_NO_ACCOUNT,
    ),
    (
        "principal:anonymous",
        Accounts::Cross,
        Organization::Outside,
        ANONYMOUS_HAS_NO_ACCOUNT,
    ),
    (
        "principal:service",
        Accounts::Cross,
        Organization::In,
        SERVICE_HAS_NO_ACCOUNT,
    ),
    (
        "principal:service",
        Accounts::Cross,
        Organization::Outside,
        SERVICE_HAS_NO_ACCOUNT,
    ),
];

const ANONYMOUS_HAS_NO_ACCOUNT: &str = "an anonymous caller (\"anonymous users (public access)\") \
     belongs to no AWS account, so the case format reads its account as the resource's (IAM User \
     Guide, \"AWS JSON policy elements: Principal\", All principals, \
     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)";

const SERVICE_HAS_NO_ACCOUNT: &str =
    "\"a service principal is an identifier for a service\", in no \
     AWS account (the account it acts for is aws:SourceAccount, a context key), so the case format \
     reads its account as the resource's (IAM User Guide, \"AWS JSON policy elements: Principal\", \
     AWS service principals, \
     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)";

const MANAGEMENT_ACCOUNT_IS_IN_ITS_ORGANIZATION: &str = "a management account is the account \
     that created its organization (\"automatically becomes the management account of the new \
     organization\"), so a request involving one is in an organization (AWS Organizations API \
     Reference, \"CreateOrganization\", \
     https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateOrganization.html)";

const SAML_PROVIDER_IN_ROLE_ACCOUNT: &str = "the SAML provider a role's trust policy names \
     \"will have your own account ID\": the caller (the provider's user) comes through a provider \
     of the role's own account (IAM User Guide, \"Create a role for SAML 2.0 federation \
     (console)\", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html)";

fn authorization_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/docs/authorization")
}

fn cases() -> Vec<LoadedCase> {
    load_dir(&authorization_dir())
        .into_iter()
        .map(|loaded| loaded.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The caller's account and type, read as the evaluator reads them.
fn caller(case: &Case) -> (Option<String>, PrincipalType) {
    let mut principal = Principal::from_arn(&case.principal.arn);
    if let Some(account) = &case.principal.account {
        principal.account = Some(account.clone());
    }
    if let Some(name) = &case.principal.principal_type {
        if let Some(kind) = PrincipalType::from_name(name) {
            principal.principal_type = kind;
        }
    }
    (principal.account, principal.principal_type)
}

/// The rows that hold for every request of `case`, whatever its resource.
fn case_rows(case: &Case, principal_type: PrincipalType) -> Vec<&'static str> {
    let mut rows = Vec::new();
    let p = &case.principal;
    if p.user.is_some() {
        rows.push("principal.user");
    }
    if p.unique_id.is_some() {
        rows.push("principal.unique_id");
    }
    if p.canonical_user.is_some() {
        rows.push("principal.canonical_user");
    }
    match principal_type {
        PrincipalType::WebIdentity => rows.push("principal:web-identity"),
        PrincipalType::Saml => rows.push("principal:saml"),
        PrincipalType::Anonymous => rows.push("principal:anonymous"),
        PrincipalType::Service => rows.push("principal:service"),
        _ => {}
    }
    if !case.policies.organizations.is_empty() {
        rows.push("policies.organizations");
    }
    if case.policies.identity.iter().any(|p| p.inline.is_some()) {
        rows.push("inline");
    }
    rows
}

/// The row of a resource-based policy of kind `kind`.
fn kind_row(kind: ResourcePolicyKind) -> &'static str {
    match kind {
        ResourcePolicyKind::Bucket => "resource_kind:bucket",
        ResourcePolicyKind::RoleTrust => "resource_kind:role-trust",
        ResourcePolicyKind::KmsKey => "resource_kind:kms-key",
        ResourcePolicyKind::Queue => "resource_kind:queue",
        ResourcePolicyKind::Topic => "resource_kind:topic",
        ResourcePolicyKind::Secret => "resource_kind:secret",
        ResourcePolicyKind::Other => "resource_kind:other",
    }
}

/// Every cell the requests of `case` fill, each with the request that fills it.
fn cells(case: &Case) -> Vec<(Cell, String)> {
    let (account, principal_type) = caller(case);
    let rows = case_rows(case, principal_type);
    let policies = &case.policies;
    let listed: BTreeSet<&str> = policies
        .organizations
        .iter()
        .flat_map(|o| o.accounts.iter().map(|a| a.account.as_str()))
        .collect();
    let default_in_organization =
        !policies.scps.is_empty() || !policies.rcps.is_empty() || case.principal.management_account;
    let stated_kind = policies
        .resource_kind
        .as_deref()
        .map(|name| ResourcePolicyKind::from_name(name).unwrap_or_else(|| panic!("{name}")));
    let mut out = Vec::new();
    for request in &case.requests {
        let through_endpoint = policies.vpc_endpoint.is_some()
            && request
                .context
                .iter()
                .any(|item| item.key.eq_ignore_ascii_case("aws:SourceVpce"));
        let resources = request
            .resource
            .iter()
            .chain(request.resources.iter().flatten());
        for resource in resources {
            let owner = resource.owner.clone().or_else(|| account.clone());
            let accounts = match (&owner, &account) {
                (Some(owner), Some(account)) if owner != account => Accounts::Cross,
                _ => Accounts::Same,
            };
            let in_organization = if policies.organizations.is_empty() {
                default_in_organization
            } else {
                [&account, &owner]
                    .into_iter()
                    .flatten()
                    .any(|a| listed.contains(a.as_str()))
            };
            let organization = if in_organization {
                Organization::In
            } else {
                Organization::Outside
            };
            let mut request_rows = rows.clone();
            let management = [&account, &owner].into_iter().flatten().any(|a| {
                policies
                    .organizations
                    .iter()
                    .any(|o| o.management_account.as_deref() == Some(a.as_str()))
            });
            if management || case.principal.management_account {
                request_rows.push("organizations:management-account");
            }
            if through_endpoint {
                request_rows.push("policies.vpc_endpoint");
            }
            if policies.resource.is_some() {
                let kind = stated_kind.unwrap_or_else(|| ResourcePolicyKind::infer(&resource.arn));
                request_rows.push(kind_row(kind));
            }
            for row in request_rows {
                out.push(((row, accounts, organization), request.name.clone()));
            }
        }
    }
    out
}

/// Each cell with the requests (`file::request`) that fill it.
fn matrix() -> BTreeMap<Cell, Vec<String>> {
    let mut matrix: BTreeMap<Cell, Vec<String>> = BTreeMap::new();
    for loaded in cases() {
        for (cell, request) in cells(&loaded.case) {
            matrix
                .entry(cell)
                .or_default()
                .push(format!("{}::{request}", loaded.name));
        }
    }
    matrix
}

fn every_cell() -> impl Iterator<Item = Cell> {
    ROWS.iter().flat_map(|row| {
        [Accounts::Same, Accounts::Cross]
            .into_iter()
            .flat_map(move |a| {
                [Organization::In, Organization::Outside]
                    .into_iter()
                    .map(move |o| (*row, a, o))
            })
    })
}

fn is_impossible(cell: &Cell) -> bool {
    IMPOSSIBLE
        .iter()
        .any(|(row, a, o, _)| (*row, *a, *o) == *cell)
}

fn describe(cell: &Cell) -> String {
    let (row, accounts, organization) = cell;
    let accounts = match accounts {
        Accounts::Same => "same-account",
        Accounts::Cross => "cross-account",
    };
    let organization = match organization {
        Organization::In => "in an organization",
        Organization::Outside => "outside any organization",
    };
    format!("{row}, {accounts}, {organization}")
}

#[test]
fn every_new_field_and_kind_is_covered_same_and_cross_account_in_and_out_of_an_organization() {
    let matrix = matrix();
    let uncovered: Vec<String> = every_cell()
        .filter(|cell| !is_impossible(cell) && !matrix.contains_key(cell))
        .map(|cell| describe(&cell))
        .collect();
    assert!(
        uncovered.is_empty(),
        "{} cells of corpus/docs/authorization/ have no case:\n{}",
        uncovered.len(),
        uncovered.join("\n")
    );
}

#[test]
fn cells_listed_as_impossible_have_no_case() {
    let matrix = matrix();
    let filled: Vec<String> = IMPOSSIBLE
        .iter()
        .filter_map(|(row, a, o, reason)| {
            let cell = (*row, *a, *o);
            matrix.get(&cell).map(|requests| {
                format!(
                    "{} is listed as impossible ({reason}) but {} fill it",
                    describe(&cell),
                    requests.join(", ")
                )
            })
        })
        .collect();
    assert!(filled.is_empty(), "{}", filled.join("\n"));
    for (row, ..) in IMPOSSIBLE {
        assert!(ROWS.contains(row), "`{row}` is not a row");
    }
}

/// The classification itself, on a case written here: a federated user of a member account
/// reading a bucket of an account outside every organization, and a bucket of its own account.
#[test]
fn cells_are_read_from_the_case_fields() {
    let text = r#"{
      "description": "coverage classification",
      "source": { "kind": "docs", "ref": "test" },
      "features": [],
      "principal": { "arn": "arn:aws:sts::111122223333:federated-user/carol",
                     "user": "arn:aws:iam::111122223333:user/broker" },
      "policies": {
        "resource": { "id": "R", "document": { "Version": "2012-10-17", "Statement": [] } },
        "organizations": [ { "id": "o-a1b2c3d4e5", "accounts": [ { "account": "111122223333" } ] } ]
      },
      "requests": [
        { "name": "cross", "action": "s3:GetObject",
          "resource": { "arn": "arn:aws:s3:::b/k", "owner": "444455556666" },
          "expect": { "decision": "implicitDeny" } },
        { "name": "same", "action": "sqs:SendMessage",
          "resource": { "arn": "arn:aws:sqs:us-east-1:111122223333:q" },
          "expect": { "decision": "implicitDeny" } }
      ]
    }"#;
    let loaded = iamspec_format::load_case_str(text, Path::new("t.json"), "t")
        .unwrap_or_else(|e| panic!("{e}"));
    let got: BTreeSet<(Cell, String)> = cells(&loaded.case).into_iter().collect();
    let want: BTreeSet<(Cell, String)> = [
        ("principal.user", Accounts::Cross, "cross"),
        ("policies.organizations", Accounts::Cross, "cross"),
        ("resource_kind:bucket", Accounts::Cross, "cross"),
        ("principal.user", Accounts::Same, "same"),
        ("policies.organizations", Accounts::Same, "same"),
        ("resource_kind:queue", Accounts::Same, "same"),
    ]
    .into_iter()
    .map(|(row, a, name)| ((row, a, Organization::In), name.to_string()))
    .collect();
    assert_eq!(got, want);

    // The caller's account as the organization's management account: both requests involve it.
    let managed = text.replace(
        r#""id": "o-a1b2c3d4e5", "accounts""#,
        r#""id": "o-a1b2c3d4e5", "management_account": "111122223333", "accounts""#,
    );
    assert_ne!(managed, text);
    let loaded = iamspec_format::load_case_str(&managed, Path::new("t.json"), "t")
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<&str> = cells(&loaded.case)
        .into_iter()
        .filter(|((row, _, _), _)| *row == "organizations:management-account")
        .map(|(_, request)| if request == "cross" { "cross" } else { "same" })
        .collect();
    assert_eq!(rows, ["cross", "same"]);

    // The same case without organizations and without SCP or RCP levels: outside any.
    let outside = text.replace(
        r#""organizations": [ { "id": "o-a1b2c3d4e5", "accounts": [ { "account": "111122223333" } ] } ]"#,
        r#""scps": []"#,
    );
    assert_ne!(outside, text);
    let loaded = iamspec_format::load_case_str(&outside, Path::new("t.json"), "t")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(cells(&loaded.case)
        .iter()
        .all(|((_, _, organization), _)| *organization == Organization::Outside));
}
