//! What a decision is and why: the simulator's vocabulary (`allowed`, `explicitDeny`,
//! `implicitDeny`), the statements that decided it, and the context keys the policies asked for
//! that the request lacked (the simulator's `MissingContextValues`).
//!
//! This module only describes decisions; [`crate::authorize`] makes them.

use std::collections::HashSet;

use crate::policy::PolicyType;

pub use iamspec_format::{Decision, MatchedStatement};

/// The decision of one policy type for one resource (the simulator's `EvalDecisionDetails`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PolicyTypeDecision {
    /// The policy type.
    pub policy_type: PolicyType,
    /// What policies of that type alone decide.
    pub decision: Decision,
}

/// The decision for one resource of a request, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResourceDecision {
    /// The resource ARN as the request gave it.
    pub resource: String,
    /// The decision for this resource.
    pub decision: Decision,
    /// The statements that decided: the matching `Deny` statements for `explicitDeny`, the
    /// matching `Allow` statements for `allowed`, none for `implicitDeny`.
    pub matched: Vec<MatchedStatement>,
    /// Context keys referenced by statements that apply to this action and resource but absent
    /// from the request, as written in the policies, without duplicates (case-insensitively).
    pub missing_context: Vec<String>,
    /// What each policy type present decided on its own.
    pub policy_types: Vec<PolicyTypeDecision>,
}

/// The answer to a request: the overall decision and one [`ResourceDecision`] per resource.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Response {
    /// `allowed` only if every resource is allowed; otherwise `explicitDeny` if any resource is
    /// explicitly denied, else `implicitDeny`.
    pub decision: Decision,
    /// The matched statements of the resources whose decision is the request's, without
    /// duplicates (none when the request is implicitly denied).
    pub matched: Vec<MatchedStatement>,
    /// The missing context keys of all resources, without duplicates.
    pub missing_context: Vec<String>,
    /// Per-resource decisions, in request order.
    pub resources: Vec<ResourceDecision>,
}

impl Response {
    /// Combines per-resource decisions into the answer for the whole request.
    pub fn from_resources(resources: Vec<ResourceDecision>) -> Response {
        let decision = if resources.iter().all(|r| r.decision == Decision::Allowed) {
            Decision::Allowed
        } else if resources
            .iter()
            .any(|r| r.decision == Decision::ExplicitDeny)
        {
            Decision::ExplicitDeny
        } else {
            Decision::ImplicitDeny
        };
        let mut matched: Vec<MatchedStatement> = Vec::new();
        // A statement is identified by its policy, policy type and index: hashing those keeps
        // de-duplication linear however many statements match (issue 13: `Vec::contains` made
        // 50,000 matching statements take over ten seconds). The set is built only when more
        // than [`KEY_SCAN_LIMIT`] statements are matched.
        let mut seen: HashSet<(&str, Option<PolicyType>, usize)> = HashSet::new();
        // The request's matched statements are those of the resources that share its decision:
        // for `implicitDeny` none, for `explicitDeny` the denying statements, for `allowed` all.
        let mut deciding = resources.iter().filter(|r| r.decision == decision);
        match (deciding.next(), deciding.next()) {
            (Some(only), None) if only.matched.len() <= 1 => matched.clone_from(&only.matched),
            (first, second) => {
                // A few statements are compared one by one; more are hashed.
                let total: usize = resources
                    .iter()
                    .filter(|r| r.decision == decision)
                    .map(|r| r.matched.len())
                    .sum();
                let few = total <= KEY_SCAN_LIMIT;
                matched.reserve_exact(total);
                for r in first.into_iter().chain(second).chain(deciding) {
                    for m in &r.matched {
                        let key = (m.policy.as_str(), m.policy_type, m.statement);
                        let new = if few {
                            !matched
                                .iter()
                                .any(|x| (x.policy.as_str(), x.policy_type, x.statement) == key)
                        } else {
                            seen.insert(key)
                        };
                        if new {
                            matched.push(m.clone());
                        }
                    }
                }
            }
        }
        let missing_context = match resources.as_slice() {
            [only] if only.missing_context.len() <= 1 => only.missing_context.clone(),
            _ => {
                let mut keys = KeyList::default();
                for r in &resources {
                    for k in &r.missing_context {
                        keys.push_once(k);
                    }
                }
                keys.into_vec()
            }
        };
        Response {
            decision,
            matched,
            missing_context,
            resources,
        }
    }
}

/// How many keys a [`KeyList`] compares one by one before it indexes them in a hash set: most
/// decisions miss a handful of keys at most, and a scan of a few costs less than one hash.
const KEY_SCAN_LIMIT: usize = 16;

/// Context keys in first-seen order without duplicates (ignoring ASCII case), in linear time:
/// a few keys are compared one by one, more are indexed (lower-cased) in a hash set.
#[derive(Debug, Clone, Default)]
pub struct KeyList {
    keys: Vec<String>,
    /// The lower-cased keys, filled once there are more than [`KEY_SCAN_LIMIT`].
    lowercase: HashSet<String>,
}

impl KeyList {
    /// Appends `key` unless an equal key (ignoring ASCII case) is already there.
    pub fn push_once(&mut self, key: &str) {
        if self.keys.len() < KEY_SCAN_LIMIT {
            push_key_once(&mut self.keys, key);
            return;
        }
        if self.lowercase.is_empty() {
            self.lowercase = self.keys.iter().map(|k| k.to_ascii_lowercase()).collect();
        }
        if self.lowercase.insert(key.to_ascii_lowercase()) {
            self.keys.push(key.to_string());
        }
    }

    /// The keys, in first-seen order.
    pub fn into_vec(self) -> Vec<String> {
        self.keys
    }
}

/// Appends `key` unless an equal key (ignoring ASCII case) is already there (a linear scan:
/// for short lists; use [`KeyList`] to collect many).
pub fn push_key_once(keys: &mut Vec<String>, key: &str) {
    if !keys.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        keys.push(key.to_string());
    }
}
