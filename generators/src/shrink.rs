//! Structural shrinking: every case one step simpler than a given one (a request, policy,
//! statement, condition, value, context key, resource or pattern removed, or one element put in
//! its plainest form), and a proptest `ValueTree` that first shrinks the byte string and then
//! walks these steps while the property still fails. The harness's shrinker can use
//! [`simplifications`] directly.
//!
//! This module never adds anything: each step removes one element or replaces one by its
//! plainest form — `NotAction` by `Action: "*"`, `NotResource` by `Resource: "*"`, an old or
//! absent `Version` by `2012-10-17`, a `Principal` naming someone or a `NotPrincipal` by
//! `Principal: "*"`, a root user, role session or federated user by an IAM user
//! of its account, a service principal or anonymous caller by an IAM user of the resources'
//! account ([`crate::plain_caller`]), a cross-account case by a same-account one, the caller
//! moved into the resources' account or the resources into the caller's
//! ([`crate::same_account`]), a statement of another policy type by the same statement in an
//! identity-based policy of its own, a statement that must stay but not apply by its idle form,
//! several identity-based policies by one, an operator, a `Null` condition's key, a value with
//! variables or a spelling by its plainest form, a session's policies by a user's own
//! ([`crate::plain_statement`]), a federated user with session policies by a role session —
//! so that a shrunk case keeps an unusual form
//! only when the property needs it (each replacement is taken once: the plain form is never
//! replaced again).

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

use crate::case::GeneratedCase;
use crate::policy::GenPolicySet;
use crate::settings::Settings;

fn reindex(policy: &mut iamspec::policy::Policy) {
    for (i, s) in policy.statements.iter_mut().enumerate() {
        s.index = i;
    }
}

/// Every case one step simpler than `case`, roughly the biggest removals first. A case that
/// breaks no realism rule ([`crate::realism`]) simplifies only to cases that break none: no
/// step turns it into something AWS could not receive (a role without its trust policy, a
/// request without a key every request carries, an RCP level without RCPFullAWSAccess), so a
/// shrunk realistic case still stands for an input AWS could answer.
pub fn simplifications(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let mut out = all_simplifications(case);
    if crate::realism::violations(case).is_empty() {
        out.retain(|c| crate::realism::violations(c).is_empty());
    }
    out
}

fn all_simplifications(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let mut out = Vec::new();
    out.extend(crate::plain_caller::with_plain_caller(case));
    out.extend(crate::plain_caller::with_user_for_policyless_caller(case));
    out.extend(crate::plain_caller::with_user_for_provider_user(case));
    out.extend(crate::plain_caller::with_role_session_for_federated_user(
        case,
    ));
    out.extend(crate::same_account::with_caller_moved(case));
    out.extend(crate::same_account::with_resources_moved(case));
    let mut with_policies = |f: &dyn Fn(&mut GenPolicySet)| {
        let mut c = case.clone();
        f(&mut c.policies);
        if c.policies != case.policies {
            out.push(c);
        }
    };
    with_policies(&|p| p.resource = None);
    with_policies(&|p| p.permissions_boundary = None);
    with_policies(&|p| p.session.clear());
    with_policies(&|p| p.scps.clear());
    with_policies(&|p| p.rcps.clear());
    with_policies(&|p| p.organizations.clear());
    with_policies(&|p| p.vpc_endpoint = None);
    // One organization level, or one policy of a level, at a time.
    for (levels, is_scp) in [(&case.policies.scps, true), (&case.policies.rcps, false)] {
        for level in 0..levels.len() {
            if levels.len() > 1 {
                let mut c = case.clone();
                let target = if is_scp {
                    &mut c.policies.scps
                } else {
                    &mut c.policies.rcps
                };
                target.remove(level);
                out.push(c);
            }
            for i in 0..levels[level].len() {
                if levels[level].len() > 1 {
                    let mut c = case.clone();
                    let target = if is_scp {
                        &mut c.policies.scps
                    } else {
                        &mut c.policies.rcps
                    };
                    target[level].remove(i);
                    out.push(c);
                }
            }
        }
    }
    // Every identity-based policy, the last one too (a caller may have none).
    for i in 0..case.policies.identity.len() {
        let mut c = case.clone();
        c.policies.identity.remove(i);
        out.push(c);
    }
    for i in 0..case.requests.len() {
        if case.requests.len() > 1 {
            let mut c = case.clone();
            c.requests.remove(i);
            out.push(c);
        }
    }
    // Inside policies: statements, conditions, values, patterns.
    let policy_count = case.policies.all().count();
    for pi in 0..policy_count {
        let Some(policy) = case.policies.all().nth(pi) else {
            continue;
        };
        // A key or trust policy in the form that delegates to IAM is already its plainest
        // form (`plain_statement::delegating_resource_policy`).
        if crate::plain_statement::is_delegating(policy) {
            continue;
        }
        let Some(model) = policy.model() else {
            continue;
        };
        let edit = |f: &dyn Fn(&mut iamspec::policy::Policy)| {
            let mut c = case.clone();
            if let Some(m) = c.policies.all_mut().nth(pi).and_then(|p| p.model_mut()) {
                f(m);
                reindex(m);
            }
            c
        };
        if model.version != Some(iamspec::policy::PolicyVersion::V2012_10_17) {
            out.push(edit(&|m| {
                m.version = Some(iamspec::policy::PolicyVersion::V2012_10_17);
            }));
        }
        for si in 0..model.statements.len() {
            if let iamspec::policy::ActionBlock::NotAction(_) = &model.statements[si].action {
                out.push(edit(&|m| {
                    m.statements[si].action =
                        iamspec::policy::ActionBlock::Action(vec!["*".into()]);
                }));
            }
            if let Some(iamspec::policy::ResourceBlock::NotResource(_)) =
                &model.statements[si].resource
            {
                out.push(edit(&|m| {
                    m.statements[si].resource =
                        Some(iamspec::policy::ResourceBlock::Resource(vec!["*".into()]));
                }));
            }
            // A `Principal` naming someone, or a `NotPrincipal`, in its plainest form:
            // `Principal: "*"` (kept only when the property does not need who the statement
            // names, so that the way a statement names the caller — its ARN, its account, all
            // but someone — stays in a shrunk case only when it matters).
            let wildcard = Some(iamspec::policy::PrincipalBlock::Principal(
                iamspec::policy::PrincipalSpec::Wildcard,
            ));
            if model.statements[si].principal.is_some()
                && model.statements[si].principal != wildcard
            {
                out.push(edit(&|m| {
                    m.statements[si].principal = Some(iamspec::policy::PrincipalBlock::Principal(
                        iamspec::policy::PrincipalSpec::Wildcard,
                    ));
                }));
            }
            if model.statements.len() > 1 {
                out.push(edit(&|m| {
                    m.statements.remove(si);
                }));
            }
            let s = &model.statements[si];
            for ci in 0..s.conditions.len() {
                out.push(edit(&|m| {
                    m.statements[si].conditions.remove(ci);
                }));
                for vi in 0..s.conditions[ci].values.len() {
                    if s.conditions[ci].values.len() > 1 {
                        out.push(edit(&|m| {
                            m.statements[si].conditions[ci].values.remove(vi);
                        }));
                    }
                }
            }
            let (iamspec::policy::ActionBlock::Action(actions)
            | iamspec::policy::ActionBlock::NotAction(actions)) = &s.action;
            for ai in 0..actions.len() {
                if actions.len() > 1 {
                    out.push(edit(&|m| {
                        let (iamspec::policy::ActionBlock::Action(a)
                        | iamspec::policy::ActionBlock::NotAction(a)) =
                            &mut m.statements[si].action;
                        a.remove(ai);
                    }));
                }
            }
            if let Some(
                iamspec::policy::ResourceBlock::Resource(resources)
                | iamspec::policy::ResourceBlock::NotResource(resources),
            ) = &s.resource
            {
                for ri in 0..resources.len() {
                    if resources.len() > 1 {
                        out.push(edit(&|m| {
                            if let Some(
                                iamspec::policy::ResourceBlock::Resource(r)
                                | iamspec::policy::ResourceBlock::NotResource(r),
                            ) = &mut m.statements[si].resource
                            {
                                r.remove(ri);
                            }
                        }));
                    }
                }
            }
        }
    }
    // A statement moved to the identity side, or an idle one in its plainest form.
    out.extend(crate::plain_statement::hoisted_statements(case));
    out.extend(crate::plain_statement::idled_statements(case));
    out.extend(crate::plain_statement::session_policies_as_identity(case));
    out.extend(crate::plain_statement::delegating_resource_policy(case));
    out.extend(crate::plain_statement::merged_identity_policies(case));
    out.extend(crate::plain_statement::plain_operators(case));
    out.extend(crate::plain_statement::plain_null_keys(case));
    out.extend(crate::plain_statement::plain_values(case));
    out.extend(crate::plain_statement::plain_spellings(case));
    // Inside requests: resources and context keys.
    for (ri, r) in case.requests.iter().enumerate() {
        if r.resources.len() > 1 {
            for x in 0..r.resources.len() {
                let mut c = case.clone();
                c.requests[ri].resources.remove(x);
                out.push(c);
            }
        }
        for k in 0..r.context.len() {
            let mut c = case.clone();
            c.requests[ri].context.remove(k);
            out.push(c);
        }
        for (x, res) in r.resources.iter().enumerate() {
            for k in 0..res.context.len() {
                let mut c = case.clone();
                c.requests[ri].resources[x].context.remove(k);
                out.push(c);
            }
        }
    }
    out
}

/// Cases under `settings` that shrink first by their byte string, then structurally.
pub fn shrinking_cases(settings: Settings) -> CaseStrategy {
    CaseStrategy { settings }
}

/// The strategy of [`shrinking_cases`].
#[derive(Debug, Clone)]
pub struct CaseStrategy {
    settings: Settings,
}

impl Strategy for CaseStrategy {
    type Tree = CaseTree;
    type Value = GeneratedCase;

    fn new_tree(&self, runner: &mut TestRunner) -> proptest::strategy::NewTree<Self> {
        let bytes = bytes().new_tree(runner)?;
        let current = GeneratedCase::from_bytes(&bytes.current(), &self.settings);
        Ok(CaseTree {
            settings: self.settings.clone(),
            bytes: Box::new(bytes),
            last_failing: current.clone(),
            current,
            structural: None,
            byte_steps_left: BYTE_PHASE_STEPS,
        })
    }
}

/// The value tree of [`CaseStrategy`].
pub struct CaseTree {
    settings: Settings,
    bytes: Box<dyn ValueTree<Value = Vec<u8>>>,
    current: GeneratedCase,
    last_failing: GeneratedCase,
    /// In the structural phase: the candidates of `last_failing` not tried yet.
    structural: Option<Vec<GeneratedCase>>,
    /// Byte-phase steps left before the structural phase starts anyway (proptest's default
    /// shrink budget is four steps per test case, which byte shrinking alone would use up).
    byte_steps_left: u32,
}

/// How many steps the byte phase may take.
pub const BYTE_PHASE_STEPS: u32 = 128;

impl std::fmt::Debug for CaseTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseTree")
            .field("current", &self.current)
            .finish()
    }
}

impl CaseTree {
    fn next_candidate(&mut self) -> bool {
        match self.structural.as_mut().and_then(|c| c.pop()) {
            Some(next) => {
                self.current = next;
                true
            }
            None => {
                self.current = self.last_failing.clone();
                false
            }
        }
    }

    fn enter_structural(&mut self) -> bool {
        let mut candidates = simplifications(&self.last_failing);
        // `pop` takes from the end: put the biggest removals last.
        candidates.reverse();
        self.structural = Some(candidates);
        self.next_candidate()
    }
}

impl ValueTree for CaseTree {
    type Value = GeneratedCase;

    fn current(&self) -> GeneratedCase {
        self.current.clone()
    }

    fn simplify(&mut self) -> bool {
        // Called only when `current` fails the property.
        self.last_failing = self.current.clone();
        if self.structural.is_none() && self.byte_steps_left > 0 {
            self.byte_steps_left -= 1;
            if self.bytes.simplify() {
                self.current = GeneratedCase::from_bytes(&self.bytes.current(), &self.settings);
                return true;
            }
        }
        self.enter_structural()
    }

    fn complicate(&mut self) -> bool {
        // `current` passed: try the next candidate from the last failing case.
        if self.structural.is_none() {
            self.byte_steps_left = self.byte_steps_left.saturating_sub(1);
            if self.byte_steps_left > 0 && self.bytes.complicate() {
                self.current = GeneratedCase::from_bytes(&self.bytes.current(), &self.settings);
                return true;
            }
            return self.enter_structural();
        }
        self.next_candidate()
    }
}

/// The largest byte string a strategy draws (enough for the adversarial preset's largest cases).
pub const MAX_BYTES: usize = 4096;

/// Byte strings for the generator, shrinking toward the empty string.
pub fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(proptest::arbitrary::any::<u8>(), 0..MAX_BYTES)
}
