//! Making a case safe for the protocol's one-line messages.
//!
//! A policy `document` given as a JSON object is kept as its raw text, and generated (or
//! hand-written) documents are pretty-printed over several lines; serialised into a `run`
//! line, that text would break the line. The case format says an object document and a string
//! document holding the same text are the same policy (the text is what is evaluated, positions
//! included), so a multi-line object document is sent as a string with that exact text.
//!
//! This belongs in the protocol encoder (`Command::to_line`) for every user of the process
//! client; until it is there, `iamspec diff` applies it to what the other side sees.

use iamspec_format::{Case, CasePolicy};
use serde_json::value::RawValue;

/// `case` with every multi-line object document turned into a string document of the same
/// text. Documents that cannot be re-encoded are left as they are.
pub fn one_line_documents(case: &Case) -> Case {
    let mut case = case.clone();
    let p = &mut case.policies;
    let all = p
        .identity
        .iter_mut()
        .chain(p.resource.iter_mut())
        .chain(p.permissions_boundary.iter_mut())
        .chain(p.session.iter_mut())
        .chain(p.scps.iter_mut().flatten())
        .chain(p.rcps.iter_mut().flatten());
    for policy in all {
        as_string_document(policy);
    }
    case
}

fn as_string_document(policy: &mut CasePolicy) {
    let raw = policy.document.get();
    if raw.trim_start().starts_with('"') || !raw.contains(['\n', '\r']) {
        return;
    }
    if let Ok(quoted) = serde_json::to_string(raw) {
        if let Ok(document) = RawValue::from_string(quoted) {
            policy.document = document;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_documents_become_strings_of_the_same_text() {
        let case: Case = serde_json::from_str(
            r#"{"description":"d","source":{"kind":"seeds","ref":"r"},"features":[],
               "principal":{"arn":"arn:aws:iam::111122223333:user/a"},
               "policies":{"identity":[{"id":"P","document":{
                 "Version": "2012-10-17", "Statement": []
               }},{"id":"Q","document":{"Version":"2012-10-17","Statement":[]}}]},
               "requests":[{"name":"r","action":"s3:GetObject","resource":{"arn":"*"},"expect":{"decision":"implicitDeny"}}]}"#,
        )
        .unwrap();
        let before = case.policies.identity[0].text().unwrap();
        let safe = one_line_documents(&case);
        assert_eq!(safe.policies.identity[0].text().unwrap(), before);
        assert!(safe.policies.identity[0].document.get().starts_with('"'));
        assert!(safe.policies.identity[1].document.get().starts_with('{'));
        assert!(!serde_json::to_string(&safe).unwrap().contains('\n'));
    }
}
