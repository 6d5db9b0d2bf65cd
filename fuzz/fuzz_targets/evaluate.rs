//! A generated case (adversarial preset: invalid documents included) decided by the reference
//! evaluator, through the model and through the written text: it must never panic, and a
//! request on a case none of whose policies is rejected is always decidable.
#![no_main]

use iamspec_generators::{GeneratedCase, Outcome, Via};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|case: GeneratedCase| {
    let _ = case.outcome(Via::Model);
    if let Outcome::Decided(responses) = case.outcome(Via::Text) {
        for r in responses {
            assert!(r.is_ok(), "an undecidable request: {r:?}");
        }
    }
    let _ = iamspec_generators::serialise::to_case(&case);
});
