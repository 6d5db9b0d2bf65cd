//! Matching actions and resources against the patterns of a policy: wildcards (`*`, `?`),
//! case rules, ARN segments.
//!
//! STUB: to be replaced by the matching work.

pub mod arn;
pub mod glob;

use crate::context::ContextView;

/// True when an `Action` pattern (e.g. `ec2:Describe*`) matches an action name, ignoring case.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob::wildcard_match(pattern, action, true)
}

/// True when a `Resource` pattern matches an ARN, with the Resource element's rules. Policy
/// variables in the pattern are substituted from `context` when `variables_enabled`; a variable
/// whose key is absent (and has no default) makes the pattern match nothing, and its key is
/// pushed onto `missing`.
pub fn resource_matches(
    pattern: &str,
    arn: &str,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> bool {
    let _ = (context, variables_enabled, missing);
    glob::wildcard_match(pattern, arn, false)
}
