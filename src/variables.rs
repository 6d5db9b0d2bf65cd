//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'company-wide'}`, and the
//! escapes `${*}`, `${?}`, `${$}`.
//!
//! For: turning a policy string (a `Resource` pattern, a string or ARN condition value) into
//! [`Piece`]s, substituting each variable from the request context, so that the matchers can
//! tell policy text (where `*` and `?` are wildcards) from substituted text (always literal).
//!
//! Not for: matching (see [`crate::matching`]), deciding which elements or operators take
//! variables (the callers decide: the `Resource` element and the string and ARN condition
//! operators), or validating policies.
//!
//! # The rules, and where they come from
//!
//! Sources: the IAM User Guide, "IAM policy elements: Variables and tags"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>),
//! quoted below as *Variables*.
//!
//! - Syntax: "Variables are marked using a `$` prefix followed by a pair of curly braces
//!   (`{ }`) that include the variable name of the value from the request" (*Variables*).
//! - Only in Version `2012-10-17` policies: "If you don't include the `Version` element and set
//!   it to an appropriate version date, variables like `${aws:username}` are treated as literal
//!   strings in the policy" (*Variables*). Without `variables_enabled` the whole template is one
//!   [`Piece::Pattern`], `${…}` included.
//! - Key names are looked up case-insensitively: "Key names are case-insensitive. For example,
//!   `aws:CurrentTime` is equivalent to `AWS:currenttime`" (*Variables*); the lookup is
//!   [`ContextView::get`], the resource's own keys first.
//! - Absent keys: "When policy variables reference a condition context key that has no value or
//!   is not present in an authorization context for a request, the value is effectively null",
//!   and in `Resource`/`NotResource` "the resource that includes a policy variable with no value
//!   will not match any resource" (*Variables*, "Policy variables with no value"). [`expand`]
//!   returns `None` and pushes the key, as written in the policy, onto `missing` (the
//!   simulator's `MissingContextValues`); every absent key of the template is reported, each
//!   once.
//! - Defaults: "surround the default value with single quotes (`' '`), and separate the
//!   variable text and the default value with a comma and space (`, `)", for example
//!   `${aws:PrincipalTag/team, 'company-wide'}` (*Variables*, "Specifying default values"). A
//!   variable with a default never fails and reports no missing key.
//! - Escapes: "`${*}` - use where you need an `*` (asterisk) character", "`${?}`" likewise for
//!   `?`, "`${$}`" for `$`; "These predefined policy variables can be used in any string where
//!   you can use regular policy variables" (*Variables*, "Special characters"). They give a
//!   literal `*`, `?` or `$`.
//! - Multivalued keys: "You can use any single-valued condition key as a variable. You can't use
//!   a multivalued condition key as a variable" (*Variables*).
//!
//! # Decisions where the page is silent (UNVERIFIED against AWS)
//!
//! - Substituted text is literal: a `*` or `?` in a tag value, a context value or a default is
//!   not a wildcard ([`Piece::Literal`]). The page only says that `${*}` exists because a `*`
//!   written in the policy would be a wildcard.
//! - A key of a list type (`stringList`, …) cannot fill a variable: the default is used if
//!   there is one, otherwise the template has no value (`None`), but the key is *not* reported
//!   missing, since the request carries it. A single-valued key with no value counts as absent.
//! - Whitespace: the key is trimmed (`${ aws:username }` = `${aws:username}`), and any
//!   whitespace, or none, may surround the comma and the quoted default. The default is any
//!   text without `'` (the page gives no escape), `}` and `,` included; it may be empty.
//! - Malformed variables are policy text, kept as a [`Piece::Pattern`]: an unterminated `${`
//!   (no `}`), an empty key (`${}`), a key holding `$`, `{` or `'`, or a default not in single
//!   quotes. Scanning resumes just after the `${`, so `a${b${c}` is the text `a${b` followed by
//!   the variable `c`. (Policy validation may reject such documents; evaluation stays total.)
//! - A variable may appear anywhere in the string. The `Resource` page allows them only "in the
//!   resource portion of the ARN… after the fifth colon"; whether AWS substitutes them earlier
//!   is unknown, and they are substituted everywhere here.

use std::borrow::Cow;

use crate::context::ContextView;
use crate::explain::push_key_once;

/// A piece of a policy string after variable substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text from the policy itself: `*` and `?` in it are wildcards where the operator has them.
    Pattern(&'a str),
    /// Text that came from a variable (a context value, a default, or `${*}`/`${?}`/`${$}`):
    /// always literal, never a wildcard.
    Literal(Cow<'a, str>),
}

/// Substitutes the policy variables of `template`. Without `variables_enabled` (a policy that is
/// not Version 2012-10-17) the whole template is one [`Piece::Pattern`]. Returns `None` when a
/// variable's key is absent and has no default; that key is pushed onto `missing`.
///
/// Does not allocate a string when the template holds no `${`. See the module documentation
/// for the rules and their sources.
///
/// ```
/// use iamspec::context::{ContextKeyType, ContextView, RequestContext};
/// use iamspec::variables::{expand, Piece};
///
/// let request = RequestContext::new().with("aws:username", ContextKeyType::String, &["alice"]);
/// let view = ContextView::request_only(&request);
/// let mut missing = Vec::new();
///
/// let pieces = expand("home/${AWS:UserName}/*", &view, true, &mut missing).unwrap();
/// assert_eq!(pieces, vec![Piece::Pattern("home/"), Piece::Literal("alice".into()), Piece::Pattern("/*")]);
///
/// assert_eq!(expand("team/${aws:PrincipalTag/team}", &view, true, &mut missing), None);
/// assert_eq!(missing, vec!["aws:PrincipalTag/team".to_string()]);
///
/// let pieces = expand("${aws:PrincipalTag/team, 'company-wide'}", &view, true, &mut missing).unwrap();
/// assert_eq!(pieces, vec![Piece::Literal("company-wide".into())]);
/// ```
pub fn expand<'a>(
    template: &'a str,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> Option<Vec<Piece<'a>>> {
    if !variables_enabled || !template.contains("${") {
        return Some(vec![Piece::Pattern(template)]);
    }
    let mut pieces = Vec::new();
    let mut resolved = true;
    let mut text_start = 0;
    let mut scan = 0;
    while let Some(found) = template.get(scan..).and_then(|rest| rest.find("${")) {
        let open = scan + found;
        let Some((variable, close)) = template.get(open + 2..).and_then(parse_variable) else {
            scan = open + 2;
            continue;
        };
        push_text(&mut pieces, template.get(text_start..open));
        match variable.resolve(context) {
            Resolution::Value(piece) => pieces.push(piece),
            Resolution::Absent(key) => {
                push_key_once(missing, key);
                resolved = false;
            }
            Resolution::Unusable => resolved = false,
        }
        text_start = open + 2 + close;
        scan = text_start;
    }
    push_text(&mut pieces, template.get(text_start..));
    resolved.then_some(pieces)
}

fn push_text<'a>(pieces: &mut Vec<Piece<'a>>, text: Option<&'a str>) {
    if let Some(text) = text.filter(|t| !t.is_empty()) {
        pieces.push(Piece::Pattern(text));
    }
}

/// A well-formed `${…}`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Variable<'a> {
    /// `${*}`, `${?}` or `${$}`: the character itself.
    Escape(&'static str),
    /// `${key}` or `${key, 'default'}`.
    Key {
        key: &'a str,
        default: Option<&'a str>,
    },
}

/// What a variable stands for in a request.
enum Resolution<'a> {
    /// Its text.
    Value(Piece<'a>),
    /// Its key is absent (the key, as written).
    Absent(&'a str),
    /// Its key is present but cannot fill a variable (multivalued).
    Unusable,
}

impl<'a> Variable<'a> {
    fn resolve(&self, context: &ContextView<'_>) -> Resolution<'a> {
        let (key, default) = match self {
            Variable::Escape(c) => return Resolution::Value(Piece::Literal(Cow::Borrowed(*c))),
            Variable::Key { key, default } => (*key, *default),
        };
        let fallback = |otherwise| match default {
            Some(text) => Resolution::Value(Piece::Literal(Cow::Borrowed(text))),
            None => otherwise,
        };
        match context.get(key) {
            None => fallback(Resolution::Absent(key)),
            Some(entry) if entry.key_type.is_list() => fallback(Resolution::Unusable),
            Some(entry) => match entry.values.first() {
                Some(value) => Resolution::Value(Piece::Literal(Cow::Owned(value.clone()))),
                None => fallback(Resolution::Absent(key)),
            },
        }
    }
}

/// Parses the inside of a `${…}`, given the text just after `${`. Returns the variable and the
/// length up to and including its `}`, or `None` when it is not a well-formed variable.
fn parse_variable(after_open: &str) -> Option<(Variable<'_>, usize)> {
    for (escape, text) in [("*}", "*"), ("?}", "?"), ("$}", "$")] {
        if after_open.starts_with(escape) {
            return Some((Variable::Escape(text), escape.len()));
        }
    }
    let end_of_key = after_open.find([',', '}'])?;
    let key = after_open.get(..end_of_key)?.trim();
    if key.is_empty() || key.contains(['$', '{', '\'']) {
        return None;
    }
    if after_open.get(end_of_key..)?.starts_with('}') {
        return Some((Variable::Key { key, default: None }, end_of_key + 1));
    }
    let (default, used) = parse_default(after_open.get(end_of_key + 1..)?)?;
    Some((
        Variable::Key {
            key,
            default: Some(default),
        },
        end_of_key + 1 + used,
    ))
}

/// Parses ` 'default' }` (whitespace optional); returns the default and the length used.
fn parse_default(text: &str) -> Option<(&str, usize)> {
    let quoted = text.trim_start();
    let open = text.len() - quoted.len();
    let inner = quoted.strip_prefix('\'')?;
    let close = inner.find('\'')?;
    let default = inner.get(..close)?;
    let after = inner.get(close + 1..)?;
    let closing = after.trim_start();
    closing.strip_prefix('}')?;
    let used = open + 1 + close + 1 + (after.len() - closing.len()) + 1;
    Some((default, used))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{ContextKeyType, RequestContext};
    use proptest::prelude::*;

    fn context() -> RequestContext {
        RequestContext::new()
            .with("aws:username", ContextKeyType::String, &["alice"])
            .with("aws:PrincipalTag/team", ContextKeyType::String, &["a*b?"])
            .with("aws:PrincipalTag/empty", ContextKeyType::String, &[""])
            .with("aws:TagKeys", ContextKeyType::StringList, &["x"])
            .with("aws:PrincipalTag/none", ContextKeyType::String, &[])
            .with("s3:prefix", ContextKeyType::String, &["a:b,c'd}"])
    }

    fn run(template: &str, enabled: bool) -> (Option<Vec<Piece<'_>>>, Vec<String>) {
        let request = context();
        let view = ContextView::request_only(&request);
        let mut missing = Vec::new();
        let pieces = expand(template, &view, enabled, &mut missing);
        (pieces, missing)
    }

    fn pat(s: &str) -> Piece<'_> {
        Piece::Pattern(s)
    }

    fn lit(s: &str) -> Piece<'_> {
        Piece::Literal(Cow::Borrowed(s))
    }

    #[test]
    fn no_variables_is_one_pattern_piece() {
        assert_eq!(
            run("arn:aws:s3:::b/*", true).0,
            Some(vec![pat("arn:aws:s3:::b/*")])
        );
        assert_eq!(run("", true).0, Some(vec![pat("")]));
        assert_eq!(run("$ { } $x {", true).0, Some(vec![pat("$ { } $x {")]));
    }

    #[test]
    fn only_in_version_2012_10_17() {
        assert_eq!(
            run("home/${aws:username}", false),
            (Some(vec![pat("home/${aws:username}")]), vec![])
        );
        assert_eq!(run("${*}", false).0, Some(vec![pat("${*}")]));
        assert_eq!(
            run("${aws:nothing}", false),
            (Some(vec![pat("${aws:nothing}")]), vec![])
        );
    }

    #[test]
    fn keys_are_case_insensitive_and_values_literal() {
        assert_eq!(
            run("home/${AWS:USERNAME}/*", true).0,
            Some(vec![pat("home/"), lit("alice"), pat("/*")])
        );
        assert_eq!(
            run("${aws:principaltag/TEAM}", true).0,
            Some(vec![lit("a*b?")])
        );
        assert_eq!(
            run("x${aws:PrincipalTag/empty}y", true).0,
            Some(vec![pat("x"), lit(""), pat("y")])
        );
        assert_eq!(run("${s3:prefix}", true).0, Some(vec![lit("a:b,c'd}")]));
    }

    #[test]
    fn escapes() {
        assert_eq!(
            run("a${*}b${?}c${$}d", true).0,
            Some(vec![
                pat("a"),
                lit("*"),
                pat("b"),
                lit("?"),
                pat("c"),
                lit("$"),
                pat("d")
            ])
        );
        assert_eq!(
            run("${$}{aws:username}", true).0,
            Some(vec![lit("$"), pat("{aws:username}")])
        );
    }

    #[test]
    fn absent_keys_fail_and_are_reported_once_each() {
        assert_eq!(
            run("${aws:a}/${aws:username}/${aws:b}/${AWS:A}", true),
            (None, vec!["aws:a".to_string(), "aws:b".to_string()])
        );
        assert_eq!(run("${ aws:c }", true), (None, vec!["aws:c".to_string()]));
        assert_eq!(
            run("${aws:PrincipalTag/none}", true),
            (None, vec!["aws:PrincipalTag/none".to_string()])
        );
    }

    #[test]
    fn defaults() {
        assert_eq!(
            run("bucket-${aws:PrincipalTag/dept, 'company-wide'}", true),
            (Some(vec![pat("bucket-"), lit("company-wide")]), vec![])
        );
        assert_eq!(
            run("${aws:username, 'x'}", true).0,
            Some(vec![lit("alice")])
        );
        assert_eq!(run("${aws:x,'a*b'}", true).0, Some(vec![lit("a*b")]));
        assert_eq!(run("${aws:x ,  ''  }", true).0, Some(vec![lit("")]));
        assert_eq!(
            run("${aws:x, 'a}b,c'}z", true).0,
            Some(vec![lit("a}b,c"), pat("z")])
        );
    }

    #[test]
    fn multivalued_keys_cannot_fill_a_variable() {
        assert_eq!(run("${aws:TagKeys}", true), (None, vec![]));
        assert_eq!(
            run("${aws:TagKeys, 'd'}", true),
            (Some(vec![lit("d")]), vec![])
        );
    }

    #[test]
    fn malformed_variables_are_policy_text() {
        assert_eq!(
            run("a${aws:username", true),
            (Some(vec![pat("a${aws:username")]), vec![])
        );
        assert_eq!(run("${}", true).0, Some(vec![pat("${}")]));
        assert_eq!(run("${  }", true).0, Some(vec![pat("${  }")]));
        assert_eq!(
            run("${aws:x, default}", true).0,
            Some(vec![pat("${aws:x, default}")])
        );
        assert_eq!(
            run("${aws:x, 'd' y}", true).0,
            Some(vec![pat("${aws:x, 'd' y}")])
        );
        assert_eq!(run("${aws:x, 'd}", true).0, Some(vec![pat("${aws:x, 'd}")]));
        assert_eq!(
            run("a${b${aws:username}", true).0,
            Some(vec![pat("a${b"), lit("alice")])
        );
        assert_eq!(run("${*", true).0, Some(vec![pat("${*")]));
    }

    #[test]
    fn resource_keys_come_first() {
        let request = context();
        let resource = RequestContext::new().with("AWS:USERNAME", ContextKeyType::String, &["bob"]);
        let view = ContextView {
            resource: Some(&resource),
            request: &request,
        };
        let mut missing = Vec::new();
        assert_eq!(
            expand("${aws:username}", &view, true, &mut missing),
            Some(vec![lit("bob")])
        );
    }

    proptest! {
        /// Whatever the template, expansion without variables is the template itself, and
        /// with variables the pieces never lose or invent policy text outside `${…}`.
        #[test]
        fn expansion_is_total(template in "[a$*{}, ':]{0,16}") {
            prop_assert_eq!(run(&template, false).0, Some(vec![pat(&template)]));
            let (pieces, missing) = run(&template, true);
            if let Some(pieces) = pieces {
                prop_assert!(missing.is_empty());
                for piece in &pieces {
                    if let Piece::Pattern(text) = piece {
                        prop_assert!(template.contains(text));
                    }
                }
            } else {
                prop_assert!(!missing.is_empty());
            }
        }

        /// A template without `${` is never split.
        #[test]
        fn plain_text_is_untouched(template in "[a-z*?:/ ]{0,20}") {
            prop_assert_eq!(run(&template, true).0, Some(vec![pat(&template)]));
        }
    }
}
