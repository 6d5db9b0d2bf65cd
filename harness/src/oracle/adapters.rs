//! The bundled adapters (`harness/adapters/<name>/`): finding one by name, its `run.sh` and its
//! `known-failures.json`, and making [`Oracle`]s for `--oracle adapter:NAME` and `--oracle command:CMD`.
//!
//! Installing adapters is `harness/adapters/install-all.sh`'s job, not this module's.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{CliError, NoAdapter};
use crate::oracle::process::client::ProcessOptions;
use crate::oracle::process::schemas::ProtocolSchemas;
use crate::oracle::process::ProcessOracle;
use crate::oracle::Oracle;
use crate::paths::adapters_dir;
use crate::paths::shell_quote;

/// The names of the bundled adapters (folders not starting with `_` that hold a `run.sh`),
/// sorted.
pub fn adapter_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(adapters_dir())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().join("run.sh").is_file())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| !n.starts_with('_'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A bundled adapter.
#[derive(Debug, Clone)]
pub struct Adapter {
    /// Its name (the folder name).
    pub name: String,
    /// Its folder.
    pub dir: PathBuf,
}

impl Adapter {
    /// Finds an adapter by name; the error lists the adapters there are.
    pub fn find(name: &str) -> Result<Adapter, NoAdapter> {
        let dir = adapters_dir().join(name);
        if name.is_empty()
            || name.starts_with('_')
            || name.contains('/')
            || !dir.join("run.sh").is_file()
        {
            return Err(NoAdapter {
                name: name.to_string(),
                dir: adapters_dir(),
                known: adapter_names(),
            });
        }
        Ok(Adapter {
            name: name.to_string(),
            dir,
        })
    }

    /// The command that starts it: its `run.sh`, quoted for `sh -c`.
    pub fn command(&self) -> String {
        shell_quote(&self.dir.join("run.sh").display().to_string())
    }

    /// Its known-failures file.
    pub fn known_failures(&self) -> PathBuf {
        self.dir.join("known-failures.json")
    }

    /// True when its install has been done (a `node_modules/` or `.venv/` beside it).
    pub fn installed(&self) -> bool {
        self.dir.join("node_modules").is_dir() || self.dir.join(".venv").is_dir()
    }
}

/// How to make process oracles for one evaluator command.
#[derive(Debug, Clone)]
pub struct ProcessFactory {
    /// The `sh -c` command.
    pub command: String,
    /// Process options (timeouts, validation).
    pub options: ProcessOptions,
    /// The schemas, when validating.
    pub schemas: Option<Arc<ProtocolSchemas>>,
}

impl ProcessFactory {
    /// A factory for `command` with a per-case timeout, validating messages when asked.
    pub fn new(
        command: &str,
        timeout: Duration,
        validate: bool,
    ) -> Result<ProcessFactory, CliError> {
        let schemas = if validate {
            Some(Arc::new(
                ProtocolSchemas::new().map_err(|e| CliError::Output(e.to_string()))?,
            ))
        } else {
            None
        };
        Ok(ProcessFactory {
            command: command.to_string(),
            options: ProcessOptions {
                validate_protocol: validate,
                ..ProcessOptions::with_timeout(timeout)
            },
            schemas,
        })
    }

    /// Starts one instance.
    pub fn make(&self) -> Result<Box<dyn Oracle>, String> {
        ProcessOracle::start(&self.command, self.options.clone(), self.schemas.clone())
            .map(|o| Box::new(o) as Box<dyn Oracle>)
            .map_err(|e| e.to_string())
    }
}
