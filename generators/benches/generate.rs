//! Generated-and-evaluated cases per second on one core: draw a case (world, policies,
//! requests) from a seeded stream and decide every request through the model.
//! Run: `cargo bench -p iamspec-generators --bench generate`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamspec_generators::case::{seeded_rng, GeneratedCase, Via};
use iamspec_generators::gen::Gen;
use iamspec_generators::Settings;

const BATCH: u64 = 1000;

fn generate_and_evaluate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.throughput(Throughput::Elements(BATCH));
    for (name, settings) in [
        ("well_formed", Settings::well_formed()),
        ("adversarial", Settings::adversarial()),
    ] {
        group.bench_function(format!("{name}/generate+evaluate x{BATCH}"), |b| {
            let mut rng = seeded_rng(1);
            b.iter(|| {
                let mut decided = 0usize;
                for _ in 0..BATCH {
                    let case = GeneratedCase::generate(&mut Gen::from_rng(&mut rng), &settings);
                    decided += case.outcome(Via::Model).decisions().len();
                }
                decided
            })
        });
        group.bench_function(format!("{name}/generate only x{BATCH}"), |b| {
            let mut rng = seeded_rng(2);
            b.iter(|| {
                (0..BATCH)
                    .map(|_| {
                        GeneratedCase::generate(&mut Gen::from_rng(&mut rng), &settings)
                            .requests
                            .len()
                    })
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = generate_and_evaluate
}
criterion_main!(benches);
