//! Reading a date as an instant: the one grammar of dates, used by the loader (is a context
//! value of type `date` a date?) and by the evaluator's date condition operators (which instant
//! is it?), so that the two can never disagree.
//!
//! AWS: "You must specify date/time values with one of the W3C implementations of the ISO 8601
//! date formats or in epoch (UNIX) time" ([IAM User Guide: Condition operators, Date][date];
//! [W3C NOTE-datetime][w3c]). What is read:
//!
//! - epoch seconds: an optional `-` and digits that fit 64 bits (`1700000000`). A bare year such
//!   as `2024` is therefore read as epoch seconds, not as the W3C `YYYY` form (decision: the two
//!   readings collide and AWS's keys `aws:EpochTime`/`aws:CurrentTime` make epoch the common
//!   case);
//! - `YYYY-MM` (the first of the month) and `YYYY-MM-DD` (midnight);
//! - `YYYY-MM-DDThh:mm`, `YYYY-MM-DDThh:mm:ss` and `YYYY-MM-DDThh:mm:ss.s…` (any number of
//!   fraction digits; nanoseconds are kept, further digits are ignored), each optionally
//!   followed by a time zone designator `Z`, `+hh:mm` or `-hh:mm`.
//!
//! Decisions where the W3C profile and AWS are silent: a date-time without a time zone
//! designator, and every date-only form, is UTC; `T` and `Z` are upper case only; hour `24` and
//! leap second `60` are not read; days are checked against the month (`2023-02-29` is not a
//! date).
//!
//! [date]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
//! [w3c]: https://www.w3.org/TR/NOTE-datetime

use jiff::civil::DateTime;
use jiff::tz::Offset;

/// Reads `text` as an instant, in nanoseconds since the Unix epoch, or `None` when it is not a
/// date (see the module comment).
pub fn instant(text: &str) -> Option<i128> {
    let bytes = text.as_bytes();
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
        let seconds: i64 = text.parse().ok()?;
        return Some(i128::from(seconds) * 1_000_000_000);
    }
    parse_w3c(bytes)
}

/// A cursor over the bytes of a date being read.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    /// Reads exactly `n` ASCII digits as a number.
    fn number(&mut self, n: usize) -> Option<i32> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, tail) = self.bytes.split_at(n);
        let mut value = 0i32;
        for &b in head {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + i32::from(b - b'0');
        }
        self.bytes = tail;
        Some(value)
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        match self.bytes.split_first() {
            Some((&b, rest)) if b == byte => {
                self.bytes = rest;
                true
            }
            _ => false,
        }
    }

    /// The next byte, not consumed.
    fn peek(&self) -> Option<u8> {
        self.bytes.first().copied()
    }
}

/// Reads the W3C profiles of ISO 8601 listed in the module comment.
fn parse_w3c(bytes: &[u8]) -> Option<i128> {
    let mut r = Reader { bytes };
    let year = r.number(4)?;
    if !r.eat(b'-') {
        return None;
    }
    let month = r.number(2)?;
    let day = if r.eat(b'-') { r.number(2)? } else { 1 };
    let (mut hour, mut minute, mut second, mut nanos) = (0, 0, 0, 0);
    let mut offset_seconds = 0;
    if r.eat(b'T') {
        hour = r.number(2)?;
        if !r.eat(b':') {
            return None;
        }
        minute = r.number(2)?;
        if r.eat(b':') {
            second = r.number(2)?;
            if r.eat(b'.') {
                let mut count = 0;
                while let Some(b) = r.peek().filter(u8::is_ascii_digit) {
                    if count < 9 {
                        nanos = nanos * 10 + i32::from(b - b'0');
                    }
                    count += 1;
                    r.bytes = r.bytes.get(1..)?;
                }
                if count == 0 {
                    return None;
                }
                for _ in count..9 {
                    nanos *= 10;
                }
            }
        }
        match r.peek() {
            None => {}
            Some(b'Z') => {
                r.eat(b'Z');
            }
            Some(sign @ (b'+' | b'-')) => {
                r.eat(sign);
                let oh = r.number(2)?;
                if !r.eat(b':') {
                    return None;
                }
                let om = r.number(2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let magnitude = oh * 3600 + om * 60;
                offset_seconds = if sign == b'-' { -magnitude } else { magnitude };
            }
            Some(_) => return None,
        }
    }
    if !r.bytes.is_empty() {
        return None;
    }
    let datetime = DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        nanos,
    )
    .ok()?;
    let offset = Offset::from_seconds(offset_seconds).ok()?;
    let timestamp = offset.to_timestamp(datetime).ok()?;
    Some(timestamp.as_nanosecond())
}
