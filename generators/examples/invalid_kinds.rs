//! For each way `invalid` breaks a policy, what the parser answers
//! (`cargo run -p iamspec-generators --example invalid_kinds`).
use std::collections::BTreeMap;

use iamspec_generators::policy::Document;
use iamspec_generators::{generate_cases, render::policy_text, Settings};

fn main() {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for case in generate_cases(&Settings::adversarial(), 1, 3000) {
        for p in case.policies.all() {
            if let Document::Invalid { broken, .. } = &p.document {
                let answer = match iamspec::policy::parse_policy(&policy_text(p), p.policy_type) {
                    Ok(_) => "accepted".to_string(),
                    Err(e) => e.kind.name().to_string(),
                };
                *seen.entry((broken.clone(), answer)).or_default() += 1;
            }
        }
    }
    for ((broken, answer), n) in seen {
        println!("{broken:<34} {answer:<28} {n}");
    }
}
