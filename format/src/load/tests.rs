//! One test per rule of the case format, each with a bad file written inline.

use super::*;

/// A small valid case; tests break it one rule at a time.
const VALID: &str = r#"{
  "description": "a valid case",
  "source": { "kind": "seeds", "ref": "test" },
  "features": ["effect:allow"],
  "principal": { "arn": "arn:aws:iam::111122223333:user/alice" },
  "policies": {
    "identity": [ { "id": "P", "document": { "Version": "2012-10-17", "Statement": [] } } ],
    "resource": null
  },
  "requests": [
    {
      "name": "first",
      "action": "ec2:RunInstances",
      "resource": { "arn": "*" },
      "context": [ { "key": "aws:SourceIp", "type": "ip", "values": ["10.0.0.1"] } ],
      "expect": { "decision": "allowed", "matched": [ { "policy": "P", "statement": 0 } ] }
    }
  ]
}"#;

const PATH: &str = "corpus/seeds/ec2/case.json";

fn load(text: &str) -> Result<LoadedCase, LoadError> {
    load_case_str(text, Path::new(PATH), "seeds/ec2/case.json")
}

/// VALID with one piece of text replaced (which must be there).
fn with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "test bug: `{from}` not in VALID");
    VALID.replacen(from, to, 1)
}

/// Loads text that must be rejected; returns (line, column, message).
fn rejected(text: &str) -> (usize, usize, String) {
    match load(text) {
        Ok(_) => panic!("accepted a bad case:\n{text}"),
        Err(LoadError::Invalid {
            path,
            line,
            column,
            message,
        }) => {
            assert_eq!(path, Path::new(PATH));
            (line, column, message)
        }
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn assert_rejected(text: &str, needle: &str) -> (usize, usize) {
    let (line, column, message) = rejected(text);
    assert!(
        message.contains(needle),
        "message `{message}` does not mention `{needle}`"
    );
    (line, column)
}

#[test]
fn the_valid_case_loads() {
    let loaded = load(VALID).unwrap();
    assert_eq!(loaded.name, "seeds/ec2/case.json");
    assert_eq!(loaded.case.requests[0].name, "first");
}

#[test]
fn syntax_errors_name_line_and_column() {
    let (line, column, message) = rejected(&with(
        r#""features": ["effect:allow"],"#,
        r#""features": ["effect:allow"]"#,
    ));
    assert_eq!((line, column), (5, 3));
    assert!(message.contains("expected"), "{message}");
    assert!(!message.contains("at line"), "position repeated: {message}");
}

#[test]
fn error_display_names_file_line_and_column() {
    let err = load(&with("\"name\": \"first\"", "\"name\": 7")).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.starts_with("corpus/seeds/ec2/case.json:12:"),
        "{shown}"
    );
}

#[test]
fn unknown_fields_are_rejected_everywhere() {
    let (line, _) = assert_rejected(
        &with("\"name\": \"first\",", "\"name\": \"first\", \"nmae\": 1,"),
        "unknown field `nmae`",
    );
    assert_eq!(line, 12);
    assert_rejected(
        &with("\"ref\": \"test\"", "\"ref\": \"test\", \"link\": \"x\""),
        "unknown field `link`",
    );
    assert_rejected(
        &with(
            "\"statement\": 0",
            "\"statement\": 0, \"effect\": \"Allow\"",
        ),
        "unknown field `effect`",
    );
    assert_rejected(
        &with(
            "\"values\": [\"10.0.0.1\"]",
            "\"values\": [\"10.0.0.1\"], \"value\": \"x\"",
        ),
        "unknown field `value`",
    );
    assert_rejected(
        &with(
            "\"resource\": null",
            "\"resource\": null, \"boundary\": null",
        ),
        "unknown field `boundary`",
    );
}

#[test]
fn wrong_types_are_rejected() {
    assert_rejected(
        &with("\"statement\": 0", "\"statement\": \"0\""),
        "invalid type",
    );
    assert_rejected(
        &with("\"values\": [\"10.0.0.1\"]", "\"values\": [10]"),
        "invalid type",
    );
    assert_rejected(
        &with("\"kind\": \"seeds\"", "\"kind\": \"seed\""),
        "unknown variant `seed`",
    );
    assert_rejected(
        &with("\"features\": [\"effect:allow\"],", ""),
        "missing field `features`",
    );
}

#[test]
fn nulls_are_rejected_except_for_the_two_optional_policies() {
    let (line, column) = assert_rejected(
        &with(
            "\"resource\": { \"arn\": \"*\" },",
            "\"resource\": { \"arn\": \"*\", \"owner\": null },",
        ),
        "requests[0].resource.owner: null is not allowed",
    );
    assert_eq!((line, column), (14, 42));
    assert!(load(&with(
        "\"resource\": null",
        "\"permissions_boundary\": null"
    ))
    .is_ok());
    assert_rejected(
        &with(
            "\"matched\": [",
            "\"missing_context\": null, \"matched\": [",
        ),
        "null is not allowed",
    );
}

#[test]
fn a_request_has_exactly_one_of_resource_and_resources() {
    let (line, column) = assert_rejected(
        &with("\"resource\": { \"arn\": \"*\" },", ""),
        "requests[0]: a request has exactly one of `resource` and `resources`: neither",
    );
    assert_eq!((line, column), (11, 5));
    assert_rejected(
        &with(
            "\"resource\": { \"arn\": \"*\" },",
            "\"resource\": { \"arn\": \"*\" }, \"resources\": [ { \"arn\": \"*\" } ],",
        ),
        "not both",
    );
    assert!(load(&with("\"resource\": { \"arn\": \"*\" },", "\"resources\": [ { \"arn\": \"*\" }, { \"arn\": \"x\", \"expect\": { \"decision\": \"allowed\" } } ],")).is_ok());
}

#[test]
fn resources_is_not_empty() {
    let (line, column) = assert_rejected(
        &with("\"resource\": { \"arn\": \"*\" },", "\"resources\": [],"),
        "requests[0].resources: `resources` must list at least one resource",
    );
    assert_eq!((line, column), (14, 20));
}

#[test]
fn a_single_resource_has_no_expect_of_its_own() {
    assert_rejected(
        &with(
            "\"resource\": { \"arn\": \"*\" },",
            "\"resource\": { \"arn\": \"*\", \"expect\": { \"decision\": \"allowed\" } },",
        ),
        "requests[0].resource.expect",
    );
}

#[test]
fn expect_has_exactly_one_of_decision_and_error() {
    assert_rejected(
        &with(
            "\"decision\": \"allowed\", \"matched\": [ { \"policy\": \"P\", \"statement\": 0 } ]",
            "\"decision\": \"allowed\", \"error\": \"malformed-json\"",
        ),
        "not both",
    );
    assert_rejected(
        &with(
            "\"decision\": \"allowed\", \"matched\": [ { \"policy\": \"P\", \"statement\": 0 } ]",
            "",
        ),
        "neither",
    );
    assert!(load(&with(
        "\"decision\": \"allowed\", \"matched\": [ { \"policy\": \"P\", \"statement\": 0 } ]",
        "\"error\": \"malformed-json\", \"error_position\": { \"line\": 1, \"column\": 2 }"
    ))
    .is_ok());
    // ...also in a per-resource expectation.
    assert_rejected(
        &with(
            "\"resource\": { \"arn\": \"*\" },",
            "\"resources\": [ { \"arn\": \"*\", \"expect\": {} } ],",
        ),
        "requests[0].resources[0].expect: `expect` holds exactly one",
    );
}

#[test]
fn error_goes_without_matched_and_error_position_goes_with_error() {
    assert_rejected(
        &with(
            "\"decision\": \"allowed\",",
            "\"error\": \"malformed-json\",",
        ),
        "`matched` goes with a `decision`",
    );
    assert_rejected(
        &with(
            "\"decision\": \"allowed\",",
            "\"decision\": \"allowed\", \"error_position\": { \"line\": 1, \"column\": 1 },",
        ),
        "`error_position` goes with an `error`",
    );
}

#[test]
fn decision_is_one_of_the_three_names() {
    let (line, column) = assert_rejected(
        &with("\"decision\": \"allowed\"", "\"decision\": \"Allowed\""),
        "unknown decision `Allowed`",
    );
    assert_eq!((line, column), (16, 31));
    assert_rejected(
        &with("\"decision\": \"allowed\"", "\"decision\": \"deny\""),
        "unknown decision",
    );
}

#[test]
fn implicit_deny_matches_no_statement() {
    assert_rejected(
        &with(
            "\"decision\": \"allowed\"",
            "\"decision\": \"implicitDeny\"",
        ),
        "`matched` must be empty",
    );
    assert!(load(&with(
        "\"decision\": \"allowed\", \"matched\": [ { \"policy\": \"P\", \"statement\": 0 } ]",
        "\"decision\": \"implicitDeny\", \"matched\": []"
    ))
    .is_ok());
}

#[test]
fn matched_names_a_policy_of_the_case_and_positions_are_one_based() {
    assert_rejected(
        &with("\"policy\": \"P\"", "\"policy\": \"Q\""),
        "no policy of this case has the id `Q`",
    );
    assert_rejected(
        &with(
            "\"statement\": 0",
            "\"statement\": 0, \"start\": { \"line\": 0, \"column\": 1 }",
        ),
        "requests[0].expect.matched[0].start: lines and columns are 1-based",
    );
}

#[test]
fn context_type_is_one_of_the_twelve_names() {
    let (line, column) = assert_rejected(
        &with("\"type\": \"ip\"", "\"type\": \"IpAddress\""),
        "unknown context key type `IpAddress`",
    );
    assert_eq!((line, column), (15, 53));
    assert_rejected(
        &with("\"type\": \"ip\"", "\"type\": \"String\""),
        "unknown context key type",
    );
    assert!(load(&with("\"type\": \"ip\"", "\"type\": \"ipList\"")).is_ok());
}

#[test]
fn single_valued_types_carry_exactly_one_value() {
    assert_rejected(
        &with(
            "\"values\": [\"10.0.0.1\"]",
            "\"values\": [\"10.0.0.1\", \"10.0.0.2\"]",
        ),
        "exactly one value, not 2",
    );
    assert_rejected(
        &with("\"values\": [\"10.0.0.1\"]", "\"values\": []"),
        "exactly one value, not 0",
    );
    assert!(load(&with(
        "\"type\": \"ip\", \"values\": [\"10.0.0.1\"]",
        "\"type\": \"ipList\", \"values\": []"
    ))
    .is_ok());
    // ...also in a resource's own context.
    assert_rejected(
        &with("\"resource\": { \"arn\": \"*\" },", "\"resource\": { \"arn\": \"*\", \"context\": [ { \"key\": \"k\", \"type\": \"boolean\", \"values\": [] } ] },"),
        "requests[0].resource.context[0].values",
    );
}

#[test]
fn context_keys_are_unique_case_insensitively() {
    assert_rejected(
        &with("\"context\": [ {", "\"context\": [ { \"key\": \"AWS:SOURCEIP\", \"type\": \"ip\", \"values\": [\"1.2.3.4\"] }, {"),
        "context key `aws:SourceIp` is given twice",
    );
}

#[test]
fn request_names_are_unique_and_well_formed() {
    let (line, column) = assert_rejected(
        &with("\"name\": \"first\"", "\"name\": \"first request\""),
        "request name `first request`",
    );
    assert_eq!((line, column), (12, 15));
    assert_rejected(
        &with("\"name\": \"first\"", "\"name\": \"\""),
        "request name ``",
    );
    assert_rejected(
        &with("\"name\": \"first\"", "\"name\": \"a::b\""),
        "A-Z a-z 0-9",
    );
    let second = r#"{ "name": "first", "action": "s3:GetObject", "resource": { "arn": "*" }, "expect": { "decision": "implicitDeny" } }"#;
    let text = with("\n  ]\n}", &format!(",\n    {second}\n  ]\n}}"));
    let (line, column) = assert_rejected(
        &text,
        "requests[1].name: request name `first` is used twice",
    );
    assert_eq!((line, column), (18, 15));
}

#[test]
fn requests_is_not_empty() {
    let start = VALID.find("\"requests\"").unwrap();
    let text = format!("{}\"requests\": []\n}}", &VALID[..start]);
    let (line, column) = assert_rejected(&text, "requests: a case needs at least one request");
    assert_eq!((line, column), (10, 15));
}

#[test]
fn source_kind_matches_the_provenance_folder() {
    let text = with("\"kind\": \"seeds\"", "\"kind\": \"docs\"");
    let (line, column) = assert_rejected(&text, "`docs` does not match the folder `seeds/`");
    assert_eq!((line, column), (3, 23));
    // Outside a provenance folder, any kind goes.
    assert!(load_case_str(&text, Path::new("/tmp/case.json"), "case.json").is_ok());
    assert!(load_case_str(
        &text,
        Path::new("corpus/other/case.json"),
        "other/case.json"
    )
    .is_ok());
    // Without a `corpus` folder, the first folder of the name decides.
    assert!(load_case_str(&text, Path::new("/tmp/x/seeds/a.json"), "seeds/a.json").is_err());
    assert!(load_case_str(&text, Path::new("/tmp/x/docs/a.json"), "docs/a.json").is_ok());
}

#[test]
fn policy_ids_are_unique_and_documents_are_objects_or_strings() {
    assert_rejected(
        &with(
            "\"identity\": [ {",
            "\"identity\": [ { \"id\": \"P\", \"document\": \"{}\" }, {",
        ),
        "policy id `P` is used twice",
    );
    assert_rejected(
        &with(
            "\"document\": { \"Version\": \"2012-10-17\", \"Statement\": [] }",
            "\"document\": [1]",
        ),
        "policies.identity[0].document: a policy document is a JSON object or a JSON string",
    );
    assert!(load(&with(
        "\"document\": { \"Version\": \"2012-10-17\", \"Statement\": [] }",
        "\"document\": \"not json at all\""
    ))
    .is_ok());
    // A null inside a policy document is the document's business.
    assert!(load(&with("\"Statement\": []", "\"Statement\": null")).is_ok());
}

#[test]
fn features_are_unique_and_principal_type_is_known() {
    assert_rejected(
        &with("[\"effect:allow\"]", "[\"effect:allow\", \"effect:allow\"]"),
        "listed twice",
    );
    assert_rejected(
        &with("user/alice\" }", "user/alice\", \"type\": \"person\" }"),
        "unknown principal type `person`",
    );
    assert!(load(&with(
        "user/alice\" }",
        "user/alice\", \"type\": \"assumed-role\", \"account\": \"1\" }"
    ))
    .is_ok());
}

#[test]
fn empty_description_is_rejected() {
    assert_rejected(
        &with("\"a valid case\"", "\"  \""),
        "description: must not be empty",
    );
}

#[test]
fn several_violations_are_all_reported() {
    let text = with("\"decision\": \"allowed\"", "\"decision\": \"nope\"").replacen(
        "\"type\": \"ip\"",
        "\"type\": \"nope\"",
        1,
    );
    let (line, _, message) = rejected(&text);
    assert_eq!(line, 15, "the first violation in document order: {message}");
    assert!(message.contains("and 1 more"), "{message}");
    assert!(message.contains("unknown decision"), "{message}");
}

#[test]
fn load_dir_finds_sorted_cases_and_skips_vocabulary_files() {
    let dir = std::env::temp_dir().join(format!("iamspec-format-load-dir-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    write(
        "seeds/b/z.json",
        &VALID.replace("\"a valid case\"", "\"another valid case\""),
    );
    write("seeds/a.json", VALID);
    write("seeds/b/notes.txt", "not a case");
    write("docs/x.json", VALID); // wrong kind for its folder
    write("features.json", "{}");
    write("error-kinds.json", "{}");
    write("schema/case.schema.json", "{}");
    write(".hidden/x.json", "{");
    let results = load_dir(&dir);
    let names: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(c) => c.name.clone(),
            Err(e) => format!("ERR {}", e.path().strip_prefix(&dir).unwrap().display()),
        })
        .collect();
    assert_eq!(names, ["ERR docs/x.json", "seeds/a.json", "seeds/b/z.json"]);
    let missing = load_dir(&dir.join("nope"));
    assert!(matches!(missing.as_slice(), [Err(LoadError::Io { .. })]));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_case_file_names_the_case_after_the_corpus_folder() {
    let dir = std::env::temp_dir().join(format!("iamspec-format-file-{}", std::process::id()));
    let file = dir.join("corpus/seeds/ec2/case.json");
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(&file, VALID).unwrap();
    let loaded = load_case_file(&file).unwrap();
    assert_eq!(loaded.name, "seeds/ec2/case.json");
    assert_eq!(loaded.path, file);
    let err = load_case_file(&dir.join("missing.json")).unwrap_err();
    assert!(matches!(err, LoadError::Io { .. }));
    assert!(err.to_string().contains("missing.json: cannot read"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "null",
        "[]",
        "{",
        "\u{feff}{}",
        "{\"description\": 1e999}",
        "\"x\"",
        "{}",
    ] {
        assert!(load(text).is_err(), "accepted {text:?}");
    }
}

#[test]
fn truncated_and_mangled_files_never_panic() {
    let chars: Vec<(usize, char)> = VALID.char_indices().collect();
    for &(i, c) in &chars {
        let truncated = &VALID[..i];
        assert!(load(truncated).is_err());
        let mut without = VALID.to_string();
        without.remove(i);
        let _ = load(&without);
        let doubled = format!("{}{c}{}", &VALID[..i], &VALID[i..]);
        let _ = load(&doubled);
        for path in [
            JsonPath::root().key("requests").index(0).key("expect"),
            JsonPath::root().key("policies").key("identity").index(3),
        ] {
            let _ = locate(truncated, &path);
            let _ = locate(&without, &path);
        }
    }
}

#[test]
fn context_values_read_as_their_declared_type() {
    let text = with("\"values\": [\"10.0.0.1\"]", "\"values\": [\"999.1.1.1\"]");
    let (line, column) = assert_rejected(
        &text,
        "requests[0].context[0].values[0]: context key `aws:SourceIp` (`ip`): `999.1.1.1` is not an IP address",
    );
    let value_line = text.lines().nth(14).unwrap();
    assert_eq!(
        (line, column),
        (15, value_line.find("\"999").unwrap() + 1),
        "the position is the value's"
    );
    for (key_type, bad) in [
        ("numeric", "0x100"),
        ("numeric", "1,000"),
        ("numeric", " 1000"),
        ("boolean", "no"),
        ("boolean", "0"),
        ("date", "01/01/2024"),
        ("date", "2024-01-01 00:00:00"),
        ("ip", "192.168.1.1 "),
    ] {
        assert_rejected(
            &with(
                "\"type\": \"ip\", \"values\": [\"10.0.0.1\"]",
                &format!("\"type\": \"{key_type}\", \"values\": [\"{bad}\"]"),
            ),
            &format!("`{bad}` is not"),
        );
    }
    // In a list, the second value, and in a resource's own context.
    assert_rejected(
        &with(
            "\"type\": \"ip\", \"values\": [\"10.0.0.1\"]",
            "\"type\": \"dateList\", \"values\": [\"2024-01-01\", \"01/01/2024\"]",
        ),
        "requests[0].context[0].values[1]",
    );
    assert_rejected(
        &with("\"resource\": { \"arn\": \"*\" },", "\"resource\": { \"arn\": \"*\", \"context\": [ { \"key\": \"k\", \"type\": \"numericList\", \"values\": [\"1\", \"0x10\"] } ] },"),
        "requests[0].resource.context[0].values[1]",
    );
}

#[test]
fn unknown_feature_tags_and_error_kinds_are_load_errors() {
    let (line, column) = assert_rejected(
        &with(
            r#"["effect:allow"]"#,
            r#"["effect:allow", "operator:NoSuchThing"]"#,
        ),
        "features[1]: unknown feature tag `operator:NoSuchThing`",
    );
    assert_eq!((line, column), (4, 32));
    let text = with(
        r#""expect": { "decision": "allowed", "matched": [ { "policy": "P", "statement": 0 } ] }"#,
        r#""expect": { "error": "no-such-kind" }"#,
    );
    let (line, _) = assert_rejected(
        &text,
        "requests[0].expect.error: unknown error kind `no-such-kind`",
    );
    assert_eq!(line, 16);
    assert!(load(&with(
        r#""expect": { "decision": "allowed", "matched": [ { "policy": "P", "statement": 0 } ] }"#,
        r#""expect": { "error": "malformed-json" }"#,
    ))
    .is_ok());
}

/// A scratch folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("iamspec-format-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn names(&self) -> Vec<String> {
        load_dir(&self.0)
            .iter()
            .map(|r| match r {
                Ok(c) => c.name.clone(),
                Err(e) => format!("ERR {}", e.path().strip_prefix(&self.0).unwrap().display()),
            })
            .collect()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn repeated_descriptions_are_load_errors_naming_the_first_file() {
    let dir = Scratch::new("descriptions");
    dir.write("seeds/a.json", VALID);
    dir.write("seeds/b.json", VALID);
    let results = load_dir(&dir.0);
    assert!(results[0].is_ok());
    match &results[1] {
        Err(LoadError::Invalid {
            path,
            line,
            column,
            message,
        }) => {
            assert!(path.ends_with("seeds/b.json"));
            assert_eq!((*line, *column), (2, 18));
            assert!(
                message.contains("`a valid case` is already the description of seeds/a.json"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_once_and_loops_reported() {
    use std::os::unix::fs::symlink;
    let dir = Scratch::new("symlinks");
    dir.write("seeds/real/a.json", VALID);
    // A link to a sibling folder, a link to the file itself, and a folder linking to an ancestor.
    symlink(dir.0.join("seeds/real"), dir.0.join("seeds/alias")).unwrap();
    symlink(
        dir.0.join("seeds/real/a.json"),
        dir.0.join("seeds/link.json"),
    )
    .unwrap();
    symlink(dir.0.join("seeds"), dir.0.join("seeds/real/loop")).unwrap();
    symlink(&dir.0, dir.0.join("seeds/self")).unwrap();
    let names = dir.names();
    assert_eq!(
        names,
        [
            "ERR seeds/alias/loop",
            "ERR seeds/self",
            "seeds/real/a.json"
        ],
        "one case, found once under its own name; both loops reported"
    );
    let errors: Vec<String> = load_dir(&dir.0)
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect();
    assert!(
        errors
            .iter()
            .all(|e| e.contains("links back to") && e.contains("(a loop): not followed")),
        "{errors:?}"
    );
}

#[test]
fn empty_files_byte_order_marks_and_bad_utf8_are_reported_with_a_position() {
    let (line, column, message) = rejected("");
    assert_eq!((line, column), (1, 1));
    assert!(message.contains("the file is empty"), "{message}");
    let (line, column, _) = rejected("\n\n");
    assert_eq!((line, column), (1, 1));
    // A truncated file ends at the start of a line: still a 1-based column.
    let (line, column, _) = rejected("{\n");
    assert!(line >= 1 && column >= 1, "{line}:{column}");
    // A byte-order mark is skipped.
    assert!(load(&format!("\u{feff}{VALID}")).is_ok());
    let dir = Scratch::new("bytes");
    dir.write("seeds/bom.json", &format!("\u{feff}{VALID}"));
    let bad = dir.0.join("seeds/latin1.json");
    let mut bytes = VALID.replacen("a valid case", "caf\u{e9}", 1).into_bytes();
    let at = bytes.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
    bytes.splice(at..at + 2, [0xE9]);
    fs::write(&bad, bytes).unwrap();
    let results = load_dir(&dir.0);
    assert!(results[0].is_ok(), "{:?}", results[0]);
    match &results[1] {
        Err(LoadError::Invalid {
            line,
            column,
            message,
            ..
        }) => {
            assert_eq!((*line, *column), (2, 22));
            assert!(message.contains("byte 0xE9 is not UTF-8"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
#[test]
fn organizations_replace_scps_rcps_and_name_each_account_once() {
    let org = |accounts: &str, management: &str| {
        with(
            "\"resource\": null",
            &format!(
                "\"resource\": null, \"organizations\": [ {{ \"id\": \"o-a1b2c3d4e5\"{management}, \"accounts\": [{accounts}] }} ]"
            ),
        )
    };
    let member =
        "{ \"account\": \"111122223333\", \"scps\": [[ { \"id\": \"S\", \"document\": {} } ]] }";
    assert!(load(&org(member, "")).is_ok());
    assert!(load(&org(member, ", \"management_account\": \"111122223333\"")).is_ok());
    assert_rejected(
        &org(member, ", \"management_account\": \"999988887777\""),
        "must be one of this organization's `accounts`",
    );
    assert_rejected(
        &org(&format!("{member}, {member}"), ""),
        "account `111122223333` is listed twice",
    );
    assert_rejected(
        &org("{ \"account\": \"1234\" }", ""),
        "not a 12-digit account id",
    );
    assert_rejected(
        &org(
            "{ \"account\": \"111122223333\", \"scps\": [[ { \"id\": \"P\", \"document\": {} } ]] }",
            "",
        ),
        "policy id `P` is used twice",
    );
    let with_levels = org(member, "").replacen(
        "\"resource\": null",
        "\"resource\": null, \"rcps\": [[]]",
        1,
    );
    assert_rejected(&with_levels, "`policies.rcps` must be empty");
    let managed = org(member, "").replacen(
        "user/alice\" }",
        "user/alice\", \"management_account\": true }",
        1,
    );
    assert_rejected(&managed, "named by `organizations[].management_account`");
}

#[test]
fn inline_is_only_for_identity_policies_and_names_an_entity() {
    let inline = |entity: &str| {
        with(
            "{ \"id\": \"P\",",
            &format!("{{ \"id\": \"P\", \"inline\": \"{entity}\","),
        )
    };
    for entity in ["user", "role", "group", "group/Developers"] {
        assert!(load(&inline(entity)).is_ok(), "{entity}");
    }
    assert_rejected(&inline("policy"), "is not an entity");
    assert_rejected(&inline("group/"), "is not an entity");
    let on_vpce = with(
        "\"resource\": null",
        "\"resource\": null, \"vpc_endpoint\": { \"id\": \"E\", \"inline\": \"user\", \"document\": {} }",
    );
    assert_rejected(&on_vpce, "only identity-based policies");
    assert!(load(&with(
        "\"resource\": null",
        "\"resource\": null, \"vpc_endpoint\": { \"id\": \"E\", \"document\": {} }"
    ))
    .is_ok());
}

#[test]
fn request_names_account_ids_and_inline_entities() {
    assert!(is_valid_request_name("prod-tagged_ami.1"));
    assert!(!is_valid_request_name(""));
    assert!(!is_valid_request_name("has space"));
    assert!(!is_valid_request_name("a::b"));
    assert!(!is_valid_request_name("é"));
    assert!(is_account_id("111122223333"));
    assert!(!is_account_id("11112222333a"));
    assert!(is_inline_entity("group/Admins"));
    assert!(!is_inline_entity("group/"));
    assert!(!is_inline_entity("users"));
}

#[test]
fn the_callers_other_identities_fit_its_type() {
    let principal = |fields: &str| {
        with(
            r#""principal": { "arn": "arn:aws:iam::111122223333:user/alice" }"#,
            &format!(r#""principal": {{ {fields} }}"#),
        )
    };
    let carol = r#""arn": "arn:aws:sts::111122223333:federated-user/carol""#;
    assert!(load(&principal(&format!(
        r#"{carol}, "user": "arn:aws:iam::111122223333:user/broker""#
    )))
    .is_ok());
    assert_rejected(
        &principal(
            r#""arn": "arn:aws:iam::111122223333:user/alice", "user": "arn:aws:iam::111122223333:user/broker""#,
        ),
        "`user` names the IAM user behind a federated-user session",
    );
    assert_rejected(
        &principal(&format!(
            r#"{carol}, "user": "arn:aws:iam::111122223333:role/broker""#
        )),
        "is not an IAM user ARN",
    );
    assert!(load(&principal(
        r#""arn": "arn:aws:iam::111122223333:user/alice", "unique_id": "AIDACKCEVSQ6C2EXAMPLE""#
    ))
    .is_ok());
    assert_rejected(
        &principal(
            r#""arn": "arn:aws:iam::111122223333:user/alice", "unique_id": "AROADBQP57FF2AEXAMPLE""#,
        ),
        "is not the unique ID the caller (`user`) has: AIDA...",
    );
    assert_rejected(
        &principal(r#""arn": "ec2.amazonaws.com", "unique_id": "AIDACKCEVSQ6C2EXAMPLE""#),
        "has no IAM unique ID",
    );
    assert_rejected(
        &principal(r#""arn": "arn:aws:iam::111122223333:user/alice", "canonical_user": " ""#),
        "`canonical_user` is blank",
    );
}
