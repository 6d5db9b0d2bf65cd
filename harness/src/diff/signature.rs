//! What a disagreement is "about": the [`Finding`] a shrink step must keep, and the
//! [`signature`] that deduplicates shrunk cases by their cause.
//!
//! A finding is the differing aspect, both answers' classes and the action's service — the part
//! of a disagreement that survives shrinking. A signature is meant to name one *cause*: two
//! shrunk cases with the same signature are taken to be the same difference, and only the first
//! is written. It is computed from the aspect, how the answers differ (for two full decisions
//! only whether the other side misses a match the reference makes or adds one, see
//! [`matching_direction`]; otherwise both classes) and the shrunk case's [`cause`]
//! tags — what the minimal case still needs, read from its feature tags and its request:
//! policy types, the caller's kind where AWS treats it apart (root, service, anonymous),
//! organization rules, condition operators and modifiers, set operators, variables, validation,
//! cross-account, `NotAction`/`NotResource`, multi-resource requests,
//! the 2008 and absent policy versions, and the resource-based policy kinds that must allow
//! explicitly (a role's trust policy for `sts:` actions, a KMS key policy for `kms:` actions).
//!
//! Shrinking makes the shrunk case the *minimal shape* of its cause, so that these tags are
//! what the difference needs: it keeps a candidate when the finding holds the same way even if
//! the decisions move ([`Finding::same_as`]), and, when the difference does not need them, it
//! replaces a root user, role session or federated user by an IAM user of its account and a
//! service principal or anonymous caller by an IAM user of the resources' account
//! (`iamspec_generators::plain_caller`), moves a cross-account caller into its resources'
//! account (`iamspec_generators::same_account`), turns a `Principal`/`NotPrincipal` into
//! `Principal: "*"`, moves a statement of another policy type into an identity-based policy,
//! puts a statement that must stay but not apply in its idle form, merges identity-based
//! policies, makes a session's policies a user's own, and tries the plainest operator, value
//! and spelling (`iamspec_generators::plain_statement`). Against a side that answers only
//! allowed or denied, the reference's exact decision gives the direction, a denial is known to
//! be implicit when no policy of the case has a `Deny` statement, and otherwise the side is
//! asked once more without the `Deny` statements (`Sides`). A negation turned into its
//! positive form (`NotResource` → `Resource`...) and a `Null` test moved from an absent key to a
//! present one are kept when the finding holds the other way with both sides' decisions turned
//! around ([`Finding::flipped`]), and a KMS key policy or role trust policy in the form that
//! delegates to IAM (AWS's default key policy) counts as no resource-based policy; when neither
//! side allows, such a policy's rule that it must allow explicitly is not a cause (a missed
//! `Deny` in a key policy is a resource-based policy's `Deny`). A request for an operation
//! that needs no permission (`sts:GetCallerIdentity`, a user's `sts:GetSessionToken`) that the
//! other side denies has one signature whatever the case holds: `no-permission`,
//! `other-denies` (the reference decides it without reading a policy). What shrinking cannot
//! change still splits one cause: a role's trust policy or a KMS key's policy that the
//! difference needs in another form, a request that needs resources of two accounts stays
//! cross-account, a web identity or SAML provider's user is not moved, and one bug that shows
//! as a missed match on some inputs and as an added one on others, other than through a
//! negation or a `Null` test, has a signature for each.
//!
//! Left out, because they named the same cause many times over: the action's service (a root
//! user without policies differs from a peer the same way on every service, so the service
//! made one cause nineteen signatures in a measured run; the services where the reference's
//! rules do differ are in the cause tags above: RCP coverage as `org:unsupported-service`, trust
//! and key policies as `explicit-allow:`), the caller's place in the organization (management
//! account, service-linked role) when no SCP or RCP is left, the kind of an ordinary signed-in
//! caller (IAM user, role session: the evaluation logic is the same, and what differs between
//! them, session policies and principal names, has tags of its own; a federated user is a
//! cause of its own), an ARN without an account (an S3 bucket's: in a measured run it split
//! the root user's implicit permissions and a peer's cross-account rule by service, and named
//! no cause of its own), and tags that shrinking cannot remove and that rarely decide a
//! difference — the expectation's shape (`explain:`, `decision:`, `effect:`), the spelling of
//! patterns (`action:exact`, `resource:wildcard`...), `grammar:` forms and `key:` names.
//!
//! The signature is the file name of the triage case, so it is readable and file-name safe:
//! `<cause words>-<aspect>-<other-misses|other-adds|other-denies|reference class-vs-other
//! class>-<8 hex digits>`, the cause words naming up to three of the cause tags (`root`, `rcp-cross-account`...).

use sha2::{Digest, Sha256};

use iamspec::policy::{parse_policy, PolicyType};
use iamspec::resource_policy::ResourcePolicyKind;
use iamspec_format::{Case, CasePolicy};
use iamspec_generators::plain_statement::delegation;

use crate::diff::disagreement::{Aspect, Difference, RequestComparison};

/// The part of a disagreement that must hold while shrinking.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// The differing aspect, the reference's class and the other side's class.
    pub difference: Difference,
    /// The action's service prefix (`s3`, `ec2`...), lower-cased.
    pub service: String,
}

impl Finding {
    /// The finding of a difference on a request with `action`. A rejection is about a policy
    /// document whatever the action: its service is `policy`.
    pub fn new(difference: Difference, action: &str) -> Finding {
        let service = if difference.aspect == Aspect::Rejection {
            "policy".to_string()
        } else {
            service_of(action)
        };
        Finding {
            difference,
            service,
        }
    }

    /// True when `other` shows this finding's difference the same way: the same service and
    /// aspect, and the same answer classes (a class-only side's `denied` also shown as the
    /// implicit or explicit denial it was found to be) — or, for two full decisions, the same
    /// [`matching_direction`] (the other side misses a match the reference makes, or adds one)
    /// whatever the two decisions are. The detail text is not compared.
    ///
    /// The decision pair is left out for the reason it is left out of signatures: one cause
    /// shows as either pair depending on what else the case holds (a missed `Deny` is
    /// `explicitDeny` vs `allowed` next to an `Allow`, `explicitDeny` vs `implicitDeny`
    /// without one), so a shrink that kept the pair kept the incidental `Allow` and the
    /// policy type it sits in, and one cause ended in several signatures.
    pub fn same_as(&self, other: &Finding) -> bool {
        let (a, b) = (&self.difference, &other.difference);
        self.service == other.service
            && a.aspect == b.aspect
            && match (matching_direction(a), matching_direction(b)) {
                (Some(x), Some(y)) => x == y,
                _ => {
                    a.reference == b.reference
                        && (class_covers(&a.other, &b.other) || class_covers(&b.other, &a.other))
                }
            }
    }

    /// The finding shown the other way — for a decision difference with a
    /// [`matching_direction`], the opposite direction — as a candidate that turns a negation
    /// into its positive form shows it (`iamspec_generators::plain_statement::positive_forms`:
    /// a pattern the other side does not expand misses a match in `Resource` and adds one in
    /// `NotResource`). `None` for other differences.
    pub fn flipped(&self) -> Option<Finding> {
        let d = &self.difference;
        let (reference, other) = match matching_direction(d)? {
            OTHER_MISSES => ("implicitDeny", "allowed"),
            _ => ("allowed", "implicitDeny"),
        };
        Some(Finding {
            difference: Difference {
                reference: reference.to_string(),
                other: other.to_string(),
                ..d.clone()
            },
            service: self.service.clone(),
        })
    }

    /// True when a reference answer of class `class` on a request of the finding's service
    /// could be the reference's side of a finding [`Finding::same_as`] this one: the same
    /// class, or for a decision difference with a direction, any decision that direction
    /// allows (`allowed` or `explicitDeny` for `other-misses`, `implicitDeny` or `allowed`
    /// for `other-adds`).
    pub fn reference_could_be(&self, class: &str) -> bool {
        let d = &self.difference;
        match matching_direction(d) {
            Some(OTHER_MISSES) => matches!(class, "allowed" | "explicitDeny"),
            Some(_) => matches!(class, "implicitDeny" | "allowed"),
            None => d.reference == class,
        }
    }

    /// The findings of a compared case: one per disagreeing request, with its index.
    pub fn of_case(comparisons: &[RequestComparison], actions: &[&str]) -> Vec<(usize, Finding)> {
        comparisons
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                RequestComparison::Disagree(d) => Some((
                    i,
                    Finding::new(d.clone(), actions.get(i).copied().unwrap_or("")),
                )),
                _ => None,
            })
            .collect()
    }
}

/// True when the other side's answer `shown` is `wanted` or one of its kinds: a class-only
/// side's `denied` covers the `implicitDeny` it is known to mean on a case without a `Deny`
/// statement ([`crate::diff::disagreement::infer_implicit_denials`]), so a shrink that removes
/// the last, unrelated `Deny` keeps the finding.
fn class_covers(wanted: &str, shown: &str) -> bool {
    wanted == shown || (wanted == "denied" && matches!(shown, "implicitDeny" | "explicitDeny"))
}

/// The service prefix of an action, lower-cased and file-name safe (`unknown` when there is
/// none).
pub fn service_of(action: &str) -> String {
    let service: String = action
        .split(':')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if service.is_empty() || !action.contains(':') {
        "unknown".to_string()
    } else {
        service
    }
}

/// Tag families that name a mechanism (every tag of the family counts, but see
/// [`ORDINARY_CALLERS`]).
const MECHANISM_FAMILIES: &[&str] = &[
    "policy:",
    "principal:",
    "org:",
    "condition:",
    "operator:",
    "modifier:",
    "set:",
    "variable:",
    "validation:",
];

/// Single tags that name a mechanism.
const MECHANISM_TAGS: &[&str] = &[
    "account:cross",
    "action:NotAction",
    "resource:NotResource",
    "resource:multi-resource",
    "grammar:version-2008",
    "grammar:version-absent",
];

/// The caller kinds that are evaluated alike (IAM users and role sessions, web-identity and SAML
/// sessions included): not a cause. A federated user (`GetFederationToken`) is not among them:
/// its session has no permissions without a session policy.
const ORDINARY_CALLERS: &[&str] = &[
    "principal:user",
    "principal:assumed-role",
    "principal:web-identity",
    "principal:saml",
];

/// True when a feature tag takes part in signatures.
pub fn is_mechanism(tag: &str) -> bool {
    !ORDINARY_CALLERS.contains(&tag)
        && (MECHANISM_TAGS.contains(&tag) || MECHANISM_FAMILIES.iter().any(|f| tag.starts_with(f)))
}

/// The cause tags of a finding on a shrunk case: its mechanism tags (for a rejection, only the
/// validation tags and the rejected policy's type — every policy type of the case when the
/// rejecting side does not say which policy it rejects —, since the request and the other
/// documents around a rejected document do not matter), plus `explicit-allow:<kind>` when a request's resource has a resource-based policy
/// kind that must allow explicitly for its action (trust policy, KMS key policy). Sorted, no
/// duplicates.
pub fn cause(finding: &Finding, case: &Case) -> Vec<String> {
    let rejection = finding.difference.aspect == Aspect::Rejection;
    // The type of the rejected policy, when the rejecting side names it.
    let rejected_type = finding
        .difference
        .rejected_policy
        .as_deref()
        .filter(|_| rejection)
        .and_then(|id| policy_type_tag(case, id));
    let mut tags: Vec<String> = case
        .features
        .iter()
        .filter(|t| {
            if rejection {
                t.starts_with("validation:")
                    || (rejected_type.is_none() && t.starts_with("policy:"))
            } else {
                is_mechanism(t)
            }
        })
        .cloned()
        .chain(rejected_type.map(str::to_string))
        .collect();
    // A key or trust policy that only hands the decision to the identity-based policies (AWS's
    // default key policy: the account allowed everything, see
    // `iamspec_generators::plain_statement::delegating_resource_policy`) decides as if the
    // service took no resource-based policy: none of its tags is a cause.
    let delegating = !rejection && delegates_to_iam(case);
    if delegating {
        tags.retain(|t| !DELEGATING_POLICY_TAGS.contains(&t.as_str()));
    }
    if !rejection && !delegating {
        for r in &case.requests {
            let arns = r
                .resource
                .iter()
                .chain(r.resources.iter().flatten())
                .map(|x| x.arn.as_str());
            for arn in arns {
                let kind = ResourcePolicyKind::infer(arn);
                if kind.requires_explicit_allow(&r.action) {
                    tags.push(format!("explicit-allow:{}", kind.name()));
                }
            }
        }
    }
    // A key or trust policy differs from other resource-based policies only in that it must
    // allow explicitly, which decides between `allowed` and `implicitDeny`: when a side denies
    // explicitly, that rule is not the difference, and a `Deny` in such a policy is a
    // resource-based policy's `Deny` like any other.
    let d = &finding.difference;
    let explicit_deny = d.reference == "explicitDeny" || d.other == "explicitDeny";
    if !rejection && explicit_deny {
        tags.retain(|t| {
            !EXPLICIT_ALLOW_POLICY_TAGS.contains(&t.as_str()) && !t.starts_with("explicit-allow:")
        });
    }
    // Who the caller is in the organization matters only where organization policies apply
    // (SCPs and RCPs skip the management account and service-linked roles).
    let org_policies = tags.iter().any(|t| t == "policy:scp" || t == "policy:rcp");
    tags.retain(|t| org_policies || !ORG_CALLER_TAGS.contains(&t.as_str()));
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// The feature tag of the type of the policy with id `id` in `case` (`policy:scp`...), `None`
/// when no policy of the case has that id.
fn policy_type_tag(case: &Case, id: &str) -> Option<&'static str> {
    let p = &case.policies;
    let org_levels = |scps: bool| {
        p.organizations
            .iter()
            .flat_map(|o| o.accounts.iter())
            .flat_map(move |a| if scps { &a.scps } else { &a.rcps })
            .flatten()
    };
    let has = |mut list: Box<dyn Iterator<Item = &CasePolicy> + '_>| list.any(|x| x.id == id);
    let types: [(&'static str, Box<dyn Iterator<Item = &CasePolicy> + '_>); 7] = [
        ("policy:identity", Box::new(p.identity.iter())),
        ("policy:resource-based", Box::new(p.resource.iter())),
        (
            "policy:permissions-boundary",
            Box::new(p.permissions_boundary.iter()),
        ),
        ("policy:session", Box::new(p.session.iter())),
        (
            "policy:scp",
            Box::new(p.scps.iter().flatten().chain(org_levels(true))),
        ),
        (
            "policy:rcp",
            Box::new(p.rcps.iter().flatten().chain(org_levels(false))),
        ),
        ("policy:vpc-endpoint", Box::new(p.vpc_endpoint.iter())),
    ];
    types
        .into_iter()
        .find_map(|(tag, list)| has(list).then_some(tag))
}

/// The tags a delegating key or trust policy gives a case (naming the account names the root
/// user directly when it is the caller).
const DELEGATING_POLICY_TAGS: &[&str] = &[
    "policy:resource-based",
    "policy:kms-key",
    "policy:role-trust",
    "principal:named-account",
    "principal:named-directly",
];

/// The tags of the resource-based policy kinds that must allow explicitly (a KMS key policy, a
/// role's trust policy), beyond the `explicit-allow:<kind>` tags.
const EXPLICIT_ALLOW_POLICY_TAGS: &[&str] = &["policy:kms-key", "policy:role-trust"];

/// True when the case's resource-based policy is a KMS key policy or role trust policy in the
/// form that delegates to IAM (`iamspec_generators::plain_statement::delegation`, read from the
/// parsed policy) for the account of the resource of a `kms:` or `sts:` request that such a
/// policy decides, and for that request's service.
fn delegates_to_iam(case: &Case) -> bool {
    let Some(text) = case.policies.resource.as_ref().and_then(|p| p.text().ok()) else {
        return false;
    };
    let Ok(policy) = parse_policy(&text, PolicyType::Resource) else {
        return false;
    };
    let Some((named, delegated)) = delegation(&policy) else {
        return false;
    };
    case.requests.iter().any(|r| {
        let arns = r.resource.iter().chain(r.resources.iter().flatten());
        arns.map(|x| x.arn.as_str()).any(|arn| {
            let kind = ResourcePolicyKind::infer(arn);
            let service = match kind {
                ResourcePolicyKind::KmsKey => "kms",
                ResourcePolicyKind::RoleTrust => "sts",
                _ => return false,
            };
            kind.requires_explicit_allow(&r.action)
                && iamspec::matching::arn::split_value(arn)
                    .is_some_and(|[_, _, _, _, account, _]| named == account)
                && delegated == service
        })
    })
}

/// Tags about the caller's place in the organization.
const ORG_CALLER_TAGS: &[&str] = &["org:service-linked-role", "org:management-account"];

/// Short words for the cause tags that best say what a case is about, most telling first.
const CAUSE_WORDS: &[(&str, &str)] = &[
    (NO_PERMISSION_TAG, "no-permission"),
    ("principal:root", "root"),
    ("principal:service", "service"),
    ("principal:anonymous", "anonymous"),
    ("principal:federated-user", "federated-user"),
    ("explicit-allow:role-trust", "trust"),
    ("explicit-allow:kms-key", "kms-key"),
    ("org:unsupported-service", "rcp-scope"),
    ("policy:rcp", "rcp"),
    ("policy:scp", "scp"),
    ("policy:permissions-boundary", "boundary"),
    ("policy:session", "session"),
    ("policy:resource-based", "resource-policy"),
    ("account:cross", "cross-account"),
    ("validation:error", "invalid"),
    ("policy:identity", "identity"),
];

/// The signature of a finding on a shrunk case (see the module documentation).
pub fn signature(finding: &Finding, case: &Case) -> String {
    let d = &finding.difference;
    let (tags, answers) = if needs_no_permission(finding, case) {
        // The reference decides such a request without reading a policy: whatever the case
        // holds and however the other side denies (a `Deny` it applies, an `Allow` it wants),
        // the cause is that it does not know the operation needs no permission.
        (
            vec![NO_PERMISSION_TAG.to_string()],
            OTHER_DENIES.to_string(),
        )
    } else {
        let answers = match matching_direction(d) {
            Some(direction) => direction.to_string(),
            None => format!("{}-vs-{}", d.reference, d.other),
        };
        (cause(finding, case), answers)
    };
    let key = format!("{}\n{answers}\n{}", d.aspect.name(), tags.join("\n"));
    let digest = Sha256::digest(key.as_bytes());
    let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let words: Vec<&str> = if d.aspect == Aspect::Rejection {
        vec!["policy"]
    } else {
        let mut w: Vec<&str> = CAUSE_WORDS
            .iter()
            .filter(|(tag, _)| tags.iter().any(|t| t == tag))
            .map(|(_, word)| *word)
            .take(3)
            .collect();
        if w.is_empty() {
            w.push("no-policy");
        }
        w
    };
    format!("{}-{}-{answers}-{short}", words.join("-"), d.aspect.name())
}

/// The feature tag of an operation that needs no permission.
const NO_PERMISSION_TAG: &str = "action:no-permission-required";
/// The direction of a decision difference on an operation that needs no permission: the
/// reference allows it whatever the policies say, the other side denies it.
const OTHER_DENIES: &str = "other-denies";

/// True for a decision difference where the reference allows a request of the finding's
/// service that needs no permission for the case's caller (`data/no-permission-actions.json`,
/// `iamspec::service_data::needs_no_permission`: `sts:GetCallerIdentity`, a user's
/// `sts:GetSessionToken`...).
fn needs_no_permission(finding: &Finding, case: &Case) -> bool {
    let d = &finding.difference;
    let caller = case.principal.principal_type.as_deref().unwrap_or("");
    d.aspect == Aspect::Decision
        && d.reference == "allowed"
        && case.requests.iter().any(|r| {
            service_of(&r.action) == finding.service
                && iamspec::service_data::needs_no_permission(&r.action, caller)
        })
}

/// For a decision difference between two full decisions: `other-misses` when the other side
/// misses a match the reference makes (allowed → implicitDeny, explicitDeny → implicitDeny or
/// allowed), `other-adds` when it makes one the reference does not (implicitDeny → allowed or
/// explicitDeny, allowed → explicitDeny). One cause — an operator the other side evaluates
/// differently, a wildcard it does not expand — shows as either decision pair depending on the
/// effect of the statement it touches, so the pair itself is not part of the cause. Against a
/// side that answers only a class the reference's exact decision still tells the direction
/// (`explicitDeny` vs `allowed`: it misses the `Deny`; `implicitDeny` vs `allowed`: it adds a
/// match). `None` for other aspects and for `allowed` vs `denied` (a class-only denial could be
/// a missed `Allow` or an added `Deny`).
pub fn matching_direction(d: &Difference) -> Option<&'static str> {
    if d.aspect != Aspect::Decision {
        return None;
    }
    match (d.reference.as_str(), d.other.as_str()) {
        ("allowed", "implicitDeny") | ("explicitDeny", "implicitDeny" | "allowed") => {
            Some(OTHER_MISSES)
        }
        ("implicitDeny", "allowed" | "explicitDeny") | ("allowed", "explicitDeny") => {
            Some(OTHER_ADDS)
        }
        _ => None,
    }
}

/// The direction of a decision difference where the other side misses a match the reference
/// makes.
const OTHER_MISSES: &str = "other-misses";
/// The direction of a decision difference where the other side makes a match the reference
/// does not.
const OTHER_ADDS: &str = "other-adds";

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(action: &str, other: &str) -> Finding {
        Finding::new(
            Difference {
                aspect: Aspect::Decision,
                reference: "allowed".into(),
                other: other.into(),
                detail: "x".into(),
                rejected_policy: None,
            },
            action,
        )
    }

    /// A one-request case with these feature tags, caller type, action and resource.
    fn case(features: &[&str], caller: &str, action: &str, arn: &str) -> Case {
        serde_json::from_value(serde_json::json!({
            "description": "x",
            "source": {"kind": "triage", "ref": "x"},
            "features": features,
            "principal": {"arn": "arn:aws:iam::111122223333:root", "type": caller},
            "requests": [{"name": "r0", "action": action, "resource": {"arn": arn},
                          "expect": {"decision": "allowed"}}]
        }))
        .expect("a valid case")
    }

    #[test]
    fn a_missed_deny_in_a_key_policy_is_a_resource_policy_deny_like_any_other() {
        let missed_deny = |action: &str, tags: &[&str], arn: &str| {
            let c = case(tags, "user", action, arn);
            let mut f = finding(action, "implicitDeny");
            f.difference.reference = "explicitDeny".into();
            signature(&f, &c)
        };
        let not_principal = [
            "policy:resource-based",
            "principal:NotPrincipal",
            "principal:named-account",
        ];
        let key = [&not_principal[..], &["policy:kms-key"]].concat();
        let arn = "arn:aws:kms:us-east-1:111122223333:key/k";
        let in_key_policy = missed_deny("kms:Decrypt", &key, arn);
        let in_queue_policy = missed_deny(
            "sqs:SendMessage",
            &not_principal,
            "arn:aws:sqs:us-east-1:111122223333:q",
        );
        assert_eq!(in_key_policy, in_queue_policy);
        // Also next to an `Allow` the other side applies (explicitDeny vs allowed): a side
        // denies explicitly, so the must-allow rule is not the difference.
        let missed_deny_next_to_allow = |action: &str, tags: &[&str], arn: &str| {
            let c = case(tags, "user", action, arn);
            let mut f = finding(action, "allowed");
            f.difference.reference = "explicitDeny".into();
            signature(&f, &c)
        };
        assert_eq!(
            missed_deny_next_to_allow("kms:Decrypt", &key, arn),
            missed_deny_next_to_allow(
                "sqs:SendMessage",
                &not_principal,
                "arn:aws:sqs:us-east-1:111122223333:q"
            )
        );
        // Where a side allows, the key policy's rule (it must allow explicitly) may be the
        // difference: it stays a cause.
        let c = case(&key, "user", "kms:Decrypt", arn);
        let allowed_by_other = signature(&finding("kms:Decrypt", "implicitDeny"), &c);
        assert!(
            allowed_by_other.starts_with("kms-key-"),
            "{allowed_by_other}"
        );
    }

    #[test]
    fn an_operation_that_needs_no_permission_denied_is_one_signature_whatever_the_policies() {
        let token = |tags: &[&str], other: &str| {
            let c = case(tags, "user", "sts:GetSessionToken", "*");
            signature(&finding("sts:GetSessionToken", other), &c)
        };
        // A `Deny` the other side applies (told apart: explicitDeny) and an `Allow` it wants
        // (no policy: implicitDeny) are one cause.
        let applied_deny = token(&["policy:identity", "effect:deny"], "explicitDeny");
        let wanted_allow = token(&[], "implicitDeny");
        assert_eq!(applied_deny, wanted_allow);
        assert!(
            applied_deny.starts_with("no-permission-decision-other-denies-"),
            "{applied_deny}"
        );
        let caller_identity = {
            let c = case(&["policy:identity"], "user", "sts:GetCallerIdentity", "*");
            signature(&finding("sts:GetCallerIdentity", "implicitDeny"), &c)
        };
        assert_eq!(applied_deny, caller_identity);
        // Not for a caller the operation needs permission from (a role session's
        // GetSessionToken), nor for another operation with the same policies.
        let session = case(
            &["policy:identity"],
            "assumed-role",
            "sts:GetSessionToken",
            "*",
        );
        assert_ne!(
            signature(&finding("sts:GetSessionToken", "implicitDeny"), &session),
            wanted_allow
        );
        let other = case(&["policy:identity"], "user", "sqs:SendMessage", "*");
        assert_ne!(
            signature(&finding("sqs:SendMessage", "explicitDeny"), &other),
            applied_deny
        );
    }

    #[test]
    fn one_cause_on_any_service_or_ordinary_caller_is_one_signature() {
        let root = |action: &str, arn: &str| {
            let c = case(&["principal:root", "account:same"], "root", action, arn);
            signature(&finding(action, "implicitDeny"), &c)
        };
        let s3 = root("s3:GetObject", "arn:aws:s3:::b/k");
        assert_eq!(s3, root("ec2:StartInstances", "arn:aws:ec2:r:1:instance/i"));
        assert!(s3.starts_with("root-decision-other-misses-"), "{s3}");
        let cross = |caller: &str| {
            let tags = [
                "policy:identity",
                "account:cross",
                &format!("principal:{caller}"),
            ];
            let c = case(&tags, caller, "sqs:SendMessage", "arn:aws:sqs:r:2:q");
            signature(&finding("sqs:SendMessage", "implicitDeny"), &c)
        };
        assert_eq!(cross("user"), cross("assumed-role"));
        assert!(cross("user").starts_with("cross-account-identity-decision-"));
        assert_ne!(
            cross("user"),
            cross("root"),
            "the root user is a cause of its own"
        );
        assert_ne!(
            cross("user"),
            cross("federated-user"),
            "a federated user is a cause of its own"
        );
    }

    #[test]
    fn a_missed_match_is_one_cause_whatever_the_statement_s_effect() {
        let c = case(
            &["policy:identity", "operator:NotIpAddress"],
            "user",
            "s3:GetObject",
            "arn:aws:s3:::b",
        );
        let pair = |reference: &str, other: &str| {
            let f = Finding::new(
                Difference {
                    aspect: Aspect::Decision,
                    reference: reference.into(),
                    other: other.into(),
                    detail: "x".into(),
                    rejected_policy: None,
                },
                "s3:GetObject",
            );
            signature(&f, &c)
        };
        let missed_allow = pair("allowed", "implicitDeny");
        assert_eq!(missed_allow, pair("explicitDeny", "implicitDeny"));
        assert_eq!(missed_allow, pair("explicitDeny", "allowed"));
        assert!(
            missed_allow.contains("-decision-other-misses-"),
            "{missed_allow}"
        );
        let added_deny = pair("allowed", "explicitDeny");
        assert_ne!(missed_allow, added_deny);
        assert_eq!(added_deny, pair("implicitDeny", "allowed"));
        assert!(
            pair("allowed", "denied").contains("-decision-allowed-vs-denied-"),
            "classes are kept when a side answers only a class"
        );
    }

    #[test]
    fn a_finding_holds_the_same_way_when_its_decisions_move_in_the_same_direction() {
        let f = |reference: &str, other: &str, action: &str| {
            Finding::new(
                Difference {
                    aspect: Aspect::Decision,
                    reference: reference.into(),
                    other: other.into(),
                    detail: "x".into(),
                    rejected_policy: None,
                },
                action,
            )
        };
        let missed_deny = f("explicitDeny", "allowed", "s3:GetObject");
        assert!(missed_deny.same_as(&f("explicitDeny", "implicitDeny", "s3:PutObject")));
        assert!(missed_deny.same_as(&f("allowed", "implicitDeny", "s3:GetObject")));
        assert!(!missed_deny.same_as(&f("implicitDeny", "allowed", "s3:GetObject")));
        assert!(!missed_deny.same_as(&f("allowed", "explicitDeny", "s3:GetObject")));
        assert!(
            !missed_deny.same_as(&f("explicitDeny", "implicitDeny", "ec2:RunInstances")),
            "another service's request is another finding"
        );
        assert!(missed_deny.reference_could_be("allowed"));
        assert!(missed_deny.reference_could_be("explicitDeny"));
        assert!(!missed_deny.reference_could_be("implicitDeny"));
        let added = f("implicitDeny", "explicitDeny", "s3:GetObject");
        assert!(added.reference_could_be("allowed") && added.reference_could_be("implicitDeny"));
        assert!(!added.reference_could_be("explicitDeny"));
        // Classes only (a class-mode side): the classes must match.
        let class = f("allowed", "denied", "s3:GetObject");
        assert!(class.same_as(&f("allowed", "denied", "s3:GetObject")));
        assert!(
            class.same_as(&f("allowed", "implicitDeny", "s3:GetObject")),
            "a class-only denial known to be implicit is the same finding"
        );
        assert!(f("allowed", "implicitDeny", "s3:GetObject").same_as(&class));
        assert!(!class.same_as(&f("implicitDeny", "allowed", "s3:GetObject")));
        assert!(!class.same_as(&f("denied", "allowed", "s3:GetObject")));
        assert!(class.reference_could_be("allowed") && !class.reference_could_be("denied"));
        // The other way round: a missed match becomes an added one and back.
        let flipped = missed_deny.flipped().expect("a direction");
        assert!(flipped.same_as(&f("implicitDeny", "allowed", "s3:GetObject")));
        assert!(!flipped.same_as(&missed_deny));
        assert!(flipped
            .flipped()
            .expect("a direction")
            .same_as(&missed_deny));
        assert!(
            class.flipped().is_none(),
            "a class pair has no direction to turn"
        );
    }

    #[test]
    fn a_rejection_counts_the_rejected_policy_s_type_only() {
        let c: Case = serde_json::from_value(serde_json::json!({
            "description": "x",
            "source": {"kind": "triage", "ref": "x"},
            "features": ["policy:identity", "policy:resource-based", "policy:rcp"],
            "principal": {"arn": "arn:aws:iam::111122223333:user/u", "type": "user"},
            "policies": {
                "identity": [{"id": "id-0", "document": {"Statement": []}}],
                "resource": {"id": "trust", "document": {"Statement": []}},
                "rcps": [[{"id": "rcp-0", "document": {"Statement": []}}]]
            },
            "requests": [{"name": "r0", "action": "sts:AssumeRole",
                          "resource": {"arn": "arn:aws:iam::111122223333:role/r"},
                          "expect": {"decision": "allowed"}}]
        }))
        .expect("a valid case");
        let rejecting = |policy: Option<&str>| {
            Finding::new(
                Difference {
                    aspect: Aspect::Rejection,
                    reference: "decided".into(),
                    other: "rejected-invalid-action".into(),
                    detail: "x".into(),
                    rejected_policy: policy.map(str::to_string),
                },
                "sts:AssumeRole",
            )
        };
        assert_eq!(cause(&rejecting(Some("rcp-0")), &c), ["policy:rcp"]);
        assert_eq!(cause(&rejecting(Some("id-0")), &c), ["policy:identity"]);
        assert_eq!(
            cause(&rejecting(None), &c),
            ["policy:identity", "policy:rcp", "policy:resource-based"],
            "every policy type when the rejecting side does not say"
        );
        assert_eq!(
            cause(&rejecting(Some("not-in-the-case")), &c).len(),
            3,
            "an id the case does not hold says nothing"
        );
    }

    #[test]
    fn a_key_policy_that_delegates_to_iam_is_no_cause() {
        let with_key_policy = |document: serde_json::Value| -> Case {
            serde_json::from_value(serde_json::json!({
                "description": "x",
                "source": {"kind": "triage", "ref": "x"},
                "features": ["policy:identity", "policy:resource-based", "policy:kms-key",
                             "principal:named-account", "operator:StringLike"],
                "principal": {"arn": "arn:aws:iam::111122223333:user/u", "type": "user"},
                "policies": {
                    "identity": [{"id": "i", "document": {"Statement": []}}],
                    "resource": {"id": "key", "document": document}
                },
                "requests": [{"name": "r0", "action": "kms:Decrypt",
                              "resource": {"arn": "arn:aws:kms:r:111122223333:key/k"},
                              "expect": {"decision": "allowed"}}]
            }))
            .expect("a valid case")
        };
        let f = finding("kms:Decrypt", "implicitDeny");
        let default = serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "kms:*", "Resource": "*"}]});
        assert_eq!(
            cause(&f, &with_key_policy(default.clone())),
            ["operator:StringLike", "policy:identity"]
        );
        let mut other_account = default.clone();
        other_account["Statement"][0]["Principal"]["AWS"] =
            serde_json::json!("arn:aws:iam::444455556666:root");
        let mut narrower = default;
        narrower["Statement"][0]["Action"] = serde_json::json!("kms:Decrypt");
        for document in [other_account, narrower] {
            let tags = cause(&f, &with_key_policy(document));
            assert!(
                tags.contains(&"explicit-allow:kms-key".to_string()),
                "{tags:?}"
            );
            assert!(tags.contains(&"policy:kms-key".to_string()), "{tags:?}");
        }
    }

    #[test]
    fn key_and_trust_policies_and_mechanisms_make_their_own_signatures() {
        let f = finding("kms:Decrypt", "implicitDeny");
        let tags = ["policy:identity", "policy:resource-based"];
        let key = signature(
            &f,
            &case(&tags, "user", "kms:Decrypt", "arn:aws:kms:r:1:key/k"),
        );
        let bucket = signature(&f, &case(&tags, "user", "s3:GetObject", "arn:aws:s3:::b"));
        assert_ne!(key, bucket);
        assert!(
            key.starts_with("kms-key-resource-policy-identity-"),
            "{key}"
        );
        let with = |t: &[&str]| signature(&f, &case(t, "user", "s3:GetObject", "arn:aws:s3:::b"));
        assert_eq!(
            with(&[
                "policy:scp",
                "operator:StringLike",
                "explain:matched-statements"
            ]),
            with(&[
                "operator:StringLike",
                "policy:scp",
                "policy:scp",
                "resource:wildcard"
            ]),
            "order, duplicates and non-mechanism tags do not count"
        );
        assert_ne!(
            with(&["policy:scp"]),
            with(&["policy:scp", "operator:StringLike"])
        );
        let other = Finding::new(
            Difference {
                aspect: Aspect::Decision,
                reference: "implicitDeny".into(),
                other: "allowed".into(),
                detail: "x".into(),
                rejected_policy: None,
            },
            "kms:Decrypt",
        );
        assert_ne!(
            with(&["policy:scp"]),
            signature(
                &other,
                &case(&["policy:scp"], "user", "s3:GetObject", "arn:aws:s3:::b")
            )
        );
        assert_eq!(service_of("*"), "unknown");
    }
}
