//! `iamspec eval`: decide one request against policy files and explain the decision.
//!
//! Reads and parses each policy file (its id is the file name without extension), builds the
//! [`Request`] from the flags, calls [`authorize`], and hands the answer to [`crate::report`].
//! It does not decide anything itself.

use std::path::{Path, PathBuf};

use iamspec::authorize::authorize_explained;
use iamspec::authorize::{NamedPolicy, PolicySet};
use iamspec::context::RequestContext;
use iamspec::explain::Decision;
use iamspec::policy::envelope;
use iamspec::policy::{parse_policy_all, ActionBlock, PolicyType};
use iamspec::principal_context::principal_keys;
use iamspec::request::{Principal, PrincipalType, Request, RequestResource};
use iamspec::suggest;
use iamspec_generators::vocabulary::Vocabulary;

use crate::cli::{EvalArgs, PolicyTypeArg};
use crate::error::CliError;
use crate::report::{self, EvalOutcome, FileWarning};

/// Runs `iamspec eval`; returns the exit status (0, or 1 for a denial with `--exit-code`).
pub fn run(args: &EvalArgs) -> Result<u8, CliError> {
    let outcome = evaluate(args)?;
    report::print_eval(&outcome, args.format)?;
    let denied = outcome.response.decision != Decision::Allowed;
    Ok(if args.exit_code && denied { 1 } else { 0 })
}

/// Reads the policies, builds the request and decides it.
pub fn evaluate(args: &EvalArgs) -> Result<EvalOutcome, CliError> {
    let mut request_warnings = check_request_flags(args)?;
    let (set, warnings, set_role) = load_policies(args)?;
    request_warnings.extend(unknown_actions(&set));
    let mut request = build_request(args)?;
    if request.principal.role.is_none() && request.principal.principal_type != PrincipalType::Role {
        request.principal.role = set_role;
    }
    let mut filled = Vec::new();
    if args.principal_context {
        for entry in principal_keys(&request.principal) {
            if request.context.get(&entry.key).is_none() {
                filled.push(format!("{}={}", entry.key, entry.values.join(",")));
                request.context.insert(entry);
            }
        }
    }
    let (response, why) = authorize_explained(&set, &request)?;
    let missing_flags = response
        .missing_context
        .iter()
        .map(|key| context_flag(&set, key, &request.principal, args.principal_context))
        .collect();
    Ok(EvalOutcome {
        request,
        response,
        warnings,
        why,
        request_warnings,
        filled,
        missing_flags,
    })
}

/// Request flags that would make the decision silently meaningless are errors; an action the
/// service data does not know is a warning.
fn check_request_flags(args: &EvalArgs) -> Result<Vec<String>, CliError> {
    let action = args.action.as_str();
    if action.trim().is_empty() {
        return Err(CliError::Usage(
            "--action is empty: a request names one action, `SERVICE:ACTION`, e.g. `s3:GetObject`"
                .to_string(),
        ));
    }
    let Some((service, name)) = action.split_once(':') else {
        // Every service that has an action of that name: with the full service data several do
        // (`GetObject` is S3's and MediaPackage v2's), and the user knows which one was meant.
        let candidates: Vec<String> = Vocabulary::get()
            .services
            .services
            .iter()
            .flat_map(|s| {
                s.actions
                    .iter()
                    .filter(|a| a.name.eq_ignore_ascii_case(action))
                    .map(move |a| format!("`{}:{}`", s.prefix, a.name))
            })
            .collect();
        let hint = match candidates.as_slice() {
            [] => String::new(),
            [one] => format!(" (did you mean {one}?)"),
            many => format!(" (did you mean one of {}?)", many.join(", ")),
        };
        return Err(CliError::Usage(format!(
            "--action `{action}` has no service prefix: a request's action is `SERVICE:ACTION`, e.g. `s3:GetObject`{hint}"
        )));
    };
    if service.is_empty() {
        return Err(CliError::Usage(format!(
            "--action `{action}` names no service before `:`: a request's action is `SERVICE:ACTION`, e.g. `s3:GetObject`"
        )));
    }
    if name.is_empty() {
        return Err(CliError::Usage(format!(
            "--action `{action}` names no action after `{service}:`: a request's action is `SERVICE:ACTION`, e.g. `s3:GetObject`"
        )));
    }
    if action.contains(['*', '?']) {
        return Err(CliError::Usage(format!(
            "--action `{action}` is a pattern: a request names one action (wildcards belong in policies); name the action to decide, e.g. `{service}:{}`",
            name.trim_end_matches(['*', '?'])
        )));
    }
    let principal = args.principal.as_str();
    let service_principal =
        principal.ends_with(".amazonaws.com") || principal.contains(".amazonaws.com.");
    if !principal.is_empty() && !principal.starts_with("arn:") && !service_principal {
        let example = if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
            format!("arn:aws:iam::{principal}:root")
        } else {
            format!("arn:aws:iam::111122223333:user/{principal}")
        };
        return Err(CliError::Usage(format!(
            "--principal `{principal}` is not an ARN: give the caller's ARN (e.g. `{example}`), a service principal (`ec2.amazonaws.com`) or \"\" for an anonymous caller"
        )));
    }
    Ok(unknown_action_warning(action).into_iter().collect())
}

/// A warning when the action's service is in the service data but the action is not.
fn unknown_action_warning(action: &str) -> Option<String> {
    let (service, name) = action.split_once(':')?;
    if name.contains(['*', '?']) {
        return None;
    }
    let data = Vocabulary::get();
    let known = data
        .services
        .services
        .iter()
        .find(|s| s.prefix.eq_ignore_ascii_case(service))?;
    if known
        .actions
        .iter()
        .any(|a| a.name.eq_ignore_ascii_case(name))
    {
        return None;
    }
    // The service data lists a subset of each service's actions (generators/data), so an
    // action it lacks may still be real: warn only when it is a near miss of a known one.
    let close = suggest::closest(name, known.actions.iter().map(|a| a.name.as_str()))?;
    Some(format!(
        "action `{action}`: `{}` has no action `{name}` in the service data ({}); did you mean `{close}`?",
        known.prefix, data.services.date
    ))
}

/// Warnings for actions in the policies that the service data does not know.
fn unknown_actions(set: &PolicySet) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut policies: Vec<&NamedPolicy> = set.identity.iter().collect();
    policies.extend(set.resource.iter());
    policies.extend(set.permissions_boundary.iter());
    policies.extend(set.session.iter());
    policies.extend(set.scps.iter().flatten());
    policies.extend(set.rcps.iter().flatten());
    for named in policies {
        for statement in &named.policy.statements {
            let (ActionBlock::Action(actions) | ActionBlock::NotAction(actions)) =
                &statement.action;
            for action in actions {
                if let Some(w) = unknown_action_warning(action) {
                    let w = format!(
                        "{} statement {} at {}:{}: {w}",
                        named.id,
                        statement.index,
                        statement.span.start.line,
                        statement.span.start.column
                    );
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                }
            }
        }
    }
    warnings
}

/// The `--context` flag that would supply a missing key: its type read from how the policies
/// test it (the operator's family; a set operator means a list), else from the service data.
fn context_flag(set: &PolicySet, key: &str, principal: &Principal, filled: bool) -> String {
    use iamspec::policy::OperatorFamily;
    let mut policies: Vec<&NamedPolicy> = set.identity.iter().collect();
    policies.extend(set.resource.iter());
    policies.extend(set.permissions_boundary.iter());
    policies.extend(set.session.iter());
    policies.extend(set.scps.iter().flatten());
    policies.extend(set.rcps.iter().flatten());
    let used = policies
        .iter()
        .flat_map(|p| &p.policy.statements)
        .flat_map(|s| &s.conditions)
        .find(|c| {
            c.key.eq_ignore_ascii_case(key) && c.operator.base.family() != OperatorFamily::Null
        });
    let type_name = match used {
        Some(c) => {
            let base = match c.operator.base.family() {
                OperatorFamily::Numeric => "numeric",
                OperatorFamily::Date => "date",
                OperatorFamily::Bool => "boolean",
                OperatorFamily::Binary => "binary",
                OperatorFamily::Ip => "ip",
                _ => "string",
            };
            if c.operator.set.is_some() {
                format!("{base}List")
            } else {
                base.to_string()
            }
        }
        None => Vocabulary::get()
            .key(key)
            .map(|k| k.key_type.context_type().name().to_string())
            .unwrap_or_else(|| "string".to_string()),
    };
    let value = if type_name.ends_with("List") {
        "V1,V2"
    } else {
        "VALUE"
    };
    let from_principal = !filled
        && principal_keys(principal)
            .iter()
            .any(|e| e.key.eq_ignore_ascii_case(key));
    let note = if from_principal {
        " (or --principal-context, which fills it from the principal)"
    } else {
        ""
    };
    format!("--context '{key}={type_name}:{value}'{note}")
}

/// The id a policy file gets: its file name without the extension (`stdin` for `-`).
pub fn policy_id(path: &Path) -> String {
    if path == Path::new("-") {
        return "stdin".to_string();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

type Loaded = (PolicySet, Vec<FileWarning>, Option<String>);

/// Reads, parses and files every policy the flags name, by policy type; with
/// `--account-snapshot`, also the principal's own policies (and its role's ARN for a session).
fn load_policies(args: &EvalArgs) -> Result<Loaded, CliError> {
    let mut loader = Loader::default();
    let mut set = PolicySet::default();
    let given = loader.load_all(&args.policies, args.policy_type.policy_type())?;
    match args.policy_type {
        PolicyTypeArg::Identity => set.identity = given,
        PolicyTypeArg::Session => set.session = given,
        PolicyTypeArg::Scp => set.scps = vec![given],
        PolicyTypeArg::Rcp => set.rcps = vec![given],
        PolicyTypeArg::Resource | PolicyTypeArg::PermissionsBoundary => {
            let is_resource = args.policy_type == PolicyTypeArg::Resource;
            let [only] =
                <[NamedPolicy; 1]>::try_from(given).map_err(|given| CliError::OnePolicyOnly {
                    policy_type: if is_resource {
                        "resource"
                    } else {
                        "permissions-boundary"
                    },
                    count: given.len(),
                })?;
            if is_resource {
                set.resource = Some(only);
            } else {
                set.permissions_boundary = Some(only);
            }
        }
    }
    if let Some(path) = &args.resource_policy {
        set.resource = Some(loader.load(path, PolicyType::Resource)?);
    }
    if let Some(path) = &args.permissions_boundary {
        set.permissions_boundary = Some(loader.load(path, PolicyType::PermissionsBoundary)?);
    }
    set.session
        .extend(loader.load_all(&args.session_policies, PolicyType::Session)?);
    for level in &args.scp_levels {
        set.scps
            .push(loader.load_all(&level_files(level), PolicyType::Scp)?);
    }
    for level in &args.rcp_levels {
        set.rcps
            .push(loader.load_all(&level_files(level), PolicyType::Rcp)?);
    }
    let mut role = None;
    if let Some(path) = &args.account_snapshot {
        let found = crate::snapshot::load(path, &args.principal)?;
        if found.boundary.is_some() && set.permissions_boundary.is_some() {
            return Err(CliError::Usage(format!(
                "--permissions-boundary: the principal has a permissions boundary in {}; give one or the other",
                path.display()
            )));
        }
        set.identity.extend(found.identity);
        set.permissions_boundary = set.permissions_boundary.or(found.boundary);
        role = found.role_arn;
    } else if loader.ids.is_empty() {
        return Err(CliError::NoPolicies);
    }
    Ok((set, loader.warnings, role))
}

/// The files of one organization level given as `FILE[,FILE...]`.
fn level_files(level: &str) -> Vec<PathBuf> {
    level
        .split(',')
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// Reads policy files, keeping ids unique across every policy type.
/// `bytes` as policy text (UTF-8, no byte-order mark), else the policy error naming where.
fn decoded(path: &Path, bytes: &[u8]) -> Result<String, CliError> {
    iamspec::policy::decode_policy_text(bytes)
        .map(str::to_string)
        .map_err(|error| CliError::Policies {
            path: path.to_path_buf(),
            where_: String::new(),
            errors: vec![error],
        })
}

#[derive(Default)]
struct Loader {
    ids: Vec<(String, PathBuf)>,
    warnings: Vec<FileWarning>,
    /// Standard input, once read (`--policy -`; the same text at every use).
    stdin: Option<String>,
}

impl Loader {
    /// A file's text; `-` is standard input. Text that is not UTF-8 (or starts with a
    /// byte-order mark) is a policy error with its position, as AWS would reject it.
    fn read(&mut self, path: &Path) -> Result<String, CliError> {
        if path == Path::new("-") {
            if let Some(text) = &self.stdin {
                return Ok(text.clone());
            }
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|source| {
                CliError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
            let text = decoded(path, &bytes)?;
            self.stdin = Some(text.clone());
            return Ok(text);
        }
        let bytes = std::fs::read(path).map_err(|source| CliError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        decoded(path, &bytes)
    }

    fn load_all(
        &mut self,
        paths: &[PathBuf],
        policy_type: PolicyType,
    ) -> Result<Vec<NamedPolicy>, CliError> {
        paths.iter().map(|p| self.load(p, policy_type)).collect()
    }

    fn load(&mut self, path: &Path, policy_type: PolicyType) -> Result<NamedPolicy, CliError> {
        let id = policy_id(path);
        // The same file may sit at several organization levels (FullAWSAccess is attached at
        // every level of a real organization); any other reuse of an id is a mistake.
        let organization_level = matches!(policy_type, PolicyType::Scp | PolicyType::Rcp);
        if let Some((_, first)) = self
            .ids
            .iter()
            .find(|(known, first)| *known == id && !(organization_level && first == path))
        {
            return Err(CliError::DuplicatePolicyId {
                id,
                first: first.clone(),
                path: path.to_path_buf(),
            });
        }
        let text = self.read(path)?;
        let found = envelope::unwrap(&text).map_err(|e| CliError::Policies {
            path: path.to_path_buf(),
            where_: String::new(),
            errors: vec![iamspec::policy::PolicyError::new(
                iamspec::policy::PolicyErrorKind::InvalidElementType,
                e.position,
                e.message,
            )],
        })?;
        let policy = parse_policy_all(&found.text, policy_type).map_err(|errors| {
            let where_ = match (found.path, found.decoded_from) {
                (Some(p), Some(at)) => format!(
                    " ({p}, decoded from the string at {}:{}; positions are in the decoded document)",
                    at.line, at.column
                ),
                _ => String::new(),
            };
            CliError::Policies {
                path: path.to_path_buf(),
                where_,
                errors: errors
                    .all()
                    .map(|e| {
                        let mut e = e.clone();
                        e.position = found.file_position(e.position);
                        e
                    })
                    .collect(),
            }
        })?;
        self.warnings
            .extend(policy.warnings.iter().map(|warning| FileWarning {
                path: path.to_path_buf(),
                warning: iamspec::policy::PolicyWarning {
                    position: found.file_position(warning.position),
                    ..warning.clone()
                },
            }));
        self.ids.push((id.clone(), path.to_path_buf()));
        Ok(NamedPolicy { id, policy })
    }
}

fn build_request(args: &EvalArgs) -> Result<Request, CliError> {
    let mut context = RequestContext::new();
    for entry in &args.context {
        if context.get(&entry.key).is_some() {
            return Err(CliError::DuplicateContextKey {
                key: entry.key.clone(),
            });
        }
        context.insert(entry.clone());
    }
    let resources = args
        .resources
        .iter()
        .map(|arn| RequestResource {
            owner: args.resource_owner.clone(),
            ..RequestResource::new(arn)
        })
        .collect();
    let mut principal = Principal::from_arn(&args.principal);
    if let Some(name) = &args.principal_type {
        principal.principal_type = PrincipalType::from_name(name)
            .ok_or_else(|| CliError::PrincipalType { name: name.clone() })?;
    }
    principal.role = args.role.clone();
    principal.in_management_account = args.management_account;
    Ok(Request {
        principal,
        action: args.action.clone(),
        resources,
        context,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{parse_context_arg, Format};

    fn args() -> EvalArgs {
        EvalArgs {
            policies: vec![],
            policy_type: PolicyTypeArg::Identity,
            resource_policy: None,
            permissions_boundary: None,
            session_policies: vec![],
            scp_levels: vec![],
            rcp_levels: vec![],
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            account_snapshot: None,
            principal_type: None,
            role: None,
            management_account: false,
            action: "ec2:RunInstances".into(),
            resources: vec!["arn:aws:ec2:us-east-1::image/ami-1".into(), "*".into()],
            resource_owner: Some("111122223333".into()),
            context: vec![],
            principal_context: false,
            format: Format::Text,
            exit_code: false,
        }
    }

    #[test]
    fn the_request_carries_every_flag() {
        let mut a = args();
        a.context = vec![
            parse_context_arg("ec2:ResourceTag/Environment=string:Prod").unwrap(),
            parse_context_arg("aws:TagKeys=stringList:a,b").unwrap(),
        ];
        let r = build_request(&a).unwrap();
        assert_eq!(r.action, "ec2:RunInstances");
        assert_eq!(r.resources.len(), 2);
        assert_eq!(r.resources[0].owner.as_deref(), Some("111122223333"));
        assert_eq!(r.context.entries().len(), 2);
        assert_eq!(r.principal.account.as_deref(), Some("111122223333"));
    }

    #[test]
    fn a_context_key_given_twice_is_refused() {
        let mut a = args();
        a.context = vec![
            parse_context_arg("aws:SourceIp=ip:10.0.0.1").unwrap(),
            parse_context_arg("AWS:SOURCEIP=ip:10.0.0.2").unwrap(),
        ];
        let err = build_request(&a).unwrap_err();
        assert!(err.to_string().contains("--context"), "{err}");
    }

    #[test]
    fn no_policy_at_all_is_refused() {
        let err = load_policies(&args()).unwrap_err();
        assert!(matches!(err, CliError::NoPolicies), "{err}");
    }

    #[test]
    fn principal_flags_reach_the_request() {
        let mut a = args();
        a.principal = "arn:aws:sts::111122223333:assumed-role/Dev/s".into();
        a.principal_type = Some("assumed-role".into());
        a.role = Some("arn:aws:iam::111122223333:role/team/Dev".into());
        a.management_account = true;
        let r = build_request(&a).unwrap();
        assert_eq!(r.principal.principal_type, PrincipalType::AssumedRole);
        assert_eq!(
            r.principal.role_arn().as_deref(),
            Some("arn:aws:iam::111122223333:role/team/Dev")
        );
        assert!(r.principal.in_management_account);
        a.principal_type = Some("person".into());
        assert!(build_request(&a)
            .unwrap_err()
            .to_string()
            .contains("person"));
    }

    #[test]
    fn organization_levels_are_comma_separated_files() {
        assert_eq!(
            level_files("a.json,b.json"),
            vec![PathBuf::from("a.json"), PathBuf::from("b.json")]
        );
        assert_eq!(level_files("a.json"), vec![PathBuf::from("a.json")]);
    }

    #[test]
    fn every_policy_type_takes_part_in_the_decision() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, body).unwrap();
            path
        };
        let allow = |action: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
            )
        };
        let mut a = args();
        a.action = "ec2:RunInstances".into();
        a.resources = vec!["*".into()];
        a.policies = vec![write("identity.json", &allow("ec2:*"))];
        assert_eq!(evaluate(&a).unwrap().response.decision, Decision::Allowed);
        a.permissions_boundary = Some(write("boundary.json", &allow("ec2:Describe*")));
        assert_eq!(
            evaluate(&a).unwrap().response.decision,
            Decision::ImplicitDeny
        );
        a.permissions_boundary = None;
        a.scp_levels = vec![format!(
            "{},{}",
            write("full.json", &allow("*")).display(),
            write("deny.json", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"*"}]}"#).display()
        )];
        assert_eq!(
            evaluate(&a).unwrap().response.decision,
            Decision::ExplicitDeny
        );
        a.management_account = true;
        assert_eq!(evaluate(&a).unwrap().response.decision, Decision::Allowed);
    }

    #[test]
    fn policy_ids_are_file_stems() {
        assert_eq!(
            policy_id(Path::new("dir/LaunchFromProd.json")),
            "LaunchFromProd"
        );
        assert_eq!(policy_id(Path::new("p")), "p");
    }

    #[test]
    fn an_unreadable_policy_file_is_named() {
        let mut a = args();
        a.policies = vec![PathBuf::from("/nonexistent/iamspec/p.json")];
        let err = load_policies(&a).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/iamspec/p.json: cannot read"),
            "{err}"
        );
    }
}
