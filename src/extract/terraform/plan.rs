//! Terraform plan and state JSON, as `terraform show -json` writes it: every IAM policy a
//! resource will have once applied, also in registry and remote modules the static reading
//! cannot see, with the principals and runners the access graph needs. Recognised by content
//! (a top-level `format_version` with `planned_values`, `resource_changes`, `values`,
//! `configuration` or `prior_state`).
//!
//! Values come from `planned_values`, then `prior_state` (data sources read while planning),
//! then `values` (state), then `resource_changes[].change.after`, one instance per address.
//! A value the plan marks in `after_unknown` (or leaves out) is only known after apply: it is
//! not read, never taken as `*` or as present. Policies are JSON text inside JSON strings;
//! their spans point inside the string, through the escapes.
//!
//! Where the plan's `configuration` leads to a module in the scanned tree (local `source`s,
//! from the plan's directory), each resource is mapped to the block iamlint parses there, and
//! each policy attribute to its argument: [`Planned`] tells the engine where to report.

use super::carriers::{
    ATTACHMENTS, CARRIERS, GRANTS, GROUP_MEMBERSHIPS, PRINCIPALS, RUNNER_NAMES, RUNNERS,
};
use super::module::ReadFiles;
use super::{ParsedFiles, organizations_kind, resource_type_of};
use crate::base::finding::{Finding, Problem};
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, Span};
use crate::base::value::{Value, ValueKind};
use crate::extract::carrier::{self, carriers_of, grants_of, receivers};
use crate::extract::document::{Attachment, Origin, PolicyDocument, PolicyKind, PrincipalKind};
use crate::extract::inventory::{Declared, Inventory, Runner};
use crate::extract::link::Links;
use crate::extract::{Extraction, json, raw_policy, syntax_error};
use memchr::memmem::Finder;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

/// Top-level keys that, with `format_version`, make a JSON file a plan or a state.
const PLAN_KEYS: &[&str] = &[
    "planned_values",
    "resource_changes",
    "values",
    "configuration",
    "prior_state",
];

/// A cheap look at the text before parsing it as a plan: both key names appear somewhere.
pub fn looks_like_plan(text: &str) -> bool {
    // Asked of every JSON file, most of which are not plans: see `mentions_template`.
    static FORMAT_VERSION: LazyLock<Finder<'static>> =
        LazyLock::new(|| Finder::new("\"format_version\""));
    FORMAT_VERSION.find(text.as_bytes()).is_some()
        && PLAN_KEYS
            .iter()
            .any(|key| text.contains(&format!("\"{key}\"")))
}

/// Where the findings inside a part of the plan are reported: a resource's `values`, or one
/// of its policy attributes.
#[derive(Clone, Debug)]
pub struct Planned {
    /// The part of the plan.
    pub span: Span,
    /// The resource instance's address in the plan (`module.iam.aws_iam_role.this[0]`).
    pub address: String,
    /// The resource block, or the argument, in the configuration iamlint read; `None` when
    /// the configuration is not in the scanned tree (a registry module).
    pub source: Option<Span>,
}

/// A policy attribute of the configuration the plan gives a value for: the module directory
/// and the document's label there (`aws_iam_role_policy.x.policy`). The static finding on it
/// gives way to the plan's (see [`covers`]).
pub type Covered = (PathBuf, String);

/// Moves each finding inside a planned value to the configuration it was planned from, the
/// plan staying as a related location; one whose configuration is not in the tree stays in
/// the plan and names the resource's address. The innermost part holding a finding decides.
/// The parts are JSON nodes of one file, so they nest: one sweep in order of position, with
/// the stack of parts open at the finding, costs a sort, not findings times parts.
pub fn relocate<'f>(findings: impl IntoIterator<Item = &'f mut Finding>, planned: &mut [Planned]) {
    let Some(file) = planned.first().map(|p| p.span.file) else {
        return;
    };
    planned.sort_by_key(|p| (p.span.start, std::cmp::Reverse(p.span.end)));
    let mut findings: Vec<&mut Finding> = findings
        .into_iter()
        .filter(|f| f.primary.file == file)
        .collect();
    findings.sort_by_key(|f| (f.primary.start, f.primary.end));
    let mut open: Vec<&Planned> = Vec::new();
    let mut next = 0;
    for finding in findings {
        let at = finding.primary;
        while let Some(part) = planned.get(next).filter(|p| p.span.start <= at.start) {
            while open
                .last()
                .is_some_and(|top| top.span.end <= part.span.start)
            {
                open.pop();
            }
            open.push(part);
            next += 1;
        }
        let Some(part) = open.iter().rev().find(|p| at.end <= p.span.end) else {
            continue;
        };
        match part.source {
            Some(source) => {
                finding.primary = source;
                finding.related.insert(
                    0,
                    crate::base::finding::Label {
                        span: at,
                        message: format!("the planned value of `{}`", part.address),
                    },
                );
            }
            None => finding.message = format!("{} (in `{}`)", finding.message, part.address),
        }
    }
}

/// Whether a finding of the static reading is one the plan's replaces: its document is a
/// policy attribute the plan knows the value of (`covered`). `path` is the file it points
/// into.
pub fn covers(covered: &HashSet<Covered>, finding: &Finding, path: &Path) -> bool {
    let (Some(origin), Some(dir)) = (finding.origin.as_deref(), path.parent()) else {
        return false;
    };
    covered.contains(&(dir.to_path_buf(), origin.to_string()))
}

/// Extracts a plan or state, or `None` when the file is not one (then it is some other JSON).
pub fn extract(file: FileId, source: &SourceFile, read: &dyn ReadFiles) -> Option<Extraction> {
    let text = source.text();
    if !looks_like_plan(text) {
        return None;
    }
    let root = match json::parse_file(file, text) {
        Ok(Some(root)) => root,
        Ok(None) => return None,
        Err(error) => {
            let mut out = Extraction::default();
            out.diagnostics.push(syntax_error(
                file,
                text,
                error.offset,
                format!(
                    "invalid JSON in what looks like a Terraform plan: {}",
                    error.message
                ),
            ));
            return Some(out);
        }
    };
    // Every plan key holds an object, but `resource_changes`, a list.
    let is_plan = root.get("format_version").is_some_and(Value::is_stringish)
        && PLAN_KEYS.iter().any(|&key| {
            root.get(key).is_some_and(|v| match key {
                "resource_changes" => v.as_array().is_some(),
                _ => v.as_object().is_some(),
            })
        });
    if !is_plan {
        return None;
    }
    let mut out = Extraction::default();
    if let Some(version) = root.get("format_version")
        && let Some(major) = version.as_str().and_then(|v| v.split('.').next())
        && major != "0"
        && major != "1"
    {
        out.diagnostics.push(Problem::new(
            RuleId::ParseError,
            version.span,
            format!(
                "Terraform JSON format version {} is not supported (iamlint reads 0.x and 1.x)",
                version.as_str().unwrap_or_default()
            ),
        ));
        return Some(out);
    }
    let dir = source
        .path()
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let resources = resources(&root);
    let mut reader = Reader {
        file,
        text,
        addresses: resources.iter().map(|r| r.address).collect(),
        resources,
        links: Links::default(),
        names: HashMap::new(),
        inventory: Inventory::default(),
        configuration: Configuration::new(&root, dir, read),
        out,
    };
    reader.index_names();
    reader.read_all();
    Some(reader.finish())
}

/// One resource instance of the plan.
struct Resource<'v> {
    address: &'v str,
    /// The `address` member's value, where a finding about the resource as a whole points.
    address_span: Span,
    data: bool,
    kind: &'v str,
    values: &'v Value,
    /// `after_unknown` of its change: `true` where a value is only known after apply.
    unknown: Option<&'v Value>,
}

/// Every resource instance, once per address, from where the plan holds its values.
fn resources(root: &Value) -> Vec<Resource<'_>> {
    let changes: Vec<&Value> = root
        .get("resource_changes")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .collect();
    let unknown_of: HashMap<&str, &Value> = changes
        .iter()
        .filter_map(|change| {
            let address = change.get("address")?.as_str()?;
            Some((address, change.get("change")?.get("after_unknown")?))
        })
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let modules = [
        root.get("planned_values"),
        root.get("prior_state").and_then(|s| s.get("values")),
        root.get("values"),
    ];
    for module in modules
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("root_module"))
    {
        let mut stack = vec![module];
        while let Some(module) = stack.pop() {
            for resource in module
                .get("resources")
                .and_then(Value::as_array)
                .unwrap_or_default()
            {
                let Some(values) = resource.get("values") else {
                    continue;
                };
                if let Some(found) = instance(resource, values, &unknown_of)
                    && seen.insert(found.address)
                {
                    out.push(found);
                }
            }
            if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
                stack.extend(children.iter().rev());
            }
        }
    }
    for change in changes {
        let Some(after) = change.get("change").and_then(|c| c.get("after")) else {
            continue;
        };
        // A resource being destroyed has no value after.
        if after.as_object().is_none() {
            continue;
        }
        if let Some(found) = instance(change, after, &unknown_of)
            && seen.insert(found.address)
        {
            out.push(found);
        }
    }
    out
}

fn instance<'v>(
    resource: &'v Value,
    values: &'v Value,
    unknown_of: &HashMap<&str, &'v Value>,
) -> Option<Resource<'v>> {
    let address_value = resource.get("address")?;
    let address = address_value.as_str()?;
    Some(Resource {
        address,
        address_span: address_value.span,
        data: resource.get("mode").and_then(Value::as_str) == Some("data"),
        kind: resource.get("type")?.as_str()?,
        values,
        unknown: unknown_of.get(address).copied(),
    })
}

/// Whether `after_unknown` marks this value unknown.
fn is_unknown(unknown: Option<&Value>) -> bool {
    matches!(
        unknown,
        Some(Value {
            kind: ValueKind::Bool(true),
            ..
        })
    )
}

/// The known strings at `path` (`attribute`, or `block.attribute` in every nested block) of a
/// resource's values, list items included; what `after_unknown` marks unknown is left out,
/// and so is what is absent or null.
fn known_strings<'v>(values: &'v Value, unknown: Option<&'v Value>, path: &str) -> Vec<&'v Value> {
    let mut out = Vec::new();
    collect_strings(values, unknown, path, &mut out);
    out
}

fn collect_strings<'v>(
    values: &'v Value,
    unknown: Option<&'v Value>,
    path: &str,
    out: &mut Vec<&'v Value>,
) {
    let (key, rest) = match path.split_once('.') {
        Some((key, rest)) => (key, Some(rest)),
        None => (path, None),
    };
    let unknown = unknown.and_then(|u| u.get(key));
    if is_unknown(unknown) {
        return;
    }
    let Some(value) = values.get(key) else {
        return;
    };
    let unknown_items = unknown.and_then(Value::as_array).unwrap_or_default();
    for (i, item) in value.one_or_many().iter().enumerate() {
        let item_unknown = match &value.kind {
            ValueKind::Array(_) => unknown_items.get(i),
            _ => unknown,
        };
        if is_unknown(item_unknown) {
            continue;
        }
        match rest {
            Some(rest) => collect_strings(item, item_unknown, rest, out),
            None if item.as_str().is_some() => out.push(item),
            None => {}
        }
    }
}

/// The known string of an attribute.
fn known_string<'v>(resource: &Resource<'v>, attribute: &str) -> Option<&'v str> {
    known_strings(resource.values, resource.unknown, attribute)
        .first()
        .and_then(|v| v.as_str())
}

/// The name an IAM ARN ends with (`arn:aws:iam::1:role/path/name` → `name`), or the text.
fn name_in(written: &str) -> &str {
    if written.starts_with("arn:") {
        written.rsplit('/').next().unwrap_or(written)
    } else {
        written
    }
}

struct Reader<'v, 'r> {
    file: FileId,
    text: &'v str,
    resources: Vec<Resource<'v>>,
    links: Links,
    /// (resource type, name) → address, for roles, users, groups, policies and instance
    /// profiles: a plan names them by name or ARN, not by reference.
    names: HashMap<(&'v str, &'v str), &'v str>,
    /// Every resource instance's address.
    addresses: HashSet<&'v str>,
    inventory: Inventory,
    configuration: Configuration<'v, 'r>,
    out: Extraction,
}

/// Found documents before the links are applied.
struct Found {
    address: String,
    attribute: Option<String>,
    kind: PolicyKind,
    value: Value,
    attachments: Vec<Attachment>,
    notes: Vec<String>,
    text: String,
}

impl<'v> Reader<'v, '_> {
    fn index_names(&mut self) {
        for resource in &self.resources {
            let named = carrier::principal_kind(PRINCIPALS, resource.kind).is_some()
                || matches!(resource.kind, "aws_iam_policy" | "aws_iam_instance_profile");
            if !named || resource.data {
                continue;
            }
            for attribute in ["name", "arn"] {
                if let Some(written) = known_string(resource, attribute) {
                    self.names
                        .entry((resource.kind, name_in(written)))
                        .or_insert(resource.address);
                }
            }
        }
    }

    /// The address of the resource of `resource_type` a plan value names by name or ARN, or
    /// the name when the plan declares none.
    fn principal(&self, resource_type: &str, written: &str) -> String {
        let name = name_in(written);
        self.names
            .get(&(resource_type, name))
            .map_or_else(|| name.to_string(), |a| (*a).to_string())
    }

    fn read_all(&mut self) {
        let mut found = Vec::new();
        let resources = std::mem::take(&mut self.resources);
        for resource in &resources {
            let mapped = self.configuration.map(resource);
            self.out.planned.push(Planned {
                span: resource.values.span,
                address: resource.address.to_string(),
                source: mapped.as_ref().map(|m| m.header),
            });
            // A finding on another argument (a managed policy's ARN) is at that argument.
            if let Some(mapped) = &mapped {
                for member in resource.values.as_object().unwrap_or_default() {
                    if let Some(&source) = mapped.attributes.get(&member.key) {
                        self.out.planned.push(Planned {
                            span: member.value.span,
                            address: resource.address.to_string(),
                            source: Some(source),
                        });
                    }
                }
            }
            if resource.data {
                if resource.kind == "aws_iam_policy_document" {
                    self.data_document(resource, mapped.as_ref(), &mut found);
                }
                continue;
            }
            self.carriers(resource, mapped.as_ref(), &mut found);
            let own = carrier::principal_kind(PRINCIPALS, resource.kind);
            if let Some(kind) = own {
                self.principal_policies(resource, kind);
            }
            self.policy_attachments(resource);
            self.instance_profile(resource);
            self.group_memberships(resource);
            self.inventory(resource, own);
        }
        // A data source's document whose text a carrier also holds is that carrier's policy,
        // analysed there with its kind and principals.
        let used: HashSet<String> = found
            .iter()
            .filter(|f| f.attribute.is_some())
            .map(|f| f.text.clone())
            .collect();
        let resolver = self.links.resolver(true);
        let mut documents: Vec<PolicyDocument> = found
            .into_iter()
            .filter(|f| f.attribute.is_some() || !used.contains(&f.text))
            .map(|f| {
                let origin = Origin {
                    file: self.file,
                    address: Some(f.address.clone()),
                    attribute: f.attribute,
                    notes: f.notes,
                    caller: None,
                };
                resolver.document(origin, f.kind, f.value, f.attachments, &[f.address])
            })
            .collect();
        documents.sort_by_key(|d| d.value.span.start);
        self.out.documents = documents;
    }

    /// Each policy attribute of a resource, as a document.
    fn carriers(
        &mut self,
        resource: &Resource<'v>,
        mapped: Option<&Mapped>,
        found: &mut Vec<Found>,
    ) {
        let own = carrier::principal_kind(PRINCIPALS, resource.kind);
        for carrier in carriers_of(CARRIERS, resource.kind) {
            let written_type = resource
                .values
                .get("type")
                .filter(|_| !is_unknown(resource.unknown.and_then(|u| u.get("type"))))
                .map(|v| v.kind.clone());
            let Some(kind) = carrier.holds.kind(resource.kind, || {
                organizations_kind(written_type.as_ref(), resource.kind)
            }) else {
                continue;
            };
            let own = own.map(|principal_kind| Attachment {
                principal_kind,
                principal: resource.address.to_string(),
                span: Some(resource.address_span),
            });
            let attachments = receivers(&kind, own, || self.grants(resource));
            for value in known_strings(resource.values, resource.unknown, carrier.path) {
                let source = mapped.and_then(|m| m.attributes.get(carrier.path).copied());
                self.record(
                    resource,
                    Some(carrier.path),
                    value,
                    kind.clone(),
                    attachments.clone(),
                    source,
                    mapped,
                    found,
                );
            }
        }
    }

    fn data_document(
        &mut self,
        resource: &Resource<'v>,
        mapped: Option<&Mapped>,
        found: &mut Vec<Found>,
    ) {
        if let Some(value) = known_strings(resource.values, resource.unknown, "json").first() {
            let source = mapped.map(|m| m.header);
            self.record(
                resource,
                None,
                value,
                PolicyKind::Unknown,
                Vec::new(),
                source,
                mapped,
                found,
            );
        }
    }

    /// Parses the policy JSON text a plan string holds and records it.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        resource: &Resource<'v>,
        attribute: Option<&str>,
        value: &Value,
        kind: PolicyKind,
        attachments: Vec<Attachment>,
        source: Option<Span>,
        mapped: Option<&Mapped>,
        found: &mut Vec<Found>,
    ) {
        let text = value.as_str().unwrap_or_default();
        if text.trim().is_empty() {
            return;
        }
        let document = match raw_policy::parse_string_document(self.file, self.text, value.span) {
            Ok(Some(document)) => document,
            Ok(None) => return,
            Err(error) => {
                self.out.diagnostics.push(syntax_error(
                    self.file,
                    self.text,
                    error.offset,
                    format!(
                        "invalid JSON in the policy of `{}`: {}",
                        resource.address, error.message
                    ),
                ));
                return;
            }
        };
        self.out.planned.push(Planned {
            span: value.span,
            address: resource.address.to_string(),
            source,
        });
        let mut notes = vec![format!("planned value of `{}`", resource.address)];
        match (mapped, source) {
            (Some(mapped), Some(source)) => {
                let label = match attribute {
                    Some(attribute) => format!("{}.{attribute}", mapped.address),
                    None => mapped.address.clone(),
                };
                // The document the static reading found there, or the data source the
                // argument reads (`data.aws_iam_policy_document.x.json`).
                let through_data = self
                    .configuration
                    .references(resource.address, attribute.unwrap_or("json"))
                    .into_iter()
                    .find_map(|r| {
                        let data = r.strip_suffix(".json")?;
                        data.starts_with("data.aws_iam_policy_document.")
                            .then(|| data.to_string())
                    });
                let static_label = [Some(label), through_data]
                    .into_iter()
                    .flatten()
                    .find(|label| self.configuration.document(&mapped.dir, label).is_some());
                if let Some(static_label) = static_label {
                    if let Some(written) = self.configuration.document(&mapped.dir, &static_label) {
                        pair(
                            &document,
                            Some(written),
                            source,
                            resource.address,
                            &mut self.out.planned,
                        );
                    }
                    self.out.covered.push((mapped.dir.clone(), static_label));
                }
                if let Some(attribute) = attribute {
                    let label = format!("{}.{attribute}", mapped.address);
                    self.out.covered.push((mapped.dir.clone(), label));
                }
            }
            _ => notes.extend(self.configuration.why_unmapped(resource.address)),
        }
        found.push(Found {
            address: resource.address.to_string(),
            attribute: attribute.map(str::to_string),
            kind,
            value: document,
            attachments,
            notes,
            text: text.to_string(),
        });
    }

    /// The principals an inline identity policy resource (`aws_iam_role_policy`) names.
    fn grants(&self, resource: &Resource<'v>) -> Vec<Attachment> {
        grants_of(GRANTS, resource.kind)
            .flat_map(|grant| {
                self.named(
                    resource,
                    grant.attribute,
                    resource_type_of(grant.principal_kind),
                )
                .into_iter()
                .map(|(principal, span)| Attachment {
                    principal_kind: grant.principal_kind,
                    principal,
                    span: Some(span),
                })
            })
            .collect()
    }

    /// The resources of `resource_type` an attribute names, each with where: by name or ARN
    /// where the plan knows the value (the name itself when the plan declares no such
    /// resource), and by the references of its configuration expression (a role created by
    /// the same plan has no ARN before apply).
    fn named(
        &self,
        resource: &Resource<'v>,
        path: &str,
        resource_type: &str,
    ) -> Vec<(String, Span)> {
        let mut named: Vec<(String, Span)> = Vec::new();
        for value in known_strings(resource.values, resource.unknown, path) {
            let written = value.as_str().unwrap_or_default();
            named.push((self.principal(resource_type, written), value.span));
        }
        for reference in self.configuration.references(resource.address, path) {
            if let Some(address) = self.referenced(resource.address, reference, resource_type)
                && !named.iter().any(|(n, _)| *n == address)
            {
                named.push((address, resource.address_span));
            }
        }
        named
    }

    /// The plan address of the resource of `resource_type` a configuration reference
    /// (`aws_iam_role.this[0].arn`) made in the module of `from` names: the instance it
    /// names, or the only instance there is.
    fn referenced(&self, from: &str, reference: &str, resource_type: &str) -> Option<String> {
        let rest = reference.strip_prefix(resource_type)?.strip_prefix('.')?;
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key_len = rest.len() - end - skip_key(&rest[end..]).len();
        let resource = &rest[..end + key_len];
        let candidate = format!("{}{resource_type}.{resource}", module_prefix(from));
        if self.addresses.contains(candidate.as_str()) {
            return Some(candidate);
        }
        let instance = format!("{candidate}[");
        let mut instances = self.addresses.iter().filter(|a| a.starts_with(&instance));
        match (instances.next(), instances.next(), key_len) {
            (Some(only), None, 0) => Some((*only).to_string()),
            _ => None,
        }
    }

    /// `aws_iam_*_policy_attachment`: the managed policy `policy_arn` attached to principals.
    fn policy_attachments(&mut self, resource: &Resource<'v>) {
        for grant in grants_of(ATTACHMENTS, resource.kind) {
            let known = known_strings(resource.values, resource.unknown, "policy_arn");
            // A policy created by the same plan has no ARN before apply: its reference.
            let referenced = self
                .named(resource, "policy_arn", "aws_iam_policy")
                .into_iter()
                .find(|(address, _)| self.addresses.contains(address.as_str()));
            let principals = self.named(
                resource,
                grant.attribute,
                resource_type_of(grant.principal_kind),
            );
            for (principal, span) in principals {
                let attachment = Attachment {
                    principal_kind: grant.principal_kind,
                    principal: principal.clone(),
                    span: Some(span),
                };
                match (known.first(), &referenced) {
                    (Some(policy), _) => {
                        self.attach(policy, principal, grant.principal_kind, span, false);
                    }
                    (None, Some((policy, _))) => {
                        self.links.policy(policy.clone(), attachment, false);
                    }
                    (None, None) => {}
                }
            }
        }
    }

    /// `managed_policy_arns` and `permissions_boundary` of a role, user or group.
    fn principal_policies(&mut self, resource: &Resource<'v>, kind: PrincipalKind) {
        for (attribute, boundary) in [
            ("managed_policy_arns", false),
            ("permissions_boundary", true),
        ] {
            for policy in known_strings(resource.values, resource.unknown, attribute) {
                self.attach(
                    policy,
                    resource.address.to_string(),
                    kind,
                    policy.span,
                    boundary,
                );
            }
        }
    }

    /// Links a policy the plan declares to a principal, or an AWS managed one by ARN; any
    /// other ARN is a note on the principal's documents.
    fn attach(
        &mut self,
        policy: &Value,
        principal: String,
        principal_kind: PrincipalKind,
        span: Span,
        boundary: bool,
    ) {
        let written = policy.as_str().unwrap_or_default();
        let declared = self
            .names
            .get(&("aws_iam_policy", name_in(written)))
            .filter(|_| !written.contains(":iam::aws:policy/"));
        if let Some(address) = declared {
            let attachment = Attachment {
                principal_kind,
                principal,
                span: Some(span),
            };
            self.links.policy(address.to_string(), attachment, boundary);
            return;
        }
        self.links
            .undeclared_policy(principal_kind, principal, Some(policy), written, boundary);
    }

    /// An instance profile receives every identity policy of its role.
    fn instance_profile(&mut self, resource: &Resource<'v>) {
        if resource.kind != "aws_iam_instance_profile" {
            return;
        }
        for (role_address, span) in self.named(resource, "role", "aws_iam_role") {
            self.inventory
                .profiles
                .push((resource.address.to_string(), role_address.clone()));
            self.links.heir(
                PrincipalKind::Role,
                role_address,
                Attachment {
                    principal_kind: PrincipalKind::InstanceProfile,
                    principal: resource.address.to_string(),
                    span: Some(span),
                },
            );
        }
    }

    /// Users put in groups receive every identity policy of the groups.
    fn group_memberships(&mut self, resource: &Resource<'v>) {
        for (_, group_attribute, users_attribute) in GROUP_MEMBERSHIPS
            .iter()
            .filter(|(t, _, _)| *t == resource.kind)
        {
            let groups = self.named(resource, group_attribute, "aws_iam_group");
            let users = self.named(resource, users_attribute, "aws_iam_user");
            for (group, _) in &groups {
                for (user, span) in &users {
                    let heir = Attachment {
                        principal_kind: PrincipalKind::User,
                        principal: user.clone(),
                        span: Some(*span),
                    };
                    self.links.heir(PrincipalKind::Group, group.clone(), heir);
                }
            }
        }
    }

    /// What the access graph needs of a resource: a principal or customer managed policy it
    /// declares, the role a resource runs as.
    fn inventory(&mut self, resource: &Resource<'v>, own: Option<PrincipalKind>) {
        let declared = |kind| Declared {
            kind,
            address: resource.address.to_string(),
            name: known_string(resource, "name").map(str::to_string),
            span: resource.address_span,
        };
        if let Some(kind) = own {
            self.inventory.principals.push(declared(kind));
        }
        if resource.kind == "aws_iam_policy" {
            // A policy is no principal; the kind is unused for it.
            self.inventory.policies.push(declared(PrincipalKind::Role));
        }
        for (_, path, service, via_profile) in RUNNERS.iter().filter(|(t, ..)| *t == resource.kind)
        {
            let target = if *via_profile {
                "aws_iam_instance_profile"
            } else {
                "aws_iam_role"
            };
            let Some((role, span)) = self.named(resource, path, target).into_iter().next() else {
                continue;
            };
            let name = RUNNER_NAMES
                .iter()
                .find(|(t, _)| *t == resource.kind)
                .and_then(|(_, attribute)| known_string(resource, attribute))
                .map(str::to_string);
            self.inventory.runners.push(Runner {
                resource_type: resource.kind.to_string(),
                address: resource.address.to_string(),
                name,
                service,
                role,
                via_profile: *via_profile,
                span,
            });
        }
    }

    fn finish(mut self) -> Extraction {
        self.inventory.managed = self.links.managed_attachments().to_vec();
        self.out.inventory = self.inventory;
        self.out.diagnostics.extend(self.configuration.diagnostics);
        self.out
    }
}

/// Where each element of a planned document is written in the configuration: the same
/// element where the static reading `written` found it, the expression computing it where
/// that was only known at apply (`var.actions`), else where its parent is (`source`).
/// Recorded only where it differs from the parent's place, for [`relocate`].
fn pair(
    planned: &Value,
    written: Option<&Value>,
    source: Span,
    address: &str,
    out: &mut Vec<Planned>,
) {
    // `actions = ["s3:GetObject"]` planned as the string alone.
    let written = match written.map(|w| &w.kind) {
        Some(ValueKind::Array(items)) if items.len() == 1 && planned.as_array().is_none() => {
            items.first()
        }
        _ => written,
    };
    let here = match written {
        Some(w) if matches!(w.kind, ValueKind::Unknown(_) | ValueKind::Template(_)) => w.span,
        // A known value that is not the planned one: the configuration is not what was
        // planned here (a conditional, another workspace), so only the parent is.
        Some(w)
            if w.as_str().is_some()
                && planned.as_str().is_some()
                && w.as_str() != planned.as_str() =>
        {
            source
        }
        Some(w) => w.span,
        None => source,
    };
    if here != source {
        out.push(Planned {
            span: planned.span,
            address: address.to_string(),
            source: Some(here),
        });
    }
    let written = written.filter(|w| !matches!(w.kind, ValueKind::Unknown(_)));
    match &planned.kind {
        ValueKind::Object(members) => {
            for member in members {
                let written_member = written
                    .and_then(Value::as_object)
                    .and_then(|ms| ms.iter().find(|m| m.key == member.key));
                if let Some(written_member) = written_member
                    && written_member.key_span != here
                {
                    out.push(Planned {
                        span: member.key_span,
                        address: address.to_string(),
                        source: Some(written_member.key_span),
                    });
                }
                pair(
                    &member.value,
                    written_member.map(|m| &m.value),
                    here,
                    address,
                    out,
                );
            }
        }
        ValueKind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let written_item = match written.map(|w| &w.kind) {
                    Some(ValueKind::Array(written_items)) => written_items.get(i),
                    // `Action = "s3:GetObject"` planned as a list of one.
                    Some(_) if items.len() == 1 => written,
                    _ => None,
                };
                pair(item, written_item, here, address, out);
            }
        }
        _ => {}
    }
}

/// A resource of the plan found in the configuration iamlint read.
struct Mapped {
    /// The module directory, as the source map names its files.
    dir: PathBuf,
    /// The address in that module (`aws_iam_role_policy.x`, `data.aws_iam_policy_document.d`).
    address: String,
    header: Span,
    /// Argument (or `block.argument`) → its name, where a policy is written.
    attributes: HashMap<String, Span>,
}

/// The blocks of one configuration module: address → (header, arguments).
type BlockIndex = HashMap<String, (Span, HashMap<String, Span>)>;

/// A module of the configuration as iamlint reads it on its own.
struct ConfigModule {
    /// The directory, as the source map names its files.
    dir: PathBuf,
    blocks: BlockIndex,
    /// The documents the static reading finds, by label (`aws_iam_role_policy.x.policy`).
    documents: HashMap<String, Value>,
}

/// The plan's `configuration`, and the module directories it leads to, read once each.
struct Configuration<'v, 'r> {
    root: Option<&'v Value>,
    dir: PathBuf,
    read: &'r dyn ReadFiles,
    modules: HashMap<PathBuf, Option<ConfigModule>>,
    diagnostics: Vec<Problem>,
}

/// A resource address split into its module calls (without instance keys) and its address
/// in the last module (without its instance key): `module.a["k"].module.b.aws_x.y[0]` →
/// (`[a, b]`, `aws_x.y`).
fn split_address(address: &str) -> (Vec<&str>, &str) {
    let (modules, rest) = module_calls(address);
    let resource = match rest.find('[') {
        Some(open) => &rest[..open],
        None => rest,
    };
    (modules, resource)
}

/// The module instance part of an address, with its dot: `module.a["k"].` of
/// `module.a["k"].aws_x.y`, empty in the root module.
fn module_prefix(address: &str) -> &str {
    let (_, rest) = module_calls(address);
    &address[..address.len() - rest.len()]
}

/// The module calls of an address (without instance keys) and what follows them:
/// `module.a["k"].aws_x.y[0]` → (`[a]`, `aws_x.y[0]`).
fn module_calls(address: &str) -> (Vec<&str>, &str) {
    let mut modules = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        modules.push(&after[..end]);
        rest = skip_key(&after[end..]);
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    (modules, rest)
}

/// `["a.b"].rest` → `.rest`: an instance key, quoted strings skipped.
fn skip_key(text: &str) -> &str {
    if !text.starts_with('[') {
        return text;
    }
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ']' if !quoted => return &text[i + 1..],
            _ => {}
        }
    }
    ""
}

impl<'v, 'r> Configuration<'v, 'r> {
    fn new(root: &'v Value, dir: PathBuf, read: &'r dyn ReadFiles) -> Self {
        Configuration {
            root: root.get("configuration").and_then(|c| c.get("root_module")),
            dir,
            read,
            modules: HashMap::new(),
            diagnostics: Vec::new(),
        }
    }

    /// The directory of the module holding `modules` (calls from the root), when every call
    /// has a local source; else the first call that has none, and its source.
    fn module_dir(&self, modules: &[&str]) -> Result<PathBuf, (String, String)> {
        let mut dir = self.dir.clone();
        let mut module = self.root;
        let mut path = String::new();
        for name in modules {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str("module.");
            path.push_str(name);
            let call = module
                .and_then(|m| m.get("module_calls"))
                .and_then(|calls| calls.get(name));
            let source = call.and_then(|c| c.get("source")).and_then(Value::as_str);
            match source {
                Some(source) if source.starts_with("./") || source.starts_with("../") => {
                    dir = dir.join(source);
                }
                Some(source) => return Err((path, source.to_string())),
                None => return Err((path, String::new())),
            }
            module = call.and_then(|c| c.get("module"));
        }
        Ok(dir)
    }

    /// The references the configuration expression of an attribute (`attribute` or
    /// `block.attribute`) of the resource at `address` makes, most specific first.
    fn references(&self, address: &str, path: &str) -> Vec<&'v str> {
        let (modules, local) = split_address(address);
        let mut module = self.root;
        for name in modules {
            module = module
                .and_then(|m| m.get("module_calls"))
                .and_then(|calls| calls.get(name))
                .and_then(|call| call.get("module"));
        }
        let resource = module
            .and_then(|m| m.get("resources"))
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .find(|r| r.get("address").and_then(Value::as_str) == Some(local));
        let mut expression = resource.and_then(|r| r.get("expressions"));
        for key in path.split('.') {
            expression = expression
                .and_then(|e| e.get(key))
                .and_then(|e| match &e.kind {
                    ValueKind::Array(items) => items.first(),
                    _ => Some(e),
                });
        }
        expression
            .and_then(|e| e.get("references"))
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .collect()
    }

    /// Why a resource is reported in the plan: the module call with no local source.
    fn why_unmapped(&self, address: &str) -> Option<String> {
        let (modules, _) = split_address(address);
        match self.module_dir(&modules) {
            Err((call, source)) if !source.is_empty() => Some(format!(
                "`{call}` comes from `{source}`: no local source to report in"
            )),
            Err((call, _)) => Some(format!(
                "the plan has no configuration for `{call}`: reported in the plan"
            )),
            Ok(_) => {
                Some("its configuration is not in the scanned tree: reported in the plan".into())
            }
        }
    }

    fn map(&mut self, resource: &Resource<'_>) -> Option<Mapped> {
        let (modules, address) = split_address(resource.address);
        let dir = self.module_dir(&modules).ok()?;
        let module = self.module(dir)?;
        let (header, attributes) = module.blocks.get(address)?;
        Some(Mapped {
            dir: module.dir.clone(),
            address: address.to_string(),
            header: *header,
            attributes: attributes.clone(),
        })
    }

    /// The blocks of the module in `dir`, parsed once; `None` when it has no Terraform file
    /// iamlint can read.
    fn module(&mut self, dir: PathBuf) -> Option<&ConfigModule> {
        if !self.modules.contains_key(&dir) {
            let index = self.index(&dir);
            self.modules.insert(dir.clone(), index);
        }
        self.modules.get(&dir)?.as_ref()
    }

    /// The document the static reading finds at `label` in the module iamlint named `dir`.
    fn document(&self, dir: &Path, label: &str) -> Option<&Value> {
        self.modules
            .values()
            .flatten()
            .find(|module| module.dir == dir)?
            .documents
            .get(label)
    }

    fn index(&mut self, dir: &Path) -> Option<ConfigModule> {
        let listed = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let paths = self.read.module_files(listed).ok()?;
        let files: Vec<(FileId, Arc<SourceFile>)> = paths
            .iter()
            .filter_map(|path| self.read.read(path).ok())
            .collect();
        let named = files
            .first()?
            .1
            .path()
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        // Syntax errors are the module's own to report, when it is checked.
        let parsed = ParsedFiles::parse(&files, &mut Vec::new());
        let mut index = BlockIndex::new();
        for block in &parsed.blocks() {
            let address = match (block.ident, block.labels.as_slice()) {
                ("resource", [kind, name]) => format!("{kind}.{name}"),
                ("data", [kind, name]) => format!("data.{kind}.{name}"),
                _ => continue,
            };
            let mut attributes: HashMap<String, Span> = block
                .attrs
                .iter()
                .map(|attr| (attr.name.to_string(), attr.name_span))
                .collect();
            for nested in &block.blocks {
                for attr in &nested.attrs {
                    attributes
                        .entry(format!("{}.{}", nested.ident, attr.name))
                        .or_insert(attr.name_span);
                }
            }
            index.entry(address).or_insert((block.header, attributes));
        }
        let documents = super::extract_module(&named, &files, self.read)
            .extraction
            .documents
            .into_iter()
            .filter(|d| d.origin.caller.is_none())
            .filter_map(|d| Some((d.origin.label()?, d.value)))
            .collect();
        Some(ConfigModule {
            dir: named,
            blocks: index,
            documents,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::OffsetMap;

    #[test]
    fn addresses_split_into_module_calls_and_the_resource() {
        assert_eq!(
            split_address("module.a[\"k.]\"].module.b[0].aws_iam_role_policy.x[0]"),
            (vec!["a", "b"], "aws_iam_role_policy.x")
        );
        assert_eq!(
            split_address("data.aws_iam_policy_document.d"),
            (vec![], "data.aws_iam_policy_document.d")
        );
        assert_eq!(
            split_address("module.iam.aws_iam_role.this[\"a\"]"),
            (vec!["iam"], "aws_iam_role.this")
        );
        assert_eq!(
            module_prefix("module.a[\"x.y\"].module.b.aws_x.y[0]"),
            "module.a[\"x.y\"].module.b."
        );
        assert_eq!(module_prefix("aws_x.y"), "");
    }

    /// A planned document paired with the static one: a literal element maps to itself, an
    /// element the static reading only had as an expression to that expression, and a
    /// finding moves to the innermost mapped part, the plan staying related.
    #[test]
    fn planned_elements_map_to_what_the_configuration_writes() {
        let planned_text =
            r#"{"Statement": [{"Action": ["iam:*"], "Resource": "arn:aws:s3:::b"}]}"#;
        let planned = json::parse_file(FileId(0), planned_text).unwrap().unwrap();
        let written_text = r#"{"Statement": [{"Action": 1, "Resource": "arn:aws:s3:::b"}]}"#;
        let hole = written_text.find('1').unwrap();
        let written = json::parse_embedded(
            FileId(1),
            written_text,
            &OffsetMap::Shift(0),
            &[crate::extract::Hole {
                range: hole..hole + 1,
                unknown: crate::base::value::Unknown::default(),
            }],
        )
        .unwrap()
        .unwrap();
        let attribute = Span::new(FileId(1), 0, 1);
        let mut parts = vec![Planned {
            span: planned.span,
            address: "aws_iam_policy.p".into(),
            source: Some(attribute),
        }];
        pair(
            &planned,
            Some(&written),
            attribute,
            "aws_iam_policy.p",
            &mut parts,
        );
        let statement = &planned.get("Statement").unwrap().as_array().unwrap()[0];
        let mut moved = |span: Span| {
            let mut finding = Finding {
                rule: RuleId::UnknownAction,
                severity: crate::base::finding::Severity::Error,
                confidence: crate::base::finding::Confidence::High,
                category: crate::base::finding::Category::Correctness,
                message: "unknown action".into(),
                help: None,
                primary: span,
                related: Vec::new(),
                origin: None,
            };
            relocate([&mut finding], &mut parts);
            (
                &written_text[finding.primary.range()],
                finding.related.len(),
            )
        };
        let action = &statement.get("Action").unwrap().as_array().unwrap()[0];
        assert_eq!(moved(action.span), ("1", 1));
        let resource = statement.get("Resource").unwrap();
        assert_eq!(moved(resource.span), ("\"arn:aws:s3:::b\"", 1));
    }

    #[test]
    fn unknown_list_items_and_attributes_are_left_out() {
        let text = r#"{"values": {"a": ["x", null, "y"], "b": "z"},
                      "unknown": {"a": [false, true, false], "b": true}}"#;
        let root = json::parse_file(FileId(0), text).unwrap().unwrap();
        let (values, unknown) = (root.get("values").unwrap(), root.get("unknown"));
        let strings: Vec<_> = known_strings(values, unknown, "a")
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(strings, ["x", "y"]);
        assert!(known_strings(values, unknown, "b").is_empty());
    }
}
