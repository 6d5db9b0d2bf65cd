//! `iamspec eval`: decide one request against policy files and explain the decision.
//!
//! Reads and parses each policy file (its id is the file name without extension), builds the
//! [`Request`] from the flags, calls [`authorize`], and hands the answer to [`crate::report`].
//! It does not decide anything itself.

use std::path::{Path, PathBuf};

use iamspec::authorize::{authorize, NamedPolicy, PolicySet};
use iamspec::context::RequestContext;
use iamspec::explain::{Decision, Response};
use iamspec::policy::{parse_policy, PolicyWarning};
use iamspec::request::{Principal, Request, RequestResource};

use crate::cli::{EvalArgs, PolicyTypeArg};
use crate::error::CliError;
use crate::report;

/// A warning the parser gave for one policy file.
#[derive(Debug, Clone)]
pub struct FileWarning {
    /// The policy file.
    pub path: PathBuf,
    /// The warning.
    pub warning: PolicyWarning,
}

/// What `eval` found: the request and the evaluator's answer.
#[derive(Debug, Clone)]
pub struct EvalOutcome {
    /// The request as built from the flags.
    pub request: Request,
    /// The evaluator's answer.
    pub response: Response,
    /// Warnings about the policies (accepted by AWS but probably not what was meant).
    pub warnings: Vec<FileWarning>,
}

/// Runs `iamspec eval`; returns the exit status (0, or 1 for a denial with `--exit-code`).
pub fn run(args: &EvalArgs) -> Result<u8, CliError> {
    let outcome = evaluate(args)?;
    report::print_eval(&outcome, args.format)?;
    let denied = outcome.response.decision != Decision::Allowed;
    Ok(if args.exit_code && denied { 1 } else { 0 })
}

/// Reads the policies, builds the request and decides it.
pub fn evaluate(args: &EvalArgs) -> Result<EvalOutcome, CliError> {
    let (set, warnings) = load_policies(&args.policies, args.policy_type)?;
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

fn load_policies(
    paths: &[PathBuf],
    policy_type: PolicyTypeArg,
) -> Result<(PolicySet, Vec<FileWarning>), CliError> {
    let mut named: Vec<(PathBuf, NamedPolicy)> = Vec::new();
    let mut warnings = Vec::new();
    for path in paths {
        let id = policy_id(path);
        if let Some((first, _)) = named.iter().find(|(_, p)| p.id == id) {
            return Err(CliError::DuplicatePolicyId {
                id,
                first: first.clone(),
                path: path.clone(),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
            path: path.clone(),
            source,
        })?;
        let policy =
            parse_policy(&text, policy_type.policy_type()).map_err(|error| CliError::Policy {
                path: path.clone(),
                error,
            })?;
        warnings.extend(policy.warnings.iter().map(|warning| FileWarning {
            path: path.clone(),
            warning: warning.clone(),
        }));
        named.push((path.clone(), NamedPolicy { id, policy }));
    }
    let mut policies: Vec<NamedPolicy> = named.into_iter().map(|(_, p)| p).collect();
    let mut set = PolicySet::default();
    match policy_type {
        PolicyTypeArg::Identity => set.identity = policies,
        PolicyTypeArg::Session => set.session = policies,
        PolicyTypeArg::Scp => set.scps = vec![policies],
        PolicyTypeArg::Rcp => set.rcps = vec![policies],
        PolicyTypeArg::Resource | PolicyTypeArg::PermissionsBoundary => {
            if policies.len() != 1 {
                return Err(CliError::OnePolicyOnly {
                    policy_type: if policy_type == PolicyTypeArg::Resource {
                        "resource"
                    } else {
                        "permissions-boundary"
                    },
                    count: policies.len(),
                });
            }
            let only = policies.pop();
            if policy_type == PolicyTypeArg::Resource {
                set.resource = only;
            } else {
                set.permissions_boundary = only;
            }
        }
    }
    Ok((set, warnings))
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
    Ok(Request {
        principal: Principal::from_arn(&args.principal),
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
            principal: "arn:aws:iam::111122223333:user/alice".into(),
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
    fn policy_ids_are_file_stems() {
        assert_eq!(
            policy_id(Path::new("dir/LaunchFromProd.json")),
            "LaunchFromProd"
        );
        assert_eq!(policy_id(Path::new("p")), "p");
    }

    #[test]
    fn an_unreadable_policy_file_is_named() {
        let err = load_policies(
            &[PathBuf::from("/nonexistent/iamspec/p.json")],
            PolicyTypeArg::Identity,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/iamspec/p.json: cannot read"),
            "{err}"
        );
    }
}
