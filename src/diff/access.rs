//! What one revision grants, per principal, in a form two revisions can be compared in: the
//! effective grants of each principal, who may assume each role, what each resource policy
//! opens, and the escalation chain the access graph finds from each principal.

use super::{At, Change, Hop, Kind, describe, describe_resource, locate};
use crate::base::source::{FileId, Span};
use crate::base::value::{TemplatePart, Value, ValueKind};
use crate::catalog::{ActionSet, Catalog, wildcard_match};
use crate::engine::RunOutput;
use crate::extract::document::PolicyKind;
use crate::extract::inventory::Inventory;
use crate::policy::effective::{ConditionClass, Effective, Grant, classify_resource};
use crate::policy::principals::{PrincipalType, each_principal, pinned};
use crate::policy::{self, Condition, Effect};
use crate::rules::graph::Graph;
use crate::rules::principal::{self, Key, scope};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Actions listed in a message before "and N more" (the change lists them all).
const ACTIONS_IN_MESSAGE: usize = 8;

/// Everything one revision grants that a comparison reads.
#[derive(Default)]
pub(super) struct Summary {
    grants: BTreeMap<Key, Vec<GrantInfo>>,
    trusts: BTreeMap<Key, Vec<TrustEntry>>,
    exposures: BTreeMap<(PathBuf, String), Vec<Exposure>>,
    chains: BTreeMap<Key, Vec<Chain>>,
    /// Where each principal is declared (or its first policy, when it is not).
    homes: BTreeMap<Key, Span>,
}

/// One `Allow` statement of a principal, as its effective permissions read it.
struct GrantInfo {
    actions: ActionSet,
    /// Each action entry with what it expands to and where it is written (`NotAction`: its
    /// complement, at the key).
    entries: Vec<(ActionSet, Span)>,
    resources: Vec<Resource>,
    tests: Vec<Test>,
    /// Actions a conditional `Deny` allows only under its inverted tests.
    limits: Vec<(ActionSet, Vec<Test>)>,
}

struct Resource {
    /// As written, deploy-time parts as `${expression}`; `NotResource` as one entry.
    text: String,
    /// Fully known, so it can be matched as a pattern.
    literal: bool,
    /// The ARN's service field, when written.
    service: Option<String>,
}

/// One condition test: a principal's access under it is no broader than under another test
/// of the same key and operator with at most its values (at least, for a `Not` operator).
#[derive(Clone, Debug)]
struct Test {
    class: ConditionClass,
    operator: String,
    key: String,
    values: BTreeSet<String>,
    shown: String,
}

struct TrustEntry {
    /// `AWS arn:aws:iam::111122223333:root`, `Service lambda.amazonaws.com`, `*`.
    principal: String,
    kind: Option<PrincipalType>,
    text: String,
    literal: bool,
    tests: Vec<Test>,
    span: Span,
}

struct Exposure {
    /// `anyone`, `account 111122223333`.
    what: String,
    span: Span,
}

struct Chain {
    /// Each hop's catalogue id and the principal it leads to.
    signature: Vec<(String, String)>,
    hops: Vec<Hop>,
    gains: String,
    span: Span,
}

/// Something one revision has that the other does not.
pub(super) struct Found {
    pub key: Option<Key>,
    kind: Kind,
    subject: String,
    /// What the change says when this revision is the head one.
    added: String,
    /// What it says when this revision is the base one: the head removes it.
    removed: String,
    span: Span,
    actions: Vec<String>,
    resource: Option<String>,
    chain: Vec<Hop>,
}

impl Found {
    /// As a change of the revision `run` it was found in.
    pub(super) fn into_change(self, run: &RunOutput, at: Option<At>) -> Change {
        Change {
            kind: self.kind,
            subject: self.subject,
            message: self.added,
            at: at.or_else(|| Some(locate(run, self.span))),
            actions: self.actions,
            resource: self.resource,
            chain: self.chain,
        }
    }

    /// As access the head revision removes, shown at `home`.
    pub(super) fn into_removal(self, home: Option<At>) -> Change {
        Change {
            kind: Kind::RemovedAccess,
            subject: self.subject,
            message: self.removed,
            at: home,
            actions: self.actions,
            resource: self.resource,
            chain: self.chain,
        }
    }
}

/// The principals a local child module declares, which a caller's graph names under the call
/// (`module.x.aws_iam_role.y`, in the caller's module): by that address, the child's directory.
struct ChildOwn(HashMap<String, PathBuf>);

impl ChildOwn {
    fn of(inventory: &Inventory, path_of: &dyn Fn(FileId) -> PathBuf) -> Self {
        let called: HashSet<FileId> = inventory.called_files.iter().map(|(f, _)| *f).collect();
        ChildOwn(
            inventory
                .principals
                .iter()
                .filter(|declared| called.contains(&declared.span.file))
                .map(|declared| {
                    let dir = scope(&path_of(declared.span.file), &declared.address);
                    (declared.address.clone(), dir)
                })
                .collect(),
        )
    }

    /// A child's principal seen through a call is the child's own (`aws_iam_role.y` in the
    /// child's directory), so a change to it is reported once, as when the child is checked
    /// (the child's directory is in the tree `diff` reads).
    fn key(&self, key: Key) -> Key {
        let (_, kind, address) = &key;
        let own = self.0.get(address).and_then(|dir| {
            let (_, inner) = address.strip_prefix("module.")?.split_once('.')?;
            Some((dir.clone(), *kind, inner.to_string()))
        });
        own.unwrap_or(key)
    }
}

impl Summary {
    /// A run's summary, `renamed` files (from, to) read under their new path.
    pub(super) fn of(run: &RunOutput, renamed: Option<(&Path, &Path)>) -> Summary {
        let mut summary = Summary::default();
        let path_of = |file: FileId| {
            let path = run.sources.get(file).path().to_path_buf();
            match renamed {
                Some((from, to)) if path == from => to.to_path_buf(),
                _ => path,
            }
        };
        for input in &run.inputs {
            principal::view(&input.documents, &input.inventory, &path_of, |cx| {
                let own = ChildOwn::of(cx.inventory, &path_of);
                for declared in &cx.inventory.principals {
                    let key = (
                        scope(&cx.path_of(declared.span.file), &declared.address),
                        declared.kind,
                        declared.address.clone(),
                    );
                    summary.homes.entry(own.key(key)).or_insert(declared.span);
                }
                for (key, indices) in &cx.groups {
                    let key = &own.key(key.clone());
                    let (policies, boundaries) = cx.granting_and_boundaries(indices);
                    let effective = Effective::new(&policies, &boundaries);
                    let grants = summary.grants.entry(key.clone()).or_default();
                    grants.extend(effective.grants.iter().filter_map(grant_info));
                    if let Some(&first) = indices.first() {
                        summary
                            .homes
                            .entry(key.clone())
                            .or_insert(cx.documents[first].value.span);
                    }
                }
                for (key, indices) in &cx.trusts {
                    let key = &own.key(key.clone());
                    let entries = summary.trusts.entry(key.clone()).or_default();
                    for &index in indices {
                        entries.extend(trust_entries(cx.policy(index)));
                    }
                    if let Some(&first) = indices.first() {
                        summary
                            .homes
                            .entry(key.clone())
                            .or_insert(cx.documents[first].value.span);
                    }
                }
                let graph = Graph::new(cx);
                for node in 0..graph.nodes.len() {
                    if let Some(chain) = chain(&graph, node) {
                        summary
                            .chains
                            .entry(own.key(graph.nodes[node].key.clone()))
                            .or_default()
                            .push(chain);
                    }
                }
            });
        }
        for document in &run.documents {
            if !matches!(document.kind, PolicyKind::Resource { .. }) {
                continue;
            }
            let path = path_of(document.origin.file);
            let address = document.origin.address.clone().unwrap_or_default();
            let owner = (scope(&path, &address), address);
            let parsed = policy::parse(document);
            let exposures = summary.exposures.entry(owner).or_default();
            let allows = parsed.statements.iter().filter(|s| s.is_allow());
            for (statement, id) in each_principal(allows) {
                let what = if id.is_anyone() {
                    // A condition that pins the caller (organisation, source) closes it.
                    if pinned(&parsed, statement) != Some(false) {
                        continue;
                    }
                    "anyone".to_string()
                } else if let Some(account) = id.literal_account() {
                    format!("account {account}")
                } else {
                    continue;
                };
                exposures.push(Exposure {
                    what,
                    span: id.value.span,
                });
            }
        }
        summary
    }

    pub(super) fn home(&self, key: &Option<Key>) -> Option<Span> {
        self.homes.get(key.as_ref()?).copied()
    }
}

fn grant_info(grant: &Grant<'_, '_>) -> Option<GrantInfo> {
    let statement = grant.statement;
    let element = statement.resource.as_ref()?;
    let resources = if element.negated {
        let items: Vec<String> = element.items.iter().map(|v| text_of(v)).collect();
        vec![Resource {
            text: format!("NotResource {}", items.join(", ")),
            literal: false,
            service: None,
        }]
    } else {
        element
            .items
            .iter()
            .map(|value| Resource {
                text: text_of(value),
                literal: value.as_str().is_some(),
                service: classify_resource(value).1.map(Cow::into_owned),
            })
            .collect()
    };
    let entries = match &statement.action {
        Some(action) if action.negated => vec![(grant.actions.clone(), action.key_span)],
        _ => grant
            .entries()
            .map(|(set, value)| (set.clone(), value.span))
            .collect(),
    };
    Some(GrantInfo {
        actions: grant.actions.clone(),
        entries,
        resources,
        tests: tests_of(grant.guards.tests.iter().map(|(class, c)| (*class, *c))),
        limits: grant
            .deny_limits
            .iter()
            .map(|limit| {
                (
                    limit.actions.clone(),
                    tests_of(limit.tests.iter().map(|(class, c)| (*class, *c))),
                )
            })
            .collect(),
    })
}

fn tests_of<'c, 'v: 'c>(
    tests: impl Iterator<Item = (ConditionClass, &'c Condition<'v>)>,
) -> Vec<Test> {
    tests
        .map(|(class, condition)| Test {
            class,
            operator: condition.operator.to_ascii_lowercase(),
            key: condition.key.to_ascii_lowercase(),
            values: condition.values.iter().map(|v| text_of(v)).collect(),
            shown: format!("{} {}", condition.operator, condition.key),
        })
        .collect()
}

/// A value as written, with deploy-time parts as `${expression}`: equal in two revisions
/// exactly when written the same.
fn text_of(value: &Value) -> String {
    match &value.kind {
        ValueKind::String(text) => text.clone(),
        ValueKind::Template(parts) => parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => text.clone(),
                TemplatePart::Hole(unknown) => format!("${{{}}}", unknown.expression),
            })
            .collect(),
        ValueKind::Unknown(unknown) => format!("${{{}}}", unknown.expression),
        _ => value.to_json().to_string(),
    }
}

fn trust_entries(policy: &policy::Policy<'_>) -> Vec<TrustEntry> {
    let assumes = |statement: &policy::Statement<'_>| {
        statement.action.as_ref().is_some_and(|action| {
            !action.negated
                && action.items.iter().any(|item| {
                    item.as_str().is_some_and(|pattern| {
                        [
                            "sts:AssumeRole",
                            "sts:AssumeRoleWithWebIdentity",
                            "sts:AssumeRoleWithSAML",
                        ]
                        .iter()
                        .any(|name| wildcard_match(pattern, name, true))
                    })
                })
        })
    };
    let allows = policy
        .statements
        .iter()
        .filter(|s| s.effect == Some(Effect::Allow) && s.never_applies().is_none())
        .filter(|s| assumes(s));
    each_principal(allows)
        .map(|(statement, id)| {
            let text = text_of(id.value);
            let kind = (!id.is_anyone()).then_some(id.kind);
            let principal = match kind {
                None => "*".to_string(),
                Some(kind) => format!("{} {text}", type_name(kind)),
            };
            TrustEntry {
                principal,
                kind,
                literal: id.value.as_str().is_some(),
                text,
                tests: tests_of(
                    statement
                        .conditions
                        .iter()
                        .map(|c| (ConditionClass::of(c), c)),
                ),
                span: id.value.span,
            }
        })
        .collect()
}

fn type_name(kind: PrincipalType) -> &'static str {
    match kind {
        PrincipalType::Everyone => "*",
        PrincipalType::Aws => "AWS",
        PrincipalType::Service => "Service",
        PrincipalType::Federated => "Federated",
        PrincipalType::CanonicalUser => "CanonicalUser",
    }
}

/// The chain the access graph finds from `node`, if any.
fn chain(graph: &Graph<'_, '_>, node: usize) -> Option<Chain> {
    let reached = graph.search(&graph.walk(node))?;
    let mut from = node;
    let mut hops = Vec::new();
    let mut signature = Vec::new();
    for edge in &reached.hops {
        let to = match edge.target {
            crate::rules::graph::Target::Principal(to)
            | crate::rules::graph::Target::Modify(to) => to,
        };
        signature.push((edge.path.to_string(), graph.describe(to)));
        hops.push(Hop {
            from: graph.describe(from),
            to: graph.describe(to),
            path: edge.path.to_string(),
            text: edge.text.clone(),
        });
        from = to;
    }
    let span = reached
        .hops
        .first()
        .and_then(|edge| edge.labels.first())
        .map_or(reached.power.span, |(span, _)| *span);
    Some(Chain {
        signature,
        hops,
        gains: format!(
            "{} {}",
            graph.describe(reached.end),
            reached.power.description
        ),
        span,
    })
}

/// What `new` has that `old` does not.
pub(super) fn additions(new: &Summary, old: &Summary) -> Vec<Found> {
    let mut found = Vec::new();
    let none = Vec::new();
    for (key, grants) in &new.grants {
        let before = old.grants.get(key).unwrap_or(&none);
        access_added(key, grants, before, &mut found);
    }
    let none = Vec::new();
    for (key, entries) in &new.trusts {
        let before = old.trusts.get(key).unwrap_or(&none);
        trust_added(key, entries, before, &mut found);
    }
    let none = Vec::new();
    for ((scope, address), exposures) in &new.exposures {
        let before = old
            .exposures
            .get(&(scope.clone(), address.clone()))
            .unwrap_or(&none);
        let subject = describe_resource(scope, address);
        let mut seen = BTreeSet::new();
        for exposure in exposures {
            if before.iter().any(|b| b.what == exposure.what) || !seen.insert(&exposure.what) {
                continue;
            }
            let what = match exposure.what.as_str() {
                "anyone" => "open to anyone".to_string(),
                other => format!("open to {other}"),
            };
            found.push(Found {
                key: None,
                kind: Kind::NewExposure,
                subject: subject.clone(),
                added: format!("{subject}: the resource policy is now {what}"),
                removed: format!("{subject}: the resource policy is no longer {what}"),
                span: exposure.span,
                actions: Vec::new(),
                resource: Some(exposure.what.clone()),
                chain: Vec::new(),
            });
        }
    }
    let none = Vec::new();
    for (key, chains) in &new.chains {
        let before = old.chains.get(key).unwrap_or(&none);
        for chain in chains {
            if before.iter().any(|b| b.signature == chain.signature) {
                continue;
            }
            let steps: Vec<String> = chain
                .hops
                .iter()
                .map(|hop| format!("{} ({})", hop.text, hop.path))
                .collect();
            let subject = describe(key);
            let path = format!("{}; then {}", steps.join(", then "), chain.gains);
            found.push(Found {
                key: Some(key.clone()),
                kind: Kind::NewEscalationPath,
                added: format!("{subject}: new escalation path: {path}"),
                removed: format!("{subject}: escalation path removed: {path}"),
                subject,
                span: chain.span,
                actions: Vec::new(),
                resource: None,
                chain: chain.hops.clone(),
            });
        }
    }
    found
}

/// What one grant's action allows on one resource, compared with the other revision.
enum Covered {
    Yes,
    /// Only under tests the new revision no longer has.
    UnderTests(Vec<String>),
    No,
}

fn access_added(key: &Key, grants: &[GrantInfo], before: &[GrantInfo], found: &mut Vec<Found>) {
    let catalog = Catalog::get();
    // (kind, action entry, resource, lost tests) → actions
    type Group = (Kind, (u32, u32, u32), String, Vec<String>);
    let mut groups: BTreeMap<Group, (Span, BTreeSet<String>)> = BTreeMap::new();
    for grant in grants {
        for action in grant.actions.iter() {
            let service = catalog.service_prefix(action);
            let tests = tests_for(grant, action);
            let Some(&(_, entry)) = grant
                .entries
                .iter()
                .filter(|(set, _)| set.contains(action))
                .min_by_key(|(set, _)| set.len())
            else {
                continue;
            };
            for resource in grant.resources.iter().filter(|r| applies(r, service)) {
                let (kind, lost) = match covered(before, action, service, resource, &tests) {
                    Covered::Yes => continue,
                    Covered::UnderTests(lost) => (Kind::ConditionRemoved, lost),
                    Covered::No => (Kind::NewAccess, Vec::new()),
                };
                let at = (entry.file.0, entry.start, entry.end);
                groups
                    .entry((kind, at, resource.text.clone(), lost))
                    .or_insert_with(|| (entry, BTreeSet::new()))
                    .1
                    .insert(catalog.qualified_name(action));
            }
        }
    }
    let subject = describe(key);
    for ((kind, _, resource, lost), (span, actions)) in groups {
        let actions: Vec<String> = actions.into_iter().collect();
        let listed = list_actions(&actions);
        let (added, removed) = match kind {
            Kind::ConditionRemoved => {
                let lost = quoted(&lost);
                (
                    format!(
                        "{subject}: {listed} on `{resource}` without the condition {lost} it had"
                    ),
                    format!(
                        "{subject}: {listed} on `{resource}` now only under the condition {lost}"
                    ),
                )
            }
            _ => (
                format!("{subject}: new access: {listed} on `{resource}`"),
                format!("{subject}: access removed: {listed} on `{resource}`"),
            ),
        };
        found.push(Found {
            key: Some(key.clone()),
            kind,
            subject: subject.clone(),
            added,
            removed,
            span,
            actions,
            resource: Some(resource),
            chain: Vec::new(),
        });
    }
}

fn list_actions(actions: &[String]) -> String {
    let mut shown: Vec<String> = actions
        .iter()
        .take(ACTIONS_IN_MESSAGE)
        .map(|a| format!("`{a}`"))
        .collect();
    if actions.len() > ACTIONS_IN_MESSAGE {
        shown.push(format!("and {} more", actions.len() - ACTIONS_IN_MESSAGE));
    }
    shown.join(", ")
}

fn quoted(tests: &[String]) -> String {
    tests
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tests_for(grant: &GrantInfo, action: crate::catalog::ActionId) -> Vec<Test> {
    let mut tests = grant.tests.clone();
    for (actions, limit) in &grant.limits {
        if actions.contains(action) {
            tests.extend(limit.iter().cloned());
        }
    }
    tests
}

fn applies(resource: &Resource, service: &str) -> bool {
    resource
        .service
        .as_deref()
        .is_none_or(|written| wildcard_match(written, service, true))
}

fn covered(
    before: &[GrantInfo],
    action: crate::catalog::ActionId,
    service: &str,
    resource: &Resource,
    tests: &[Test],
) -> Covered {
    let mut best: Option<Vec<String>> = None;
    for grant in before.iter().filter(|g| g.actions.contains(action)) {
        let covers = grant
            .resources
            .iter()
            .filter(|r| applies(r, service))
            .any(|r| pattern_covers(r, resource));
        if !covers {
            continue;
        }
        let lost: Vec<String> = tests_for(grant, action)
            .iter()
            .filter(|old| !tests.iter().any(|new| no_broader(new, old)))
            .map(|old| old.shown.clone())
            .collect();
        if lost.is_empty() {
            return Covered::Yes;
        }
        if best.as_ref().is_none_or(|b| lost.len() < b.len()) {
            best = Some(lost);
        }
    }
    best.map_or(Covered::No, Covered::UnderTests)
}

/// Whether the old pattern covers every resource the new one names: the same text, or a
/// literal pattern matching it (a deploy-time part of the new one matches only a `*`, and so
/// does a `*` of the new one: `?` is one character).
fn pattern_covers(old: &Resource, new: &Resource) -> bool {
    old.text == new.text
        || (old.literal
            && (old.text.contains('*') || !new.text.contains('*'))
            && wildcard_match(&old.text, &new.text, false))
}

/// Whether a new test limits at least as much as an old one: same key and operator, and no
/// value the old one did not allow (for a `Not` operator, every value it excluded).
fn no_broader(new: &Test, old: &Test) -> bool {
    new.key == old.key
        && new.operator == old.operator
        && new.class == old.class
        && if old.operator.contains("not") {
            old.values.is_subset(&new.values)
        } else {
            new.values.is_subset(&old.values)
        }
}

fn trust_added(key: &Key, entries: &[TrustEntry], before: &[TrustEntry], found: &mut Vec<Found>) {
    let subject = describe(key);
    let mut seen = BTreeSet::new();
    for entry in entries {
        let matching: Vec<&TrustEntry> = before
            .iter()
            .filter(|old| {
                old.kind.is_none()
                    || (old.kind == entry.kind
                        && (old.text == entry.text
                            || (old.literal && wildcard_match(&old.text, &entry.text, false))))
            })
            .collect();
        let mut lost: Option<Vec<String>> = None;
        let mut covered = false;
        for old in &matching {
            let missing: Vec<String> = old
                .tests
                .iter()
                .filter(|t| !entry.tests.iter().any(|new| no_broader(new, t)))
                .map(|t| t.shown.clone())
                .collect();
            if missing.is_empty() {
                covered = true;
                break;
            }
            if lost.as_ref().is_none_or(|l| missing.len() < l.len()) {
                lost = Some(missing);
            }
        }
        if covered || !seen.insert(&entry.principal) {
            continue;
        }
        let who = &entry.principal;
        let (kind, added, removed) = match lost {
            Some(lost) => {
                let lost = quoted(&lost);
                (
                    Kind::ConditionRemoved,
                    format!("{subject}: `{who}` may assume it without the condition {lost} it had"),
                    format!("{subject}: `{who}` may assume it only under the condition {lost}"),
                )
            }
            None => (
                Kind::NewTrust,
                format!("{subject}: `{who}` may now assume it"),
                format!("{subject}: `{who}` may no longer assume it"),
            ),
        };
        found.push(Found {
            key: Some(key.clone()),
            kind,
            subject: subject.clone(),
            added,
            removed,
            span: entry.span,
            actions: Vec::new(),
            resource: Some(entry.principal.clone()),
            chain: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(text: &str) -> Resource {
        Resource {
            text: text.into(),
            literal: !text.contains("${"),
            service: None,
        }
    }

    fn test(operator: &str, values: &[&str]) -> Test {
        Test {
            class: ConditionClass::SourcePin,
            operator: operator.to_ascii_lowercase(),
            key: "aws:sourcevpc".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            shown: format!("{operator} aws:SourceVpc"),
        }
    }

    #[test]
    fn a_pattern_covers_what_it_matches_and_a_wildcard_only_a_wildcard() {
        let covers = |old: &str, new: &str| pattern_covers(&resource(old), &resource(new));
        assert!(covers("*", "arn:aws:s3:::b/*"));
        assert!(covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"));
        assert!(covers("arn:aws:s3:::*", "arn:aws:s3:::${var.bucket}"));
        assert!(!covers("arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*"));
        assert!(!covers("arn:aws:s3:::b?", "arn:aws:s3:::b*"));
        assert!(!covers("arn:aws:s3:::b", "${var.arn}"));
        // A deploy-time pattern covers only itself.
        assert!(covers("${var.arn}", "${var.arn}"));
        assert!(!covers("${var.arn}/*", "${var.arn}/x"));
    }

    #[test]
    fn a_test_is_no_broader_with_fewer_values_or_more_excluded_ones() {
        let old = test("StringEquals", &["vpc-1", "vpc-2"]);
        assert!(no_broader(&test("StringEquals", &["vpc-1"]), &old));
        assert!(!no_broader(
            &test("StringEquals", &["vpc-1", "vpc-3"]),
            &old
        ));
        assert!(!no_broader(&test("StringLike", &["vpc-1"]), &old));
        let old = test("StringNotEquals", &["vpc-1"]);
        assert!(no_broader(
            &test("StringNotEquals", &["vpc-1", "vpc-2"]),
            &old
        ));
        assert!(!no_broader(&test("StringNotEquals", &[]), &old));
    }
}
