//! Near misses on purpose: a value one step away from another — a number one off, a date one
//! second apart, a neighbouring IP or a mask one bit wider, another letter case, a pattern one
//! character short, a base64 text with its padding dropped — so that a decision flips on the
//! smallest difference. Also whole-request mutations (a tag dropped, a value nudged).
//!
//! This module only perturbs; it does not decide whether the perturbation flips anything.

use crate::gen::Gen;
use crate::vocabulary::KeyType;

/// A value one small step from `value`, read as `key_type`.
pub fn near_miss(g: &mut Gen<'_>, value: &str, key_type: KeyType) -> String {
    match key_type {
        KeyType::Numeric => numeric_neighbour(g, value),
        KeyType::Date => date_neighbour(g, value),
        KeyType::Ip => ip_neighbour(g, value),
        KeyType::Bool => match value {
            "true" => "false".into(),
            "false" => "true".into(),
            other => other.to_uppercase(),
        },
        KeyType::Binary => binary_neighbour(value),
        KeyType::ArrayOfBool => match value {
            "true" => "false".into(),
            _ => "true".into(),
        },
        KeyType::String | KeyType::Arn | KeyType::ArrayOfString | KeyType::ArrayOfArn => {
            string_neighbour(g, value)
        }
    }
}

/// The edge of a key's domain nearest a near miss that fell outside it: 0 for a number of
/// seconds or a count, the other end of the TLS versions for `s3:TlsVersion`; `None` where the
/// domain has no edge to move to (strings, dates, addresses).
pub fn domain_edge(key: &str, key_type: KeyType, before: &str) -> Option<String> {
    if key.eq_ignore_ascii_case("s3:TlsVersion") {
        return Some(if before == "1.3" { "1.0" } else { "1.3" }.to_string());
    }
    match key_type {
        KeyType::Numeric => Some("0".to_string()),
        _ => None,
    }
}

/// Another case, a character dropped, or a character added.
pub fn string_neighbour(g: &mut Gen<'_>, value: &str) -> String {
    match g.below(3) {
        0 => flip_case(value),
        1 if !value.is_empty() => {
            let mut chars: Vec<char> = value.chars().collect();
            chars.pop();
            chars.into_iter().collect()
        }
        _ => format!("{value}x"),
    }
}

/// The same text with the case of its first cased letter flipped (unchanged when it has none).
pub fn flip_case(value: &str) -> String {
    let mut done = false;
    value
        .chars()
        .map(|c| {
            if done || !c.is_ascii_alphabetic() {
                c
            } else {
                done = true;
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            }
        })
        .collect()
}

/// A wildcard pattern one character short of `pattern` (its last non-wildcard character removed).
pub fn shorten_pattern(pattern: &str) -> String {
    let mut chars: Vec<char> = pattern.chars().collect();
    if let Some(i) = chars.iter().rposition(|c| *c != '*' && *c != '?') {
        chars.remove(i);
    }
    chars.into_iter().collect()
}

fn numeric_neighbour(g: &mut Gen<'_>, value: &str) -> String {
    let step: i64 = if g.chance(50) { 1 } else { -1 };
    if let Ok(n) = value.parse::<i64>() {
        return n.saturating_add(step).to_string();
    }
    if let Some((whole, frac)) = value.split_once('.') {
        if let Ok(f) = frac.parse::<u64>() {
            let f = if step > 0 { f + 1 } else { f.saturating_sub(1) };
            return format!("{whole}.{f:0width$}", width = frac.len());
        }
    }
    format!("{value}0")
}

fn date_neighbour(g: &mut Gen<'_>, value: &str) -> String {
    let later = g.chance(50);
    if let Ok(n) = value.parse::<i64>() {
        return (if later { n + 1 } else { n - 1 }).to_string();
    }
    // YYYY-MM-DDTHH:MM:SS...: move the seconds by one where that needs no carry.
    if value.len() >= 19 && value.as_bytes()[10] == b'T' {
        if let Ok(sec) = value[17..19].parse::<u32>() {
            let new = match (later, sec) {
                (true, 59) => 58,
                (true, s) => s + 1,
                (false, 0) => 1,
                (false, s) => s - 1,
            };
            return format!("{}{:02}{}", &value[..17], new, &value[19..]);
        }
    }
    format!("{value}0")
}

fn ip_neighbour(g: &mut Gen<'_>, value: &str) -> String {
    let (addr, mask) = match value.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (value, None),
    };
    if let (Some(mask), true) = (mask, g.chance(50)) {
        if let Ok(m) = mask.parse::<u8>() {
            let max = if addr.contains(':') { 128 } else { 32 };
            let m2 = if m >= max { m - 1 } else { m + 1 };
            return format!("{addr}/{m2}");
        }
    }
    let bumped = if addr.contains(':') {
        // Bump the last hexadecimal group.
        let (head, last) = addr.rsplit_once(':').unwrap_or(("", addr));
        let n = u16::from_str_radix(if last.is_empty() { "0" } else { last }, 16).unwrap_or(0);
        format!("{head}:{:x}", n.wrapping_add(1))
    } else {
        let mut octets: Vec<u16> = addr.split('.').filter_map(|o| o.parse().ok()).collect();
        if octets.len() != 4 {
            return format!("{value}0");
        }
        octets[3] = if octets[3] == 255 { 254 } else { octets[3] + 1 };
        octets
            .iter()
            .map(|o| o.to_string())
            .collect::<Vec<_>>()
            .join(".")
    };
    match mask {
        Some(m) => format!("{bumped}/{m}"),
        None => bumped,
    }
}

/// Another valid, canonical base64 text: the case of its first letter flipped (which changes
/// the first decoded byte, never the padding), or `AA==` for the empty text.
fn binary_neighbour(value: &str) -> String {
    if value.is_empty() {
        "AA==".into()
    } else {
        flip_case(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_one_step_away() {
        let mut g = Gen::from_bytes(&[]);
        assert_eq!(near_miss(&mut g, "10", KeyType::Numeric), "9");
        assert_eq!(
            near_miss(&mut g, "2026-01-01T00:00:00Z", KeyType::Date),
            "2026-01-01T00:00:01Z"
        );
        assert_eq!(
            near_miss(&mut g, "203.0.113.10", KeyType::Ip),
            "203.0.113.11"
        );
        assert_eq!(near_miss(&mut g, "2001:db8::1", KeyType::Ip), "2001:db8::2");
        assert_eq!(near_miss(&mut g, "Prod", KeyType::String), "prod");
        assert_eq!(near_miss(&mut g, "true", KeyType::Bool), "false");
        assert_eq!(near_miss(&mut g, "aGVsbG8=", KeyType::Binary), "AGVsbG8=");
        assert_eq!(shorten_pattern("ami-0*"), "ami-*");
        let mut g = Gen::from_bytes(&[1]);
        assert_eq!(near_miss(&mut g, "10.0.0.0/8", KeyType::Ip), "10.0.0.0/9");
    }
}
