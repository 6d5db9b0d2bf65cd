//! `IpAddress` and `NotIpAddress`: IPv4 and IPv6 addresses and CIDR ranges.
//!
//! AWS: "The value must be in the standard CIDR format (for example, 203.0.113.0/24 or
//! 2001:DB8:1234:5678::/64). If you specify an IP address without the associated routing
//! prefix, IAM uses the default prefix value of /32"; IPv6 uses `::` for a run of zeros; policy
//! variables cannot be used ([IAM User Guide: Condition operators, IP address][ip]).
//!
//! Reading:
//! - a policy value is a CIDR (`203.0.113.0/24`) or a single address (IPv4 → `/32`, IPv6 →
//!   `/128`, the IPv6 equivalent of AWS's default). Addresses are compared as numbers, so every
//!   spelling of an IPv6 address (`2001:DB8::1`, `2001:db8:0:0::1`) is the same; host bits set in a
//!   CIDR (`203.0.113.7/24`) are ignored (decision: the range is the network's);
//! - a context value is a single address;
//! - an IPv4 address never falls in an IPv6 range nor the reverse, except that an IPv4-mapped
//!   IPv6 address (`::ffff:203.0.113.7`) is read as the IPv4 address, in the context and in the
//!   policy (decision: the docs are silent; JVM address parsing, which AWS's engine is likely to
//!   use, maps them the same way);
//! - no whitespace, no zone index (`fe80::1%eth0`), no leading zeros in IPv4 octets.
//!
//! [ip]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net};

/// Reads a context value as an address, or `None`.
pub(crate) fn parse_address(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>().ok().map(unmap)
}

/// Reads a policy value as a range, or `None`.
pub(crate) fn parse_range(text: &str) -> Option<IpNet> {
    let net = match text.split_once('/') {
        Some((address, prefix)) => {
            if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            IpNet::new(address.parse::<IpAddr>().ok()?, prefix.parse::<u8>().ok()?).ok()?
        }
        None => IpNet::from(text.parse::<IpAddr>().ok()?),
    };
    Some(unmap_net(net))
}

/// True when `range` contains `address`.
pub(crate) fn contains(range: &IpNet, address: &IpAddr) -> bool {
    range.contains(address)
}

/// An IPv4-mapped IPv6 address as its IPv4 address; any other address unchanged.
fn unmap(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// A range inside `::ffff:0:0/96` as the IPv4 range it maps; any other range unchanged.
fn unmap_net(net: IpNet) -> IpNet {
    if let IpNet::V6(v6) = net {
        if v6.prefix_len() >= 96 {
            if let Some(v4) = v6.network().to_ipv4_mapped() {
                if let Ok(mapped) = Ipv4Net::new(v4, v6.prefix_len() - 96) {
                    return IpNet::V4(mapped);
                }
            }
        }
    }
    net
}

/// Checks a policy value of `IpAddress`/`NotIpAddress`.
pub(crate) fn check_value(value: &str) -> Result<(), String> {
    match parse_range(value) {
        Some(_) => Ok(()),
        None => Err(format!(
            "`{value}` is not an IP address or CIDR range (such as 203.0.113.0/24 or 2001:DB8:1234:5678::/64)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(range: &str, address: &str) -> bool {
        contains(
            &parse_range(range).expect("range"),
            &parse_address(address).expect("address"),
        )
    }

    #[test]
    fn ipv4_ranges_and_single_addresses() {
        assert!(inside("203.0.113.0/24", "203.0.113.255"));
        assert!(!inside("203.0.113.0/24", "203.0.114.0"));
        assert!(inside("203.0.113.7", "203.0.113.7"));
        assert!(!inside("203.0.113.7", "203.0.113.8"));
        assert!(inside("203.0.113.7/24", "203.0.113.1"), "host bits ignored");
        assert!(inside("0.0.0.0/0", "198.51.100.1"));
    }

    #[test]
    fn ipv6_any_spelling() {
        assert!(inside(
            "2001:DB8:1234:5678::/64",
            "2001:db8:1234:5678:ffff::1"
        ));
        assert!(!inside("2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1"));
        assert!(inside(
            "2001:db8::1",
            "2001:0DB8:0000:0000:0000:0000:0000:0001"
        ));
        assert!(!inside("2001:db8::1", "2001:db8::2"));
    }

    #[test]
    fn families_do_not_mix_except_mapped_addresses() {
        assert!(!inside("::/0", "203.0.113.7"));
        assert!(!inside("0.0.0.0/0", "2001:db8::1"));
        assert!(inside("203.0.113.0/24", "::ffff:203.0.113.7"));
        assert!(inside("::ffff:203.0.113.0/120", "203.0.113.7"));
    }

    #[test]
    fn rejects_what_is_not_an_address() {
        for bad in [
            "",
            "203.0.113",
            "203.0.113.0/33",
            "2001:db8::/129",
            "300.0.0.1",
            " 203.0.113.7",
            "203.0.113.0/",
            "fe80::1%eth0",
            "localhost",
        ] {
            assert!(parse_range(bad).is_none(), "{bad:?}");
        }
        assert!(parse_address("203.0.113.0/24").is_none());
        let err = check_value("10.0.0.0/40").expect_err("bad mask");
        assert!(err.contains("`10.0.0.0/40`"), "{err}");
    }
}
