//! A small JSON reader that keeps the position of every value, for policy text.
//!
//! [`parse`] turns text into a [`Value`] tree in which every value and every object key carries
//! its [`Span`] (1-based line, 1-based column counted in characters, `end` = the position of the
//! value's last character). Strings are unescaped (all JSON escapes, surrogate pairs joined),
//! numbers are kept as their source text, and objects keep their members in document order with
//! duplicate keys left in place so that the policy grammar can report them.
//!
//! It follows RFC 8259 strictly: no comments, no trailing commas, no single quotes, no raw control
//! characters in strings. Nesting is limited to [`MAX_DEPTH`] levels so that hostile input cannot
//! exhaust the stack, and no input makes it panic.
//!
//! Lines are counted at `\n` only (a `\r` before it is an ordinary character of the line it ends).
//!
//! What it is not for: general-purpose JSON (use `serde_json`); it exists because AWS reports
//! policy problems and matched statements by position, which `serde_json` does not keep.

use std::borrow::Cow;

use crate::policy::{Position, Span};

/// The deepest nesting of arrays and objects accepted. A policy needs at most seven levels
/// (document, `Statement` list, statement, `Condition`, operator, key, value list).
pub const MAX_DEPTH: usize = 64;

/// A JSON value with its position in the text. Strings without escapes borrow from the text
/// (`'a`), so reading a policy copies each string once, into the policy model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value<'a> {
    /// What the value is.
    pub kind: ValueKind<'a>,
    /// Where the value is, from its first to its last character (quotes and brackets included).
    pub span: Span,
}

/// The kinds of JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as written (`10`, `-1.5e3`).
    Number(&'a str),
    /// A string, unescaped (borrowed from the text when it holds no escape).
    String(Cow<'a, str>),
    /// An array, in document order.
    Array(Vec<Value<'a>>),
    /// An object: its members in document order, duplicates kept.
    Object(Vec<Member<'a>>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<'a> {
    /// The key, unescaped (borrowed from the text when it holds no escape).
    pub key: Cow<'a, str>,
    /// Where the key is (its quotes included).
    pub key_span: Span,
    /// The member's value.
    pub value: Value<'a>,
}

impl Member<'_> {
    /// The span of the whole member, from the key's opening quote to the value's last character.
    pub fn span(&self) -> Span {
        Span {
            start: self.key_span.start,
            end: self.value.span.end,
        }
    }
}

impl ValueKind<'_> {
    /// The JSON type name, for messages (`string`, `number`, `boolean`, `null`, `array`, `object`).
    pub fn type_name(&self) -> &'static str {
        match self {
            ValueKind::Null => "null",
            ValueKind::Bool(_) => "boolean",
            ValueKind::Number(_) => "number",
            ValueKind::String(_) => "string",
            ValueKind::Array(_) => "array",
            ValueKind::Object(_) => "object",
        }
    }

    /// The type's name with its indefinite article, for messages ("an array", "a string",
    /// "null").
    pub fn type_name_with_article(&self) -> &'static str {
        match self {
            ValueKind::Null => "null",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Number(_) => "a number",
            ValueKind::String(_) => "a string",
            ValueKind::Array(_) => "an array",
            ValueKind::Object(_) => "an object",
        }
    }
}

/// A JSON syntax error: what was expected and what was found, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {}, column {}: {message}", position.line, position.column)]
pub struct JsonError {
    /// What is wrong, e.g. ``expected `,` or `}` after object member, found `"` ``.
    pub message: String,
    /// Where the offending character is (or the end of the text).
    pub position: Position,
}

/// Parses `text` as one JSON value (surrounding whitespace allowed, nothing else after it).
pub fn parse(text: &str) -> Result<Value<'_>, JsonError> {
    let mut reader = Reader::new(text);
    reader.skip_whitespace();
    let value = reader.value()?;
    reader.skip_whitespace();
    match reader.peek_char() {
        None => Ok(value),
        Some(c) => Err(reader.error(format!(
            "unexpected {} after the end of the JSON document",
            describe(Some(c))
        ))),
    }
}

/// Describes a character (or the end of input) for an error message.
fn describe(c: Option<char>) -> String {
    match c {
        None => "end of input".to_string(),
        Some(c) if c.is_control() => format!("control character U+{:04X}", u32::from(c)),
        Some(c) if !c.is_ascii_graphic() && !c.is_alphanumeric() => {
            format!("character U+{:04X}", u32::from(c))
        }
        Some('`') => "a backtick".to_string(),
        Some(c) => format!("`{c}`"),
    }
}

/// A cursor over the text that knows the line and column of the next character.
struct Reader<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    offset: usize,
    /// Position of the next character.
    next: Position,
    /// Position of the last character consumed.
    last: Position,
    /// Current nesting depth of arrays and objects.
    depth: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        let start = Position { line: 1, column: 1 };
        Self {
            text,
            offset: 0,
            next: start,
            last: start,
            depth: 0,
        }
    }

    fn peek_char(&self) -> Option<char> {
        match self.text.as_bytes().get(self.offset) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.text.get(self.offset..).and_then(|s| s.chars().next()),
            None => None,
        }
    }

    /// Consumes one character and returns it.
    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.offset += c.len_utf8();
        self.last = self.next;
        if c == '\n' {
            self.next.line = self.next.line.saturating_add(1);
            self.next.column = 1;
        } else {
            self.next.column = self.next.column.saturating_add(1);
        }
        Some(c)
    }

    fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError {
            message: message.into(),
            position: self.next,
        }
    }

    fn error_at(&self, position: Position, message: impl Into<String>) -> JsonError {
        JsonError {
            message: message.into(),
            position,
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(&b) = self.text.as_bytes().get(self.offset) {
            match b {
                b' ' | b'\t' | b'\r' => {
                    self.last = self.next;
                    self.next.column = self.next.column.saturating_add(1);
                }
                b'\n' => {
                    self.last = self.next;
                    self.next.line = self.next.line.saturating_add(1);
                    self.next.column = 1;
                }
                _ => return,
            }
            self.offset += 1;
        }
    }

    /// Consumes the run of plain string characters (not `"`, `\\` nor a control character)
    /// that starts at the next character, in one step, and returns it. The run holds no line
    /// feed, so only the column moves: by one per character.
    fn plain_run(&mut self) -> &'a str {
        let text: &'a str = self.text;
        let rest = text.get(self.offset..).unwrap_or("");
        let length = rest
            .bytes()
            .position(|b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(rest.len());
        // The run ends before an ASCII byte (or at the end), so it ends on a character boundary.
        let run = rest.get(..length).unwrap_or("");
        if run.is_empty() {
            return run;
        }
        // Characters are counted by their first bytes (UTF-8 continuation bytes are 0b10xxxxxx).
        let characters = run.bytes().filter(|&b| (b & 0xC0) != 0x80).count();
        self.offset += length;
        self.last = Position {
            line: self.next.line,
            column: self
                .next
                .column
                .saturating_add(u32::try_from(characters - 1).unwrap_or(u32::MAX)),
        };
        self.next.column = self.last.column.saturating_add(1);
        run
    }

    fn span_from(&self, start: Position) -> Span {
        Span {
            start,
            end: self.last,
        }
    }

    /// Reads one value; the next character must be its first.
    fn value(&mut self) -> Result<Value<'a>, JsonError> {
        let start = self.next;
        let kind = match self.peek_char() {
            Some('{') => self.object()?,
            Some('[') => self.array()?,
            Some('"') => ValueKind::String(self.string()?),
            Some('t') => self.literal("true", ValueKind::Bool(true))?,
            Some('f') => self.literal("false", ValueKind::Bool(false))?,
            Some('n') => self.literal("null", ValueKind::Null)?,
            Some('-' | '0'..='9') => ValueKind::Number(self.number()?),
            other => {
                return Err(self.error(format!("expected a JSON value, found {}", describe(other))))
            }
        };
        Ok(Value {
            kind,
            span: self.span_from(start),
        })
    }

    fn literal(&mut self, word: &str, kind: ValueKind<'a>) -> Result<ValueKind<'a>, JsonError> {
        let start = self.next;
        for expected in word.chars() {
            if self.peek_char() != Some(expected) {
                return Err(self.error_at(
                    start,
                    format!("invalid literal: expected `{word}` (JSON literals are lowercase)"),
                ));
            }
            self.bump();
        }
        Ok(kind)
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!(
                "arrays and objects nested deeper than {MAX_DEPTH} levels"
            )));
        }
        self.depth += 1;
        Ok(())
    }

    fn object(&mut self) -> Result<ValueKind<'a>, JsonError> {
        self.enter()?;
        self.bump(); // `{`
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek_char() == Some('}') {
            self.bump();
            self.depth -= 1;
            return Ok(ValueKind::Object(members));
        }
        loop {
            members.push(self.member()?);
            self.skip_whitespace();
            match self.peek_char() {
                Some(',') => {
                    self.bump();
                    self.skip_whitespace();
                }
                Some('}') => {
                    self.bump();
                    break;
                }
                other => {
                    return Err(self.error(format!(
                        "expected `,` or `}}` after object member, found {}",
                        describe(other)
                    )))
                }
            }
        }
        self.depth -= 1;
        Ok(ValueKind::Object(members))
    }

    fn member(&mut self) -> Result<Member<'a>, JsonError> {
        if self.peek_char() != Some('"') {
            return Err(self.error(format!(
                "expected a string key (in double quotes), found {}",
                describe(self.peek_char())
            )));
        }
        let key_start = self.next;
        let key = self.string()?;
        let key_span = self.span_from(key_start);
        self.skip_whitespace();
        if self.peek_char() != Some(':') {
            return Err(self.error(format!(
                "expected `:` after object key, found {}",
                describe(self.peek_char())
            )));
        }
        self.bump();
        self.skip_whitespace();
        let value = self.value()?;
        Ok(Member {
            key,
            key_span,
            value,
        })
    }

    fn array(&mut self) -> Result<ValueKind<'a>, JsonError> {
        self.enter()?;
        self.bump(); // `[`
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek_char() == Some(']') {
            self.bump();
            self.depth -= 1;
            return Ok(ValueKind::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek_char() {
                Some(',') => {
                    self.bump();
                    self.skip_whitespace();
                }
                Some(']') => {
                    self.bump();
                    break;
                }
                other => {
                    return Err(self.error(format!(
                        "expected `,` or `]` after array element, found {}",
                        describe(other)
                    )))
                }
            }
        }
        self.depth -= 1;
        Ok(ValueKind::Array(items))
    }

    /// Reads a string; the next character must be its opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.bump(); // opening `"`
        let run = self.plain_run();
        if self.text.as_bytes().get(self.offset) == Some(&b'"') {
            // No escape: the string is the run (the usual case), borrowed.
            self.bump();
            return Ok(Cow::Borrowed(run));
        }
        let mut out = String::from(run);
        loop {
            out.push_str(self.plain_run());
            let position = self.next;
            match self.bump() {
                None => return Err(self.error("unterminated string: expected a closing `\"`")),
                Some('"') => return Ok(Cow::Owned(out)),
                Some('\\') => out.push(self.escape(position)?),
                Some(c) if u32::from(c) < 0x20 => {
                    return Err(self.error_at(
                        position,
                        format!("{} inside a string must be escaped", describe(Some(c))),
                    ))
                }
                Some(c) => out.push(c),
            }
        }
    }

    /// Reads the rest of an escape sequence whose `\` was at `start`.
    fn escape(&mut self, start: Position) -> Result<char, JsonError> {
        let c = match self.bump() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('/') => '/',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => return self.unicode_escape(start),
            other => {
                return Err(self.error_at(
                    start,
                    format!(
                        "invalid escape sequence: `\\` followed by {}",
                        describe(other)
                    ),
                ))
            }
        };
        Ok(c)
    }

    /// Reads the four hex digits after `\u` (and a second `\uXXXX` for a surrogate pair).
    fn unicode_escape(&mut self, start: Position) -> Result<char, JsonError> {
        let first = self.hex4(start)?;
        if (0xDC00..0xE000).contains(&first) {
            return Err(self.error_at(
                start,
                format!("invalid unicode escape: unpaired low surrogate \\u{first:04X}"),
            ));
        }
        if !(0xD800..0xDC00).contains(&first) {
            return char::from_u32(first).ok_or_else(|| {
                self.error_at(start, format!("invalid unicode escape \\u{first:04X}"))
            });
        }
        let lone = || {
            format!("invalid unicode escape: high surrogate \\u{first:04X} not followed by a low surrogate")
        };
        if self.peek_char() != Some('\\') {
            return Err(self.error_at(start, lone()));
        }
        self.bump();
        if self.peek_char() != Some('u') {
            return Err(self.error_at(start, lone()));
        }
        self.bump();
        let second = self.hex4(start)?;
        if !(0xDC00..0xE000).contains(&second) {
            return Err(self.error_at(start, lone()));
        }
        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        char::from_u32(code)
            .ok_or_else(|| self.error_at(start, format!("invalid unicode escape U+{code:X}")))
    }

    fn hex4(&mut self, start: Position) -> Result<u32, JsonError> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = self.peek_char().and_then(|c| c.to_digit(16));
            match digit {
                Some(d) => {
                    self.bump();
                    code = code * 16 + d;
                }
                None => {
                    return Err(self.error_at(
                        start,
                        format!(
                        "invalid unicode escape: expected four hex digits after `\\u`, found {}",
                        describe(self.peek_char())
                    ),
                    ))
                }
            }
        }
        Ok(code)
    }

    /// Reads a number and returns its source text.
    fn number(&mut self) -> Result<&'a str, JsonError> {
        let begin = self.offset;
        if self.peek_char() == Some('-') {
            self.bump();
        }
        match self.peek_char() {
            Some('0') => {
                self.bump();
                if matches!(self.peek_char(), Some('0'..='9')) {
                    return Err(self.error("invalid number: leading zeros are not allowed"));
                }
            }
            Some('1'..='9') => self.digits(),
            other => {
                return Err(self.error(format!(
                    "invalid number: expected a digit, found {}",
                    describe(other)
                )))
            }
        }
        if self.peek_char() == Some('.') {
            self.bump();
            self.required_digits("after the decimal point")?;
        }
        if matches!(self.peek_char(), Some('e' | 'E')) {
            self.bump();
            if matches!(self.peek_char(), Some('+' | '-')) {
                self.bump();
            }
            self.required_digits("in the exponent")?;
        }
        let text: &'a str = self.text;
        Ok(text.get(begin..self.offset).unwrap_or_default())
    }

    fn digits(&mut self) {
        while matches!(self.peek_char(), Some('0'..='9')) {
            self.bump();
        }
    }

    fn required_digits(&mut self, place: &str) -> Result<(), JsonError> {
        if !matches!(self.peek_char(), Some('0'..='9')) {
            return Err(self.error(format!(
                "invalid number: expected a digit {place}, found {}",
                describe(self.peek_char())
            )));
        }
        self.digits();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pos(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    fn span(a: (u32, u32), b: (u32, u32)) -> Span {
        Span {
            start: pos(a.0, a.1),
            end: pos(b.0, b.1),
        }
    }

    fn members<'v, 't>(value: &'v Value<'t>) -> &'v [Member<'t>] {
        match &value.kind {
            ValueKind::Object(m) => m,
            other => panic!("not an object: {other:?}"),
        }
    }

    #[test]
    fn parses_every_kind_with_spans() {
        let text = "{\"a\": [1, -2.5e3, true, false, null, \"x\"],\n \"b\": {}}";
        let v = parse(text).unwrap();
        assert_eq!(v.span, span((1, 1), (2, 9)));
        let m = members(&v);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].key, "a");
        assert_eq!(m[0].key_span, span((1, 2), (1, 4)));
        assert_eq!(m[0].value.span, span((1, 7), (1, 41)));
        let ValueKind::Array(items) = &m[0].value.kind else {
            panic!()
        };
        assert_eq!(items[0].kind, ValueKind::Number("1"));
        assert_eq!(items[1].kind, ValueKind::Number("-2.5e3"));
        assert_eq!(items[1].span, span((1, 11), (1, 16)));
        assert_eq!(items[2].kind, ValueKind::Bool(true));
        assert_eq!(items[3].kind, ValueKind::Bool(false));
        assert_eq!(items[4].kind, ValueKind::Null);
        assert_eq!(items[5].kind, ValueKind::String("x".into()));
        assert_eq!(m[1].key_span, span((2, 2), (2, 4)));
        assert_eq!(m[1].value.kind, ValueKind::Object(vec![]));
        assert_eq!(m[1].span(), span((2, 2), (2, 8)));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // `é` is two bytes in UTF-8 and `😀` four, but each is one character.
        let text = "{\"é😀\": \"ü\", \"k\": 1}";
        let v = parse(text).unwrap();
        let m = members(&v);
        assert_eq!(m[0].key, "é😀");
        assert_eq!(m[0].key_span, span((1, 2), (1, 5)));
        assert_eq!(m[0].value.span, span((1, 8), (1, 10)));
        assert_eq!(m[1].key_span, span((1, 13), (1, 15)));
    }

    #[test]
    fn crlf_and_tabs_count_as_characters_of_the_line() {
        let text = "{\r\n\t\"k\":\r\n\t\t1\r\n}";
        let v = parse(text).unwrap();
        let m = members(&v);
        assert_eq!(m[0].key_span, span((2, 2), (2, 4)));
        assert_eq!(m[0].value.span, span((3, 3), (3, 3)));
        assert_eq!(v.span, span((1, 1), (4, 1)));
    }

    #[test]
    fn unescapes_every_escape_and_surrogate_pairs() {
        let v = parse(r#""\" \\ \/ \b \f \n \r \t \u00e9 \uD83D\uDE00""#).unwrap();
        assert_eq!(
            v.kind,
            ValueKind::String("\" \\ / \u{8} \u{c} \n \r \t é 😀".into())
        );
    }

    #[test]
    fn keeps_duplicate_keys_in_order() {
        let v = parse(r#"{"a":1,"a":2}"#).unwrap();
        let keys: Vec<_> = members(&v).iter().map(|m| m.key.as_ref()).collect();
        assert_eq!(keys, ["a", "a"]);
    }

    fn err(text: &str) -> JsonError {
        parse(text).unwrap_err()
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        let e = err("{\"a\": 1 \"b\": 2}");
        assert_eq!(e.position, pos(1, 9));
        assert_eq!(
            e.message,
            "expected `,` or `}` after object member, found `\"`"
        );
        let e = err("[1 2]");
        assert_eq!(e.position, pos(1, 4));
        assert_eq!(
            e.message,
            "expected `,` or `]` after array element, found `2`"
        );
        let e = err("{\"a\" 1}");
        assert_eq!(e.position, pos(1, 6));
        assert!(e.message.starts_with("expected `:` after object key"));
        let e = err("{a: 1}");
        assert_eq!(e.position, pos(1, 2));
        assert!(e.message.starts_with("expected a string key"));
        let e = err("{\"a\": 1,}");
        assert_eq!(e.position, pos(1, 9));
        assert!(e.message.starts_with("expected a string key"));
        let e = err("");
        assert_eq!(e.position, pos(1, 1));
        assert_eq!(e.message, "expected a JSON value, found end of input");
        let e = err("{} x");
        assert_eq!(e.position, pos(1, 4));
        assert!(e.message.contains("after the end of the JSON document"));
        let e = err("\n  \"abc");
        assert_eq!(e.position, pos(2, 7));
        assert!(e.message.starts_with("unterminated string"));
        let e = err("True");
        assert_eq!(e.position, pos(1, 1));
        let e = err("tru");
        assert!(e.message.contains("`true`"));
    }

    #[test]
    fn invisible_characters_are_named_by_code_point() {
        assert_eq!(
            err("\u{feff}{}").message,
            "expected a JSON value, found character U+FEFF"
        );
        assert_eq!(
            err("[1\u{a0}]").message,
            "expected `,` or `]` after array element, found character U+00A0"
        );
        assert_eq!(err("[é]").message, "expected a JSON value, found `é`");
    }

    #[test]
    fn rejects_bad_strings_and_numbers() {
        assert_eq!(err("\"a\u{1}\"").position, pos(1, 3));
        assert_eq!(err("\"\\x\"").position, pos(1, 2));
        assert!(err("\"\\u12G4\"").message.contains("four hex digits"));
        assert!(err("\"\\uD800\"").message.contains("high surrogate"));
        assert!(err("\"\\uD800\\u0041\"").message.contains("high surrogate"));
        assert!(err("\"\\uDC00\"").message.contains("low surrogate"));
        assert!(err("01").message.contains("leading zeros"));
        assert!(err("-").message.contains("expected a digit"));
        assert!(err("1.").message.contains("decimal point"));
        assert!(err("1e+").message.contains("exponent"));
        assert!(err("+1").message.contains("expected a JSON value"));
        assert!(err(".5").message.contains("expected a JSON value"));
    }

    #[test]
    fn limits_nesting_depth_without_overflowing_the_stack() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(100_000);
        let e = err(&deep);
        assert!(e.message.contains("nested deeper"));
        assert_eq!(e.position, pos(1, MAX_DEPTH as u32 + 1));
        let objects = "{\"a\":".repeat(100_000);
        assert!(err(&objects).message.contains("nested deeper"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_on_any_string(text in any::<String>()) {
            let _ = parse(&text);
        }

        #[test]
        fn never_panics_on_json_like_noise(
            text in proptest::string::string_regex(r#"[\[\]{}",:0-9eE.+\-tfnrulsa\\ \n\u{e9}]{0,64}"#).unwrap()
        ) {
            let _ = parse(&text);
        }

        #[test]
        fn positions_stay_inside_the_text(text in r#"[\[\]{}",:0-9a \n]{0,40}"#) {
            let lines = text.split('\n').count() as u32;
            match parse(&text) {
                Ok(v) => prop_assert!(v.span.end.line <= lines),
                Err(e) => prop_assert!(e.position.line <= lines),
            }
        }

        #[test]
        fn agrees_with_serde_json_on_validity(value in arbitrary_json()) {
            let text = value.to_string();
            let ours = parse(&text);
            prop_assert!(ours.is_ok(), "{text}: {ours:?}");
        }
    }

    fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| serde_json::json!(f)),
            any::<String>().prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                proptest::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
