//! The answer cache: the simulator's decisions on disk, content-addressed by the call's scope
//! (policies, context, caller, owner, scenario, API), so that a re-run of known cases costs no
//! call, and a shrink candidate that only drops requests or resources is answered from what the
//! first call already decided.
//!
//! One file per scope, `DIR/<hash[..2]>/<hash>.json` (SHA-256 of the scope's JSON), holding the
//! scope itself, when and where it was answered, and the decision of every action × resource
//! asked so far (or the simulator's rejection of a policy). Files are written whole to a
//! temporary name and renamed, so a killed run leaves no half file, and shards writing the same
//! directory (a CI cache) at worst answer one scope twice. Only answers are cached, never a
//! failure, and nothing in it is a credential (the scope is what the call sent, minus headers).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use iamspec_format::protocol::Rejection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::oracle::aws::request::CallScope;
use crate::oracle::aws::response::{pair, PairAnswers, SimDecision};

/// The cache file format's version.
pub const FORMAT: u32 = 1;

/// One cache file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// [`FORMAT`].
    pub format: u32,
    /// What was sent (the key's content).
    pub scope: CallScope,
    /// The region of the first answer.
    pub region: String,
    /// The date of the first answer (YYYY-MM-DD).
    pub date: String,
    /// `action\nresource` → decision.
    #[serde(default)]
    pub answers: BTreeMap<String, SimDecision>,
    /// The simulator rejected a policy of the scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
}

/// What the cache knows about a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Known {
    /// The decisions held for the asked pairs (possibly not all of them).
    Decisions(PairAnswers),
    /// The simulator rejected a policy of this scope.
    Rejected(Rejection),
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct AnswerCache {
    dir: PathBuf,
}

/// A cache file that cannot be written or read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct CacheError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// The content hash of a scope (hex SHA-256 of its JSON).
pub fn scope_hash(scope: &CallScope) -> String {
    let text = serde_json::to_string(scope).unwrap_or_default();
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn key(action: &str, resource: &str) -> String {
    let (a, r) = pair(action, resource);
    format!("{a}\n{r}")
}

impl AnswerCache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: &Path) -> AnswerCache {
        AnswerCache {
            dir: dir.to_path_buf(),
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, scope: &CallScope) -> PathBuf {
        let hash = scope_hash(scope);
        self.dir.join(&hash[..2]).join(format!("{hash}.json"))
    }

    fn read(&self, scope: &CallScope) -> Option<Entry> {
        let text = fs::read_to_string(self.path(scope)).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        // A hash collision or an older format is a miss, never a wrong answer.
        (entry.format == FORMAT && &entry.scope == scope).then_some(entry)
    }

    /// What the cache holds for `actions` × `resources` under `scope`.
    pub fn lookup(&self, scope: &CallScope, actions: &[String], resources: &[String]) -> Known {
        let Some(entry) = self.read(scope) else {
            return Known::Decisions(PairAnswers::new());
        };
        if let Some(r) = entry.rejection {
            return Known::Rejected(r);
        }
        let mut found = PairAnswers::new();
        for a in actions {
            for r in resources {
                if let Some(d) = entry.answers.get(&key(a, r)) {
                    found.insert(pair(a, r), d.clone());
                }
            }
        }
        Known::Decisions(found)
    }

    /// Adds decisions (or a rejection) for `scope`, keeping what the file held.
    pub fn store(
        &self,
        scope: &CallScope,
        answers: &PairAnswers,
        rejection: Option<&Rejection>,
        region: &str,
        date: &str,
    ) -> Result<(), CacheError> {
        let path = self.path(scope);
        let mut entry = self.read(scope).unwrap_or_else(|| Entry {
            format: FORMAT,
            scope: scope.clone(),
            region: region.to_string(),
            date: date.to_string(),
            answers: BTreeMap::new(),
            rejection: None,
        });
        for ((a, r), d) in answers {
            entry.answers.insert(format!("{a}\n{r}"), d.clone());
        }
        if let Some(r) = rejection {
            entry.rejection = Some(r.clone());
        }
        let bad = |message: String| CacheError {
            path: path.clone(),
            message,
        };
        let text = serde_json::to_string_pretty(&entry).map_err(|e| bad(e.to_string()))?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| bad(format!("cannot create: {e}")))?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        fs::write(&tmp, text).map_err(|e| bad(format!("cannot write: {e}")))?;
        fs::rename(&tmp, &path).map_err(|e| bad(format!("cannot rename: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::aws::request::Api;

    fn scope(policy: &str) -> CallScope {
        CallScope {
            api: Api::SimulateCustomPolicy,
            policy_source_arn: None,
            policy_exclusions: vec![],
            policies: vec![policy.to_string()],
            permissions_boundary: None,
            organization_levels: vec![],
            resource_policy: None,
            resource_owner: None,
            caller_arn: None,
            context: vec![],
            resource_handling_option: None,
        }
    }

    fn decision(d: &str) -> SimDecision {
        SimDecision {
            decision: d.into(),
            matched: vec![],
            missing_context: vec![],
            details: BTreeMap::new(),
            allowed_by_permissions_boundary: None,
            allowed_by_organizations: None,
        }
    }

    #[test]
    fn answers_are_kept_by_scope_and_pair_and_merged() {
        let dir = tempfile::tempdir().unwrap();
        let cache = AnswerCache::new(dir.path());
        let s = scope("{}");
        let acts = vec!["s3:GetObject".to_string(), "s3:PutObject".to_string()];
        let res = vec!["arn:aws:s3:::b/k".to_string()];
        assert_eq!(
            cache.lookup(&s, &acts, &res),
            Known::Decisions(PairAnswers::new())
        );
        let mut first = PairAnswers::new();
        first.insert(
            pair("s3:GetObject", "arn:aws:s3:::b/k"),
            decision("allowed"),
        );
        cache
            .store(&s, &first, None, "us-east-1", "2026-11-26")
            .unwrap();
        let mut second = PairAnswers::new();
        second.insert(
            pair("s3:PutObject", "arn:aws:s3:::b/k"),
            decision("implicitDeny"),
        );
        cache
            .store(&s, &second, None, "us-east-1", "2026-11-26")
            .unwrap();
        let Known::Decisions(both) = cache.lookup(&s, &acts, &res) else {
            panic!()
        };
        assert_eq!(both.len(), 2);
        // Another scope knows nothing.
        assert_eq!(
            cache.lookup(&scope("{ }"), &acts, &res),
            Known::Decisions(PairAnswers::new())
        );
        let rejection = Rejection {
            error: "other".into(),
            policy: None,
            message: Some("Syntax errors in policy.".into()),
            error_position: None,
        };
        cache
            .store(
                &scope("x"),
                &PairAnswers::new(),
                Some(&rejection),
                "us-east-1",
                "2026-11-26",
            )
            .unwrap();
        assert_eq!(
            cache.lookup(&scope("x"), &acts, &res),
            Known::Rejected(rejection)
        );
        // A damaged file is a miss.
        let path = cache.path(&s);
        fs::write(&path, "{").unwrap();
        assert_eq!(
            cache.lookup(&s, &acts, &res),
            Known::Decisions(PairAnswers::new())
        );
    }
}
