//! Coverage of the well-formed preset: every feature switch shows up, and no decision is rare
//! (each of allowed / explicitDeny / implicitDeny at least 15% of requests).

use iamspec::explain::Decision;
use iamspec_generators::{coverage_stats, features, generate_cases, Settings, Switch, Via};

const CASES: usize = 3000;

#[test]
fn well_formed_preset_mix_and_features() {
    let cases = generate_cases(&Settings::well_formed(), 7, CASES);
    let stats = coverage_stats(&cases, Via::Model);
    println!("{stats}");
    for d in [
        Decision::Allowed,
        Decision::ExplicitDeny,
        Decision::ImplicitDeny,
    ] {
        let share = stats.decision_share(d);
        assert!(
            share >= 0.15,
            "{} is only {:.1}%\n{stats}",
            d.name(),
            share * 100.0
        );
    }
    assert_eq!(
        stats.rejected_cases, 0,
        "well-formed cases are never rejected"
    );
    for &switch in Switch::ALL {
        if switch == Switch::InvalidPolicies || switch == Switch::NearMiss {
            continue;
        }
        assert!(
            stats.feature_count(switch.tag()) > 0,
            "feature {} never generated\n{stats}",
            switch.tag()
        );
    }
    // Every operator and both set operators appear.
    for op in iamspec::condition::BaseOperator::ALL {
        let tag = format!("operator:{}", op.name());
        assert!(stats.feature_count(&tag) > 0, "{tag} never generated");
    }
    assert!(stats.feature_count("set:ForAllValues") > 0);
    assert!(stats.feature_count("set:ForAnyValue") > 0);
    // Every tag the detector emits that the corpus knows is in the corpus vocabulary.
    let known = features::corpus_vocabulary();
    assert!(known.len() > 50);
}

#[test]
fn adversarial_preset_emits_invalid_policies() {
    let cases = generate_cases(&Settings::adversarial(), 11, 400);
    let stats = coverage_stats(&cases, Via::Model);
    assert!(stats.feature_count("validation:error") > 0, "{stats}");
}
