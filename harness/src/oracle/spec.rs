//! The `--oracle` value, the same for `check`, `bench` and `diff`: `reference` (the reference
//! evaluator, in process), `adapter:NAME` (a bundled adapter's `run.sh`), `command:CMD` (any
//! program speaking the protocol, run as by `sh -c`), `replay:FILE` (answers recorded by
//! [`crate::oracle::recorder::RecordingOracle`]); and opening it as an [`Oracle`].

use std::path::PathBuf;
use std::str::FromStr;

use iamspec_format::protocol::DecisionMode;

use crate::error::NoAdapter;
use crate::oracle::adapters::Adapter;
use crate::oracle::process::client::{ProcessOptions, StartError};
use crate::oracle::process::ProcessOracle;
use crate::oracle::reference::ReferenceOracle;
use crate::oracle::replay::{ReplayError, ReplayOracle};
use crate::oracle::{Oracle, OracleInfo};

/// The other side of a differential run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OracleSpec {
    /// The reference evaluator, in process.
    Reference,
    /// A bundled adapter, `harness/adapters/NAME/run.sh`.
    Adapter(String),
    /// A shell command speaking the protocol.
    Command(String),
    /// A recording to replay.
    Replay(PathBuf),
    /// AWS's policy simulator (opened by `iamspec diff` with its AWS options).
    Aws,
}

/// An `--oracle` that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OracleSpecError {
    /// Not one of the five forms.
    #[error("--oracle `{0}`: expected aws, reference, adapter:NAME, command:CMD or replay:FILE")]
    Form(String),
    /// No such bundled adapter.
    #[error("--oracle {0}")]
    NoAdapter(#[source] NoAdapter),
    /// `aws` is opened with its AWS options (`iamspec diff`), not here.
    #[error("--oracle aws: opened with the AWS options, not as a process or replay")]
    AwsHere,
    /// The AWS client could not be built.
    #[error("--oracle aws: {0}")]
    Aws(String),
    /// The program could not be started.
    #[error("--oracle: {0}")]
    Start(#[from] StartError),
    /// The recording cannot be read.
    #[error("--oracle: {0}")]
    Replay(#[from] ReplayError),
}

impl FromStr for OracleSpec {
    type Err = OracleSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim() == "aws" {
            return Ok(OracleSpec::Aws);
        }
        if s.trim() == "reference" {
            return Ok(OracleSpec::Reference);
        }
        let (kind, rest) = s
            .split_once(':')
            .ok_or_else(|| OracleSpecError::Form(s.to_string()))?;
        match (kind, rest.trim()) {
            (_, "") => Err(OracleSpecError::Form(s.to_string())),
            ("adapter", name) => Ok(OracleSpec::Adapter(name.to_string())),
            ("command", cmd) => Ok(OracleSpec::Command(cmd.to_string())),
            ("replay", file) => Ok(OracleSpec::Replay(PathBuf::from(file))),
            _ => Err(OracleSpecError::Form(s.to_string())),
        }
    }
}

impl std::fmt::Display for OracleSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OracleSpec::Reference => write!(f, "reference"),
            OracleSpec::Adapter(n) => write!(f, "adapter:{n}"),
            OracleSpec::Command(c) => write!(f, "command:{c}"),
            OracleSpec::Replay(p) => write!(f, "replay:{}", p.display()),
            OracleSpec::Aws => write!(f, "aws"),
        }
    }
}

impl OracleSpec {
    /// Starts (or reads) the oracle.
    pub fn open(&self, options: ProcessOptions) -> Result<Box<dyn Oracle>, OracleSpecError> {
        match self {
            OracleSpec::Reference => Ok(Box::new(ReferenceOracle)),
            OracleSpec::Adapter(name) => {
                let adapter = Adapter::find(name).map_err(OracleSpecError::NoAdapter)?;
                Ok(Box::new(ProcessOracle::start(
                    &adapter.command(),
                    options,
                    None,
                )?))
            }
            OracleSpec::Command(command) => {
                Ok(Box::new(ProcessOracle::start(command, options, None)?))
            }
            OracleSpec::Aws => Err(OracleSpecError::AwsHere),
            OracleSpec::Replay(path) => {
                let info = OracleInfo {
                    name: path
                        .file_stem()
                        .map_or("replay".to_string(), |s| s.to_string_lossy().into_owned()),
                    version: "recorded".to_string(),
                    decision_mode: DecisionMode::Exact,
                    implementation: None,
                };
                Ok(Box::new(ReplayOracle::open(path, info)?))
            }
        }
    }

    /// The folder name of its findings (`triage/<name>/`): the adapter's name, the
    /// evaluator's own name for a command, the recording's file stem for a replay.
    pub fn folder_name(&self, info: &OracleInfo) -> String {
        let name = match self {
            OracleSpec::Adapter(n) => n.clone(),
            OracleSpec::Reference | OracleSpec::Command(_) | OracleSpec::Replay(_) => {
                info.name.clone()
            }
            OracleSpec::Aws => "aws".to_string(),
        };
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        match safe.trim_matches('.') {
            "" => "unnamed".to_string(),
            s => s.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_values_are_read() {
        assert_eq!(
            "adapter:moto".parse::<OracleSpec>().unwrap(),
            OracleSpec::Adapter("moto".into())
        );
        assert_eq!(
            "command:sh -c 'x:y'".parse::<OracleSpec>().unwrap(),
            OracleSpec::Command("sh -c 'x:y'".into())
        );
        assert!("moto".parse::<OracleSpec>().is_err());
        assert!("adapter:".parse::<OracleSpec>().is_err());
        assert!("aws:x".parse::<OracleSpec>().is_err());
        assert_eq!("aws".parse::<OracleSpec>().unwrap(), OracleSpec::Aws);
    }
}
