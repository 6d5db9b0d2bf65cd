//! Prints one generated case as a corpus file (`cargo run -p iamspec-generators --example peek -- SEED INDEX`).
use iamspec_generators::{generate_cases, serialise, Settings};
fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let seed = args.first().copied().unwrap_or(1);
    let index = args.get(1).copied().unwrap_or(0) as usize;
    let cases = generate_cases(&Settings::well_formed(), seed, index + 1);
    let case = &cases[index];
    for p in case.policies.all() {
        for s in &p.model().map(|m| m.statements.clone()).unwrap_or_default() {
            for c in &s.conditions {
                eprintln!("{} {} {:?}", c.operator_text, c.key, c.values);
            }
        }
    }
    match serialise::to_case(case) {
        Ok(c) => println!("{}", serialise::case_json(&c).unwrap_or_default()),
        Err(e) => eprintln!("{e}"),
    }
}
