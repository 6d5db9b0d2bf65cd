//! What a disagreement is "about": the [`Finding`] a shrink step must keep, and the
//! [`signature`] that deduplicates shrunk cases.
//!
//! A finding is the differing aspect, both answers' classes and the action's service — the part
//! of a disagreement that survives shrinking. A signature adds, through a short hash, the shrunk
//! case's *mechanism* tags: the feature tags that say which machinery the minimal case still
//! needs — policy types, principal kinds, organization rules, condition operators and
//! modifiers, set operators, variables, validation, cross-account, `NotAction`/`NotResource`,
//! multi-resource requests, the 2008 and absent policy versions. Two shrunk cases with the
//! same finding and the same mechanisms are taken to be the same difference, and only the first
//! is written. Left out are tags that shrinking cannot remove and that rarely decide a
//! difference — the expectation's shape (`explain:`, `decision:`, `effect:`), the spelling of
//! patterns (`action:exact`, `resource:wildcard`...), `grammar:` forms, `key:` names and
//! `service:` (already in the finding) — since keeping them made nearly every case its own
//! signature. The choice still errs towards a few near-duplicates rather than merging two bugs.
//!
//! The signature is the file name of the triage case, so it is readable and file-name safe:
//! `<service>-<aspect>-<reference class>-vs-<other class>-<8 hex digits>`.

use sha2::{Digest, Sha256};

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

    /// True when `other` is the same finding (the detail text is not compared).
    pub fn same_as(&self, other: &Finding) -> bool {
        self.service == other.service
            && self.difference.aspect == other.difference.aspect
            && self.difference.reference == other.difference.reference
            && self.difference.other == other.difference.other
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

/// Tag families that name a mechanism (every tag of the family counts).
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

/// True when a feature tag takes part in signatures.
pub fn is_mechanism(tag: &str) -> bool {
    MECHANISM_TAGS.contains(&tag) || MECHANISM_FAMILIES.iter().any(|f| tag.starts_with(f))
}

/// The signature of a finding on a case with these feature tags (only the mechanism tags
/// count, in any order; for a rejection, only the policy types and validation tags, since the
/// request around a rejected document does not matter).
pub fn signature(finding: &Finding, features: &[String]) -> String {
    let rejection = finding.difference.aspect == Aspect::Rejection;
    let mut tags: Vec<&str> = features
        .iter()
        .map(String::as_str)
        .filter(|t| {
            if rejection {
                t.starts_with("policy:") || t.starts_with("validation:")
            } else {
                is_mechanism(t)
            }
        })
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let d = &finding.difference;
    let key = format!(
        "{}\n{}\n{}\n{}\n{}",
        finding.service,
        d.aspect.name(),
        d.reference,
        d.other,
        tags.join("\n")
    );
    let digest = Sha256::digest(key.as_bytes());
    let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-vs-{}-{short}",
        finding.service,
        d.aspect.name(),
        d.reference,
        d.other
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(other: &str) -> Finding {
        Finding::new(
            Difference {
                aspect: Aspect::Decision,
                reference: "allowed".into(),
                other: other.into(),
                detail: "x".into(),
            },
            "S3:GetObject",
        )
    }

    #[test]
    fn signatures_are_readable_and_ignore_tag_order() {
        let f = finding("implicitDeny");
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let a = signature(&f, &tags(&["policy:scp", "operator:StringLike"]));
        let b = signature(
            &f,
            &tags(&[
                "operator:StringLike",
                "policy:scp",
                "explain:matched-statements",
                "policy:scp",
            ]),
        );
        assert_eq!(
            a, b,
            "order, duplicates and non-mechanism tags do not count"
        );
        assert!(a.starts_with("s3-decision-allowed-vs-implicitDeny-"), "{a}");
        assert_ne!(a, signature(&f, &tags(&["policy:scp"])));
        assert_ne!(
            a,
            signature(
                &finding("explicitDeny"),
                &tags(&["policy:scp", "operator:StringLike"])
            )
        );
        assert_eq!(service_of("*"), "unknown");
    }
}
