//! Messages read as English: no "a identity-based policy", "an permissions boundary" or
//! "found a array" (issue 13) in any string literal of the workspace's sources, and no article
//! written in front of a `{placeholder}` whose value decides between "a" and "an".
//!
//! The rule is by sound, so a short list of words is allowed: "a user", "a unique", "a URI"
//! (said with a "you"), "an sts:..." (said letter by letter).

use std::path::{Path, PathBuf};

/// Words after "a" that start with a vowel letter but not a vowel sound.
const A_BEFORE: &[&str] = &[
    "user", "users", "unique", "uri", "url", "utf-8", "union", "unit", "usage", "one",
];
/// Words after "an" that start with a consonant letter but a vowel sound.
const AN_BEFORE: &[&str] = &[
    "sts", "s3", "sqs", "sns", "ssm", "html", "hour", "mfa", "rcp", "scp",
];

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs: Vec<PathBuf> = ["src", "format/src", "harness/src", "generators/src"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The string literals of one line of Rust (a simple scan: `"..."` with `\"` escapes).
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut text = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => break,
                c => text.push(c),
            }
        }
        out.push(text);
    }
    out
}

/// The article mistakes in `text`.
fn mistakes(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split([' ', '(', '\n']).collect();
    let mut found = Vec::new();
    for pair in words.windows(2) {
        let (article, next) = (pair[0], pair[1].trim_start_matches('`'));
        let word: String = next
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_lowercase();
        let first = next.chars().next();
        match article {
            "a" | "an" if first == Some('{') => found.push(format!(
                "`{article} {next}`: the article depends on the value"
            )),
            "a" if word.starts_with(['a', 'e', 'i', 'o', 'u'])
                && !A_BEFORE.contains(&word.as_str()) =>
            {
                found.push(format!("`a {word}`"))
            }
            "an" if !word.is_empty()
                && !word.starts_with(['a', 'e', 'i', 'o', 'u'])
                && !AN_BEFORE.contains(&word.as_str()) =>
            {
                found.push(format!("`an {word}`"))
            }
            _ => {}
        }
    }
    found
}

#[test]
fn the_scan_finds_the_issue_s_examples() {
    assert_eq!(mistakes("a identity-based policy"), ["`a identity-based`"]);
    assert_eq!(mistakes("an permissions boundary"), ["`an permissions`"]);
    assert_eq!(mistakes("found a array"), ["`a array`"]);
    assert_eq!(mistakes("found a {}").len(), 1);
    assert!(mistakes("an identity-based policy, a user, an sts:AssumeRole").is_empty());
}

#[test]
fn no_message_has_a_wrong_article() {
    let mut bad = Vec::new();
    for path in sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for literal in literals(line) {
                for m in mistakes(&literal) {
                    bad.push(format!(
                        "{}:{}: {m} in \"{literal}\"",
                        path.display(),
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
