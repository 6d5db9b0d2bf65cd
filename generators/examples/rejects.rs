//! Lists well-formed generated policies the parser rejects, with the parser's message
//! (`PRESET=realistic cargo run -p iamspec-generators --example rejects -- SEED COUNT`; the
//! preset defaults to well-formed).
use iamspec_generators::{generate_cases, render::policy_text, Settings};
fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let seed = args.first().copied().unwrap_or(99);
    let count = args.get(1).copied().unwrap_or(300) as usize;
    for case in generate_cases(
        &Settings::preset(&std::env::var("PRESET").unwrap_or_else(|_| "well-formed".into()))
            .unwrap_or_default(),
        seed,
        count,
    ) {
        for p in case.policies.all() {
            let text = policy_text(p);
            if let Err(e) = iamspec::policy::parse_policy(&text, p.policy_type) {
                println!(
                    "case {} {} ({:?}): {}: {}",
                    case.index,
                    p.id,
                    p.policy_type,
                    e.kind.name(),
                    e.message
                );
            }
        }
    }
}
