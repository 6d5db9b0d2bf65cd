//! The service data the generators draw from: actions, resource types and condition keys of
//! EC2, IAM, STS, S3 and EC2 Image Builder (`data/services.json`, transcribed from the AWS
//! Service Authorization Reference, with its sources and date), and the generator's own pools of
//! values (`data/samples.json`). Both files are compiled in.
//!
//! This module answers "which keys can a request for this action on this resource carry, and of
//! which type"; it does not draw anything.

use std::sync::OnceLock;

use iamspec::context::ContextKeyType;
use serde::Deserialize;

const SERVICES_JSON: &str = include_str!("../data/services.json");
const SAMPLES_JSON: &str = include_str!("../data/samples.json");

/// A condition key's type in the Service Authorization Reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum KeyType {
    /// `String`.
    String,
    /// `ARN`.
    #[serde(rename = "ARN")]
    Arn,
    /// `Numeric`.
    Numeric,
    /// `Bool`.
    Bool,
    /// `Date`.
    Date,
    /// `IPAddress`.
    #[serde(rename = "IPAddress")]
    Ip,
    /// `Binary` (only the generator's synthetic key).
    Binary,
    /// `ArrayOfString`: a multi-valued string key.
    ArrayOfString,
    /// `ArrayOfARN`: a multi-valued ARN key.
    #[serde(rename = "ArrayOfARN")]
    ArrayOfArn,
}

impl KeyType {
    /// The simulator's context type for a value of this key.
    pub fn context_type(self) -> ContextKeyType {
        match self {
            KeyType::String | KeyType::Arn => ContextKeyType::String,
            KeyType::Numeric => ContextKeyType::Numeric,
            KeyType::Bool => ContextKeyType::Boolean,
            KeyType::Date => ContextKeyType::Date,
            KeyType::Ip => ContextKeyType::Ip,
            KeyType::Binary => ContextKeyType::Binary,
            KeyType::ArrayOfString | KeyType::ArrayOfArn => ContextKeyType::StringList,
        }
    }

    /// True for multi-valued keys.
    pub fn is_multi_valued(self) -> bool {
        matches!(self, KeyType::ArrayOfString | KeyType::ArrayOfArn)
    }
}

/// A condition key definition (`ec2:ResourceTag/${TagKey}` is a template).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDef {
    /// The key name, possibly with a `${...}` placeholder.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub key_type: KeyType,
    /// For global keys: `request` (any request may carry it) or `action` (only where listed).
    #[serde(default)]
    pub scope: Option<String>,
    /// Free-text notes (synthetic keys say why they exist).
    #[serde(default)]
    pub notes: Option<String>,
}

/// A resource type of a service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceTypeDef {
    /// The name in the reference (`image`, `security-group`...).
    pub name: String,
    /// The ARN format with `${...}` placeholders.
    pub arn: String,
    /// The keys a resource of this type carries.
    pub condition_keys: Vec<String>,
}

/// One resource type an action touches.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionResource {
    /// The resource type name (of the same service).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// True when the reference marks it required (`*`).
    pub required: bool,
}

/// An action of a service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    /// The action name without prefix (`RunInstances`).
    pub name: String,
    /// The access level.
    pub access: String,
    /// The resource types; empty means the action only supports `*`.
    pub resources: Vec<ActionResource>,
    /// Keys of the request itself.
    pub condition_keys: Vec<String>,
}

/// One service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// The service prefix (`ec2`).
    pub prefix: String,
    /// The service's name.
    pub name: String,
    /// Its resource types.
    pub resource_types: Vec<ResourceTypeDef>,
    /// Its actions.
    pub actions: Vec<ActionDef>,
    /// Its own condition keys.
    pub condition_keys: Vec<KeyDef>,
}

/// The whole `services.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    /// The pages the data was read from.
    pub source: Vec<String>,
    /// When.
    pub date: String,
    /// What the file claims and does not claim.
    pub notes: String,
    /// The services.
    pub services: Vec<ServiceDef>,
    /// Global condition keys (`aws:...`).
    pub global_condition_keys: Vec<KeyDef>,
}

/// The generator's value pools (`samples.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Samples {
    /// What the pools are.
    pub source: String,
    /// When they were written.
    pub date: String,
    /// Account IDs.
    pub accounts: Vec<String>,
    /// Regions.
    pub regions: Vec<String>,
    /// Organization IDs.
    pub org_ids: Vec<String>,
    /// Tag keys.
    pub tag_keys: Vec<String>,
    /// Tag values (with case variants and the empty string).
    pub tag_values: Vec<String>,
    /// IAM user names.
    pub user_names: Vec<String>,
    /// IAM role names.
    pub role_names: Vec<String>,
    /// Role session names.
    pub session_names: Vec<String>,
    /// S3 bucket names.
    pub bucket_names: Vec<String>,
    /// S3 object keys.
    pub object_keys: Vec<String>,
    /// Values for specific string keys.
    pub keys: std::collections::BTreeMap<String, Vec<String>>,
    /// Numbers (with their neighbours and limits).
    pub numbers: Vec<String>,
    /// Dates (ISO 8601 and epoch seconds, with neighbours one second apart).
    pub dates: Vec<String>,
    /// IPv4 and IPv6 addresses and CIDRs (with neighbours).
    pub ips: Vec<String>,
    /// Base64 texts (with near misses).
    pub binaries: Vec<String>,
    /// Keys that are not AWS's, to reach operators no AWS key in the data has a type for.
    pub synthetic_keys: Vec<KeyDef>,
}

/// The loaded data with lookups.
#[derive(Debug)]
pub struct Vocabulary {
    /// The service data.
    pub services: Services,
    /// The value pools.
    pub samples: Samples,
    /// Every action as `prefix:Name`, with its service index and action index.
    pub actions: Vec<(String, usize, usize)>,
    /// Key definitions by name (service, global and synthetic keys).
    keys: std::collections::HashMap<String, KeyDef>,
    /// Per action: the key templates a statement about it may test (its own keys, its resource
    /// types' keys, request-scoped global keys, synthetic keys), without duplicates.
    action_keys: Vec<Vec<(String, KeyType)>>,
}

/// One resource an action touches, resolved.
#[derive(Debug, Clone, Copy)]
pub struct ActionTarget<'v> {
    /// The resource type.
    pub resource_type: &'v ResourceTypeDef,
    /// Required by the action.
    pub required: bool,
}

impl Vocabulary {
    /// The compiled-in vocabulary, loaded once.
    pub fn get() -> &'static Vocabulary {
        static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
        VOCABULARY.get_or_init(|| {
            // Both files are part of the crate and a test loads them; a parse error is a bug in
            // the data files that the test reports with its message.
            Vocabulary::load().unwrap_or_else(|e| panic!("generators/data is invalid: {e}"))
        })
    }

    /// Parses the compiled-in files.
    pub fn load() -> Result<Vocabulary, serde_json::Error> {
        let services: Services = serde_json::from_str(SERVICES_JSON)?;
        let samples: Samples = serde_json::from_str(SAMPLES_JSON)?;
        let actions = services
            .services
            .iter()
            .enumerate()
            .flat_map(|(si, s)| {
                s.actions
                    .iter()
                    .enumerate()
                    .map(move |(ai, a)| (format!("{}:{}", s.prefix, a.name), si, ai))
            })
            .collect();
        let mut keys = std::collections::HashMap::new();
        for k in services
            .services
            .iter()
            .flat_map(|s| s.condition_keys.iter())
            .chain(services.global_condition_keys.iter())
            .chain(samples.synthetic_keys.iter())
        {
            keys.entry(k.name.clone()).or_insert_with(|| k.clone());
        }
        let mut v = Vocabulary {
            services,
            samples,
            actions,
            keys,
            action_keys: Vec::new(),
        };
        v.action_keys = (0..v.actions.len())
            .map(|i| v.collect_action_keys(i))
            .collect();
        Ok(v)
    }

    fn collect_action_keys(&self, index: usize) -> Vec<(String, KeyType)> {
        let (_, action) = self.action(index);
        let mut templates: Vec<&str> = action.condition_keys.iter().map(|k| k.as_str()).collect();
        for target in self.targets(index) {
            templates.extend(
                target
                    .resource_type
                    .condition_keys
                    .iter()
                    .map(|k| k.as_str()),
            );
        }
        templates.extend(self.request_scoped_global_keys().map(|k| k.name.as_str()));
        templates.extend(self.samples.synthetic_keys.iter().map(|k| k.name.as_str()));
        let mut out: Vec<(String, KeyType)> = Vec::new();
        for t in templates {
            if let Some(def) = self.key(t) {
                if !out.iter().any(|(n, _)| n == t) {
                    out.push((t.to_string(), def.key_type));
                }
            }
        }
        out
    }

    /// The key templates a statement about an action may test, with their types.
    pub fn action_keys(&self, index: usize) -> &[(String, KeyType)] {
        &self.action_keys[index]
    }

    /// The service and action definitions of an action index.
    pub fn action(&self, index: usize) -> (&ServiceDef, &ActionDef) {
        let (_, si, ai) = &self.actions[index];
        let service = &self.services.services[*si];
        (service, &service.actions[*ai])
    }

    /// The resource types an action touches, resolved.
    pub fn targets(&self, index: usize) -> Vec<ActionTarget<'_>> {
        let (service, action) = self.action(index);
        action
            .resources
            .iter()
            .filter_map(|r| {
                service
                    .resource_types
                    .iter()
                    .find(|t| t.name == r.resource_type)
                    .map(|resource_type| ActionTarget {
                        resource_type,
                        required: r.required,
                    })
            })
            .collect()
    }

    /// The definition of a key name or template (service keys, global keys, synthetic keys).
    pub fn key(&self, name: &str) -> Option<&KeyDef> {
        self.keys.get(name)
    }

    /// Global keys any request may carry.
    pub fn request_scoped_global_keys(&self) -> impl Iterator<Item = &KeyDef> {
        self.services
            .global_condition_keys
            .iter()
            .filter(|k| k.scope.as_deref() != Some("action"))
    }

    /// Every key definition, for drawing keys a request may not carry.
    pub fn all_keys(&self) -> Vec<&KeyDef> {
        self.services
            .services
            .iter()
            .flat_map(|s| s.condition_keys.iter())
            .chain(self.services.global_condition_keys.iter())
            .chain(self.samples.synthetic_keys.iter())
            .collect()
    }

    /// The sample values for a string key, if the pools name it.
    pub fn samples_for(&self, key_template: &str) -> Option<&[String]> {
        self.samples.keys.get(key_template).map(|v| v.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_files_load_and_are_consistent() {
        let v = Vocabulary::load().expect("data files parse");
        assert!(v.services.source.len() >= 5);
        for prefix in ["ec2", "iam", "sts", "s3", "imagebuilder"] {
            let s = v
                .services
                .services
                .iter()
                .find(|s| s.prefix == prefix)
                .expect(prefix);
            assert!(s.actions.len() >= 5, "{prefix}");
            // Every resource type an action names exists, and every key named is defined.
            for a in &s.actions {
                for r in &a.resources {
                    assert!(
                        s.resource_types.iter().any(|t| t.name == r.resource_type),
                        "{prefix}:{} names unknown resource type {}",
                        a.name,
                        r.resource_type
                    );
                }
                for k in &a.condition_keys {
                    assert!(v.key(k).is_some(), "{prefix}:{} key {k}", a.name);
                }
            }
            for t in &s.resource_types {
                for k in &t.condition_keys {
                    assert!(v.key(k).is_some(), "{prefix} {} key {k}", t.name);
                }
            }
        }
    }

    #[test]
    fn instance_type_belongs_to_the_instance_of_run_instances_not_its_subnet() {
        let v = Vocabulary::get();
        let index = v
            .actions
            .iter()
            .position(|(name, _, _)| name == "ec2:RunInstances")
            .expect("RunInstances");
        let targets = v.targets(index);
        let keys_of = |t: &str| {
            targets
                .iter()
                .find(|x| x.resource_type.name == t)
                .map(|x| x.resource_type.condition_keys.clone())
                .expect(t)
        };
        assert!(keys_of("instance").contains(&"ec2:InstanceType".to_string()));
        assert!(!keys_of("subnet").contains(&"ec2:InstanceType".to_string()));
        assert!(keys_of("image")
            .iter()
            .any(|k| k == "ec2:ResourceTag/${TagKey}"));
        let image = targets
            .iter()
            .find(|x| x.resource_type.name == "image")
            .expect("image");
        assert!(image.resource_type.arn.contains("::image/"));
    }
}
