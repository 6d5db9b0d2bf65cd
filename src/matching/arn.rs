//! ARN matching for the `ArnEquals`/`ArnLike` condition operators.
//!
//! STUB: to be replaced by the matching work. The API below is the contract other modules use.

use crate::variables::Piece;

/// `ArnLike`/`ArnEquals` semantics: the pattern and the value are split into their six
/// colon-separated parts and each part is matched on its own (wildcards never cross `:`),
/// case-sensitively.
pub fn arn_like(pattern: &[Piece<'_>], value: &str) -> bool {
    crate::matching::glob::pieces_match(pattern, value, false)
}
