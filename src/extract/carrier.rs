//! What the Terraform and CloudFormation carrier tables are made of: a resource type, where in
//! it a policy document sits, and what kind of policy it is; the attributes naming the
//! principals that receive a policy; the resource types that are principals. Each extractor
//! keeps its own tables (`terraform/carriers.rs`, `cloudformation/carriers.rs`) and the walk to
//! the place a carrier names.

use crate::extract::document::{Attachment, PolicyKind, PrincipalKind};

/// What kind of policy a carrier holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    Identity,
    Trust,
    Resource,
    /// `aws_organizations_policy`, `AWS::Organizations::Policy`: the policy's type decides
    /// (SCP, RCP, or not IAM), as each format writes it.
    Organizations,
}

impl Holds {
    /// The kind of the documents a carrier of `resource_type` holds; `organizations` decides
    /// for an Organizations policy, `None` when it is not an IAM document.
    pub fn kind(
        self,
        resource_type: &str,
        organizations: impl FnOnce() -> Option<PolicyKind>,
    ) -> Option<PolicyKind> {
        Some(match self {
            Holds::Identity => PolicyKind::Identity,
            Holds::Trust => PolicyKind::Trust,
            Holds::Resource => PolicyKind::Resource {
                resource_type: resource_type.to_string(),
            },
            Holds::Organizations => return organizations(),
        })
    }
}

#[derive(Debug)]
pub struct Carrier {
    pub resource_type: &'static str,
    /// Where the document is: a Terraform attribute, or `block.attribute` for an attribute of
    /// a nested block; a CloudFormation path from `Properties`, `Name[]` walking every element
    /// of a list.
    pub path: &'static str,
    pub holds: Holds,
}

pub const fn carrier(resource_type: &'static str, path: &'static str, holds: Holds) -> Carrier {
    Carrier {
        resource_type,
        path,
        holds,
    }
}

/// The carriers of `resource_type` in `table`.
pub fn carriers_of<'t>(
    table: &'t [Carrier],
    resource_type: &str,
) -> impl Iterator<Item = &'t Carrier> {
    table
        .iter()
        .filter(move |c| c.resource_type == resource_type)
}

/// An attribute (a property, in CloudFormation) naming the principals that receive a policy
/// of the resource: its inline identity policy, or the managed policy it attaches.
#[derive(Debug)]
pub struct Grant {
    pub resource_type: &'static str,
    pub attribute: &'static str,
    pub principal_kind: PrincipalKind,
}

pub const fn grant(
    resource_type: &'static str,
    attribute: &'static str,
    principal_kind: PrincipalKind,
) -> Grant {
    Grant {
        resource_type,
        attribute,
        principal_kind,
    }
}

/// The grants of `resource_type` in `table`.
pub fn grants_of<'t>(table: &'t [Grant], resource_type: &str) -> impl Iterator<Item = &'t Grant> {
    table
        .iter()
        .filter(move |g| g.resource_type == resource_type)
}

/// The kind of principal a resource type of `principals` (type, kind) declares.
pub fn principal_kind(
    principals: &[(&str, PrincipalKind)],
    resource_type: &str,
) -> Option<PrincipalKind> {
    principals
        .iter()
        .find(|(t, _)| *t == resource_type)
        .map(|(_, kind)| *kind)
}

/// Whom a document of `kind` that a carrier holds is attached to: the principal declaring the
/// carrier (`own`) for its own identity and trust policies, the principals its grants name for
/// an identity policy of another resource, no one otherwise.
pub fn receivers(
    kind: &PolicyKind,
    own: Option<Attachment>,
    grants: impl FnOnce() -> Vec<Attachment>,
) -> Vec<Attachment> {
    match (kind, own) {
        (PolicyKind::Identity | PolicyKind::Trust, Some(own)) => vec![own],
        (PolicyKind::Identity, None) => grants(),
        _ => Vec::new(),
    }
}
