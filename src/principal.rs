//! The per-principal pass: every policy the code attaches to one role, user or group, taken
//! together, so that `iam:PassRole` in one policy and `lambda:CreateFunction` in another is
//! one escalation.

use crate::document::{PolicyDocument, PolicyKind, PrincipalKind};
use crate::finding::Finding;
use crate::policy::{self, Policy};
use crate::rules::{privilege_escalation, tag_condition_bypass};
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
    let mut by_principal: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (index, document) in documents.iter().enumerate() {
        if !matches!(
            document.kind,
            PolicyKind::Identity | PolicyKind::Unknown | PolicyKind::PermissionsBoundary
        ) {
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
            let entry = by_principal
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
    let found: Vec<Vec<Finding>> = groups
        .par_iter()
        .map(|((_, kind, name), indices)| {
            check_one(documents, path_of, enabled, *kind, name, indices)
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

fn check_one(
    documents: &[PolicyDocument],
    path_of: &(dyn Fn(&PolicyDocument) -> PathBuf + Sync),
    enabled: &(dyn Fn(&str) -> bool + Sync),
    kind: PrincipalKind,
    name: &str,
    indices: &[usize],
) -> Vec<Finding> {
    let mut out = Vec::new();
    {
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
            .map(|&i| (i, policy::parse(&documents[i])))
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
        let kind = match kind {
            PrincipalKind::Role => "role",
            PrincipalKind::User => "user",
            PrincipalKind::Group => "group",
            PrincipalKind::InstanceProfile => "instance profile",
        };
        for mut finding in found {
            finding
                .message
                .push_str(&format!(", across the policies of {kind} `{name}`"));
            let home = granting.iter().map(|&i| &documents[i]).find(|d| {
                d.value.span.file == finding.primary.file
                    && d.value.span.start <= finding.primary.start
                    && finding.primary.end <= d.value.span.end
            });
            finding.origin = home.and_then(|d| d.origin.label()).map(Arc::from);
            out.push(finding);
        }
    }
    out
}
