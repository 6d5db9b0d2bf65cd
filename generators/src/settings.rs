//! What the generators may produce: size limits and one switch per feature, with named presets.
//!
//! A switch is named by the corpus feature tag it controls (`corpus/features.json`), so the
//! names that turn a feature on are the names the coverage report counts. Presets are adjusted
//! with struct-update syntax or [`Settings::with`]/[`Settings::without`]:
//!
//! ```
//! use iamspec_generators::settings::{Settings, Switch};
//! let s = Settings::well_formed().without(Switch::Rcp);
//! assert!(!s.on(Switch::Rcp));
//! ```
//!
//! This module decides nothing about how a feature is generated; the generator modules read it.

use std::collections::BTreeSet;

macro_rules! switches {
    ($($variant:ident => $tag:literal, $doc:literal;)*) => {
        /// A feature the generators can be told to produce or avoid.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Switch {
            $(
                #[doc = $doc]
                $variant,
            )*
        }

        impl Switch {
            /// Every switch.
            pub const ALL: &'static [Switch] = &[$(Switch::$variant,)*];

            /// The corpus feature tag this switch controls.
            pub fn tag(self) -> &'static str {
                match self { $(Switch::$variant => $tag,)* }
            }

            /// The switch controlling a feature tag, if any.
            pub fn from_tag(tag: &str) -> Option<Switch> {
                match tag { $($tag => Some(Switch::$variant),)* _ => None }
            }
        }
    };
}

switches! {
    NotAction => "action:NotAction", "`NotAction` instead of `Action`.";
    ActionWildcard => "action:wildcard", "`*` and `?` in action patterns.";
    ActionCase => "action:case-insensitive", "Action names in another case than the service's.";
    NotResource => "resource:NotResource", "`NotResource` instead of `Resource`.";
    ResourceWildcard => "resource:wildcard", "`*` and `?` in ARN patterns.";
    ResourceCase => "resource:case-sensitive", "ARN patterns in another case (which must not match).";
    MultiResource => "resource:multi-resource", "Requests touching several resources (RunInstances).";
    Conditions => "condition:block", "Condition blocks at all (every operator family).";
    SetOperators => "set:ForAnyValue", "`ForAllValues:`/`ForAnyValue:` prefixes.";
    IfExists => "modifier:IfExists", "The `IfExists` suffix.";
    Null => "operator:Null", "The `Null` operator.";
    MultiValueOr => "condition:multi-value-or", "Several values for one condition key.";
    MultiKeyAnd => "condition:multi-key-and", "Several keys under one operator.";
    MultiOperatorAnd => "condition:multi-operator-and", "Several operators in one Condition block.";
    KeyCase => "condition:key-case-insensitive", "Condition key names in another case.";
    AbsentKeys => "condition:absent-key", "Requests that lack keys the policies ask for.";
    MultiValuedKeys => "condition:multi-valued-key", "List-typed context keys.";
    TypedValues => "condition:typed-value", "Numeric, date, IP, binary and boolean values.";
    JsonTypedValues => "condition:non-string-json-value", "Condition values written as JSON numbers or booleans.";
    Variables => "variable:substitution", "Policy variables (`${...}`).";
    VariableDefaults => "variable:default", "Policy variables with a default value.";
    VariableEscapes => "variable:special-characters", "The `${*}`, `${?}`, `${$}` escapes.";
    OldVersion => "grammar:version-2008", "Policies with Version 2008-10-17 or none.";
    StatementObject => "grammar:statement-object", "`Statement` as a single object.";
    Sids => "grammar:sid", "Statements with a `Sid`.";
    MultiplePolicies => "policy:multiple", "Several identity-based policies.";
    ResourcePolicy => "policy:resource-based", "A resource-based policy with a `Principal`.";
    NotPrincipal => "principal:NotPrincipal", "`NotPrincipal` in resource-based policies.";
    PermissionsBoundary => "policy:permissions-boundary", "A permissions boundary.";
    Session => "policy:session", "Session policies.";
    Scp => "policy:scp", "Service control policies by organization level.";
    Rcp => "policy:rcp", "Resource control policies by organization level.";
    Organizations => "org:organizations", "Accounts in or out of organizations, each with its own SCP and RCP path (`policies.organizations`).";
    VpcEndpoint => "policy:vpc-endpoint", "A VPC endpoint policy, with requests through the endpoint (`aws:SourceVpce`) and not.";
    FederatedCallers => "principal:web-identity", "Web-identity and SAML callers asking STS for a role (`AssumeRoleWithWebIdentity`/`AssumeRoleWithSAML`) under a trust policy naming their provider (`Federated`).";
    CrossAccount => "account:cross", "Principal and resource in different accounts.";
    NearMiss => "mutation:near-miss", "Values and requests mutated to sit one step away from a match.";
    InvalidPolicies => "validation:error", "Policy documents AWS rejects (adversarial only).";
}

/// Limits and switches for every generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The features that may appear.
    pub enabled: BTreeSet<Switch>,
    /// At most this many identity-based policies (at least one is always drawn).
    pub max_identity_policies: usize,
    /// At most this many statements per policy.
    pub max_statements: usize,
    /// At most this many patterns in an Action/Resource list.
    pub max_patterns: usize,
    /// At most this many operators in a Condition block.
    pub max_operators: usize,
    /// At most this many keys under one operator.
    pub max_keys_per_operator: usize,
    /// At most this many values for one condition key.
    pub max_values: usize,
    /// At most this many organization levels of SCPs/RCPs.
    pub max_org_levels: usize,
    /// At most this many requests per case (at least one).
    pub max_requests: usize,
    /// At most this many values of a multi-valued context key.
    pub max_context_values: usize,
    /// Percent of statements that are `Deny`.
    pub deny_percent: u8,
    /// Percent of statements that get a Condition block.
    pub condition_percent: u8,
    /// Percent of the keys a request could carry that it does carry.
    pub context_key_percent: u8,
    /// Percent of policies whose text is made invalid (with [`Switch::InvalidPolicies`]).
    pub invalid_percent: u8,
    /// Only inputs AWS could produce (`crate::realism` lists the rules): principals as AWS has
    /// them, resource-based policies only where the service takes one, a trust policy on every
    /// assumed role, the always-present keys present, values from each key's domain, actions
    /// with their own service's resources, organization levels AWS allows, no synthetic keys.
    /// Absent keys and edge values then appear only as named near misses.
    pub realistic: bool,
    /// Larger worlds for oracles that decide a whole batch in one call (AWS's simulator decides
    /// every action × resource of a policy set and context at once): twice the actions per
    /// service and two or three resources of each type. Off in every preset; `iamspec diff
    /// --oracle aws` turns it on ([`Settings::oracle_batch`]). Off, the worlds are exactly those
    /// drawn before the setting existed.
    pub oracle_batch: bool,
}

impl Settings {
    /// Valid policies and requests with every feature but invalid documents; sizes kept small
    /// so that cases stay readable and the decision mix stays balanced.
    pub fn well_formed() -> Self {
        Settings {
            enabled: Switch::ALL
                .iter()
                .copied()
                .filter(|s| *s != Switch::InvalidPolicies)
                .collect(),
            max_identity_policies: 2,
            max_statements: 3,
            max_patterns: 2,
            max_operators: 2,
            max_keys_per_operator: 2,
            max_values: 3,
            max_org_levels: 2,
            max_requests: 4,
            max_context_values: 3,
            deny_percent: 30,
            condition_percent: 45,
            context_key_percent: 70,
            invalid_percent: 0,
            realistic: false,
            oracle_batch: false,
        }
    }

    /// [`Settings::well_formed`] restricted to inputs AWS could produce (see
    /// [`Settings::realistic`]): the default for `iamspec diff` and the AWS oracle.
    pub fn realistic() -> Self {
        Settings {
            realistic: true,
            ..Settings::well_formed()
        }
    }

    /// Everything in [`Settings::well_formed`], larger, plus policy text AWS would reject and
    /// inputs no AWS account could produce (each written case says which, see `crate::realism`).
    pub fn adversarial() -> Self {
        Settings {
            enabled: Switch::ALL.iter().copied().collect(),
            max_identity_policies: 3,
            max_statements: 5,
            max_patterns: 4,
            max_operators: 4,
            max_keys_per_operator: 3,
            max_values: 5,
            max_org_levels: 3,
            max_requests: 6,
            max_context_values: 5,
            deny_percent: 35,
            condition_percent: 60,
            context_key_percent: 60,
            invalid_percent: 8,
            realistic: false,
            oracle_batch: false,
        }
    }

    /// Identity-based policies only, no conditions on other policy types: the smallest useful
    /// preset, for properties about one policy type.
    pub fn identity_only() -> Self {
        Settings::well_formed()
            .without(Switch::ResourcePolicy)
            .without(Switch::PermissionsBoundary)
            .without(Switch::Session)
            .without(Switch::Scp)
            .without(Switch::Rcp)
            .without(Switch::Organizations)
            .without(Switch::VpcEndpoint)
            .without(Switch::FederatedCallers)
            .without(Switch::CrossAccount)
    }

    /// This settings with larger worlds for a batching oracle (see [`Settings::oracle_batch`]).
    pub fn oracle_batch(self) -> Self {
        Settings {
            oracle_batch: true,
            ..self
        }
    }

    /// True when `switch` is on.
    pub fn on(&self, switch: Switch) -> bool {
        self.enabled.contains(&switch)
    }

    /// This settings with `switch` on.
    pub fn with(mut self, switch: Switch) -> Self {
        self.enabled.insert(switch);
        self
    }

    /// This settings with `switch` off.
    pub fn without(mut self, switch: Switch) -> Self {
        self.enabled.remove(&switch);
        self
    }

    /// The preset of that name (`realistic`, `well-formed`, `adversarial`, `identity-only`), for
    /// the CLI.
    pub fn preset(name: &str) -> Option<Settings> {
        match name {
            "realistic" => Some(Settings::realistic()),
            "well-formed" | "well_formed" => Some(Settings::well_formed()),
            "adversarial" => Some(Settings::adversarial()),
            "identity-only" | "identity_only" => Some(Settings::identity_only()),
            _ => None,
        }
    }

    /// The preset names [`Settings::preset`] knows.
    pub const PRESETS: &'static [&'static str] =
        &["realistic", "well-formed", "adversarial", "identity-only"];
}

impl Default for Settings {
    fn default() -> Self {
        Settings::well_formed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switch_tags_round_trip_and_presets_differ() {
        for &s in Switch::ALL {
            assert_eq!(Switch::from_tag(s.tag()), Some(s));
        }
        assert!(!Settings::well_formed().on(Switch::InvalidPolicies));
        assert!(Settings::adversarial().on(Switch::InvalidPolicies));
        assert!(Settings::realistic().realistic && !Settings::well_formed().realistic);
        for name in Settings::PRESETS {
            assert!(Settings::preset(name).is_some());
        }
    }
}
