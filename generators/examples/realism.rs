//! Lists every realism rule each generated case breaks, with what broke it
//! (`cargo run --release -p iamspec-generators --example realism -- PRESET SEED COUNT`).
use iamspec_generators::{generate_cases, realism, Settings};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let preset = args.first().map_or("realistic", |s| s.as_str());
    let seed = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let count = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1_000);
    let Some(settings) = Settings::preset(preset) else {
        eprintln!("unknown preset {preset}; known: {:?}", Settings::PRESETS);
        std::process::exit(2);
    };
    for case in generate_cases(&settings, seed, count) {
        for v in realism::violations(&case) {
            println!("case {}: {} — {}", case.index, v.rule.name(), v.detail);
        }
    }
}
