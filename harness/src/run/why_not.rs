//! "Why (not)" for `check`'s failures: after a run, each failed request is decided once more
//! by the reference evaluator with [`iamspec::authorize::authorize_explained`], and its
//! explanation — the rule of the decision flow that decided each resource, every statement and
//! what in it did not match — is attached to the result for the reports to show.
//!
//! Only failures are explained (they are few), so a run that passes pays nothing. For the
//! reference's own run the explanation is of the answer that differs from the expectation; for a
//! third-party evaluator it is the reference's reading of the request, beside that evaluator's
//! answer. A case whose policies the reference rejects, or whose request it cannot build, gets
//! no explanation (its messages already say why).
//!
//! Not its job: deciding the run's verdicts (the suite and the checker did) or printing.

use std::collections::HashMap;
use std::path::PathBuf;

use iamspec::authorize::authorize_explained;
use iamspec::authorize::PolicySet;
use iamspec::scenario::{build_policy_set, build_request_for};
use iamspec_format::load::load_case_file;
use iamspec_format::Case;

use crate::run::results::{CheckRun, Outcome};

/// Attaches the reference evaluator's explanation to every failed result of `run` (each case
/// file is read and its policies parsed once).
pub fn attach(run: &mut CheckRun) {
    let mut cases: HashMap<PathBuf, Option<(Case, PolicySet)>> = HashMap::new();
    for result in run
        .results
        .iter_mut()
        .filter(|r| r.status == Outcome::Failed)
    {
        let Some(name) = &result.request else {
            continue;
        };
        let path = result.dir.join(&result.file);
        let entry = cases.entry(path.clone()).or_insert_with(|| {
            let loaded = load_case_file(&path).ok()?;
            let set = build_policy_set(&loaded.case).ok()?;
            Some((loaded.case, set))
        });
        let Some((case, set)) = entry else { continue };
        let Some(request) = case.requests.iter().find(|q| &q.name == name) else {
            continue;
        };
        let Ok(built) = build_request_for(case, request) else {
            continue;
        };
        if let Ok((_, why)) = authorize_explained(set, &built) {
            result.why = why;
        }
    }
}
