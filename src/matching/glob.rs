//! Whole-string wildcard matching with `*` (any run of characters) and `?` (one character).
//!
//! STUB: to be replaced by the matching work.

/// True when `pattern` matches all of `text`.
pub fn wildcard_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    if case_insensitive {
        pattern.eq_ignore_ascii_case(text) || pattern == "*"
    } else {
        pattern == text || pattern == "*"
    }
}
