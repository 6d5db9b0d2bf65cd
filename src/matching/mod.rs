//! Matching actions and resources against the patterns of a policy: wildcards (`*`, `?`),
//! case rules, ARN segments, and policy variables in `Resource`.
//!
//! For: the `Action`/`NotAction` test ([`action_matches`]) and the `Resource`/`NotResource`
//! test ([`resource_matches`]) of one pattern against one request, plus the matchers the
//! condition operators share ([`glob::wildcard_match`], [`glob::pieces_match`],
//! [`arn::arn_like`]).
//!
//! Not for: how several patterns of an element combine, or `Not…` inversion (see
//! [`crate::authorize`]), condition operators themselves (see [`crate::condition`]), or
//! rejecting malformed patterns (see [`crate::policy`]): every function here is total and
//! answers for the pattern as written.
//!
//! | what | rule | source |
//! |---|---|---|
//! | actions | whole-string wildcards, ASCII case-insensitive | Action element page |
//! | resources | ARN segments, case-sensitive, a segment's final `*` crosses `:` | Resource element page |
//! | `ArnLike`/`ArnEquals` | six components matched separately, case-sensitive | condition operators page |
//! | `StringLike` | whole-string wildcards | condition operators page |
//! | variables | `${key}`, defaults, `${*}` `${?}` `${$}`, 2012-10-17 only | Variables and tags page |

pub mod arn;
pub mod glob;

use crate::context::ContextView;
use crate::policy::{ActionBlock, ResourceBlock};
use crate::variables::{self, Piece};

/// True when an `Action` pattern (e.g. `ec2:Describe*`) matches an action name, ignoring case.
///
/// "The prefix and the action name are case insensitive. For example, `iam:ListAccessKeys` is
/// the same as `IAM:listaccesskeys`", "You can use a wildcard (`*`) to give access to all the
/// actions the specific AWS product offers" (`s3:*`), and "You can also use wildcards (`*` or
/// `?`) as part of the action name", e.g. `iam:*AccessKey*`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>).
/// The whole pattern is matched against the whole `service:Action` string with
/// [`glob::wildcard_match`], ASCII case folding (see [`glob`] for why ASCII):
///
/// - `*` alone matches every action; `ec2:*` every EC2 action; `ec2:*Instances` every EC2
///   action ending in `Instances`; `?` is one character anywhere.
/// - A wildcard in the service prefix (`*:Describe*`, `s3*:Get*`) would match across the colon
///   here; IAM rejects such documents when they are stored ("Action vendors (e.g., aws, ec2,
///   etc.) must not contain wildcards", reported in
///   <https://github.com/boogy/iam-policy-validator/pull/172>), so the answer for them only
///   matters for policies that skipped validation. Likewise a pattern with no colon other
///   than `*` ("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
///   IAM's `MalformedPolicyDocument` message, mirrored by moto's
///   `moto/iam/policy_validation.py`) or with two colons ("Actions/Condition can contain only
///   one colon", <https://github.com/garnaat/kappa/issues/111>) is a validation error; here it
///   simply matches the actions its text matches, so `GetObject` matches no action.
///
/// ```
/// use iamspec::matching::action_matches;
/// assert!(action_matches("EC2:describe*", "ec2:DescribeInstances"));
/// assert!(action_matches("ec2:*Instances", "ec2:TerminateInstances"));
/// assert!(action_matches("iam:*AccessKey*", "iam:ListAccessKeys"));
/// assert!(!action_matches("ec2:Describe*", "ec2:RunInstances"));
/// ```
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob::wildcard_match(pattern, action, true)
}

/// True when a `Resource` pattern matches an ARN, with the Resource element's rules. Policy
/// variables in the pattern are substituted from `context` when `variables_enabled`; a variable
/// whose key is absent (and has no default) makes the pattern match nothing, and its key is
/// pushed onto `missing`.
///
/// The matching rules are [`arn::resource_like`]'s (case-sensitive ARN segments, `*` alone
/// matches everything, a segment's final `*` reaches across colons); the substitution rules
/// are [`variables::expand`]'s ("If a variable that has no value in the authorization context
/// is used as part of the `Resource` or `NotResource` element of a policy, the resource that
/// includes a policy variable with no value will not match any resource",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>).
/// Substituted text is literal: a tag value `a*` matches only `a*`.
///
/// A pattern without `${` (or any pattern when variables are off) costs no allocation.
///
/// ```
/// use iamspec::context::{ContextKeyType, ContextView, RequestContext};
/// use iamspec::matching::resource_matches;
///
/// let request = RequestContext::new().with("aws:username", ContextKeyType::String, &["alice"]);
/// let view = ContextView::request_only(&request);
/// let mut missing = Vec::new();
/// let pattern = "arn:aws:s3:::bucket/home/${aws:username}/*";
/// assert!(resource_matches(pattern, "arn:aws:s3:::bucket/home/alice/notes", &view, true, &mut missing));
/// assert!(!resource_matches(pattern, "arn:aws:s3:::bucket/home/alice/notes", &view, false, &mut missing));
/// assert!(!resource_matches("arn:aws:s3:::${aws:PrincipalTag/team}/*", "arn:aws:s3:::x/y", &view, true, &mut missing));
/// assert_eq!(missing, vec!["aws:PrincipalTag/team".to_string()]);
/// ```
pub fn resource_matches(
    pattern: &str,
    arn: &str,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> bool {
    if pattern == "*" {
        return true;
    }
    if variables_enabled && pattern.contains("${") {
        return match variables::expand(pattern, context, true, missing) {
            Some(pieces) => arn::resource_like(&pieces, arn),
            None => false,
        };
    }
    // The literal text before the first wildcard must start the ARN and the literal text after
    // the last one must end it, whatever the segment rules: a cheap rejection of most patterns
    // (checked before anything else is read of the pattern).
    let (start, pattern_end, text_end) =
        match glob::literal_ends(pattern.as_bytes(), arn.as_bytes(), false) {
            glob::Ends::Mismatch => return false,
            glob::Ends::Equal => return true,
            glob::Ends::Middle {
                start,
                pattern_end,
                text_end,
            } => (start, pattern_end, text_end),
        };
    // A head (before the fifth colon) inside the literal prefix is literal, and equal to the
    // ARN's: the plain glob decides without reading the head's wildcards.
    let prefix = pattern.as_bytes().get(..start).unwrap_or_default();
    let literal_head = prefix.iter().filter(|&&b| b == b':').count() >= 5;
    if pattern.is_ascii()
        && arn.is_ascii()
        && (literal_head || head_stars_only_end_segments(pattern.as_bytes()))
    {
        // Prefix and suffix are known equal: only the part between them is globbed.
        return match (
            pattern.as_bytes().get(start..pattern_end),
            arn.as_bytes().get(start..text_end),
        ) {
            (Some(middle), Some(body)) => glob::ascii_glob(middle, body, false),
            _ => false,
        };
    }
    arn::resource_like(&[Piece::Pattern(pattern)], arn)
}

/// True when a plain glob (`*` matching any run, colons included) decides a `Resource` pattern
/// exactly as [`arn::resource_like`] does: before the pattern's fifth colon there is no `?`
/// and every `*` ends its segment (it is followed by `:` or ends the pattern). Such a `*` may
/// run on across colons, as a glob's `*` does, and the rest of each head segment is literal
/// text without colons, which must then match the text exactly in both readings; after the
/// fifth colon wildcards match anything in both. (`resource_shortcuts_agree_with_the_segment_matcher`
/// checks the two against each other.)
fn head_stars_only_end_segments(pattern: &[u8]) -> bool {
    let mut colons = 0;
    for (i, &b) in pattern.iter().enumerate() {
        match b {
            b':' => {
                colons += 1;
                if colons == 5 {
                    return true;
                }
            }
            b'?' => return false,
            b'*' if !matches!(pattern.get(i + 1), None | Some(b':')) => return false,
            _ => {}
        }
    }
    true
}

/// True when the statement's `Action`/`NotAction` covers the action.
pub fn action_applies(block: &ActionBlock, action: &str) -> bool {
    match block {
        ActionBlock::Action(patterns) => patterns.iter().any(|p| action_matches(p, action)),
        ActionBlock::NotAction(patterns) => !patterns.iter().any(|p| action_matches(p, action)),
    }
}

/// True when the statement's `Resource`/`NotResource` covers the ARN (an absent element covers
/// every resource, as in role trust policies).
pub fn resource_applies(
    block: Option<&ResourceBlock>,
    arn: &str,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> bool {
    match block {
        None => true,
        Some(ResourceBlock::Resource(patterns)) => patterns
            .iter()
            .any(|p| resource_matches(p, arn, context, variables_enabled, missing)),
        Some(ResourceBlock::NotResource(patterns)) => !patterns
            .iter()
            .any(|p| resource_matches(p, arn, context, variables_enabled, missing)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{ContextKeyType, RequestContext};

    proptest::proptest! {
        /// The shortcuts of `resource_matches` (exact compare, literal prefix and suffix) never
        /// change an answer of the segment-aware matcher.
        #[test]
        fn resource_shortcuts_agree_with_the_segment_matcher(
            pattern in "(arn:aws:[a-z*]{0,2}:[a-z0-9*?-]{0,3}:[0-9*]{0,2}:)?[a-z/:*?]{0,6}",
            arn in "(arn:aws:[a-z]{0,2}:[a-z0-9-]{0,3}:[0-9]{0,2}:)?[a-z/:]{0,6}",
        ) {
            let request = RequestContext::new();
            let view = ContextView::request_only(&request);
            let general = pattern == "*" || arn::resource_like(&[Piece::Pattern(&pattern)], &arn);
            proptest::prop_assert_eq!(resource_matches(&pattern, &arn, &view, false, &mut Vec::new()), general);
        }
    }

    #[test]
    fn actions() {
        assert!(action_matches("*", "s3:GetObject"));
        assert!(action_matches("s3:*", "S3:getobject"));
        assert!(action_matches("s3:Get*", "s3:GetObject"));
        assert!(action_matches("s3:Get?bject", "s3:GetObject"));
        assert!(action_matches("ec2:*Instances", "ec2:DescribeInstances"));
        assert!(!action_matches("ec2:*Instances", "ec2:DescribeInstance"));
        assert!(!action_matches("s3:Get", "s3:GetObject"));
        assert!(!action_matches("s3:*", "s3express:CreateSession"));
        assert!(!action_matches("iam:ListUsers", "iam:ListUser"));
        // Not validated here: wildcards in the prefix match like anywhere else.
        assert!(action_matches("*:Describe*", "ec2:DescribeInstances"));
        assert!(!action_matches("s3", "s3:GetObject"));
    }

    fn view_of(request: &RequestContext) -> ContextView<'_> {
        ContextView::request_only(request)
    }

    #[test]
    fn resources_with_variables() {
        let request = RequestContext::new()
            .with("aws:username", ContextKeyType::String, &["ali*"])
            .with("aws:PrincipalTag/team", ContextKeyType::String, &["blue"]);
        let view = view_of(&request);
        let mut missing = Vec::new();
        let pattern = "arn:aws:s3:::bucket/${aws:username}/*";
        assert!(resource_matches(
            pattern,
            "arn:aws:s3:::bucket/ali*/x",
            &view,
            true,
            &mut missing
        ));
        assert!(!resource_matches(
            pattern,
            "arn:aws:s3:::bucket/alice/x",
            &view,
            true,
            &mut missing
        ));
        // Version 2008-10-17: the variable is literal policy text.
        assert!(resource_matches(
            pattern,
            "arn:aws:s3:::bucket/${aws:username}/x",
            &view,
            false,
            &mut missing
        ));
        let pattern = "arn:aws:s3:::bucket-${aws:PrincipalTag/dept, 'company-wide'}";
        assert!(resource_matches(
            pattern,
            "arn:aws:s3:::bucket-company-wide",
            &view,
            true,
            &mut missing
        ));
        assert!(missing.is_empty());
        let pattern = "arn:aws:sns:*:*:${aws:PrincipalTag/team}-${aws:PrincipalTag/app}-*";
        assert!(!resource_matches(
            pattern,
            "arn:aws:sns:us-east-1:111122223333:blue-x-1",
            &view,
            true,
            &mut missing
        ));
        assert_eq!(missing, vec!["aws:PrincipalTag/app".to_string()]);
    }

    proptest::proptest! {
        /// A substituted value is literal: it matches itself and nothing else, whatever
        /// wildcards or colons it holds.
        #[test]
        fn substituted_values_match_only_themselves(value in "[a*?:/]{0,8}", other in "[a*?:/]{0,8}") {
            let request = RequestContext::new().with("aws:PrincipalTag/k", ContextKeyType::String, &[&value]);
            let view = view_of(&request);
            let mut missing = Vec::new();
            let pattern = "arn:aws:s3:::b/${aws:PrincipalTag/k}";
            let matches = |suffix: &str| {
                resource_matches(pattern, &format!("arn:aws:s3:::b/{suffix}"), &view, true, &mut Vec::new())
            };
            proptest::prop_assert!(matches(&value));
            proptest::prop_assert_eq!(matches(&other), other == value);
            proptest::prop_assert!(resource_matches(pattern, "arn:aws:s3:::b/x", &view, true, &mut missing) == (value == "x"));
            proptest::prop_assert!(missing.is_empty());
        }
    }

    #[test]
    fn star_matches_every_resource_even_with_variables_on() {
        let request = RequestContext::new();
        let mut missing = Vec::new();
        for arn in ["arn:aws:s3:::b", "*", ""] {
            assert!(resource_matches(
                "*",
                arn,
                &view_of(&request),
                true,
                &mut missing
            ));
        }
        assert!(missing.is_empty());
    }
}
