//! ARN-aware wildcard matching: the `ArnEquals`/`ArnLike` condition operators ([`arn_like`]) and
//! the `Resource`/`NotResource` element ([`resource_like`]).
//!
//! For: deciding whether an (expanded) ARN pattern matches an ARN, with the colon-separated
//! structure of ARNs taken into account, case-sensitively.
//!
//! Not for: plain whole-string wildcards (see [`super::glob`]), variable substitution (see
//! [`crate::variables`]), checking that an ARN is well formed for its service (policy validation
//! belongs to [`crate::policy`]).
//!
//! An ARN is `arn:partition:service:region:account-id:resource`, where the resource part may
//! hold further colons (`arn:aws:lambda:us-east-1:111122223333:function:f:prod`) and region or
//! account may be empty (`arn:aws:s3:::bucket/key`, `arn:aws:ec2:us-east-1::image/ami-1`)
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>). Below, the
//! *head segments* of a pattern are the parts before its fifth colon and the *resource part*
//! is everything after it. Colons that came from a policy variable count like any other colon:
//! variables are substituted first, then the pattern is read as an ARN.

use super::glob::{glob, glob_prefix, Cursor, Span, Token};
use crate::variables::Piece;

/// `ArnLike`/`ArnEquals`: true when `value` is an ARN whose six colon-delimited components
/// each match the corresponding component of the pattern.
///
/// The IAM condition-operators page: "Case-sensitive matching of the ARN. Each of the six
/// colon-delimited components of the ARN is checked separately and each can include
/// multi-character match wildcards (`*`) or single-character match wildcards (`?`)", and "The
/// `ArnEquals` and `ArnLike` condition operators behave identically"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>).
/// So `ArnEquals` takes wildcards too; this one function serves both.
///
/// - The value and the pattern are each split at their first five colons; the sixth component
///   (the resource) keeps any further colons, and wildcards in it match colons like any other
///   character. Wildcards in the first five components never cross a colon, because each
///   component is matched on its own.
/// - A value with fewer than six components is not an ARN and matches nothing. Decision (the
///   page is silent): a pattern with fewer than six components (`arn:aws:s3:*`, or `*` alone)
///   matches nothing either, since it has no six components to check. UNVERIFIED against AWS.
/// - Case-sensitive everywhere, the `arn` prefix included.
///
/// ```
/// use iamspec::{matching::arn::arn_like, variables::Piece};
/// let pattern = [Piece::Pattern("arn:aws:sns:*:111122223333:topic-*")];
/// assert!(arn_like(&pattern, "arn:aws:sns:us-east-1:111122223333:topic-a"));
/// assert!(!arn_like(&pattern, "arn:aws:sns:us-east-1:444455556666:topic-a"));
/// assert!(!arn_like(&[Piece::Pattern("arn:aws:sns:*")], "arn:aws:sns:us-east-1:111122223333:t"));
/// ```
pub fn arn_like(pattern: &[Piece<'_>], value: &str) -> bool {
    let Some(values) = split_value(value) else {
        return false;
    };
    let span = Span::whole(pattern);
    let Some(patterns) = split_pattern(span) else {
        return false;
    };
    patterns
        .iter()
        .zip(values)
        .all(|(pattern, value)| glob(*pattern, value, false))
}

/// The `Resource`/`NotResource` element: true when the expanded pattern matches the ARN of the
/// request's resource, case-sensitively.
///
/// The IAM User Guide, "IAM JSON policy elements: Resource"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>):
/// "You can use wildcard characters (`*` and `?`) within the individual segments of an ARN (the
/// parts separated by colons)", "You can use multiple `*` or `?` characters in each segment. If
/// the `*` wildcard is the last character of a resource ARN segment, it can expand to match
/// beyond the colon boundaries", and "The asterisk (`*`) character can expand to replace
/// everything within a segment, including characters like a forward slash (`/`)"; its example
/// `arn:aws:s3:::amzn-s3-demo-bucket/*/test/*` matches `…/1/2/test/3/object.jpg` and
/// `…//test/object.jpg` but not `…/1-test/object.jpg`. The page's examples also show empty
/// region and account segments (`arn:aws:s3:::…`). "In the `Resource` element, the IAM user
/// name is case sensitive."
///
/// The rules, read from that page:
///
/// - In the head segments (partition, service, region, account), `?` matches one character
///   other than `:`, and a `*` matches a run of characters without `:` — unless the `*` is the
///   last character of its segment (it is followed by `:` or ends the pattern), in which case
///   it may run on across colons. So `arn:aws:ec2:us-east-1:111122223333:*`,
///   `arn:aws:s3:*` and `arn:aws:dynamodb:*:table/prod-*` all match
///   `arn:aws:dynamodb:us-east-1:111122223333:table/prod-x`-like ARNs of their service, while
///   `arn:aws:ec2:us-*-1:…` only covers one region segment.
/// - In the resource part (after the pattern's fifth colon) `*` and `?` match any character,
///   `:` included: the resource part is one segment, as in `ArnLike`, and an S3 object key may
///   itself hold colons. Decision: the page does not say whether colons inside the resource
///   part are segment boundaries; reading them as boundaries would make `bucket/*/test/*` miss
///   keys such as `a:b/test/x`. UNVERIFIED against AWS.
/// - Wildcards in the service segment: the page notes that you cannot use one "in the service
///   segment that identifies the AWS product"; that is a validation matter, and here they
///   simply match like in any other head segment. Likewise the ARN page's "You cannot use a
///   wildcard in the portion of the ARN that specifies the resource type" (`…:u*`) is not
///   enforced here: `u*` matches `user/Bob`. UNVERIFIED against AWS.
/// - `*` alone matches every resource, ARN or not (`*` is one segment whose last character is
///   `*`). Any other pattern needs the text to carry the pattern's literal colons, so the
///   policy simulator's default resource `*` is matched by `"Resource": "*"` only; reported
///   against the simulator for `arn:aws:s3:::*/*`
///   (<https://github.com/cloud-custodian/cloud-custodian/issues/4612>) and `arn:aws::s3:*`
///   (<https://github.com/aws/aws-cli/issues/8650>), both implicitly denied on `*`.
///
/// ```
/// use iamspec::{matching::arn::resource_like, variables::Piece};
/// let p = |s| [Piece::Pattern(s)];
/// assert!(resource_like(&p("arn:aws:s3:::bucket/*"), "arn:aws:s3:::bucket/a/b:c"));
/// assert!(resource_like(&p("arn:aws:ec2:*:instance/*"), "arn:aws:ec2:us-east-1:111122223333:instance/i-1"));
/// assert!(!resource_like(&p("arn:aws:ec2:us-*1:instance/*"), "arn:aws:ec2:us-east-1:111122223333:instance/i-1"));
/// assert!(resource_like(&p("arn:aws:ec2:us-east-1::image/ami-*"), "arn:aws:ec2:us-east-1::image/ami-0abc"));
/// ```
pub fn resource_like(pattern: &[Piece<'_>], arn: &str) -> bool {
    let span = Span::whole(pattern);
    let mut segments = [Segment::EMPTY; 6];
    let count = segments_of(span, &mut segments);
    let Some(segments) = segments.get(..count) else {
        return false;
    };
    match_blocks(segments, arn)
}

/// The six components of an ARN value (split at its first five colons, nothing allocated), or
/// `None` when it has fewer.
pub fn split_value(value: &str) -> Option<[&str; 6]> {
    let mut parts = value.splitn(6, ':');
    Some([
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ])
}

/// The six components of an ARN pattern (split at its first five colons, from any piece), or
/// `None` when it has fewer.
fn split_pattern<'p, 'a>(span: Span<'p, 'a>) -> Option<[Span<'p, 'a>; 6]> {
    let mut parts = [span; 6];
    let mut start = span.start();
    let mut found = 0;
    for (at, token) in span.tokens() {
        if found == 5 {
            break;
        }
        if token == Token::Char(':') {
            let after = span.next(at).map(|(_, after)| after)?;
            *parts.get_mut(found)? = span.between(start, at);
            start = after;
            found += 1;
        }
    }
    if found < 5 {
        return None;
    }
    *parts.get_mut(5)? = span.between(start, span.end());
    Some(parts)
}

/// What kind of part of a `Resource` pattern a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SegmentKind {
    /// A head segment (before the fifth colon) whose wildcards stay inside it.
    Head,
    /// A head segment whose last character is `*`: the `*` may run on across colons. The
    /// segment's span excludes that final `*`.
    HeadThenStar,
    /// The resource part (after the fifth colon): one segment, wildcards match `:` too.
    Resource,
}

/// One segment of a `Resource` pattern.
#[derive(Debug, Clone, Copy)]
struct Segment<'p, 'a> {
    kind: SegmentKind,
    /// The segment's tokens (for [`SegmentKind::HeadThenStar`], without the final `*`).
    span: Option<Span<'p, 'a>>,
    /// True when no colon follows the segment in the pattern.
    last: bool,
}

impl Segment<'_, '_> {
    const EMPTY: Self = Segment {
        kind: SegmentKind::Head,
        span: None,
        last: true,
    };

    /// True when the segment's text may be followed by any run of characters (its final `*`).
    fn floats_after(&self) -> bool {
        self.kind == SegmentKind::HeadThenStar
    }
}

/// Splits a `Resource` pattern into its segments; returns how many were written.
fn segments_of<'p, 'a>(span: Span<'p, 'a>, out: &mut [Segment<'p, 'a>; 6]) -> usize {
    let mut count = 0;
    let mut start = span.start();
    let mut last_star: Option<Cursor> = None;
    let mut at = span.start();
    while let Some((token, after)) = span.next(at) {
        if count == 5 {
            break;
        }
        match token {
            Token::Char(':') => {
                if let Some(slot) = out.get_mut(count) {
                    *slot = head_segment(span, start, at, last_star, false);
                }
                count += 1;
                start = after;
                last_star = None;
            }
            Token::Star if span.next(after).is_none_or(|(t, _)| t == Token::Char(':')) => {
                last_star = Some(at);
            }
            _ => {}
        }
        at = after;
    }
    let tail = if count == 5 {
        Segment {
            kind: SegmentKind::Resource,
            span: Some(span.between(start, span.end())),
            last: true,
        }
    } else {
        head_segment(span, start, span.end(), last_star, true)
    };
    if let Some(slot) = out.get_mut(count) {
        *slot = tail;
    }
    count + 1
}

fn head_segment<'p, 'a>(
    span: Span<'p, 'a>,
    start: Cursor,
    end: Cursor,
    final_star: Option<Cursor>,
    last: bool,
) -> Segment<'p, 'a> {
    match final_star {
        Some(star) => Segment {
            kind: SegmentKind::HeadThenStar,
            span: Some(span.between(start, star)),
            last,
        },
        None => Segment {
            kind: SegmentKind::Head,
            span: Some(span.between(start, end)),
            last,
        },
    }
}

/// Where the next segment of the text may start.
#[derive(Debug, Clone, Copy)]
enum Start {
    /// Exactly here.
    At(usize),
    /// Just after any colon at or after this byte (a final `*` came before).
    AfterAnyColonFrom(usize),
}

impl Start {
    fn candidates(self, text: &str) -> impl Iterator<Item = usize> + '_ {
        let (first, from) = match self {
            Start::At(at) => (Some(at), None),
            Start::AfterAnyColonFrom(from) => (None, Some(from)),
        };
        let after_colons = from.into_iter().flat_map(move |from| {
            text.get(from..)
                .unwrap_or_default()
                .match_indices(':')
                .map(move |(i, _)| from + i + 1)
        });
        first.into_iter().chain(after_colons)
    }
}

/// Matches the segments left to right. The segments group into *blocks*, each ending at a
/// segment whose final `*` may run on across colons (or at the last segment). A block's
/// segments match consecutive colon-separated stretches of the text; the block after a final
/// `*` may start after any later colon. Trying each block at its earliest possible start is
/// enough (the `*` that follows a block can absorb whatever a later start would have skipped),
/// except for the last block, which must reach the end of the text and is tried at every start.
fn match_blocks(segments: &[Segment<'_, '_>], text: &str) -> bool {
    let mut start = Start::At(0);
    let mut rest = segments;
    loop {
        let end = rest
            .iter()
            .position(|s| s.floats_after() || s.last)
            .unwrap_or(rest.len().saturating_sub(1));
        let (block, after) = rest.split_at((end + 1).min(rest.len()));
        if after.is_empty() {
            return start
                .candidates(text)
                .any(|at| match_block(block, text, at).is_some());
        }
        match start
            .candidates(text)
            .find_map(|at| match_block(block, text, at))
        {
            Some(next) => start = next,
            None => return false,
        }
        rest = after;
    }
}

/// Matches the segments of one block starting at byte `at` of the text; returns where the next
/// block may start (meaningless after the last segment).
fn match_block(block: &[Segment<'_, '_>], text: &str, mut at: usize) -> Option<Start> {
    let mut next = Start::At(at);
    for segment in block {
        next = match_segment(segment, text, at)?;
        if let Start::At(after) = next {
            at = after;
        }
    }
    Some(next)
}

/// Matches one segment at byte `at` of the text.
fn match_segment(segment: &Segment<'_, '_>, text: &str, at: usize) -> Option<Start> {
    let rest = text.get(at..)?;
    let span = segment.span?;
    let colon = rest.find(':');
    match segment.kind {
        SegmentKind::Resource => glob(span, rest, false).then_some(Start::At(text.len())),
        SegmentKind::Head if segment.last => {
            (colon.is_none() && glob(span, rest, false)).then_some(Start::At(text.len()))
        }
        SegmentKind::Head => {
            let colon = colon?;
            let own = rest.get(..colon)?;
            glob(span, own, false).then_some(Start::At(at + colon + 1))
        }
        SegmentKind::HeadThenStar => {
            // The segment's own tokens must match a colon-free start of the text; its final
            // `*` then runs on, across colons, to wherever the next segment starts.
            let own = rest.get(..colon.unwrap_or(rest.len()))?;
            if !glob_prefix(span, own, false) {
                return None;
            }
            if segment.last {
                return Some(Start::At(text.len()));
            }
            Some(Start::AfterAnyColonFrom(at + colon?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::borrow::Cow;

    fn resource(pattern: &str, arn: &str) -> bool {
        resource_like(&[Piece::Pattern(pattern)], arn)
    }

    fn arn(pattern: &str, value: &str) -> bool {
        arn_like(&[Piece::Pattern(pattern)], value)
    }

    #[test]
    fn resource_page_examples() {
        let p = "arn:aws:s3:::amzn-s3-demo-bucket/*/test/*";
        for key in [
            "1/test/object.jpg",
            "1/2/test/object.jpg",
            "1/2/test/3/object.jpg",
            "1/2/3/test/4/object.jpg",
            "1///test///object.jpg",
            "1/test/.jpg",
            "/test/object.jpg",
            "1/test/",
        ] {
            let arn = format!("arn:aws:s3:::amzn-s3-demo-bucket/{key}");
            assert!(resource(p, &arn), "{arn}");
        }
        for key in ["1-test/object.jpg", "test/object.jpg", "1/2/test.jpg"] {
            let arn = format!("arn:aws:s3:::amzn-s3-demo-bucket/{key}");
            assert!(!resource(p, &arn), "{arn}");
        }
        assert!(resource(
            "arn:aws:iam::111122223333:user/accounting/*",
            "arn:aws:iam::111122223333:user/accounting/bob"
        ));
        assert!(!resource(
            "arn:aws:iam::111122223333:user/accounting/*",
            "arn:aws:iam::111122223333:user/sales/bob"
        ));
        assert!(resource(
            "arn:aws:sqs:us-east-2:111122223333:queue1",
            "arn:aws:sqs:us-east-2:111122223333:queue1"
        ));
    }

    #[test]
    fn resource_is_case_sensitive() {
        assert!(!resource(
            "arn:aws:iam::111122223333:user/Bob",
            "arn:aws:iam::111122223333:user/bob"
        ));
        assert!(!resource(
            "ARN:AWS:iam::111122223333:user/Bob",
            "arn:aws:iam::111122223333:user/Bob"
        ));
    }

    #[test]
    fn star_alone_matches_everything() {
        for arn in ["arn:aws:s3:::b/k", "*", "", "not an arn", "a:b:c:d:e:f:g"] {
            assert!(resource("*", arn), "{arn}");
        }
    }

    #[test]
    fn empty_region_and_account() {
        assert!(resource(
            "arn:aws:ec2:us-east-1::image/ami-*",
            "arn:aws:ec2:us-east-1::image/ami-0abc"
        ));
        assert!(!resource(
            "arn:aws:ec2:us-east-1::image/ami-*",
            "arn:aws:ec2:us-east-1:111122223333:image/ami-0abc"
        ));
        assert!(resource("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/k"));
        assert!(resource("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/"));
        assert!(!resource("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(resource("arn:aws:s3:*:*:bucket/*", "arn:aws:s3:::bucket/k"));
    }

    #[test]
    fn a_final_star_of_a_segment_runs_across_colons() {
        let arn = "arn:aws:dynamodb:us-east-1:111122223333:table/prod-x";
        assert!(resource("arn:aws:dynamodb:us-east-1:111122223333:*", arn));
        assert!(resource("arn:aws:dynamodb:*", arn));
        assert!(resource("arn:aws:dyn*", arn));
        assert!(resource("arn:aws:dynamodb:*:table/prod-*", arn));
        assert!(!resource("arn:aws:dynamodb:*:table/dev-*", arn));
        assert!(resource("arn:aws:dynamodb:us-*:table/*", arn));
        assert!(resource("arn:*:table/prod-x", arn));
        // The resource part's colons: `function:f:prod`.
        let lambda = "arn:aws:lambda:us-east-1:111122223333:function:f:prod";
        assert!(resource("arn:aws:lambda:*:*:function:*", lambda));
        assert!(resource("arn:aws:lambda:*:function:f:*", lambda));
        assert!(!resource("arn:aws:lambda:*:function:g:*", lambda));
    }

    #[test]
    fn other_head_wildcards_stay_inside_their_segment() {
        let arn = "arn:aws:ec2:us-east-1:111122223333:instance/i-1";
        assert!(resource(
            "arn:aws:ec2:us-*-1:111122223333:instance/i-1",
            arn
        ));
        assert!(resource("arn:aws:ec2:us-east-?:*:instance/*", arn));
        // `*1` must not swallow "us-east-1:11112222333".
        assert!(!resource("arn:aws:ec2:*1:instance/i-1", arn));
        assert!(!resource(
            "arn:aws:ec2:us-east-1?111122223333:instance/i-1",
            arn
        ));
        assert!(!resource(
            "arn:aws:ec2?us-east-1:111122223333:instance/i-1",
            arn
        ));
        // A pattern that runs out of colons needs a colon-free rest.
        assert!(!resource("arn:aws:ec2", arn));
        assert!(!resource("arn:aws:ec2:us-east-1:111122223333", arn));
        assert!(!resource(
            "arn:aws:e?2:us-east-1:111122223333:instance/i-2",
            arn
        ));
    }

    #[test]
    fn resource_part_wildcards_cross_colons() {
        assert!(resource(
            "arn:aws:s3:::b/*/test/*",
            "arn:aws:s3:::b/a:b/test/x"
        ));
        assert!(resource("arn:aws:s3:::b/a?b", "arn:aws:s3:::b/a:b"));
        assert!(resource(
            "arn:aws:lambda:us-east-1:111122223333:function:*:prod",
            "arn:aws:lambda:us-east-1:111122223333:function:f:prod"
        ));
    }

    #[test]
    fn non_arn_text_matches_only_star_like_patterns() {
        assert!(!resource("arn:aws:s3:::b", "*"));
        assert!(!resource("arn:aws:s3:::b", ""));
        assert!(resource("a*", "a:b:c"));
        assert!(!resource("a?", "a:"));
    }

    #[test]
    fn literal_pieces_in_resources() {
        let pieces = [
            Piece::Pattern("arn:aws:s3:::home/"),
            Piece::Literal(Cow::Borrowed("a*")),
            Piece::Pattern("/*"),
        ];
        assert!(resource_like(&pieces, "arn:aws:s3:::home/a*/x"));
        assert!(!resource_like(&pieces, "arn:aws:s3:::home/ab/x"));
        // A colon from a variable counts as a colon.
        let pieces = [
            Piece::Pattern("arn:aws:s3"),
            Piece::Literal(Cow::Borrowed(":::")),
            Piece::Pattern("b/*"),
        ];
        assert!(resource_like(&pieces, "arn:aws:s3:::b/k"));
    }

    #[test]
    fn pathological_resource_patterns_stay_fast() {
        let pattern = "arn:*:*:*:*:".to_string() + &"*a".repeat(40) + "b";
        let text = "arn:aws:s3:::".to_string() + &"a".repeat(3000);
        assert!(!resource(&pattern, &text));
        let colons = "arn:".to_string() + &":".repeat(400) + "x";
        assert!(!resource("a*:*:*:*:y", &colons));
        assert!(resource("a*:*:*:*:*x", &colons));
    }

    #[test]
    fn arn_like_checks_six_components() {
        let value = "arn:aws:iam::111122223333:role/admin";
        assert!(arn("arn:aws:iam::111122223333:role/*", value));
        assert!(arn("arn:aws:iam::*:role/admin", value));
        assert!(arn("arn:*:iam::111122223333:role/admin", value));
        assert!(arn("arn:aws:iam::111122223333:role/admin", value));
        assert!(arn("arn:aws:i?m::111122223333:*", value));
        assert!(!arn("arn:aws:iam::111122223333:role/Admin", value));
        assert!(!arn("arn:aws:iam::444455556666:role/admin", value));
        // Wildcards do not cross colons between the first five components...
        assert!(!arn("arn:aws:*:role/admin", value));
        assert!(!arn("arn:aws:iam:*:role/admin", value));
        assert!(!arn("arn:aws:iam:?111122223333:role/admin", value));
        // ...but the resource component keeps its colons.
        let lambda = "arn:aws:lambda:us-east-1:111122223333:function:f:prod";
        assert!(arn(
            "arn:aws:lambda:us-east-1:111122223333:function:*",
            lambda
        ));
        assert!(arn("arn:aws:lambda:*:*:*:prod", lambda));
        assert!(arn("arn:aws:lambda:*:*:function?f?prod", lambda));
        assert!(!arn("arn:aws:lambda:*:*:function:g:*", lambda));
    }

    #[test]
    fn arn_like_needs_arns_on_both_sides() {
        assert!(!arn("*", "arn:aws:iam::111122223333:role/admin"));
        assert!(!arn("arn:aws:s3:*", "arn:aws:s3:::b"));
        assert!(!arn("arn:*:*:*:*:*", "arn:aws:s3::b"));
        assert!(!arn("*:*:*:*:*:*", "not-an-arn"));
        assert!(arn("*:*:*:*:*:*", "a:b:c:d:e:f"));
        assert!(arn("arn:*:*:*:*:*", "arn:aws:s3:::b"));
    }

    #[test]
    fn arn_like_literal_pieces() {
        let pieces = [
            Piece::Pattern("arn:aws:iam::"),
            Piece::Literal(Cow::Borrowed("111122223333")),
            Piece::Pattern(":role/*"),
        ];
        assert!(arn_like(&pieces, "arn:aws:iam::111122223333:role/x"));
        let whole = [Piece::Literal(Cow::Borrowed("arn:aws:iam::1:role/*"))];
        assert!(arn_like(&whole, "arn:aws:iam::1:role/*"));
        assert!(!arn_like(&whole, "arn:aws:iam::1:role/x"));
    }

    /// The documented `Resource` rules written as a regular expression, independently of the
    /// matcher: in the head segments `?` is `[^:]`, a `*` is `[^:]*` unless it ends its segment
    /// (then `.*`); after the fifth colon `*` is `.*` and `?` is `.`.
    fn resource_regex(pattern: &str) -> regex::Regex {
        let chars: Vec<char> = pattern.chars().collect();
        let mut source = String::from("(?s)^");
        let mut colons = 0;
        for (i, &c) in chars.iter().enumerate() {
            let in_head = colons < 5;
            match c {
                '*' if in_head => {
                    let ends_segment = matches!(chars.get(i + 1), None | Some(':'));
                    source.push_str(if ends_segment { ".*" } else { "[^:]*" });
                }
                '?' if in_head => source.push_str("[^:]"),
                '*' => source.push_str(".*"),
                '?' => source.push('.'),
                c => {
                    if c == ':' {
                        colons += 1;
                    }
                    source.push_str(&regex::escape(&c.to_string()));
                }
            }
        }
        source.push('$');
        regex::Regex::new(&source).expect("valid regex")
    }

    /// `ArnLike` as a regular expression: every wildcard stays out of `:` in the first five
    /// components; the sixth takes anything. Patterns with fewer than five colons match nothing.
    fn arn_like_regex(pattern: &str) -> Option<regex::Regex> {
        if pattern.matches(':').count() < 5 {
            return None;
        }
        let mut source = String::from("(?s)^");
        let mut colons = 0;
        for c in pattern.chars() {
            match (c, colons < 5) {
                ('*', true) => source.push_str("[^:]*"),
                ('?', true) => source.push_str("[^:]"),
                ('*', false) => source.push_str(".*"),
                ('?', false) => source.push('.'),
                (c, _) => {
                    if c == ':' {
                        colons += 1;
                    }
                    source.push_str(&regex::escape(&c.to_string()));
                }
            }
        }
        source.push('$');
        regex::Regex::new(&source).ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn resource_agrees_with_the_documented_rules(
            pattern in "[ab:*?/]{0,14}",
            text in "[ab:/]{0,14}",
        ) {
            prop_assert_eq!(resource(&pattern, &text), resource_regex(&pattern).is_match(&text));
        }

        #[test]
        fn arn_like_agrees_with_the_documented_rules(
            pattern in "[ab:*?]{0,14}",
            text in "[ab:]{0,14}",
        ) {
            let expected = arn_like_regex(&pattern).is_some_and(|r| r.is_match(&text));
            prop_assert_eq!(arn(&pattern, &text), expected);
        }

        #[test]
        fn resource_agrees_on_arn_shaped_inputs(
            pattern in proptest::collection::vec("[ab*?]{0,3}", 1..8),
            text in proptest::collection::vec("[ab]{0,2}", 1..9),
        ) {
            let (pattern, text) = (pattern.join(":"), text.join(":"));
            prop_assert_eq!(resource(&pattern, &text), resource_regex(&pattern).is_match(&text));
            let expected = arn_like_regex(&pattern).is_some_and(|r| r.is_match(&text));
            prop_assert_eq!(arn(&pattern, &text), expected);
        }

        #[test]
        fn an_arn_matches_itself(text in "arn:[a-z]{1,3}:[a-z0-9]{1,4}:[a-z-]{0,3}:[0-9]{0,3}:[a-z/:]{0,8}") {
            prop_assert!(resource(&text, &text));
            prop_assert!(arn(&text, &text));
        }
    }
}
