//! Generated-and-evaluated cases per CPU second, for a machine the benchmark shares with other
//! work: run under `time` and divide by the user time
//! (`cargo build --release -p iamspec-generators --example throughput &&
//! time target/release/examples/throughput 50000`).
use iamspec_generators::case::{seeded_rng, GeneratedCase, Via};
use iamspec_generators::gen::Gen;
use iamspec_generators::Settings;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let settings = Settings::well_formed();
    let mut rng = seeded_rng(1);
    let mut requests = 0usize;
    for _ in 0..count {
        let case = GeneratedCase::generate(&mut Gen::from_rng(&mut rng), &settings);
        requests += case.outcome(Via::Model).decisions().len();
    }
    println!("{count} cases, {requests} decided requests");
}
