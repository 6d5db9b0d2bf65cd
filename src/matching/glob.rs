//! Whole-string wildcard matching with `*` (any run of characters) and `?` (one character).
//!
//! STUB: to be replaced by the matching work. The API below is the contract other modules use.

use crate::variables::Piece;

/// True when `pattern` matches all of `text`.
pub fn wildcard_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    if case_insensitive {
        pattern.eq_ignore_ascii_case(text) || pattern == "*"
    } else {
        pattern == text || pattern == "*"
    }
}

/// True when the expanded pieces match all of `text`: wildcards in [`Piece::Pattern`] pieces
/// are wildcards, [`Piece::Literal`] pieces match only themselves.
pub fn pieces_match(pieces: &[Piece<'_>], text: &str, case_insensitive: bool) -> bool {
    let joined: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Pattern(s) => *s,
            Piece::Literal(s) => s.as_ref(),
        })
        .collect();
    wildcard_match(&joined, text, case_insensitive)
}
