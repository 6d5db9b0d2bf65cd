//! Fail closed on malformed requests (issue 13, item 1): a request whose context value does not
//! read as its declared type is never decided more permissively than the same request with any
//! well-formed value of that type, whatever the policies say about the key.
//!
//! Front ends reject such requests outright (the simulator answers `InvalidInput`); this
//! property is about the evaluator library when one reaches it anyway. Decisions rank
//! `explicitDeny` < `implicitDeny` < `allowed`.

use iamspec::authorize::{authorize, NamedPolicy, PolicySet};
use iamspec::context::{ContextEntry, ContextKeyType, RequestContext};
use iamspec::explain::Decision;
use iamspec::policy::{parse_policy, PolicyType};
use iamspec::request::Request;
use proptest::prelude::*;

const KEY: &str = "test:Key";
const OTHER_KEY: &str = "test:Other";

/// The single-valued types whose values can be malformed (a string always reads).
const TYPES: &[ContextKeyType] = &[
    ContextKeyType::Numeric,
    ContextKeyType::Boolean,
    ContextKeyType::Ip,
    ContextKeyType::Binary,
    ContextKeyType::Date,
];

fn list_of(t: ContextKeyType) -> ContextKeyType {
    match t {
        ContextKeyType::Numeric => ContextKeyType::NumericList,
        ContextKeyType::Boolean => ContextKeyType::BooleanList,
        ContextKeyType::Ip => ContextKeyType::IpList,
        ContextKeyType::Binary => ContextKeyType::BinaryList,
        _ => ContextKeyType::DateList,
    }
}

/// Well-formed values of a type (as context values and, except IP masks, as policy values).
fn good_values(t: ContextKeyType) -> &'static [&'static str] {
    match t {
        ContextKeyType::Numeric => &["10", "0", "-3", "1000", "2.5", "1e3"],
        ContextKeyType::Boolean => &["true", "false", "TRUE"],
        ContextKeyType::Ip => &["10.0.0.1", "192.168.1.1", "203.0.113.7", "2001:db8::1"],
        ContextKeyType::Binary => &["QUJD", "QQ==", "AAAA"],
        _ => &[
            "2024-01-01T00:00:00Z",
            "2020-06-01",
            "1700000000",
            "2030-01-01T12:00:00+02:00",
        ],
    }
}

/// Policy values for conditions of the type's family.
fn policy_values(t: ContextKeyType) -> &'static [&'static str] {
    match t {
        ContextKeyType::Ip => &[
            "10.0.0.0/8",
            "192.168.1.1",
            "203.0.113.0/24",
            "2001:db8::/32",
        ],
        other => good_values(other),
    }
}

/// The probe's malformed values, and a few more.
fn bad_values(t: ContextKeyType) -> &'static [&'static str] {
    match t {
        ContextKeyType::Numeric => &["0x100", "1,000", " 1000", "", "NaN", "ten"],
        ContextKeyType::Boolean => &["no", "0", "yes", " true", ""],
        ContextKeyType::Ip => &["999.1.1.1", "192.168.1.1 ", "10.0.0.0/8", "localhost", ""],
        ContextKeyType::Binary => &["not base64!", "Q", "===="],
        _ => &[
            "01/01/2024",
            "2024-01-01 00:00:00",
            "2023-02-29",
            "tomorrow",
            "",
        ],
    }
}

/// The operators of the type's family, plus string operators (any operator must fail closed).
fn operators(t: ContextKeyType) -> &'static [&'static str] {
    match t {
        ContextKeyType::Numeric => &[
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
            "StringEquals",
            "StringNotLike",
        ],
        ContextKeyType::Boolean => &["Bool", "StringEquals", "StringNotEquals"],
        ContextKeyType::Ip => &["IpAddress", "NotIpAddress", "StringLike"],
        ContextKeyType::Binary => &["BinaryEquals", "StringNotEquals"],
        _ => &[
            "DateEquals",
            "DateNotEquals",
            "DateLessThan",
            "DateGreaterThanEquals",
            "StringEquals",
        ],
    }
}

/// One condition on KEY, OTHER_KEY or none, as JSON text.
fn condition(t: ContextKeyType) -> impl Strategy<Value = String> {
    let on_key = (
        prop::sample::select(operators(t)),
        prop::sample::select(&["", "ForAnyValue:", "ForAllValues:"][..]),
        any::<bool>(),
        prop::collection::vec(prop::sample::select(policy_values(t)), 1..3),
    )
        .prop_map(|(op, set, if_exists, values)| {
            let values = values
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(",");
            let suffix = if if_exists { "IfExists" } else { "" };
            format!(r#""{set}{op}{suffix}": {{ "{KEY}": [{values}] }}"#)
        });
    prop_oneof![
        4 => on_key,
        1 => any::<bool>().prop_map(|b| format!(r#""Null": {{ "{KEY}": "{b}" }}"#)),
        1 => prop::sample::select(&["x", "y"][..])
            .prop_map(|v| format!(r#""StringEquals": {{ "{OTHER_KEY}": "{v}" }}"#)),
    ]
}

/// A statement: effect, action and optional condition.
fn statement(t: ContextKeyType) -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::sample::select(&["s3:GetObject", "s3:*", "*", "s3:PutObject"][..]),
        prop::option::of(condition(t)),
    )
        .prop_map(|(allow, action, condition)| {
            let effect = if allow { "Allow" } else { "Deny" };
            let condition = condition
                .map(|c| format!(r#", "Condition": {{ {c} }}"#))
                .unwrap_or_default();
            format!(
                r#"{{ "Effect": "{effect}", "Action": "{action}", "Resource": "*"{condition} }}"#
            )
        })
}

fn policy_text(t: ContextKeyType) -> impl Strategy<Value = String> {
    prop::collection::vec(statement(t), 1..4).prop_map(|statements| {
        format!(
            r#"{{ "Version": "2012-10-17", "Statement": [{}] }}"#,
            statements.join(",")
        )
    })
}

/// Everything one trial needs: the type, whether the key is a list, the policies (identity and
/// maybe a permissions boundary), a well-formed and a malformed value list of the same length.
#[derive(Debug, Clone)]
struct Trial {
    key_type: ContextKeyType,
    identity: Vec<String>,
    boundary: Option<String>,
    good: Vec<String>,
    bad: Vec<String>,
}

fn trial() -> impl Strategy<Value = Trial> {
    (prop::sample::select(TYPES), any::<bool>()).prop_flat_map(|(t, list)| {
        let len = if list { 1..4usize } else { 1..2usize };
        (
            prop::collection::vec(policy_text(t), 1..3),
            prop::option::of(policy_text(t)),
            prop::collection::vec(prop::sample::select(good_values(t)), len.clone()),
            prop::collection::vec(
                (
                    prop::sample::select(good_values(t)),
                    prop::sample::select(bad_values(t)),
                    any::<bool>(),
                ),
                len,
            ),
            any::<prop::sample::Index>(),
        )
            .prop_map(move |(identity, boundary, good, mixed, forced)| {
                // At least one value is malformed; the others may be good or bad.
                let forced = forced.index(mixed.len());
                let bad = mixed
                    .iter()
                    .enumerate()
                    .map(|(i, (g, b, use_bad))| {
                        if *use_bad || i == forced { b } else { g }.to_string()
                    })
                    .collect();
                Trial {
                    key_type: if list { list_of(t) } else { t },
                    identity,
                    boundary,
                    good: good.iter().map(|v| v.to_string()).collect(),
                    bad,
                }
            })
    })
}

fn rank(decision: Decision) -> u8 {
    match decision {
        Decision::ExplicitDeny => 0,
        Decision::ImplicitDeny => 1,
        Decision::Allowed => 2,
    }
}

fn decide(trial: &Trial, values: &[String]) -> Decision {
    let named = |policy_type, (i, text): (usize, &String)| NamedPolicy {
        id: format!("P{i}"),
        policy: parse_policy(text, policy_type).expect("generated policies are valid"),
    };
    let set = PolicySet {
        identity: trial
            .identity
            .iter()
            .enumerate()
            .map(|p| named(PolicyType::Identity, p))
            .collect(),
        permissions_boundary: trial
            .boundary
            .as_ref()
            .map(|b| named(PolicyType::PermissionsBoundary, (9, b))),
        ..PolicySet::default()
    };
    let mut context = RequestContext::new().with(OTHER_KEY, ContextKeyType::String, &["x"]);
    context.insert(ContextEntry {
        key: KEY.to_string(),
        key_type: trial.key_type,
        values: values.to_vec(),
    });
    let request = Request::new(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
    )
    .with_context(context);
    authorize(&set, &request).expect("decidable").decision
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The property of issue 13: malformed ≤ any well-formed, in permissiveness.
    #[test]
    fn a_malformed_request_is_never_decided_more_permissively(trial in trial()) {
        let entry = ContextEntry {
            key: KEY.into(),
            key_type: trial.key_type,
            values: trial.bad.clone(),
        };
        prop_assert!(entry.check().is_err(), "the trial's values are malformed");
        let malformed = decide(&trial, &trial.bad);
        let well_formed = decide(&trial, &trial.good);
        prop_assert!(
            rank(malformed) <= rank(well_formed),
            "{:?} with {:?} but {:?} with {:?}",
            malformed,
            trial.bad,
            well_formed,
            trial.good
        );
    }
}

/// The probe's example: an Allow plus a Deny on `NumericGreaterThan s3:max-keys 10`.
#[test]
fn the_probe_s_numeric_example_is_denied_not_allowed() {
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"},
        {"Effect":"Deny","Action":"s3:ListBucket","Resource":"*",
         "Condition":{"NumericGreaterThan":{"s3:max-keys":"10"}}}]}"#;
    let set = PolicySet {
        identity: vec![NamedPolicy {
            id: "P".into(),
            policy: parse_policy(policy, PolicyType::Identity).unwrap(),
        }],
        ..PolicySet::default()
    };
    for value in ["1000", "0x100", "1,000", " 1000"] {
        let request = Request::new(
            "arn:aws:iam::111122223333:user/alice",
            "s3:ListBucket",
            "arn:aws:s3:::bucket",
        )
        .with_context(RequestContext::new().with(
            "s3:max-keys",
            ContextKeyType::Numeric,
            &[value],
        ));
        let decision = authorize(&set, &request).unwrap().decision;
        assert_eq!(decision, Decision::ExplicitDeny, "{value:?}");
    }
}
