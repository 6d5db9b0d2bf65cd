//! Coverage statistics of a preset (`cargo run --release -p iamspec-generators --example stats
//! -- PRESET SEED COUNT [text]`): what `iamspec gen --stats` prints.
use iamspec_generators::{coverage_stats, generate_cases, Settings, Via};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let preset = args.first().map_or("well-formed", |s| s.as_str());
    let seed = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let count = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let via = if args.get(3).map(|s| s.as_str()) == Some("text") {
        Via::Text
    } else {
        Via::Model
    };
    let Some(settings) = Settings::preset(preset) else {
        eprintln!("unknown preset {preset}; known: {:?}", Settings::PRESETS);
        std::process::exit(2);
    };
    let cases = generate_cases(&settings, seed, count);
    println!("preset {preset}, seed {seed}, via {via:?}");
    print!("{}", coverage_stats(&cases, via));
}
