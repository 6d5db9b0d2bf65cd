//! Shrinking works toward small readable cases: a property that fails on any condition shrinks
//! to one statement holding one condition with one value, and one request.

use iamspec_generators::strategy::cases;
use iamspec_generators::Settings;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestError, TestRunner};

#[test]
fn a_failure_shrinks_to_a_small_case() {
    for seed in 0..12u64 {
        shrinks_with_seed(seed);
    }
}

fn shrinks_with_seed(seed: u64) {
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 256,
            failure_persistence: None,
            ..Config::default()
        },
        iamspec_generators::case::seeded_rng(seed),
    );
    let result = runner.run(&cases(Settings::well_formed()), |case| {
        let conditions: usize = case
            .policies
            .all()
            .filter_map(|p| p.model())
            .flat_map(|m| m.statements.iter())
            .map(|s| s.conditions.len())
            .sum();
        if conditions > 0 {
            Err(proptest::test_runner::TestCaseError::fail(
                "has a condition",
            ))
        } else {
            Ok(())
        }
    });
    let Err(TestError::Fail(_, minimal)) = result else {
        panic!("seed {seed}: the property should fail: {result:?}");
    };
    // At most one identity policy (the last one may go too), at most one other policy holding
    // the condition, one statement per policy, exactly one condition with one value, one
    // request.
    assert!(
        minimal.policies.identity.len() <= 1,
        "seed {seed}: {minimal:#?}"
    );
    let policies: Vec<_> = minimal.policies.all().collect();
    assert!(policies.len() <= 2, "seed {seed}: {minimal:#?}");
    let statements: Vec<_> = policies
        .iter()
        .filter_map(|p| p.model())
        .flat_map(|m| m.statements.iter())
        .collect();
    assert_eq!(
        statements.len(),
        policies.len(),
        "seed {seed}: {minimal:#?}"
    );
    let conditions: Vec<_> = statements
        .iter()
        .flat_map(|s| s.conditions.iter())
        .collect();
    assert_eq!(conditions.len(), 1, "seed {seed}: {minimal:#?}");
    assert_eq!(conditions[0].values.len(), 1, "seed {seed}: {minimal:#?}");
    assert_eq!(minimal.requests.len(), 1, "seed {seed}: {minimal:#?}");
    let _ = cases(Settings::well_formed())
        .new_tree(&mut runner)
        .map(|t| t.current());
}
