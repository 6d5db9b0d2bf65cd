//! Reading a context value as its declared type: is `0x100` a `numeric`, `no` a `boolean`,
//! `999.1.1.1` an `ip`? A request whose value does not read as the type it declares is bad
//! input, rejected before anything is decided.
//!
//! AWS's simulator takes each context key as `ContextKeyName`, `ContextKeyType` ("the data type
//! of the value (or values) specified in the `ContextKeyValues` parameter") and values given as
//! strings, and answers a value it cannot use with its one input error, `InvalidInput`: "The
//! request was rejected because an invalid or out-of-range value was supplied for an input
//! parameter" (IAM API reference, `ContextEntry`, `SimulateCustomPolicy` and
//! `SimulatePrincipalPolicy` errors; botocore `botocore/data/iam/2010-05-08/service-2.json`).
//! The API reference gives no grammar per type; the grammars here are the reference evaluator's
//! readings of condition values (IAM User Guide, "Condition operators"), so that a value the
//! loader accepts is one every operator of its family can read (`tests/context_values.rs` in
//! the root package keeps the two in step):
//!
//! | type | reads |
//! | --- | --- |
//! | `string`, `stringList` | anything |
//! | `numeric`, `numericList` | `[+-]? (digits [. digits?] \| . digits) ([eE] [+-]? digits)?` (Java's `BigDecimal`), exponent at most 10^9 in magnitude; no whitespace, no `0x`, no `,` |
//! | `boolean`, `booleanList` | `true` or `false`, any ASCII case |
//! | `ip`, `ipList` | one IPv4 or IPv6 address, no mask, no whitespace, no zone |
//! | `binary`, `binaryList` | standard base64, padding optional |
//! | `date`, `dateList` | epoch seconds (`-`? digits, 64-bit) or W3C ISO 8601: `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s…]]` with `Z` or `±hh:mm` optionally; a real calendar day |
//!
//! This module only reads; it does not compare values (that is the evaluator's condition
//! operators) and does not know which keys exist.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// Why a context value does not read as its declared type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not {expected}")]
pub struct ValueError {
    /// The value as given.
    pub value: String,
    /// What a value of the type looks like (e.g. "a number such as 10 or 2.5").
    pub expected: &'static str,
}

/// Checks that `value` reads as a value of the context key type named `key_type` (`numeric`,
/// `ipList`...). An unknown type name is not this function's business (the loader reports it
/// apart): any value passes.
pub fn check_value(key_type: &str, value: &str) -> Result<(), ValueError> {
    let base = key_type.strip_suffix("List").unwrap_or(key_type);
    let (ok, expected) = match base {
        "numeric" => (
            is_number(value),
            "a number (an integer or decimal such as 10, -3 or 2.5; no spaces, `0x` or `,`)",
        ),
        "boolean" => (is_boolean(value), "a boolean (`true` or `false`)"),
        "ip" => (
            is_ip_address(value),
            "an IP address (such as 203.0.113.7 or 2001:db8::1; no mask, no spaces)",
        ),
        "binary" => (is_base64(value), "base64 text (such as `QUJD`)"),
        "date" => (
            is_date(value),
            "a date (ISO 8601 such as 2024-01-01T00:00:00Z, or epoch seconds)",
        ),
        _ => (true, ""),
    };
    if ok {
        Ok(())
    } else {
        Err(ValueError {
            value: value.to_string(),
            expected,
        })
    }
}

/// The largest exponent magnitude read in a number.
const MAX_EXPONENT: u64 = 1_000_000_000;

/// True for Java `BigDecimal(String)` text with an exponent of at most 10^9 in magnitude.
pub fn is_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let rest = match bytes.first() {
        Some(b'-' | b'+') => &bytes[1..],
        _ => bytes,
    };
    let integer = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let rest = &rest[integer..];
    let (fraction, rest) = match rest.split_first() {
        Some((b'.', after)) => {
            let n = after.iter().take_while(|b| b.is_ascii_digit()).count();
            (n, &after[n..])
        }
        _ => (0, rest),
    };
    if integer == 0 && fraction == 0 {
        return false;
    }
    match rest.split_first() {
        None => true,
        Some((b'e' | b'E', after)) => {
            let digits = match after.first() {
                Some(b'-' | b'+') => &after[1..],
                _ => after,
            };
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return false;
            }
            let mut value: u64 = 0;
            for &d in digits {
                value = value * 10 + u64::from(d - b'0');
                if value > MAX_EXPONENT {
                    return false;
                }
            }
            true
        }
        Some(_) => false,
    }
}

/// True for `true` or `false` in any ASCII case.
pub fn is_boolean(text: &str) -> bool {
    text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false")
}

/// True for one IPv4 or IPv6 address as Rust's standard library reads it (no mask, no zone,
/// no whitespace, no leading zeros in IPv4 octets).
pub fn is_ip_address(text: &str) -> bool {
    text.parse::<std::net::IpAddr>().is_ok()
}

/// Standard alphabet, padding accepted but not required (as `BinaryEquals` reads it).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// True for standard base64 text, padding optional.
pub fn is_base64(text: &str) -> bool {
    BASE64.decode(text).is_ok()
}

/// True for epoch seconds (a 64-bit integer) or a W3C ISO 8601 date or date-time on a real
/// calendar day: whatever [`crate::date::instant`] reads.
pub fn is_date(text: &str) -> bool {
    crate::date::instant(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_s_malformed_values_are_rejected() {
        for (key_type, value) in [
            ("numeric", "0x100"),
            ("numeric", "1,000"),
            ("numeric", " 1000"),
            ("numeric", ""),
            ("numericList", "NaN"),
            ("boolean", "no"),
            ("boolean", "0"),
            ("booleanList", " true"),
            ("date", "01/01/2024"),
            ("date", "2024-01-01 00:00:00"),
            ("date", "2023-02-29"),
            ("dateList", "99999999999999999999"),
            ("ip", "999.1.1.1"),
            ("ip", "192.168.1.1 "),
            ("ip", "10.0.0.0/8"),
            ("ipList", "fe80::1%eth0"),
            ("binary", "not base64!"),
        ] {
            let error = check_value(key_type, value).expect_err(value);
            assert_eq!(error.value, value);
            assert!(error.to_string().starts_with(&format!("`{value}` is not ")));
        }
    }

    #[test]
    fn well_formed_values_read() {
        for (key_type, value) in [
            ("numeric", "1000"),
            ("numeric", "-2.5e3"),
            ("numeric", ".5"),
            ("numeric", "5."),
            ("numeric", "-0"),
            ("numeric", "1e309"),
            ("boolean", "TRUE"),
            ("date", "2024-01-01T00:00:00Z"),
            ("date", "2024-01-01T00:00:00.123+02:00"),
            ("date", "2024-02"),
            ("date", "1700000000"),
            ("ip", "203.0.113.7"),
            ("ipList", "2001:db8::1"),
            ("binary", "QUJD"),
            ("binary", "QQ"),
            ("string", " anything at all "),
            ("unknownType", "x"),
        ] {
            assert_eq!(check_value(key_type, value), Ok(()), "{key_type} {value}");
        }
    }
}
