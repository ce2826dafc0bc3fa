//! The last step of the Terraform and CloudFormation extractors. While reading they record
//! the links between resources ([`Links`]): managed policies of the code attached to
//! principals (or used as their permissions boundary), principals that inherit the identity
//! policies of others, facts to note on a principal's documents, AWS managed policies attached
//! by ARN. Once every resource is known, [`Resolver::document`] applies them to each document.

use crate::base::value::Value;
use crate::extract::document::{
    Attachment, ManagedAttachment, Origin, PolicyDocument, PolicyKind, PrincipalKind,
};
use crate::extract::managed;
use std::collections::HashMap;

/// A managed policy of the module or template (its address or logical id) attached to a
/// principal, or used as its permissions boundary.
#[derive(Debug)]
struct PolicyLink {
    policy: String,
    attachment: Attachment,
    boundary: bool,
}

/// What an extractor records about the links between resources while reading them.
#[derive(Debug, Default)]
pub struct Links {
    policies: Vec<PolicyLink>,
    /// (the role, one of its instance profiles), (the group, one of its users).
    heirs: Heirs,
    /// Facts about a principal that belong on every document it receives: (principal, note).
    notes: Vec<(String, String)>,
    /// AWS managed policies attached to principals by ARN.
    managed: Vec<ManagedAttachment>,
}

impl Links {
    /// The managed policy `policy` of the code is attached to a principal, or is its
    /// permissions boundary.
    pub fn policy(&mut self, policy: String, attachment: Attachment, boundary: bool) {
        self.policies.push(PolicyLink {
            policy,
            attachment,
            boundary,
        });
    }

    /// `heir` receives every identity policy of `principal`.
    pub fn heir(&mut self, kind: PrincipalKind, principal: String, heir: Attachment) {
        self.heirs.add(kind, principal, heir);
    }

    /// `note` belongs on every document `principal` receives.
    pub fn note(&mut self, principal: String, note: String) {
        self.notes.push((principal, note));
    }

    /// `other`'s links after these, as if made after them.
    pub fn append(&mut self, other: Links) {
        self.policies.extend(other.policies);
        for (principal, heirs) in other.heirs.by_principal {
            self.heirs
                .by_principal
                .entry(principal)
                .or_default()
                .extend(heirs);
        }
        self.notes.extend(other.notes);
        self.managed.extend(other.managed);
    }

    /// An AWS managed policy attached by ARN.
    pub fn managed(&mut self, attachment: ManagedAttachment) {
        self.managed.push(attachment);
    }

    /// A policy the code attaches by ARN without declaring it (`written` as the code writes
    /// it): an AWS managed one joins the managed attachments (not as a boundary, which grants
    /// nothing), and either way it is noted on the principal's documents.
    pub fn undeclared_policy(
        &mut self,
        principal_kind: PrincipalKind,
        principal: String,
        arn: Option<&Value>,
        written: &str,
        boundary: bool,
    ) {
        if !boundary
            && let Some(managed) =
                arn.and_then(|arn| managed::attachment(principal_kind, &principal, arn))
        {
            self.managed(managed);
        }
        let note = if boundary {
            format!("`{principal}` has permissions boundary `{written}`")
        } else {
            format!("`{principal}` also has managed policy `{written}`")
        };
        self.note(principal, note);
    }

    /// The AWS managed policies attached by ARN, for the access graph.
    pub fn managed_attachments(&self) -> &[ManagedAttachment] {
        &self.managed
    }

    /// The links indexed for [`Resolver::document`]. `instance_profiles`: whether the instance
    /// profiles a document reaches count among the principals whose notes and AWS managed
    /// policies it carries (Terraform notes who uses a profile; CloudFormation leaves them
    /// out).
    pub fn resolver(&self, instance_profiles: bool) -> Resolver<'_> {
        // Indexed by name: a large template has thousands of each, and every document looks
        // its principals up.
        let mut policies: HashMap<&str, Vec<&PolicyLink>> = HashMap::new();
        for link in &self.policies {
            policies.entry(&link.policy).or_default().push(link);
        }
        Resolver {
            policies,
            heirs: &self.heirs,
            notes: PrincipalNotes::index(&self.notes),
            managed: managed::by_principal(&self.managed),
            instance_profiles,
        }
    }
}

/// [`Links`] indexed by policy and by principal.
pub struct Resolver<'l> {
    policies: HashMap<&'l str, Vec<&'l PolicyLink>>,
    heirs: &'l Heirs,
    notes: PrincipalNotes<'l>,
    managed: HashMap<&'l str, Vec<&'l ManagedAttachment>>,
    instance_profiles: bool,
}

impl Resolver<'_> {
    /// The document found at `origin`, once the links of the policies in `owners` (the
    /// resources whose attachments apply to it) are applied: attachments and boundary uses,
    /// heirs of an identity policy's principals, the notes and AWS managed policies of its
    /// principals.
    pub fn document(
        &self,
        mut origin: Origin,
        mut kind: PolicyKind,
        value: Value,
        mut attachments: Vec<Attachment>,
        owners: &[String],
    ) -> PolicyDocument {
        let links = owners
            .iter()
            .flat_map(|owner| self.policies.get(owner.as_str()).into_iter().flatten())
            .map(|link| (&link.attachment, link.boundary));
        apply_links(&mut kind, &mut attachments, &mut origin.notes, links);
        if kind == PolicyKind::Identity {
            self.heirs.extend(&mut attachments);
        }
        let principals: Vec<String> = attachments
            .iter()
            .filter(|a| {
                self.instance_profiles || a.principal_kind != PrincipalKind::InstanceProfile
            })
            .map(|a| a.principal.clone())
            .collect();
        self.notes.copy_to(&principals, &mut origin.notes);
        PolicyDocument {
            origin,
            kind,
            value,
            managed: managed::of(&self.managed, &principals),
            attachments,
            conditional: Vec::new(),
        }
    }
}

/// Principals that receive every identity policy of another one: the instance profiles of a
/// role, the users of a group, applied to each identity document once every resource is known.
#[derive(Debug, Default)]
struct Heirs {
    by_principal: HashMap<(PrincipalKind, String), Vec<Attachment>>,
}

impl Heirs {
    fn add(&mut self, kind: PrincipalKind, principal: String, heir: Attachment) {
        self.by_principal
            .entry((kind, principal))
            .or_default()
            .push(heir);
    }

    /// Adds to `attachments` the heirs of every principal in it.
    fn extend(&self, attachments: &mut Vec<Attachment>) {
        let heirs: Vec<Attachment> = attachments
            .iter()
            .filter_map(|a| {
                self.by_principal
                    .get(&(a.principal_kind, a.principal.clone()))
            })
            .flatten()
            .cloned()
            .collect();
        for heir in heirs {
            if !attachments.contains(&heir) {
                attachments.push(heir);
            }
        }
    }
}

/// Facts recorded about principals (an AWS managed policy attached by ARN, a boundary outside
/// the code, who uses an instance profile), indexed by principal so that every document the
/// principal receives carries them.
struct PrincipalNotes<'n> {
    by_principal: HashMap<&'n str, Vec<&'n String>>,
}

impl<'n> PrincipalNotes<'n> {
    /// `notes` holds (principal, note) pairs in the order they were found.
    fn index(notes: &'n [(String, String)]) -> Self {
        let mut by_principal: HashMap<&str, Vec<&String>> = HashMap::new();
        for (principal, note) in notes {
            by_principal.entry(principal).or_default().push(note);
        }
        PrincipalNotes { by_principal }
    }

    /// Adds to `notes` what is recorded about `principals`, each note once.
    fn copy_to(&self, principals: &[String], notes: &mut Vec<String>) {
        for principal in principals {
            for note in self
                .by_principal
                .get(principal.as_str())
                .into_iter()
                .flatten()
            {
                if !notes.contains(note) {
                    notes.push((*note).clone());
                }
            }
        }
    }
}

/// Applies the links that point at one policy: the principals it is attached to, and those
/// whose permissions boundary it is. A policy used only as a boundary becomes a
/// `permissions-boundary` document; one that also grants notes the boundary use.
fn apply_links<'l>(
    kind: &mut PolicyKind,
    attachments: &mut Vec<Attachment>,
    notes: &mut Vec<String>,
    links: impl IntoIterator<Item = (&'l Attachment, bool)>,
) {
    let mut boundary_of = Vec::new();
    let mut attached = false;
    for (attachment, boundary) in links {
        if boundary {
            boundary_of.push(attachment.clone());
        } else if !attachments.contains(attachment) {
            attached = true;
            attachments.push(attachment.clone());
        }
    }
    if boundary_of.is_empty() {
        return;
    }
    if *kind == PolicyKind::Identity && !attached && attachments.is_empty() {
        *kind = PolicyKind::PermissionsBoundary;
        attachments.extend(boundary_of);
    } else {
        for attachment in boundary_of {
            notes.push(format!(
                "also the permissions boundary of `{}`",
                attachment.principal
            ));
        }
    }
}
