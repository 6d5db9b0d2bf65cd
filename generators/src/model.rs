//! The model of a generated policy: its document (a policy model with the style it is written
//! in, or text AWS would reject), its id and type ([`GenPolicy`]), and a case's policies by type
//! ([`GenPolicySet`]).
//!
//! Only data lives here: drawing policies is `policy`'s job, writing them `render`'s, breaking
//! them `invalid`'s.

use iamspec::organizations::Organization;
use iamspec::policy::{Policy, PolicyType};

/// How a policy is written as JSON (the model does not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RenderStyle {
    /// `Statement` as one object when the policy has exactly one statement.
    pub statement_object: bool,
    /// One-element Action/Resource/value lists written as a plain string.
    pub scalar_single: bool,
    /// Integer and boolean condition values written as JSON numbers and booleans.
    pub json_typed_values: bool,
}

/// A policy's document: a model to write as JSON, or text AWS would reject.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// A valid policy and how to write it.
    Model {
        /// The policy.
        policy: Policy,
        /// How to write it.
        style: RenderStyle,
    },
    /// Policy text made invalid on purpose (adversarial settings only), with what was broken.
    Invalid {
        /// The text.
        text: String,
        /// What was broken (`unknown-element`, `malformed-json`...), for reading the case.
        broken: String,
    },
}

/// A generated policy with its id and type.
#[derive(Debug, Clone, PartialEq)]
pub struct GenPolicy {
    /// The id matched statements name.
    pub id: String,
    /// The type it is used as.
    pub policy_type: PolicyType,
    /// The document.
    pub document: Document,
}

impl GenPolicy {
    /// The model, when the document is valid.
    pub fn model(&self) -> Option<&Policy> {
        match &self.document {
            Document::Model { policy, .. } => Some(policy),
            Document::Invalid { .. } => None,
        }
    }

    /// The model, mutably, when the document is valid.
    pub fn model_mut(&mut self) -> Option<&mut Policy> {
        match &mut self.document {
            Document::Model { policy, .. } => Some(policy),
            Document::Invalid { .. } => None,
        }
    }
}

/// The policies of a case, by type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GenPolicySet {
    /// Identity-based policies.
    pub identity: Vec<GenPolicy>,
    /// The resource-based policy.
    pub resource: Option<GenPolicy>,
    /// The permissions boundary.
    pub permissions_boundary: Option<GenPolicy>,
    /// Session policies.
    pub session: Vec<GenPolicy>,
    /// SCP levels, root first.
    pub scps: Vec<Vec<GenPolicy>>,
    /// RCP levels, root first.
    pub rcps: Vec<Vec<GenPolicy>>,
    /// Organizations of the world's accounts, each account with its own SCP and RCP levels
    /// (`policies.organizations`); when not empty, `scps` and `rcps` are empty.
    pub organizations: Vec<Organization<GenPolicy>>,
    /// The policy of the VPC endpoint that requests carrying `aws:SourceVpce` come through.
    pub vpc_endpoint: Option<GenPolicy>,
}

impl GenPolicySet {
    /// Every policy, in a fixed order.
    pub fn all(&self) -> impl Iterator<Item = &GenPolicy> {
        self.identity
            .iter()
            .chain(self.resource.iter())
            .chain(self.permissions_boundary.iter())
            .chain(self.session.iter())
            .chain(self.scps.iter().flatten())
            .chain(self.rcps.iter().flatten())
            .chain(self.organizations.iter().flat_map(|o| {
                o.accounts
                    .iter()
                    .flat_map(|a| a.scps.iter().flatten().chain(a.rcps.iter().flatten()))
            }))
            .chain(self.vpc_endpoint.iter())
    }

    /// Every policy, mutably.
    pub fn all_mut(&mut self) -> impl Iterator<Item = &mut GenPolicy> {
        self.identity
            .iter_mut()
            .chain(self.resource.iter_mut())
            .chain(self.permissions_boundary.iter_mut())
            .chain(self.session.iter_mut())
            .chain(self.scps.iter_mut().flatten())
            .chain(self.rcps.iter_mut().flatten())
            .chain(self.organizations.iter_mut().flat_map(|o| {
                o.accounts.iter_mut().flat_map(|a| {
                    a.scps
                        .iter_mut()
                        .flatten()
                        .chain(a.rcps.iter_mut().flatten())
                })
            }))
            .chain(self.vpc_endpoint.iter_mut())
    }

    /// Every SCP level and RCP level, of the flat paths and of every organization's accounts
    /// (for the rules that hold for each level).
    pub fn all_levels(&self) -> Vec<(PolicyType, &Vec<GenPolicy>)> {
        let mut levels: Vec<(PolicyType, &Vec<GenPolicy>)> = Vec::new();
        levels.extend(self.scps.iter().map(|l| (PolicyType::Scp, l)));
        levels.extend(self.rcps.iter().map(|l| (PolicyType::Rcp, l)));
        for a in self.organizations.iter().flat_map(|o| o.accounts.iter()) {
            levels.extend(a.scps.iter().map(|l| (PolicyType::Scp, l)));
            levels.extend(a.rcps.iter().map(|l| (PolicyType::Rcp, l)));
        }
        levels
    }
}
