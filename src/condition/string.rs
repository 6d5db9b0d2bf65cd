//! String operators (`StringEquals`, `StringEqualsIgnoreCase`, `StringLike` and their negations)
//! and ARN operators (`ArnEquals`, `ArnLike` and their negations): comparing a context value
//! with a policy value after policy-variable substitution.
//!
//! AWS ([IAM User Guide: Condition operators, String][string] and [ARN][arn]):
//! - `StringEquals` is "exact matching, case sensitive"; `StringEqualsIgnoreCase` "ignoring
//!   case". Wildcards are not wildcards here: `*` matches only `*`.
//! - `StringLike` is case-sensitive matching where `*` and `?` are wildcards "anywhere in the
//!   string" and the whole string must match ("you must specify wildcards to achieve partial
//!   string matches") — [`crate::matching::glob::pieces_match`].
//! - `ArnEquals` and `ArnLike` "behave identically": each of the six colon-delimited parts is
//!   matched on its own, case-sensitively, with wildcards — [`crate::matching::arn::arn_like`].
//! - Policy variables may be used with both families; text that came from a variable is always
//!   literal ([`Piece::Literal`]).
//!
//! Decision where the docs are silent: "ignoring case" is Unicode simple case folding per
//! character (a character equals another when their upper-case or lower-case forms are equal),
//! as Java's `String.equalsIgnoreCase` does; ASCII is the common case and takes a fast path.
//!
//! [string]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
//! [arn]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN

use crate::matching::{arn, glob};
use crate::variables::Piece;

use super::BaseOperator;

/// True when the positive form of `operator` (a String or ARN operator) holds between the
/// expanded policy value `pieces` and the context value `text`: equal, equal ignoring case,
/// like, or ARN-like.
pub(crate) fn matches(operator: BaseOperator, pieces: &[Piece<'_>], text: &str) -> bool {
    match operator {
        BaseOperator::StringEquals | BaseOperator::StringNotEquals => {
            pieces_equal(pieces, text, false)
        }
        BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase => {
            pieces_equal(pieces, text, true)
        }
        BaseOperator::StringLike | BaseOperator::StringNotLike => {
            glob::pieces_match(pieces, text, false)
        }
        BaseOperator::ArnEquals
        | BaseOperator::ArnLike
        | BaseOperator::ArnNotEquals
        | BaseOperator::ArnNotLike => arn::arn_like(pieces, text),
        _ => false,
    }
}

/// The text of a piece.
fn piece_text<'p>(piece: &'p Piece<'_>) -> &'p str {
    match piece {
        Piece::Pattern(s) => s,
        Piece::Literal(s) => s.as_ref(),
    }
}

/// True when the pieces, joined, equal `text` (no wildcards).
pub(crate) fn pieces_equal(pieces: &[Piece<'_>], text: &str, ignore_case: bool) -> bool {
    if let [piece] = pieces {
        return text_equal(piece_text(piece), text, ignore_case);
    }
    if !ignore_case {
        let mut rest = text;
        for piece in pieces {
            match rest.strip_prefix(piece_text(piece)) {
                Some(after) => rest = after,
                None => return false,
            }
        }
        return rest.is_empty();
    }
    let mut policy_chars = pieces.iter().flat_map(|p| piece_text(p).chars());
    let mut text_chars = text.chars();
    loop {
        match (policy_chars.next(), text_chars.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if chars_equal_ignoring_case(a, b) => {}
            _ => return false,
        }
    }
}

/// True when `a` equals `b`, optionally ignoring case.
fn text_equal(a: &str, b: &str, ignore_case: bool) -> bool {
    if !ignore_case {
        return a == b;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    let mut x = a.chars();
    let mut y = b.chars();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(c), Some(d)) if chars_equal_ignoring_case(c, d) => {}
            _ => return false,
        }
    }
}

/// Per-character case-insensitive equality (Java `equalsIgnoreCase` style).
fn chars_equal_ignoring_case(a: char, b: char) -> bool {
    a == b || a.to_uppercase().eq(b.to_uppercase()) || a.to_lowercase().eq(b.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn pattern(s: &str) -> Vec<Piece<'_>> {
        vec![Piece::Pattern(s)]
    }

    #[test]
    fn equals_is_exact_and_case_sensitive() {
        assert!(pieces_equal(&pattern("Prod"), "Prod", false));
        assert!(!pieces_equal(&pattern("Prod"), "prod", false));
        assert!(
            !pieces_equal(&pattern("Pro*"), "Prod", false),
            "no wildcards"
        );
        assert!(pieces_equal(&pattern("Pro*"), "Pro*", false));
        assert!(!pieces_equal(&pattern("Prod"), "Prod ", false));
    }

    #[test]
    fn ignore_case_folds_ascii_and_unicode() {
        assert!(pieces_equal(&pattern("PROD"), "prod", true));
        assert!(pieces_equal(&pattern("ÉTÉ"), "été", true));
        assert!(!pieces_equal(&pattern("prod"), "prod2", true));
        assert!(!pieces_equal(&pattern("pro*"), "prod", true));
    }

    #[test]
    fn joined_pieces_compare_as_one_string() {
        let pieces = vec![
            Piece::Pattern("home/"),
            Piece::Literal(Cow::Borrowed("Alice")),
            Piece::Pattern("/"),
        ];
        assert!(pieces_equal(&pieces, "home/Alice/", false));
        assert!(!pieces_equal(&pieces, "home/alice/", false));
        assert!(pieces_equal(&pieces, "HOME/alice/", true));
        assert!(!pieces_equal(&pieces, "home/Alice", false));
        assert!(!pieces_equal(&pieces, "home/Alice//", true));
    }

    #[test]
    fn operators_pick_their_comparison() {
        assert!(matches(BaseOperator::StringEquals, &pattern("a"), "a"));
        assert!(matches(BaseOperator::StringNotEquals, &pattern("a"), "a"));
        assert!(matches(
            BaseOperator::StringEqualsIgnoreCase,
            &pattern("A"),
            "a"
        ));
        assert!(!matches(BaseOperator::StringEquals, &pattern("A"), "a"));
        assert!(matches(BaseOperator::StringLike, &pattern("*"), "anything"));
        assert!(matches(
            BaseOperator::ArnLike,
            &pattern("arn:aws:s3:::b"),
            "arn:aws:s3:::b"
        ));
        assert!(!matches(BaseOperator::NumericEquals, &pattern("1"), "1"));
    }
}
