//! Any bytes (read as UTF-8, lossily) given to `parse_policy` as every policy type: it must
//! return a policy or an error, never panic.
#![no_main]

use iamspec::policy::{parse_policy, PolicyType};
use libfuzzer_sys::fuzz_target;

const TYPES: [PolicyType; 6] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
    PolicyType::Scp,
    PolicyType::Rcp,
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let policy_type = TYPES[data.first().map_or(0, |b| *b as usize % TYPES.len())];
    let _ = parse_policy(&text, policy_type);
});
