//! The per-principal pass: every policy the code attaches to one role, user or group, taken
//! together, so that `iam:PassRole` in one policy and `lambda:CreateFunction` in another is
//! one escalation. Rules take part through `Rule::check_principals`; this module groups the
//! documents of one input by principal and gives those rules what they share.

use super::Rule;
use crate::base::finding::Finding;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, Span};
use crate::base::text::{clip, printable};
use crate::extract::document::{PolicyDocument, PolicyKind, PrincipalKind};
use crate::extract::inventory::Inventory;
use crate::extract::managed;
use crate::policy::{self, Policy};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Principal names are local to a code base: a CloudFormation logical id to its template, a
/// Terraform address to its module directory.
pub type Key = (PathBuf, PrincipalKind, String);

/// The documents of one input grouped by the principal they are attached to: what a
/// principal-wide rule reads.
pub struct Principals<'a> {
    /// The input's attached documents, then the AWS managed policies they attach by ARN.
    pub documents: &'a [&'a PolicyDocument],
    /// Each principal with the indices of its identity policies and permissions boundaries.
    pub groups: Vec<(Key, Vec<usize>)>,
    /// Each role with the indices of its trust policies.
    pub trusts: BTreeMap<Key, Vec<usize>>,
    /// The input's principals, policies and the resources that run as roles.
    pub inventory: &'a Inventory,
    path_of: &'a (dyn Fn(FileId) -> PathBuf + Sync),
    /// Each document parsed once, when a rule first needs it: a document attached to several
    /// principals, and read by several rules, is parsed once per input.
    parsed: Vec<OnceLock<Policy<'a>>>,
    /// Whether the run may use rayon's threads (not with `--jobs 1`).
    parallel: bool,
}

/// Below this many principals a principal-wide pass stays on the calling thread: a small
/// input is checked in less time than starting the worker threads takes.
const PARALLEL_FROM: usize = 64;

/// What a principal-wide check of several policies is given: the granting policies, the
/// permissions boundaries, and the origin label of the granting policy at an index.
pub type PolicyCheck<'c> = dyn Fn(&[&Policy<'_>], &[&Policy<'_>], &dyn Fn(usize) -> Option<String>, &mut Vec<Finding>)
    + Sync
    + 'c;

/// Runs the principal-wide checks of `rules` over `documents` and `inventory` (one input's);
/// `path_of` gives a file's path. Only findings that need two documents, or a principal, are
/// produced (the others come from the per-document pass).
pub fn check(
    documents: &[PolicyDocument],
    inventory: &Inventory,
    path_of: &(dyn Fn(FileId) -> PathBuf + Sync),
    rules: &[&dyn Rule],
    parallel: bool,
) -> Vec<Finding> {
    let mut found = grouped(documents, inventory, path_of, parallel, |principals| {
        super::check_principals(rules, principals)
    });
    leave_managed_policies_to_specific_rules(&mut found);
    leave_to_child_modules(&mut found, inventory);
    // Principals sharing the same policies find the same paths: keep one of each.
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for finding in found {
        if seen.insert((finding.rule, finding.primary, finding.message.clone())) {
            out.push(finding);
        }
    }
    out
}

/// Runs `f` on the documents of one input grouped by principal, with its inventory: what
/// the principal-wide checks and `iamlint paths` read.
pub fn view<R>(
    documents: &[PolicyDocument],
    inventory: &Inventory,
    path_of: &(dyn Fn(FileId) -> PathBuf + Sync),
    f: impl FnOnce(&Principals<'_>) -> R,
) -> R {
    grouped(documents, inventory, path_of, true, f)
}

/// [`view`], saying whether the checks `f` runs may use rayon's threads.
fn grouped<R>(
    documents: &[PolicyDocument],
    inventory: &Inventory,
    path_of: &(dyn Fn(FileId) -> PathBuf + Sync),
    parallel: bool,
    f: impl FnOnce(&Principals<'_>) -> R,
) -> R {
    // AWS managed policies attached by ARN join their principals as documents of their own,
    // whose values all sit on the ARN as written; the inventory holds those of principals
    // with no document of their own.
    let mut seen = HashSet::new();
    let builtin: Vec<PolicyDocument> = documents
        .iter()
        .flat_map(|d| &d.managed)
        .chain(&inventory.managed)
        .filter(|m| seen.insert((m.principal_kind, &m.principal, &m.name, m.span)))
        .filter_map(managed::document)
        .collect();
    let documents: Vec<&PolicyDocument> = documents.iter().chain(&builtin).collect();
    let documents = documents.as_slice();
    // What a local child module declares is the caller's, under the call: its scope is the
    // caller's module.
    let called: HashMap<FileId, FileId> = inventory.called_files.iter().copied().collect();
    let path_of = &|file: FileId| path_of(called.get(&file).copied().unwrap_or(file));
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
        let path = path_of(document.origin.file);
        for attachment in &document.attachments {
            // A profile's permissions are its role's, already grouped under the role.
            if attachment.principal_kind == PrincipalKind::InstanceProfile {
                continue;
            }
            let scope = scope(&path, &attachment.principal);
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
    let principals = Principals {
        documents,
        groups: by_principal.into_iter().collect(),
        trusts,
        inventory,
        path_of,
        parsed: documents.iter().map(|_| OnceLock::new()).collect(),
        parallel,
    };
    f(&principals)
}

/// Where the name of a principal declared in `path` means something: Terraform addresses
/// (`aws_iam_role.ci`) are shared by a module's files; a CloudFormation logical id (no dot)
/// only means something in its template.
pub fn scope(path: &std::path::Path, principal: &str) -> PathBuf {
    if principal.contains('.') {
        path.parent().map(|p| p.to_path_buf()).unwrap_or_default()
    } else {
        path.to_path_buf()
    }
}

/// Drops the findings of a caller's check at a location in a local child module's files:
/// the child's own check gives them, under the child's names, when its directory is checked
/// (the same AWS managed policy, the same statements). Kept is a chain that starts in a child
/// but rests on something the caller writes (a hop through one of its resources, a policy it
/// passes in): a location in the caller's files. What starts in the caller points there.
fn leave_to_child_modules(found: &mut Vec<Finding>, inventory: &Inventory) {
    if inventory.called_files.is_empty() {
        return;
    }
    let child: HashSet<FileId> = inventory.called_files.iter().map(|(f, _)| *f).collect();
    found.retain(|f| {
        !child.contains(&f.primary.file)
            || (f.rule == RuleId::PrivilegeEscalation
                && f.related.iter().any(|l| !child.contains(&l.span.file)))
    });
}

/// Drops `broad-managed-policy` findings at an ARN where another principal-wide rule reports
/// something more specific (`privilege-escalation` through `PowerUserAccess`): that finding
/// names the AWS managed policy, and one root cause gets one finding.
fn leave_managed_policies_to_specific_rules(found: &mut Vec<Finding>) {
    let taken: HashSet<Span> = found
        .iter()
        .filter(|f| f.rule != RuleId::BroadManagedPolicy)
        .map(|f| f.primary)
        .collect();
    found.retain(|f| f.rule != RuleId::BroadManagedPolicy || !taken.contains(&f.primary));
}

impl<'a> Principals<'a> {
    /// `f` of each of `0..count`, in order: on rayon's threads when there are enough to pay
    /// for them and the run may use them, on the calling thread otherwise.
    pub fn map_each<T: Send>(&self, count: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
        if self.parallel && count >= PARALLEL_FROM {
            (0..count).into_par_iter().map(f).collect()
        } else {
            (0..count).map(f).collect()
        }
    }

    /// The path of a file of the input.
    pub fn path_of(&self, file: FileId) -> PathBuf {
        (self.path_of)(file)
    }

    /// The parsed policy of document `index`.
    pub fn policy(&self, index: usize) -> &Policy<'a> {
        self.parsed[index].get_or_init(|| policy::parse(self.documents[index]))
    }

    /// The policies among `indices` that grant permissions, and the permissions boundaries.
    pub fn granting_and_boundaries(
        &self,
        indices: &[usize],
    ) -> (Vec<&Policy<'a>>, Vec<&Policy<'a>>) {
        let (boundaries, granting): (Vec<usize>, Vec<usize>) = indices
            .iter()
            .partition(|&&i| self.documents[i].kind == PolicyKind::PermissionsBoundary);
        (
            granting.into_iter().map(|i| self.policy(i)).collect(),
            boundaries.into_iter().map(|i| self.policy(i)).collect(),
        )
    }

    /// [`Principals::across_policies`] for every principal, in the order of the groups (in
    /// parallel when there are many).
    pub fn across_every_principal(&self, check: &PolicyCheck<'_>) -> Vec<Finding> {
        self.map_each(self.groups.len(), |group| {
            let (key, indices) = &self.groups[group];
            self.across_policies(key, indices, check)
        })
        .into_iter()
        .flatten()
        .collect()
    }

    /// Runs `check` on the policies of the principal `key` when it has at least two granting
    /// ones, and names the principal (and the AWS managed policy a finding is in) in each
    /// finding.
    fn across_policies(
        &self,
        (_, kind, name): &Key,
        indices: &[usize],
        check: &PolicyCheck<'_>,
    ) -> Vec<Finding> {
        let documents = self.documents;
        let path_of = self.path_of;
        let mut out = Vec::new();
        let granting: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| documents[i].kind != PolicyKind::PermissionsBoundary)
            .collect();
        if granting.len() < 2 {
            return out;
        }
        let (policies, boundaries) = self.granting_and_boundaries(indices);
        let origin_of = |policy: usize| -> Option<String> {
            let document = &documents[*granting.get(policy)?];
            document
                .origin
                .label()
                .or_else(|| Some(path_of(document.origin.file).display().to_string()))
        };
        let mut found = Vec::new();
        check(&policies, &boundaries, &origin_of, &mut found);
        let principal = describe(*kind, name);
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
                .push_str(&format!(", across the policies of {principal}"));
            finding.origin = home.and_then(|d| d.origin.label()).map(Arc::from);
            out.push(finding);
        }
        out
    }
}

/// How a message names a principal: its kind and [`resource_name`] (``role `admin_role` ``,
/// ``role `x` in module `ci` ``).
pub fn describe(kind: PrincipalKind, address: &str) -> String {
    format!("{} {}", kind_name(kind), resource_name(address))
}

/// How a message names a resource of the code by its address: the Terraform resource label,
/// with the module it is declared in when that is not the root module
/// (`module.ci.aws_iam_role.x` → `` `x` in module `ci` ``, nested modules joined by dots), or
/// the CloudFormation logical id as it is. The name comes from the repository: it is clipped
/// and its control characters escaped (`base::text`), as every text format does.
pub fn resource_name(address: &str) -> String {
    let mut rest = address;
    let mut modules: Vec<&str> = Vec::new();
    while let Some(after) = rest.strip_prefix("module.")
        && let Some((module, inner)) = split_segment(after)
    {
        modules.push(module);
        rest = inner;
    }
    // A Terraform address is `type.label` (a resource type has no dot); a logical id has none.
    let label = split_segment(rest).map_or(rest, |(_, label)| label);
    let quoted = |text: &str| format!("`{}`", printable(&clip(text)));
    if modules.is_empty() {
        quoted(label)
    } else {
        format!("{} in module {}", quoted(label), quoted(&modules.join(".")))
    }
}

/// The first segment of a dotted address and the rest, a dot inside `[...]` (a `for_each` key)
/// not counting.
fn split_segment(address: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    for (at, c) in address.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => return Some((&address[..at], &address[at + 1..])),
            _ => {}
        }
    }
    None
}

/// How a message names a kind of principal.
pub fn kind_name(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::Role => "role",
        PrincipalKind::User => "user",
        PrincipalKind::Group => "group",
        PrincipalKind::InstanceProfile => "instance profile",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_each_keeps_the_order_on_threads_and_off() {
        let inventory = Inventory::default();
        let count = PARALLEL_FROM * 2;
        let expected: Vec<usize> = (0..count).map(|i| i * i).collect();
        for parallel in [true, false] {
            let squares = grouped(&[], &inventory, &|_| PathBuf::new(), parallel, |cx| {
                cx.map_each(count, |i| i * i)
            });
            assert_eq!(squares, expected, "parallel: {parallel}");
        }
    }

    #[test]
    fn resources_are_named_by_label_module_or_logical_id() {
        assert_eq!(resource_name("aws_iam_role.admin_role"), "`admin_role`");
        assert_eq!(
            resource_name("module.ci.aws_iam_role.x"),
            "`x` in module `ci`"
        );
        assert_eq!(
            resource_name("module.a[\"k.1\"].module.b.aws_iam_user.u[0]"),
            "`u[0]` in module `a[\"k.1\"].b`"
        );
        assert_eq!(resource_name("AdminRole"), "`AdminRole`");
        assert_eq!(resource_name("aws_iam_role.a\u{1b}[2J"), "`a\\u{1b}[2J`");
        assert_eq!(
            describe(PrincipalKind::User, "aws_iam_user.starting_user"),
            "user `starting_user`"
        );
    }
}
