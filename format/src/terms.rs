//! The shared vocabulary of the evaluator, the case format and the protocol, defined once:
//! [`Decision`], [`Position`], [`PolicyType`], [`Effect`], [`MatchedStatement`],
//! [`ContextKeyType`], [`PrincipalType`] and [`ErrorKind`].
//!
//! The reference evaluator (`iamspec`) re-exports these types instead of defining its own, the
//! protocol messages ([`crate::protocol`]) and the case expectations ([`crate::Expect`]) use
//! them, and the loader takes its closed lists of names from them. Nothing here decides or
//! checks anything.

use serde::{Deserialize, Serialize};

/// A decision in the words of AWS's policy simulator (`EvalDecision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    /// An applicable `Allow` and no applicable `Deny` (for every resource of the request).
    Allowed,
    /// An applicable `Deny`.
    ExplicitDeny,
    /// Nothing allows the request (the default), or a policy type without an `Allow`.
    ImplicitDeny,
}

impl Decision {
    /// Every decision, in the simulator's order.
    pub const ALL: &'static [Decision] = &[
        Decision::Allowed,
        Decision::ExplicitDeny,
        Decision::ImplicitDeny,
    ];

    /// The simulator's spelling: `allowed`, `explicitDeny`, `implicitDeny`.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }

    /// Looks a decision up by the simulator's spelling (exact).
    pub fn from_name(name: &str) -> Option<Decision> {
        Self::ALL.iter().copied().find(|d| d.name() == name)
    }

    /// True for [`Decision::Allowed`] (the "decision class": allowed vs not allowed).
    pub fn is_allowed(self) -> bool {
        self == Decision::Allowed
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A position in policy text: 1-based line and 1-based column (counted in characters).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column number, counted in characters.
    pub column: u32,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Which kind of policy a document is used as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyType {
    /// An identity-based policy (attached to a user, group or role, inline or managed).
    Identity,
    /// A resource-based policy (bucket policy, role trust policy, key policy...).
    Resource,
    /// A permissions boundary attached to a user or role.
    PermissionsBoundary,
    /// A session policy passed when assuming a role or federating.
    Session,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
    /// A VPC endpoint policy: a resource-based policy attached to a VPC endpoint, controlling
    /// which principals can use the endpoint to reach a service.
    VpcEndpoint,
}

impl PolicyType {
    /// Every policy type, in the order of a case's `policies` object.
    pub const ALL: &'static [PolicyType] = &[
        Self::Identity,
        Self::Resource,
        Self::PermissionsBoundary,
        Self::Session,
        Self::Scp,
        Self::Rcp,
        Self::VpcEndpoint,
    ];

    /// The snake_case name (`identity`, `permissions_boundary`, `scp`...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Resource => "resource",
            Self::PermissionsBoundary => "permissions_boundary",
            Self::Session => "session",
            Self::Scp => "scp",
            Self::Rcp => "rcp",
            Self::VpcEndpoint => "vpc_endpoint",
        }
    }
}

/// `Allow` or `Deny` (case-sensitive in the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    /// `"Effect": "Allow"`.
    Allow,
    /// `"Effect": "Deny"`.
    Deny,
}

/// A statement that took part in a decision (the simulator's `MatchedStatements` entry): what
/// the evaluator reports, what a protocol answer's `matched[]` holds, and what a case's
/// `expect.matched[]` expects.
///
/// `policy` and `statement` always; the rest when known: the reference evaluator gives every
/// member, a protocol answer gives `sid`, `start` and `end` when its evaluator can tell, and a
/// case gives `sid`, `start` and `end` when it checks them (a case never gives `policy_type` or
/// `effect`: the loader refuses them there).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchedStatement {
    /// The id the case (or caller) gave the policy.
    pub policy: String,
    /// Which kind of policy it is, when the answer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<PolicyType>,
    /// 0-based index in the policy's `Statement` list.
    pub statement: usize,
    /// The statement's `Sid`: `None` when the statement has none (or, in an expectation, when
    /// the Sid is not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The statement's effect, when the answer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
    /// Where the statement starts in the policy text (its `{`), when known or checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Position>,
    /// Where the statement ends in the policy text (its `}`), when known or checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Position>,
}

impl MatchedStatement {
    /// A statement named by policy id and index only.
    pub fn new(policy: impl Into<String>, statement: usize) -> MatchedStatement {
        MatchedStatement {
            policy: policy.into(),
            policy_type: None,
            statement,
            sid: None,
            effect: None,
            start: None,
            end: None,
        }
    }

    /// `policy#index`, as messages name a statement.
    pub fn label(&self) -> String {
        format!("{}#{}", self.policy, self.statement)
    }
}

/// The simulator's `ContextKeyType` names: the type of a request context key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContextKeyType {
    /// `string`
    String,
    /// `stringList`
    StringList,
    /// `numeric`
    Numeric,
    /// `numericList`
    NumericList,
    /// `boolean`
    Boolean,
    /// `booleanList`
    BooleanList,
    /// `ip`
    Ip,
    /// `ipList`
    IpList,
    /// `binary`
    Binary,
    /// `binaryList`
    BinaryList,
    /// `date`
    Date,
    /// `dateList`
    DateList,
}

impl ContextKeyType {
    /// Every type, in the simulator's order (each single-valued type before its list type).
    pub const ALL: &'static [ContextKeyType] = &[
        Self::String,
        Self::StringList,
        Self::Numeric,
        Self::NumericList,
        Self::Boolean,
        Self::BooleanList,
        Self::Ip,
        Self::IpList,
        Self::Binary,
        Self::BinaryList,
        Self::Date,
        Self::DateList,
    ];

    /// True for the `...List` types (multi-valued keys).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Self::StringList
                | Self::NumericList
                | Self::BooleanList
                | Self::IpList
                | Self::BinaryList
                | Self::DateList
        )
    }

    /// The simulator's name (`string`, `stringList`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::StringList => "stringList",
            Self::Numeric => "numeric",
            Self::NumericList => "numericList",
            Self::Boolean => "boolean",
            Self::BooleanList => "booleanList",
            Self::Ip => "ip",
            Self::IpList => "ipList",
            Self::Binary => "binary",
            Self::BinaryList => "binaryList",
            Self::Date => "date",
            Self::DateList => "dateList",
        }
    }

    /// Looks a type up by the simulator's name (exact spelling).
    pub fn from_name(name: &str) -> Option<ContextKeyType> {
        Self::ALL.iter().copied().find(|t| t.name() == name)
    }
}

impl std::fmt::Display for ContextKeyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The kinds of principal that can make a request (a case's `principal.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalType {
    /// An IAM user (`arn:aws:iam::ID:user/path/name`).
    #[default]
    User,
    /// An IAM role (as named in policies; requests come from its sessions).
    Role,
    /// A role session (`arn:aws:sts::ID:assumed-role/ROLE/SESSION`).
    AssumedRole,
    /// A federated user (`arn:aws:sts::ID:federated-user/NAME`).
    FederatedUser,
    /// The account root user (`arn:aws:iam::ID:root`).
    Root,
    /// An AWS service principal (`ec2.amazonaws.com`).
    Service,
    /// An anonymous (unauthenticated) caller.
    Anonymous,
    /// A user authenticated by a web identity (OIDC) provider, asking STS for a role with
    /// `AssumeRoleWithWebIdentity`: the ARN is the provider as a trust policy's `Federated`
    /// names it (`cognito-identity.amazonaws.com`, `accounts.google.com`,
    /// `arn:aws:iam::ID:oidc-provider/...`).
    WebIdentity,
    /// A user authenticated by a SAML 2.0 provider, asking STS for a role with
    /// `AssumeRoleWithSAML`: the ARN is the provider (`arn:aws:iam::ID:saml-provider/NAME`).
    Saml,
}

impl PrincipalType {
    /// Every principal type, in the order of the case format's list.
    pub const ALL: &'static [PrincipalType] = &[
        Self::User,
        Self::Role,
        Self::AssumedRole,
        Self::FederatedUser,
        Self::Root,
        Self::Service,
        Self::Anonymous,
        Self::WebIdentity,
        Self::Saml,
    ];

    /// The case format's name: `user`, `role`, `assumed-role`, `federated-user`, `root`,
    /// `service`, `anonymous`, `web-identity`, `saml`.
    pub fn name(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Role => "role",
            Self::AssumedRole => "assumed-role",
            Self::FederatedUser => "federated-user",
            Self::Root => "root",
            Self::Service => "service",
            Self::Anonymous => "anonymous",
            Self::WebIdentity => "web-identity",
            Self::Saml => "saml",
        }
    }

    /// Looks a type up by its case-format name (exact spelling).
    pub fn from_name(name: &str) -> Option<PrincipalType> {
        Self::ALL.iter().copied().find(|t| t.name() == name)
    }
}

/// The documented kinds of policy error: what AWS would reject a document for. The list is
/// mirrored in `corpus/error-kinds.json` (a test keeps the two in step); a case's
/// `expect.error` and a protocol rejection name one of them (the protocol adds `other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The text is not JSON (syntax error, trailing garbage, bad escape), or an object repeats a key.
    MalformedJson,
    /// The document, a statement or an element has the wrong JSON type (e.g. a number for `Effect`).
    InvalidElementType,
    /// A required element is missing (`Statement`, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`, `Principal` in a resource policy).
    MissingElement,
    /// An element name AWS does not know (a misspelling such as `Actions`), or a wrong-case name.
    UnknownElement,
    /// Two elements that exclude each other: `Action` with `NotAction`, `Resource` with `NotResource`, `Principal` with `NotPrincipal`.
    ConflictingElements,
    /// A `Version` other than `2012-10-17` or `2008-10-17`.
    InvalidVersion,
    /// An `Effect` other than `Allow` or `Deny` (case-sensitive).
    InvalidEffect,
    /// An action that is not `*` or `service:name` (empty, no prefix, bad characters).
    InvalidAction,
    /// A resource that is neither `*` nor an ARN (`arn:partition:service:region:account:resource`).
    InvalidResource,
    /// A principal AWS cannot read (unknown principal type, malformed ARN or account ID).
    InvalidPrincipal,
    /// `Principal`/`NotPrincipal` in a policy type that must not have one (identity, boundary,
    /// session, SCP), or `NotPrincipal` in a resource control policy or a role trust policy.
    UnsupportedPrincipal,
    /// A condition operator AWS does not know (including `NullIfExists`).
    UnknownConditionOperator,
    /// A condition block of the wrong shape (not an object, empty, a value that is an object or
    /// null), or a condition key without a service prefix.
    InvalidCondition,
    /// A condition value the operator cannot read: not a number for Numeric*, a bad date, a bad CIDR, bad base64, not a boolean for Bool, not `true`/`false` for Null.
    InvalidConditionValue,
    /// Two statements share a `Sid`.
    DuplicateSid,
    /// A `Sid` with characters AWS does not allow.
    InvalidSid,
    /// An element that is an empty list or empty string where AWS requires a value.
    EmptyElement,
    /// The document exceeds the size limit for its policy type.
    PolicyTooLarge,
    /// The text has a character outside the set IAM and STS accept in a policy document (tab,
    /// line feed, carriage return, U+0020 to U+00FF).
    InvalidCharacter,
    /// An element AWS knows but that this policy type does not support (`NotAction` in a
    /// resource control policy, `Id` in an identity-based policy or permissions boundary).
    UnsupportedElement,
}

impl ErrorKind {
    /// Every kind, in the documented order.
    pub const ALL: &'static [ErrorKind] = &[
        Self::MalformedJson,
        Self::InvalidElementType,
        Self::MissingElement,
        Self::UnknownElement,
        Self::ConflictingElements,
        Self::InvalidVersion,
        Self::InvalidEffect,
        Self::InvalidAction,
        Self::InvalidResource,
        Self::InvalidPrincipal,
        Self::UnsupportedPrincipal,
        Self::UnknownConditionOperator,
        Self::InvalidCondition,
        Self::InvalidConditionValue,
        Self::DuplicateSid,
        Self::InvalidSid,
        Self::EmptyElement,
        Self::PolicyTooLarge,
        Self::InvalidCharacter,
        Self::UnsupportedElement,
    ];

    /// The kebab-case name used in corpus files (`expect.error`), the protocol and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::MalformedJson => "malformed-json",
            Self::InvalidElementType => "invalid-element-type",
            Self::MissingElement => "missing-element",
            Self::UnknownElement => "unknown-element",
            Self::ConflictingElements => "conflicting-elements",
            Self::InvalidVersion => "invalid-version",
            Self::InvalidEffect => "invalid-effect",
            Self::InvalidAction => "invalid-action",
            Self::InvalidResource => "invalid-resource",
            Self::InvalidPrincipal => "invalid-principal",
            Self::UnsupportedPrincipal => "unsupported-principal",
            Self::UnknownConditionOperator => "unknown-condition-operator",
            Self::InvalidCondition => "invalid-condition",
            Self::InvalidConditionValue => "invalid-condition-value",
            Self::DuplicateSid => "duplicate-sid",
            Self::InvalidSid => "invalid-sid",
            Self::EmptyElement => "empty-element",
            Self::PolicyTooLarge => "policy-too-large",
            Self::InvalidCharacter => "invalid-character",
            Self::UnsupportedElement => "unsupported-element",
        }
    }

    /// Looks a kind up by its kebab-case name.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        Self::ALL.iter().copied().find(|k| k.name() == name)
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for d in Decision::ALL {
            assert_eq!(Decision::from_name(d.name()), Some(*d));
            assert_eq!(serde_json::to_value(d).unwrap(), d.name());
        }
        for t in ContextKeyType::ALL {
            assert_eq!(ContextKeyType::from_name(t.name()), Some(*t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.name());
            assert_eq!(t.is_list(), t.name().ends_with("List"));
        }
        for p in PrincipalType::ALL {
            assert_eq!(PrincipalType::from_name(p.name()), Some(*p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.name());
        }
        for k in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(k.name()), Some(*k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.name());
        }
        for p in PolicyType::ALL {
            assert_eq!(serde_json::to_value(p).unwrap(), p.name());
        }
        assert_eq!(Decision::from_name("Allowed"), None);
        assert_eq!(ContextKeyType::from_name("String"), None);
    }

    #[test]
    fn a_statement_serialises_only_what_it_knows() {
        let s = MatchedStatement::new("P", 2);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"policy":"P","statement":2}"#
        );
        assert_eq!(s.label(), "P#2");
        let full = MatchedStatement {
            policy_type: Some(PolicyType::Scp),
            sid: Some("S".into()),
            effect: Some(Effect::Deny),
            start: Some(Position { line: 1, column: 2 }),
            end: Some(Position { line: 3, column: 4 }),
            ..s
        };
        assert_eq!(
            serde_json::to_string(&full).unwrap(),
            r#"{"policy":"P","policy_type":"scp","statement":2,"sid":"S","effect":"Deny","start":{"line":1,"column":2},"end":{"line":3,"column":4}}"#
        );
    }
}
