//! Keeps `corpus/schema/case.schema.json` and the loader in step: every corpus file passes both,
//! and deliberately bad documents are rejected by both (each breaks one rule that both check).

use std::path::{Path, PathBuf};

use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

fn validator() -> jsonschema::Validator {
    let path = corpus_dir().join("schema/case.schema.json");
    let text = std::fs::read_to_string(&path).expect("the schema file is readable");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("the schema is not a valid JSON Schema: {e}");
    }
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "the schema is draft 2020-12"
    );
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

/// The schema's complaints about `text` (empty when valid).
fn schema_errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect(),
        Err(e) => vec![format!("not JSON: {e}")],
    }
}

fn loader_result(text: &str) -> Result<(), String> {
    iamspec_format::load_case_str(
        text,
        Path::new("corpus/seeds/test/case.json"),
        "seeds/test/case.json",
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

#[test]
fn every_corpus_file_passes_the_schema_and_the_loader() {
    let validator = validator();
    let mut problems = Vec::new();
    let mut count = 0;
    for found in iamspec_format::find_case_files(&corpus_dir()) {
        let file = match found {
            Ok(file) => file,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        count += 1;
        let text = match std::fs::read_to_string(&file.path) {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("{}: {e}", file.name));
                continue;
            }
        };
        for error in schema_errors(&validator, &text) {
            problems.push(format!("{}: schema: {error}", file.name));
        }
        if let Err(e) = iamspec_format::load_case_str(&text, &file.path, &file.name) {
            problems.push(format!("loader: {e}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {count} corpus files have problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A small valid case; the bad documents break it one rule at a time.
const VALID: &str = r#"{
  "$schema": "../../schema/case.schema.json",
  "description": "a valid case",
  "source": { "kind": "seeds", "ref": "test", "url": "https://example.com", "date": "2026-11-23", "seed": 42 },
  "features": ["effect:allow"],
  "principal": { "arn": "arn:aws:iam::111122223333:user/alice", "type": "user" },
  "policies": {
    "identity": [ { "id": "P", "document": { "Version": "2012-10-17", "Statement": [] } } ],
    "resource": null,
    "permissions_boundary": { "id": "B", "document": "{}" },
    "session": [],
    "scps": [ [ { "id": "S", "document": {} } ] ],
    "rcps": []
  },
  "requests": [
    {
      "name": "first",
      "action": "ec2:RunInstances",
      "resource": { "arn": "*", "owner": "111122223333", "context": [] },
      "context": [ { "key": "aws:SourceIp", "type": "ip", "values": ["10.0.0.1"] } ],
      "expect": { "decision": "allowed", "matched": [ { "policy": "P", "statement": 0, "sid": "A", "start": { "line": 1, "column": 1 } } ], "missing_context": [] }
    },
    {
      "name": "second",
      "action": "ec2:RunInstances",
      "resources": [ { "arn": "arn:aws:ec2:us-east-1::image/ami-1", "context": [ { "key": "k", "type": "stringList", "values": [] } ], "expect": { "decision": "implicitDeny", "matched": [] } } ],
      "expect": { "error": "malformed-json", "error_position": { "line": 1, "column": 1 } }
    }
  ]
}"#;

/// Each entry: what rule it breaks, the text to replace in VALID, and its replacement.
const BAD: &[(&str, &str, &str)] = &[
    (
        "unknown organization account field",
        r#""rcps": []"#,
        r#""rcps": [], "organizations": [ { "id": "o-1", "accounts": [ { "account": "111122223333", "ou": "x" } ] } ]"#,
    ),
    (
        "an account id that is not 12 digits",
        r#""rcps": []"#,
        r#""rcps": [], "organizations": [ { "id": "o-1", "accounts": [ { "account": "1111" } ] } ]"#,
    ),
    (
        "an inline entity that is not one",
        r#"{ "id": "P", "document""#,
        r#"{ "id": "P", "inline": "policy", "document""#,
    ),
    (
        "unknown top-level field",
        r#""description""#,
        r#""descripton""#,
    ),
    (
        "unknown source field",
        r#""seed": 42"#,
        r#""seed": 42, "link": "x""#,
    ),
    (
        "unknown request field",
        r#""name": "first","#,
        r#""name": "first", "nmae": "x","#,
    ),
    (
        "unknown expect field",
        r#""missing_context": []"#,
        r#""missing_context": [], "warnings": []"#,
    ),
    (
        "unknown resource field",
        r#""owner": "111122223333","#,
        r#""owner": "111122223333", "region": "x","#,
    ),
    (
        "unknown matched field",
        r#""sid": "A","#,
        r#""sid": "A", "effect": "Allow","#,
    ),
    (
        "unknown position field",
        r#""start": { "line": 1, "column": 1 }"#,
        r#""start": { "line": 1, "column": 1, "offset": 0 }"#,
    ),
    (
        "unknown policies member",
        r#""rcps": []"#,
        r#""rcps": [], "acls": []"#,
    ),
    (
        "unknown policy field",
        r#""id": "P","#,
        r#""id": "P", "type": "managed","#,
    ),
    (
        "unknown context field",
        r#""type": "ip","#,
        r#""type": "ip", "ifExists": true,"#,
    ),
    (
        "missing description",
        r#""description": "a valid case","#,
        "",
    ),
    ("empty description", r#""a valid case""#, r#"" ""#),
    ("missing features", r#""features": ["effect:allow"],"#, ""),
    (
        "duplicate feature tag",
        r#"["effect:allow"]"#,
        r#"["effect:allow", "effect:allow"]"#,
    ),
    (
        "unknown source kind",
        r#""kind": "seeds""#,
        r#""kind": "seed""#,
    ),
    ("missing source ref", r#""ref": "test", "#, ""),
    ("negative seed", r#""seed": 42"#, r#""seed": -1"#),
    (
        "unknown principal type",
        r#""type": "user""#,
        r#""type": "person""#,
    ),
    (
        "principal without arn",
        r#""arn": "arn:aws:iam::111122223333:user/alice", "#,
        "",
    ),
    (
        "a policy document that is a list",
        r#""document": {}"#,
        r#""document": []"#,
    ),
    (
        "a null policy document",
        r#""document": {}"#,
        r#""document": null"#,
    ),
    ("an empty policy id", r#""id": "S""#, r#""id": """#),
    (
        "scps not a list of levels",
        r#""scps": [ [ { "id": "S", "document": {} } ] ]"#,
        r#""scps": [ { "id": "S", "document": {} } ]"#,
    ),
    (
        "null in an optional list",
        r#""session": []"#,
        r#""session": null"#,
    ),
    (
        "null in an optional string",
        r#""owner": "111122223333""#,
        r#""owner": null"#,
    ),
    (
        "no requests",
        "\"requests\": [\n    {",
        "\"requests\": [], \"x\": [\n    {",
    ),
    (
        "empty requests",
        r#""requests": ["#,
        r#""requests": [], "_": ["#,
    ),
    (
        "both resource and resources",
        r#""resource": { "arn": "*", "#,
        r#""resources": [ { "arn": "*" } ], "resource": { "arn": "*", "#,
    ),
    (
        "neither resource nor resources",
        r#""resource": { "arn": "*", "owner": "111122223333", "context": [] },"#,
        "",
    ),
    (
        "empty resources",
        r#""resources": [ {"#,
        r#""resources": [], "_r": [ {"#,
    ),
    (
        "expect on a single resource",
        r#""context": [] },"#,
        r#""context": [], "expect": { "decision": "allowed" } },"#,
    ),
    (
        "empty resource arn",
        r#""arn": "*", "owner""#,
        r#""arn": "", "owner""#,
    ),
    (
        "bad request name",
        r#""name": "first""#,
        r#""name": "first one""#,
    ),
    (
        "request name with ::",
        r#""name": "second""#,
        r#""name": "a::b""#,
    ),
    (
        "empty action",
        r#""action": "ec2:RunInstances",
      "resource""#,
        r#""action": "",
      "resource""#,
    ),
    (
        "unknown context type",
        r#""type": "ip""#,
        r#""type": "IpAddress""#,
    ),
    (
        "wrong-case context type",
        r#""type": "ip""#,
        r#""type": "Ip""#,
    ),
    (
        "two values for a single-valued type",
        r#""values": ["10.0.0.1"]"#,
        r#""values": ["10.0.0.1", "10.0.0.2"]"#,
    ),
    (
        "no value for a single-valued type",
        r#""values": ["10.0.0.1"]"#,
        r#""values": []"#,
    ),
    (
        "a non-string context value",
        r#""values": ["10.0.0.1"]"#,
        r#""values": [10]"#,
    ),
    ("context without values", r#", "values": ["10.0.0.1"]"#, ""),
    (
        "empty context key",
        r#""key": "aws:SourceIp""#,
        r#""key": """#,
    ),
    (
        "unknown decision",
        r#""decision": "allowed""#,
        r#""decision": "Allowed""#,
    ),
    (
        "both decision and error",
        r#""decision": "allowed","#,
        r#""decision": "allowed", "error": "malformed-json","#,
    ),
    (
        "neither decision nor error",
        r#""error": "malformed-json", "#,
        "",
    ),
    (
        "error with matched",
        r#""error": "malformed-json","#,
        r#""error": "malformed-json", "matched": [],"#,
    ),
    (
        "error with missing_context",
        r#""error": "malformed-json","#,
        r#""error": "malformed-json", "missing_context": [],"#,
    ),
    (
        "decision with error_position",
        r#""decision": "allowed","#,
        r#""decision": "allowed", "error_position": { "line": 1, "column": 1 },"#,
    ),
    (
        "empty error kind",
        r#""error": "malformed-json""#,
        r#""error": """#,
    ),
    (
        "implicitDeny with matched statements",
        r#""decision": "implicitDeny", "matched": []"#,
        r#""decision": "implicitDeny", "matched": [ { "policy": "P", "statement": 0 } ]"#,
    ),
    (
        "per-resource expect with neither",
        r#""expect": { "decision": "implicitDeny", "matched": [] }"#,
        r#""expect": {}"#,
    ),
    (
        "statement index negative",
        r#""statement": 0"#,
        r#""statement": -1"#,
    ),
    (
        "statement index as string",
        r#""statement": 0"#,
        r#""statement": "0""#,
    ),
    ("matched without statement", r#", "statement": 0"#, ""),
    (
        "line 0",
        r#""error_position": { "line": 1"#,
        r#""error_position": { "line": 0"#,
    ),
    (
        "column 0",
        r#""start": { "line": 1, "column": 1 }"#,
        r#""start": { "line": 1, "column": 0 }"#,
    ),
    (
        "empty missing_context key",
        r#""missing_context": []"#,
        r#""missing_context": [""]"#,
    ),
    ("not an object", "{\n  \"$schema\"", "[{\n  \"$schema\""),
];

fn bad_document(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "test bug: `{from}` is not in VALID");
    let text = VALID.replacen(from, to, 1);
    if from.starts_with('{') {
        format!("{text}]")
    } else {
        text
    }
}

#[test]
fn the_valid_document_passes_both() {
    let validator = validator();
    assert_eq!(schema_errors(&validator, VALID), Vec::<String>::new());
    assert_eq!(loader_result(VALID), Ok(()));
}

#[test]
fn bad_documents_are_rejected_by_both() {
    let validator = validator();
    let mut problems = Vec::new();
    for (rule, from, to) in BAD {
        let text = bad_document(from, to);
        let by_schema = !schema_errors(&validator, &text).is_empty();
        let by_loader = loader_result(&text).is_err();
        if !by_schema || !by_loader {
            problems.push(format!(
                "{rule}: schema {}, loader {}",
                if by_schema { "rejects" } else { "ACCEPTS" },
                if by_loader { "rejects" } else { "ACCEPTS" },
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Variants that both must accept: optional members left out, every context type, string
/// documents, each provenance kind.
#[test]
fn good_variants_are_accepted_by_both() {
    let validator = validator();
    let mut texts: Vec<String> = vec![
        VALID.replacen(r#""$schema": "../../schema/case.schema.json","#, "", 1),
        VALID.replacen(
            r#""resource": null,"#,
            r#""resource": { "id": "R", "document": { "Statement": [] } },"#,
            1,
        ),
        VALID.replacen(
            r#""missing_context": []"#,
            r#""missing_context": ["aws:SourceIp"]"#,
            1,
        ),
        VALID.replacen(
            r#""decision": "allowed""#,
            r#""decision": "explicitDeny""#,
            1,
        ),
    ];
    // Each type with a value that reads as it (the loader checks values; the schema does not).
    for (t, value) in [
        ("string", "10.0.0.1"),
        ("numeric", "10"),
        ("boolean", "true"),
        ("ip", "10.0.0.1"),
        ("binary", "QUJD"),
        ("date", "2026-01-01T00:00:00Z"),
        ("stringList", "x"),
        ("numericList", "2.5"),
        ("booleanList", "false"),
        ("ipList", "2001:db8::1"),
        ("binaryList", "QQ=="),
        ("dateList", "1700000000"),
    ] {
        texts.push(VALID.replacen(
            r#""type": "ip", "values": ["10.0.0.1"]"#,
            &format!(r#""type": "{t}", "values": ["{value}"]"#),
            1,
        ));
    }
    for text in &texts {
        assert_eq!(
            schema_errors(&validator, text),
            Vec::<String>::new(),
            "{text}"
        );
        assert_eq!(loader_result(text), Ok(()), "{text}");
    }
    // A case with only the required members.
    let minimal = r#"{ "description": "d", "source": { "kind": "docs", "ref": "r" }, "features": [],
        "principal": { "arn": "" },
        "requests": [ { "name": "n", "action": "s3:GetObject", "resource": { "arn": "*" },
                        "expect": { "decision": "implicitDeny" } } ] }"#;
    assert_eq!(schema_errors(&validator, minimal), Vec::<String>::new());
    assert!(iamspec_format::load_case_str(minimal, Path::new("x.json"), "x.json").is_ok());
}
