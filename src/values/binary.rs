//! The `BinaryEquals` operator: comparing bytes given as base64.
//!
//! AWS: `BinaryEquals` "compares the value of the specified key byte for byte against a base-64
//! encoded representation of the binary value in the policy", and policy variables cannot be
//! used with it ([IAM User Guide: Condition operators, Binary][binary]). So the comparison is of
//! bytes, not of base64 text: `QQ==` and `QQ` (the same byte without padding) are equal.
//!
//! Reading: the policy value is standard base64 (RFC 4648 alphabet `+` `/`), padding optional.
//! Decision: the context value is read the same way whatever its declared type, since the
//! case format carries binary context values as base64 text; a context value that is not base64
//! cannot be read (the condition rule for unreadable values applies, see [`super`]).
//!
//! [binary]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// Standard alphabet, padding accepted but not required.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes `text` as base64, or `None` when it is not base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
}

/// Checks a policy value of `BinaryEquals`.
pub(crate) fn check_value(value: &str) -> Result<(), String> {
    match BASE64.decode(value) {
        Ok(_) => Ok(()),
        Err(e) => Err(format!(
            "`{value}` is not base64 ({e}); BinaryEquals takes the base64 encoding of the bytes"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_with_or_without_padding() {
        assert_eq!(decode("QmluYXJ5"), Some(b"Binary".to_vec()));
        assert_eq!(decode("QQ=="), Some(b"A".to_vec()));
        assert_eq!(decode("QQ"), Some(b"A".to_vec()));
        assert_eq!(decode(""), Some(Vec::new()));
        assert_eq!(decode("not base64!"), None);
        assert_eq!(
            decode("QQ="),
            Some(b"A".to_vec()),
            "partial padding is padding"
        );
        assert_eq!(decode("Q"), None, "a lone sextet is not a byte");
        assert_eq!(decode("-_8"), None, "URL-safe alphabet is not read");
    }

    #[test]
    fn check_value_names_the_value() {
        assert!(check_value("QmluYXJ5VmFsdWVJbkJhc2U2NA==").is_ok());
        let err = check_value("***").expect_err("not base64");
        assert!(err.contains("`***`"), "{err}");
    }
}
