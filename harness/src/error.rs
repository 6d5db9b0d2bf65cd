//! What can stop a command before it has an answer: unreadable files, rejected policies,
//! unusable arguments. Every message names the file or argument, and the position when known.
//!
//! Failing corpus cases are not errors in this sense: they are results, reported by
//! [`crate::report`].

use std::path::PathBuf;

use iamspec::authorize::AuthorizeError;
use iamspec::policy::PolicyError;

/// An error that ends a command with exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A policy file holds a document AWS would reject.
    #[error("{}:{}:{}: {}: {}", path.display(), error.position.line, error.position.column, error.kind, error.message)]
    Policy {
        /// The policy file.
        path: PathBuf,
        /// What the parser found.
        error: PolicyError,
    },
    /// A policy file holds a document AWS would reject, with every problem found (the first is
    /// the one AWS reports; `where_` says where the document was found in the file).
    #[error("{}", policy_errors_text(path, where_, errors))]
    Policies {
        /// The policy file.
        path: PathBuf,
        /// Where in the file the document was (e.g. ` (PolicyVersion.Document, URL-decoded: positions are in the decoded document)`), or empty.
        where_: String,
        /// Every problem, in document order.
        errors: Vec<PolicyError>,
    },
    /// Two policy files would get the same id (file stem).
    #[error("{}: policy id `{id}` is already used by {}; rename one of the files", path.display(), first.display())]
    DuplicatePolicyId {
        /// The id (file name without extension).
        id: String,
        /// The file that took the id first.
        first: PathBuf,
        /// The file that wants it too.
        path: PathBuf,
    },
    /// A policy type that takes one document was given several.
    #[error("--policy-type {policy_type} takes exactly one --policy file, got {count}")]
    OnePolicyOnly {
        /// The policy type's flag value.
        policy_type: &'static str,
        /// How many files were given.
        count: usize,
    },
    /// `--preset` names no generator preset.
    #[error("--preset: unknown preset `{name}` (known: {known})")]
    Preset {
        /// The name given.
        name: String,
        /// The known presets.
        known: String,
    },
    /// Generated cases could not be written.
    #[error("{path}: cannot write generated cases: {message}")]
    Generate {
        /// The output directory.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// `iamspec gen` was given neither `--out` nor `--stats`.
    #[error("iamspec gen: nothing to do: give --out DIR to write cases, --stats to print coverage, or both")]
    GenNothingToDo,
    /// No policy file was given at all.
    #[error("no policy given: use --policy, --resource-policy, --permissions-boundary, --session-policy, --scp or --rcp")]
    NoPolicies,
    /// `--principal-type` names no known principal type.
    #[error("--principal-type: unknown principal type `{name}` (user, role, assumed-role, federated-user, root, service, anonymous)")]
    PrincipalType {
        /// The name given.
        name: String,
    },
    /// A context key was given twice.
    #[error("--context: key `{key}` is given more than once (keys are case-insensitive)")]
    DuplicateContextKey {
        /// The key, as given the second time.
        key: String,
    },
    /// The evaluator cannot decide the request.
    #[error("cannot decide the request: {0}")]
    Authorize(#[from] AuthorizeError),
    /// A `--cases` directory does not exist.
    #[error("--cases {}: no such directory", path.display())]
    NoCasesDir {
        /// The directory.
        path: PathBuf,
    },
    /// No corpus was found where `check` looks by default.
    #[error("no corpus found (looked in {}); pass --cases DIR", tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NoCorpus {
        /// The directories looked at.
        tried: Vec<PathBuf>,
    },
    /// `--oracle adapter:NAME` names no bundled adapter.
    #[error("--oracle {0}")]
    NoAdapter(#[from] NoAdapter),
    /// No instance of the evaluator could be started.
    #[error("{flag}: the evaluator did not start: {message}")]
    EvaluatorDidNotStart {
        /// `--adapter NAME` or `--evaluator '...'`.
        flag: String,
        /// Why (with its stderr tail).
        message: String,
    },
    /// A known-failures file cannot be used.
    #[error(transparent)]
    KnownFailures(#[from] crate::known::KnownFailuresError),
    /// A report file cannot be read or written.
    #[error("{}: {message}", path.display())]
    ReportFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// An account snapshot (`eval --account-snapshot`) cannot be used: malformed, or lacking the
    /// principal or a policy it refers to.
    #[error("{}: account snapshot: {message}", path.display())]
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong or missing.
        message: String,
    },
    /// Flags that do not go together.
    #[error("{0}")]
    Usage(String),
    /// `iamspec diff` could not run (its oracle, its store, its loop or its recording).
    #[error("iamspec diff: {0}")]
    Diff(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The output could not be written or encoded.
    #[error("cannot write the output: {0}")]
    Output(String),
}

/// A name that is not one of the bundled adapters.
#[derive(Debug, Clone, thiserror::Error)]
#[error("adapter:{name}: no adapter of that name in {} (there are: {})", dir.display(), known.join(", "))]
pub struct NoAdapter {
    /// The name given.
    pub name: String,
    /// The adapters folder.
    pub dir: PathBuf,
    /// The adapters there are.
    pub known: Vec<String>,
}

fn policy_errors_text(path: &std::path::Path, where_: &str, errors: &[PolicyError]) -> String {
    let lines: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{}{where_}:{}:{}: {}: {}",
                path.display(),
                e.position.line,
                e.position.column,
                e.kind,
                e.message
            )
        })
        .collect();
    lines.join("\n")
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        CliError::Output(error.to_string())
    }
}

impl From<serde_json::Error> for CliError {
    fn from(error: serde_json::Error) -> Self {
        CliError::Output(error.to_string())
    }
}
