//! The soak: the metamorphic properties (`properties/`) over millions of generated cases,
//! reference evaluator only, on every core. Ignored by `cargo test`; run it with
//!
//! ```sh
//! SOAK_CASES=10000000 SOAK_SEED=0 cargo test --release -p iamspec-generators --test soak -- --ignored --nocapture
//! ```
//!
//! Case `i` is `generate_case_at(well_formed, SOAK_SEED, i)` (default 100,000 cases from seed
//! 0), so a failure names a case anyone can draw again. The threads take cases in blocks, hold
//! nothing between cases (memory stays flat whatever the count), and the run stops at the first
//! failure, printing the case index, the property and what failed.

mod properties;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use iamspec_generators::case::generate_case_at;
use iamspec_generators::settings::Settings;
use proptest::test_runner::TestCaseError;

use properties::CASE_PROPERTIES;

/// Cases a thread takes at a time.
const BLOCK: usize = 256;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}=`{v}`: expected a whole number")),
        Err(_) => default,
    }
}

#[test]
#[ignore]
fn soak_the_metamorphic_properties() {
    let count = env_number("SOAK_CASES", 100_000) as usize;
    let seed = env_number("SOAK_SEED", 0);
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let settings = Settings::well_formed();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let checks = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let failure: Mutex<Option<(usize, &str, String)>> = Mutex::new(None);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let from = next.fetch_add(BLOCK, Ordering::Relaxed);
                    if from >= count {
                        break;
                    }
                    for i in from..(from + BLOCK).min(count) {
                        let case = generate_case_at(&settings, seed, i);
                        for (name, property) in CASE_PROPERTIES {
                            match property(&case) {
                                Ok(()) => {
                                    checks.fetch_add(1, Ordering::Relaxed);
                                }
                                Err(TestCaseError::Reject(_)) => {}
                                Err(TestCaseError::Fail(why)) => {
                                    stop.store(true, Ordering::Relaxed);
                                    let mut f = failure.lock().unwrap();
                                    if f.as_ref().is_none_or(|(j, _, _)| i < *j) {
                                        *f = Some((i, name, why.to_string()));
                                    }
                                }
                            }
                        }
                    }
                    let n = done.fetch_add(BLOCK, Ordering::Relaxed) + BLOCK;
                    if n % 100_000 < BLOCK {
                        eprintln!(
                            "soak: {} cases, {:.0} s",
                            n.min(count),
                            started.elapsed().as_secs_f64()
                        );
                    }
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    if let Some((i, name, why)) = failure.into_inner().unwrap() {
        panic!("soak: case {i} of seed {seed} (well-formed) fails `{name}`: {why}");
    }
    let checks = checks.into_inner();
    eprintln!(
        "soak: {count} cases of seed {seed}, {} properties, {checks} checks passed, {jobs} threads, {seconds:.1} s ({:.0} cases/s)",
        CASE_PROPERTIES.len(),
        count as f64 / seconds
    );
    assert!(
        checks >= count,
        "fewer checks ({checks}) than cases ({count})"
    );
}
