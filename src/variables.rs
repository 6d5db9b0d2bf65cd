//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`, `${?}`, `${$}`.
//!
//! STUB: to be replaced by the matching work. The API below is the contract other modules use.

use std::borrow::Cow;

use crate::context::ContextView;

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
pub fn expand<'a>(
    template: &'a str,
    context: &ContextView<'_>,
    variables_enabled: bool,
    missing: &mut Vec<String>,
) -> Option<Vec<Piece<'a>>> {
    let _ = (context, variables_enabled, missing);
    Some(vec![Piece::Pattern(template)])
}
