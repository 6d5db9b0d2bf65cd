//! "Why (not)" explanations over the whole corpus: the explained decision is the decision, and
//! every explanation says something for every statement that did not apply.

use std::path::Path;

use iamspec::authorize::authorize;
use iamspec::authorize::authorize_explained;
use iamspec::explain::Decision;
use iamspec::scenario::{build_policy_set, build_request_for};
use iamspec::why_not::Step;
use iamspec_format::load_dir;

#[test]
fn explanations_agree_with_decisions_across_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut explained = 0;
    for loaded in load_dir(&corpus).into_iter().flatten() {
        let Ok(set) = build_policy_set(&loaded.case) else {
            continue;
        };
        for request in &loaded.case.requests {
            let Ok(request) = build_request_for(&loaded.case, request) else {
                continue;
            };
            let Ok(fast) = authorize(&set, &request) else {
                continue;
            };
            let (response, resources) =
                authorize_explained(&set, &request).expect("decidable like authorize");
            assert_eq!(response, fast, "{}", loaded.name);
            assert_eq!(resources.len(), response.resources.len());
            for (r, decided) in resources.iter().zip(&response.resources) {
                assert_eq!(r.decision, decided.decision, "{}", loaded.name);
                assert!(!r.rule.is_empty());
                assert_eq!(
                    r.step == Step::ExplicitDeny,
                    r.decision == Decision::ExplicitDeny,
                    "{}: {}",
                    loaded.name,
                    r.rule
                );
                for t in &r.policy_types {
                    for s in &t.statements {
                        assert_eq!(
                            s.applies,
                            s.not_matched.is_empty(),
                            "{}: {:?}",
                            loaded.name,
                            s
                        );
                    }
                }
                // Every matched statement of the decision is one the explanation says applies.
                for m in &decided.matched {
                    assert!(
                        r.policy_types
                            .iter()
                            .flat_map(|t| &t.statements)
                            .any(|s| s.applies && &s.statement == m),
                        "{}: {m:?}",
                        loaded.name
                    );
                }
                explained += 1;
            }
        }
    }
    assert!(explained > 500, "only {explained} resources explained");
}
