//! The loader's reading of context values (`iamspec_format::values`) and the evaluator's
//! (`ContextKeyType::reads`, the condition operators' readers) agree: a value the loader
//! accepts is one the operators read, and the reverse.

use iamspec::context::ContextKeyType;
use proptest::prelude::*;

fn agree(t: ContextKeyType, value: &str) -> Result<(), TestCaseError> {
    let loader = iamspec_format::values::check_value(t.name(), value).is_ok();
    prop_assert_eq!(
        loader,
        iamspec::context::reads(t, value),
        "{} {:?}",
        t,
        value
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn numbers(value in "[-+0-9.eEx, ]{0,12}") {
        agree(ContextKeyType::Numeric, &value)?;
        agree(ContextKeyType::NumericList, &value)?;
    }

    #[test]
    fn dates(value in "[-+0-9:TZ. /]{0,30}|[0-9]{4}-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{0,12})?)?(Z|[-+][0-9]{2}:[0-9]{2})?)?)?") {
        agree(ContextKeyType::Date, &value)?;
    }

    #[test]
    fn ip_addresses(value in "[0-9a-fA-F.:/% ]{0,20}|[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}") {
        agree(ContextKeyType::Ip, &value)?;
        agree(ContextKeyType::IpList, &value)?;
    }

    #[test]
    fn base64(value in "[A-Za-z0-9+/=_ -]{0,12}") {
        agree(ContextKeyType::Binary, &value)?;
    }

    #[test]
    fn booleans(value in "[tTrRuUeEfFaAlLsS01 ]{0,6}") {
        agree(ContextKeyType::Boolean, &value)?;
    }

    #[test]
    fn strings_always_read(value in ".{0,20}") {
        agree(ContextKeyType::String, &value)?;
        agree(ContextKeyType::StringList, &value)?;
    }
}

#[test]
fn edge_values_agree() {
    for (t, value) in [
        (ContextKeyType::Numeric, "1e1000000001"),
        (ContextKeyType::Numeric, "1e1000000000"),
        (ContextKeyType::Numeric, "1e309"),
        (ContextKeyType::Numeric, "-0"),
        (ContextKeyType::Date, "9999-12-31T23:59:59-23:59"),
        (ContextKeyType::Date, "-9999-01-01"),
        (ContextKeyType::Date, "0000-01-01T00:00:00+23:59"),
        (ContextKeyType::Date, "9223372036854775808"),
        (ContextKeyType::Date, "-9223372036854775808"),
        (ContextKeyType::Ip, "::ffff:10.0.0.1"),
        (ContextKeyType::Ip, "010.0.0.1"),
    ] {
        let loader = iamspec_format::values::check_value(t.name(), value).is_ok();
        assert_eq!(loader, iamspec::context::reads(t, value), "{t} {value:?}");
    }
}
