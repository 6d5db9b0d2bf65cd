//! Evaluation benchmark: how many decisions per second the reference evaluator makes on the
//! corpus `seeds` cases, and how many policies per second it parses.
//!
//! Run with `cargo bench --bench evaluate`. The cases are loaded with the corpus loader and the
//! policies parsed once, outside the timing loop; the `authorize` group then decides every
//! request of every seeds case per iteration (throughput in elements = decisions), and the
//! `parse_policy` group parses every policy text of those cases (elements = policies).
//! Requests the evaluator cannot decide yet (an unsupported policy type, a policy it rejects, a
//! bad context type) are left out and counted in a note. When the corpus has no usable seeds
//! case, the benchmark prints a note and measures nothing.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamspec::authorize::{authorize, NamedPolicy, PolicySet};
use iamspec::context::{ContextEntry, ContextKeyType, RequestContext};
use iamspec::policy::{parse_policy, PolicyType};
use iamspec::request::{Principal, PrincipalType, Request, RequestResource};
use iamspec_format::load::load_dir;
use iamspec_format::{Case, CasePolicy, CaseRequest, CaseResource, ContextItem};

/// The seeds cases of the bundled corpus, ready to decide and to parse.
struct Workload {
    /// Every decidable request with its policy set.
    decisions: Vec<(PolicySet, Request)>,
    /// Every policy text with the type it is used as.
    texts: Vec<(String, PolicyType)>,
    /// Requests (or files) left out, with why.
    left_out: Vec<String>,
}

fn workload() -> Workload {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seeds");
    let mut work = Workload {
        decisions: Vec::new(),
        texts: Vec::new(),
        left_out: Vec::new(),
    };
    for loaded in load_dir(&seeds) {
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(error) => {
                work.left_out.push(error.to_string());
                continue;
            }
        };
        work.texts.extend(policy_texts(&loaded.case));
        let set = match policy_set(&loaded.case) {
            Ok(set) => set,
            Err(why) => {
                work.left_out.push(format!("{}: {why}", loaded.name));
                continue;
            }
        };
        for case_request in &loaded.case.requests {
            let name = format!("{}::{}", loaded.name, case_request.name);
            match request(&loaded.case, case_request) {
                Ok(req) => match authorize(&set, &req) {
                    Ok(_) => work.decisions.push((set.clone(), req)),
                    Err(error) => work.left_out.push(format!("{name}: {error}")),
                },
                Err(why) => work.left_out.push(format!("{name}: {why}")),
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

fn named(policy: &CasePolicy, policy_type: PolicyType) -> Result<NamedPolicy, String> {
    let text = policy
        .text()
        .map_err(|e| format!("policy {}: {e}", policy.id))?;
    let parsed = parse_policy(&text, policy_type)
        .map_err(|e| format!("policy {} rejected: {e}", policy.id))?;
    Ok(NamedPolicy {
        id: policy.id.clone(),
        policy: parsed,
    })
}

fn named_all(policies: &[CasePolicy], t: PolicyType) -> Result<Vec<NamedPolicy>, String> {
    policies.iter().map(|p| named(p, t)).collect()
}

fn policy_set(case: &Case) -> Result<PolicySet, String> {
    let p = &case.policies;
    Ok(PolicySet {
        identity: named_all(&p.identity, PolicyType::Identity)?,
        resource: p
            .resource
            .as_ref()
            .map(|x| named(x, PolicyType::Resource))
            .transpose()?,
        permissions_boundary: p
            .permissions_boundary
            .as_ref()
            .map(|x| named(x, PolicyType::PermissionsBoundary))
            .transpose()?,
        session: named_all(&p.session, PolicyType::Session)?,
        scps: p
            .scps
            .iter()
            .map(|level| named_all(level, PolicyType::Scp))
            .collect::<Result<_, _>>()?,
        rcps: p
            .rcps
            .iter()
            .map(|level| named_all(level, PolicyType::Rcp))
            .collect::<Result<_, _>>()?,
    })
}

fn context(items: &[ContextItem]) -> Result<RequestContext, String> {
    items
        .iter()
        .map(|item| {
            let key_type = ContextKeyType::from_name(&item.key_type)
                .ok_or_else(|| format!("context type `{}` is unknown", item.key_type))?;
            Ok(ContextEntry {
                key: item.key.clone(),
                key_type,
                values: item.values.clone(),
            })
        })
        .collect()
}

fn resource(r: &CaseResource) -> Result<RequestResource, String> {
    Ok(RequestResource {
        arn: r.arn.clone(),
        owner: r.owner.clone(),
        context: context(&r.context)?,
    })
}

fn request(case: &Case, r: &CaseRequest) -> Result<Request, String> {
    if r.expect.error.is_some() {
        return Err("expects a rejected policy".to_string());
    }
    let mut principal = Principal::from_arn(&case.principal.arn);
    if let Some(account) = &case.principal.account {
        principal.account = Some(account.clone());
    }
    if let Some(name) = &case.principal.principal_type {
        principal.principal_type =
            serde_json::from_value::<PrincipalType>(serde_json::Value::String(name.clone()))
                .map_err(|_| format!("principal type `{name}` is unknown"))?;
    }
    let resources = match (&r.resource, &r.resources) {
        (Some(one), None) => vec![resource(one)?],
        (None, Some(many)) => many.iter().map(resource).collect::<Result<_, _>>()?,
        _ => return Err("needs exactly one of resource and resources".to_string()),
    };
    Ok(Request {
        principal,
        action: r.action.clone(),
        resources,
        context: context(&r.context)?,
    })
}

fn benches(c: &mut Criterion) {
    let work = workload();
    if !work.left_out.is_empty() {
        eprintln!(
            "note: {} seeds requests or files left out of the benchmark, e.g. {}",
            work.left_out.len(),
            work.left_out[0]
        );
    }
    if work.decisions.is_empty() {
        eprintln!(
            "note: no decidable seeds case in corpus/seeds: nothing to measure for authorize"
        );
    } else {
        let mut group = c.benchmark_group("authorize");
        group.throughput(Throughput::Elements(work.decisions.len() as u64));
        group.bench_function("seeds", |b| {
            b.iter(|| {
                for (set, req) in &work.decisions {
                    let _ = black_box(authorize(black_box(set), black_box(req)));
                }
            })
        });
        group.finish();
    }
    if work.texts.is_empty() {
        eprintln!("note: no policy text in corpus/seeds: nothing to measure for parse_policy");
    } else {
        let mut group = c.benchmark_group("parse_policy");
        group.throughput(Throughput::Elements(work.texts.len() as u64));
        group.bench_function("seeds", |b| {
            b.iter(|| {
                for (text, policy_type) in &work.texts {
                    let _ = black_box(parse_policy(black_box(text), *policy_type));
                }
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = evaluate;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(evaluate);
