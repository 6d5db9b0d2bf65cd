//! Numeric condition operators: reading numbers and comparing them exactly.
//!
//! AWS says only that the numeric operators compare "a key to an integer or decimal value"
//! ([IAM User Guide: Condition operators, Numeric][numeric]). It does not give a grammar, so
//! this module reads numbers with the grammar of Java's `BigDecimal(String)` (AWS's policy engine
//! is a JVM service; the grammar is a decision, not a documented fact):
//!
//! ```text
//! [+-]? ( digits [ "." digits? ] | "." digits ) ( [eE] [+-]? digits )?
//! ```
//!
//! so `10`, `-3`, `+5`, `2.50`, `.5`, `5.` and `1e3` are numbers; `" 5"` (whitespace), `0x10`,
//! `NaN`, `Infinity`, `1,000` and the empty string are not. JSON numbers in a policy are kept as
//! their text, so `"NumericEquals": {"k": 1e3}` reads `1e3`. Comparison is exact (decimal, not
//! floating point): `10`, `10.0` and `1e1` are equal, and integers beyond 2^53 stay distinct.
//!
//! Not here: which operator compares which way (see [`super`]), absent keys, set operators.
//!
//! [numeric]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric

use std::cmp::Ordering;

/// The largest exponent magnitude read; beyond it a value is not a number (keeps arithmetic
/// in range; no real condition value comes near it).
const MAX_EXPONENT: i64 = 1_000_000_000;

/// A decimal number as written: sign, integer digits, fraction digits, exponent. Borrowed from
/// the text, so reading allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decimal<'a> {
    negative: bool,
    integer: &'a [u8],
    fraction: &'a [u8],
    exponent: i64,
}

impl<'a> Decimal<'a> {
    /// Reads `text` as a number, or `None` when it is not one (see the module comment).
    pub(crate) fn parse(text: &'a str) -> Option<Decimal<'a>> {
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.first() {
            Some(b'-') => (true, bytes.get(1..)?),
            Some(b'+') => (false, bytes.get(1..)?),
            _ => (false, bytes),
        };
        let integer_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (integer, rest) = rest.split_at(integer_len);
        let (fraction, rest) = match rest.split_first() {
            Some((b'.', after)) => {
                let len = after.iter().take_while(|b| b.is_ascii_digit()).count();
                after.split_at(len)
            }
            _ => (&[] as &[u8], rest),
        };
        if integer.is_empty() && fraction.is_empty() {
            return None;
        }
        let exponent = match rest.split_first() {
            None => 0,
            Some((b'e' | b'E', after)) => parse_exponent(after)?,
            Some(_) => return None,
        };
        Some(Decimal {
            negative,
            integer,
            fraction,
            exponent,
        })
    }

    /// The digits as one sequence (integer digits then fraction digits).
    fn digits(&self) -> impl Iterator<Item = u8> + 'a {
        self.integer.iter().chain(self.fraction.iter()).copied()
    }

    /// The significant digits (from the first non-zero one) and the power of ten of the first
    /// of them, or `None` for zero.
    fn significant(&self) -> Option<(impl Iterator<Item = u8> + 'a, i64)> {
        let leading_zeros = self.digits().take_while(|&d| d == b'0').count();
        let total = self.integer.len() + self.fraction.len();
        if leading_zeros == total {
            return None;
        }
        // The digit at index i of the sequence stands for 10^(integer.len() - 1 - i + exponent).
        let power = self.integer.len() as i64 - 1 - leading_zeros as i64 + self.exponent;
        Some((self.digits().skip(leading_zeros), power))
    }

    /// Compares two numbers by value.
    pub(crate) fn compare(&self, other: &Decimal<'_>) -> Ordering {
        match (self.significant(), other.significant()) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => {
                if other.negative {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Some(_), None) => {
                if self.negative {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (Some((a, pa)), Some((b, pb))) => {
                if self.negative != other.negative {
                    return if self.negative {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    };
                }
                let magnitude = pa.cmp(&pb).then_with(|| compare_digits(a, b));
                if self.negative {
                    magnitude.reverse()
                } else {
                    magnitude
                }
            }
        }
    }
}

/// Reads the digits of an exponent (after `e`/`E`), with an optional sign.
fn parse_exponent(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut value: i64 = 0;
    for &d in digits {
        value = value * 10 + i64::from(d - b'0');
        if value > MAX_EXPONENT {
            return None;
        }
    }
    Some(if negative { -value } else { value })
}

/// Compares two digit sequences of the same power, padding the shorter with zeros.
fn compare_digits(mut a: impl Iterator<Item = u8>, mut b: impl Iterator<Item = u8>) -> Ordering {
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => {
                let ordering = x.unwrap_or(b'0').cmp(&y.unwrap_or(b'0'));
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
        }
    }
}

/// Checks a policy value of a numeric operator.
pub(crate) fn check_value(value: &str) -> Result<(), String> {
    match Decimal::parse(value) {
        Some(_) => Ok(()),
        None => Err(format!(
            "`{value}` is not a number (numeric operators take an integer or decimal value such as 10 or 2.5)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        Decimal::parse(a)
            .expect("a")
            .compare(&Decimal::parse(b).expect("b"))
    }

    #[test]
    fn reads_integers_decimals_signs_and_exponents() {
        for ok in [
            "0", "10", "-3", "+5", "2.50", ".5", "5.", "1e3", "1E+3", "-2.5e-2", "007",
        ] {
            assert!(Decimal::parse(ok).is_some(), "{ok} should be a number");
        }
        for bad in [
            "",
            " 5",
            "5 ",
            "abc",
            "0x10",
            "NaN",
            "Infinity",
            "1,000",
            "1e",
            "e3",
            ".",
            "-",
            "+",
            "1.2.3",
            "--1",
            "1e1000000000000",
            "５",
        ] {
            assert!(
                Decimal::parse(bad).is_none(),
                "{bad:?} should not be a number"
            );
        }
    }

    #[test]
    fn compares_exactly() {
        assert_eq!(cmp("10", "10.0"), Ordering::Equal);
        assert_eq!(cmp("10", "1e1"), Ordering::Equal);
        assert_eq!(cmp("0.0", "-0"), Ordering::Equal);
        assert_eq!(cmp("+5", "5"), Ordering::Equal);
        assert_eq!(cmp("9", "10"), Ordering::Less);
        assert_eq!(cmp("-9", "-10"), Ordering::Greater);
        assert_eq!(cmp("-1", "0"), Ordering::Less);
        assert_eq!(cmp("0", "-0.0001"), Ordering::Greater);
        assert_eq!(cmp("0.1", "0.09"), Ordering::Greater);
        assert_eq!(
            cmp("9007199254740993", "9007199254740992"),
            Ordering::Greater
        );
        assert_eq!(cmp("1.5e2", "150"), Ordering::Equal);
        assert_eq!(cmp("12.3", "12.30001"), Ordering::Less);
    }

    #[test]
    fn check_value_names_the_value() {
        assert!(check_value("10").is_ok());
        let err = check_value("ten").expect_err("not a number");
        assert!(err.contains("`ten`"), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_integer_order(a in -1_000_000i64..1_000_000, b in -1_000_000i64..1_000_000) {
            let (ta, tb) = (a.to_string(), b.to_string());
            proptest::prop_assert_eq!(cmp(&ta, &tb), a.cmp(&b));
            let scaled = format!("{}e-3", a);
            let as_decimal = format!("{}{}.{:03}", if a < 0 { "-" } else { "" }, a.abs() / 1000, a.abs() % 1000);
            proptest::prop_assert_eq!(cmp(&scaled, &as_decimal), Ordering::Equal);
        }
    }
}
