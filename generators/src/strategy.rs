//! The front ends: proptest strategies and `arbitrary::Arbitrary` impls over the one generator.
//!
//! Both feed a byte string to [`GeneratedCase::from_bytes`]. Because every choice reads "fewer
//! or smaller bytes = simpler" (see `gen`), proptest's shrinking of the byte vector (shorter,
//! smaller bytes) shrinks a failing case toward one policy, one statement, one request, no
//! conditions, and libFuzzer's minimisation does the same. This module adds no generation logic.

use arbitrary::{Arbitrary, Unstructured};
use proptest::prelude::*;

use crate::case::GeneratedCase;
use crate::settings::Settings;
use crate::shrink::shrinking_cases;

// `bytes` and `MAX_BYTES` moved to `shrink` (which starts from them); their names stay here.
pub use crate::shrink::{bytes, MAX_BYTES};

/// Generated cases under `settings`; shrinks toward small readable cases: first through the
/// byte string, then structurally (see [`crate::shrink`]).
pub fn cases(settings: Settings) -> impl Strategy<Value = GeneratedCase> {
    shrinking_cases(settings)
}

/// Generated cases under [`Settings::well_formed`].
pub fn well_formed_cases() -> impl Strategy<Value = GeneratedCase> {
    cases(Settings::well_formed())
}

/// Draws a case under [`Settings::adversarial`] (invalid documents included), for fuzzing.
impl<'a> Arbitrary<'a> for GeneratedCase {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let len = u.arbitrary_len::<u8>()?;
        let bytes = u.bytes(len)?;
        Ok(GeneratedCase::from_bytes(bytes, &Settings::adversarial()))
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(GeneratedCase::from_bytes(
            u.take_rest(),
            &Settings::adversarial(),
        ))
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (0, Some(MAX_BYTES))
    }
}

/// A case drawn under [`Settings::well_formed`], for fuzz targets that want valid policies.
#[derive(Debug, Clone)]
pub struct WellFormed(pub GeneratedCase);

impl<'a> Arbitrary<'a> for WellFormed {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let len = u.arbitrary_len::<u8>()?;
        let bytes = u.bytes(len)?;
        Ok(WellFormed(GeneratedCase::from_bytes(
            bytes,
            &Settings::well_formed(),
        )))
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(WellFormed(GeneratedCase::from_bytes(
            u.take_rest(),
            &Settings::well_formed(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arbitrary_reads_the_same_generator() {
        let bytes: Vec<u8> = (0..600u32).map(|i| (i * 37 % 251) as u8).collect();
        let case = GeneratedCase::arbitrary_take_rest(Unstructured::new(&bytes)).expect("case");
        assert_eq!(
            case,
            GeneratedCase::from_bytes(&bytes, &Settings::adversarial())
        );
        let WellFormed(valid) =
            WellFormed::arbitrary_take_rest(Unstructured::new(&bytes)).expect("case");
        assert!(valid.policies.all().all(|p| p.model().is_some()));
        // Empty input gives the simplest case: one identity policy, one statement, one request.
        let simplest = GeneratedCase::from_bytes(&[], &Settings::well_formed());
        assert_eq!(simplest.policies.all().count(), 1);
        assert_eq!(simplest.requests.len(), 1);
        let statements = &simplest.policies.identity[0]
            .model()
            .expect("valid")
            .statements;
        assert_eq!(statements.len(), 1);
        assert!(statements[0].conditions.is_empty());
    }
}
