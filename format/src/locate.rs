//! Finding where a value is in JSON text, by its path (`requests[2].expect`), so that the
//! loader can name the line and column of a rule that serde cannot check.
//!
//! This is a small scanner for text that has already been parsed successfully; on anything it
//! does not understand it answers `None` rather than guessing. It does not decode or build
//! values.

use std::fmt;

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A member of an object, by key.
    Key(String),
    /// An element of an array, by 0-based index.
    Index(usize),
}

/// A path into a JSON document, printed as `requests[2].expect.decision`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    /// The document itself.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path followed by a key.
    pub fn key(&self, key: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_string()));
        Self(segs)
    }

    /// This path followed by an index.
    pub fn index(&self, index: usize) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(index));
        Self(segs)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The 1-based line and column (in characters) where the value at `path` starts in `text`.
/// For a path that ends in an object key that is absent, the position of the enclosing object.
pub fn locate(text: &str, path: &JsonPath) -> Option<(usize, usize)> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let offset = scanner.find(&path.0)?;
    Some(line_column(text, offset))
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// Finds the byte offset of the value at `path`, starting at the current position.
    fn find(&mut self, path: &[Seg]) -> Option<usize> {
        self.skip_ws();
        let Some((first, rest)) = path.split_first() else {
            return Some(self.pos);
        };
        let start = self.pos;
        match first {
            Seg::Key(wanted) => {
                self.eat(b'{')?;
                if self.eat(b'}').is_some() {
                    return Some(start);
                }
                loop {
                    self.skip_ws();
                    let key = self.string()?;
                    self.eat(b':')?;
                    if key == *wanted {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    if self.eat(b',').is_none() {
                        self.eat(b'}')?;
                        return Some(start);
                    }
                }
            }
            Seg::Index(wanted) => {
                self.eat(b'[')?;
                if self.eat(b']').is_some() {
                    return Some(start);
                }
                let mut index = 0;
                loop {
                    if index == *wanted {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    if self.eat(b',').is_none() {
                        self.eat(b']')?;
                        return Some(start);
                    }
                    index += 1;
                }
            }
        }
    }

    /// Reads a string (the scanner is at its opening quote) and decodes it.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "{\n  \"a\": {\"b\": [1, {\"c\": \"x\\\"}\"}, [2]]},\n  \"é\": \"ü\", \"d\": null\n}";

    #[test]
    fn finds_nested_values() {
        let root = JsonPath::root();
        assert_eq!(locate(TEXT, &root), Some((1, 1)));
        assert_eq!(locate(TEXT, &root.key("a")), Some((2, 8)));
        assert_eq!(
            locate(TEXT, &root.key("a").key("b").index(1).key("c")),
            Some((2, 24))
        );
        assert_eq!(
            locate(TEXT, &root.key("a").key("b").index(2).index(0)),
            Some((2, 34))
        );
        assert_eq!(locate(TEXT, &root.key("d")), Some((3, 18)));
    }

    #[test]
    fn absent_keys_point_at_the_enclosing_object() {
        let root = JsonPath::root();
        assert_eq!(locate(TEXT, &root.key("zz")), Some((1, 1)));
        assert_eq!(locate(TEXT, &root.key("a").key("zz")), Some((2, 8)));
        assert_eq!(
            locate(TEXT, &root.key("a").key("b").index(9)),
            Some((2, 14))
        );
    }

    #[test]
    fn wrong_shapes_answer_none() {
        assert_eq!(locate("[1]", &JsonPath::root().key("a")), None);
        assert_eq!(locate("{\"a\"", &JsonPath::root().key("b")), None);
        assert_eq!(locate("", &JsonPath::root().index(0)), None);
    }

    #[test]
    fn paths_print_like_javascript() {
        let p = JsonPath::root().key("requests").index(2).key("expect");
        assert_eq!(p.to_string(), "requests[2].expect");
        assert_eq!(JsonPath::root().to_string(), "(document)");
    }
}
