//! The policy grammar: from text to a validated [`Policy`].
//!
//! The grammar is the IAM User Guide's "Grammar of the IAM JSON policy language"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>) and the
//! "IAM JSON policy element reference"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>):
//!
//! ```text
//! policy     = { Version?, Id?, Statement }          Statement: one statement or a list of them
//! statement  = { Sid?, Effect, (Principal | NotPrincipal)?, (Action | NotAction),
//!                (Resource | NotResource)?, Condition? }
//! Action...  = string | [string, ...]                (likewise Resource, principal values)
//! Principal  = "*" | { ("AWS" | "Service" | "Federated" | "CanonicalUser"): string | [string] }
//! Condition  = { operator: { key: scalar | [scalar, ...] } }   scalar = string | number | bool
//! ```
//!
//! Validation follows AWS: the text is checked against the size limit and the character set of
//! its policy type ([`super::limits`]), read as JSON, then walked in document order; the first
//! problem found is the error (AWS reports one), and [`parse_policy_all`] goes on to report
//! the others too (for people fixing a document). A problem inside an element is found when the
//! walk reaches it; a missing element is reported at the `{` of the object that lacks it, once
//! all of that object's members have been read. Element names, `Effect` values and principal
//! types are case-sensitive ("The Effect value is case sensitive"; the grammar names elements
//! exactly). An object that repeats a key is malformed: JSON readers disagree on which copy
//! wins, and the document has no single meaning.
//!
//! The grammar notes also say that "Individual elements must not contain multiple instances of
//! the same key" and that the `Id` block "must not be included in identity-based policies"
//! (applied to identity-based policies and permissions boundaries, the IAM identity-based types).
//!
//! An empty `Statement` list is an error: IAM answers MalformedPolicyDocument for a policy with
//! no statements (reported in otterize/intents-operator#481).
//!
//! Decisions where the documentation is silent (to be confirmed against AWS): an empty
//! `Condition` block, an empty operator block and an empty value list are errors; `Sid`
//! values are compared case-sensitively for uniqueness and empty `Sid`s are not compared;
//! SCPs and RCPs need `Resource`/`NotResource` like the other identity-side types.

use std::collections::HashSet;

use crate::policy::json::{self, Member, Value, ValueKind};
use crate::policy::limits;
use crate::policy::operator::{check_values, ConditionOperator, OperatorError};
use crate::policy::validate::{self, PrincipalRule, TypeRules};
use crate::policy::{
    ActionBlock, Condition, Effect, Policy, PolicyError, PolicyErrorKind, PolicyType,
    PolicyVersion, PolicyWarning, PolicyWarningKind, Position, PrincipalBlock, PrincipalKind,
    PrincipalSpec, ResourceBlock, Span, Statement,
};
use crate::suggest;

pub use crate::policy::limits::MAX_POLICY_SIZE;

/// The elements of a policy document, as AWS spells them.
const DOCUMENT_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];

/// The elements of a statement, as AWS spells them.
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The principal types of a `Principal` map, as AWS spells them.
const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// Parses and validates policy text used as a policy of type `policy_type`. The error is the
/// first problem in document order (what AWS reports); [`parse_policy_all`] gives every one.
pub fn parse_policy(text: &str, policy_type: PolicyType) -> Result<Policy, PolicyError> {
    parse_policy_all(text, policy_type).map_err(|errors| errors.first)
}

/// Every problem of a policy document, not only the first: the first (the one
/// [`parse_policy`] reports) and the others in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyErrors {
    /// The first problem in document order: the policy's error kind and position.
    pub first: PolicyError,
    /// The other problems found, in document order.
    pub more: Vec<PolicyError>,
}

impl PolicyErrors {
    /// Every problem, the first one first.
    pub fn all(&self) -> impl Iterator<Item = &PolicyError> {
        std::iter::once(&self.first).chain(&self.more)
    }

    fn from_list(mut errors: Vec<PolicyError>) -> Option<Self> {
        if errors.is_empty() {
            return None;
        }
        let first = errors.remove(0);
        Some(Self {
            first,
            more: errors,
        })
    }
}

impl From<PolicyError> for PolicyErrors {
    fn from(first: PolicyError) -> Self {
        Self {
            first,
            more: Vec::new(),
        }
    }
}

/// Like [`parse_policy`], but the walk goes on after a problem: each member of the document
/// and of every statement is read even when an earlier one was wrong (a statement with a wrong
/// member is not checked for missing elements, which would only repeat the problem). Size,
/// characters and JSON syntax still stop at the first problem.
pub fn parse_policy_all(text: &str, policy_type: PolicyType) -> Result<Policy, PolicyErrors> {
    limits::check_size(text, policy_type)?;
    parse_all_without_size_limit(text, policy_type)
}

/// Parses and validates policy text like [`parse_policy`] but without the per-document size
/// limit: for documents whose limit is not one document's (inline identity-based policies share
/// their entity's quota; see [`crate::policy::limits::check_inline_total`]).
pub fn parse_policy_without_size_limit(
    text: &str,
    policy_type: PolicyType,
) -> Result<Policy, PolicyError> {
    parse_all_without_size_limit(text, policy_type).map_err(|errors| errors.first)
}

fn parse_all_without_size_limit(
    text: &str,
    policy_type: PolicyType,
) -> Result<Policy, PolicyErrors> {
    limits::check_characters(text, policy_type)?;
    let root = json::parse(text).map_err(|e| {
        PolicyError::new(
            PolicyErrorKind::MalformedJson,
            e.position,
            format!("the policy is not valid JSON: {}", e.message),
        )
    })?;
    PolicyReader::new(policy_type, &root).read(&root)
}

/// Parses a policy given as a JSON value (serialised with `serde_json::to_string_pretty`, so
/// positions refer to that text).
pub fn parse_policy_value(
    value: &serde_json::Value,
    policy_type: PolicyType,
) -> Result<Policy, PolicyError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| {
        PolicyError::new(
            PolicyErrorKind::MalformedJson,
            Position { line: 1, column: 1 },
            format!("the policy value cannot be written as JSON: {e}"),
        )
    })?;
    parse_policy(&text, policy_type)
}

fn error(kind: PolicyErrorKind, position: Position, message: impl Into<String>) -> PolicyError {
    PolicyError::new(kind, position, message)
}

/// Turns a [`validate::Problem`] into an error at `position`.
fn at(position: Position) -> impl FnOnce(validate::Problem) -> PolicyError {
    move |(kind, message)| error(kind, position, message)
}

/// How many member names of one object [`SeenKeys`] compares one by one before hashing them.
const FEW_KEYS: usize = 12;

/// The member names already read in one JSON object. A policy's objects have a handful of
/// members: they are compared one by one (no allocation, no hashing) until there are more
/// than [`FEW_KEYS`], then kept in a hash set, so a hostile object of many members stays linear.
#[derive(Default)]
struct SeenKeys<'v> {
    few: [&'v str; FEW_KEYS],
    count: usize,
    many: HashSet<&'v str>,
}

impl<'v> SeenKeys<'v> {
    /// Records `key`; false when it was already there.
    fn insert(&mut self, key: &'v str) -> bool {
        let few = self.few.get(..self.count).unwrap_or_default();
        if few.contains(&key) {
            return false;
        }
        if let Some(slot) = self.few.get_mut(self.count) {
            *slot = key;
            self.count += 1;
            return true;
        }
        self.many.insert(key)
    }
}

/// Fails with `malformed-json` when `member`'s key already appeared in its object.
fn check_unique_key<'v>(seen: &mut SeenKeys<'v>, member: &'v Member) -> Result<(), PolicyError> {
    if seen.insert(member.key.as_ref()) {
        return Ok(());
    }
    Err(error(
        PolicyErrorKind::MalformedJson,
        member.key_span.start,
        format!(
            "duplicate key `{}`: an object may name each key once",
            member.key
        ),
    ))
}

/// An error for an element name that is not one of `known`, with a hint for a wrong-case name.
fn unknown_element(member: &Member, known: &[&str], place: &str) -> PolicyError {
    let hint = match known.iter().find(|k| k.eq_ignore_ascii_case(&member.key)) {
        Some(k) => format!(" (element names are case-sensitive: did you mean `{k}`?)"),
        None => suggest::hint(&member.key, known.iter().copied()),
    };
    error(
        PolicyErrorKind::UnknownElement,
        member.key_span.start,
        format!(
            "unknown element `{}` in {place}; expected one of {}{hint}",
            member.key,
            known.join(", ")
        ),
    )
}

fn wrong_type(value: &Value, element: &str, expected: &str) -> PolicyError {
    error(
        PolicyErrorKind::InvalidElementType,
        value.span.start,
        format!(
            "`{element}` must be {expected}, found {}",
            value.kind.type_name()
        ),
    )
}

/// Walks a policy document, building the model and collecting warnings.
struct PolicyReader {
    policy_type: PolicyType,
    rules: TypeRules,
    /// Whether `${...}` is a policy variable (known before the walk, for warnings).
    variables_enabled: bool,
    warnings: Vec<PolicyWarning>,
    sids: HashSet<String>,
    /// Problems found so far, in document order.
    errors: Vec<PolicyError>,
}

impl PolicyReader {
    fn new(policy_type: PolicyType, root: &Value) -> Self {
        Self {
            policy_type,
            rules: validate::rules(policy_type),
            variables_enabled: declared_version(root) == Some("2012-10-17"),
            warnings: Vec::new(),
            sids: HashSet::new(),
            errors: Vec::new(),
        }
    }

    fn warn(&mut self, kind: PolicyWarningKind, position: Position, message: String) {
        self.warnings.push(PolicyWarning {
            kind,
            message,
            position,
        });
    }

    fn read(mut self, root: &Value) -> Result<Policy, PolicyErrors> {
        let ValueKind::Object(members) = &root.kind else {
            return Err(wrong_type(root, "a policy document", "a JSON object").into());
        };
        let mut seen = SeenKeys::default();
        let mut version = None;
        let mut id = None;
        let mut statements = None;
        for member in members {
            let read = check_unique_key(&mut seen, member).and_then(|()| {
                match member.key.as_ref() {
                    "Version" => version = Some(self.version(&member.value)?),
                    "Id" => id = Some(self.id(member)?),
                    "Statement" => statements = Some(self.statements(&member.value)?),
                    _ => {
                        return Err(unknown_element(
                            member,
                            DOCUMENT_ELEMENTS,
                            "the policy document",
                        ))
                    }
                }
                Ok(())
            });
            if let Err(e) = read {
                self.errors.push(e);
            }
        }
        // Later checks would only repeat an earlier problem (a misspelt `Statement` is also a
        // missing one).
        if let Some(errors) = PolicyErrors::from_list(std::mem::take(&mut self.errors)) {
            return Err(errors);
        }
        let Some(statements) = statements else {
            return Err(error(
                PolicyErrorKind::MissingElement,
                root.span.start,
                "the policy has no `Statement` element",
            )
            .into());
        };
        if self.rules.version_2012_required && version.is_none() {
            return Err(error(
                PolicyErrorKind::MissingElement,
                root.span.start,
                format!(
                    "{} must have `\"Version\": \"2012-10-17\"`",
                    limits::type_name_with_article(self.policy_type)
                ),
            )
            .into());
        }
        Ok(Policy {
            version,
            id,
            statements,
            warnings: self.warnings,
        })
    }

    fn version(&self, value: &Value) -> Result<PolicyVersion, PolicyError> {
        let text = string_value(value, "Version")?;
        let version = match text {
            "2012-10-17" => PolicyVersion::V2012_10_17,
            "2008-10-17" if !self.rules.version_2012_required => PolicyVersion::V2008_10_17,
            _ => {
                let allowed = if self.rules.version_2012_required {
                    "`2012-10-17`"
                } else {
                    "`2012-10-17` or `2008-10-17`"
                };
                return Err(error(
                    PolicyErrorKind::InvalidVersion,
                    value.span.start,
                    format!("invalid `Version` `{text}`: it must be {allowed}"),
                ));
            }
        };
        Ok(version)
    }

    fn id(&self, member: &Member) -> Result<String, PolicyError> {
        if !self.rules.id_supported {
            return Err(error(
                PolicyErrorKind::UnsupportedElement,
                member.key_span.start,
                format!(
                    "`Id` must not be included in {}; it belongs to resource-based policies",
                    limits::type_name_with_article(self.policy_type)
                ),
            ));
        }
        Ok(string_value(&member.value, "Id")?.to_string())
    }

    fn statements(&mut self, value: &Value) -> Result<Vec<Statement>, PolicyError> {
        match &value.kind {
            ValueKind::Object(_) => Ok(self.statement(0, value).into_iter().collect()),
            ValueKind::Array(items) if items.is_empty() => Err(error(
                PolicyErrorKind::EmptyElement,
                value.span.start,
                "`Statement` is an empty list: a policy needs at least one statement",
            )),
            ValueKind::Array(items) => Ok(items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| self.statement(index, item))
                .collect()),
            _ => Err(wrong_type(
                value,
                "Statement",
                "a statement object or a list of statement objects",
            )),
        }
    }

    /// Reads one statement; its problems go to `self.errors` (then it is `None`).
    fn statement(&mut self, index: usize, value: &Value) -> Option<Statement> {
        let ValueKind::Object(members) = &value.kind else {
            self.errors
                .push(wrong_type(value, "a statement", "a JSON object"));
            return None;
        };
        let mut parts = StatementParts::default();
        let mut seen = SeenKeys::default();
        let mut failed = false;
        for member in members {
            let read = check_unique_key(&mut seen, member)
                .and_then(|()| self.statement_member(member, &mut parts));
            if let Err(e) = read {
                self.errors.push(e);
                failed = true;
            }
        }
        self.warn_on_not_principal_with_allow(&parts, value.span.start);
        if failed {
            return None;
        }
        match self.complete(index, value.span, parts) {
            Ok(statement) => Some(statement),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is not
    /// supported." (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
    fn warn_on_not_principal_with_allow(&mut self, parts: &StatementParts, position: Position) {
        let not_principal = matches!(parts.principal, Some(PrincipalBlock::NotPrincipal(_)));
        if not_principal && parts.effect == Some(Effect::Allow) {
            self.warn(
                PolicyWarningKind::NotPrincipalWithAllow,
                position,
                "`NotPrincipal` with `\"Effect\": \"Allow\"` is not supported by AWS; use it only with `Deny`".to_string(),
            );
        }
    }

    fn statement_member(
        &mut self,
        member: &Member,
        parts: &mut StatementParts,
    ) -> Result<(), PolicyError> {
        let value = &member.value;
        match member.key.as_ref() {
            "Sid" => parts.sid = Some(self.sid(value)?),
            "Effect" => parts.effect = Some(effect(value)?),
            "Principal" | "NotPrincipal" => {
                self.check_principal_allowed(member)?;
                check_exclusive(
                    member,
                    parts.principal.is_some(),
                    "Principal",
                    "NotPrincipal",
                )?;
                let spec = self.principal_spec(member)?;
                parts.principal = Some(if member.key == "Principal" {
                    PrincipalBlock::Principal(spec)
                } else {
                    PrincipalBlock::NotPrincipal(spec)
                });
            }
            "Action" | "NotAction" => {
                self.check_not_action_allowed(member)?;
                check_exclusive(member, parts.action.is_some(), "Action", "NotAction")?;
                let actions = actions(value, &member.key)?;
                parts.action = Some(if member.key == "Action" {
                    ActionBlock::Action(actions)
                } else {
                    ActionBlock::NotAction(actions)
                });
            }
            "Resource" | "NotResource" => {
                check_exclusive(member, parts.resource.is_some(), "Resource", "NotResource")?;
                let resources = self.resources(value, &member.key)?;
                parts.resource = Some(if member.key == "Resource" {
                    ResourceBlock::Resource(resources)
                } else {
                    ResourceBlock::NotResource(resources)
                });
            }
            "Condition" => parts.conditions = self.conditions(value)?,
            _ => return Err(unknown_element(member, STATEMENT_ELEMENTS, "a statement")),
        }
        Ok(())
    }

    /// Checks the statement's required elements once all its members are read.
    fn complete(
        &self,
        index: usize,
        span: Span,
        parts: StatementParts,
    ) -> Result<Statement, PolicyError> {
        let missing = |what: &str| {
            error(
                PolicyErrorKind::MissingElement,
                span.start,
                format!("statement {index} has no {what}"),
            )
        };
        let effect = parts.effect.ok_or_else(|| missing("`Effect`"))?;
        let action = parts
            .action
            .ok_or_else(|| missing("`Action` or `NotAction`: a statement must contain actions"))?;
        if self.rules.resource_required && parts.resource.is_none() {
            return Err(missing(
                "`Resource` or `NotResource`: a statement must contain resources",
            ));
        }
        if self.rules.principal != PrincipalRule::Forbidden && parts.principal.is_none() {
            return Err(missing(&format!(
                "`Principal`, which {} requires",
                limits::type_name_with_article(self.policy_type)
            )));
        }
        Ok(Statement {
            index,
            sid: parts.sid,
            effect,
            principal: parts.principal,
            action,
            resource: parts.resource,
            conditions: parts.conditions,
            span,
        })
    }

    fn sid(&mut self, value: &Value) -> Result<String, PolicyError> {
        let sid = string_value(value, "Sid")?;
        validate::check_sid(sid, &self.rules).map_err(at(value.span.start))?;
        if !sid.is_empty() && !self.sids.insert(sid.to_string()) {
            return Err(error(
                PolicyErrorKind::DuplicateSid,
                value.span.start,
                format!(
                    "Sid `{sid}` is used by an earlier statement: Sids in a policy must be unique"
                ),
            ));
        }
        Ok(sid.to_string())
    }

    fn check_principal_allowed(&self, member: &Member) -> Result<(), PolicyError> {
        let forbidden = match self.rules.principal {
            PrincipalRule::Forbidden => true,
            PrincipalRule::RequiredWildcard => member.key == "NotPrincipal",
            PrincipalRule::Required => false,
        };
        if !forbidden {
            return Ok(());
        }
        Err(error(
            PolicyErrorKind::UnsupportedPrincipal,
            member.key_span.start,
            format!(
                "{} should not specify a principal: `{}` is not supported here",
                limits::type_name_with_article(self.policy_type),
                member.key
            ),
        ))
    }

    fn check_not_action_allowed(&self, member: &Member) -> Result<(), PolicyError> {
        if member.key != "NotAction" || self.rules.not_action_supported {
            return Ok(());
        }
        Err(error(
            PolicyErrorKind::UnsupportedElement,
            member.key_span.start,
            format!(
                "`NotAction` is not supported in {}; use `Action`",
                limits::type_name_with_article(self.policy_type)
            ),
        ))
    }

    fn principal_spec(&self, member: &Member) -> Result<PrincipalSpec, PolicyError> {
        let value = &member.value;
        let spec = match &value.kind {
            ValueKind::String(s) if s == "*" => PrincipalSpec::Wildcard,
            ValueKind::String(s) => {
                return Err(error(
                    PolicyErrorKind::InvalidPrincipal,
                    value.span.start,
                    format!(
                        "invalid `{}` `{s}`: it must be `\"*\"` or a map such as `{{\"AWS\": \"{s}\"}}`",
                        member.key
                    ),
                ))
            }
            ValueKind::Object(entries) => principal_map(entries, value, &member.key)?,
            _ => return Err(wrong_type(value, &member.key, "`\"*\"` or an object")),
        };
        if self.rules.principal == PrincipalRule::RequiredWildcard
            && spec != PrincipalSpec::Wildcard
        {
            return Err(error(
                PolicyErrorKind::InvalidPrincipal,
                value.span.start,
                "the `Principal` of a resource control policy must be `\"*\"`",
            ));
        }
        Ok(spec)
    }

    fn resources(&mut self, value: &Value, element: &str) -> Result<Vec<String>, PolicyError> {
        let items = string_list(value, element)?;
        for (resource, span) in &items {
            validate::check_resource(resource).map_err(at(span.start))?;
            if let Some(why) = validate::resource_never_matches(resource) {
                self.warn(PolicyWarningKind::ResourceNeverMatches, span.start, why);
            }
            self.warn_on_literal_variable(resource, span.start, element);
        }
        Ok(owned(items))
    }

    fn warn_on_literal_variable(&mut self, text: &str, position: Position, element: &str) {
        if self.variables_enabled || !text.contains("${") {
            return;
        }
        self.warn(
            PolicyWarningKind::VariableInOldVersion,
            position,
            format!(
                "`{text}` in `{element}` contains `${{`, but without `\"Version\": \"2012-10-17\"` policy variables are literal text"
            ),
        );
    }

    fn conditions(&mut self, value: &Value) -> Result<Vec<Condition>, PolicyError> {
        let operators = condition_object(value, "`Condition`")?;
        let mut conditions = Vec::new();
        let mut seen = SeenKeys::default();
        for member in operators {
            check_unique_key(&mut seen, member)?;
            let operator =
                ConditionOperator::parse(&member.key).map_err(|e| unknown_operator(member, &e))?;
            let keys = condition_object(&member.value, &format!("operator `{}`", member.key))?;
            let mut seen_keys = SeenKeys::default();
            for entry in keys {
                check_unique_key(&mut seen_keys, entry)?;
                conditions.push(self.condition(operator, &member.key, entry)?);
            }
        }
        Ok(conditions)
    }

    fn condition(
        &mut self,
        operator: ConditionOperator,
        operator_text: &str,
        entry: &Member,
    ) -> Result<Condition, PolicyError> {
        validate::check_condition_key(&entry.key).map_err(at(entry.key_span.start))?;
        let values = condition_values(&entry.value, &entry.key)?;
        for (text, span) in &values {
            check_values(&operator, &[text.to_string()])
                .map_err(|why| invalid_value(span.start, operator_text, &entry.key, text, &why))?;
            if text.is_empty() {
                self.warn(
                    PolicyWarningKind::EmptyConditionValue,
                    span.start,
                    format!(
                        "condition `{operator_text}` on `{}` has an empty-string value",
                        entry.key
                    ),
                );
            }
            self.warn_on_literal_variable(text, span.start, "Condition");
        }
        let values = owned(values);
        check_values(&operator, &values).map_err(|why| {
            invalid_value(entry.key_span.start, operator_text, &entry.key, "", &why)
        })?;
        Ok(Condition {
            operator,
            operator_text: operator_text.to_string(),
            key: entry.key.to_string(),
            values,
            span: entry.span(),
        })
    }
}

/// The members of a statement read so far.
#[derive(Default)]
struct StatementParts {
    sid: Option<String>,
    effect: Option<Effect>,
    principal: Option<PrincipalBlock>,
    action: Option<ActionBlock>,
    resource: Option<ResourceBlock>,
    conditions: Vec<Condition>,
}

/// The `Version` string of a document, if it has one, without validating anything.
fn declared_version<'v>(root: &'v Value<'_>) -> Option<&'v str> {
    let ValueKind::Object(members) = &root.kind else {
        return None;
    };
    members
        .iter()
        .find(|m| m.key == "Version")
        .and_then(|m| match &m.value.kind {
            ValueKind::String(s) => Some(s.as_ref()),
            _ => None,
        })
}

fn string_value<'v>(value: &'v Value, element: &str) -> Result<&'v str, PolicyError> {
    match &value.kind {
        ValueKind::String(s) => Ok(s),
        _ => Err(wrong_type(value, element, "a string")),
    }
}

fn effect(value: &Value) -> Result<Effect, PolicyError> {
    match string_value(value, "Effect")? {
        "Allow" => Ok(Effect::Allow),
        "Deny" => Ok(Effect::Deny),
        other => {
            let hint = if other.eq_ignore_ascii_case("allow") || other.eq_ignore_ascii_case("deny")
            {
                " (the Effect value is case-sensitive)".to_string()
            } else {
                suggest::hint(other, ["Allow", "Deny"])
            };
            Err(error(
                PolicyErrorKind::InvalidEffect,
                value.span.start,
                format!("invalid `Effect` `{other}`: it must be `Allow` or `Deny`{hint}"),
            ))
        }
    }
}

/// Fails with `conflicting-elements` when the other element of an exclusive pair came first.
fn check_exclusive(
    member: &Member,
    other_present: bool,
    positive: &str,
    negative: &str,
) -> Result<(), PolicyError> {
    if !other_present {
        return Ok(());
    }
    Err(error(
        PolicyErrorKind::ConflictingElements,
        member.key_span.start,
        format!("a statement cannot have both `{positive}` and `{negative}`"),
    ))
}

/// Reads a string or a non-empty list of non-empty strings, with each string's span.
fn string_list<'v>(value: &'v Value, element: &str) -> Result<Vec<(&'v str, Span)>, PolicyError> {
    let items: &[Value] = match &value.kind {
        ValueKind::String(_) => std::slice::from_ref(value),
        ValueKind::Array(items) if items.is_empty() => {
            return Err(error(
                PolicyErrorKind::EmptyElement,
                value.span.start,
                format!("`{element}` is an empty list"),
            ))
        }
        ValueKind::Array(items) => items,
        _ => return Err(wrong_type(value, element, "a string or a list of strings")),
    };
    items
        .iter()
        .map(|item| match &item.kind {
            ValueKind::String(s) if s.is_empty() => Err(error(
                PolicyErrorKind::EmptyElement,
                item.span.start,
                format!("`{element}` has an empty string"),
            )),
            ValueKind::String(s) => Ok((s.as_ref(), item.span)),
            _ => Err(wrong_type(item, element, "a string or a list of strings")),
        })
        .collect()
}

fn owned(items: Vec<(&str, Span)>) -> Vec<String> {
    items.into_iter().map(|(s, _)| s.to_string()).collect()
}

fn actions(value: &Value, element: &str) -> Result<Vec<String>, PolicyError> {
    let items = string_list(value, element)?;
    for (action, span) in &items {
        validate::check_action(action).map_err(at(span.start))?;
    }
    Ok(owned(items))
}

/// Reads the map form of a `Principal`: one entry per principal type, in document order.
fn principal_map(
    entries: &[Member],
    value: &Value,
    element: &str,
) -> Result<PrincipalSpec, PolicyError> {
    if entries.is_empty() {
        return Err(error(
            PolicyErrorKind::EmptyElement,
            value.span.start,
            format!("`{element}` is an empty object"),
        ));
    }
    let mut seen = SeenKeys::default();
    let mut map = Vec::new();
    for entry in entries {
        check_unique_key(&mut seen, entry)?;
        let kind = principal_kind(entry)?;
        let items = string_list(&entry.value, &format!("{element}.{}", entry.key))?;
        if kind == PrincipalKind::Aws {
            for (principal, span) in &items {
                validate::check_aws_principal(principal).map_err(at(span.start))?;
            }
        }
        map.push((kind, owned(items)));
    }
    Ok(PrincipalSpec::Map(map))
}

fn principal_kind(entry: &Member) -> Result<PrincipalKind, PolicyError> {
    match entry.key.as_ref() {
        "AWS" => Ok(PrincipalKind::Aws),
        "Service" => Ok(PrincipalKind::Service),
        "Federated" => Ok(PrincipalKind::Federated),
        "CanonicalUser" => Ok(PrincipalKind::CanonicalUser),
        other => {
            let hint = match PRINCIPAL_TYPES
                .iter()
                .find(|k| k.eq_ignore_ascii_case(other))
            {
                Some(k) => format!(" (principal types are case-sensitive: did you mean `{k}`?)"),
                None => suggest::hint(other, PRINCIPAL_TYPES.iter().copied()),
            };
            Err(error(
                PolicyErrorKind::InvalidPrincipal,
                entry.key_span.start,
                format!(
                    "unknown principal type `{other}`; expected one of {}{hint}",
                    PRINCIPAL_TYPES.join(", ")
                ),
            ))
        }
    }
}

/// Reads a non-empty object of a `Condition` block (the block itself or an operator's keys).
fn condition_object<'v, 't>(
    value: &'v Value<'t>,
    what: &str,
) -> Result<&'v [Member<'t>], PolicyError> {
    match &value.kind {
        ValueKind::Object(members) if members.is_empty() => Err(error(
            PolicyErrorKind::InvalidCondition,
            value.span.start,
            format!("{what} is an empty object"),
        )),
        ValueKind::Object(members) => Ok(members),
        other => Err(error(
            PolicyErrorKind::InvalidCondition,
            value.span.start,
            format!("{what} must be an object, found {}", other.type_name()),
        )),
    }
}

fn unknown_operator(member: &Member, why: &OperatorError) -> PolicyError {
    let hint = match why {
        OperatorError::Unknown(text) => {
            let names = ConditionOperator::all_names();
            match names.iter().find(|n| n.eq_ignore_ascii_case(text)) {
                Some(n) => format!(" (operator names are case-sensitive: did you mean `{n}`?)"),
                None => suggest::hint(text, names.iter().map(String::as_str)),
            }
        }
        OperatorError::IfExistsOnNull(_) => String::new(),
    };
    error(
        PolicyErrorKind::UnknownConditionOperator,
        member.key_span.start,
        format!("{why}{hint}"),
    )
}

fn invalid_value(
    position: Position,
    operator: &str,
    key: &str,
    value: &str,
    why: &str,
) -> PolicyError {
    // The operator families' messages name the value themselves (`` `ten` is not a number``);
    // name it here only when they did not.
    let shown = if value.is_empty() || why.contains(&format!("`{value}`")) {
        String::new()
    } else {
        format!(" value `{value}`")
    };
    error(
        PolicyErrorKind::InvalidConditionValue,
        position,
        format!("condition `{operator}` on `{key}`:{shown} {why}"),
    )
}

/// Reads a condition key's values: a scalar or a non-empty list of scalars, as text
/// (numbers and booleans as written).
fn condition_values<'v>(value: &'v Value, key: &str) -> Result<Vec<(&'v str, Span)>, PolicyError> {
    let items: Vec<&Value> = match &value.kind {
        ValueKind::Array(items) if items.is_empty() => {
            return Err(error(
                PolicyErrorKind::EmptyElement,
                value.span.start,
                format!("condition key `{key}` has an empty list of values"),
            ))
        }
        ValueKind::Array(items) => items.iter().collect(),
        _ => vec![value],
    };
    items
        .into_iter()
        .map(|item| {
            let text = match &item.kind {
                ValueKind::String(s) => s.as_ref(),
                ValueKind::Number(s) => s,
                ValueKind::Bool(true) => "true",
                ValueKind::Bool(false) => "false",
                other => {
                    return Err(error(
                        PolicyErrorKind::InvalidCondition,
                        item.span.start,
                        format!(
                            "condition key `{key}` has a value of type {}: values are strings, numbers or booleans",
                            other.type_name()
                        ),
                    ))
                }
            };
            Ok((text, item.span))
        })
        .collect()
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
