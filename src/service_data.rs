//! Facts about AWS services that the decision flow needs, loaded from the repository's `data/`
//! files (compiled in: the evaluator does no I/O). Each file states its source and date.

use std::sync::OnceLock;

/// The RCP service list file, compiled in.
const RCP_SERVICES_JSON: &str = include_str!("../data/rcp-supported-services.json");

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
    let service = action.split(':').next().unwrap_or("");
    rcp_supported_services()
        .iter()
        .any(|s| s.eq_ignore_ascii_case(service))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rcp_service_list_loads_and_scopes_actions() {
        assert!(rcp_supported_services().len() >= 5);
        assert!(rcps_apply_to("s3:GetObject"));
        assert!(rcps_apply_to("KMS:Decrypt"));
        assert!(!rcps_apply_to("ec2:RunInstances"));
    }
}
