//! A fixed amount of the `evaluate` benchmark's work, for instruction counts that do not depend
//! on the machine's load: `valgrind --tool=callgrind` counts instructions, not seconds.
//!
//! ```sh
//! cargo build --release --example profile
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*profile::measured*' \
//!     target/release/examples/profile seeds 20
//! callgrind_annotate callgrind.out.<pid> | head -40
//! ```
//!
//! The first argument is the workload (`seeds`, `identity-only`, `all-policy-types` for
//! `authorize`; `parse-seeds` for `parse_policy`), the second how many rounds over it. Only
//! `measured` is counted (`--toggle-collect`), so loading the corpus is not; the program prints
//! how many decisions or policies it ran, to divide the total by.

use std::hint::black_box;

use iamspec::authorize::{authorize, PolicySet};
use iamspec::policy::{parse_policy, PolicyType};
use iamspec::request::Request;

#[path = "../benches/common/mod.rs"]
mod common;

/// What one round runs.
enum Work<'a> {
    Decide(&'a [(PolicySet, Request)]),
    Parse(&'a [(String, PolicyType)]),
}

/// The counted part: `rounds` passes over the work; returns how many operations ran.
#[inline(never)]
fn measured(work: &Work<'_>, rounds: usize) -> usize {
    let mut done = 0;
    for _ in 0..rounds {
        match work {
            Work::Decide(decisions) => {
                for (set, request) in *decisions {
                    let _ = black_box(authorize(black_box(set), black_box(request)));
                    done += 1;
                }
            }
            Work::Parse(texts) => {
                for (text, policy_type) in *texts {
                    let _ = black_box(parse_policy(black_box(text), *policy_type));
                    done += 1;
                }
            }
        }
    }
    done
}

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "seeds".to_string());
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let load = common::workload::workload();
    let work = match name.as_str() {
        "seeds" => Work::Decide(&load.seeds),
        "identity-only" => Work::Decide(&load.identity_only),
        "all-policy-types" => Work::Decide(&load.all_policy_types),
        "parse-seeds" => Work::Parse(&load.seed_texts),
        other => {
            eprintln!(
                "unknown workload `{other}`: seeds, identity-only, all-policy-types or parse-seeds"
            );
            std::process::exit(2);
        }
    };
    let done = measured(&work, rounds);
    println!("{name}: {done} operations in {rounds} rounds");
}
