//! Tests of the rules shared by every operator family (absent keys, IfExists, Null, set
//! operators, multi-valued keys, unreadable values, variables, missing keys) and of each family
//! through [`evaluate`], plus properties.

use super::*;
use crate::context::{ContextKeyType as T, RequestContext};
use crate::policy::Span;

fn condition(operator: &str, key: &str, values: &[&str]) -> Condition {
    Condition {
        operator: ConditionOperator::parse(operator).expect("known operator"),
        operator_text: operator.to_string(),
        key: key.to_string(),
        values: values.iter().map(|v| v.to_string()).collect(),
        span: Span::default(),
    }
}

/// Evaluates with variables enabled; returns the result and the missing keys.
fn run(c: &Condition, context: &RequestContext) -> (bool, Vec<String>) {
    let mut missing = Vec::new();
    let view = ContextView::request_only(context);
    let result = evaluate(c, &view, true, &mut missing);
    (result, missing)
}

fn eval(operator: &str, values: &[&str], key_type: T, context_values: &[&str]) -> bool {
    let context = RequestContext::new().with("k:Key", key_type, context_values);
    run(&condition(operator, "k:key", values), &context).0
}

fn eval_absent(operator: &str, values: &[&str]) -> (bool, Vec<String>) {
    let context = RequestContext::new().with("other:Key", T::String, &["x"]);
    run(&condition(operator, "k:Key", values), &context)
}

/// A policy value each family can read, for operators in tests that do not care about values.
fn sample_value(base: BaseOperator) -> &'static str {
    match base.family() {
        OperatorFamily::String => "x",
        OperatorFamily::Arn => "arn:aws:s3:::b",
        OperatorFamily::Numeric => "1",
        OperatorFamily::Date => "2020-01-01T00:00:00Z",
        OperatorFamily::Bool | OperatorFamily::Null => "true",
        OperatorFamily::Binary => "QQ==",
        OperatorFamily::Ip => "203.0.113.0/24",
    }
}

// ---------------------------------------------------------------- absent keys (rules 1, 2, 5)

#[test]
fn absent_key_every_operator_and_prefix() {
    for &base in BaseOperator::ALL {
        if base == BaseOperator::Null {
            continue;
        }
        let v = sample_value(base);
        let name = base.name();
        let cases = [
            (name.to_string(), base.is_negated()),
            (format!("{name}IfExists"), true),
            (format!("ForAllValues:{name}"), true),
            (format!("ForAllValues:{name}IfExists"), true),
            (format!("ForAnyValue:{name}"), false),
            (format!("ForAnyValue:{name}IfExists"), true),
        ];
        for (operator, expected) in cases {
            let (result, missing) = eval_absent(&operator, &[v]);
            assert_eq!(result, expected, "{operator} on an absent key");
            assert_eq!(
                missing,
                vec!["k:Key".to_string()],
                "{operator} reports the key"
            );
        }
    }
}

#[test]
fn present_key_is_not_missing_and_key_lookup_ignores_case() {
    let context = RequestContext::new().with("aws:PrincipalTag/Team", T::String, &["a"]);
    let (result, missing) = run(
        &condition("StringEquals", "AWS:principaltag/team", &["a"]),
        &context,
    );
    assert!(result);
    assert!(missing.is_empty());
}

#[test]
fn missing_key_is_reported_as_written_in_the_policy() {
    let (_, missing) = eval_absent("StringEquals", &["x"]);
    assert_eq!(missing, vec!["k:Key"]);
}

// ------------------------------------------------------------------------------ Null (rule 3)

#[test]
fn null_tests_presence() {
    assert_eq!(eval_absent("Null", &["true"]), (true, vec!["k:Key".into()]));
    assert_eq!(
        eval_absent("Null", &["false"]),
        (false, vec!["k:Key".into()])
    );
    assert!(eval("Null", &["false"], T::String, &["v"]));
    assert!(!eval("Null", &["true"], T::String, &["v"]));
    assert!(
        eval("Null", &["false"], T::String, &[""]),
        "an empty string is a value"
    );
}

#[test]
fn null_reads_case_insensitively_and_ors_values() {
    assert!(eval_absent("Null", &["TRUE"]).0);
    assert!(eval("Null", &["False"], T::Numeric, &["1"]));
    assert!(eval_absent("Null", &["false", "true"]).0);
    assert!(eval("Null", &["false", "true"], T::String, &["v"]));
    assert!(
        !eval_absent("Null", &["yes"]).0,
        "an unreadable value matches nothing"
    );
}

#[test]
fn null_treats_an_empty_list_as_null_but_not_missing() {
    let context = RequestContext::new().with("aws:TagKeys", T::StringList, &[]);
    let (result, missing) = run(&condition("Null", "aws:TagKeys", &["true"]), &context);
    assert!(result);
    assert!(missing.is_empty());
    assert!(!run(&condition("Null", "aws:TagKeys", &["false"]), &context).0);
    assert!(eval("Null", &["false"], T::StringList, &["a", "b"]));
}

#[test]
fn null_ignores_set_prefixes() {
    assert!(eval_absent("ForAnyValue:Null", &["true"]).0);
    assert!(!eval_absent("ForAllValues:Null", &["false"]).0);
}

// ------------------------------------------------------------- several values (rule 4)

#[test]
fn several_policy_values_or_and_nor() {
    assert!(eval("StringEquals", &["a", "b"], T::String, &["b"]));
    assert!(!eval("StringEquals", &["a", "b"], T::String, &["c"]));
    assert!(!eval("StringNotEquals", &["a", "b"], T::String, &["b"]));
    assert!(eval("StringNotEquals", &["a", "b"], T::String, &["c"]));
    assert!(eval("NumericLessThan", &["1", "10"], T::Numeric, &["5"]));
    assert!(!eval("NumericNotEquals", &["1", "5"], T::Numeric, &["5.0"]));
    assert!(!eval(
        "NotIpAddress",
        &["10.0.0.0/8", "203.0.113.0/24"],
        T::Ip,
        &["203.0.113.9"]
    ));
    assert!(eval(
        "NotIpAddress",
        &["10.0.0.0/8", "203.0.113.0/24"],
        T::Ip,
        &["198.51.100.1"]
    ));
    assert!(!eval("DateNotEquals", &["1", "2"], T::Date, &["2"]));
}

// ---------------------------------------------------------------- set operators (rules 5, 7)

#[test]
fn for_all_values_every_value_must_match() {
    let op = "ForAllValues:StringEquals";
    assert!(eval(
        op,
        &["DataClass", "Owner"],
        T::StringList,
        &["DataClass"]
    ));
    assert!(eval(
        op,
        &["DataClass", "Owner"],
        T::StringList,
        &["DataClass", "Owner"]
    ));
    assert!(!eval(
        op,
        &["DataClass", "Owner"],
        T::StringList,
        &["DataClass", "Dept"]
    ));
    assert!(
        eval(op, &["DataClass"], T::StringList, &[]),
        "empty list: true"
    );
}

#[test]
fn for_any_value_one_value_must_match() {
    let op = "ForAnyValue:StringEquals";
    assert!(eval(
        op,
        &["DataClass", "Owner"],
        T::StringList,
        &["Dept", "Owner"]
    ));
    assert!(!eval(
        op,
        &["DataClass", "Owner"],
        T::StringList,
        &["Dept", "SIC"]
    ));
    assert!(
        !eval(op, &["DataClass"], T::StringList, &[]),
        "empty list: false"
    );
}

/// True when `glob::pieces_match` handles wildcards inside a pattern (not only a whole `*`).
fn glob_works() -> bool {
    crate::matching::glob::pieces_match(&[Piece::Pattern("key1*")], "key1:legal", false)
}

#[test]
fn for_all_values_with_a_negated_operator_aws_example() {
    assert!(
        glob_works(),
        "matching::glob must match a wildcard inside a pattern (`key1*`)"
    );
    // IAM User Guide, "Multivalued context key examples": ForAllValues:StringNotLike key1*.
    let op = "ForAllValues:StringNotLike";
    assert!(!eval(op, &["key1*"], T::StringList, &["key1:legal"]));
    assert!(!eval(
        op,
        &["key1*"],
        T::StringList,
        &["key1:hr", "key1:personnel"]
    ));
    assert!(eval(op, &["key1*"], T::StringList, &["key2:audit"]));
    assert!(eval_absent(op, &["key1*"]).0);
    // Mixed: one value is like key1*, so not every value is "not like".
    assert!(!eval(
        op,
        &["key1*"],
        T::StringList,
        &["key2:audit", "key1:hr"]
    ));
}

#[test]
fn for_any_value_with_a_negated_operator() {
    let op = "ForAnyValue:StringNotEquals";
    assert!(
        eval(op, &["a", "b"], T::StringList, &["a", "c"]),
        "c equals neither"
    );
    assert!(!eval(op, &["a", "b"], T::StringList, &["a", "b"]));
    assert!(!eval_absent(op, &["a"]).0);
}

#[test]
fn set_operator_on_a_single_valued_key_is_a_one_element_set() {
    assert!(eval("ForAnyValue:StringEquals", &["a"], T::String, &["a"]));
    assert!(!eval("ForAnyValue:StringEquals", &["a"], T::String, &["b"]));
    assert!(eval(
        "ForAllValues:NumericLessThan",
        &["10"],
        T::Numeric,
        &["3"]
    ));
    assert!(!eval(
        "ForAllValues:NumericLessThan",
        &["10"],
        T::Numeric,
        &["30"]
    ));
}

#[test]
fn if_exists_with_a_set_operator_on_a_present_key_is_the_set_operator() {
    assert!(!eval(
        "ForAnyValue:StringEqualsIfExists",
        &["a"],
        T::StringList,
        &["b"]
    ));
    assert!(eval(
        "ForAnyValue:StringEqualsIfExists",
        &["a"],
        T::StringList,
        &["b", "a"]
    ));
    assert!(!eval(
        "ForAnyValue:StringEqualsIfExists",
        &["a"],
        T::StringList,
        &[]
    ));
}

// ------------------------------------------------------------ multi-valued keys (rule 6)

#[test]
fn plain_operator_on_a_multi_valued_key_is_false() {
    for op in [
        "StringEquals",
        "StringNotEquals",
        "StringLike",
        "StringEqualsIfExists",
        "StringNotEqualsIfExists",
    ] {
        assert!(!eval(op, &["a"], T::StringList, &["a"]), "{op}, one value");
        assert!(
            !eval(op, &["a"], T::StringList, &["a", "b"]),
            "{op}, two values"
        );
        assert!(!eval(op, &["a"], T::StringList, &[]), "{op}, empty list");
        assert!(
            !eval(op, &["a"], T::String, &["a", "b"]),
            "{op}, two values of a string"
        );
    }
    assert!(!eval("NumericNotEquals", &["1"], T::NumericList, &["2"]));
    assert!(!eval(
        "NotIpAddress",
        &["10.0.0.0/8"],
        T::IpList,
        &["203.0.113.1"]
    ));
}

// ------------------------------------------------------------- unreadable values (rule 8)

#[test]
fn unreadable_context_value_is_false_for_positive_and_negated() {
    assert!(!eval("NumericEquals", &["10"], T::String, &["abc"]));
    assert!(!eval("NumericNotEquals", &["10"], T::String, &["abc"]));
    assert!(!eval(
        "NumericLessThanIfExists",
        &["10"],
        T::String,
        &["abc"]
    ));
    assert!(!eval("Bool", &["true"], T::String, &["yes"]));
    assert!(!eval("Bool", &["false"], T::String, &["yes"]));
    assert!(!eval("DateEquals", &["2020-01-01"], T::String, &["soon"]));
    assert!(!eval(
        "DateNotEquals",
        &["2020-01-01"],
        T::String,
        &["soon"]
    ));
    assert!(!eval("IpAddress", &["0.0.0.0/0"], T::String, &["host"]));
    assert!(!eval("NotIpAddress", &["10.0.0.0/8"], T::String, &["host"]));
    assert!(!eval("BinaryEquals", &["QQ=="], T::Binary, &["!!"]));
}

#[test]
fn unreadable_values_in_sets() {
    let list = T::NumericList;
    assert!(!eval(
        "ForAllValues:NumericLessThan",
        &["10"],
        list,
        &["1", "x"]
    ));
    assert!(eval(
        "ForAnyValue:NumericLessThan",
        &["10"],
        list,
        &["x", "1"]
    ));
    assert!(!eval(
        "ForAnyValue:NumericNotEquals",
        &["10"],
        list,
        &["x", "10"]
    ));
    assert!(!eval(
        "ForAllValues:NumericNotEquals",
        &["10"],
        list,
        &["x"]
    ));
}

#[test]
fn unreadable_policy_value_matches_nothing() {
    assert!(eval("NumericEquals", &["ten", "10"], T::Numeric, &["10"]));
    assert!(!eval("NumericEquals", &["ten"], T::Numeric, &["10"]));
    assert!(eval("NumericNotEquals", &["ten"], T::Numeric, &["10"]));
    assert!(!eval(
        "NumericNotEquals",
        &["ten", "10"],
        T::Numeric,
        &["10"]
    ));
    assert!(!eval("Bool", &["maybe"], T::Boolean, &["true"]));
}

#[test]
fn context_values_are_read_by_the_operator_family_not_the_declared_type() {
    assert!(eval("NumericEquals", &["10"], T::String, &["10.0"]));
    assert!(eval("StringEquals", &["10"], T::Numeric, &["10"]));
    assert!(!eval("StringEquals", &["10"], T::Numeric, &["10.0"]));
    assert!(eval("Bool", &["true"], T::String, &["True"]));
}

// -------------------------------------------------------------------------- each family

#[test]
fn string_operators() {
    assert!(eval("StringEquals", &["Prod"], T::String, &["Prod"]));
    assert!(!eval("StringEquals", &["Prod"], T::String, &["prod"]));
    assert!(!eval("StringEquals", &["Pro*"], T::String, &["Prod"]));
    assert!(eval(
        "StringEqualsIgnoreCase",
        &["PROD"],
        T::String,
        &["prod"]
    ));
    assert!(!eval(
        "StringNotEqualsIgnoreCase",
        &["PROD"],
        T::String,
        &["prod"]
    ));
    assert!(eval("StringNotEquals", &["Prod"], T::String, &["prod"]));
    assert!(eval("StringLike", &["*"], T::String, &["anything"]));
    assert!(eval("StringLike", &[""], T::String, &[""]));
    assert!(!eval("StringLike", &[""], T::String, &["x"]));
    assert!(!eval("StringNotLike", &["*"], T::String, &["anything"]));
    assert!(
        eval("StringEquals", &["10"], T::String, &["10"]),
        "JSON numbers kept as text"
    );
}

#[test]
fn numeric_operators() {
    assert!(eval("NumericEquals", &["10"], T::Numeric, &["10"]));
    assert!(eval("NumericEquals", &["10"], T::Numeric, &["1e1"]));
    assert!(eval("NumericNotEquals", &["10"], T::Numeric, &["11"]));
    assert!(eval("NumericLessThan", &["10"], T::Numeric, &["9.99"]));
    assert!(!eval("NumericLessThan", &["10"], T::Numeric, &["10"]));
    assert!(eval("NumericLessThanEquals", &["10"], T::Numeric, &["10"]));
    assert!(!eval(
        "NumericLessThanEquals",
        &["10"],
        T::Numeric,
        &["10.01"]
    ));
    assert!(eval("NumericGreaterThan", &["-1"], T::Numeric, &["0"]));
    assert!(!eval("NumericGreaterThan", &["0"], T::Numeric, &["0"]));
    assert!(eval(
        "NumericGreaterThanEquals",
        &["0"],
        T::Numeric,
        &["-0"]
    ));
    assert!(!eval(
        "NumericGreaterThanEquals",
        &["0"],
        T::Numeric,
        &["-0.5"]
    ));
}

#[test]
fn date_operators_mix_iso_and_epoch() {
    let t = "2020-01-01T00:00:00Z";
    assert!(eval("DateEquals", &[t], T::Date, &["1577836800"]));
    assert!(eval(
        "DateEquals",
        &["1577836800"],
        T::Date,
        &["2020-01-01T01:00:00+01:00"]
    ));
    assert!(eval(
        "DateNotEquals",
        &[t],
        T::Date,
        &["2020-01-01T00:00:01Z"]
    ));
    assert!(eval(
        "DateLessThan",
        &[t],
        T::Date,
        &["2019-12-31T23:59:59Z"]
    ));
    assert!(!eval("DateLessThan", &[t], T::Date, &[t]));
    assert!(eval("DateLessThanEquals", &[t], T::Date, &[t]));
    assert!(eval(
        "DateGreaterThan",
        &["2020-01-01"],
        T::Date,
        &["2020-01-01T00:00:00.001Z"]
    ));
    assert!(!eval(
        "DateGreaterThanEquals",
        &[t],
        T::Date,
        &["1577836799"]
    ));
    assert!(eval(
        "DateGreaterThanEquals",
        &[t],
        T::Date,
        &["1577836800"]
    ));
}

#[test]
fn bool_operator() {
    assert!(eval("Bool", &["true"], T::Boolean, &["true"]));
    assert!(eval("Bool", &["false"], T::Boolean, &["FALSE"]));
    assert!(!eval("Bool", &["true"], T::Boolean, &["false"]));
    assert!(eval("BoolIfExists", &["false"], T::Boolean, &["false"]));
}

#[test]
fn binary_operator_compares_bytes() {
    assert!(eval(
        "BinaryEquals",
        &["QmluYXJ5"],
        T::Binary,
        &["QmluYXJ5"]
    ));
    assert!(
        eval("BinaryEquals", &["QQ=="], T::Binary, &["QQ"]),
        "same bytes"
    );
    assert!(!eval("BinaryEquals", &["QQ=="], T::Binary, &["Qg=="]));
    assert!(eval(
        "ForAnyValue:BinaryEquals",
        &["QQ=="],
        T::BinaryList,
        &["Qg==", "QQ=="]
    ));
}

#[test]
fn ip_operators() {
    assert!(eval(
        "IpAddress",
        &["203.0.113.0/24"],
        T::Ip,
        &["203.0.113.9"]
    ));
    assert!(!eval(
        "IpAddress",
        &["203.0.113.0/24"],
        T::Ip,
        &["203.0.114.9"]
    ));
    assert!(eval("IpAddress", &["203.0.113.9"], T::Ip, &["203.0.113.9"]));
    assert!(eval(
        "IpAddress",
        &["2001:DB8:1234:5678::/64"],
        T::Ip,
        &["2001:db8:1234:5678::1"]
    ));
    assert!(eval(
        "NotIpAddress",
        &["203.0.113.0/24"],
        T::Ip,
        &["2001:db8::1"]
    ));
    assert!(!eval(
        "NotIpAddress",
        &["203.0.113.0/24"],
        T::Ip,
        &["203.0.113.1"]
    ));
}

#[test]
fn arn_operators() {
    let arn = "arn:aws:sns:us-east-1:123456789012:topic";
    assert!(eval("ArnEquals", &[arn], T::String, &[arn]));
    assert!(eval("ArnLike", &[arn], T::String, &[arn]));
    assert!(!eval("ArnNotEquals", &[arn], T::String, &[arn]));
    assert!(!eval("ArnNotLike", &[arn], T::String, &[arn]));
    assert!(eval(
        "ArnNotLike",
        &[arn],
        T::String,
        &["arn:aws:sns:us-east-1:123456789012:other"]
    ));
    assert!(
        glob_works(),
        "matching::glob must match a wildcard inside a pattern (`key1*`)"
    );
    assert!(eval(
        "ArnLike",
        &["arn:aws:sns:*:123456789012:*"],
        T::String,
        &[arn]
    ));
}

// ------------------------------------------------------------------------ variables (rule 9)

/// True when `variables::expand` substitutes (rather than returning the template).
fn expand_substitutes() -> bool {
    let context = RequestContext::new().with("aws:username", T::String, &["alice"]);
    let view = ContextView::request_only(&context);
    let mut missing = Vec::new();
    let pieces = variables::expand("${aws:username}", &view, true, &mut missing);
    pieces.is_some_and(|p| joined(&p) == "alice")
}

#[test]
fn variables_are_substituted_in_string_arn_and_bool_values() {
    assert!(
        expand_substitutes(),
        "variables::expand must substitute `${{aws:username}}`"
    );
    let context = RequestContext::new()
        .with("aws:username", T::String, &["alice"])
        .with("flag:Wanted", T::String, &["true"])
        .with("s3:prefix", T::String, &["home/alice/"])
        .with("k:Bool", T::Boolean, &["true"])
        .with("aws:SourceArn", T::String, &["arn:aws:s3:::alice"]);
    let ok = |c: Condition| run(&c, &context);
    assert_eq!(
        ok(condition(
            "StringLike",
            "s3:prefix",
            &["home/${aws:username}/"]
        )),
        (true, vec![])
    );
    assert!(
        ok(condition(
            "StringEquals",
            "s3:prefix",
            &["home/${aws:username}/"]
        ))
        .0
    );
    assert!(
        ok(condition(
            "ArnEquals",
            "aws:SourceArn",
            &["arn:aws:s3:::${aws:username}"]
        ))
        .0
    );
    assert!(ok(condition("Bool", "k:Bool", &["${flag:Wanted}"])).0);
}

#[test]
fn absent_variable_matches_nothing_and_is_missing() {
    assert!(
        expand_substitutes(),
        "variables::expand must substitute `${{aws:username}}`"
    );
    let context = RequestContext::new().with("s3:prefix", T::String, &["home/"]);
    let (result, missing) = run(
        &condition("StringLike", "s3:prefix", &["home/${aws:username}/"]),
        &context,
    );
    assert!(!result);
    assert_eq!(missing, vec!["aws:username"]);
    let (result, missing) = run(
        &condition("StringNotLike", "s3:prefix", &["home/${aws:username}/"]),
        &context,
    );
    assert!(result);
    assert_eq!(missing, vec!["aws:username"]);
    let (result, _) = run(
        &condition(
            "StringLike",
            "s3:prefix",
            &["home/${aws:username}/", "home/"],
        ),
        &context,
    );
    assert!(result, "the other value still matches");
    // The key absent too: both are reported.
    let (_, missing) = run(
        &condition("StringEquals", "k:Absent", &["${aws:username}"]),
        &context,
    );
    assert!(missing.contains(&"k:Absent".to_string()));
    assert!(missing.contains(&"aws:username".to_string()));
}

#[test]
fn variables_are_literal_in_other_families_and_in_old_policies() {
    let context = RequestContext::new()
        .with("k:Key", T::String, &["${aws:username}"])
        .with("aws:username", T::String, &["alice"]);
    let view = ContextView::request_only(&context);
    let mut missing = Vec::new();
    let c = condition("StringEquals", "k:Key", &["${aws:username}"]);
    assert!(
        evaluate(&c, &view, false, &mut missing),
        "2008-10-17: literal text"
    );
    let c = condition("NumericEquals", "k:Key", &["${aws:username}"]);
    assert!(!evaluate(&c, &view, true, &mut missing));
    assert!(missing.is_empty());
}

// --------------------------------------------------------------------------- check_values

#[test]
fn check_values_per_family() {
    let check = |op: &str, values: &[&str]| {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        check_values(&ConditionOperator::parse(op).expect("operator"), &values)
    };
    assert!(check("StringEquals", &["anything", "${aws:username}", ""]).is_ok());
    assert!(check("ArnLike", &["not an arn"]).is_ok());
    assert!(check("NumericLessThan", &["10", "2.5"]).is_ok());
    assert!(check("ForAnyValue:NumericLessThanIfExists", &["ten"])
        .expect_err("ten")
        .contains("`ten`"));
    assert!(check("NumericEquals", &["${aws:MultiFactorAuthAge}"]).is_err());
    assert!(check("DateGreaterThan", &["2020-01-01T00:00:00Z", "1577836800"]).is_ok());
    assert!(check("DateGreaterThan", &["Jan 1"]).is_err());
    assert!(check("Bool", &["true", "FALSE", "${aws:SecureTransport}"]).is_ok());
    assert!(check("Bool", &["yes"]).expect_err("yes").contains("`yes`"));
    assert!(check("BinaryEquals", &["QmluYXJ5"]).is_ok());
    assert!(check("BinaryEquals", &["%%%"]).is_err());
    assert!(check(
        "IpAddress",
        &["203.0.113.0/24", "2001:DB8::/32", "10.0.0.1"]
    )
    .is_ok());
    assert!(check("NotIpAddress", &["10.0.0.0/33"]).is_err());
    assert!(check("Null", &["true", "False"]).is_ok());
    assert!(check("Null", &["${x}"]).is_err());
    assert!(check("Null", &["absent"]).is_err());
    // The error names the bad value even when earlier values are good.
    assert!(check("IpAddress", &["10.0.0.0/8", "nope"])
        .expect_err("nope")
        .contains("`nope`"));
}

// ----------------------------------------------------------------------------- properties

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Values that some family reads, and some that no family reads.
    const POOL: &[&str] = &[
        "10",
        "10.0",
        "-3",
        "1577836800",
        "2020-01-01T00:00:00Z",
        "2020-01-01",
        "true",
        "False",
        "QQ==",
        "Qg",
        "203.0.113.7",
        "203.0.113.0/24",
        "2001:db8::1",
        "::/0",
        "arn:aws:s3:::b",
        "arn:aws:s3:::*",
        "*",
        "a?",
        "ab",
        "AB",
        "",
        "abc",
    ];

    fn operators() -> impl Strategy<Value = BaseOperator> {
        prop::sample::select(
            BaseOperator::ALL
                .iter()
                .copied()
                .filter(|&b| b != BaseOperator::Null)
                .collect::<Vec<_>>(),
        )
    }

    fn values() -> impl Strategy<Value = Vec<&'static str>> {
        prop::collection::vec(prop::sample::select(POOL), 1..4)
    }

    fn value() -> impl Strategy<Value = &'static str> {
        prop::sample::select(POOL)
    }

    fn negation(base: BaseOperator) -> Option<BaseOperator> {
        use BaseOperator as B;
        Some(match base {
            B::StringEquals => B::StringNotEquals,
            B::StringEqualsIgnoreCase => B::StringNotEqualsIgnoreCase,
            B::StringLike => B::StringNotLike,
            B::NumericEquals => B::NumericNotEquals,
            B::DateEquals => B::DateNotEquals,
            B::IpAddress => B::NotIpAddress,
            B::ArnEquals => B::ArnNotEquals,
            B::ArnLike => B::ArnNotLike,
            _ => return None,
        })
    }

    fn readable(base: BaseOperator, value: &str) -> bool {
        match base.family() {
            OperatorFamily::String | OperatorFamily::Arn => true,
            OperatorFamily::Numeric => Decimal::parse(value).is_some(),
            OperatorFamily::Date => date::parse(value).is_some(),
            OperatorFamily::Bool | OperatorFamily::Null => boolean::parse(value).is_some(),
            OperatorFamily::Binary => binary::decode(value).is_some(),
            OperatorFamily::Ip => ip::parse_address(value).is_some(),
        }
    }

    fn with(set: Option<SetOperator>, base: BaseOperator, if_exists: bool) -> String {
        ConditionOperator {
            set,
            base,
            if_exists,
        }
        .name()
    }

    proptest! {
        #[test]
        fn negated_is_the_complement_on_a_readable_single_value(
            base in operators(), policy in values(), v in value()
        ) {
            if let Some(negated) = negation(base) {
                prop_assume!(readable(base, v));
                let positive = eval(base.name(), &policy, T::String, &[v]);
                let negative = eval(negated.name(), &policy, T::String, &[v]);
                prop_assert_eq!(positive, !negative);
            }
        }

        #[test]
        fn if_exists_agrees_when_the_key_is_present(
            base in operators(),
            set in prop::option::of(prop::sample::select(vec![SetOperator::ForAllValues, SetOperator::ForAnyValue])),
            list in any::<bool>(),
            policy in values(),
            context in prop::collection::vec(value(), 0..4),
        ) {
            let key_type = if list { T::StringList } else { T::String };
            prop_assert_eq!(
                eval(&with(set, base, false), &policy, key_type, &context),
                eval(&with(set, base, true), &policy, key_type, &context)
            );
        }

        #[test]
        fn one_value_sets_equal_the_plain_operator(
            base in operators(), policy in values(), v in value()
        ) {
            let plain = eval(base.name(), &policy, T::String, &[v]);
            for set in [SetOperator::ForAnyValue, SetOperator::ForAllValues] {
                prop_assert_eq!(eval(&with(Some(set), base, false), &policy, T::String, &[v]), plain);
                prop_assert_eq!(eval(&with(Some(set), base, false), &policy, T::StringList, &[v]), plain);
            }
        }

        #[test]
        fn for_any_value_is_the_or_and_for_all_values_the_and_of_single_tests(
            base in operators(), policy in values(),
            context in prop::collection::vec(value(), 0..4),
        ) {
            let singles: Vec<bool> = context
                .iter()
                .map(|v| eval(base.name(), &policy, T::String, &[v]))
                .collect();
            let any = eval(&with(Some(SetOperator::ForAnyValue), base, false), &policy, T::StringList, &context);
            let all = eval(&with(Some(SetOperator::ForAllValues), base, false), &policy, T::StringList, &context);
            prop_assert_eq!(any, singles.iter().any(|&b| b));
            prop_assert_eq!(all, singles.iter().all(|&b| b));
        }

        #[test]
        fn several_values_or_positive_and_nor_negated(
            base in operators(), policy in values(), v in value()
        ) {
            prop_assume!(readable(base, v));
            let each: Vec<bool> = policy.iter().map(|p| eval(base.name(), &[p], T::String, &[v])).collect();
            let together = eval(base.name(), &policy, T::String, &[v]);
            if base.is_negated() {
                prop_assert_eq!(together, each.iter().all(|&b| b));
            } else {
                prop_assert_eq!(together, each.iter().any(|&b| b));
            }
        }

        #[test]
        fn an_absent_key_is_always_reported_missing(
            base in operators(), if_exists in any::<bool>(),
            set in prop::option::of(prop::sample::select(vec![SetOperator::ForAllValues, SetOperator::ForAnyValue])),
            policy in values(),
        ) {
            let (_, missing) = eval_absent(&with(set, base, if_exists), &policy);
            prop_assert_eq!(missing, vec!["k:Key".to_string()]);
        }
    }
}
