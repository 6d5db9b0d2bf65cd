//! Evaluation benchmark: decisions per second of the reference evaluator on corpus requests with
//! pre-parsed policies, and policies per second of the parser.
//!
//! Run with `cargo bench --bench evaluate`. Groups:
//! - `authorize/seeds`: every request of the `seeds` cases (the founding scenarios);
//! - `authorize/identity-only`: every corpus request whose case has identity-based policies only;
//! - `authorize/all-policy-types`: every corpus request whose case also has a resource-based
//!   policy, a permissions boundary, session policies, SCPs or RCPs;
//! - `parse_policy/seeds`: every policy text of the seeds cases;
//! - `explain/50k-matching-statements`: one request on two resources against one policy of
//!   50,000 matching Allow statements, each reporting its own missing key (de-duplicating the
//!   explanation must stay linear; `tests/explain_scale.rs` checks the result).
//!
//! Cases are loaded with the corpus loader and turned into policy sets and requests with
//! [`iamspec::scenario`]'s builders, outside the timing loop; throughput is in elements
//! (decisions or policies). Requests the evaluator cannot decide (a policy AWS would reject, a
//! bad context type) are left out and counted in a note.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamspec::authorize::{authorize, NamedPolicy, PolicySet};
use iamspec::policy::{parse_policy, PolicyType};
use iamspec::request::{Request, RequestResource};

mod common;
use common::workload::workload;

fn bench_decisions(c: &mut Criterion, name: &str, decisions: &[(PolicySet, Request)]) {
    if decisions.is_empty() {
        eprintln!("note: no decidable request for authorize/{name}; nothing measured");
        return;
    }
    let mut group = c.benchmark_group("authorize");
    group.throughput(Throughput::Elements(decisions.len() as u64));
    group.bench_function(name, |b| {
        b.iter(|| {
            for (set, request) in decisions {
                let _ = black_box(authorize(black_box(set), black_box(request)));
            }
        })
    });
    group.finish();
}

/// 50,000 Allow statements, statement `i` asking for the absent key `test:Key<i>`, and a
/// request on two resources that every statement matches.
fn big_explanation() -> Option<(PolicySet, Request)> {
    let one = parse_policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"StringEqualsIfExists":{"test:Key0":"x"}}}]}"#,
        PolicyType::Identity,
    )
    .ok()?;
    let template = one.statements.first()?.clone();
    let mut policy = one;
    policy.statements = (0..50_000)
        .map(|i| {
            let mut statement = template.clone();
            statement.index = i;
            if let Some(condition) = statement.conditions.first_mut() {
                condition.key = format!("test:Key{i}");
            }
            statement
        })
        .collect();
    let set = PolicySet {
        identity: vec![NamedPolicy {
            id: "Big".into(),
            policy,
        }],
        ..PolicySet::default()
    };
    let mut request = Request::new(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::bucket/a",
    );
    let second = RequestResource {
        arn: "arn:aws:s3:::bucket/b".into(),
        ..request.resources.first()?.clone()
    };
    request.resources.push(second);
    Some((set, request))
}

fn benches(c: &mut Criterion) {
    if let Some((set, request)) = big_explanation() {
        let mut group = c.benchmark_group("explain");
        group.sample_size(10);
        group.bench_function("50k-matching-statements", |b| {
            b.iter(|| black_box(authorize(black_box(&set), black_box(&request))))
        });
        group.finish();
    }
    let work = workload();
    if !work.left_out.is_empty() {
        eprintln!(
            "note: {} requests or files left out of the benchmark, e.g. {}",
            work.left_out.len(),
            work.left_out[0]
        );
    }
    bench_decisions(c, "seeds", &work.seeds);
    bench_decisions(c, "identity-only", &work.identity_only);
    bench_decisions(c, "all-policy-types", &work.all_policy_types);
    if work.seed_texts.is_empty() {
        eprintln!("note: no seeds policy text; parse_policy/seeds measures nothing");
        return;
    }
    let mut group = c.benchmark_group("parse_policy");
    group.throughput(Throughput::Elements(work.seed_texts.len() as u64));
    group.bench_function("seeds", |b| {
        b.iter(|| {
            for (text, policy_type) in &work.seed_texts {
                let _ = black_box(parse_policy(black_box(text), *policy_type));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = evaluate;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(evaluate);
