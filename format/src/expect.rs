//! What a case expects of a request (or of one resource of it): [`Expect`], a typed enum — a
//! decision with its optional explanation, or a policy error kind with its optional position.
//!
//! On disk an expectation is the flat object of `docs/case-format.md`
//! (`{"decision": ..., "matched": [...], "missing_context": [...]}` or
//! `{"error": ..., "error_position": {...}}`); [`ExpectFields`] is that object member by member.
//! [`Expect`] reads and writes the same JSON through it, so a file means the same as before;
//! a shape that is not one of the two (both `decision` and `error`, neither, an unknown
//! decision, `matched` with an `error`...) does not read. The loader reads [`ExpectFields`]
//! first, so that it can say where in the file such a shape is (see [`crate::load`]).

use serde::{Deserialize, Serialize};

use crate::terms::{Decision, MatchedStatement, Position};

/// An expected answer: a decision, or a rejected policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ExpectFields", into = "ExpectFields")]
pub enum Expect {
    /// Every policy is accepted and the request is decided.
    Decision(ExpectedDecision),
    /// A policy of the case is rejected, as AWS would reject it.
    Error(ExpectedError),
}

/// An expected decision with the parts of its explanation the case checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedDecision {
    /// The decision.
    pub decision: Decision,
    /// The statements that decided, when checked (order does not matter; a multiset of policy
    /// and index, with Sid and positions where given). Empty for `implicitDeny`.
    pub matched: Option<Vec<MatchedStatement>>,
    /// The missing context keys, when checked (a set, case-insensitive).
    pub missing_context: Option<Vec<String>>,
}

/// An expected rejection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedError {
    /// The error kind, from `corpus/error-kinds.json` (checked against that file, not here).
    pub kind: String,
    /// Where the error is, when checked.
    pub position: Option<Position>,
}

impl Expect {
    /// A bare decision, explanation unchecked.
    pub fn decision(decision: Decision) -> Expect {
        Expect::Decision(ExpectedDecision {
            decision,
            matched: None,
            missing_context: None,
        })
    }

    /// A rejection of kind `kind`, position unchecked.
    pub fn error(kind: impl Into<String>) -> Expect {
        Expect::Error(ExpectedError {
            kind: kind.into(),
            position: None,
        })
    }

    /// The expected decision, when a decision is expected.
    pub fn expected_decision(&self) -> Option<Decision> {
        match self {
            Expect::Decision(d) => Some(d.decision),
            Expect::Error(_) => None,
        }
    }

    /// The expected error kind, when a rejection is expected.
    pub fn expected_error(&self) -> Option<&str> {
        match self {
            Expect::Decision(_) => None,
            Expect::Error(e) => Some(&e.kind),
        }
    }
}

impl std::fmt::Display for Expect {
    /// `allowed`, or ``error `malformed-json` ``.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expect::Decision(d) => write!(f, "{}", d.decision),
            Expect::Error(e) => write!(f, "error `{}`", e.kind),
        }
    }
}

/// An expectation as written in a case file, member by member, before its shape is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectFields {
    /// `allowed`, `explicitDeny` or `implicitDeny` (exactly one of `decision` and `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// An error kind from `corpus/error-kinds.json`: AWS rejects a policy of the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Where the error is, when checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_position: Option<Position>,
    /// The statements that decided, when checked (order does not matter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<Vec<MatchedStatement>>,
    /// The missing context keys, when checked (a set, case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_context: Option<Vec<String>>,
}

/// Why an [`ExpectFields`] is not an [`Expect`]: the member at fault (`None` for the object
/// itself) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectShapeError {
    /// The member at fault (`decision`, `matched`...), or `None` for the whole object.
    pub member: Option<&'static str>,
    /// Inside a list member (`matched`): the item's index and the item's member at fault.
    pub item: Option<(usize, &'static str)>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ExpectShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.member, self.item) {
            (Some(member), Some((i, field))) => {
                write!(f, "expect.{member}[{i}].{field}: {}", self.message)
            }
            (Some(member), None) => write!(f, "expect.{member}: {}", self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

impl ExpectFields {
    /// Every rule of the expectation's shape this object breaks (empty when it is an
    /// [`Expect`]): exactly one of `decision` and `error`; a known decision; a non-empty
    /// error kind without `matched` and `missing_context`; `error_position` only with an
    /// `error`; no `matched` statement for an `implicitDeny`; a matched statement gives no
    /// `policy_type` nor `effect` (the case format checks policy, index, Sid and positions).
    pub fn shape_errors(&self) -> Vec<ExpectShapeError> {
        let mut out = Vec::new();
        let mut push = |member: Option<&'static str>, message: String| {
            out.push(ExpectShapeError {
                member,
                item: None,
                message,
            })
        };
        match (&self.decision, &self.error) {
            (Some(_), Some(_)) => push(
                None,
                "`expect` holds exactly one of `decision` and `error`, not both".into(),
            ),
            (None, None) => push(
                None,
                "`expect` holds exactly one of `decision` and `error`: neither is given".into(),
            ),
            _ => {}
        }
        if let Some(decision) = &self.decision {
            match Decision::from_name(decision) {
                None => push(
                    Some("decision"),
                    format!(
                        "unknown decision `{decision}` (expected one of {})",
                        Decision::ALL
                            .iter()
                            .map(|d| d.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                Some(Decision::ImplicitDeny)
                    if self.matched.as_ref().is_some_and(|m| !m.is_empty()) =>
                {
                    push(
                        Some("matched"),
                        "an `implicitDeny` has no deciding statements: `matched` must be empty"
                            .into(),
                    )
                }
                Some(_) => {}
            }
        }
        if let Some(error) = &self.error {
            if error.is_empty() {
                push(Some("error"), "the error kind must not be empty".into());
            }
            for (member, present) in [
                ("matched", self.matched.is_some()),
                ("missing_context", self.missing_context.is_some()),
            ] {
                if present {
                    push(
                        Some(member),
                        format!("`{member}` goes with a `decision`, not with an `error`"),
                    );
                }
            }
        }
        if self.error.is_none() && self.error_position.is_some() {
            push(
                Some("error_position"),
                "`error_position` goes with an `error`".into(),
            );
        }
        for (i, statement) in self.matched.iter().flatten().enumerate() {
            for (field, present) in [
                ("policy_type", statement.policy_type.is_some()),
                ("effect", statement.effect.is_some()),
            ] {
                if present {
                    out.push(ExpectShapeError {
                        member: Some("matched"),
                        item: Some((i, field)),
                        message: format!(
                            "unknown field `{field}`, expected one of `policy`, `statement`, \
                             `sid`, `start`, `end`"
                        ),
                    });
                }
            }
        }
        out
    }
}

impl ExpectFields {
    /// The typed expectation, or the first rule of [`ExpectFields::shape_errors`] it breaks.
    pub fn into_expect(self) -> Result<Expect, ExpectShapeError> {
        if let Some(first) = self.shape_errors().into_iter().next() {
            return Err(first);
        }
        let whole = |message: &str| ExpectShapeError {
            member: None,
            item: None,
            message: message.to_string(),
        };
        match (self.decision, self.error) {
            (Some(decision), None) => Ok(Expect::Decision(ExpectedDecision {
                // shape_errors checked the name.
                decision: Decision::from_name(&decision)
                    .ok_or_else(|| whole("unknown decision"))?,
                matched: self.matched,
                missing_context: self.missing_context,
            })),
            (None, Some(kind)) => Ok(Expect::Error(ExpectedError {
                kind,
                position: self.error_position,
            })),
            _ => Err(whole(
                "`expect` holds exactly one of `decision` and `error`",
            )),
        }
    }
}

impl TryFrom<ExpectFields> for Expect {
    type Error = ExpectShapeError;

    fn try_from(fields: ExpectFields) -> Result<Expect, ExpectShapeError> {
        fields.into_expect()
    }
}

impl From<Expect> for ExpectFields {
    fn from(expect: Expect) -> ExpectFields {
        match expect {
            Expect::Decision(d) => ExpectFields {
                decision: Some(d.decision.name().to_string()),
                matched: d.matched,
                missing_context: d.missing_context,
                ..ExpectFields::default()
            },
            Expect::Error(e) => ExpectFields {
                error: Some(e.kind),
                error_position: e.position,
                ..ExpectFields::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Expect, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn the_two_shapes_read_and_write_the_same_json() {
        for json in [
            r#"{"decision":"allowed"}"#,
            r#"{"decision":"explicitDeny","matched":[{"policy":"P","statement":1,"sid":"S","start":{"line":1,"column":2}}],"missing_context":["aws:SourceIp"]}"#,
            r#"{"decision":"implicitDeny","matched":[],"missing_context":[]}"#,
            r#"{"error":"malformed-json"}"#,
            r#"{"error":"duplicate-sid","error_position":{"line":3,"column":9}}"#,
        ] {
            let expect = read(json).unwrap();
            assert_eq!(serde_json::to_string(&expect).unwrap(), json);
        }
        assert_eq!(
            read(r#"{"decision":"allowed"}"#).unwrap(),
            Expect::decision(Decision::Allowed)
        );
        assert_eq!(
            read(r#"{"error":"x"}"#).unwrap().expected_error(),
            Some("x")
        );
    }

    #[test]
    fn other_shapes_do_not_read() {
        for (json, needle) in [
            ("{}", "neither is given"),
            (r#"{"decision":"allowed","error":"x"}"#, "not both"),
            (r#"{"decision":"allow"}"#, "unknown decision `allow`"),
            (r#"{"error":""}"#, "must not be empty"),
            (r#"{"error":"x","matched":[]}"#, "goes with a `decision`"),
            (
                r#"{"decision":"allowed","error_position":{"line":1,"column":1}}"#,
                "goes with an `error`",
            ),
            (
                r#"{"decision":"implicitDeny","matched":[{"policy":"P","statement":0}]}"#,
                "must be empty",
            ),
            (
                r#"{"decision":"allowed","matched":[{"policy":"P","statement":0,"effect":"Allow"}]}"#,
                "unknown field `effect`",
            ),
            (r#"{"decision":"allowed","extra":1}"#, "unknown field"),
        ] {
            let err = read(json).unwrap_err().to_string();
            assert!(err.contains(needle), "{json}: {err}");
        }
    }
}
