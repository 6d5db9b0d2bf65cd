//! Policy documents as AWS tools print them: the document inside the output of
//! `aws iam get-policy-version` (`{"PolicyVersion": {"Document": ...}}`), `get-role`
//! (`{"Role": {"AssumeRolePolicyDocument": ...}}`), `get-role-policy` / `get-user-policy` /
//! `get-group-policy` (`{"PolicyDocument": ...}`) and `aws organizations describe-policy`
//! (`{"Policy": {"Content": "<the document as a string>"}}`).
//!
//! [`unwrap`] finds the document. When it is a JSON object in the file, the policy is parsed
//! from that part of the file and positions are mapped back ([`Unwrapped::file_position`]), so
//! they point into the file as written. When it is a string — URL-encoded as the IAM API returns
//! it (RFC 3986 percent-encoding), or JSON text in a string as Organizations returns it — the
//! policy is parsed from the decoded text and positions are lines and columns of the decoded
//! document; [`Unwrapped::decoded_from`] says where the string starts in the file, for messages.
//!
//! A file that is a policy document itself (it has a `Statement`), or that is not JSON, is
//! returned as it is: the policy parser reports its problems.

use std::borrow::Cow;

use crate::policy::json::{self, Member, Value, ValueKind};
use crate::policy::Position;

/// A policy document found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwrapped<'t> {
    /// The policy text to parse.
    pub text: Cow<'t, str>,
    /// Where the document was found (`PolicyVersion.Document`), or `None` for a plain document.
    pub path: Option<&'static str>,
    /// For a document given as a string: where the string starts in the file.
    pub decoded_from: Option<Position>,
    /// For a document that is part of the file: where it starts in the file.
    offset: Option<Position>,
}

impl Unwrapped<'_> {
    /// The file position of a position in [`Unwrapped::text`]: shifted back into the file when
    /// the document is part of it; unchanged for a plain or a decoded document.
    pub fn file_position(&self, position: Position) -> Position {
        match self.offset {
            Some(start) if position.line == 1 => Position {
                line: start.line,
                column: start.column + position.column - 1,
            },
            Some(start) => Position {
                line: start.line + position.line - 1,
                column: position.column,
            },
            None => position,
        }
    }
}

/// The envelopes known, as (outer key, inner key): `("PolicyDocument", None)` is a document at
/// the top level.
const ENVELOPES: &[(&str, Option<&str>, &str)] = &[
    ("PolicyVersion", Some("Document"), "PolicyVersion.Document"),
    (
        "Role",
        Some("AssumeRolePolicyDocument"),
        "Role.AssumeRolePolicyDocument",
    ),
    ("PolicyDocument", None, "PolicyDocument"),
    ("AssumeRolePolicyDocument", None, "AssumeRolePolicyDocument"),
    ("Policy", Some("Content"), "Policy.Content"),
];

/// Why a file that looks like an AWS tool's output has no usable document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at line {}, column {})", position.line, position.column)]
pub struct EnvelopeError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub position: Position,
}

/// Finds the policy document in `text` (see the module documentation).
pub fn unwrap(text: &str) -> Result<Unwrapped<'_>, EnvelopeError> {
    let plain = Unwrapped {
        text: Cow::Borrowed(text),
        path: None,
        decoded_from: None,
        offset: None,
    };
    let Ok(root) = json::parse(text) else {
        return Ok(plain);
    };
    let ValueKind::Object(members) = &root.kind else {
        return Ok(plain);
    };
    if members.iter().any(|m| m.key == "Statement") {
        return Ok(plain);
    }
    for (outer, inner, path) in ENVELOPES {
        let Some(found) = member(members, outer) else {
            continue;
        };
        let document = match inner {
            None => &found.value,
            Some(inner) => match &found.value.kind {
                ValueKind::Object(fields) => match member(fields, inner) {
                    Some(m) => &m.value,
                    None => continue,
                },
                _ => continue,
            },
        };
        return document_at(text, document, path);
    }
    Ok(plain)
}

fn member<'v, 't>(members: &'v [Member<'t>], key: &str) -> Option<&'v Member<'t>> {
    members.iter().find(|m| m.key == key)
}

fn document_at<'t>(
    text: &'t str,
    document: &Value,
    path: &'static str,
) -> Result<Unwrapped<'t>, EnvelopeError> {
    match &document.kind {
        ValueKind::Object(_) => {
            let start = byte_offset(text, document.span.start);
            let end = byte_offset(text, document.span.end);
            let end = end + text[end..].chars().next().map_or(0, char::len_utf8);
            Ok(Unwrapped {
                text: Cow::Borrowed(&text[start..end]),
                path: Some(path),
                decoded_from: None,
                offset: Some(document.span.start),
            })
        }
        ValueKind::String(encoded) => {
            let decoded = if encoded.trim_start().starts_with('{') {
                encoded.to_string()
            } else {
                percent_decode(encoded).ok_or_else(|| EnvelopeError {
                    message: format!(
                        "`{path}` is a string that is neither a JSON document nor URL-encoded UTF-8"
                    ),
                    position: document.span.start,
                })?
            };
            Ok(Unwrapped {
                text: Cow::Owned(decoded),
                path: Some(path),
                decoded_from: Some(document.span.start),
                offset: None,
            })
        }
        other => Err(EnvelopeError {
            message: format!(
                "`{path}` must be a policy document (an object) or a string holding one, found {}",
                other.type_name_with_article()
            ),
            position: document.span.start,
        }),
    }
}

/// The byte offset of a 1-based line and character column.
fn byte_offset(text: &str, position: Position) -> usize {
    let mut line = 1;
    let mut column = 1;
    for (offset, c) in text.char_indices() {
        if line == position.line && column == position.column {
            return offset;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    text.len()
}

/// Decodes RFC 3986 percent-encoding (`%7B` → `{`); `+` stays `+`. `None` for a bad escape or
/// bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{parse_policy, PolicyErrorKind, PolicyType};

    const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

    #[test]
    fn a_plain_document_is_left_alone() {
        let u = unwrap(DOC).unwrap();
        assert_eq!(u.text, DOC);
        assert_eq!(u.path, None);
        assert_eq!(unwrap("not json").unwrap().text, "not json");
    }

    #[test]
    fn get_policy_version_output_gives_its_document_with_file_positions() {
        let file = "{\n  \"PolicyVersion\": {\n    \"Document\": {\"Version\":\"2012-10-17\",\n      \"Statement\": {\"Effect\":\"Alow\",\"Action\":\"*\",\"Resource\":\"*\"}},\n    \"VersionId\": \"v1\"\n  }\n}\n";
        let u = unwrap(file).unwrap();
        assert_eq!(u.path, Some("PolicyVersion.Document"));
        let e = parse_policy(&u.text, PolicyType::Identity).unwrap_err();
        assert_eq!(e.kind, PolicyErrorKind::InvalidEffect);
        // `"Alow"` is on line 4 of the file, column 30.
        assert_eq!(
            u.file_position(e.position),
            Position {
                line: 4,
                column: 30
            }
        );
        assert_eq!(&file.lines().nth(3).unwrap()[29..35], "\"Alow\"");
        // On the document's first line, columns shift too.
        assert_eq!(
            u.file_position(Position { line: 1, column: 2 }),
            Position {
                line: 3,
                column: 18
            }
        );
    }

    #[test]
    fn url_encoded_and_string_documents_are_decoded() {
        let encoded: String = DOC
            .chars()
            .map(|c| match c {
                '{' => "%7B".to_string(),
                '}' => "%7D".to_string(),
                '"' => "%22".to_string(),
                ':' => "%3A".to_string(),
                other => other.to_string(),
            })
            .collect();
        let file = format!(r#"{{"PolicyVersion":{{"Document":"{encoded}","VersionId":"v1"}}}}"#);
        let u = unwrap(&file).unwrap();
        assert_eq!(u.text, DOC);
        assert_eq!(
            u.decoded_from,
            Some(Position {
                line: 1,
                column: 30
            })
        );
        assert!(parse_policy(&u.text, PolicyType::Identity).is_ok());
        let escaped = DOC.replace('"', "\\\"");
        let org = format!(r#"{{"Policy":{{"PolicySummary":{{}},"Content":"{escaped}"}}}}"#);
        assert_eq!(unwrap(&org).unwrap().text, DOC);
    }

    #[test]
    fn role_and_inline_policy_outputs() {
        let role = format!(r#"{{"Role":{{"RoleName":"R","AssumeRolePolicyDocument":{DOC}}}}}"#);
        let u = unwrap(&role).unwrap();
        assert_eq!(u.text, DOC);
        assert_eq!(u.path, Some("Role.AssumeRolePolicyDocument"));
        let inline = format!(r#"{{"RoleName":"R","PolicyName":"p","PolicyDocument":{DOC}}}"#);
        assert_eq!(unwrap(&inline).unwrap().text, DOC);
        let bad = r#"{"PolicyDocument": 3}"#;
        assert!(unwrap(bad).unwrap_err().message.contains("found a number"));
        let array = unwrap(r#"{"PolicyDocument": []}"#).unwrap_err().message;
        assert!(array.contains("found an array"), "{array}");
        assert!(unwrap(r#"{"PolicyDocument":"%ZZ"}"#).is_err());
    }
}
