//! Generated requests are decidable: every context value reads as its declared type (a value
//! that does not is bad input, rejected by every front end; issue 13). Near misses stay inside
//! the type (a number one off, a date a second apart), never outside it.

use iamspec_generators::{generate_cases, Settings};

#[test]
fn every_generated_context_value_reads_as_its_type() {
    for (name, settings) in [
        ("realistic", Settings::realistic()),
        ("well-formed", Settings::well_formed()),
        ("adversarial", Settings::adversarial()),
        ("identity-only", Settings::identity_only()),
    ] {
        for case in generate_cases(&settings, 13, 600) {
            for request in &case.requests {
                let entries = request
                    .context
                    .iter()
                    .chain(request.resources.iter().flat_map(|r| r.context.iter()));
                for entry in entries {
                    if let Err(e) = entry.check() {
                        panic!("{name} case {} request {}: {e}", case.index, request.name);
                    }
                }
            }
        }
    }
}
