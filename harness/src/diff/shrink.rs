//! Shrinking a disagreement in few oracle calls: delta debugging over the structural
//! [`simplifications`] of `iamspec-generators`.
//!
//! The candidates of a case are the disagreeing request alone, then chunks — halves, quarters
//! and eighths — of its lists (requests, identity-based policies, the statements of all
//! policies, the conditions of all statements, the context keys of all requests), then every
//! single simplification. They are tried smallest case first, so whole requests, policies and
//! statements go before conditions and values. The first candidate on which the [`Finding`]
//! still holds the same way ([`Finding::same_as`]: the same aspect on the same service, and for
//! two full decisions the same direction — the other side still misses a match the reference
//! makes, or still adds one — even when the decisions themselves move) becomes the current
//! case, and the next round resumes at the same
//! place in the new case's candidate list (the candidates before it failed a moment ago and are
//! tried again last). When a whole round keeps nothing, the case is minimal: no single
//! simplification of it keeps the finding.
//!
//! Besides the simplifications, a round offers the positive forms of the case's negations
//! (`NotResource` → `Resource`, `NotAction` → `Action`, `StringNotLike` → `StringLike`...,
//! [`positive_forms`]). Each turns around whether a statement applies, so it is kept when the
//! finding holds the *other* way ([`Finding::flipped`]), and from then on the shrink looks for
//! the finding that way: one pattern or operator bug ends in one positive shape whichever
//! negation it was generated under. A `Null` test on a key no request carries moved to a key
//! every request carries ([`present_null_keys`]) turns its match around the same way: a side
//! that misreads `Null` misses a match on an absent key and adds one on a present key, and
//! such a bug ends in its present-key shape whichever request found it. A candidate is kept the
//! other way only when both sides' decisions turned around: when only the reference's moved,
//! another difference of the case shows the other way, and taking it would trade the cause
//! being shrunk for that one (a missed `Deny` under `ForAnyValue:NumericNotEquals` in a
//! cross-account case became a peer's cross-account rule that way). A case two steps both
//! write (a positive form that is also a plainer operator) is one candidate, kept either way.
//!
//! Letting the decisions move is what makes one cause shrink to one minimal shape: a missed
//! `Deny` next to an `Allow` (`explicitDeny` vs `allowed`) shrinks to the `Deny` alone
//! (`explicitDeny` vs `implicitDeny`) instead of keeping the `Allow`, its policy type and its
//! conditions — which decided the signature and split one cause into several.
//!
//! A candidate is asked of the reference first; only when the reference's answers can still show
//! the finding ([`Finding::reference_could_be`], on a request of the finding's service) is it
//! sent to the other side. Every candidate is identified by the hash of its case file text: a case already
//! tried during this shrink is never tried again (its outcome is remembered by hash), and two
//! candidates that write the same case are one candidate. A step is one candidate tried; it
//! costs one oracle call when the reference rules it out and two otherwise. A candidate the
//! other side cannot answer does not keep the finding. A case that breaks no realism rule
//! ([`iamspec_generators::realism`]) shrinks only to cases that break none: a candidate AWS
//! could not receive (a role without its trust policy, a request without a key every request
//! carries, an RCP level without RCPFullAWSAccess) is not tried, so the shrunk case still stands
//! for something AWS could answer. This module writes nothing.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use iamspec_format::Case;
use iamspec_generators::plain_statement::{positive_forms, present_null_keys};
use iamspec_generators::realism::violations;
use iamspec_generators::serialise;
use iamspec_generators::shrink::simplifications;
use iamspec_generators::GeneratedCase;

use crate::diff::disagreement::{Aspect, Comparator};
use crate::diff::sides::{Probe, Sides};
use crate::diff::signature::{service_of, Finding};
use crate::oracle::{Answer, CaseAnswers};

/// The result of shrinking.
#[derive(Debug, Clone)]
pub struct Shrunk {
    /// The smallest case found that keeps the finding.
    pub case: GeneratedCase,
    /// Its probe.
    pub probe: Probe,
    /// The finding as the shrunk case shows it ([`Finding::same_as`] the one shrunk, or its
    /// [`Finding::flipped`] form after a negation was turned positive; its decisions may differ
    /// from the starting case's).
    pub finding: Finding,
    /// Candidates tried (each asked of the reference).
    pub steps: usize,
    /// Candidates also sent to the other side (the reference's answers could still show the
    /// finding).
    pub sent_to_other: usize,
    /// Candidates taken (each made the case smaller).
    pub taken: usize,
    /// Candidates not tried because the same case had been tried before in this shrink.
    pub repeats_avoided: usize,
    /// True when the step budget ran out before a fixpoint.
    pub budget_spent: bool,
}

/// A case file's identity during a shrink: the hash of its text.
fn case_hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// How a candidate may show the finding to be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keeps {
    /// The same way (a simplification).
    Same,
    /// The other way ([`Finding::flipped`]), with both sides' decisions turned around: a
    /// positive form of a negation, a `Null` test moved to a present key.
    Flipped,
    /// Either way: a case two steps both wrote, one of each kind.
    Either,
}

impl Keeps {
    /// What a candidate that two steps both offered may show: either step's way.
    fn or(self, other: Keeps) -> Keeps {
        if self == other {
            self
        } else {
            Keeps::Either
        }
    }

    /// The findings a candidate may show, the same way first, given the one `wanted`; `true`
    /// marks the flipped one.
    fn targets(self, wanted: &Finding) -> Vec<(Finding, bool)> {
        let same = matches!(self, Keeps::Same | Keeps::Either).then(|| (wanted.clone(), false));
        let flipped = matches!(self, Keeps::Flipped | Keeps::Either)
            .then(|| wanted.flipped())
            .flatten()
            .map(|f| (f, true));
        same.into_iter().chain(flipped).collect()
    }
}

/// True when `now` shows the difference of `before` turned around: *both* sides decide
/// otherwise. A step that turns a statement's match around turns it for both sides when the
/// difference is the one that statement shows; when only the reference moves and the other
/// side answers as before, some other difference of the case shows the other way, and taking
/// the step would trade the cause being shrunk for that one.
fn both_sides_turned(before: &Finding, now: &Finding) -> bool {
    let (b, n) = (&before.difference, &now.difference);
    b.reference != n.reference && b.other != n.other
}

/// A candidate, written: the generated case, its case file and that file's text length and hash.
struct Written {
    generated: GeneratedCase,
    /// How it may show the finding to be kept.
    keeps: Keeps,
    case: Case,
    size: usize,
    hash: u64,
}

fn write((generated, keeps): (GeneratedCase, Keeps)) -> Option<Written> {
    let case = serialise::to_case(&generated).ok()?;
    let text = serialise::case_json(&case).ok()?;
    Some(Written {
        generated,
        keeps,
        size: text.len(),
        hash: case_hash(&text),
        case,
    })
}

/// Shrinks `start` (whose probe is `probe`) while `finding` holds, trying at most `max_steps`
/// candidates.
pub fn shrink(
    sides: &mut Sides<'_>,
    start: GeneratedCase,
    probe: Probe,
    finding: &Finding,
    max_steps: usize,
) -> Shrunk {
    // Every case tried (or started from) during this shrink, by hash, with whether it kept the
    // finding.
    let realistic = violations(&start).is_empty();
    let mut tried: HashMap<u64, bool> = HashMap::new();
    if let Some(w) = write((start.clone(), Keeps::Same)) {
        tried.insert(w.hash, true);
    }
    let mut current = Shrunk {
        case: start,
        probe,
        finding: finding.clone(),
        steps: 0,
        sent_to_other: 0,
        taken: 0,
        repeats_avoided: 0,
        budget_spent: false,
    };
    // Where the last round took its candidate: the next round starts there.
    let mut resume = 0;
    // The finding as the current case must show it: `finding`, or the other way round after
    // an odd number of positive forms.
    let mut wanted = finding.clone();
    'round: loop {
        let focus = current
            .probe
            .findings()
            .into_iter()
            .find(|(_, f)| f.same_as(&wanted))
            .map(|(i, _)| i);
        let flips = match wanted.flipped() {
            Some(_) => {
                let mut flips = positive_forms(&current.case);
                flips.extend(present_null_keys(&current.case));
                flips
            }
            None => Vec::new(),
        };
        // Two steps that write the same case offer one candidate, kept either step's way.
        let mut seen: HashMap<u64, usize> = HashMap::new();
        let mut candidates: Vec<Written> = Vec::new();
        let offered = candidates_of(&current.case, focus)
            .into_iter()
            .map(|c| (c, Keeps::Same))
            .chain(flips.into_iter().map(|c| (c, Keeps::Flipped)))
            .filter(|(c, _)| !realistic || violations(c).is_empty())
            .filter_map(write);
        for w in offered {
            match seen.get(&w.hash) {
                Some(&i) => candidates[i].keeps = candidates[i].keeps.or(w.keeps),
                None => {
                    seen.insert(w.hash, candidates.len());
                    candidates.push(w);
                }
            }
        }
        // Smallest first: big removals before small ones; ties keep the listing order.
        candidates.sort_by_key(|w| w.size);
        let n = candidates.len();
        let start = if n == 0 { 0 } else { resume.min(n - 1) };
        candidates.rotate_left(start);
        for (k, candidate) in candidates.into_iter().enumerate() {
            if tried.contains_key(&candidate.hash) {
                current.repeats_avoided += 1;
                continue;
            }
            if current.steps >= max_steps {
                current.budget_spent = true;
                break 'round;
            }
            let targets = candidate.keeps.targets(&wanted);
            if targets.is_empty() {
                continue;
            }
            current.steps += 1;
            let reference = sides.reference_answers(&candidate.case);
            if !targets
                .iter()
                .any(|(t, _)| reference_can_show(&sides.comparator, &candidate.case, &reference, t))
            {
                tried.insert(candidate.hash, false);
                continue;
            }
            current.sent_to_other += 1;
            let probe = sides.complete(candidate.case, reference);
            let findings: Vec<Finding> = probe.findings().into_iter().map(|(_, f)| f).collect();
            let shown = targets.iter().find_map(|(target, flipped)| {
                findings
                    .iter()
                    .find(|f| {
                        f.same_as(target) && (!flipped || both_sides_turned(&current.finding, f))
                    })
                    .map(|f| (target.clone(), f.clone()))
            });
            tried.insert(candidate.hash, shown.is_some());
            if let Some((target, shown)) = shown {
                wanted = target;
                current.finding = shown;
                current.case = candidate.generated;
                current.probe = probe;
                current.taken += 1;
                resume = (start + k) % n.max(1);
                continue 'round;
            }
        }
        break;
    }
    current
}

/// True when the reference's `answers` to `case` could be one side of `finding`: some request
/// of the finding's service (any request, for a rejection) has a reference class the finding
/// allows ([`Finding::reference_could_be`]). When not, the finding cannot hold whatever the
/// other side answers.
fn reference_can_show(
    comparator: &Comparator,
    case: &Case,
    answers: &CaseAnswers,
    finding: &Finding,
) -> bool {
    let Ok(answers) = answers else {
        return false;
    };
    let wanted = &finding.difference.reference;
    answers.iter().zip(&case.requests).any(|(answer, request)| {
        if finding.difference.aspect == Aspect::Rejection {
            match answer {
                Answer::Rejected(r) => *wanted == format!("rejected-{}", r.error),
                Answer::Decided(_) => wanted == "decided",
                Answer::CouldNot(_) => false,
            }
        } else {
            let class = match answer {
                // A decision difference names the reference's exact decision (see
                // `Difference::reference`), whatever the comparison mode.
                Answer::Decided(d) if finding.difference.aspect == Aspect::Decision => {
                    d.decision.name().to_string()
                }
                _ => comparator.class(answer),
            };
            !matches!(answer, Answer::CouldNot(_))
                && finding.reference_could_be(&class)
                && service_of(&request.action) == finding.service
        }
    })
}

/// The candidates of a round: the request showing the finding alone, chunks of the lists, then
/// every single simplification.
fn candidates_of(case: &GeneratedCase, focus: Option<usize>) -> Vec<GeneratedCase> {
    let mut out = Vec::new();
    if let Some(i) = focus.filter(|_| case.requests.len() > 1) {
        let mut c = case.clone();
        c.requests = vec![case.requests[i].clone()];
        out.push(c);
    }
    for keep in chunk_removals(case.requests.len()) {
        let mut c = case.clone();
        c.requests = pick(&case.requests, &keep);
        out.push(c);
    }
    for keep in chunk_removals(case.policies.identity.len()) {
        let mut c = case.clone();
        c.policies.identity = pick(&case.policies.identity, &keep);
        out.push(c);
    }
    out.extend(statement_chunks(case));
    out.extend(condition_chunks(case));
    out.extend(context_chunks(case));
    out.extend(simplifications(case));
    out
}

/// Chunks of the statements of all policies together (a policy keeps one statement at least).
fn statement_chunks(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let all: Vec<(usize, usize)> = case
        .policies
        .all()
        .enumerate()
        .flat_map(|(pi, p)| {
            let n = p.model().map_or(0, |m| m.statements.len());
            (0..n).map(move |si| (pi, si))
        })
        .collect();
    let mut out = Vec::new();
    for keep in chunk_removals(all.len()) {
        let kept: HashSet<(usize, usize)> = keep.iter().map(|&k| all[k]).collect();
        let mut c = case.clone();
        let mut empties = false;
        for (pi, policy) in c.policies.all_mut().enumerate() {
            if let Some(m) = policy.model_mut() {
                let statements = std::mem::take(&mut m.statements);
                m.statements = statements
                    .into_iter()
                    .enumerate()
                    .filter(|(si, _)| kept.contains(&(pi, *si)))
                    .map(|(_, s)| s)
                    .collect();
                empties |= m.statements.is_empty();
                for (i, s) in m.statements.iter_mut().enumerate() {
                    s.index = i;
                }
            }
        }
        if !empties {
            out.push(c);
        }
    }
    out
}

/// Chunks of the conditions of all statements together.
fn condition_chunks(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let all: Vec<(usize, usize, usize)> = case
        .policies
        .all()
        .enumerate()
        .flat_map(|(pi, p)| {
            p.model()
                .map(|m| {
                    m.statements
                        .iter()
                        .enumerate()
                        .flat_map(|(si, s)| (0..s.conditions.len()).map(move |ci| (pi, si, ci)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .collect();
    chunk_removals(all.len())
        .into_iter()
        .map(|keep| {
            let kept: HashSet<(usize, usize, usize)> = keep.iter().map(|&k| all[k]).collect();
            let mut c = case.clone();
            for (pi, policy) in c.policies.all_mut().enumerate() {
                if let Some(m) = policy.model_mut() {
                    for (si, s) in m.statements.iter_mut().enumerate() {
                        let conditions = std::mem::take(&mut s.conditions);
                        s.conditions = conditions
                            .into_iter()
                            .enumerate()
                            .filter(|(ci, _)| kept.contains(&(pi, si, *ci)))
                            .map(|(_, x)| x)
                            .collect();
                    }
                }
            }
            c
        })
        .collect()
}

/// Chunks of the request-level context keys of all requests together.
fn context_chunks(case: &GeneratedCase) -> Vec<GeneratedCase> {
    let all: Vec<(usize, usize)> = case
        .requests
        .iter()
        .enumerate()
        .flat_map(|(ri, r)| (0..r.context.len()).map(move |k| (ri, k)))
        .collect();
    chunk_removals(all.len())
        .into_iter()
        .map(|keep| {
            let kept: HashSet<(usize, usize)> = keep.iter().map(|&k| all[k]).collect();
            let mut c = case.clone();
            for (ri, r) in c.requests.iter_mut().enumerate() {
                let context = std::mem::take(&mut r.context);
                r.context = context
                    .into_iter()
                    .enumerate()
                    .filter(|(k, _)| kept.contains(&(ri, *k)))
                    .map(|(_, x)| x)
                    .collect();
            }
            c
        })
        .collect()
}

/// For a list of `n` items (`n >= 4`), the items to keep when one half, one quarter (from 8
/// items) or one eighth (from 16) is dropped: delta debugging's chunks, larger than the single
/// removals.
fn chunk_removals(n: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut parts = 2;
    while n >= 2 * parts && parts <= 8 {
        for k in 0..parts {
            let (from, to) = (k * n / parts, (k + 1) * n / parts);
            out.push((0..n).filter(|i| *i < from || *i >= to).collect());
        }
        parts *= 2;
    }
    out
}

fn pick<T: Clone>(items: &[T], keep: &[usize]) -> Vec<T> {
    keep.iter().map(|&i| items[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(reference: &str, other: &str) -> Finding {
        Finding::new(
            crate::diff::disagreement::Difference {
                aspect: Aspect::Decision,
                reference: reference.into(),
                other: other.into(),
                detail: String::new(),
                rejected_policy: None,
            },
            "s3:GetObject",
        )
    }

    #[test]
    fn a_flip_counts_only_when_both_sides_turned_around() {
        // A missed `Deny` on an absent key, then the same misread test on a present key: both
        // sides decide otherwise.
        let missed = decision("explicitDeny", "allowed");
        assert!(both_sides_turned(
            &missed,
            &decision("allowed", "explicitDeny")
        ));
        // Only the reference moved (the other side allows as before): another difference of
        // the case shows the other way.
        assert!(!both_sides_turned(
            &missed,
            &decision("implicitDeny", "allowed")
        ));
        // A candidate two steps wrote may show the finding either way, the same way first.
        let targets = Keeps::Same.or(Keeps::Flipped).targets(&missed);
        assert_eq!(targets.len(), 2);
        assert_eq!((&targets[0].0, targets[0].1), (&missed, false));
        assert!(
            targets[1].1
                && targets[1]
                    .0
                    .same_as(&missed.flipped().expect("a direction"))
        );
        assert_eq!(Keeps::Same.targets(&missed).len(), 1);
    }

    #[test]
    fn chunks_drop_halves_then_quarters_and_never_everything() {
        assert!(chunk_removals(3).is_empty());
        assert_eq!(chunk_removals(4), vec![vec![2, 3], vec![0, 1]]);
        let eight = chunk_removals(8);
        assert_eq!(eight.len(), 6);
        assert_eq!(eight[0], vec![4, 5, 6, 7]);
        assert_eq!(eight[2], vec![2, 3, 4, 5, 6, 7]);
        assert!(eight.iter().all(|keep| !keep.is_empty() && keep.len() < 8));
        let sixteen = chunk_removals(16);
        assert_eq!(sixteen.len(), 2 + 4 + 8);
        assert_eq!(sixteen[13].len(), 14);
    }
}
