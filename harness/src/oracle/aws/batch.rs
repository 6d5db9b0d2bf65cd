//! Oracle-friendly cases: one API call decides every action × resource that shares a policy
//! set and a context, so a generated case is made to share them. Every single-resource request
//! takes the first request's context (resources keep their ARN and owner, not their own keys),
//! and the requests become every distinct action × every distinct resource (at most
//! [`MAX_REQUESTS`]): one call then answers them all. Multi-resource requests (RunInstances)
//! are kept as they are. The result is still an ordinary generated case — decided by the
//! reference and shrunk like any other.

use iamspec_generators::request::{GenRequest, GenResource};
use iamspec_generators::GeneratedCase;

/// The most requests an oracle-friendly case holds.
pub const MAX_REQUESTS: usize = 24;

/// `case` with its single-resource requests turned into actions × resources under one context.
pub fn batch_friendly(case: &GeneratedCase) -> GeneratedCase {
    let mut out = case.clone();
    let (single, multi): (Vec<&GenRequest>, Vec<&GenRequest>) =
        case.requests.iter().partition(|r| r.resources.len() == 1);
    let Some(first) = single.first() else {
        return out;
    };
    let mut actions: Vec<&str> = Vec::new();
    let mut resources = Vec::new();
    for r in &single {
        if !actions.contains(&r.action.as_str()) {
            actions.push(&r.action);
        }
        let mut res = r.resources[0].clone();
        res.context.clear();
        if !resources
            .iter()
            .any(|x: &GenResource| x.arn == res.arn && x.owner == res.owner)
        {
            resources.push(res);
        }
    }
    let mut requests: Vec<GenRequest> = Vec::new();
    'all: for action in &actions {
        for resource in &resources {
            if requests.len() >= MAX_REQUESTS {
                break 'all;
            }
            requests.push(GenRequest {
                name: format!("r{}", requests.len()),
                action: action.to_string(),
                resources: vec![resource.clone()],
                context: first.context.clone(),
                // A recombination, not a near-miss copy of one request.
                mutation: None,
                mutation_detail: None,
            });
        }
    }
    for m in multi {
        let mut m = m.clone();
        m.name = format!("r{}", requests.len());
        requests.push(m);
    }
    out.requests = requests;
    out
}
