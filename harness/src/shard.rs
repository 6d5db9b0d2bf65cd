//! `--shard I/N`: one of N disjoint, deterministic parts of a run — of the seeded batch for
//! `iamspec gen` and `iamspec diff`, of the case files for `iamspec check` — so a CI matrix
//! splits a run and `iamspec report shards` merges the parts' reports.

use serde::{Deserialize, Serialize};

/// `--shard I/N`: the items whose index is `I-1` modulo `N` (1-based `I`), a disjoint and
/// deterministic partition of a seeded batch (`gen`, `diff`) or of the case list (`check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, 1-based.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl Shard {
    /// True when item `index` (0-based) belongs to this shard.
    pub fn holds(&self, index: usize) -> bool {
        index % self.count == self.index - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}`: expected I/N with 1 <= I <= N, e.g. 2/8");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}
