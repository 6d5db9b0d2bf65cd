//! Condition values: how a number, a date, a boolean, base64 bytes and an IP address or range
//! are written in a policy or a request context, read, and compared.
//!
//! One file per kind of value. [`crate::policy`] uses them to reject a policy value its operator
//! cannot read (`check_values`); [`crate::condition`] uses them to decide. This module depends on
//! nothing else of the crate. [`reads_as`] says whether a request's value reads as its declared
//! type.

pub(crate) mod binary;
pub(crate) mod boolean;
pub(crate) mod date;
pub(crate) mod ip;
pub(crate) mod numeric;

use iamspec_format::ContextKeyType;

/// True when `value` reads as a value of `key_type`, with the reading the condition operators
/// of that family use (a `string` value always reads).
pub(crate) fn reads_as(key_type: ContextKeyType, value: &str) -> bool {
    use ContextKeyType as T;
    match key_type {
        T::String | T::StringList => true,
        T::Numeric | T::NumericList => numeric::Decimal::parse(value).is_some(),
        T::Boolean | T::BooleanList => boolean::parse(value).is_some(),
        T::Ip | T::IpList => ip::parse_address(value).is_some(),
        T::Binary | T::BinaryList => binary::decode(value).is_some(),
        T::Date | T::DateList => date::parse(value).is_some(),
    }
}
