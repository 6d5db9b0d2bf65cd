//! Typed values drawn from the shared pools: numbers at their boundaries, dates in both forms,
//! IPv4/IPv6 addresses and CIDRs, base64 text, booleans. Policies and requests both draw here,
//! so that a condition's value and a request's value are often equal or one step apart.
//!
//! This module draws single values; which key gets which value is decided by `condition` and
//! `request`.

use crate::gen::Gen;
use crate::vocabulary::{KeyType, Vocabulary};

/// A value of a key's type from the pools (a string-typed key without a pool of its own gets a
/// tag value).
pub fn typed_value(g: &mut Gen<'_>, key_type: KeyType) -> String {
    let s = &Vocabulary::get().samples;
    match key_type {
        KeyType::Numeric => g.pick(&s.numbers).clone(),
        KeyType::Date => g.pick(&s.dates).clone(),
        KeyType::Ip => g.pick(&s.ips).clone(),
        KeyType::Binary => g.pick(&s.binaries).clone(),
        KeyType::Bool | KeyType::ArrayOfBool => {
            if g.chance(50) { "true" } else { "false" }.to_string()
        }
        KeyType::Arn | KeyType::ArrayOfArn => format!(
            "arn:aws:iam::{}:role/{}",
            g.pick(&s.accounts),
            g.pick(&s.role_names)
        ),
        KeyType::String | KeyType::ArrayOfString => g.pick(&s.tag_values).clone(),
    }
}

/// A value of key `name` inside its domain (`domains::in_domain`): the type's pool without
/// the values outside the domain (negative numbers, epoch dates, masks...), or the domain's own
/// first sample when none fits.
pub fn domain_value(g: &mut Gen<'_>, name: &str, key_type: KeyType) -> String {
    for _ in 0..4 {
        let value = match key_type {
            KeyType::Ip => request_ip(g),
            KeyType::Date => request_date(g),
            _ => typed_value(g, key_type),
        };
        if crate::domains::in_domain(name, key_type, &value) {
            return value;
        }
    }
    match key_type {
        _ if name.eq_ignore_ascii_case("s3:TlsVersion") => "1.2".into(),
        KeyType::Numeric => "10".into(),
        KeyType::Date => "2026-01-01T00:00:00Z".into(),
        KeyType::Ip => "203.0.113.10".into(),
        KeyType::Bool | KeyType::ArrayOfBool => "true".into(),
        _ => typed_value(g, key_type),
    }
}

/// An IP address (no mask) for a request: from the pool's addresses, stripped of any mask.
pub fn request_ip(g: &mut Gen<'_>) -> String {
    let s = &Vocabulary::get().samples;
    let ip = g.pick(&s.ips);
    ip.split('/').next().unwrap_or(ip).to_string()
}

/// A date for a request: ISO 8601 from the pool (epoch-seconds entries are converted by picking
/// an ISO neighbour instead, since requests carry the simulator's date text).
pub fn request_date(g: &mut Gen<'_>) -> String {
    let s = &Vocabulary::get().samples;
    let iso: Vec<&String> = s.dates.iter().filter(|d| d.contains('T')).collect();
    (*g.pick(&iso)).clone()
}
