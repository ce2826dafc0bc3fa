//! The sensitive-action lists of `rules/sensitive_actions.json`, and the search the
//! access-level security rules share: which action entries allow a kind of action on every
//! resource, without a condition that limits them.

use super::Policy;
use super::effective::{Effective, Reach};
use crate::catalog::{AccessLevel, ActionId, ActionSet, Catalog};
use crate::finding::Confidence;
use crate::source::Span;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../rules/sensitive_actions.json");

/// One list of the data file, resolved against the catalog.
#[derive(Debug, Default)]
pub struct Lists {
    pub credentials_exposure: ActionSet,
    pub data_exfiltration: ActionSet,
    pub resource_exposure: ActionSet,
    /// Service prefixes whose permissions-management actions manage identities.
    pub identity_services: Vec<String>,
    /// Names in the data file that the catalog does not know (a unit test keeps it empty).
    pub unknown: Vec<String>,
}

pub fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let catalog = Catalog::get();
        let mut lists = Lists::default();
        let Ok(json) = serde_json::from_str::<serde_json::Value>(DATA) else {
            lists.unknown.push("rules/sensitive_actions.json".into());
            return lists;
        };
        let names = |group: &str| -> Vec<String> {
            json.get(group)
                .and_then(|g| g.as_array())
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.get("actions")?.as_array())
                .flatten()
                .filter_map(|name| name.as_str().map(str::to_string))
                .collect()
        };
        let mut resolve = |group: &str| -> ActionSet {
            let mut set = ActionSet::new();
            for name in names(group) {
                match catalog.action(&name) {
                    Some(id) => set.insert(id),
                    None => lists.unknown.push(name),
                }
            }
            set
        };
        lists.credentials_exposure = resolve("credentials-exposure");
        lists.data_exfiltration = resolve("data-exfiltration");
        lists.resource_exposure = resolve("resource-exposure");
        lists.identity_services = names("identity-services");
        lists
    })
}

impl Lists {
    /// Permissions-management actions of the identity services, less the credential ones.
    pub fn is_permissions_management(&self, id: ActionId) -> bool {
        let catalog = Catalog::get();
        catalog
            .access_levels(id)
            .contains(AccessLevel::PermissionsManagement)
            && !self.credentials_exposure.contains(id)
            && !self.resource_exposure.contains(id)
            && self.is_identity_service(id)
    }

    /// The resource-exposure list, plus permissions-management actions of other services
    /// (their permissions management is the resource's own policy or sharing).
    pub fn is_resource_exposure(&self, id: ActionId) -> bool {
        self.resource_exposure.contains(id)
            || (Catalog::get()
                .access_levels(id)
                .contains(AccessLevel::PermissionsManagement)
                && !self.credentials_exposure.contains(id)
                && !self.is_identity_service(id))
    }

    fn is_identity_service(&self, id: ActionId) -> bool {
        let name = Catalog::get().qualified_name(id);
        let prefix = name.split(':').next().unwrap_or_default();
        self.identity_services.iter().any(|s| s == prefix)
    }
}

/// An action entry that allows some selected actions on every resource.
#[derive(Debug)]
pub struct BroadEntry {
    /// The statement holding the entry.
    pub statement: Span,
    pub action_span: Span,
    /// The entry as written (`NotAction` for that form).
    pub action_text: String,
    pub resource_span: Span,
    pub actions: Vec<ActionId>,
    pub confidence: Confidence,
}

/// Entries of `policy`'s `Allow` statements that allow actions chosen by `select` on every
/// resource (`"*"`, a type-wide wildcard, `NotResource`). Statements whose conditions limit
/// them are skipped, actions that only accept `"*"` are left out (there is nothing narrower
/// to write), and so is `*` on `*`, which `admin-access` reports.
pub fn broad_entries(policy: &Policy<'_>, select: impl Fn(ActionId) -> bool) -> Vec<BroadEntry> {
    if !super::effective::grants_to_holder(policy) {
        return Vec::new();
    }
    let catalog = Catalog::get();
    let effective = Effective::of(policy);
    let mut out = Vec::new();
    for grant in &effective.grants {
        let Some(confidence) = grant.guards.confidence() else {
            continue;
        };
        let Some((max_reach, _)) = grant.max_reach() else {
            continue;
        };
        if !max_reach.is_broad() {
            continue;
        }
        let entries: Vec<(Span, String, ActionSet)> = if grant.is_not_action() {
            match &grant.statement.action {
                Some(element) => vec![(
                    element.key_span,
                    "NotAction".to_string(),
                    grant.actions.clone(),
                )],
                None => Vec::new(),
            }
        } else {
            grant
                .entries()
                .map(|(set, value)| {
                    (
                        value.span,
                        value.as_str().unwrap_or_default().to_string(),
                        set.intersection(&grant.actions),
                    )
                })
                .collect()
        };
        for (span, text, set) in entries {
            let mut actions = Vec::new();
            let mut resource = None;
            for id in set.iter() {
                if !select(id) || catalog.accepts_only_wildcard_resource(id) {
                    continue;
                }
                let Some((reach, resource_span)) = grant.reach_for(id) else {
                    continue;
                };
                if !reach.is_broad() {
                    continue;
                }
                if reach == Reach::Everything && matches!(text.as_str(), "*" | "*:*") {
                    continue;
                }
                resource.get_or_insert(resource_span);
                actions.push(id);
            }
            if let Some(resource_span) = resource {
                out.push(BroadEntry {
                    statement: grant.statement.value.span,
                    action_span: span,
                    action_text: text,
                    resource_span,
                    actions,
                    confidence,
                });
            }
        }
    }
    out
}

impl BroadEntry {
    /// "`s3:*` allows reading data on every resource: `s3:GetObject` and 2 more"; the list is
    /// left out when the entry names the one action itself.
    pub fn message(&self, what: &str) -> String {
        let head = format!("`{}` allows {what} on every resource", self.action_text);
        match self.actions.as_slice() {
            [one]
                if Catalog::get()
                    .qualified_name(*one)
                    .eq_ignore_ascii_case(&self.action_text) =>
            {
                head
            }
            actions => format!("{head}: {}", name_list(actions, 3)),
        }
    }
}

/// `` `a`, `b`, `c` and 4 more ``: a short list of action names for a message.
pub fn name_list(actions: &[ActionId], shown: usize) -> String {
    let catalog = Catalog::get();
    let mut names: Vec<String> = actions
        .iter()
        .take(shown)
        .map(|id| format!("`{}`", catalog.qualified_name(*id)))
        .collect();
    if actions.len() > shown {
        names.push(format!("{} more", actions.len() - shown));
        let last = names.pop().unwrap_or_default();
        return format!("{} and {last}", names.join(", "));
    }
    match names.len() {
        0 | 1 => names.concat(),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} and {last}", names.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_action_is_in_the_catalog() {
        assert!(lists().unknown.is_empty(), "unknown: {:?}", lists().unknown);
        assert!(lists().credentials_exposure.len() > 10);
    }

    #[test]
    fn access_levels_split_the_lists() {
        let catalog = Catalog::get();
        let l = lists();
        let id = |n: &str| catalog.action(n).unwrap();
        assert!(l.is_permissions_management(id("iam:AttachRolePolicy")));
        assert!(!l.is_permissions_management(id("iam:CreateAccessKey")));
        assert!(!l.is_permissions_management(id("s3:PutBucketPolicy")));
        assert!(l.is_resource_exposure(id("s3:PutBucketPolicy")));
        assert!(!l.is_resource_exposure(id("iam:AttachRolePolicy")));
    }
}
