//! The typed model of an IAM policy document.
//!
//! Every statement keeps its index in the `Statement` list and its span in the policy text,
//! because AWS's simulator reports matched statements by position. Pattern strings are kept as
//! written; matching code compiles them as it needs.

use crate::policy::operator::ConditionOperator;

pub use iamspec_format::Position;

/// The start and end of an element in policy text (`end` is the position of its last character).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// Where the element starts (its first character, e.g. `{`).
    pub start: Position,
    /// Where the element ends (its last character, e.g. `}`).
    pub end: Position,
}

pub use iamspec_format::PolicyType;

/// The policy language version (`Version` element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum PolicyVersion {
    /// `2012-10-17`: the current language, with policy variables.
    #[serde(rename = "2012-10-17")]
    V2012_10_17,
    /// `2008-10-17`: the older language; `${...}` is literal text.
    #[serde(rename = "2008-10-17")]
    V2008_10_17,
}

/// A parsed, validated policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The `Version` element, if present. Absent behaves like `2008-10-17` (no policy variables).
    pub version: Option<PolicyVersion>,
    /// The `Id` element, if present.
    pub id: Option<String>,
    /// The statements, in document order (a single statement object becomes a list of one).
    pub statements: Vec<Statement>,
    /// Things AWS accepts but that can never match or are probably mistakes.
    pub warnings: Vec<crate::policy::PolicyWarning>,
}

impl Policy {
    /// True when `${...}` in this policy is a policy variable (Version 2012-10-17).
    pub fn variables_enabled(&self) -> bool {
        self.version == Some(PolicyVersion::V2012_10_17)
    }
}

pub use iamspec_format::Effect;

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// 0-based index in the policy's `Statement` list.
    pub index: usize,
    /// The `Sid`, if present.
    pub sid: Option<String>,
    /// The `Effect`.
    pub effect: Effect,
    /// `Principal` or `NotPrincipal`, if present.
    pub principal: Option<PrincipalBlock>,
    /// `Action` or `NotAction`.
    pub action: ActionBlock,
    /// `Resource` or `NotResource`; absent only where AWS allows it (e.g. role trust policies).
    pub resource: Option<ResourceBlock>,
    /// The `Condition` block, flattened: one entry per operator × key, in document order.
    pub conditions: Vec<Condition>,
    /// Where the statement object starts and ends in the policy text.
    pub span: Span,
}

/// `Action` (the statement applies to matching actions) or `NotAction` (to all others).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionBlock {
    /// `"Action": [...]`: patterns such as `ec2:Describe*` or `*`.
    Action(Vec<String>),
    /// `"NotAction": [...]`.
    NotAction(Vec<String>),
}

/// `Resource` (the statement applies to matching ARNs) or `NotResource` (to all others).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceBlock {
    /// `"Resource": [...]`: ARN patterns, `*`, possibly with policy variables.
    Resource(Vec<String>),
    /// `"NotResource": [...]`.
    NotResource(Vec<String>),
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalBlock {
    /// `"Principal": ...`.
    Principal(PrincipalSpec),
    /// `"NotPrincipal": ...`.
    NotPrincipal(PrincipalSpec),
}

/// The value of a `Principal`/`NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalSpec {
    /// `"Principal": "*"` — everyone, including anonymous callers.
    Wildcard,
    /// `"Principal": {"AWS": [...], "Service": [...], ...}`, one entry per kind in document order.
    Map(Vec<(PrincipalKind, Vec<String>)>),
}

/// The kinds of principal a `Principal` map can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum PrincipalKind {
    /// `"AWS"`: accounts, users, roles, sessions, or `"*"`.
    #[serde(rename = "AWS")]
    Aws,
    /// `"Service"`: AWS service principals such as `ec2.amazonaws.com`.
    Service,
    /// `"Federated"`: identity providers such as `cognito-identity.amazonaws.com` or a SAML provider ARN.
    Federated,
    /// `"CanonicalUser"`: S3 canonical user IDs.
    CanonicalUser,
}

/// One condition test: an operator applied to one key with one or more values
/// (`"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}` gives one `Condition`).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The parsed operator (set prefix, base operator, IfExists).
    pub operator: ConditionOperator,
    /// The operator exactly as written (for explanations).
    pub operator_text: String,
    /// The condition key as written (keys are compared case-insensitively).
    pub key: String,
    /// The values as written; JSON numbers and booleans are kept as their text (`10`, `true`).
    pub values: Vec<String>,
    /// Where the key's entry (`"key": value`) is in the policy text.
    pub span: Span,
}
