//! Metamorphic properties of the reference evaluator over generated cases: rewrites that must
//! not change a decision (or must change it in a known way). The properties over one case live
//! in `properties/` (shared with the soak, `soak.rs`).
//!
//! Each property runs 64 generated cases by default so the suite stays fast; run 100x with
//! `PROPTEST_CASES=6400 cargo test -p iamspec-generators --release --test metamorphic`.
//! Cases are decided through the generated model (`Via::Model`); failures shrink toward a small
//! case (see `iamspec_generators::strategy`).

mod properties;

use iamspec::context::ContextKeyType;
use iamspec_generators::condition::wildcard_pattern;
use iamspec_generators::gen::Gen;
use iamspec_generators::settings::Settings;
use iamspec_generators::strategy::{bytes, cases};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config() -> Config {
    let mut c = Config::default();
    if std::env::var("PROPTEST_CASES").is_err() {
        c.cases = 64;
    }
    c.failure_persistence = None;
    c.max_shrink_iters = 4096;
    c
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn statement_order_does_not_matter(case in cases(Settings::well_formed())) {
        properties::statement_order_does_not_matter(&case)?;
    }

    #[test]
    fn policy_order_does_not_matter(case in cases(Settings::well_formed())) {
        properties::policy_order_does_not_matter(&case)?;
    }

    #[test]
    fn splitting_and_merging_identity_policies_does_not_matter(case in cases(Settings::well_formed())) {
        properties::splitting_and_merging_identity_policies_does_not_matter(&case)?;
    }

    #[test]
    fn case_of_action_names_and_condition_key_names_does_not_matter(case in cases(Settings::well_formed())) {
        properties::case_of_action_names_and_condition_key_names_does_not_matter(&case)?;
    }

    #[test]
    fn if_exists_agrees_with_the_plain_operator_when_the_key_is_present(case in cases(Settings::well_formed())) {
        properties::if_exists_agrees_with_the_plain_operator_when_the_key_is_present(&case)?;
    }

    #[test]
    fn a_negated_operator_is_the_complement_on_a_present_single_valued_key(case in cases(Settings::well_formed())) {
        properties::a_negated_operator_is_the_complement_on_a_present_single_valued_key(&case)?;
    }

    #[test]
    fn for_any_value_over_one_value_equals_the_plain_operator(case in cases(Settings::well_formed())) {
        properties::for_any_value_over_one_value_equals_the_plain_operator(&case)?;
    }

    #[test]
    fn for_all_values_over_one_value_equals_the_plain_positive_operator(case in cases(Settings::well_formed())) {
        properties::for_all_values_over_one_value_equals_the_plain_positive_operator(&case)?;
    }

    #[test]
    fn null_true_holds_exactly_when_the_key_is_absent(case in cases(Settings::well_formed())) {
        properties::null_true_holds_exactly_when_the_key_is_absent(&case)?;
    }

    #[test]
    fn a_never_matching_statement_changes_nothing(case in cases(Settings::well_formed())) {
        properties::a_never_matching_statement_changes_nothing(&case)?;
    }

    #[test]
    fn adding_deny_everything_always_gives_explicit_deny(case in cases(Settings::well_formed())) {
        properties::adding_deny_everything_always_gives_explicit_deny(&case)?;
    }

    #[test]
    fn full_access_scps_change_nothing(case in cases(Settings::well_formed())) {
        properties::full_access_scps_change_nothing(&case)?;
    }

    #[test]
    fn a_wildcard_pattern_matches_what_its_regex_matches(input in bytes()) {
        let mut g = Gen::from_bytes(&input);
        let world = iamspec_generators::world::World::generate(&mut g, &Settings::well_formed());
        let texts: Vec<String> = world
            .resources
            .iter()
            .map(|r| r.arn.clone())
            .chain(world.principals.iter().map(|p| p.arn.clone()))
            .collect();
        for _ in 0..8 {
            let source = g.pick(&texts).clone();
            let pattern = wildcard_pattern(&mut g, &source);
            let text = if g.chance(50) { source.clone() } else {
                iamspec_generators::mutate::string_neighbour(&mut g, &source)
            };
            let regex_text: String = pattern
                .chars()
                .map(|c| match c {
                    '*' => ".*".to_string(),
                    '?' => ".".to_string(),
                    other => regex::escape(&other.to_string()),
                })
                .collect();
            let sensitive = regex::Regex::new(&format!("(?s)^{regex_text}$")).expect("regex");
            let insensitive = regex::Regex::new(&format!("(?si)^{regex_text}$")).expect("regex");
            prop_assert_eq!(
                iamspec::matching::glob::wildcard_match(&pattern, &text, false),
                sensitive.is_match(&text),
                "pattern {} text {}", pattern, text
            );
            prop_assert_eq!(
                iamspec::matching::glob::wildcard_match(&pattern, &text, true),
                insensitive.is_match(&text),
                "pattern {} text {} (ignoring case)", pattern, text
            );
        }
    }
}

#[test]
fn context_types_used_by_requests_are_simulator_types() {
    // Every context entry of generated requests uses a type the simulator knows, and
    // single-valued types carry exactly one value.
    for case in iamspec_generators::generate_cases(&Settings::adversarial(), 5, 200) {
        for r in &case.requests {
            for e in r
                .context
                .iter()
                .chain(r.resources.iter().flat_map(|x| x.context.iter()))
            {
                assert!(ContextKeyType::ALL.contains(&e.key_type));
                if !e.key_type.is_list() {
                    assert_eq!(e.values.len(), 1, "{e:?}");
                }
            }
        }
    }
}

#[test]
fn the_condition_properties_have_material() {
    // The IfExists / negation / ForAnyValue properties only test conditions on keys the request
    // carries as one value; make sure generated cases have plenty.
    let cases = iamspec_generators::generate_cases(&Settings::well_formed(), 1, 200);
    let pairs: usize = cases
        .iter()
        .map(|c| properties::present_single_valued(c).len())
        .sum();
    let negatable = cases
        .iter()
        .flat_map(properties::present_single_valued)
        .filter(|(_, c)| properties::negation(c.operator.base).is_some())
        .count();
    assert!(pairs >= 100, "{pairs}");
    assert!(negatable >= 30, "{negatable}");
}
