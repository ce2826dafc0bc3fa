//! A policy document found in a file: its value tree, where it came from, what kind of policy
//! it is, and whom it is attached to.

use crate::base::source::{FileId, Span};
use crate::base::value::Value;
use serde::Serialize;

#[derive(Clone, Debug)]
pub struct PolicyDocument {
    pub origin: Origin,
    pub kind: PolicyKind,
    /// The policy object itself (the value holding `Statement`).
    pub value: Value,
    pub attachments: Vec<Attachment>,
    /// AWS managed policies (`crate::extract::managed`) attached by ARN
    /// to the principals this document is attached to, for the per-principal pass.
    pub managed: Vec<ManagedAttachment>,
    /// Parts present only under a condition (the branches of a CloudFormation `Fn::If`).
    pub conditional: Vec<Conditional>,
}

impl PolicyDocument {
    /// An identity policy read from the JSON `text` as file 0: for tests of the layers above.
    #[cfg(test)]
    pub(crate) fn identity_from_json(text: &str) -> PolicyDocument {
        let value = crate::extract::json::parse_file(FileId(0), text)
            .ok()
            .flatten()
            .expect("valid json");
        PolicyDocument {
            origin: Origin::file(FileId(0)),
            kind: PolicyKind::Identity,
            value,
            attachments: Vec::new(),
            managed: Vec::new(),
            conditional: Vec::new(),
        }
    }
}

/// A part of a document present only when a condition has one value: a branch of
/// `Fn::If [Condition, yes, no]` (a `!Ref AWS::NoValue` branch is absence, not a part). The
/// document holds both branches at once, so an error inside one is not an error AWS always
/// meets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conditional {
    pub span: Span,
    /// The condition's logical name.
    pub condition: String,
    /// Whether the part is present when the condition is true (the first branch).
    pub when: bool,
}

impl Conditional {
    /// Whether `span` lies inside this part.
    pub fn contains(&self, span: Span) -> bool {
        self.span.file == span.file && self.span.start <= span.start && span.end <= self.span.end
    }
}

/// Where a document came from, stable across runs so it can name findings and fingerprints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    #[serde(skip)]
    pub file: FileId,
    /// Terraform address (`aws_iam_role.ci`, `data.aws_iam_policy_document.x`) or
    /// CloudFormation logical id; `None` for a raw JSON policy file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The attribute holding the policy (`assume_role_policy`, `Properties.PolicyDocument`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// Anything else a reader needs, e.g. that the resource uses `count` or `for_each`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The module call whose inputs this document of a child module was analysed with: its
    /// findings name the call, unless the child gives them on its own as well.
    #[serde(skip)]
    pub caller: Option<Caller>,
}

/// A module call (`module "x" { source = "./modules/x" }`) a child's document was analysed
/// through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The call's block header.
    pub span: Span,
    /// `module.x`, which prefixes the addresses of the child's documents.
    pub address: String,
    /// The document reads none of the call's inputs: it is the child's own, checked when the
    /// child is, and only joins the caller's access graph (no per-document rule runs on it).
    pub graph_only: bool,
}

impl Origin {
    pub fn file(file: FileId) -> Self {
        Origin {
            file,
            address: None,
            attribute: None,
            notes: Vec::new(),
            caller: None,
        }
    }

    /// `aws_iam_role.ci.assume_role_policy`, or `None` for a raw file.
    pub fn label(&self) -> Option<String> {
        match (&self.address, &self.attribute) {
            (Some(address), Some(attribute)) => Some(format!("{address}.{attribute}")),
            (Some(address), None) => Some(address.clone()),
            (None, Some(attribute)) => Some(attribute.clone()),
            (None, None) => None,
        }
    }

    /// The label the document has in its own module: without the caller's `module.x.`, so
    /// a finding found through a caller has the fingerprint of the child checked alone.
    pub fn own_label(&self) -> Option<String> {
        let label = self.label()?;
        match &self.caller {
            Some(caller) => Some(
                label
                    .strip_prefix(&format!("{}.", caller.address))
                    .map_or(label.clone(), str::to_string),
            ),
            None => Some(label),
        }
    }
}

/// What a policy is for, which decides the rules that apply (a `Principal` belongs in a trust
/// or resource policy, never in an identity policy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum PolicyKind {
    /// Not known from where it was found; rules that depend on the kind stay quiet.
    Unknown,
    Identity,
    Trust,
    Resource {
        /// The resource type carrying it (`aws_s3_bucket_policy`, `AWS::SQS::QueuePolicy`).
        resource_type: String,
    },
    PermissionsBoundary,
    ServiceControl,
}

impl PolicyKind {
    pub fn name(&self) -> &'static str {
        match self {
            PolicyKind::Unknown => "unknown",
            PolicyKind::Identity => "identity",
            PolicyKind::Trust => "trust",
            PolicyKind::Resource { .. } => "resource",
            PolicyKind::PermissionsBoundary => "permissions-boundary",
            PolicyKind::ServiceControl => "service-control",
        }
    }

    /// Kinds whose statements name whom they apply to with `Principal`.
    pub fn has_principals(&self) -> bool {
        matches!(self, PolicyKind::Trust | PolicyKind::Resource { .. })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalKind {
    Role,
    User,
    Group,
    InstanceProfile,
}

/// A principal that receives a document, as the code shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub principal_kind: PrincipalKind,
    /// Address or logical id of the principal (`aws_iam_role.ci`, `BuildRole`), or its name
    /// when it is only referenced by name.
    pub principal: String,
    /// Where the attachment is written (the attachment resource, the `Roles:` entry).
    #[serde(skip)]
    pub span: Option<Span>,
}

/// An AWS managed policy attached by ARN that names one iamlint embeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedAttachment {
    pub principal_kind: PrincipalKind,
    pub principal: String,
    /// The policy's name (`AdministratorAccess`), without its path.
    pub name: String,
    /// The ARN as written.
    pub span: Span,
}
