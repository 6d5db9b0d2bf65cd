//! Date condition operators: reading dates and times as instants.
//!
//! AWS: "You must specify date/time values with one of the W3C implementations of the ISO 8601
//! date formats or in epoch (UNIX) time" ([IAM User Guide: Condition operators, Date][date];
//! [W3C NOTE-datetime][w3c]). Both the policy value and the context value are read the same way,
//! and either may be in either form. What is read:
//!
//! - epoch seconds: an optional `-` and digits (`1700000000`). A bare year such as `2024` is
//!   therefore read as epoch seconds, not as the W3C `YYYY` form (decision: the two readings
//!   collide and AWS's keys `aws:EpochTime`/`aws:CurrentTime` make epoch the common case);
//! - `YYYY-MM` (the first of the month) and `YYYY-MM-DD` (midnight);
//! - `YYYY-MM-DDThh:mm`, `YYYY-MM-DDThh:mm:ss` and `YYYY-MM-DDThh:mm:ss.s…` (any number of
//!   fraction digits; nanoseconds are kept, further digits are ignored), each followed by a time
//!   zone designator `Z`, `+hh:mm` or `-hh:mm`.
//!
//! Decisions where the W3C profile and AWS are silent: a date-time without a time zone
//! designator, and every date-only form, is UTC; `T` and `Z` are upper case only; hour `24`
//! and leap second `60` are not read; days are checked against the month (`2023-02-29` is not
//! a date). Instants are compared exactly (to the nanosecond), after converting offsets.
//!
//! Not here: which operator compares which way (see [`super`]), absent keys, set operators.
//!
//! [date]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
//! [w3c]: https://www.w3.org/TR/NOTE-datetime

/// Reads `text` as an instant, in nanoseconds since the Unix epoch, or `None` when it is not a
/// date: the grammar is `iamspec_format::date`'s, the loader's own.
pub(crate) fn parse(text: &str) -> Option<i128> {
    iamspec_format::date::instant(text)
}

/// Checks a policy value of a date operator.
pub(crate) fn check_value(value: &str) -> Result<(), String> {
    match parse(value) {
        Some(_) => Ok(()),
        None => Err(format!(
            "`{value}` is not a date (date operators take a W3C ISO 8601 date such as 2020-01-01T00:00:00Z, or epoch seconds)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: i128 = 1_000_000_000;

    #[test]
    fn reads_every_w3c_profile_and_epoch_seconds() {
        let midnight = 1_577_836_800 * SECOND; // 2020-01-01T00:00:00Z
        assert_eq!(parse("2020-01-01T00:00:00Z"), Some(midnight));
        assert_eq!(parse("2020-01-01"), Some(midnight));
        assert_eq!(parse("2020-01"), Some(midnight));
        assert_eq!(parse("2020-01-01T00:00Z"), Some(midnight));
        assert_eq!(parse("2020-01-01T00:00:00"), Some(midnight));
        assert_eq!(parse("2020-01-01T00:00:00.000Z"), Some(midnight));
        assert_eq!(parse("2020-01-01T01:00:00+01:00"), Some(midnight));
        assert_eq!(parse("2019-12-31T19:00:00-05:00"), Some(midnight));
        assert_eq!(parse("1577836800"), Some(midnight));
        assert_eq!(parse("-1"), Some(-SECOND));
        assert_eq!(parse("2020"), Some(2020 * SECOND));
        assert_eq!(parse("2020-01-01T00:00:00.5Z"), Some(midnight + SECOND / 2));
        assert_eq!(
            parse("2020-01-01T00:00:00.1234567891Z"),
            Some(midnight + 123_456_789)
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "yesterday",
            "2020-13-01",
            "2023-02-29",
            "2020-01-01T24:00:00Z",
            "2020-01-01T23:59:60Z",
            "2020-01-01T00:00:00.Z",
            "2020-01-01 00:00:00Z",
            "2020-01-01t00:00:00z",
            "2020-01-01T00Z",
            "2020-01-01T00:00:00+0100",
            "2020-01-01T00:00:00+01",
            "2020-01-01Z",
            "20200101",
            "2020-1-1",
            "1.5",
            "99999999999999999999",
        ] {
            let parsed = parse(bad);
            // 20200101 is an all-digit string: epoch seconds, not a compact ISO date.
            if bad == "20200101" {
                assert_eq!(parsed, Some(20_200_101 * SECOND));
            } else {
                assert_eq!(parsed, None, "{bad:?} should not be a date");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn iso_and_epoch_forms_of_an_instant_agree(
            seconds in -2_000_000_000i64..4_000_000_000, offset_minutes in -14 * 60i32..=14 * 60
        ) {
            let timestamp = jiff::Timestamp::from_second(seconds).expect("in range");
            let offset = jiff::tz::Offset::from_seconds(offset_minutes * 60).expect("offset");
            let local = offset.to_datetime(timestamp);
            let sign = if offset_minutes < 0 { '-' } else { '+' };
            let iso = format!(
                "{}{sign}{:02}:{:02}",
                local.strftime("%Y-%m-%dT%H:%M:%S"),
                offset_minutes.abs() / 60,
                offset_minutes.abs() % 60
            );
            let expected = Some(i128::from(seconds) * SECOND);
            proptest::prop_assert_eq!(parse(&iso), expected, "{}", iso);
            proptest::prop_assert_eq!(parse(&seconds.to_string()), expected);
        }
    }

    #[test]
    fn check_value_names_the_value() {
        assert!(check_value("2020-01-01T00:00:00Z").is_ok());
        let err = check_value("tomorrow").expect_err("not a date");
        assert!(err.contains("`tomorrow`"), "{err}");
    }
}
