//! Condition operator names: `[ForAllValues:|ForAnyValue:]<Operator>[IfExists]`.
//!
//! Names are case-sensitive: AWS rejects `stringEquals` with "MalformedPolicyDocument: Invalid
//! Condition type : stringEquals" (observed on CreateRole, ministryofjustice/
//! modernisation-platform-environments PR #8893), unlike condition key names, which are not.
//! `IfExists` may be added "to the end of any condition operator name except the `Null`
//! condition" ([IAM User Guide: Condition operators, IfExists][ifexists]).
//!
//! [`check_values`] checks at parse time that an operator can read each of its policy values
//! (the readers are in [`crate::values`]).
//!
//! [ifexists]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists

use crate::values::{binary, boolean, date, ip, numeric};

/// The set prefix of a condition operator, for multi-valued context keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SetOperator {
    /// `ForAllValues:` — every value of the key must satisfy the test (true when the key is absent or empty).
    ForAllValues,
    /// `ForAnyValue:` — at least one value of the key must satisfy the test (false when the key is absent).
    ForAnyValue,
}

/// The family of a base operator: which kind of value it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    /// String operators.
    String,
    /// Numeric operators.
    Numeric,
    /// Date operators.
    Date,
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress` / `NotIpAddress`.
    Ip,
    /// ARN operators.
    Arn,
    /// `Null`.
    Null,
}

macro_rules! base_operators {
    ($($variant:ident => $name:literal, $family:ident, $negated:literal;)*) => {
        /// A condition operator without its set prefix and `IfExists` suffix.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum BaseOperator {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl BaseOperator {
            /// Every base operator, in the order of the IAM User Guide's condition operator page.
            pub const ALL: &'static [BaseOperator] = &[$(BaseOperator::$variant,)*];

            /// The operator's name as written in a policy.
            pub fn name(self) -> &'static str {
                match self { $(BaseOperator::$variant => $name,)* }
            }

            /// Which kind of value the operator reads.
            pub fn family(self) -> OperatorFamily {
                match self { $(BaseOperator::$variant => OperatorFamily::$family,)* }
            }

            /// True for the negated operators (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`...),
            /// which are true when the key is absent and combine several values with NOR.
            pub fn is_negated(self) -> bool {
                match self { $(BaseOperator::$variant => $negated,)* }
            }

            /// Looks up an operator by its exact name.
            pub fn from_name(name: &str) -> Option<BaseOperator> {
                match name { $($name => Some(BaseOperator::$variant),)* _ => None }
            }
        }
    };
}

base_operators! {
    StringEquals => "StringEquals", String, false;
    StringNotEquals => "StringNotEquals", String, true;
    StringEqualsIgnoreCase => "StringEqualsIgnoreCase", String, false;
    StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase", String, true;
    StringLike => "StringLike", String, false;
    StringNotLike => "StringNotLike", String, true;
    NumericEquals => "NumericEquals", Numeric, false;
    NumericNotEquals => "NumericNotEquals", Numeric, true;
    NumericLessThan => "NumericLessThan", Numeric, false;
    NumericLessThanEquals => "NumericLessThanEquals", Numeric, false;
    NumericGreaterThan => "NumericGreaterThan", Numeric, false;
    NumericGreaterThanEquals => "NumericGreaterThanEquals", Numeric, false;
    DateEquals => "DateEquals", Date, false;
    DateNotEquals => "DateNotEquals", Date, true;
    DateLessThan => "DateLessThan", Date, false;
    DateLessThanEquals => "DateLessThanEquals", Date, false;
    DateGreaterThan => "DateGreaterThan", Date, false;
    DateGreaterThanEquals => "DateGreaterThanEquals", Date, false;
    Bool => "Bool", Bool, false;
    BinaryEquals => "BinaryEquals", Binary, false;
    IpAddress => "IpAddress", Ip, false;
    NotIpAddress => "NotIpAddress", Ip, true;
    ArnEquals => "ArnEquals", Arn, false;
    ArnLike => "ArnLike", Arn, false;
    ArnNotEquals => "ArnNotEquals", Arn, true;
    ArnNotLike => "ArnNotLike", Arn, true;
    Null => "Null", Null, false;
}

/// A full condition operator: optional set prefix, base operator, optional `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ConditionOperator {
    /// `ForAllValues:` or `ForAnyValue:`, if present.
    pub set: Option<SetOperator>,
    /// The base operator.
    pub base: BaseOperator,
    /// True when the name ends in `IfExists`.
    pub if_exists: bool,
}

/// Why an operator name was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OperatorError {
    /// The name is not a known operator.
    #[error("unknown condition operator `{0}`")]
    Unknown(String),
    /// `NullIfExists`: AWS does not accept `IfExists` on `Null`.
    #[error("`IfExists` cannot be used with the `Null` operator (`{0}`)")]
    IfExistsOnNull(String),
}

impl ConditionOperator {
    /// Parses an operator name as written in a policy's `Condition` block (case-sensitive).
    pub fn parse(text: &str) -> Result<ConditionOperator, OperatorError> {
        let (set, rest) = if let Some(rest) = text.strip_prefix("ForAllValues:") {
            (Some(SetOperator::ForAllValues), rest)
        } else if let Some(rest) = text.strip_prefix("ForAnyValue:") {
            (Some(SetOperator::ForAnyValue), rest)
        } else {
            (None, text)
        };
        if let Some(base) = BaseOperator::from_name(rest) {
            return Ok(ConditionOperator {
                set,
                base,
                if_exists: false,
            });
        }
        if let Some(stem) = rest.strip_suffix("IfExists") {
            if let Some(base) = BaseOperator::from_name(stem) {
                if base == BaseOperator::Null {
                    return Err(OperatorError::IfExistsOnNull(text.to_string()));
                }
                return Ok(ConditionOperator {
                    set,
                    base,
                    if_exists: true,
                });
            }
        }
        Err(OperatorError::Unknown(text.to_string()))
    }

    /// Every spelling AWS accepts: each base operator with and without `IfExists` (not `Null`),
    /// with and without a set prefix. For "did you mean" messages; not used while deciding.
    pub fn all_names() -> Vec<String> {
        let mut names = Vec::new();
        for prefix in ["", "ForAllValues:", "ForAnyValue:"] {
            for base in BaseOperator::ALL {
                names.push(format!("{prefix}{}", base.name()));
                if *base != BaseOperator::Null {
                    names.push(format!("{prefix}{}IfExists", base.name()));
                }
            }
        }
        names
    }

    /// The canonical spelling of this operator.
    pub fn name(&self) -> String {
        let prefix = match self.set {
            Some(SetOperator::ForAllValues) => "ForAllValues:",
            Some(SetOperator::ForAnyValue) => "ForAnyValue:",
            None => "",
        };
        let suffix = if self.if_exists { "IfExists" } else { "" };
        format!("{prefix}{}{suffix}", self.base.name())
    }
}

/// Checks that every value of a condition can be read by its operator (a number for Numeric*,
/// a date for Date*, a CIDR or address for IpAddress, base64 for BinaryEquals, `true`/`false`
/// for Bool and Null). The error says which value and why; policy parsing turns it into an
/// `invalid-condition-value` error at the value's position.
///
/// String and ARN values are always readable. A `Bool` value holding a policy variable (`${`)
/// is not checked, since what it reads is known only at evaluation; the other checked families
/// take no variables, so `${` there is text like any other (and not a number, date...).
pub fn check_values(operator: &ConditionOperator, values: &[String]) -> Result<(), String> {
    let base = operator.base;
    for value in values {
        match base.family() {
            OperatorFamily::String | OperatorFamily::Arn => {}
            OperatorFamily::Numeric => numeric::check_value(value)?,
            OperatorFamily::Date => date::check_value(value)?,
            OperatorFamily::Bool => {
                if !value.contains("${") {
                    boolean::check_value(base.name(), value)?;
                }
            }
            OperatorFamily::Binary => binary::check_value(value)?,
            OperatorFamily::Ip => ip::check_value(value)?,
            OperatorFamily::Null => boolean::check_value(base.name(), value)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_base_operator_with_prefixes_and_suffix() {
        for &base in BaseOperator::ALL {
            for set in [
                None,
                Some(SetOperator::ForAllValues),
                Some(SetOperator::ForAnyValue),
            ] {
                for if_exists in [false, true] {
                    if base == BaseOperator::Null && if_exists {
                        continue;
                    }
                    let op = ConditionOperator {
                        set,
                        base,
                        if_exists,
                    };
                    assert_eq!(ConditionOperator::parse(&op.name()), Ok(op));
                }
            }
        }
    }

    #[test]
    fn rejects_null_if_exists_and_unknown_names() {
        assert!(matches!(
            ConditionOperator::parse("NullIfExists"),
            Err(OperatorError::IfExistsOnNull(_))
        ));
        assert!(matches!(
            ConditionOperator::parse("StringEqual"),
            Err(OperatorError::Unknown(_))
        ));
        assert!(matches!(
            ConditionOperator::parse("ForSomeValues:StringEquals"),
            Err(OperatorError::Unknown(_))
        ));
        for wrong_case in [
            "stringEquals",
            "STRINGEQUALS",
            "StringEqualsifexists",
            "forAnyValue:StringEquals",
            "ForAllValues:stringlike",
            "null",
        ] {
            assert!(
                matches!(
                    ConditionOperator::parse(wrong_case),
                    Err(OperatorError::Unknown(_))
                ),
                "{wrong_case}"
            );
        }
    }
}
