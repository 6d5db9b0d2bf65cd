//! Greedy shrinking of a disagreement: walk [`simplifications`] of the current case, take the
//! first one on which the same [`Finding`] still holds (both oracles asked again), and start
//! over from it, until no simplification keeps the finding or the step budget is spent.
//!
//! A step is one candidate tried (two oracle calls). A candidate the other side cannot answer
//! does not keep the finding. This module writes nothing.

use iamspec_generators::shrink::simplifications;
use iamspec_generators::GeneratedCase;

use crate::diff::sides::{Probe, Sides};
use crate::diff::signature::Finding;

/// The result of shrinking.
#[derive(Debug, Clone)]
pub struct Shrunk {
    /// The smallest case found that keeps the finding.
    pub case: GeneratedCase,
    /// Its probe.
    pub probe: Probe,
    /// Candidates tried.
    pub steps: usize,
    /// Candidates taken (each made the case smaller).
    pub taken: usize,
    /// True when the step budget ran out before a fixpoint.
    pub budget_spent: bool,
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
    let mut current = Shrunk {
        case: start,
        probe,
        steps: 0,
        taken: 0,
        budget_spent: false,
    };
    'improve: loop {
        for candidate in simplifications(&current.case) {
            if current.steps >= max_steps {
                current.budget_spent = true;
                break 'improve;
            }
            current.steps += 1;
            let Ok(probe) = sides.probe_generated(&candidate) else {
                continue;
            };
            if probe.holds(finding) {
                current.case = candidate;
                current.probe = probe;
                current.taken += 1;
                continue 'improve;
            }
        }
        break;
    }
    current
}
