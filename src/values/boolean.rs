//! The `Bool` operator: reading `true` and `false`.
//!
//! AWS: "Boolean conditions let you construct Condition elements that restrict access based on
//! comparing a key to \"true\" or \"false\"", and policy variables may be used with `Bool`
//! ([IAM User Guide: Condition operators, Boolean][bool]). The page does not say whether case
//! matters; observers report that it does not: "AWS will honor secureTransport with different
//! capitalization besides \"false\"" (bridgecrewio/prowler PR #27), and S3 read `true`, `TRUE`,
//! `True` and `tRUe` alike (basho/riak_cs issue #380, 2013). So `true` and `false` are read
//! without regard to ASCII case, for the policy value and the context value alike; JSON booleans
//! in a policy are kept as their text (`true`). Decision: anything else (`yes`, `1`, `" true"`)
//! is not a boolean.
//!
//! The same reading serves the `Null` operator's values (`true`: the key is absent).
//!
//! [bool]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean

/// Reads `text` as a boolean, or `None` when it is neither `true` nor `false`.
pub(crate) fn parse(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Checks a policy value of `Bool` or `Null` (`operator` names it in the message).
pub(crate) fn check_value(operator: &str, value: &str) -> Result<(), String> {
    match parse(value) {
        Some(_) => Ok(()),
        None => Err(format!(
            "`{value}` is not a boolean (`{operator}` takes true or false)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_true_and_false_in_any_case_only() {
        assert_eq!(parse("true"), Some(true));
        assert_eq!(parse("TRUE"), Some(true));
        assert_eq!(parse("False"), Some(false));
        for bad in ["", "yes", "1", "0", " true", "true ", "t", "truee"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn check_value_names_the_value_and_operator() {
        assert!(check_value("Bool", "false").is_ok());
        let err = check_value("Null", "absent").expect_err("not a boolean");
        assert!(err.contains("`absent`") && err.contains("Null"), "{err}");
    }
}
