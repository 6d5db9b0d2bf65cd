//! Loading case files from disk and checking the rules of `docs/case-format.md`.
//!
//! serde checks the shape (JSON syntax, unknown fields, wrong types) and gives the line and
//! column; [`validate`] then checks the rules serde cannot (exactly one of `resource` and
//! `resources`, known decision and context-type names, unique request names...), and the loader
//! finds the line and column of the first broken rule in the file's text. Nothing here panics
//! on bad input, and nothing here evaluates a request.
//!
//! The rules checked after serde (`corpus/schema/case.schema.json` states the same ones where a
//! schema can; `format/tests/schema.rs` keeps the two in step):
//!
//! - `null` only for `policies.resource` and `policies.permissions_boundary` (elsewhere leave
//!   the member out); policy documents are not looked into.
//! - `description` and `source.ref` are not blank; feature tags are not blank and listed once;
//!   `principal.type`, when given, is one of [`crate::PrincipalType`]; `principal.user` goes
//!   with a federated-user caller and is an IAM user or root ARN; `principal.unique_id` is
//!   `AIDA...` for a user or federated user, `AROA...` for a role or role session.
//! - Policy ids are non-empty and unique within the case (matched statements name them); a
//!   `document` is a JSON object or a JSON string.
//! - `requests` is not empty; request names match `[A-Za-z0-9._-]+` and are unique within the
//!   file; `action` is not blank.
//! - A request has exactly one of `resource` and `resources`; `resources` is not empty; a
//!   single `resource` has no `expect` of its own; resource ARNs are not empty.
//! - Context items (of a request or a resource): `type` is one of the twelve
//!   [`crate::ContextKeyType`]s; a single-valued type carries exactly one value; keys are not
//!   empty and not repeated (case-insensitively); every value reads as its type
//!   ([`crate::values`]: `0x100` is not a `numeric`, `999.1.1.1` not an `ip`).
//! - Every `expect` (of a request or of a resource in `resources`) has exactly one of
//!   `decision` and `error`; `decision` is a [`crate::Decision`]; `error` is not empty
//!   and goes without `matched` and `missing_context`; `error_position` goes with `error`; an
//!   `implicitDeny` has an empty `matched`; `matched[].policy` names a policy of the case;
//!   positions are 1-based.
//! - `source.kind` matches the provenance folder (`corpus/<kind>/...`) when the file is in one.
//!
//! - Every feature tag is in the bundled `corpus/features.json` and every `expect.error` kind in
//!   the bundled `corpus/error-kinds.json` ([`crate::Features::bundled`],
//!   [`crate::ErrorKinds::bundled`]).
//! - Descriptions are unique across the folder [`load_dir`] loads ([`Descriptions`]).

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::expect::ExpectFields;
use crate::locate::{locate, JsonPath};
use crate::values;
use crate::{
    Case, CasePolicy, CaseResource, ContextItem, ContextKeyType, PrincipalType, SourceKind,
};

/// A case as the loader first reads it: expectations member by member, so that a bad one can
/// be reported with where it is before the case is typed.
type RawCase = Case<ExpectFields>;

/// A case file read from disk.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// The file's path as given/found.
    pub path: PathBuf,
    /// The file's path relative to the directory it was found under, with `/` separators (the
    /// test-name prefix, e.g. `seeds/ec2/tagged-ami.json`).
    pub name: String,
    /// The parsed case.
    pub case: Case,
}

impl LoadedCase {
    /// True for a triage case — under `triage/` or with `source.kind: triage`: differences with
    /// a peer not confirmed against AWS, run but never counted as conformance.
    pub fn is_triage(&self) -> bool {
        self.case.source.kind == SourceKind::Triage || is_triage_name(&self.name)
    }
}

/// True when a case file's name (relative to the corpus) is under `triage/`: the triage rule
/// for a file that did not load (see [`LoadedCase::is_triage`]).
pub fn is_triage_name(name: &str) -> bool {
    name.starts_with("triage/")
}

/// The kinds of resource-based policy a case's `policies.resource_kind` may name (the
/// evaluator's `ResourcePolicyKind`; a test in the root package keeps the two in step).
pub const RESOURCE_POLICY_KINDS: &[&str] = &[
    "bucket",
    "role-trust",
    "kms-key",
    "queue",
    "topic",
    "secret",
    "other",
];

/// True for a 12-digit AWS account id.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// True for the entity an inline identity-based policy is embedded in: `user`, `role`, `group`
/// or `group/NAME` (a named group, when a case has inline policies of several groups).
pub fn is_inline_entity(text: &str) -> bool {
    matches!(text, "user" | "role" | "group")
        || text
            .strip_prefix("group/")
            .is_some_and(|name| !name.is_empty() && !name.contains(char::is_whitespace))
}

/// True when `name` is a valid request name: non-empty, only `[A-Za-z0-9._-]`.
pub fn is_valid_request_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Why a case file could not be loaded: always names the file, and the position when known.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a valid case (JSON syntax, unknown field, wrong type, broken rule).
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when the problem is not at one place).
        line: usize,
        /// 1-based column (0 when the problem is not at one place).
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl LoadError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            LoadError::Io { path, .. } | LoadError::Invalid { path, .. } => path,
        }
    }

    /// An [`LoadError::Invalid`] from a serde_json error (which carries line and column).
    pub(crate) fn from_json(path: &Path, error: &serde_json::Error) -> Self {
        let full = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        // serde_json counts a position at the start of a line as column 0; positions here are
        // 1-based.
        LoadError::Invalid {
            path: path.to_path_buf(),
            line: error.line().max(1),
            column: error.column().max(1),
            message,
        }
    }
}

/// A rule of the case format that a case breaks, with where in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The JSON path of the offending value (e.g. `requests[1].expect`).
    pub path: JsonPath,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Loads one case file. Its [`LoadedCase::name`] is the part of the path after the last
/// `corpus` folder (e.g. `seeds/ec2/tagged-ami.json`), or the path itself outside a corpus.
pub fn load_case_file(path: &Path) -> Result<LoadedCase, LoadError> {
    let text = read_case_text(path)?;
    load_case_str(&text, path, &name_in_corpus(path))
}

/// Reads a case file's text: a leading UTF-8 byte-order mark is skipped (RFC 8259 section 8.1
/// lets a parser ignore it), and bytes that are not UTF-8 are an error at the line and column
/// of the first of them.
pub fn read_case_text(path: &Path) -> Result<String, LoadError> {
    let bytes = fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let before = String::from_utf8_lossy(valid);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
            Err(LoadError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: format!("byte 0x{byte:02X} is not UTF-8: a case file is UTF-8 JSON"),
            })
        }
    }
}

/// Parses and checks case text. `path` is used in errors and, when it lies under
/// `corpus/<provenance>/`, to check `source.kind`; `name` becomes [`LoadedCase::name`] (and its
/// first folder is taken as the provenance folder when `path` has no `corpus` component).
pub fn load_case_str(text: &str, path: &Path, name: &str) -> Result<LoadedCase, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Invalid {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file is empty: a case file holds one JSON object".into(),
        });
    }
    let case: RawCase = serde_json::from_str(text).map_err(|e| LoadError::from_json(path, &e))?;
    // The text parsed as a case, so it is valid JSON; reading it as a value cannot fail, but if
    // it did there would be no null to report.
    let mut violations = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => explicit_nulls(&value),
        Err(_) => Vec::new(),
    };
    violations.extend(validate(&case));
    if let Some(folder) = provenance_folder(path, name) {
        if folder != case.source.kind {
            violations.push(Violation {
                path: JsonPath::root().key("source").key("kind"),
                message: format!(
                    "`{}` does not match the folder `{}/` the file is in",
                    case.source.kind.name(),
                    folder.name()
                ),
            });
        }
    }
    if let Some(first) = violations.first() {
        let (line, column) = locate(text, &first.path).unwrap_or((0, 0));
        let mut message = first.to_string();
        if violations.len() > 1 {
            let rest: Vec<String> = violations[1..].iter().map(|v| v.to_string()).collect();
            message.push_str(&format!(" (and {} more: {})", rest.len(), rest.join("; ")));
        }
        return Err(LoadError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message,
        });
    }
    // Every expectation's shape was checked above, so this does not fail; if it did, the
    // error still names the place.
    let case = case
        .try_map_expect(ExpectFields::into_expect)
        .map_err(|(at, error)| {
            let mut at_path = JsonPath::root().key("requests").index(at.request);
            if let Some(i) = at.resource {
                at_path = at_path.key("resources").index(i);
            }
            at_path = at_path.key("expect");
            let (line, column) = locate(text, &at_path).unwrap_or((0, 0));
            LoadError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: format!("{at_path}: {error}"),
            }
        })?;
    Ok(LoadedCase {
        path: path.to_path_buf(),
        name: name.to_string(),
        case,
    })
}

/// A case file found on disk, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    /// The file's path (`dir` joined with `name`).
    pub path: PathBuf,
    /// The path relative to the directory searched, with `/` separators.
    pub name: String,
}

/// Finds every `*.json` case file under `dir`, as [`load_dir`] does, without reading them:
/// sorted by name, with one [`LoadError::Io`] for each folder that cannot be read.
///
/// Symbolic links are followed, but each file is found once, by its canonical path (a file
/// reachable through a link and directly keeps its direct name), and a folder that links back to
/// one of its own ancestors is reported as a loop (an [`LoadError::Io`] naming it) instead of
/// being walked again.
pub fn find_case_files(dir: &Path) -> Vec<Result<CaseFile, LoadError>> {
    let mut walk = Walk {
        root: dir,
        ancestors: dir.canonicalize().into_iter().collect(),
        found: Vec::new(),
        errors: Vec::new(),
        loops_seen: HashSet::new(),
    };
    walk.folder(dir, false);
    let Walk {
        mut found, errors, ..
    } = walk;
    // One entry per canonical file: prefer a path without links, then the first name.
    found.sort_by(|a, b| {
        (&a.canonical, a.via_link, &a.file.name).cmp(&(&b.canonical, b.via_link, &b.file.name))
    });
    found.dedup_by(|later, first| later.canonical == first.canonical);
    let mut files: Vec<CaseFile> = found.into_iter().map(|f| f.file).collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    errors
        .into_iter()
        .map(Err)
        .chain(files.into_iter().map(Ok))
        .collect()
}

/// A case file found while walking, with its canonical path and whether a link led to it.
struct Found {
    file: CaseFile,
    canonical: PathBuf,
    via_link: bool,
}

/// The state of a walk of a cases folder.
struct Walk<'r> {
    root: &'r Path,
    /// Canonical paths of the folders being walked, outermost first (to recognise loops).
    ancestors: Vec<PathBuf>,
    found: Vec<Found>,
    errors: Vec<LoadError>,
    /// Loops already reported, by the canonical path of the link (one report per link).
    loops_seen: HashSet<PathBuf>,
}

impl Walk<'_> {
    fn folder(&mut self, dir: &Path, via_link: bool) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(source) => {
                self.errors.push(LoadError::Io {
                    path: dir.to_path_buf(),
                    source,
                });
                return;
            }
        };
        let mut entries: Vec<_> = entries.collect();
        entries.sort_by_key(|e| e.as_ref().map(|e| e.file_name()).ok());
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(source) => {
                    self.errors.push(LoadError::Io {
                        path: dir.to_path_buf(),
                        source,
                    });
                    continue;
                }
            };
            let path = entry.path();
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with('.')
                || (dir == self.root && TOP_LEVEL_SKIPPED.contains(&&*file_name))
            {
                continue;
            }
            let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
            let canonical = match path.canonicalize() {
                Ok(canonical) => canonical,
                // A dangling link (or one the OS refuses to resolve): nothing to read there.
                Err(source) if is_link => {
                    self.errors.push(LoadError::Io { path, source });
                    continue;
                }
                Err(_) => path.clone(),
            };
            if path.is_dir() {
                if self.ancestors.contains(&canonical) {
                    let link = self
                        .ancestors
                        .last()
                        .map_or_else(|| path.clone(), |parent| parent.join(&file_name));
                    if self.loops_seen.insert(link) {
                        self.errors.push(LoadError::Io {
                            path: path.clone(),
                            source: std::io::Error::other(format!(
                                "a folder that links back to {} (a loop): not followed",
                                canonical.display()
                            )),
                        });
                    }
                    continue;
                }
                self.ancestors.push(canonical);
                self.folder(&path, via_link || is_link);
                self.ancestors.pop();
            } else if file_name.ends_with(".json") {
                let name = relative_name(self.root, &path);
                self.found.push(Found {
                    file: CaseFile { path, name },
                    canonical,
                    via_link: via_link || is_link,
                });
            }
        }
    }
}

/// Finds every `*.json` case file under `dir` (recursively, sorted, skipping `schema/` and
/// non-case files such as `features.json` and `error-kinds.json`) and loads each.
///
/// Names are relative to `dir`. Folders and files whose names start with `.` are skipped; the
/// `schema` folder and the two vocabulary files are skipped at the top of `dir` only. A folder
/// that cannot be read gives one [`LoadError::Io`] in the list.
pub fn load_dir(dir: &Path) -> Vec<Result<LoadedCase, LoadError>> {
    let mut descriptions = Descriptions::default();
    find_case_files(dir)
        .into_iter()
        .map(|found| {
            let file = found?;
            let text = read_case_text(&file.path)?;
            let loaded = load_case_str(&text, &file.path, &file.name)?;
            descriptions.check(&loaded, &text)?;
            Ok(loaded)
        })
        .collect()
}

/// The descriptions seen so far while loading a folder: a description is unique across the
/// corpus (`docs/case-format.md`), so a second case with the same one is a load error.
#[derive(Debug, Default)]
pub struct Descriptions {
    first_file: std::collections::HashMap<String, String>,
}

impl Descriptions {
    /// Records `loaded`'s description; an error at its `description` when an earlier case
    /// (named in the message) has the same one. `text` is the file's text, for the position.
    pub fn check(&mut self, loaded: &LoadedCase, text: &str) -> Result<(), LoadError> {
        let description = loaded.case.description.clone();
        match self.first_file.get(&description) {
            Some(first) => {
                let (line, column) =
                    locate(text, &JsonPath::root().key("description")).unwrap_or((0, 0));
                Err(LoadError::Invalid {
                    path: loaded.path.clone(),
                    line,
                    column,
                    message: format!(
                        "description: `{description}` is already the description of {first}: descriptions are unique across the corpus"
                    ),
                })
            }
            None => {
                self.first_file.insert(description, loaded.name.clone());
                Ok(())
            }
        }
    }
}

/// The folder and file names `load_dir` skips at the top of the directory it is given.
const TOP_LEVEL_SKIPPED: &[&str] = &["schema", "features.json", "error-kinds.json"];

/// `path` relative to `root`, with `/` separators.
pub(crate) fn relative_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    slash_join(relative.components())
}

fn slash_join<'a>(components: impl Iterator<Item = Component<'a>>) -> String {
    components
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The part of `path` after its last `corpus` folder, or the whole path (`/`-separated).
fn name_in_corpus(path: &Path) -> String {
    let components: Vec<Component<'_>> = path.components().collect();
    match components
        .iter()
        .rposition(|c| c.as_os_str() == "corpus")
        .filter(|&i| i + 1 < components.len())
    {
        Some(i) => slash_join(components[i + 1..].iter().copied()),
        None => slash_join(components.into_iter()),
    }
}

/// The provenance folder a case file is in: the folder after the last `corpus` component of
/// `path`, or else the first folder of `name`; `None` when that is not a provenance name.
fn provenance_folder(path: &Path, name: &str) -> Option<SourceKind> {
    let components: Vec<Component<'_>> = path.components().collect();
    let folder = match components.iter().rposition(|c| c.as_os_str() == "corpus") {
        // The folder must be a folder, not the file itself.
        Some(i) if i + 2 < components.len() => {
            components[i + 1].as_os_str().to_string_lossy().into_owned()
        }
        Some(_) => return None,
        None => {
            let (first, rest) = name.split_once('/')?;
            if rest.is_empty() {
                return None;
            }
            first.to_string()
        }
    };
    SourceKind::from_name(&folder)
}

/// Reports every `null` outside the two members that may be null
/// (`policies.resource`, `policies.permissions_boundary`); policy documents are not looked into.
fn explicit_nulls(value: &serde_json::Value) -> Vec<Violation> {
    let mut out = Vec::new();
    walk_nulls(value, &JsonPath::root(), &mut out);
    out
}

fn walk_nulls(value: &serde_json::Value, path: &JsonPath, out: &mut Vec<Violation>) {
    use crate::locate::Seg;
    match value {
        serde_json::Value::Null => {
            let nullable = matches!(
                path.0.as_slice(),
                [Seg::Key(p), Seg::Key(m)]
                    if p == "policies" && (m == "resource" || m == "permissions_boundary")
            );
            if !nullable {
                out.push(Violation {
                    path: path.clone(),
                    message: "null is not allowed here: leave the member out".into(),
                });
            }
        }
        serde_json::Value::Object(map) => {
            for (key, member) in map {
                if key != "document" {
                    walk_nulls(member, &path.key(key), out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_nulls(item, &path.index(i), out);
            }
        }
        _ => {}
    }
}

/// Checks the rules of the case format that serde does not: returns every broken rule, in
/// document order as far as possible. The provenance folder rule needs the file's path and is
/// checked by the loader, not here.
pub fn validate(case: &RawCase) -> Vec<Violation> {
    let mut v = Checker::default();
    let root = JsonPath::root();
    if case.description.trim().is_empty() {
        v.push(root.key("description"), "must not be empty");
    }
    if case.source.reference.trim().is_empty() {
        v.push(root.key("source").key("ref"), "must not be empty");
    }
    let mut seen_tags = HashSet::new();
    for (i, tag) in case.features.iter().enumerate() {
        if tag.trim().is_empty() {
            v.push(
                root.key("features").index(i),
                "a feature tag must not be empty",
            );
        } else if !seen_tags.insert(tag.as_str()) {
            v.push(
                root.key("features").index(i),
                format!("feature tag `{tag}` is listed twice"),
            );
        } else if !crate::Features::bundled().contains(tag) {
            v.push(
                root.key("features").index(i),
                format!(
                    "unknown feature tag `{tag}`: every tag must be listed in corpus/features.json"
                ),
            );
        }
    }
    if let Some(t) = &case.principal.principal_type {
        if PrincipalType::from_name(t).is_none() {
            v.push(
                root.key("principal").key("type"),
                format!(
                    "unknown principal type `{t}` (expected one of {})",
                    PrincipalType::ALL
                        .iter()
                        .map(|t| t.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    check_principal_identities(case, &mut v);
    if let Some(kind) = &case.policies.resource_kind {
        if !RESOURCE_POLICY_KINDS.contains(&kind.as_str()) {
            v.push(
                root.key("policies").key("resource_kind"),
                format!(
                    "unknown resource policy kind `{kind}` (expected one of {})",
                    RESOURCE_POLICY_KINDS.join(", ")
                ),
            );
        }
    }
    check_organizations(case, &mut v);
    check_inline(case, &mut v);
    let policy_ids = check_policies(case, &mut v);
    check_requests(case, &policy_ids, &mut v);
    v.0
}

#[derive(Default)]
struct Checker(Vec<Violation>);

impl Checker {
    fn push(&mut self, path: JsonPath, message: impl Into<String>) {
        self.0.push(Violation {
            path,
            message: message.into(),
        });
    }
}

/// Every policy of a case with its JSON path.
fn policies_with_paths(case: &RawCase) -> Vec<(JsonPath, &CasePolicy)> {
    let base = JsonPath::root().key("policies");
    let p = &case.policies;
    let mut out = Vec::new();
    for (i, policy) in p.identity.iter().enumerate() {
        out.push((base.key("identity").index(i), policy));
    }
    if let Some(policy) = &p.resource {
        out.push((base.key("resource"), policy));
    }
    if let Some(policy) = &p.permissions_boundary {
        out.push((base.key("permissions_boundary"), policy));
    }
    for (i, policy) in p.session.iter().enumerate() {
        out.push((base.key("session").index(i), policy));
    }
    for (member, levels) in [("scps", &p.scps), ("rcps", &p.rcps)] {
        for (level, policies) in levels.iter().enumerate() {
            for (i, policy) in policies.iter().enumerate() {
                out.push((base.key(member).index(level).index(i), policy));
            }
        }
    }
    for (o, organization) in p.organizations.iter().enumerate() {
        for (a, account) in organization.accounts.iter().enumerate() {
            let path = base.key("organizations").index(o).key("accounts").index(a);
            for (member, levels) in [("scps", &account.scps), ("rcps", &account.rcps)] {
                for (level, policies) in levels.iter().enumerate() {
                    for (i, policy) in policies.iter().enumerate() {
                        out.push((path.key(member).index(level).index(i), policy));
                    }
                }
            }
        }
    }
    if let Some(policy) = &p.vpc_endpoint {
        out.push((base.key("vpc_endpoint"), policy));
    }
    out
}

/// Checks the `organizations` section (docs/case-format.md, "Organizations"): it replaces
/// The caller's type as the evaluator reads it: `principal.type`, else from the ARN (only the
/// kinds [`check_principal_identities`] needs).
fn caller_type(principal: &crate::case::CasePrincipal) -> &str {
    if let Some(t) = &principal.principal_type {
        return t;
    }
    let resource = principal.arn.splitn(6, ':').nth(5).unwrap_or("");
    if resource.starts_with("federated-user/") {
        "federated-user"
    } else if resource.starts_with("assumed-role/") {
        "assumed-role"
    } else if resource.starts_with("role/") {
        "role"
    } else if resource.starts_with("user/") {
        "user"
    } else {
        "other"
    }
}

/// `principal.user` (the IAM user behind a federated-user session) goes with a federated-user
/// caller and is an IAM user ARN or the account's root user ARN; `principal.unique_id` is a
/// user's `AIDA...` ID for a user or federated-user caller and a role's `AROA...` ID for a role
/// or role-session caller; `principal.canonical_user` is not blank.
fn check_principal_identities(case: &RawCase, v: &mut Checker) {
    let p = &case.principal;
    let at = || JsonPath::root().key("principal");
    let kind = caller_type(p);
    if let Some(user) = &p.user {
        let resource = user.splitn(6, ':').nth(5).unwrap_or("");
        let iam = user.starts_with("arn:") && user.split(':').nth(2) == Some("iam");
        if kind != "federated-user" {
            v.push(
                at().key("user"),
                format!("`user` names the IAM user behind a federated-user session; the caller is `{kind}`"),
            );
        } else if !(iam && (resource.starts_with("user/") || resource == "root")) {
            v.push(
                at().key("user"),
                format!("`{user}` is not an IAM user ARN (`arn:aws:iam::ACCOUNT:user/NAME`) or a root user ARN"),
            );
        }
    }
    if let Some(id) = &p.unique_id {
        let expected = match kind {
            "user" | "federated-user" => Some("AIDA"),
            "role" | "assumed-role" => Some("AROA"),
            _ => None,
        };
        let shape = id.len() > 4
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        match expected {
            None => v.push(
                at().key("unique_id"),
                format!("the caller (`{kind}`) has no IAM unique ID (only users, roles and their sessions)"),
            ),
            Some(prefix) if !(shape && id.starts_with(prefix)) => v.push(
                at().key("unique_id"),
                format!("`{id}` is not the unique ID the caller (`{kind}`) has: {prefix}... (upper-case letters and digits)"),
            ),
            Some(_) => {}
        }
    }
    if p.canonical_user
        .as_deref()
        .is_some_and(|c| c.trim().is_empty())
    {
        v.push(
            at().key("canonical_user"),
            "`canonical_user` is blank".to_string(),
        );
    }
}

/// `scps`/`rcps` and `principal.management_account`; an account belongs to one organization;
/// a management account is one of its organization's accounts.
fn check_organizations(case: &RawCase, v: &mut Checker) {
    let p = &case.policies;
    if p.organizations.is_empty() {
        return;
    }
    let base = JsonPath::root().key("policies");
    for (member, levels) in [("scps", &p.scps), ("rcps", &p.rcps)] {
        if !levels.is_empty() {
            v.push(
                base.key(member),
                format!("with `organizations`, each account's `{member}` are given there; `policies.{member}` must be empty"),
            );
        }
    }
    if case.principal.management_account {
        v.push(
            JsonPath::root().key("principal").key("management_account"),
            "with `organizations`, the management account is named by `organizations[].management_account`",
        );
    }
    let mut seen = HashSet::new();
    for (o, organization) in p.organizations.iter().enumerate() {
        let path = base.key("organizations").index(o);
        if organization.id.trim().is_empty() {
            v.push(path.key("id"), "must not be empty");
        }
        for (a, account) in organization.accounts.iter().enumerate() {
            let account_path = path.key("accounts").index(a).key("account");
            if !is_account_id(&account.account) {
                v.push(
                    account_path,
                    format!("`{}` is not a 12-digit account id", account.account),
                );
            } else if !seen.insert(account.account.as_str()) {
                v.push(
                    account_path,
                    format!(
                        "account `{}` is listed twice: an account belongs to one organization",
                        account.account
                    ),
                );
            }
        }
        if let Some(management) = &organization.management_account {
            if !organization
                .accounts
                .iter()
                .any(|a| &a.account == management)
            {
                v.push(
                    path.key("management_account"),
                    format!("`{management}` must be one of this organization's `accounts`"),
                );
            }
        }
    }
}

/// Checks `inline` on policies: only identity-based policies are embedded in an entity, and the
/// entity is `user`, `role`, `group` or `group/NAME`.
fn check_inline(case: &RawCase, v: &mut Checker) {
    for (path, policy) in policies_with_paths(case) {
        let Some(entity) = &policy.inline else {
            continue;
        };
        let in_identity = case
            .policies
            .identity
            .iter()
            .any(|p| std::ptr::eq(p, policy));
        if !in_identity {
            v.push(
                path.key("inline"),
                "only identity-based policies (`policies.identity`) are inline policies",
            );
        } else if !is_inline_entity(entity) {
            v.push(
                path.key("inline"),
                format!("`{entity}` is not an entity (expected `user`, `role`, `group` or `group/NAME`)"),
            );
        }
    }
}

/// Checks policy ids and documents; returns the ids.
fn check_policies(case: &RawCase, v: &mut Checker) -> HashSet<String> {
    let mut ids = HashSet::new();
    for (path, policy) in policies_with_paths(case) {
        if policy.id.is_empty() {
            v.push(path.key("id"), "a policy id must not be empty");
        } else if !ids.insert(policy.id.clone()) {
            v.push(
                path.key("id"),
                format!(
                    "policy id `{}` is used twice: matched statements name policies by id",
                    policy.id
                ),
            );
        }
        let raw = policy.document.get().trim_start();
        if !(raw.starts_with('{') || raw.starts_with('"')) {
            v.push(
                path.key("document"),
                "a policy document is a JSON object or a JSON string (the exact text)",
            );
        }
    }
    ids
}

fn check_requests(case: &RawCase, policy_ids: &HashSet<String>, v: &mut Checker) {
    let base = JsonPath::root().key("requests");
    if case.requests.is_empty() {
        v.push(base.clone(), "a case needs at least one request");
    }
    let mut names_seen = HashSet::new();
    for (i, request) in case.requests.iter().enumerate() {
        let path = base.index(i);
        if !is_valid_request_name(&request.name) {
            v.push(
                path.key("name"),
                format!(
                    "request name `{}` must be non-empty and use only A-Z a-z 0-9 . _ -",
                    request.name
                ),
            );
        } else if !names_seen.insert(request.name.as_str()) {
            v.push(
                path.key("name"),
                format!("request name `{}` is used twice in this file", request.name),
            );
        }
        if request.action.trim().is_empty() {
            v.push(path.key("action"), "the action must not be empty");
        }
        match (&request.resource, &request.resources) {
            (Some(_), Some(_)) => v.push(
                path.clone(),
                "a request has exactly one of `resource` and `resources`, not both",
            ),
            (None, None) => v.push(
                path.clone(),
                "a request has exactly one of `resource` and `resources`: neither is given",
            ),
            _ => {}
        }
        if let Some(resource) = &request.resource {
            check_resource(resource, &path.key("resource"), v);
            if resource.expect.is_some() {
                v.push(
                    path.key("resource").key("expect"),
                    "`expect` on a single `resource` is not allowed: the request's `expect` is \
                     its answer (per-resource `expect` belongs in a `resources` list)",
                );
            }
        }
        if let Some(resources) = &request.resources {
            if resources.is_empty() {
                v.push(
                    path.key("resources"),
                    "`resources` must list at least one resource",
                );
            }
            for (j, resource) in resources.iter().enumerate() {
                let rpath = path.key("resources").index(j);
                check_resource(resource, &rpath, v);
                if let Some(expect) = &resource.expect {
                    check_expect(expect, &rpath.key("expect"), policy_ids, v);
                }
            }
        }
        check_context(&request.context, &path.key("context"), v);
        check_expect(&request.expect, &path.key("expect"), policy_ids, v);
    }
}

fn check_resource(resource: &CaseResource<ExpectFields>, path: &JsonPath, v: &mut Checker) {
    if resource.arn.is_empty() {
        v.push(
            path.key("arn"),
            "the resource ARN must not be empty (use `*` for no resource)",
        );
    }
    check_context(&resource.context, &path.key("context"), v);
}

fn check_context(items: &[ContextItem], path: &JsonPath, v: &mut Checker) {
    let mut keys_seen = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let ipath = path.index(i);
        if item.key.is_empty() {
            v.push(ipath.key("key"), "a context key must not be empty");
        } else if !keys_seen.insert(item.key.to_ascii_lowercase()) {
            v.push(
                ipath.key("key"),
                format!(
                    "context key `{}` is given twice (keys are case-insensitive)",
                    item.key
                ),
            );
        }
        let key_type = ContextKeyType::from_name(&item.key_type);
        if key_type.is_none() {
            v.push(
                ipath.key("type"),
                format!(
                    "unknown context key type `{}` (expected one of {})",
                    item.key_type,
                    ContextKeyType::ALL
                        .iter()
                        .map(|t| t.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        } else if key_type.is_some_and(|t| !t.is_list()) && item.values.len() != 1 {
            v.push(
                ipath.key("values"),
                format!(
                    "a key of type `{}` carries exactly one value, not {} (use `{}List` for several)",
                    item.key_type,
                    item.values.len(),
                    item.key_type
                ),
            );
        }
        for (j, value) in item.values.iter().enumerate() {
            if let Err(error) = values::check_value(&item.key_type, value) {
                v.push(
                    ipath.key("values").index(j),
                    format!("context key `{}` (`{}`): {error}", item.key, item.key_type),
                );
            }
        }
    }
}

fn check_expect(
    expect: &ExpectFields,
    path: &JsonPath,
    policy_ids: &HashSet<String>,
    v: &mut Checker,
) {
    for error in expect.shape_errors() {
        let mut at = match error.member {
            Some(member) => path.key(member),
            None => path.clone(),
        };
        if let Some((i, field)) = error.item {
            at = at.index(i).key(field);
        }
        v.push(at, error.message);
    }
    if let Some(error) = &expect.error {
        if !error.is_empty() && !crate::ErrorKinds::bundled().contains(error) {
            v.push(
                path.key("error"),
                format!("unknown error kind `{error}`: every kind must be listed in corpus/error-kinds.json"),
            );
        }
    }
    if let Some(position) = &expect.error_position {
        check_position(position, &path.key("error_position"), v);
    }
    for (i, statement) in expect.matched.iter().flatten().enumerate() {
        let spath = path.key("matched").index(i);
        if !policy_ids.contains(&statement.policy) {
            v.push(
                spath.key("policy"),
                format!("no policy of this case has the id `{}`", statement.policy),
            );
        }
        for (member, position) in [("start", &statement.start), ("end", &statement.end)] {
            if let Some(position) = position {
                check_position(position, &spath.key(member), v);
            }
        }
    }
    for (i, key) in expect.missing_context.iter().flatten().enumerate() {
        if key.is_empty() {
            v.push(
                path.key("missing_context").index(i),
                "a context key must not be empty",
            );
        }
    }
}

fn check_position(position: &crate::Position, path: &JsonPath, v: &mut Checker) {
    if position.line == 0 || position.column == 0 {
        v.push(
            path.clone(),
            "lines and columns are 1-based: 0 is not a position",
        );
    }
}

#[cfg(test)]
mod tests;
