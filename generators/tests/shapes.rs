//! Issue 9's shapes in generated cases: web-identity and SAML callers with trust policies naming
//! their provider, every kind of resource-based policy, organizations on both sides (member,
//! management account, another organization, outside), VPC endpoint policies and principals
//! named by unique ID, canonical user or the user behind a federated-user session — each shown by
//! `iamspec gen --stats`, realistic cases breaking no realism rule, and every written case
//! passing the corpus loader's rules and the reference's re-decision of its text.

use std::path::Path;

use iamspec::request::PrincipalType;
use iamspec::scenario::ReferenceOracle;
use iamspec_format::load::load_case_str;
use iamspec_format::{judge_case, ComparisonMode, Outcome as Verdicted};
use iamspec_generators::serialise::{case_json, to_case};
use iamspec_generators::{coverage_stats, generate_cases, realism, GeneratedCase, Settings, Via};

/// The tags `gen --stats` must show for the new shapes.
const SHAPE_TAGS: &[&str] = &[
    "principal:web-identity",
    "principal:saml",
    "principal:federated",
    "principal:named-unique-id",
    "principal:named-federating-user",
    "principal:federated-user",
    "principal:anonymous",
    "principal:service",
    "policy:role-trust",
    "policy:kms-key",
    "resource-kind:bucket",
    "resource-kind:role-trust",
    "resource-kind:kms-key",
    "resource-kind:queue",
    "resource-kind:topic",
    "resource-kind:secret",
    "resource-kind:other",
    "org:organizations",
    "org:two-organizations",
    "org:outside-organization",
    "org:management-account",
    "org-shape:caller-member",
    "org-shape:caller-management-account",
    "org-shape:caller-outside",
    "org-shape:resource-member-same-organization",
    "org-shape:resource-member-other-organization",
    "org-shape:resource-management-account",
    "org-shape:resource-outside",
    "policy:vpc-endpoint",
    "vpc-endpoint:request-through-endpoint",
];

fn interesting(case: &GeneratedCase) -> bool {
    let ps = &case.policies;
    !ps.organizations.is_empty()
        || ps.vpc_endpoint.is_some()
        || case_names_other_identities(case)
        || matches!(
            case.caller.kind,
            PrincipalType::WebIdentity | PrincipalType::Saml
        )
}

fn case_names_other_identities(case: &GeneratedCase) -> bool {
    let file = to_case(case);
    file.is_ok_and(|f| {
        f.principal.user.is_some()
            || f.principal.unique_id.is_some()
            || f.principal.canonical_user.is_some()
    })
}

#[test]
fn the_realistic_preset_draws_every_shape_and_breaks_no_rule() {
    let cases = generate_cases(&Settings::realistic(), 9, 3000);
    let stats = coverage_stats(&cases, Via::Model);
    for tag in SHAPE_TAGS {
        assert!(
            stats.feature_count(tag) > 0,
            "{tag} never generated\n{stats}"
        );
    }
    for rule in realism::Rule::ALL {
        assert_eq!(stats.realism_count(*rule), 0, "{}\n{stats}", rule.name());
    }
    // A web-identity or SAML caller only asks STS for a role under a trust policy that names
    // its provider or not, and has no identity-side policy.
    for case in cases.iter().filter(|c| {
        matches!(
            c.caller.kind,
            PrincipalType::WebIdentity | PrincipalType::Saml
        )
    }) {
        assert!(case.policies.identity.is_empty(), "{case:?}");
        assert!(case.policies.resource.is_some(), "{case:?}");
        for r in &case.requests {
            assert!(r.action.starts_with("sts:AssumeRoleWith"), "{}", r.action);
        }
    }
}

#[test]
fn the_well_formed_preset_names_callers_by_their_other_identities() {
    // A canonical user ID is realistic only in Amazon S3 bucket policies, so the realistic
    // preset names one rarely; the well-formed preset names any caller by any identity.
    let stats = coverage_stats(
        &generate_cases(&Settings::well_formed(), 12, 2000),
        Via::Model,
    );
    for tag in [
        "principal:named-unique-id",
        "principal:named-canonical-user",
        "principal:named-federating-user",
    ] {
        assert!(
            stats.feature_count(tag) > 0,
            "{tag} never generated\n{stats}"
        );
    }
}

#[test]
fn written_cases_with_the_new_shapes_load_and_pass_the_reference() {
    let mut cases = generate_cases(&Settings::realistic(), 5, 1500);
    cases.extend(generate_cases(&Settings::well_formed(), 6, 800));
    let mut checked = 0;
    for case in cases.into_iter().filter(interesting) {
        let Ok(file) = to_case(&case) else { continue };
        let text = case_json(&file).expect("serialises");
        let loaded = load_case_str(&text, Path::new("gen.json"), "gen.json")
            .unwrap_or_else(|e| panic!("the loader rejects a generated case: {e}\n{text}"));
        for ((_, verdict), request) in
            judge_case(&mut ReferenceOracle, &loaded.case, ComparisonMode::Full)
                .iter()
                .zip(&loaded.case.requests)
        {
            assert!(
                matches!(verdict.outcome(), Verdicted::Passed | Verdicted::Skipped),
                "request {}: {verdict}\n{text}",
                request.name
            );
        }
        checked += 1;
    }
    assert!(checked > 300, "only {checked} cases with the new shapes");
}
