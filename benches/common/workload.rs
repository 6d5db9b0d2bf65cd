//! The corpus workloads shared by `benches/evaluate.rs` and `examples/profile.rs`: requests with
//! pre-parsed policy sets, by group, and the seeds' policy texts.
//!
//! Cases are loaded with the corpus loader and turned into policy sets and requests with
//! [`iamspec::scenario`]'s builders; requests the evaluator cannot decide (a policy AWS would
//! reject, a bad context type) are left out and listed in [`Workload::left_out`].

use std::path::Path;

use iamspec::authorize::{authorize, PolicySet};
use iamspec::policy::PolicyType;
use iamspec::request::Request;
use iamspec::scenario::{build_policy_set, build_request_for};
use iamspec_format::load::load_dir;
use iamspec_format::{Case, CasePolicy};

/// Decidable requests with their policy sets, and policy texts with their types.
#[derive(Default)]
pub struct Workload {
    /// Every decidable request of the `seeds` cases.
    pub seeds: Vec<(PolicySet, Request)>,
    /// Every decidable request of cases with identity-based policies only.
    pub identity_only: Vec<(PolicySet, Request)>,
    /// Every decidable request of cases with other policy types too.
    pub all_policy_types: Vec<(PolicySet, Request)>,
    /// Every policy text of the seeds cases, with the type it is used as.
    pub seed_texts: Vec<(String, PolicyType)>,
    /// What was left out (an undecidable request, an unloadable file), with why.
    pub left_out: Vec<String>,
}

/// Loads the corpus and builds every workload (outside any timing loop).
pub fn workload() -> Workload {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut work = Workload::default();
    for loaded in load_dir(&corpus) {
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(error) => {
                work.left_out.push(error.to_string());
                continue;
            }
        };
        let is_seed = loaded.name.starts_with("seeds/");
        if loaded.is_triage() {
            continue;
        }
        if is_seed {
            work.seed_texts.extend(policy_texts(&loaded.case));
        }
        let set = match build_policy_set(&loaded.case) {
            Ok(set) => set,
            Err(why) => {
                work.left_out.push(format!("{}: {why}", loaded.name));
                continue;
            }
        };
        let identity_only = set.resource.is_none()
            && set.permissions_boundary.is_none()
            && set.session.is_empty()
            && set.scps.is_empty()
            && set.rcps.is_empty();
        for case_request in &loaded.case.requests {
            let name = format!("{}::{}", loaded.name, case_request.name);
            let request = match build_request_for(&loaded.case, case_request) {
                Ok(request) => request,
                Err(why) => {
                    work.left_out.push(format!("{name}: {why}"));
                    continue;
                }
            };
            if let Err(error) = authorize(&set, &request) {
                work.left_out.push(format!("{name}: {error}"));
                continue;
            }
            let pair = (set.clone(), request);
            if is_seed {
                work.seeds.push(pair.clone());
            }
            if identity_only {
                work.identity_only.push(pair);
            } else {
                work.all_policy_types.push(pair);
            }
        }
    }
    work
}

/// Every policy text of a case with the type it is used as.
fn policy_texts(case: &Case) -> Vec<(String, PolicyType)> {
    let p = &case.policies;
    let mut typed: Vec<(&CasePolicy, PolicyType)> = Vec::new();
    typed.extend(p.identity.iter().map(|x| (x, PolicyType::Identity)));
    typed.extend(p.resource.iter().map(|x| (x, PolicyType::Resource)));
    typed.extend(
        p.permissions_boundary
            .iter()
            .map(|x| (x, PolicyType::PermissionsBoundary)),
    );
    typed.extend(p.session.iter().map(|x| (x, PolicyType::Session)));
    typed.extend(p.scps.iter().flatten().map(|x| (x, PolicyType::Scp)));
    typed.extend(p.rcps.iter().flatten().map(|x| (x, PolicyType::Rcp)));
    typed
        .into_iter()
        .filter_map(|(policy, t)| policy.text().ok().map(|text| (text, t)))
        .collect()
}
