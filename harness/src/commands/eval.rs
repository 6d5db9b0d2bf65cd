//! `iamspec eval`: decide one request against policy files and explain the decision.
//!
//! Reads and parses each policy file (its id is the file name without extension), builds the
//! [`Request`] from the flags, calls [`authorize`], and hands the answer to [`crate::report`].
//! It does not decide anything itself.

use std::path::{Path, PathBuf};

use iamspec::authorize::{authorize, NamedPolicy, PolicySet};
use iamspec::context::RequestContext;
use iamspec::explain::Decision;
use iamspec::policy::{parse_policy, PolicyType};
use iamspec::request::{Principal, PrincipalType, Request, RequestResource};

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
    let (set, warnings) = load_policies(args)?;
    let request = build_request(args)?;
    let response = authorize(&set, &request)?;
    Ok(EvalOutcome {
        request,
        response,
        warnings,
    })
}

/// The id a policy file gets: its file name without the extension.
pub fn policy_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads, parses and files every policy the flags name, by policy type.
fn load_policies(args: &EvalArgs) -> Result<(PolicySet, Vec<FileWarning>), CliError> {
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
    if loader.ids.is_empty() {
        return Err(CliError::NoPolicies);
    }
    Ok((set, loader.warnings))
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
#[derive(Default)]
struct Loader {
    ids: Vec<(String, PathBuf)>,
    warnings: Vec<FileWarning>,
}

impl Loader {
    fn load_all(
        &mut self,
        paths: &[PathBuf],
        policy_type: PolicyType,
    ) -> Result<Vec<NamedPolicy>, CliError> {
        paths.iter().map(|p| self.load(p, policy_type)).collect()
    }

    fn load(&mut self, path: &Path, policy_type: PolicyType) -> Result<NamedPolicy, CliError> {
        let id = policy_id(path);
        if let Some((_, first)) = self.ids.iter().find(|(known, _)| *known == id) {
            return Err(CliError::DuplicatePolicyId {
                id,
                first: first.clone(),
                path: path.to_path_buf(),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let policy = parse_policy(&text, policy_type).map_err(|error| CliError::Policy {
            path: path.to_path_buf(),
            error,
        })?;
        self.warnings
            .extend(policy.warnings.iter().map(|warning| FileWarning {
                path: path.to_path_buf(),
                warning: warning.clone(),
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
            principal_type: None,
            role: None,
            management_account: false,
            action: "ec2:RunInstances".into(),
            resources: vec!["arn:aws:ec2:us-east-1::image/ami-1".into(), "*".into()],
            resource_owner: Some("111122223333".into()),
            context: vec![],
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
