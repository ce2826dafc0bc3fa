//! The per-principal pass: every policy the code attaches to one role, user or group, taken
//! together, so that `iam:PassRole` in one policy and `lambda:CreateFunction` in another is
//! one escalation.

use crate::catalog::{Catalog, wildcard_match};
use crate::document::{PolicyDocument, PolicyKind, PrincipalKind};
use crate::finding::{Confidence, Finding};
use crate::policy::effective::{Effective, Reach};
use crate::policy::principals::{PrincipalType, principals};
use crate::policy::{self, Policy};
use crate::policy::{escalation, managed};
use crate::rules::{privilege_escalation, tag_condition_bypass};
use crate::source::Span;
use crate::value::{TemplatePart, Value, ValueKind};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Rules that also run per principal, by id.
pub const RULES: &[&str] = &["privilege-escalation", "tag-condition-bypass"];

/// Principal names are local to a code base: a CloudFormation logical id to its template, a
/// Terraform address to its module directory.
type Key = (PathBuf, PrincipalKind, String);

/// Runs the principal-wide rules over `documents`; `path_of` gives a document's file path and
/// `enabled` says which rules run. Only findings that need two documents are produced (the
/// others come from the per-document pass).
pub fn check(
    documents: &[PolicyDocument],
    path_of: &(dyn Fn(&PolicyDocument) -> PathBuf + Sync),
    enabled: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<Finding> {
    // AWS managed policies attached by ARN join their principals as documents of their own,
    // whose values all sit on the ARN as written.
    let mut seen = HashSet::new();
    let builtin: Vec<PolicyDocument> = documents
        .iter()
        .flat_map(|d| &d.managed)
        .filter(|m| seen.insert((m.principal_kind, &m.principal, &m.name, m.span)))
        .filter_map(managed::document)
        .collect();
    let documents: Vec<&PolicyDocument> = documents.iter().chain(&builtin).collect();
    let documents = documents.as_slice();
    let mut by_principal: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    let mut trusts: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (index, document) in documents.iter().enumerate() {
        let is_trust = document.kind == PolicyKind::Trust;
        if !is_trust
            && !matches!(
                document.kind,
                PolicyKind::Identity | PolicyKind::Unknown | PolicyKind::PermissionsBoundary
            )
        {
            continue;
        }
        let path = path_of(document);
        let dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
        for attachment in &document.attachments {
            // A profile's permissions are its role's, already grouped under the role.
            if attachment.principal_kind == PrincipalKind::InstanceProfile {
                continue;
            }
            // Terraform addresses (`aws_iam_role.ci`) are shared by a module's files; a
            // CloudFormation logical id (no dot) only means something in its template.
            let scope = if attachment.principal.contains('.') {
                dir.clone()
            } else {
                path.clone()
            };
            let map = if is_trust {
                &mut trusts
            } else {
                &mut by_principal
            };
            let entry = map
                .entry((
                    scope,
                    attachment.principal_kind,
                    attachment.principal.clone(),
                ))
                .or_default();
            if !entry.contains(&index) {
                entry.push(index);
            }
        }
    }
    let groups: Vec<(Key, Vec<usize>)> = by_principal.into_iter().collect();
    let chains = enabled("privilege-escalation").then(|| Chains::new(documents, &groups, trusts));
    let found: Vec<Vec<Finding>> = groups
        .par_iter()
        .map(|(key, indices)| {
            let (_, kind, name) = key;
            let mut found = check_one(documents, path_of, enabled, *kind, name, indices);
            if let Some(chains) = &chains {
                chains.check(documents, key, indices, &mut found);
            }
            found
        })
        .collect();
    // Principals sharing the same policies find the same paths: keep one of each.
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for finding in found.into_iter().flatten() {
        if seen.insert((finding.rule, finding.primary, finding.message.clone())) {
            out.push(finding);
        }
    }
    out
}

/// The principal-wide rules for one principal with several granting policies.
fn check_one(
    documents: &[&PolicyDocument],
    path_of: &(dyn Fn(&PolicyDocument) -> PathBuf + Sync),
    enabled: &(dyn Fn(&str) -> bool + Sync),
    kind: PrincipalKind,
    name: &str,
    indices: &[usize],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let granting: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&i| documents[i].kind != PolicyKind::PermissionsBoundary)
        .collect();
    if granting.len() < 2 {
        return out;
    }
    let parsed: Vec<(usize, Policy<'_>)> = indices
        .iter()
        .map(|&i| (i, policy::parse(documents[i])))
        .collect();
    let policies: Vec<&Policy<'_>> = parsed
        .iter()
        .filter(|(i, _)| documents[*i].kind != PolicyKind::PermissionsBoundary)
        .map(|(_, p)| p)
        .collect();
    let boundaries: Vec<&Policy<'_>> = parsed
        .iter()
        .filter(|(i, _)| documents[*i].kind == PolicyKind::PermissionsBoundary)
        .map(|(_, p)| p)
        .collect();
    let origin_of = |policy: usize| -> Option<String> {
        let document = &documents[*granting.get(policy)?];
        document
            .origin
            .label()
            .or_else(|| Some(path_of(document).display().to_string()))
    };
    let mut found = Vec::new();
    if enabled("privilege-escalation") {
        privilege_escalation::check_principal(&policies, &boundaries, &origin_of, &mut found);
    }
    if enabled("tag-condition-bypass") {
        tag_condition_bypass::check_principal(&policies, &boundaries, &origin_of, &mut found);
    }
    let kind = kind_name(kind);
    for mut finding in found {
        let home = granting.iter().map(|&i| &documents[i]).find(|d| {
            d.value.span.file == finding.primary.file
                && d.value.span.start <= finding.primary.start
                && finding.primary.end <= d.value.span.end
        });
        if let Some(policy) = home.and_then(|d| managed::name_of(d)) {
            finding
                .message
                .push_str(&format!(" (from AWS managed policy `{policy}`)"));
        }
        finding
            .message
            .push_str(&format!(", across the policies of {kind} `{name}`"));
        finding.origin = home.and_then(|d| d.origin.label()).map(Arc::from);
        out.push(finding);
    }
    out
}

/// What makes a role worth reaching: it is an administrator, or it can escalate.
#[derive(Debug)]
struct Danger {
    description: String,
    span: Span,
    confidence: Confidence,
}

/// Roles of the code base that are dangerous to be able to assume, and their trust policies.
struct Chains {
    /// Per scope, the dangerous roles with their trust documents.
    roles: BTreeMap<PathBuf, Vec<(String, Danger, Vec<usize>)>>,
}

impl Chains {
    fn new(
        documents: &[&PolicyDocument],
        groups: &[(Key, Vec<usize>)],
        trusts: BTreeMap<Key, Vec<usize>>,
    ) -> Chains {
        let found: Vec<(PathBuf, String, Danger, Vec<usize>)> = groups
            .par_iter()
            .filter(|((_, kind, _), _)| *kind == PrincipalKind::Role)
            .filter_map(|(key, indices)| {
                let trust = trusts.get(key)?;
                let danger = danger(documents, indices)?;
                Some((key.0.clone(), key.2.clone(), danger, trust.clone()))
            })
            .collect();
        let mut roles: BTreeMap<PathBuf, Vec<_>> = BTreeMap::new();
        for (scope, name, danger, trust) in found {
            roles.entry(scope).or_default().push((name, danger, trust));
        }
        Chains { roles }
    }

    /// Findings for every dangerous role of the same code base that `principal` may assume
    /// and whose trust policy lets it.
    fn check(
        &self,
        documents: &[&PolicyDocument],
        (scope, kind, name): &Key,
        indices: &[usize],
        out: &mut Vec<Finding>,
    ) {
        let Some(roles) = self.roles.get(scope) else {
            return;
        };
        let Some(assume) = Catalog::get().action("sts:AssumeRole") else {
            return;
        };
        let parsed: Vec<Policy<'_>> = indices
            .iter()
            .filter(|&&i| documents[i].kind != PolicyKind::PermissionsBoundary)
            .map(|&i| policy::parse(documents[i]))
            .collect();
        let policies: Vec<&Policy<'_>> = parsed.iter().collect();
        let effective = Effective::new(&policies, &[]);
        for hit in effective.hits(assume) {
            // An administrator gains nothing by a hop; `admin-access` reports it.
            if matches!(hit.action_text, "*" | "*:*") {
                continue;
            }
            let Some(hit_confidence) = hit.grant.guards.confidence() else {
                continue;
            };
            let resources = hit.grant.statement.resources();
            for (role, danger, trust) in roles {
                if role == name {
                    continue;
                }
                let named = resources.iter().any(|r| references(r, role));
                if !named && !hit.reach.is_broad() {
                    continue;
                }
                let Some((trust_span, trust_confidence)) = trusted_by(documents, trust, name)
                else {
                    continue;
                };
                let kind = kind_name(*kind);
                let confidence = danger.confidence.min(trust_confidence).min(hit_confidence);
                out.push(
                    privilege_escalation::PrivilegeEscalation::META
                        .finding(
                            hit.action_span,
                            format!(
                                "`{}` lets {kind} `{name}` act as role `{role}`, which {}",
                                hit.action_text, danger.description
                            ),
                        )
                        .with_related(trust_span, format!("`{role}` trusts `{name}`"))
                        .with_related(danger.span, format!("what `{role}` may do"))
                        .with_help("name the roles this principal may assume, or narrow the trust policy of the role it reaches")
                        .with_confidence(confidence),
                );
            }
        }
    }
}

/// Whether a role's own policies make it an administrator or let it escalate.
fn danger(documents: &[&PolicyDocument], indices: &[usize]) -> Option<Danger> {
    let parsed: Vec<(bool, Policy<'_>)> = indices
        .iter()
        .map(|&i| {
            (
                documents[i].kind == PolicyKind::PermissionsBoundary,
                policy::parse(documents[i]),
            )
        })
        .collect();
    let policies: Vec<&Policy<'_>> = parsed.iter().filter(|(b, _)| !b).map(|(_, p)| p).collect();
    let boundaries: Vec<&Policy<'_>> = parsed.iter().filter(|(b, _)| *b).map(|(_, p)| p).collect();
    let effective = Effective::new(&policies, &boundaries);
    let all = Catalog::get().all_actions();
    for grant in &effective.grants {
        if grant.guards.confidence() != Some(Confidence::High) || grant.actions != all {
            continue;
        }
        if let Some((Reach::Everything, _)) = grant.max_reach()
            && let Some((_, value)) = grant
                .entries()
                .find(|(_, v)| matches!(v.as_str(), Some("*" | "*:*")))
        {
            return Some(Danger {
                description: "is an administrator".into(),
                span: value.span,
                confidence: Confidence::High,
            });
        }
    }
    let matches = escalation::find(&effective);
    let best = matches.iter().max_by_key(|m| m.confidence)?;
    let hit = &best.hits[best.primary()];
    Some(Danger {
        description: format!("can escalate: {}", best.path.summary),
        span: hit.action_span,
        confidence: best.confidence,
    })
}

/// Whether a value refers to the resource `address` of the same code base.
fn references(value: &Value, address: &str) -> bool {
    let refers = |unknown: &crate::value::Unknown| {
        unknown
            .reference
            .as_ref()
            .is_some_and(|r| r.address == address)
    };
    match &value.kind {
        ValueKind::Unknown(unknown) => refers(unknown),
        ValueKind::Template(parts) => parts.iter().any(|part| match part {
            TemplatePart::Hole(unknown) => refers(unknown),
            TemplatePart::Literal(_) => false,
        }),
        _ => false,
    }
}

/// Whether one of the trust documents lets `principal` assume the role: by reference (high),
/// or through its account's root (medium: the account's policies decide).
fn trusted_by(
    documents: &[&PolicyDocument],
    trust: &[usize],
    principal: &str,
) -> Option<(Span, Confidence)> {
    let mut best: Option<(Span, Confidence)> = None;
    for &index in trust {
        let policy = policy::parse(documents[index]);
        for statement in policy.statements.iter().filter(|s| s.is_allow()) {
            let assumes = statement.actions().iter().any(|a| {
                a.as_str()
                    .is_some_and(|p| wildcard_match(p, "sts:AssumeRole", true))
            });
            if !assumes {
                continue;
            }
            let conditional = !statement.conditions.is_empty();
            for id in principals(statement) {
                if id.kind != PrincipalType::Aws {
                    continue;
                }
                let confidence = if references(id.value, principal) {
                    Confidence::High
                } else if id.is_account_root() || id.is_anyone() {
                    Confidence::Medium
                } else {
                    continue;
                };
                let confidence = if conditional {
                    Confidence::Low
                } else {
                    confidence
                };
                if best.is_none_or(|(_, c)| c < confidence) {
                    best = Some((id.value.span, confidence));
                }
            }
        }
    }
    best
}

fn kind_name(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::Role => "role",
        PrincipalKind::User => "user",
        PrincipalKind::Group => "group",
        PrincipalKind::InstanceProfile => "instance profile",
    }
}
