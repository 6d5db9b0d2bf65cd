//! Oracle-friendly cases: one API call decides every action × resource that shares a policy set and
//! a context, so a generated case is reshaped to hold many of them under one context.
//!
//! The case keeps its caller, its policies (but a role session's session policies, which the
//! simulator cannot take: the session is then an ordinary one) and the context of its first request
//! drawn afresh (not a near miss); its single-resource requests become its own action × resource
//! pairs first, then every other pair of its world that a real request could make: each action of
//! the world's services on each world resource of a type the action touches (`*` for an action that
//! touches none), as the service data says. The rules of realistic cases still hold: with a
//! resource-based policy, only actions that policy governs on resources of its type; without one,
//! no action that only a trust policy can allow and no action on a KMS key. Resources keep their
//! ARN and owner, not their own context keys (one context per call). At most [`MAX_REQUESTS`]
//! requests; multi-resource requests (RunInstances) are kept as they are. The result is still an
//! ordinary generated case — decided by the reference and shrunk like any other; with the realistic
//! preset it breaks no rule of `iamspec_generators::realism` that the generated case did not.

use iamspec::request::PrincipalType;
use iamspec_generators::domains::{key_policy_governs, needs_trust_policy, policy_type_of};
use iamspec_generators::realism::{provider_in_another_account, world_type};
use iamspec_generators::request::{GenRequest, GenResource};
use iamspec_generators::vocabulary::Vocabulary;
use iamspec_generators::GeneratedCase;

/// The most requests an oracle-friendly case holds.
pub const MAX_REQUESTS: usize = 32;

/// `case` reshaped so that one call per scope decides many action × resource pairs (see the
/// module documentation).
pub fn batch_friendly(case: &GeneratedCase) -> GeneratedCase {
    let mut out = case.clone();
    // The simulator takes no session policy; a role session without one is an ordinary role
    // session (its role's permissions), so the case drops it rather than go unanswered. A
    // federated user's session policy is what gives it permissions: kept (and unsupported).
    if case.caller.kind == PrincipalType::AssumedRole {
        out.policies.session.clear();
    }
    let (single, multi): (Vec<&GenRequest>, Vec<&GenRequest>) =
        case.requests.iter().partition(|r| r.resources.len() == 1);
    // The shared context: a request drawn afresh carries every key its caller always has.
    let Some(first) = single.iter().find(|r| r.mutation.is_none()) else {
        return out;
    };
    let mut pairs: Vec<(String, GenResource)> = Vec::new();
    let mut push = |action: &str, resource: &GenResource| {
        let mut resource = resource.clone();
        resource.context.clear();
        if !pairs
            .iter()
            .any(|(a, r)| a == action && r.arn == resource.arn && r.owner == resource.owner)
        {
            pairs.push((action.to_string(), resource));
        }
    };
    for r in &single {
        push(&r.action, &r.resources[0]);
    }
    let with_policy = case.policies.resource.is_some();
    for (action, resource) in world_pairs(case) {
        if allowed_pair(case, with_policy, &action, &resource) {
            push(&action, &resource);
        }
    }
    let mut requests: Vec<GenRequest> = pairs
        .into_iter()
        .take(MAX_REQUESTS.saturating_sub(multi.len()).max(1))
        .enumerate()
        .map(|(i, (action, resource))| GenRequest {
            name: format!("r{i}"),
            action,
            resources: vec![resource],
            context: first.context.clone(),
            // A recombination, not a near-miss copy of one request.
            mutation: None,
            mutation_detail: None,
        })
        .collect();
    for m in multi {
        let mut m = m.clone();
        m.name = format!("r{}", requests.len());
        requests.push(m);
    }
    out.requests = requests;
    out
}

/// Every action of the world's services on every world resource of a type it touches (`*` for
/// an action that touches no resource type), in the world's order.
fn world_pairs(case: &GeneratedCase) -> Vec<(String, GenResource)> {
    let v = Vocabulary::get();
    let mut out = Vec::new();
    for &index in &case.world.actions {
        let Some((name, _, _)) = v.actions.get(index) else {
            continue;
        };
        let (service, _) = v.action(index);
        let targets = v.targets(index);
        if targets.is_empty() {
            out.push((
                name.clone(),
                GenResource {
                    arn: "*".into(),
                    owner: None,
                    context: Vec::new(),
                },
            ));
            continue;
        }
        for t in targets {
            for r in case
                .world
                .resources_of(&service.prefix, &t.resource_type.name)
            {
                out.push((
                    name.clone(),
                    GenResource {
                        arn: r.arn.clone(),
                        owner: Some(r.owner.clone()),
                        context: Vec::new(),
                    },
                ));
            }
        }
    }
    out
}

/// True when a realistic request could make `action` on `resource` in this case: with a
/// resource-based policy, the resource's type takes one and it governs the action; without,
/// the action is not one only a policy AWS always attaches can govern (a trust policy, a KMS
/// key policy).
fn allowed_pair(
    case: &GeneratedCase,
    with_policy: bool,
    action: &str,
    resource: &GenResource,
) -> bool {
    // A web identity or SAML provider's user makes one call, on roles of its provider's
    // account (`realism::Rule::ProviderInAnotherAccount`).
    if let Some(only) = iamspec_generators::world::federated_action(case.caller.kind) {
        let caller = &case.caller;
        if action != only
            || provider_in_another_account(caller.kind, &caller.account, &resource.arn)
        {
            return false;
        }
    }
    if !with_policy {
        // Without one, neither what only a role's trust policy allows nor an action on a KMS
        // key (every key has its key policy).
        return !needs_trust_policy(action)
            && !world_type(&case.world, &resource.arn)
                .is_some_and(|(service, kind)| key_policy_governs(action, service, kind));
    }
    world_type(&case.world, &resource.arn)
        .and_then(|(service, kind)| policy_type_of(service, kind))
        .is_some_and(|rp| rp.actions.is_empty() || rp.actions.iter().any(|a| a == action))
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamspec_generators::realism::violations;
    use iamspec_generators::{generate_case_at, Settings};

    #[test]
    fn reshaped_realistic_cases_break_no_new_rule_and_hold_many_pairs() {
        for settings in [Settings::realistic(), Settings::realistic().oracle_batch()] {
            reshaped(&settings);
        }
    }

    fn reshaped(settings: &Settings) {
        let v = Vocabulary::get();
        let (mut before, mut after) = (0, 0);
        for index in 0..300 {
            let case = generate_case_at(settings, 5, index);
            let friendly = batch_friendly(&case);
            let old: Vec<_> = violations(&case).into_iter().map(|x| x.rule).collect();
            for new in violations(&friendly) {
                assert!(
                    old.contains(&new.rule),
                    "case {index}: the reshaped case breaks {} ({})",
                    new.rule.name(),
                    new.detail
                );
            }
            assert!(friendly.requests.len() <= MAX_REQUESTS.max(case.requests.len()));
            // Every single-resource request is an action on a resource of a type it touches.
            for r in friendly.requests.iter().filter(|r| r.resources.len() == 1) {
                let index = v.actions.iter().position(|(n, _, _)| n == &r.action);
                let Some(index) = index else { continue };
                let arn = &r.resources[0].arn;
                let touched = match world_type(&friendly.world, arn) {
                    Some((s, t)) => {
                        v.action(index).0.prefix == s
                            && v.targets(index).iter().any(|x| x.resource_type.name == t)
                    }
                    None => arn == "*" || v.targets(index).is_empty(),
                };
                // The case's own requests are kept as drawn; the added ones always touch.
                let own = case
                    .requests
                    .iter()
                    .any(|o| o.action == r.action && o.resources.iter().any(|x| &x.arn == arn));
                assert!(touched || own, "case {index}: {} on {arn}", r.action);
                assert_eq!(r.context, friendly.requests[0].context);
            }
            // The case's own single-resource pairs are all kept (up to the cap).
            if friendly.requests.len() < MAX_REQUESTS {
                for o in case.requests.iter().filter(|o| o.resources.len() == 1) {
                    assert!(friendly
                        .requests
                        .iter()
                        .any(|r| r.action == o.action && r.resources[0].arn == o.resources[0].arn));
                }
            }
            before += case.requests.len();
            after += friendly.requests.len();
        }
        // Measured, not asserted to a figure: the reshaped cases hold several times the pairs.
        assert!(after >= 3 * before, "{before} -> {after} requests");
    }

    #[test]
    fn oracle_batch_worlds_hold_more_pairs() {
        let plain = Settings::realistic();
        let (mut small, mut large) = (0, 0);
        for index in 0..200 {
            small += world_pairs(&generate_case_at(&plain, 9, index)).len();
            large += world_pairs(&generate_case_at(&plain.clone().oracle_batch(), 9, index)).len();
        }
        assert!(large >= 2 * small, "{small} -> {large} pairs");
    }
}
