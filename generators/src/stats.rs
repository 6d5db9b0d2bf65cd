//! Coverage statistics over generated cases: how often each feature tag appears, and the mix of
//! `allowed` / `explicitDeny` / `implicitDeny` answers (plus rejected cases and undecidable
//! requests), printable as a table (`iamspec gen --stats`).
//!
//! This module counts; it does not generate.

use std::collections::BTreeMap;
use std::fmt;

use iamspec::explain::Decision;

use crate::case::{GeneratedCase, Outcome, Via};
use crate::features;

/// Counts over a batch of cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageStats {
    /// Cases counted.
    pub cases: usize,
    /// Requests counted (in cases that were decided).
    pub requests: usize,
    /// Cases a policy of which was rejected.
    pub rejected_cases: usize,
    /// Requests the evaluator could not decide.
    pub undecidable: usize,
    /// Requests per decision name (`allowed`, `explicitDeny`, `implicitDeny`).
    pub decisions: BTreeMap<String, usize>,
    /// Cases per feature tag.
    pub features: BTreeMap<String, usize>,
    /// Cases breaking each realism rule (`realism::Rule` names; every rule listed, 0 included).
    pub realism: BTreeMap<String, usize>,
    /// Near-miss requests per named mutation (`request::MUTATIONS`).
    pub mutations: BTreeMap<String, usize>,
}

impl CoverageStats {
    /// The share (0.0-1.0) of decided requests with this decision.
    pub fn decision_share(&self, decision: Decision) -> f64 {
        let total: usize = self.decisions.values().sum();
        if total == 0 {
            return 0.0;
        }
        *self.decisions.get(decision.name()).unwrap_or(&0) as f64 / total as f64
    }

    /// How many cases break a realism rule.
    pub fn realism_count(&self, rule: crate::realism::Rule) -> usize {
        *self.realism.get(rule.name()).unwrap_or(&0)
    }

    /// How many cases show a feature tag.
    pub fn feature_count(&self, tag: &str) -> usize {
        *self.features.get(tag).unwrap_or(&0)
    }
}

/// Counts features and decisions over `cases`, evaluating each `via` the model or the text.
pub fn coverage_stats(cases: &[GeneratedCase], via: Via) -> CoverageStats {
    let mut stats = CoverageStats::new();
    for case in cases {
        stats.add(case, via);
    }
    stats
}

impl CoverageStats {
    /// No case counted yet: every decision, realism rule and mutation listed with 0.
    pub fn new() -> CoverageStats {
        let mut stats = CoverageStats::default();
        for name in ["allowed", "explicitDeny", "implicitDeny"] {
            stats.decisions.insert(name.into(), 0);
        }
        for rule in crate::realism::Rule::ALL {
            stats.realism.insert(rule.name().into(), 0);
        }
        for m in crate::request::MUTATIONS {
            stats.mutations.insert((*m).into(), 0);
        }
        stats
    }

    /// Counts one more case, evaluated `via` the model or the text.
    pub fn add(&mut self, case: &GeneratedCase, via: Via) {
        self.cases += 1;
        let mut broken: Vec<crate::realism::Rule> = crate::realism::violations(case)
            .into_iter()
            .map(|v| v.rule)
            .collect();
        broken.sort();
        broken.dedup();
        for rule in broken {
            *self.realism.entry(rule.name().into()).or_default() += 1;
        }
        for r in &case.requests {
            if let Some(m) = &r.mutation {
                *self.mutations.entry(m.clone()).or_default() += 1;
            }
        }
        let outcome = case.outcome(via);
        match &outcome {
            Outcome::Rejected { .. } => self.rejected_cases += 1,
            Outcome::Decided(responses) => {
                for r in responses {
                    self.requests += 1;
                    match r {
                        Ok(r) => *self.decisions.entry(r.decision.name().into()).or_default() += 1,
                        Err(_) => self.undecidable += 1,
                    }
                }
            }
        }
        for tag in features::detect(case, &outcome) {
            *self.features.entry(tag).or_default() += 1;
        }
    }

    /// Adds the counts of `other` (counted over other cases) to these: counting a batch in
    /// parts and merging gives the counts of the whole batch, in any order.
    pub fn merge(&mut self, other: &CoverageStats) {
        self.cases += other.cases;
        self.requests += other.requests;
        self.rejected_cases += other.rejected_cases;
        self.undecidable += other.undecidable;
        for (mine, theirs) in [
            (&mut self.decisions, &other.decisions),
            (&mut self.features, &other.features),
            (&mut self.realism, &other.realism),
            (&mut self.mutations, &other.mutations),
        ] {
            for (key, n) in theirs {
                match mine.get_mut(key) {
                    Some(m) => *m += n,
                    None => {
                        mine.insert(key.clone(), *n);
                    }
                }
            }
        }
    }
}

impl fmt::Display for CoverageStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} cases, {} requests, {} rejected cases, {} undecidable requests",
            self.cases, self.requests, self.rejected_cases, self.undecidable
        )?;
        writeln!(f, "decisions:")?;
        for d in [
            Decision::Allowed,
            Decision::ExplicitDeny,
            Decision::ImplicitDeny,
        ] {
            writeln!(
                f,
                "  {:<14} {:>7}  {:5.1}%",
                d.name(),
                self.decisions.get(d.name()).unwrap_or(&0),
                100.0 * self.decision_share(d)
            )?;
        }
        writeln!(
            f,
            "realism (cases breaking each rule; 0 for the realistic preset):"
        )?;
        for (rule, n) in &self.realism {
            writeln!(
                f,
                "  {:<44} {:>7}  {:5.1}%",
                rule,
                n,
                100.0 * *n as f64 / self.cases.max(1) as f64
            )?;
        }
        writeln!(f, "near misses (requests per named mutation):")?;
        for (m, n) in &self.mutations {
            writeln!(f, "  {m:<44} {n:>7}")?;
        }
        writeln!(f, "features (cases showing each):")?;
        for (tag, n) in &self.features {
            writeln!(
                f,
                "  {:<40} {:>7}  {:5.1}%",
                tag,
                n,
                100.0 * *n as f64 / self.cases.max(1) as f64
            )?;
        }
        Ok(())
    }
}
