//! The policies of one principal read from an account snapshot: the output of
//! `aws iam get-account-authorization-details` (IAM API `GetAccountAuthorizationDetails`;
//! `UserDetailList`, `GroupDetailList`, `RoleDetailList`, `Policies`), for
//! `iamspec eval --account-snapshot FILE --principal ARN`.
//!
//! For a user: its inline policies (`UserPolicyList`), its attached managed policies
//! (`AttachedManagedPolicies`, the version marked `IsDefaultVersion` in `Policies`), the inline
//! and attached policies of each group of its `GroupList`, and its `PermissionsBoundary`. For a
//! role, or a session of it (`assumed-role/NAME/SESSION`): the role's inline and attached
//! policies and its boundary. Documents are URL-encoded strings in the raw API and JSON objects
//! in the CLI's output; both are accepted. Policy ids say where each policy came from:
//! `user/alice inline ReadOnly`, `group/devs inline X`, `role/Dev inline X`, or the managed
//! policy's ARN.

use std::path::Path;

use iamspec::authorize::NamedPolicy;
use iamspec::policy::{envelope, parse_policy_all, PolicyType};
use serde_json::Value;

use crate::error::CliError;

/// What a snapshot says about one principal.
#[derive(Debug, Default)]
pub struct PrincipalPolicies {
    /// Inline and attached managed policies (the user's, its groups', or the role's); a managed
    /// policy attached several ways is listed once.
    pub identity: Vec<NamedPolicy>,
    /// The principal's permissions boundary, if it has one.
    pub boundary: Option<NamedPolicy>,
    /// For a role or a session of it: the role's ARN (with its path).
    pub role_arn: Option<String>,
}

/// Reads the snapshot at `path` and returns the policies of `principal` (an IAM user, role or
/// assumed-role session ARN).
pub fn load(path: &Path, principal: &str) -> Result<PrincipalPolicies, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let root: Value = serde_json::from_str(&text).map_err(|e| CliError::Snapshot {
        path: path.to_path_buf(),
        message: format!("not JSON at line {}, column {}: {e}", e.line(), e.column()),
    })?;
    Snapshot { path, root: &root }.principal(principal)
}

struct Snapshot<'a> {
    path: &'a Path,
    root: &'a Value,
}

/// The entity a principal ARN names: `user` or `role`, and its name.
fn entity_of(principal: &str) -> Option<(&'static str, &str)> {
    let resource = principal.splitn(6, ':').nth(5)?;
    if let Some(rest) = resource.strip_prefix("user/") {
        Some(("user", rest.rsplit('/').next().unwrap_or(rest)))
    } else if let Some(rest) = resource.strip_prefix("role/") {
        Some(("role", rest.rsplit('/').next().unwrap_or(rest)))
    } else if let Some(rest) = resource.strip_prefix("assumed-role/") {
        Some(("role", rest.split('/').next().unwrap_or(rest)))
    } else {
        None
    }
}

impl Snapshot<'_> {
    fn error(&self, message: String) -> CliError {
        CliError::Snapshot {
            path: self.path.to_path_buf(),
            message,
        }
    }

    /// The array at `key` of an object (absent is empty; anything else is malformed).
    fn list<'v>(&self, object: &'v Value, key: &str, at: &str) -> Result<&'v [Value], CliError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(self.error(format!("{at}: `{key}` is not a list"))),
        }
    }

    /// The string at `key` of an object.
    fn text<'v>(&self, object: &'v Value, key: &str, at: &str) -> Result<&'v str, CliError> {
        object
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| self.error(format!("{at}: `{key}` is missing or not a string")))
    }

    fn principal(&self, principal: &str) -> Result<PrincipalPolicies, CliError> {
        if !self.root.is_object() {
            return Err(self.error(
                "not the output of `aws iam get-account-authorization-details` (a JSON object with UserDetailList, GroupDetailList, RoleDetailList and Policies)".to_string(),
            ));
        }
        let Some((kind, name)) = entity_of(principal) else {
            return Err(self.error(format!(
                "--principal `{principal}` is not an IAM user, role or assumed-role session: a snapshot holds the policies of users and roles only"
            )));
        };
        let (list, name_key) = match kind {
            "user" => ("UserDetailList", "UserName"),
            _ => ("RoleDetailList", "RoleName"),
        };
        let entities = self.list(self.root, list, "the snapshot")?;
        let mut entity = None;
        for (i, e) in entities.iter().enumerate() {
            let at = format!("{list}[{i}]");
            if self.text(e, name_key, &at)? == name {
                entity = Some(e);
                break;
            }
        }
        let Some(entity) = entity else {
            return Err(self.error(format!(
                "no {kind} named `{name}` in {list} (the principal {principal})"
            )));
        };
        let id = format!("{kind}/{name}");
        let mut out = PrincipalPolicies::default();
        let inline_key = if kind == "user" {
            "UserPolicyList"
        } else {
            "RolePolicyList"
        };
        self.add_entity(entity, &id, inline_key, &mut out)?;
        if kind == "user" {
            let groups = self.list(self.root, "GroupDetailList", "the snapshot")?;
            for (i, group) in self.list(entity, "GroupList", &id)?.iter().enumerate() {
                let group_name = group.as_str().ok_or_else(|| {
                    self.error(format!("{id}: GroupList[{i}] is not a group name"))
                })?;
                let mut found = None;
                for (j, g) in groups.iter().enumerate() {
                    if self.text(g, "GroupName", &format!("GroupDetailList[{j}]"))? == group_name {
                        found = Some(g);
                        break;
                    }
                }
                let group = found.ok_or_else(|| {
                    self.error(format!(
                        "{id} is in group `{group_name}`, which GroupDetailList lacks"
                    ))
                })?;
                self.add_entity(
                    group,
                    &format!("group/{group_name}"),
                    "GroupPolicyList",
                    &mut out,
                )?;
            }
        } else {
            out.role_arn = Some(self.text(entity, "Arn", &id)?.to_string());
        }
        if let Some(boundary) = entity.get("PermissionsBoundary").filter(|b| !b.is_null()) {
            let arn = self.text(
                boundary,
                "PermissionsBoundaryArn",
                &format!("{id} PermissionsBoundary"),
            )?;
            out.boundary = Some(self.managed(arn, PolicyType::PermissionsBoundary, &id)?);
        }
        Ok(out)
    }

    /// Adds an entity's inline policies (under `inline_key`) and attached managed policies.
    fn add_entity(
        &self,
        entity: &Value,
        id: &str,
        inline_key: &str,
        out: &mut PrincipalPolicies,
    ) -> Result<(), CliError> {
        for (i, inline) in self.list(entity, inline_key, id)?.iter().enumerate() {
            let at = format!("{id} {inline_key}[{i}]");
            let name = self.text(inline, "PolicyName", &at)?;
            let document = inline
                .get("PolicyDocument")
                .ok_or_else(|| self.error(format!("{at}: `PolicyDocument` is missing")))?;
            let policy_id = format!("{id} inline {name}");
            out.identity
                .push(self.parse(document, PolicyType::Identity, policy_id)?);
        }
        for (i, attached) in self
            .list(entity, "AttachedManagedPolicies", id)?
            .iter()
            .enumerate()
        {
            let arn = self.text(
                attached,
                "PolicyArn",
                &format!("{id} AttachedManagedPolicies[{i}]"),
            )?;
            if out.identity.iter().any(|p| p.id == arn) {
                continue;
            }
            out.identity
                .push(self.managed(arn, PolicyType::Identity, id)?);
        }
        Ok(())
    }

    /// The default version of the managed policy `arn`, from `Policies`.
    fn managed(
        &self,
        arn: &str,
        policy_type: PolicyType,
        used_by: &str,
    ) -> Result<NamedPolicy, CliError> {
        let policies = self.list(self.root, "Policies", "the snapshot")?;
        let mut found = None;
        for (i, p) in policies.iter().enumerate() {
            if self.text(p, "Arn", &format!("Policies[{i}]"))? == arn {
                found = Some(p);
                break;
            }
        }
        let policy = found.ok_or_else(|| {
            self.error(format!(
                "{used_by} uses the managed policy {arn}, which Policies lacks (was the snapshot taken with a --filter that left it out?)"
            ))
        })?;
        let versions = self.list(policy, "PolicyVersionList", arn)?;
        let default = versions
            .iter()
            .find(|v| v.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true))
            .ok_or_else(|| {
                self.error(format!(
                    "managed policy {arn}: no version in PolicyVersionList has IsDefaultVersion true"
                ))
            })?;
        let document = default.get("Document").ok_or_else(|| {
            self.error(format!(
                "managed policy {arn}: the default version has no `Document`"
            ))
        })?;
        self.parse(document, policy_type, arn.to_string())
    }

    /// Parses a document given as a JSON object (the CLI's output) or a string (URL-encoded as
    /// the API returns it, or JSON text).
    fn parse(
        &self,
        document: &Value,
        policy_type: PolicyType,
        id: String,
    ) -> Result<NamedPolicy, CliError> {
        let wrapped = serde_json::json!({ "PolicyDocument": document }).to_string();
        let found =
            envelope::unwrap(&wrapped).map_err(|e| self.error(format!("{id}: {}", e.message)))?;
        let policy = parse_policy_all(&found.text, policy_type).map_err(|errors| {
            let lines: Vec<String> = errors
                .all()
                .map(|e| {
                    format!(
                        "{id}:{}:{}: {}: {}",
                        e.position.line, e.position.column, e.kind, e.message
                    )
                })
                .collect();
            self.error(format!(
                "a policy AWS would reject (positions are in the document as re-printed or decoded):\n{}",
                lines.join("\n")
            ))
        })?;
        Ok(NamedPolicy { id, policy })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_arns_name_their_entity() {
        assert_eq!(
            entity_of("arn:aws:iam::111122223333:user/team/alice"),
            Some(("user", "alice"))
        );
        assert_eq!(
            entity_of("arn:aws:sts::111122223333:assumed-role/Dev/session-1"),
            Some(("role", "Dev"))
        );
        assert_eq!(
            entity_of("arn:aws:iam::111122223333:role/service/Dev"),
            Some(("role", "Dev"))
        );
        assert_eq!(entity_of("arn:aws:iam::111122223333:root"), None);
        assert_eq!(entity_of("ec2.amazonaws.com"), None);
    }
}
