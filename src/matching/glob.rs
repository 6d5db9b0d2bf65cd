//! Whole-string wildcard matching with `*` (any run of characters) and `?` (one character), the
//! wildcard language shared by the `Action`, `Resource` and `StringLike`/`ArnLike` parts of IAM.
//!
//! For: deciding whether a pattern matches *all* of a text, case-sensitively or ignoring ASCII
//! case, where the pattern may be a plain policy string ([`wildcard_match`]) or the pieces of a
//! string after policy-variable substitution ([`pieces_match`]), in which text that came from a
//! variable is always literal.
//!
//! Not for: the ARN structure (colon-separated segments, see [`super::arn`]), variable
//! substitution (see [`crate::variables`]), or deciding which case rule applies where (the
//! callers decide).
//!
//! # Semantics
//!
//! - `*` matches any run of characters, including none and including `/` and `:`; `?` matches
//!   exactly one character (one Unicode scalar value, not one byte). No other character is
//!   special: `[`, `]`, `\`, `{`, `}` match themselves. The Action element: "You can use
//!   multi-character match wildcards (`*`) and single-character match wildcards (`?`)"
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>);
//!   `StringLike`: "The values can include multi-character match wildcards (`*`) and
//!   single-character match wildcards (`?`) anywhere in the string"
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String>).
//! - Case-insensitive matching folds ASCII letters only (`A`-`Z` = `a`-`z`); every other
//!   character must be equal. Decision: AWS documents action names as case-insensitive ("The
//!   prefix and the action name are case insensitive") but not which folding; every service
//!   prefix and action name in the Service Authorization Reference is ASCII, so ASCII folding
//!   decides every real action, and it avoids Unicode's surprises (`K` KELVIN SIGN folding to
//!   `k`, `ß` to `ss`). A non-ASCII action name is compared exactly.
//!
//! # Cost
//!
//! The matcher walks the text once per restart of the most recent `*` (the classic greedy
//! algorithm with a single backtrack point), so it is O(pattern × text) in the worst case and
//! linear in the usual one, never exponential (`*a*a*a…b` against `aaaa…` included). It never
//! allocates and never builds a regex.

use crate::variables::Piece;

/// True when `pattern` matches all of `text`: `*` and `?` in `pattern` are wildcards, every
/// other character matches itself (ignoring ASCII case when `case_insensitive`).
///
/// ```
/// use iamspec::matching::glob::wildcard_match;
/// assert!(wildcard_match("ec2:Describe*", "EC2:DescribeInstances", true));
/// assert!(!wildcard_match("ec2:Describe*", "EC2:DescribeInstances", false));
/// assert!(wildcard_match("a?c", "a/c", false));
/// ```
pub fn wildcard_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    // On bytes, `*` and literal text match exactly as on characters (a literal run starts
    // with a character's first byte, which no continuation byte equals, so every match starts
    // and ends on character boundaries; ASCII folding never touches a byte of a multi-byte
    // character); only `?` (one character, not one byte) needs the characters.
    if (pattern.is_ascii() && text.is_ascii()) || !pattern.as_bytes().contains(&b'?') {
        return anchored_ascii_glob(pattern.as_bytes(), text.as_bytes(), case_insensitive);
    }
    if !pattern.contains(['*', '?']) {
        return if case_insensitive {
            pattern.eq_ignore_ascii_case(text)
        } else {
            pattern == text
        };
    }
    let pieces = [Piece::Pattern(pattern)];
    glob(Span::whole(&pieces), text, case_insensitive)
}

/// True when the pieces of an expanded policy string match all of `text`: `*` and `?` in
/// [`Piece::Pattern`] pieces are wildcards, [`Piece::Literal`] pieces (text that came from a
/// policy variable) match only themselves.
///
/// ```
/// use std::borrow::Cow;
/// use iamspec::{matching::glob::pieces_match, variables::Piece};
/// let pieces = [Piece::Pattern("home/"), Piece::Literal(Cow::Borrowed("*")), Piece::Pattern("/*")];
/// assert!(pieces_match(&pieces, "home/*/notes.txt", false));
/// assert!(!pieces_match(&pieces, "home/alice/notes.txt", false));
/// ```
pub fn pieces_match(pieces: &[Piece<'_>], text: &str, case_insensitive: bool) -> bool {
    glob(Span::whole(pieces), text, case_insensitive)
}

/// The same answer as [`ascii_glob`], cheaper: the literal text before the pattern's first
/// wildcard must start the text and the literal text after its last wildcard must end it (a
/// pattern without wildcards is compared whole), and only what lies between is globbed. Most
/// non-matching patterns are rejected on their first bytes, and the glob never walks a literal
/// prefix again after a `*` restart.
pub(crate) fn anchored_ascii_glob(pattern: &[u8], text: &[u8], case_insensitive: bool) -> bool {
    match literal_ends(pattern, text, case_insensitive) {
        Ends::Mismatch => false,
        Ends::Equal => true,
        Ends::Middle {
            start,
            pattern_end,
            text_end,
        } => match (pattern.get(start..pattern_end), text.get(start..text_end)) {
            (Some(middle), Some(body)) => ascii_glob(middle, body, case_insensitive),
            _ => false,
        },
    }
}

/// What comparing a pattern's literal ends with a text found ([`literal_ends`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ends {
    /// The pattern cannot match: a literal byte differs, or the text is too short.
    Mismatch,
    /// The pattern has no wildcard and equals the text.
    Equal,
    /// The literal ends match: `pattern[start..pattern_end]` (from the first wildcard to the
    /// last) is left to match `text[start..text_end]`.
    Middle {
        start: usize,
        pattern_end: usize,
        text_end: usize,
    },
}

/// Compares the literal text before `pattern`'s first wildcard with the start of `text` and
/// the literal text after its last wildcard with the end of `text`, in one pass each that
/// stops at the first difference.
pub(crate) fn literal_ends(pattern: &[u8], text: &[u8], case_insensitive: bool) -> Ends {
    let same = |p: u8, t: u8| p == t || (case_insensitive && p.eq_ignore_ascii_case(&t));
    let mut start = 0;
    loop {
        match pattern.get(start) {
            None if start == text.len() => return Ends::Equal,
            None => return Ends::Mismatch,
            Some(b'*' | b'?') => break,
            Some(&p) => match text.get(start) {
                Some(&t) if same(p, t) => start += 1,
                _ => return Ends::Mismatch,
            },
        }
    }
    let (mut pattern_end, mut text_end) = (pattern.len(), text.len());
    loop {
        match pattern_end.checked_sub(1).and_then(|i| pattern.get(i)) {
            Some(b'*' | b'?') | None => break,
            Some(&p) => {
                if text_end <= start {
                    return Ends::Mismatch;
                }
                match text.get(text_end - 1) {
                    Some(&t) if same(p, t) => {
                        pattern_end -= 1;
                        text_end -= 1;
                    }
                    _ => return Ends::Mismatch,
                }
            }
        }
    }
    Ends::Middle {
        start,
        pattern_end,
        text_end,
    }
}

/// One token of a pattern.
/// The same whole-string match as [`wildcard_match`] for ASCII pattern and text, on bytes: the
/// hot path of action matching. Iterative, with backtracking to the last `*` only, so it is
/// linear in practice and never exponential.
pub(crate) fn ascii_glob(pattern: &[u8], text: &[u8], case_insensitive: bool) -> bool {
    let same = |p: u8, t: u8| p == t || (case_insensitive && p.eq_ignore_ascii_case(&t));
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p + 1, t));
                p += 1;
                continue;
            }
            Some(b'?') => {
                p += 1;
                t += 1;
                continue;
            }
            Some(&c) if text.get(t).is_some_and(|&x| same(c, x)) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((after_star, tried)) => {
                p = after_star;
                t = tried + 1;
                star = Some((after_star, tried + 1));
            }
            None => return false,
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// `*` from policy text: any run of characters.
    Star,
    /// `?` from policy text: exactly one character.
    Question,
    /// A character that matches only itself (a literal `*` or `?` from a variable included).
    Char(char),
}

/// A position in a list of pieces, always canonical: it points at a character, or it is the
/// end `(pieces.len(), 0)`. Two cursors are equal exactly when they are the same position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cursor {
    piece: usize,
    byte: usize,
}

/// A stretch of an expanded pattern, between two cursors of the same piece list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span<'p, 'a> {
    pieces: &'p [Piece<'a>],
    start: Cursor,
    end: Cursor,
}

fn piece_text<'p>(piece: &'p Piece<'_>) -> &'p str {
    match piece {
        Piece::Pattern(s) => s,
        Piece::Literal(s) => s.as_ref(),
    }
}

impl<'p, 'a> Span<'p, 'a> {
    /// All of `pieces`.
    pub(crate) fn whole(pieces: &'p [Piece<'a>]) -> Self {
        let start = canonical(pieces, Cursor { piece: 0, byte: 0 });
        let end = Cursor {
            piece: pieces.len(),
            byte: 0,
        };
        Span { pieces, start, end }
    }

    /// Where this span starts.
    pub(crate) fn start(&self) -> Cursor {
        self.start
    }

    /// Where this span ends.
    pub(crate) fn end(&self) -> Cursor {
        self.end
    }

    /// The part of this span between `start` and `end` (cursors of this span).
    pub(crate) fn between(&self, start: Cursor, end: Cursor) -> Self {
        Span {
            pieces: self.pieces,
            start,
            end,
        }
    }

    /// The token at `at` and the cursor after it, or `None` at the end of the span.
    pub(crate) fn next(&self, at: Cursor) -> Option<(Token, Cursor)> {
        if at == self.end {
            return None;
        }
        let piece = self.pieces.get(at.piece)?;
        let c = piece_text(piece).get(at.byte..)?.chars().next()?;
        let token = match (piece, c) {
            (Piece::Pattern(_), '*') => Token::Star,
            (Piece::Pattern(_), '?') => Token::Question,
            _ => Token::Char(c),
        };
        let after = canonical(
            self.pieces,
            Cursor {
                piece: at.piece,
                byte: at.byte + c.len_utf8(),
            },
        );
        Some((token, after))
    }

    /// The tokens of the span with the cursor of each.
    pub(crate) fn tokens(self) -> impl Iterator<Item = (Cursor, Token)> + 'p
    where
        'a: 'p,
    {
        let mut at = self.start;
        std::iter::from_fn(move || {
            let (token, after) = self.next(at)?;
            let here = at;
            at = after;
            Some((here, token))
        })
    }
}

/// Moves a cursor past the ends of pieces (and past empty pieces) so that it points at a
/// character or is the end.
fn canonical(pieces: &[Piece<'_>], mut at: Cursor) -> Cursor {
    while let Some(piece) = pieces.get(at.piece) {
        if at.byte < piece_text(piece).len() {
            return at;
        }
        at = Cursor {
            piece: at.piece + 1,
            byte: 0,
        };
    }
    at
}

fn chars_equal(pattern: char, text: char, case_insensitive: bool) -> bool {
    pattern == text || (case_insensitive && pattern.eq_ignore_ascii_case(&text))
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|rest| rest.chars().next())
}

/// The greedy matcher: runs over `text` once, remembering the most recent `*` and the text
/// position it was tried at; on a mismatch the `*` takes one more character and matching
/// resumes after it. Remembering only the most recent `*` is enough because every `*` matches
/// every character: whatever an earlier `*` could absorb, a later one can absorb too.
pub(crate) fn glob(span: Span<'_, '_>, text: &str, case_insensitive: bool) -> bool {
    greedy(span, text, case_insensitive, false)
}

/// True when `span` matches some prefix of `text`: `span` followed by an implicit `*`.
pub(crate) fn glob_prefix(span: Span<'_, '_>, text: &str, case_insensitive: bool) -> bool {
    greedy(span, text, case_insensitive, true)
}

fn greedy(span: Span<'_, '_>, text: &str, case_insensitive: bool, open_end: bool) -> bool {
    let mut at = span.start;
    let mut position = 0;
    let mut last_star: Option<(Cursor, usize)> = None;
    while let Some(c) = char_at(text, position) {
        match span.next(at) {
            Some((Token::Star, after)) => {
                last_star = Some((after, position));
                at = after;
                continue;
            }
            Some((Token::Question, after)) => {
                at = after;
                position += c.len_utf8();
                continue;
            }
            Some((Token::Char(p), after)) if chars_equal(p, c, case_insensitive) => {
                at = after;
                position += c.len_utf8();
                continue;
            }
            None if open_end => return true,
            _ => {}
        }
        let Some((after_star, tried)) = last_star else {
            return false;
        };
        let Some(absorbed) = char_at(text, tried) else {
            return false;
        };
        position = tried + absorbed.len_utf8();
        last_star = Some((after_star, position));
        at = after_star;
    }
    span.between(at, span.end)
        .tokens()
        .all(|(_, token)| token == Token::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::borrow::Cow;

    fn lit(s: &str) -> Piece<'_> {
        Piece::Literal(Cow::Borrowed(s))
    }

    proptest! {
        /// The ASCII byte fast path answers exactly what the general piece matcher answers.
        #[test]
        fn ascii_fast_path_agrees_with_the_general_matcher(
            pattern in "[ab:/*?A]{0,8}",
            text in "[ab:/A]{0,8}",
            case_insensitive in any::<bool>(),
        ) {
            let general = glob(Span::whole(&[Piece::Pattern(&pattern)]), &text, case_insensitive);
            prop_assert_eq!(ascii_glob(pattern.as_bytes(), text.as_bytes(), case_insensitive), general);
            prop_assert_eq!(anchored_ascii_glob(pattern.as_bytes(), text.as_bytes(), case_insensitive), general);
        }

        /// Beyond ASCII, the byte path taken for patterns without `?` answers what the general
        /// matcher answers (multi-byte characters, ASCII folding next to them).
        #[test]
        fn byte_path_agrees_with_the_general_matcher_beyond_ascii(
            pattern in "[aA\u{e9}\u{c9}\u{212a}k\u{1f600}:*?]{0,8}",
            text in "[aA\u{e9}\u{c9}\u{212a}k\u{1f600}:]{0,8}",
            case_insensitive in any::<bool>(),
        ) {
            let general = glob(Span::whole(&[Piece::Pattern(&pattern)]), &text, case_insensitive);
            prop_assert_eq!(wildcard_match(&pattern, &text, case_insensitive), general);
        }
    }

    #[test]
    fn star_matches_any_run_including_slash_and_colon() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("*", "arn:aws:s3:::b/k", false));
        assert!(wildcard_match("a*", "a", false));
        assert!(wildcard_match("a*z", "a:/:z", false));
        assert!(wildcard_match("*/test/*", "1/2/test/3/x", false));
        assert!(!wildcard_match("a*z", "a:/:y", false));
    }

    #[test]
    fn question_mark_is_exactly_one_character() {
        assert!(wildcard_match("a?c", "abc", false));
        assert!(wildcard_match("a?c", "a:c", false));
        assert!(
            wildcard_match("a?c", "aéc", false),
            "one scalar value, two bytes"
        );
        assert!(!wildcard_match("a?c", "ac", false));
        assert!(!wildcard_match("a?c", "abbc", false));
        assert!(!wildcard_match("?", "", false));
    }

    #[test]
    fn whole_string_only() {
        assert!(!wildcard_match("abc", "abcd", false));
        assert!(!wildcard_match("bcd", "abcd", false));
        assert!(!wildcard_match("a*c", "abcd", false));
        assert!(!wildcard_match("", "a", false));
        assert!(wildcard_match("", "", false));
    }

    #[test]
    fn other_characters_are_not_special() {
        assert!(wildcard_match("[a]?c", "[a]bc", false));
        assert!(!wildcard_match("[ab]", "a", false));
        assert!(wildcard_match("a.c", "a.c", false));
        assert!(!wildcard_match("a.c", "abc", false));
        assert!(wildcard_match("\\*", "\\anything", false));
    }

    #[test]
    fn case_rules() {
        assert!(wildcard_match(
            "EC2:describe*",
            "ec2:DescribeInstances",
            true
        ));
        assert!(!wildcard_match(
            "EC2:describe*",
            "ec2:DescribeInstances",
            false
        ));
        assert!(wildcard_match("IAM:LISTUSERS", "iam:ListUsers", true));
        // ASCII folding only.
        assert!(
            !wildcard_match("\u{212A}", "k", true),
            "KELVIN SIGN is not k"
        );
        assert!(!wildcard_match("É", "é", true));
        assert!(wildcard_match("É", "É", true));
    }

    #[test]
    fn pathological_patterns_stay_fast() {
        let pattern = "*a".repeat(60) + "b";
        let text = "a".repeat(5000);
        assert!(!wildcard_match(&pattern, &text, false));
        assert!(wildcard_match(&"*a".repeat(60), &text, false));
        assert!(!wildcard_match(&("*?".repeat(60) + "b"), &text, true));
    }

    #[test]
    fn literal_pieces_are_never_wildcards() {
        let pieces = [Piece::Pattern("a"), lit("*"), Piece::Pattern("b")];
        assert!(pieces_match(&pieces, "a*b", false));
        assert!(!pieces_match(&pieces, "axb", false));
        let pieces = [lit("?"), Piece::Pattern("*")];
        assert!(pieces_match(&pieces, "?x", false));
        assert!(!pieces_match(&pieces, "xx", false));
        let pieces = [Piece::Pattern(""), lit(""), Piece::Pattern("a*"), lit("B")];
        assert!(pieces_match(&pieces, "axyzb", true));
        assert!(!pieces_match(&pieces, "axyzb", false));
        assert!(pieces_match(&[], "", false));
        assert!(!pieces_match(&[], "x", false));
    }

    /// The regular expression a pattern stands for, built independently of the matcher.
    fn regex_of(pieces: &[Piece<'_>], case_insensitive: bool) -> regex::Regex {
        let mut source = String::from(if case_insensitive { "(?is)^" } else { "(?s)^" });
        for piece in pieces {
            match piece {
                Piece::Pattern(s) => {
                    for c in s.chars() {
                        match c {
                            '*' => source.push_str(".*"),
                            '?' => source.push('.'),
                            c => source.push_str(&regex::escape(&c.to_string())),
                        }
                    }
                }
                Piece::Literal(s) => source.push_str(&regex::escape(s)),
            }
        }
        source.push('$');
        regex::Regex::new(&source).expect("valid regex")
    }

    proptest! {
        #[test]
        fn agrees_with_a_regex(pattern in "[ab:/*?é]{0,10}", text in "[ab:/é]{0,12}") {
            let pieces = [Piece::Pattern(pattern.as_str())];
            prop_assert_eq!(
                wildcard_match(&pattern, &text, false),
                regex_of(&pieces, false).is_match(&text)
            );
        }

        #[test]
        fn agrees_with_a_regex_ignoring_ascii_case(
            pattern in "[abAB:*?]{0,10}",
            text in "[abAB:]{0,12}",
        ) {
            let pieces = [Piece::Pattern(pattern.as_str())];
            prop_assert_eq!(
                wildcard_match(&pattern, &text, true),
                regex_of(&pieces, true).is_match(&text)
            );
        }

        #[test]
        fn pieces_agree_with_a_regex(
            parts in proptest::collection::vec(("[ab*?]{0,4}", any::<bool>()), 0..5),
            text in "[ab*?]{0,10}",
        ) {
            let pieces: Vec<Piece<'_>> = parts
                .iter()
                .map(|(s, literal)| if *literal { lit(s) } else { Piece::Pattern(s) })
                .collect();
            prop_assert_eq!(
                pieces_match(&pieces, &text, false),
                regex_of(&pieces, false).is_match(&text)
            );
        }

        #[test]
        fn a_text_matches_itself_and_star_matches_all(text in "\\PC{0,20}") {
            let pieces = [lit(text.as_str())];
            prop_assert!(pieces_match(&pieces, &text, false));
            prop_assert!(wildcard_match("*", &text, false));
        }
    }
}
