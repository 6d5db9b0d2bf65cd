//! Facts about AWS services that the decision flow needs, loaded from the repository's `data/`
//! files (compiled in: the evaluator does no I/O). Each file states its source and date.

use std::sync::OnceLock;

/// The RCP service list file, compiled in.
const RCP_SERVICES_JSON: &str = include_str!("../data/rcp-supported-services.json");

/// The list of operations that need no permission, compiled in.
const NO_PERMISSION_JSON: &str = include_str!("../data/no-permission-actions.json");

#[derive(serde::Deserialize)]
struct ServiceList {
    services: Vec<String>,
}

/// The service prefixes (`s3`, `kms`...) whose actions resource control policies apply to
/// (AWS Organizations User Guide, "List of AWS services that support RCPs").
pub fn rcp_supported_services() -> &'static [String] {
    static SERVICES: OnceLock<Vec<String>> = OnceLock::new();
    SERVICES.get_or_init(|| {
        // The file is part of the crate and checked by the test below; an unreadable file
        // would mean no RCP ever applies, which the test rules out.
        serde_json::from_str::<ServiceList>(RCP_SERVICES_JSON)
            .map(|list| list.services)
            .unwrap_or_default()
    })
}

/// True when resource control policies apply to `action` (its service prefix, before `:`,
/// compared case-insensitively).
pub fn rcps_apply_to(action: &str) -> bool {
    // This runs for every decision: a binary search of the lower-cased, sorted list, comparing
    // the action's prefix lower-cased byte by byte (no allocation).
    static SORTED: OnceLock<Vec<String>> = OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut lower: Vec<String> = rcp_supported_services()
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        lower.sort_unstable();
        lower.dedup();
        lower
    });
    let service = service_prefix(action);
    sorted
        .binary_search_by(|s| {
            s.bytes()
                .cmp(service.bytes().map(|b| b.to_ascii_lowercase()))
        })
        .is_ok()
}

/// The service prefix of an action: the text before its first `:` (all of it without one).
pub fn service_prefix(action: &str) -> &str {
    // A byte search: `split(':')` costs more on these short strings, once per decision.
    match action.bytes().position(|b| b == b':') {
        Some(colon) => action.get(..colon).unwrap_or(action),
        None => action,
    }
}

/// An operation that needs no permission: it succeeds whatever the policies say, and an
/// explicit Deny does not stop it (each entry cites the page that says so).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct NoPermissionAction {
    /// The action, `service:Operation`.
    pub action: String,
    /// The principal types (the case format's names: `user`, `assumed-role`...) the cited text
    /// speaks about; other callers are decided like any other request.
    pub callers: Vec<String>,
    /// The cited page's title.
    pub source: String,
    /// The cited page.
    pub url: String,
    /// The sentence of the page that says no permission is needed.
    pub quote: String,
}

#[derive(serde::Deserialize)]
struct NoPermissionList {
    actions: Vec<NoPermissionAction>,
}

/// The operations that need no permission (`data/no-permission-actions.json`): the reference,
/// the generators and the adapters read the same list.
pub fn no_permission_actions() -> &'static [NoPermissionAction] {
    static ACTIONS: OnceLock<Vec<NoPermissionAction>> = OnceLock::new();
    ACTIONS.get_or_init(|| {
        // The file is part of the crate and checked by the tests below.
        serde_json::from_str::<NoPermissionList>(NO_PERMISSION_JSON)
            .map(|list| list.actions)
            .unwrap_or_default()
    })
}

/// True when `action` (compared case-insensitively) needs no permission for a caller of type
/// `caller` (the case format's name of a principal type).
pub fn needs_no_permission(action: &str, caller: &str) -> bool {
    no_permission_actions()
        .iter()
        .any(|a| a.action.eq_ignore_ascii_case(action) && a.callers.iter().any(|c| c == caller))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_permission_list_loads_with_a_source_for_every_action() {
        let actions = no_permission_actions();
        assert!(actions.len() >= 2);
        for a in actions {
            assert!(
                a.url.starts_with("https://docs.aws.amazon.com/"),
                "{}",
                a.action
            );
            assert!(!a.quote.is_empty() && !a.callers.is_empty(), "{}", a.action);
            assert!(a.action.contains(':'), "{}", a.action);
        }
        assert!(needs_no_permission("sts:GetCallerIdentity", "assumed-role"));
        assert!(needs_no_permission("STS:getcalleridentity", "user"));
        assert!(!needs_no_permission("sts:GetCallerIdentity", "anonymous"));
        assert!(needs_no_permission("sts:GetSessionToken", "user"));
        assert!(!needs_no_permission("sts:GetSessionToken", "assumed-role"));
        assert!(!needs_no_permission("sts:AssumeRole", "user"));
    }

    #[test]
    fn the_rcp_service_list_loads_and_scopes_actions() {
        assert!(rcp_supported_services().len() >= 5);
        assert!(rcps_apply_to("s3:GetObject"));
        assert!(rcps_apply_to("KMS:Decrypt"));
        assert!(!rcps_apply_to("ec2:RunInstances"));
    }
}
