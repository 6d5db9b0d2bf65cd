//! Tests of the policy grammar and validation: every grammar form, every error kind with its
//! position, positions in odd text, warnings, and the never-panic property.

use super::*;
use proptest::prelude::*;

/// The position of the `nth` (0-based) occurrence of `needle` in `text`, counted independently
/// of the reader: lines at `\n`, columns in characters.
fn pos_of(text: &str, needle: &str, nth: usize) -> Position {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in {text}"));
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..offset].chars().count() as u32 + 1;
    Position { line, column }
}

fn identity(text: &str) -> Policy {
    parse_policy(text, PolicyType::Identity).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn fails(text: &str, policy_type: PolicyType) -> PolicyError {
    match parse_policy(text, policy_type) {
        Ok(p) => panic!("accepted as {policy_type:?}: {text}\n{p:?}"),
        Err(e) => e,
    }
}

/// Asserts that `text` fails as `policy_type` with `kind` at the `nth` occurrence of `at`.
fn assert_error(
    text: &str,
    policy_type: PolicyType,
    kind: PolicyErrorKind,
    at: &str,
    nth: usize,
) -> PolicyError {
    let e = fails(text, policy_type);
    assert_eq!(e.kind, kind, "{text}\n{e}");
    assert_eq!(e.position, pos_of(text, at, nth), "{text}\n{e}");
    assert!(!e.message.is_empty());
    e
}

const ALLOW_ALL: &str = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;

fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":{statements}}}"#)
}

// ---------------------------------------------------------------- grammar forms

#[test]
fn single_statement_object_becomes_a_list_of_one() {
    let p = identity(&doc(ALLOW_ALL));
    assert_eq!(p.version, Some(PolicyVersion::V2012_10_17));
    assert_eq!(p.statements.len(), 1);
    let s = &p.statements[0];
    assert_eq!(s.index, 0);
    assert_eq!(s.effect, Effect::Allow);
    assert_eq!(s.action, ActionBlock::Action(vec!["*".into()]));
    assert_eq!(s.resource, Some(ResourceBlock::Resource(vec!["*".into()])));
    assert!(s.principal.is_none() && s.conditions.is_empty() && s.sid.is_none());
    assert!(p.warnings.is_empty());
}

#[test]
fn statement_lists_strings_and_lists() {
    let text = doc(
        r#"[{"Sid":"A1","Effect":"Deny","NotAction":["s3:Get*","ec2:Describe*"],"NotResource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]},
           {"Effect":"Allow","Action":"iam:Get*","Resource":"arn:aws:iam::111122223333:user/x"}]"#,
    );
    let p = identity(&text);
    assert_eq!(p.statements.len(), 2);
    let s0 = &p.statements[0];
    assert_eq!(s0.sid.as_deref(), Some("A1"));
    assert_eq!(s0.effect, Effect::Deny);
    assert_eq!(
        s0.action,
        ActionBlock::NotAction(vec!["s3:Get*".into(), "ec2:Describe*".into()])
    );
    assert_eq!(
        s0.resource,
        Some(ResourceBlock::NotResource(vec![
            "arn:aws:s3:::b".into(),
            "arn:aws:s3:::b/*".into()
        ]))
    );
    assert_eq!(p.statements[1].index, 1);
    assert_eq!(
        p.statements[1].action,
        ActionBlock::Action(vec!["iam:Get*".into()])
    );
}

#[test]
fn versions_and_id() {
    let old =
        identity(r#"{"Version":"2008-10-17","Statement":[]}"#.replace("[]", ALLOW_ALL).as_str());
    assert_eq!(old.version, Some(PolicyVersion::V2008_10_17));
    assert_eq!(old.id, None);
    assert!(!old.variables_enabled());
    let bucket = r#"{"Id":"P1","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#;
    let p = parse_policy(bucket, PolicyType::Resource).unwrap();
    assert_eq!(p.id.as_deref(), Some("P1"));
    let none = identity(&format!(r#"{{"Statement":{ALLOW_ALL}}}"#));
    assert_eq!(none.version, None);
    assert!(!none.variables_enabled());
    assert!(identity(&doc(ALLOW_ALL)).variables_enabled());
}

#[test]
fn element_order_does_not_matter() {
    let text =
        r#"{"Statement":{"Resource":"*","Action":"s3:*","Effect":"Allow"},"Version":"2012-10-17"}"#;
    let p = identity(text);
    assert_eq!(p.version, Some(PolicyVersion::V2012_10_17));
    assert_eq!(p.statements[0].effect, Effect::Allow);
}

#[test]
fn principals_in_every_form() {
    let text = doc(
        r#"[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
           {"Effect":"Allow","Principal":{"AWS":"111122223333","Service":["ec2.amazonaws.com","lambda.amazonaws.com"],"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbaced"},"Action":"s3:*","Resource":"*"},
           {"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"s3:*","Resource":"*"},
           {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"sts:AssumeRole"}]"#,
    );
    let p = parse_policy(&text, PolicyType::Resource).unwrap();
    assert_eq!(
        p.statements[0].principal,
        Some(PrincipalBlock::Principal(PrincipalSpec::Wildcard))
    );
    assert_eq!(
        p.statements[1].principal,
        Some(PrincipalBlock::Principal(PrincipalSpec::Map(vec![
            (PrincipalKind::Aws, vec!["111122223333".into()]),
            (
                PrincipalKind::Service,
                vec!["ec2.amazonaws.com".into(), "lambda.amazonaws.com".into()]
            ),
            (
                PrincipalKind::Federated,
                vec!["cognito-identity.amazonaws.com".into()]
            ),
            (
                PrincipalKind::CanonicalUser,
                vec!["79a59df900b949e55d96a1e698fbaced".into()]
            ),
        ])))
    );
    assert_eq!(
        p.statements[2].principal,
        Some(PrincipalBlock::NotPrincipal(PrincipalSpec::Map(vec![(
            PrincipalKind::Aws,
            vec!["arn:aws:iam::111122223333:root".into(), "*".into()]
        )])))
    );
    // A role trust policy statement has no Resource.
    assert_eq!(p.statements[3].resource, None);
}

#[test]
fn conditions_flatten_in_document_order_with_values_as_text() {
    let text = doc(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{
            "StringEquals":{"aws:PrincipalTag/team":["a","b"],"s3:prefix":"home/"},
            "NumericLessThan":{"s3:max-keys":10},
            "Bool":{"aws:SecureTransport":true},
            "ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["x*",false,1.5e2]}}}"#,
    );
    let p = identity(&text);
    let c = &p.statements[0].conditions;
    let flat: Vec<(&str, &str, Vec<&str>)> = c
        .iter()
        .map(|c| {
            (
                c.operator_text.as_str(),
                c.key.as_str(),
                c.values.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        flat,
        vec![
            ("StringEquals", "aws:PrincipalTag/team", vec!["a", "b"]),
            ("StringEquals", "s3:prefix", vec!["home/"]),
            ("NumericLessThan", "s3:max-keys", vec!["10"]),
            ("Bool", "aws:SecureTransport", vec!["true"]),
            (
                "ForAnyValue:StringLikeIfExists",
                "aws:TagKeys",
                vec!["x*", "false", "1.5e2"]
            ),
        ]
    );
    assert_eq!(
        c[4].operator,
        ConditionOperator::parse("ForAnyValue:StringLikeIfExists").unwrap()
    );
    // The span of a condition is its key's entry, from the key's quote to the value's end.
    assert_eq!(
        c[0].span.start,
        pos_of(&text, "\"aws:PrincipalTag/team\"", 0)
    );
    let end = pos_of(&text, "\"b\"]", 0);
    assert_eq!(
        c[0].span.end,
        Position {
            line: end.line,
            column: end.column + 3
        }
    );
    assert_eq!(c[2].span.start, pos_of(&text, "\"s3:max-keys\"", 0));
    assert_eq!(c[2].span.end, pos_of(&text, "10}", 0).with_column_offset(1));
}

trait ColumnOffset {
    fn with_column_offset(self, by: u32) -> Position;
}

impl ColumnOffset for Position {
    fn with_column_offset(self, by: u32) -> Position {
        Position {
            line: self.line,
            column: self.column + by,
        }
    }
}

#[test]
fn parse_policy_value_uses_pretty_printed_positions() {
    let value = serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]});
    let p = parse_policy_value(&value, PolicyType::Identity).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    assert_eq!(
        p.statements[0].span.start,
        pos_of(&pretty, "{\n      \"Effect\"", 0)
    );
    let e = parse_policy_value(&serde_json::json!([]), PolicyType::Identity).unwrap_err();
    assert_eq!(e.kind, PolicyErrorKind::InvalidElementType);
}

// ---------------------------------------------------------------- positions

#[test]
fn statement_spans_with_odd_whitespace_newlines_and_unicode() {
    let text = "{\r\n\t\"Version\" :\t\"2012-10-17\",\r\n  \"Statement\"\n:\n[ \t{\"Sid\":\"One\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::café\"}\n\n,\n\t\t   {\r\n\"Effect\":\"Deny\",\"Action\":\"s3:Delete*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/nom\":\"Zoë\"}}\r\n  \t}]}\n";
    let p = identity(text);
    let s0 = &p.statements[0];
    assert_eq!(s0.span.start, pos_of(text, "{\"Sid\"", 0));
    assert_eq!(s0.span.start, Position { line: 5, column: 4 });
    // The first statement ends at the `}` after `café"`; `é` counts as one column.
    let end = pos_of(text, "café\"}", 0).with_column_offset(5);
    assert_eq!(s0.span.end, end);
    let s1 = &p.statements[1];
    assert_eq!(s1.span.start, Position { line: 8, column: 6 });
    assert_eq!(
        s1.span.end,
        Position {
            line: 10,
            column: 4
        }
    );
    assert_eq!(
        s1.conditions[0].span.start,
        pos_of(text, "\"aws:PrincipalTag/nom\"", 0)
    );
    assert_eq!(
        s1.conditions[0].span.end,
        pos_of(text, "Zoë\"", 0).with_column_offset(3)
    );
}

#[test]
fn positions_in_scp_count_non_latin_characters_as_one_column() {
    // SCPs are not limited to U+00FF, so CJK and astral characters can appear.
    let text = "{\"Version\":\"2012-10-17\",\"Id\":\"政策😀\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    let p = parse_policy(text, PolicyType::Scp).unwrap();
    assert_eq!(p.statements[0].span.start, pos_of(text, "{\"Effect\"", 0));
    assert_eq!(p.statements[0].span.start.column, 49);
}

// ---------------------------------------------------------------- errors, one per kind

#[test]
fn malformed_json() {
    let text =
        "{\"Version\":\"2012-10-17\",\n \"Statement\":{\"Effect\":\"Allow\" \"Action\":\"*\"}}";
    let e = assert_error(
        text,
        PolicyType::Identity,
        PolicyErrorKind::MalformedJson,
        "\"Action\"",
        0,
    );
    assert!(
        e.message
            .contains("expected `,` or `}` after object member"),
        "{}",
        e.message
    );
    assert_error(
        "",
        PolicyType::Identity,
        PolicyErrorKind::MalformedJson,
        "",
        0,
    );
}

#[test]
fn duplicate_keys_are_malformed() {
    let text = doc(r#"{"Effect":"Allow","Action":"s3:*","Action":"ec2:*","Resource":"*"}"#);
    let e = assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::MalformedJson,
        "\"Action\"",
        1,
    );
    assert!(e.message.contains("duplicate key `Action`"));
    let text = doc(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true","aws:SecureTransport":"false"}}}"#,
    );
    assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::MalformedJson,
        "\"aws:SecureTransport\"",
        1,
    );
}

#[test]
fn invalid_element_types() {
    let cases: &[(&str, &str, usize)] = &[
        (r#"["Version"]"#, "[", 0),
        (r#"{"Version":2012,"Statement":[]}"#, "2012", 0),
        (r#"{"Statement":"s"}"#, "\"s\"", 0),
        (r#"{"Statement":["s"]}"#, "\"s\"", 0),
        (
            r#"{"Statement":{"Sid":1,"Effect":"Allow","Action":"*","Resource":"*"}}"#,
            "1",
            0,
        ),
        (
            r#"{"Statement":{"Effect":true,"Action":"*","Resource":"*"}}"#,
            "true",
            0,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":{"a":1},"Resource":"*"}}"#,
            "{\"a\"",
            0,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":["s3:*",7],"Resource":"*"}}"#,
            "7",
            0,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":null}}"#,
            "null",
            0,
        ),
    ];
    for (text, at, nth) in cases {
        assert_error(
            text,
            PolicyType::Identity,
            PolicyErrorKind::InvalidElementType,
            at,
            *nth,
        );
    }
    let text = r#"{"Statement":{"Effect":"Allow","Principal":3,"Action":"*"}}"#;
    assert_error(
        text,
        PolicyType::Resource,
        PolicyErrorKind::InvalidElementType,
        "3",
        0,
    );
}

#[test]
fn missing_elements_are_reported_at_the_object_that_lacks_them() {
    let text = r#"{"Version":"2012-10-17"}"#;
    let e = assert_error(
        text,
        PolicyType::Identity,
        PolicyErrorKind::MissingElement,
        "{",
        0,
    );
    assert!(e.message.contains("Statement"));
    for (statement, what) in [
        (r#"{"Action":"*","Resource":"*"}"#, "Effect"),
        (r#"{"Effect":"Allow","Resource":"*"}"#, "Action"),
        (r#"{"Effect":"Allow","Action":"*"}"#, "Resource"),
    ] {
        let text = doc(&format!("[{ALLOW_ALL},\n {statement}]"));
        let e = assert_error(
            &text,
            PolicyType::Identity,
            PolicyErrorKind::MissingElement,
            "{",
            2,
        );
        assert!(e.message.contains(what), "{}", e.message);
        assert!(e.message.contains("statement 1"), "{}", e.message);
    }
    // Resource is required on the identity side, including SCPs and RCPs, but not in a
    // resource-based policy (role trust policies have none).
    let no_resource = r#"{"Effect":"Deny","Action":"s3:*"}"#;
    for t in [
        PolicyType::PermissionsBoundary,
        PolicyType::Session,
        PolicyType::Scp,
    ] {
        assert_error(
            &doc(no_resource),
            t,
            PolicyErrorKind::MissingElement,
            "{\"Effect\"",
            0,
        );
    }
    let text = doc(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#);
    let e = assert_error(
        &text,
        PolicyType::Resource,
        PolicyErrorKind::MissingElement,
        "{\"Effect\"",
        0,
    );
    assert!(e.message.contains("Principal"));
    let e = assert_error(
        &text,
        PolicyType::Rcp,
        PolicyErrorKind::MissingElement,
        "{\"Effect\"",
        0,
    );
    assert!(e.message.contains("Principal"));
    // SCPs and RCPs need a Version.
    let text = r#"{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#;
    let e = assert_error(
        text,
        PolicyType::Scp,
        PolicyErrorKind::MissingElement,
        "{",
        0,
    );
    assert!(e.message.contains("Version"));
}

#[test]
fn unknown_elements_and_wrong_case_names() {
    let text = r#"{"Version":"2012-10-17","Statements":[]}"#;
    assert_error(
        text,
        PolicyType::Identity,
        PolicyErrorKind::UnknownElement,
        "\"Statements\"",
        0,
    );
    let text = doc(r#"{"Effect":"Allow","Actions":"s3:*","Resource":"*"}"#);
    let e = assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::UnknownElement,
        "\"Actions\"",
        0,
    );
    assert!(e.message.contains("`Actions`"));
    let text = doc(r#"{"Effect":"Allow","action":"s3:*","Resource":"*"}"#);
    let e = assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::UnknownElement,
        "\"action\"",
        0,
    );
    assert!(e.message.contains("did you mean `Action`"), "{}", e.message);
    let text = r#"{"version":"2012-10-17","Statement":[]}"#;
    assert_error(
        text,
        PolicyType::Identity,
        PolicyErrorKind::UnknownElement,
        "\"version\"",
        0,
    );
}

#[test]
fn conflicting_elements() {
    let cases = [
        (
            r#"{"Effect":"Deny","Action":"s3:*","NotAction":"s3:*","Resource":"*"}"#,
            "NotAction",
        ),
        (
            r#"{"Effect":"Deny","NotAction":"s3:*","Action":"s3:*","Resource":"*"}"#,
            "Action",
        ),
        (
            r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","NotResource":"*"}"#,
            "NotResource",
        ),
    ];
    for (statement, second) in cases {
        let text = doc(statement);
        let e = assert_error(
            &text,
            PolicyType::Identity,
            PolicyErrorKind::ConflictingElements,
            &format!("\"{second}\""),
            0,
        );
        assert!(e.message.contains("both"), "{}", e.message);
    }
    let text =
        doc(r#"{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Principal":"*","Action":"s3:*"}"#);
    assert_error(
        &text,
        PolicyType::Resource,
        PolicyErrorKind::ConflictingElements,
        "\"Principal\"",
        0,
    );
}

#[test]
fn invalid_versions() {
    let text = r#"{"Version":"2012-10-18","Statement":[]}"#;
    let e = assert_error(
        text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidVersion,
        "\"2012-10-18\"",
        0,
    );
    assert!(e.message.contains("2012-10-18"));
    let text = format!(
        r#"{{"Version":"2008-10-17","Statement":{}}}"#,
        r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#
    );
    assert!(parse_policy(&text, PolicyType::Identity).is_ok());
    assert_error(
        &text,
        PolicyType::Scp,
        PolicyErrorKind::InvalidVersion,
        "\"2008",
        0,
    );
}

#[test]
fn invalid_effects_are_case_sensitive() {
    let text = doc(r#"{"Effect":"allow","Action":"s3:*","Resource":"*"}"#);
    let e = assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidEffect,
        "\"allow\"",
        0,
    );
    assert!(e.message.contains("case-sensitive"));
    let text = doc(r#"{"Effect":"Permit","Action":"s3:*","Resource":"*"}"#);
    assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidEffect,
        "\"Permit\"",
        0,
    );
}

#[test]
fn invalid_actions() {
    for bad in ["GetObject", "s3:Get:Object", "*:Get*", "s3:"] {
        let text = doc(&format!(
            r#"{{"Effect":"Allow","Action":["s3:GetObject","{bad}"],"Resource":"*"}}"#
        ));
        let e = assert_error(
            &text,
            PolicyType::Identity,
            PolicyErrorKind::InvalidAction,
            &format!("\"{bad}\""),
            0,
        );
        assert!(e.message.contains(bad));
    }
    let text = doc(r#"{"Effect":"Deny","NotAction":"iam","Resource":"*"}"#);
    assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidAction,
        "\"iam\"",
        0,
    );
}

#[test]
fn invalid_resources() {
    let text =
        doc(r#"{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b","my-bucket"]}"#);
    let e = assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidResource,
        "\"my-bucket\"",
        0,
    );
    assert!(e.message.contains("my-bucket"));
    let text = doc(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:1:s3:::b"}"#);
    let e = assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidResource,
        "\"arn:1",
        0,
    );
    assert!(e.message.contains("partition `1`"), "{}", e.message);
    let text = doc(r#"{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3"}"#);
    assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidResource,
        "\"arn:aws:s3\"",
        0,
    );
}

#[test]
fn invalid_principals() {
    let stmt = |p: &str| {
        doc(&format!(
            r#"{{"Effect":"Allow","Principal":{p},"Action":"s3:*","Resource":"*"}}"#
        ))
    };
    let text = stmt(r#""arn:aws:iam::111122223333:root""#);
    assert_error(
        &text,
        PolicyType::Resource,
        PolicyErrorKind::InvalidPrincipal,
        "\"arn:aws:iam",
        0,
    );
    let text = stmt(r#"{"aws":"*"}"#);
    let e = assert_error(
        &text,
        PolicyType::Resource,
        PolicyErrorKind::InvalidPrincipal,
        "\"aws\"",
        0,
    );
    assert!(e.message.contains("did you mean `AWS`"));
    let text = stmt(r#"{"User":"alice"}"#);
    assert_error(
        &text,
        PolicyType::Resource,
        PolicyErrorKind::InvalidPrincipal,
        "\"User\"",
        0,
    );
    let text = stmt(r#"{"AWS":["111122223333","alice"]}"#);
    assert_error(
        &text,
        PolicyType::Resource,
        PolicyErrorKind::InvalidPrincipal,
        "\"alice\"",
        0,
    );
    // An RCP's Principal must be "*".
    let text = stmt(r#"{"AWS":"*"}"#).replace("Allow", "Deny");
    assert_error(
        &text,
        PolicyType::Rcp,
        PolicyErrorKind::InvalidPrincipal,
        "{\"AWS\"",
        0,
    );
    assert!(parse_policy(&stmt(r#""*""#).replace("Allow", "Deny"), PolicyType::Rcp).is_ok());
}

#[test]
fn unsupported_principals() {
    let text = doc(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#);
    for t in [
        PolicyType::Identity,
        PolicyType::PermissionsBoundary,
        PolicyType::Session,
        PolicyType::Scp,
    ] {
        let e = assert_error(
            &text,
            t,
            PolicyErrorKind::UnsupportedPrincipal,
            "\"Principal\"",
            0,
        );
        assert!(e.message.contains("should not specify a principal"));
    }
    let text =
        doc(r#"{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}"#);
    assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::UnsupportedPrincipal,
        "\"NotPrincipal\"",
        0,
    );
    assert_error(
        &text,
        PolicyType::Rcp,
        PolicyErrorKind::UnsupportedPrincipal,
        "\"NotPrincipal\"",
        0,
    );
}

#[test]
fn unsupported_elements() {
    // The grammar notes: the Id block "must not be included in identity-based policies".
    let text = format!(r#"{{"Version":"2012-10-17","Id":"P1","Statement":{ALLOW_ALL}}}"#);
    for t in [PolicyType::Identity, PolicyType::PermissionsBoundary] {
        assert_error(&text, t, PolicyErrorKind::UnsupportedElement, "\"Id\"", 0);
    }
    assert!(parse_policy(&text, PolicyType::Session).is_ok());
    let text = r#"{"Id":1,"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*"}}"#;
    assert_error(
        text,
        PolicyType::Resource,
        PolicyErrorKind::InvalidElementType,
        "1",
        0,
    );
    let text = doc(r#"{"Effect":"Deny","Principal":"*","NotAction":"s3:Get*","Resource":"*"}"#);
    assert_error(
        &text,
        PolicyType::Rcp,
        PolicyErrorKind::UnsupportedElement,
        "\"NotAction\"",
        0,
    );
    assert!(parse_policy(&text, PolicyType::Resource).is_ok());
}

#[test]
fn unknown_condition_operators() {
    let cond = |c: &str| {
        doc(&format!(
            r#"{{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{c}}}"#
        ))
    };
    for op in [
        "StringEqual",
        "NullIfExists",
        "ForSomeValues:StringEquals",
        "stringequals",
    ] {
        let text = cond(&format!(
            r#"{{"Bool":{{"aws:SecureTransport":"true"}},"{op}":{{"aws:a":"b"}}}}"#
        ));
        assert_error(
            &text,
            PolicyType::Identity,
            PolicyErrorKind::UnknownConditionOperator,
            &format!("\"{op}\""),
            0,
        );
    }
}

#[test]
fn invalid_conditions() {
    let cond = |c: &str| {
        doc(&format!(
            r#"{{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{c}}}"#
        ))
    };
    let cases: &[(&str, &str)] = &[
        (r#"["x"]"#, "[\"x\"]"),
        (r#"{}"#, "{}"),
        (r#"{"StringEquals":"x"}"#, "\"x\""),
        (r#"{"StringEquals":{}}"#, "{}"),
        (r#"{"StringEquals":{"aws:a":{"b":1}}}"#, "{\"b\""),
        (r#"{"StringEquals":{"aws:a":null}}"#, "null"),
        (r#"{"StringEquals":{"aws:a":["b",null]}}"#, "null"),
        (r#"{"StringEquals":{"SourceIp":"b"}}"#, "\"SourceIp\""),
    ];
    for (c, at) in cases {
        let text = cond(c);
        assert_error(
            &text,
            PolicyType::Identity,
            PolicyErrorKind::InvalidCondition,
            at,
            0,
        );
    }
}

#[test]
fn duplicate_sids() {
    let text = doc(
        r#"[{"Sid":"S1","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"S2","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"S1","Effect":"Deny","Action":"s3:*","Resource":"*"}]"#,
    );
    let e = assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::DuplicateSid,
        "\"S1\"",
        1,
    );
    assert!(e.message.contains("S1"));
    // Sids differing in case are different; empty Sids are not compared.
    let text = doc(
        r#"[{"Sid":"s1","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"S1","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"","Effect":"Allow","Action":"s3:*","Resource":"*"}]"#,
    );
    assert!(parse_policy(&text, PolicyType::Identity).is_ok());
}

#[test]
fn sid_characters() {
    let text = doc(r#"{"Sid":"Allow S3 read","Effect":"Allow","Action":"s3:*","Resource":"*"}"#);
    for t in [
        PolicyType::Identity,
        PolicyType::PermissionsBoundary,
        PolicyType::Session,
    ] {
        assert_error(&text, t, PolicyErrorKind::InvalidSid, "\"Allow S3", 0);
    }
    assert!(parse_policy(&text, PolicyType::Scp).is_ok());
    let text = doc(
        r#"{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#,
    );
    assert!(parse_policy(&text, PolicyType::Resource).is_ok());
}

#[test]
fn empty_elements() {
    let cases: &[(&str, &str)] = &[
        (r#"{"Version":"2012-10-17","Statement":[]}"#, "[]"),
        (
            &doc(r#"{"Effect":"Allow","Action":[],"Resource":"*"}"#),
            "[]",
        ),
        (
            &doc(r#"{"Effect":"Allow","Action":"","Resource":"*"}"#),
            "\"\"",
        ),
        (
            &doc(r#"{"Effect":"Allow","Action":"s3:*","Resource":["*",""]}"#),
            "\"\"",
        ),
        (
            &doc(
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:a":[]}}}"#,
            ),
            "[]",
        ),
    ];
    for (text, at) in cases {
        assert_error(
            text,
            PolicyType::Identity,
            PolicyErrorKind::EmptyElement,
            at,
            0,
        );
    }
    let text = doc(r#"{"Effect":"Allow","Principal":{},"Action":"s3:*"}"#);
    assert_error(
        &text,
        PolicyType::Resource,
        PolicyErrorKind::EmptyElement,
        "{}",
        0,
    );
    let text = doc(r#"{"Effect":"Allow","Principal":{"Service":[]},"Action":"s3:*"}"#);
    assert_error(
        &text,
        PolicyType::Resource,
        PolicyErrorKind::EmptyElement,
        "[]",
        0,
    );
}

#[test]
fn policy_too_large() {
    let big = doc(&format!(
        r#"{{"Sid":"{}","Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        "a".repeat(6200)
    ));
    let e = fails(&big, PolicyType::Identity);
    assert_eq!(e.kind, PolicyErrorKind::PolicyTooLarge);
    assert_eq!(e.position, Position { line: 1, column: 1 });
    // Resource-based policies have no single limit (each service sets its own).
    let bucket = big.replace(
        r#""Effect":"Allow","#,
        r#""Effect":"Allow","Principal":"*","#,
    );
    assert!(parse_policy(&bucket, PolicyType::Resource).is_ok());
    let session = doc(&format!(
        r#"{{"Sid":"{}","Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        "a".repeat(2000)
    ));
    assert!(parse_policy(&session, PolicyType::Identity).is_ok());
    assert_eq!(
        fails(&session, PolicyType::Session).kind,
        PolicyErrorKind::PolicyTooLarge
    );
}

#[test]
fn invalid_characters() {
    let text = doc(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/€"}"#);
    assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidCharacter,
        "€",
        0,
    );
    // Written as an escape, the same character is accepted.
    let text = doc(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/\u20ac"}"#);
    let p = identity(&text);
    assert_eq!(
        p.statements[0].resource,
        Some(ResourceBlock::Resource(vec!["arn:aws:s3:::b/€".into()]))
    );
}

#[test]
fn condition_values_are_checked_by_the_operator() {
    // `check_values` belongs to the conditions work; here only its wiring is tested: an operator
    // whose values it accepts parses.
    let text = doc(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":["10",20]}}}"#,
    );
    assert!(parse_policy(&text, PolicyType::Identity).is_ok());
    assert_eq!(
        PolicyErrorKind::InvalidConditionValue.name(),
        "invalid-condition-value"
    );
    let e = invalid_value(
        Position { line: 2, column: 3 },
        "NumericEquals",
        "s3:max-keys",
        "ten",
        "not a number",
    );
    assert_eq!(e.kind, PolicyErrorKind::InvalidConditionValue);
    assert_eq!(
        e.message,
        "condition `NumericEquals` on `s3:max-keys`: value `ten` not a number"
    );
}

// ---------------------------------------------------------------- order of errors

#[test]
fn the_first_problem_in_document_order_wins() {
    // An invalid action in statement 0 comes before a missing Effect in statement 1.
    let text = doc(
        r#"[{"Effect":"Allow","Action":"bad","Resource":"*"},{"Action":"s3:*","Resource":"*"}]"#,
    );
    assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidAction,
        "\"bad\"",
        0,
    );
    // A problem inside a statement comes before that statement's missing element.
    let text = doc(r#"{"Effect":"allow","Resource":"*"}"#);
    assert_error(
        &text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidEffect,
        "\"allow\"",
        0,
    );
    // An invalid Version after the statements is found after their problems.
    let text = r#"{"Statement":{"Effect":"Allow","Action":"bad","Resource":"*"},"Version":"1"}"#;
    assert_error(
        text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidAction,
        "\"bad\"",
        0,
    );
    // A missing Statement is reported after the document's members.
    let text = r#"{"Version":"1"}"#;
    assert_error(
        text,
        PolicyType::Identity,
        PolicyErrorKind::InvalidVersion,
        "\"1\"",
        0,
    );
}

// ---------------------------------------------------------------- warnings

#[test]
fn warnings() {
    let text = r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}}"#;
    let p = identity(text);
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].kind, PolicyWarningKind::VariableInOldVersion);
    assert_eq!(p.warnings[0].position, pos_of(text, "\"arn", 0));
    assert!(identity(&doc(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}"#
    ))
    .warnings
    .is_empty());

    let text = doc(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws::::x","Condition":{"StringEquals":{"aws:a":["",""]}}}"#,
    );
    let p = identity(&text);
    let kinds: Vec<_> = p.warnings.iter().map(|w| (w.kind, w.position)).collect();
    assert_eq!(
        kinds,
        vec![
            (
                PolicyWarningKind::ResourceNeverMatches,
                pos_of(&text, "\"arn", 0)
            ),
            (
                PolicyWarningKind::EmptyConditionValue,
                pos_of(&text, "\"\"", 0)
            ),
            (
                PolicyWarningKind::EmptyConditionValue,
                pos_of(&text, "\"\"", 1)
            ),
        ]
    );
}

#[test]
fn not_principal_with_allow_is_warned() {
    let text = doc(
        r#"[{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"},
        {"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}]"#,
    );
    let p = parse_policy(&text, PolicyType::Resource).unwrap();
    let warnings: Vec<_> = p.warnings.iter().map(|w| (w.kind, w.position)).collect();
    assert_eq!(
        warnings,
        vec![(
            PolicyWarningKind::NotPrincipalWithAllow,
            pos_of(&text, "{\"Effect\"", 1)
        )]
    );
}

// ---------------------------------------------------------------- never panic

const ALL_TYPES: [PolicyType; 6] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
    PolicyType::Scp,
    PolicyType::Rcp,
];

const SEED: &str = r#"{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["*","111122223333"]},"NotPrincipal":"*","Action":["s3:*"],"NotResource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:a":["b",1,true]},"NullIfExists":{"x":"y"}}}]}"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn never_panics_on_any_text(text in any::<String>(), t in 0usize..6) {
        let _ = parse_policy(&text, ALL_TYPES[t]);
    }

    #[test]
    fn never_panics_on_mutated_policies(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<char>(), 0u8..3), 1..8),
        t in 0usize..6,
    ) {
        let mut chars: Vec<char> = SEED.chars().collect();
        for (index, c, op) in edits {
            if chars.is_empty() { break; }
            let i = index.index(chars.len());
            match op {
                0 => { chars.remove(i); }
                1 => chars.insert(i, c),
                _ => chars[i] = c,
            }
        }
        let text: String = chars.into_iter().collect();
        if let Err(e) = parse_policy(&text, ALL_TYPES[t]) {
            prop_assert!(e.position.line >= 1 && e.position.column >= 1);
            prop_assert!(!e.message.is_empty());
        }
    }
}

// ---------------------------------------------------------------- messages that help

#[test]
fn misspelt_elements_effects_and_operators_get_a_suggestion() {
    let e = fails(
        &doc(r#"{"Efect":"Allow","Action":"*","Resource":"*"}"#),
        PolicyType::Identity,
    );
    assert!(e.message.contains("did you mean `Effect`?"), "{e}");
    let e = fails(
        &doc(r#"{"Effect":"Alow","Action":"*","Resource":"*"}"#),
        PolicyType::Identity,
    );
    assert!(e.message.contains("did you mean `Allow`?"), "{e}");
    let e = fails(
        &doc(
            r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqual":{"aws:username":"a"}}}"#,
        ),
        PolicyType::Identity,
    );
    assert!(e.message.contains("did you mean `StringEquals`?"), "{e}");
    let e = fails(
        &doc(
            r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLikeIfExist":{"aws:TagKeys":"a"}}}"#,
        ),
        PolicyType::Identity,
    );
    assert!(
        e.message
            .contains("did you mean `ForAnyValue:StringLikeIfExists`?"),
        "{e}"
    );
    let e = fails(
        r#"{"Version":"2012-10-17","Statment":[]}"#,
        PolicyType::Identity,
    );
    assert!(e.message.contains("did you mean `Statement`?"), "{e}");
    // Nothing close: no suggestion.
    let e = fails(
        &doc(r#"{"Effect":"Permit","Action":"*","Resource":"*"}"#),
        PolicyType::Identity,
    );
    assert!(!e.message.contains("did you mean"), "{e}");
}

#[test]
fn an_invalid_condition_value_is_named_once() {
    let e = fails(
        &doc(
            r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}"#,
        ),
        PolicyType::Identity,
    );
    assert_eq!(e.message.matches("10.0.0.0/33").count(), 1, "{e}");
}

#[test]
fn policy_types_are_named_with_the_right_article() {
    let e = fails(
        r#"{"Id":"x","Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        PolicyType::Identity,
    );
    assert!(e.message.contains("in an identity-based policy"), "{e}");
    let e = fails(
        &doc(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#),
        PolicyType::Scp,
    );
    assert!(e.message.starts_with("a service control policy"), "{e}");
}

#[test]
fn every_problem_is_reported_and_the_first_stays_primary() {
    let text = doc(
        r#"[{"Efect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"bad","Resource":"nope"},{"Effect":"Allow","Action":"s3:*"}]"#,
    );
    let errors = parse_policy_all(&text, PolicyType::Identity).unwrap_err();
    let first = parse_policy(&text, PolicyType::Identity).unwrap_err();
    assert_eq!(errors.first, first);
    let kinds: Vec<PolicyErrorKind> = errors.all().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            PolicyErrorKind::UnknownElement,
            PolicyErrorKind::InvalidAction,
            PolicyErrorKind::InvalidResource,
            PolicyErrorKind::MissingElement,
        ]
    );
    assert_eq!(errors.more[0].position, pos_of(&text, "\"bad\"", 0));
    // A valid policy has no errors.
    assert!(parse_policy_all(&doc(ALLOW_ALL), PolicyType::Identity).is_ok());
}
