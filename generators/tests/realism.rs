//! The realistic preset keeps every realism rule (`iamspec gen --stats --preset realistic`
//! shows 0 for each) with a balanced decision mix and named near misses; the other presets
//! break the rules, and the written cases say so.

use iamspec::explain::Decision;
use iamspec_generators::realism::{self, Rule};
use iamspec_generators::request::MUTATIONS;
use iamspec_generators::serialise::notes;
use iamspec_generators::{coverage_stats, generate_cases, Settings, Via};

fn realistic_holds(count: usize) {
    let cases = generate_cases(&Settings::realistic(), 2026, count);
    let stats = coverage_stats(&cases, Via::Model);
    for rule in Rule::ALL {
        assert_eq!(
            stats.realism_count(*rule),
            0,
            "{}: {:?}",
            rule.name(),
            cases
                .iter()
                .flat_map(realism::violations)
                .find(|v| v.rule == *rule)
        );
    }
    for d in [
        Decision::Allowed,
        Decision::ExplicitDeny,
        Decision::ImplicitDeny,
    ] {
        assert!(stats.decision_share(d) >= 0.15, "{d:?}: {stats}");
    }
    assert_eq!(stats.rejected_cases, 0, "{stats}");
    for m in MUTATIONS {
        assert!(stats.mutations[*m] > 0, "no {m} near miss: {stats}");
    }
}

#[test]
fn the_realistic_preset_breaks_no_rule_and_keeps_every_decision() {
    realistic_holds(1_000);
}

/// The done-when figure of issue 14, on 10,000 cases (run by `.ci/run` with `--ignored`).
#[test]
#[ignore = "10,000 cases: run with --ignored (in .ci/run)"]
fn the_realistic_preset_breaks_no_rule_on_ten_thousand_cases() {
    realistic_holds(10_000);
}

#[test]
fn the_adversarial_preset_breaks_the_rules_and_its_cases_say_so() {
    let cases = generate_cases(&Settings::adversarial(), 7, 800);
    let stats = coverage_stats(&cases, Via::Model);
    let broken = Rule::ALL
        .iter()
        .filter(|r| stats.realism_count(**r) > 0)
        .count();
    assert!(broken >= 8, "{stats}");
    let mut said = 0;
    for case in &cases {
        let violations = realism::violations(case);
        let note = notes(case);
        assert_eq!(
            note.contains("Synthetic or impossible on purpose"),
            !violations.is_empty()
        );
        if let Some(v) = violations.first() {
            assert!(note.contains(v.rule.name()), "{note}");
            said += 1;
        }
    }
    assert!(said > 500, "{said}");
}

#[test]
fn near_misses_are_named_and_described_in_the_written_case() {
    let cases = generate_cases(&Settings::realistic(), 5, 300);
    let mut described = 0;
    for case in &cases {
        let Ok(file) = iamspec_generators::serialise::to_case(case) else {
            continue;
        };
        for (r, written) in case.requests.iter().zip(&file.requests) {
            if let Some(m) = &r.mutation {
                assert!(MUTATIONS.contains(&m.as_str()));
                let d = written.description.as_deref().unwrap_or("");
                assert!(d.starts_with(&format!("near miss ({m})")), "{d}");
                described += 1;
            }
        }
    }
    assert!(described > 50, "{described}");
}

/// A web identity or SAML provider's user asks for roles of its provider's account: the
/// well-formed preset draws providers in any account, and both checks — the generator's and
/// the one on written case files — find the same cases that break the rule; the realistic
/// preset still draws such callers, in the role's account.
#[test]
fn a_providers_user_asks_only_for_roles_of_the_providers_account() {
    use iamspec::request::PrincipalType;
    use iamspec_generators::serialise::to_case;
    let breaks = |case: &iamspec_generators::GeneratedCase| {
        realism::violations(case)
            .iter()
            .any(|v| v.rule == Rule::ProviderInAnotherAccount)
    };
    let file_breaks = |case: &iamspec_generators::GeneratedCase| {
        let file = to_case(case).expect("a well-formed case writes");
        realism::case_file_violations(&file)
            .iter()
            .any(|v| v.rule == Rule::ProviderInAnotherAccount)
    };
    let mut broken = 0;
    for case in generate_cases(&Settings::well_formed(), 23, 3_000) {
        assert_eq!(breaks(&case), file_breaks(&case), "{:?}", case.caller);
        broken += usize::from(breaks(&case));
    }
    assert!(broken > 0, "the well-formed preset never broke the rule");
    let federated = generate_cases(&Settings::realistic(), 23, 3_000)
        .into_iter()
        .filter(|c| {
            matches!(
                c.caller.kind,
                PrincipalType::WebIdentity | PrincipalType::Saml
            ) && !c.caller.account.is_empty()
        })
        .inspect(|c| assert!(!breaks(c) && !file_breaks(c), "{:?}", c.caller))
        .count();
    assert!(
        federated > 10,
        "{federated} realistic callers of an IAM provider"
    );
}

/// The check on a written case file (`iamspec diff`'s raw cases, `realism_files`) finds the
/// rules the generator's own check finds: a rule broken only in the generator's model would
/// let a case AWS could not see pass as realistic in a report, and one broken only in the file
/// would count a realistic case as impossible. Both presets: the well-formed one breaks every
/// rule somewhere.
#[test]
fn the_case_file_check_finds_what_the_generator_check_finds() {
    use iamspec_generators::serialise::to_case;
    use std::collections::BTreeSet;
    let mut compared = 0;
    let mut differ = Vec::new();
    for settings in [Settings::realistic(), Settings::well_formed()] {
        for case in generate_cases(&settings, 41, 1_500) {
            let Ok(file) = to_case(&case) else { continue };
            let model: BTreeSet<&str> = realism::violations(&case)
                .iter()
                .map(|v| v.rule.name())
                .collect();
            let written: BTreeSet<&str> = realism::case_file_violations(&file)
                .iter()
                .map(|v| v.rule.name())
                .collect();
            compared += 1;
            if model != written {
                differ.push((
                    case.index,
                    model,
                    written,
                    realism::case_file_violations(&file),
                ));
            }
        }
    }
    assert!(compared > 2_500);
    let mut by_rule: std::collections::BTreeMap<String, usize> = Default::default();
    for (_, m, w, _) in &differ {
        for r in m.symmetric_difference(w) {
            let side = if m.contains(r) {
                "model only"
            } else {
                "file only"
            };
            *by_rule.entry(format!("{r} ({side})")).or_default() += 1;
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {compared}: {by_rule:#?} {:#?}",
        differ.len(),
        &differ[..differ.len().min(3)]
    );
}
