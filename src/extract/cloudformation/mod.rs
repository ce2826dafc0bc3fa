//! CloudFormation and SAM templates (YAML or JSON): every IAM policy document they hold.
//!
//! Each document gets its logical id, attribute path, kind, and the principals it is
//! attached to.

mod carriers;
mod foreach;
mod lower;
mod sam;
mod template;
mod tree;

use self::carriers::{CARRIERS, DATA_TARGETS, GRANTS, NAMES, PRINCIPALS, RUNNERS, elements};
use self::lower::{Lowerer, Position, render};
use self::template::{Extractor, Found, Resource, Template};
use self::tree::{Node, NodeKind};
use super::carrier::{self, Carrier, carriers_of, grants_of, receivers};
use super::link::Links;
use super::suppressions::{Directives, SuppressionKind};
use super::{Extraction, OffsetMap, json, yaml};
use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, Span};
use crate::base::value::{Value, ValueKind};
use crate::extract::document::{Attachment, Conditional, Origin, PolicyKind, PrincipalKind};
use crate::extract::inventory::{DataTarget, Declared, Inventory, Runner};
use crate::extract::syntax_error;
use crate::input::Intent;
use memchr::memmem::Finder;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::LazyLock;

pub use self::sam::SAM_TRANSLATOR_VERSION;

/// How a file is read, from its extension (and first character for `.template`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Yaml,
    Json,
}

/// Extracts the policies of a CloudFormation or SAM template. `None` when the file is not
/// this extractor's business (a `.json` file that is not a template goes to the raw-policy
/// extractor); `Some` with nothing in it for YAML that is not a template (Kubernetes
/// manifests, CI configs), which is skipped quietly even when named on the command line,
/// since pre-commit hooks and editors pass every YAML file they see.
pub fn extract(file: FileId, source: &SourceFile, _intent: Intent) -> Option<Extraction> {
    let text = source.text();
    let extension = source
        .path()
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)?;
    let format = match extension.as_str() {
        "yaml" | "yml" => Format::Yaml,
        "json" => Format::Json,
        "template" => {
            if text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{')
            {
                Format::Json
            } else {
                Format::Yaml
            }
        }
        _ => return None,
    };
    if !mentions_template(text) {
        return match format {
            Format::Json if extension == "json" => None,
            _ => Some(Extraction::default()),
        };
    }
    let mut extraction = Extraction::default();
    let root = match format {
        Format::Json => match json::parse_file(file, text) {
            Ok(Some(value)) => {
                let root = tree::from_json(value);
                if !is_template(&root) {
                    return (extension != "json").then(Extraction::default);
                }
                root
            }
            Ok(None) => return (extension != "json").then(Extraction::default),
            Err(error) => {
                if !strongly_mentions_template(text) {
                    return (extension != "json").then(Extraction::default);
                }
                extraction.diagnostics.push(syntax_error(
                    file,
                    text,
                    error.offset,
                    format!("invalid JSON: {}", error.message),
                ));
                return Some(extraction);
            }
        },
        Format::Yaml => match yaml::parse(file, text, yaml::Limits::default()) {
            Ok(documents) => {
                let count = documents.len();
                let mut roots = documents.into_iter().map(tree::from_yaml);
                let Some((index, root)) = roots.by_ref().enumerate().find(|(_, r)| is_template(r))
                else {
                    return Some(extraction);
                };
                if count > 1 {
                    extraction.diagnostics.push(Problem::new(
                        RuleId::ParseError,
                        Span::new(file, root.span.start as usize, root.span.start as usize + 1),
                        format!(
                            "the template is document {} of {count} in this YAML stream; CloudFormation reads a single document",
                            index + 1
                        ),
                    ));
                }
                root
            }
            Err(error) => {
                if strongly_mentions_template(text) {
                    extraction.diagnostics.push(syntax_error(
                        file,
                        text,
                        error.offset,
                        format!("invalid YAML: {}", error.message),
                    ));
                }
                return Some(extraction);
            }
        },
    };
    let mut more = run(file, text, root);
    extraction.diagnostics.append(&mut more.diagnostics);
    extraction.documents = more.documents;
    extraction.suppressions = more.suppressions;
    extraction.inventory = more.inventory;
    Some(extraction)
}

/// A cheap look at the text before parsing: most YAML and JSON in a repository is not a
/// template, and parsing it all would cost more than everything else.
fn mentions_template(text: &str) -> bool {
    // Asked of every JSON and YAML file: memchr's searchers, built once, compare many bytes
    // at a time (`str::contains` was a percent of a run over many small policies).
    static NEEDLES: LazyLock<[Finder<'static>; 3]> = LazyLock::new(|| {
        [
            Finder::new("AWSTemplateFormatVersion"),
            Finder::new("Resources"),
            Finder::new("AWS::"),
        ]
    });
    let [version, resources, aws] = &*NEEDLES;
    let text = text.as_bytes();
    version.find(text).is_some() || (resources.find(text).is_some() && aws.find(text).is_some())
}

/// Whether a file that does not parse was meant to be a template, so the error is worth
/// reporting rather than a file of some other tool we know nothing about.
fn strongly_mentions_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || text.contains("AWS::Serverless-2016-10-31")
        || [
            "Type: AWS::",
            "Type: 'AWS::",
            "Type: \"AWS::",
            "\"Type\": \"AWS::",
            "\"Type\":\"AWS::",
        ]
        .iter()
        .any(|needle| text.contains(needle))
}

/// A template has a format version, or resources with AWS types.
fn is_template(root: &Node) -> bool {
    if root.entries().is_none() {
        return false;
    }
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    root.get("Resources")
        .and_then(Node::entries)
        .is_some_and(|resources| {
            resources.iter().any(|entry| {
                entry.key.starts_with("Fn::ForEach::")
                    || entry
                        .value
                        .get("Type")
                        .and_then(Node::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
            })
        })
}

fn run(file: FileId, text: &str, mut root: Node) -> Extraction {
    let mut diagnostics = Vec::new();
    if text.contains("Fn::ForEach::") {
        foreach::expand(&mut root, &mut diagnostics);
    }
    let resources_node = root.get("Resources");
    let mut types = FxHashMap::default();
    let mut resources = Vec::new();
    let mut directives = Directives::default();
    for entry in resources_node.and_then(Node::entries).unwrap_or_default() {
        metadata_suppressions(entry, &mut directives);
        let Some(resource_type) = entry.value.get("Type").and_then(Node::as_str) else {
            continue;
        };
        let properties = entry.value.get("Properties");
        if sam::creates_role(resource_type, properties) {
            types.insert(sam::role_id(&entry.key), "AWS::IAM::Role".to_string());
        }
        types.insert(entry.key.clone(), resource_type.to_string());
        resources.push(Resource {
            id: &entry.key,
            id_span: entry.key_span,
            resource_type,
            properties,
            condition: entry.value.get("Condition").and_then(Node::as_str),
        });
    }
    let template = Template {
        file,
        text,
        mappings: root.get("Mappings"),
        types,
    };
    let mut extractor = Extractor {
        template: &template,
        found: Vec::new(),
        links: Links::default(),
        diagnostics,
        document_spans: FxHashSet::default(),
    };
    for resource in &resources {
        for carrier in carriers_of(CARRIERS, resource.resource_type) {
            extractor.carrier(resource, carrier);
        }
        if let Some(kind) = carrier::principal_kind(PRINCIPALS, resource.resource_type)
            && let Some(properties) = resource.properties
        {
            extractor.principal_policies(kind, resource.id, properties);
        }
        match resource.resource_type {
            "AWS::IAM::InstanceProfile" => extractor.instance_profile(resource),
            "AWS::IAM::User" => extractor.group_members(resource, "Groups", None),
            "AWS::IAM::UserToGroupAddition" => {
                extractor.group_members(resource, "GroupName", Some("Users"));
            }
            "AWS::Serverless::Function" | "AWS::Serverless::StateMachine" => {
                extractor.sam_function(resource);
            }
            "AWS::Serverless::Api" => extractor.sam_api(resource),
            _ => {}
        }
    }
    extractor.duplicate_keys(&root);
    let inventory = extractor.inventory(&resources);
    let mut extraction = extractor.finish(&resources);
    extraction.inventory = inventory;
    extraction.suppressions = directives.suppressions;
    extraction.diagnostics.extend(directives.problems);
    extraction
        .diagnostics
        .sort_by_key(|d| (d.primary.start, d.primary.end));
    extraction
}

/// A resource's `Metadata: {iamlint: {ignore: [{rule: ..., reason: ...}]}}`: each entry
/// suppresses its rule over the whole resource.
fn metadata_suppressions(resource: &tree::Entry, directives: &mut Directives) {
    let Some(ignore) = resource
        .value
        .get("Metadata")
        .and_then(|m| m.get("iamlint"))
        .and_then(|m| m.get("ignore"))
    else {
        return;
    };
    let scope = resource.key_span.to(resource.value.span);
    let Some(items) = ignore.items() else {
        directives.invalid(
            ignore.span,
            "`Metadata.iamlint.ignore` must be a list of `{rule: ..., reason: ...}`",
        );
        return;
    };
    for item in items {
        let rule = item.get("rule");
        match (
            rule.and_then(Node::as_str),
            item.get("reason").and_then(Node::as_str),
        ) {
            (Some(name), Some(reason)) if !reason.trim().is_empty() => {
                let at = rule.map_or(item.span, |r| r.span);
                directives.add(SuppressionKind::Metadata, name, at, reason.trim(), scope);
            }
            (Some(name), _) => directives.invalid(
                rule.map_or(item.span, |r| r.span),
                format!("the suppression of `{name}` has no reason; add `reason: ...` saying why"),
            ),
            (None, _) => directives.invalid(item.span, "an ignore entry needs `rule` and `reason`"),
        }
    }
}

impl<'t> Extractor<'t> {
    fn lowerer(&self) -> Lowerer<'t> {
        Lowerer::new(self.template)
    }

    /// Records every document a carrier property holds.
    fn carrier_document(
        &mut self,
        resource: &Resource<'_>,
        carrier: &Carrier,
        node: &Node,
        attribute: String,
        mut notes: Vec<String>,
    ) {
        let Some(kind) = carrier.holds.kind(resource.resource_type, || {
            organizations_kind(resource, &mut notes)
        }) else {
            return;
        };
        let own =
            carrier::principal_kind(PRINCIPALS, resource.resource_type).map(|principal_kind| {
                Attachment {
                    principal_kind,
                    principal: resource.id.to_string(),
                    span: Some(resource.id_span),
                }
            });
        let attachments = receivers(&kind, own, || {
            let mut attachments = Vec::new();
            for grant in grants_of(GRANTS, resource.resource_type) {
                if let Some(list) = resource.properties.and_then(|p| p.get(grant.attribute)) {
                    attachments.extend(self.principals(list, grant.principal_kind));
                }
            }
            attachments
        });
        for (value, attribute) in self.documents(node, attribute) {
            self.found.push(Found {
                owner: resource.id.to_string(),
                attribute,
                kind: kind.clone(),
                value,
                attachments: attachments.clone(),
                notes: notes.clone(),
            });
        }
    }

    /// The policy documents a property value stands for: one per `Fn::If` branch at the top,
    /// JSON strings parsed with their offsets mapped back.
    fn documents(&mut self, node: &Node, attribute: String) -> Vec<(Value, String)> {
        let mut out = Vec::new();
        self.collect_documents(node, attribute, &mut out);
        out
    }

    fn collect_documents(
        &mut self,
        node: &Node,
        attribute: String,
        out: &mut Vec<(Value, String)>,
    ) {
        if node.is_no_value() {
            return;
        }
        match &node.kind {
            NodeKind::Null => {}
            NodeKind::Call(call) if call.name == "Fn::If" => {
                if let Some([_, yes, no]) = call.arg.items() {
                    self.collect_documents(yes, format!("{attribute}.Fn::If[1]"), out);
                    self.collect_documents(no, format!("{attribute}.Fn::If[2]"), out);
                }
            }
            NodeKind::Call(call) if call.name == "Fn::ToJsonString" => {
                self.collect_documents(&call.arg, attribute, out);
            }
            _ if is_string_like(node) => {
                let Some(mapped) = self.lowerer().mapped(node) else {
                    return;
                };
                if !mapped.text.trim_start().starts_with('{') {
                    // A string where a policy belongs: the policy parser says what is wrong.
                    out.push((Value::new(node.span, mapped.into_kind()), attribute));
                    return;
                }
                let table = OffsetMap::Table(mapped.offset_table());
                match json::parse_embedded(self.template.file, &mapped.text, &table, &mapped.holes)
                {
                    Ok(Some(value)) => out.push((value, attribute)),
                    Ok(None) => {}
                    Err(error) => self.diagnostics.push(syntax_error(
                        self.template.file,
                        self.template.text,
                        error.offset,
                        format!("invalid JSON in the policy document: {}", error.message),
                    )),
                }
            }
            // A whole document known only at deploy time (`!Ref PolicyParameter`): nothing
            // to check.
            NodeKind::Call(_) => {}
            _ => {
                self.document_spans.insert((node.span.start, node.span.end));
                if let Some(value) = self.lowerer().value(node, Position::Document) {
                    out.push((value, attribute));
                }
            }
        }
    }

    /// Principals named by a `Roles:`-style list or a `RoleName:`-style value: logical ids
    /// for `!Ref`s to resources, names as written for literals.
    fn principals(&self, node: &Node, kind: PrincipalKind) -> Vec<Attachment> {
        let mut out = Vec::new();
        for (_, element) in elements(node, "") {
            let principal = match (&element.kind, element.ref_target()) {
                (_, Some(target)) if self.template.resource_type(target).is_some() => target,
                (NodeKind::String(name), _) => name.as_str(),
                _ => continue,
            };
            out.push(Attachment {
                principal_kind: kind,
                principal: principal.to_string(),
                span: Some(element.span),
            });
        }
        out
    }

    /// `ManagedPolicyArns` and `PermissionsBoundary` of a role, user or group (or a SAM
    /// function's role): links to managed policies of the template, notes for the rest.
    fn principal_policies(&mut self, kind: PrincipalKind, principal: &str, properties: &Node) {
        let attachment = |span: Span| Attachment {
            principal_kind: kind,
            principal: principal.to_string(),
            span: Some(span),
        };
        if let Some(arns) = properties.get("ManagedPolicyArns") {
            for (_, element) in elements(arns, "") {
                match self.managed_policy(element) {
                    Some(policy) => self.links.policy(policy, attachment(element.span), false),
                    None => {
                        let arn = self.lowerer().value(element, Position::Other);
                        let written = self.describe(element);
                        self.links.undeclared_policy(
                            kind,
                            principal.to_string(),
                            arn.as_ref(),
                            &written,
                            false,
                        );
                    }
                }
            }
        }
        if let Some(boundary) = properties.get("PermissionsBoundary")
            && !boundary.is_no_value()
        {
            match self.managed_policy(boundary) {
                Some(policy) => self.links.policy(policy, attachment(boundary.span), true),
                None => {
                    let written = self.describe(boundary);
                    self.links
                        .undeclared_policy(kind, principal.to_string(), None, &written, true);
                }
            }
        }
    }

    /// The logical id of a managed policy of this template that a node refers to.
    fn managed_policy(&self, node: &Node) -> Option<String> {
        let target = node.ref_target()?;
        (self.template.resource_type(target) == Some("AWS::IAM::ManagedPolicy"))
            .then(|| target.to_string())
    }

    fn instance_profile(&mut self, resource: &Resource<'_>) {
        let Some(roles) = resource.properties.and_then(|p| p.get("Roles")) else {
            return;
        };
        for attachment in self.principals(roles, PrincipalKind::Role) {
            self.links.heir(
                PrincipalKind::Role,
                attachment.principal,
                Attachment {
                    principal_kind: PrincipalKind::InstanceProfile,
                    principal: resource.id.to_string(),
                    span: attachment.span,
                },
            );
        }
    }

    /// A user's `Groups`, or a `UserToGroupAddition`'s `GroupName` and `Users`: the users
    /// receive every identity policy of the groups.
    fn group_members(&mut self, resource: &Resource<'_>, groups: &str, users: Option<&str>) {
        let Some(properties) = resource.properties else {
            return;
        };
        let Some(groups) = properties.get(groups) else {
            return;
        };
        let users = match users {
            Some(key) => match properties.get(key) {
                Some(users) => self.principals(users, PrincipalKind::User),
                None => return,
            },
            None => vec![Attachment {
                principal_kind: PrincipalKind::User,
                principal: resource.id.to_string(),
                span: Some(resource.id_span),
            }],
        };
        for group in self.principals(groups, PrincipalKind::Group) {
            for user in &users {
                self.links
                    .heir(PrincipalKind::Group, group.principal.clone(), user.clone());
            }
        }
    }

    /// What the access graph needs of the template: its principals and customer managed
    /// policies, instance profiles, the resources that run as roles, AWS managed policies.
    fn inventory(&self, resources: &[Resource<'_>]) -> Inventory {
        let mut inventory = Inventory {
            managed: self.links.managed_attachments().to_vec(),
            ..Inventory::default()
        };
        for resource in resources {
            let name = NAMES
                .iter()
                .find(|(t, _)| *t == resource.resource_type)
                .and_then(|(_, property)| resource.properties?.get(property)?.as_str())
                .map(str::to_string);
            let declared = |kind| Declared {
                kind,
                address: resource.id.to_string(),
                name: name.clone(),
                span: resource.id_span,
            };
            if let Some(kind) = carrier::principal_kind(PRINCIPALS, resource.resource_type) {
                inventory.principals.push(declared(kind));
            }
            if resource.resource_type == "AWS::IAM::ManagedPolicy" {
                // A policy is no principal; the kind is unused for it.
                inventory.policies.push(declared(PrincipalKind::Role));
            }
            if let Some((_, kind)) = DATA_TARGETS
                .iter()
                .find(|(t, _)| *t == resource.resource_type)
            {
                inventory.targets.push(DataTarget {
                    kind: *kind,
                    address: resource.id.to_string(),
                    name: name.clone(),
                    span: resource.id_span,
                });
            }
            if resource.resource_type == "AWS::IAM::InstanceProfile"
                && let Some(roles) = resource.properties.and_then(|p| p.get("Roles"))
            {
                for role in self.principals(roles, PrincipalKind::Role) {
                    inventory
                        .profiles
                        .push((resource.id.to_string(), role.principal));
                }
            }
            for (_, path, service, via_profile) in RUNNERS
                .iter()
                .filter(|(t, ..)| *t == resource.resource_type)
            {
                let node = path
                    .split('.')
                    .try_fold(resource.properties, |node, key| Some(node?.get(key)));
                let Some(Some(node)) = node else { continue };
                let Some(role) = self.runs_as(node) else {
                    continue;
                };
                inventory.runners.push(Runner {
                    resource_type: sam::deployed_type(resource.resource_type).to_string(),
                    address: resource.id.to_string(),
                    name: name.clone(),
                    service,
                    role,
                    via_profile: *via_profile,
                    span: node.span,
                });
            }
            // The role SAM creates for a function without `Role`: a principal the function
            // runs as, holding the function's `Policies`.
            if sam::creates_role(resource.resource_type, resource.properties) {
                let role = sam::role_id(resource.id);
                inventory.principals.push(Declared {
                    kind: PrincipalKind::Role,
                    address: role.clone(),
                    name: None,
                    span: resource.id_span,
                });
                if resource.resource_type == "AWS::Serverless::Function" {
                    inventory.runners.push(Runner {
                        resource_type: sam::deployed_type(resource.resource_type).to_string(),
                        address: resource.id.to_string(),
                        name: name.clone(),
                        service: "lambda.amazonaws.com",
                        role,
                        via_profile: false,
                        span: resource.id_span,
                    });
                }
            }
        }
        inventory
    }

    /// The logical id a role or profile property names (`!GetAtt Role.Arn`, `!Ref Profile`),
    /// or the name as written.
    fn runs_as(&self, node: &Node) -> Option<String> {
        if let Some(target) = node.ref_target() {
            return Some(target.to_string());
        }
        let value = self.lowerer().value(node, Position::Other)?;
        match value.kind {
            ValueKind::String(name) => Some(name),
            ValueKind::Unknown(unknown) => unknown.reference.map(|r| r.address),
            _ => None,
        }
    }

    /// Duplicate keys outside policy documents; inside them the policy parser reports them.
    fn duplicate_keys(&mut self, root: &Node) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if self
                .document_spans
                .contains(&(node.span.start, node.span.end))
            {
                continue;
            }
            match &node.kind {
                NodeKind::Map(entries) => {
                    // A map of its own for each mapping: clearing one shared map costs its
                    // whole capacity every time, which `Resources` makes large.
                    let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
                    for entry in entries {
                        match seen.get(entry.key.as_str()) {
                            Some(first) if *first != entry.key_span => {
                                self.diagnostics.push(
                                    Problem::new(
                                        RuleId::ParseError,
                                        entry.key_span,
                                        format!("duplicate key `{}` in the template", entry.key),
                                    )
                                    .with_related(*first, "first defined here")
                                    .with_help(
                                        "remove or rename one: which one CloudFormation keeps is not defined",
                                    ),
                                );
                            }
                            Some(_) => {}
                            None => {
                                seen.insert(&entry.key, entry.key_span);
                            }
                        }
                        stack.push(&entry.value);
                    }
                }
                NodeKind::Seq(items) => stack.extend(items.iter()),
                NodeKind::Call(call) => stack.push(&call.arg),
                _ => {}
            }
        }
    }

    /// Resolves the links between resources and builds the documents.
    fn finish(self, resources: &[Resource<'_>]) -> Extraction {
        let Extractor {
            template,
            found,
            links,
            mut diagnostics,
            ..
        } = self;
        let conditions: FxHashMap<&str, &str> = resources
            .iter()
            .filter_map(|r| Some((r.id, r.condition?)))
            .collect();
        let resolver = links.resolver(false);
        let conditional = conditional_parts(resources);
        // Indices of the parts by start, so that each document looks only at the parts
        // that start inside it rather than at every part of the template.
        let mut by_start: Vec<usize> = (0..conditional.len()).collect();
        by_start.sort_by_key(|&index| conditional[index].span.start);
        let mut documents = Vec::with_capacity(found.len());
        for mut found in found {
            if let Some(condition) = conditions.get(found.owner.as_str()) {
                found.notes.insert(
                    0,
                    format!("created only when condition `{condition}` holds"),
                );
            }
            let origin = Origin {
                file: template.file,
                address: Some(found.owner.clone()),
                attribute: Some(found.attribute),
                notes: found.notes,
                caller: None,
            };
            let owners = [found.owner];
            let mut document =
                resolver.document(origin, found.kind, found.value, found.attachments, &owners);
            let whole = document.value.span;
            let first =
                by_start.partition_point(|&index| conditional[index].span.start < whole.start);
            let past =
                by_start.partition_point(|&index| conditional[index].span.start <= whole.end);
            let mut inside: Vec<usize> = by_start[first..past.max(first)]
                .iter()
                .copied()
                .filter(|&index| conditional[index].span.end <= whole.end)
                .collect();
            // In the order the parts were found, as before.
            inside.sort_unstable();
            document.conditional = inside
                .into_iter()
                .map(|index| conditional[index].clone())
                .collect();
            documents.push(document);
        }
        diagnostics.sort_by_key(|d| (d.primary.start, d.primary.end));
        Extraction {
            documents,
            diagnostics,
            ..Extraction::default()
        }
    }
}

/// Every branch of every `Fn::If` in the resources' properties, but `!Ref AWS::NoValue`
/// (absence is not a part). Walked with a stack: a template nests as deep as it likes.
fn conditional_parts(resources: &[Resource<'_>]) -> Vec<Conditional> {
    let mut parts = Vec::new();
    let mut stack: Vec<&Node> = resources.iter().filter_map(|r| r.properties).collect();
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Map(entries) => stack.extend(entries.iter().map(|entry| &entry.value)),
            NodeKind::Seq(items) => stack.extend(items),
            NodeKind::Call(call) => {
                if call.name == "Fn::If"
                    && let Some([condition, yes, no]) = call.arg.items()
                {
                    let condition = condition.as_str().unwrap_or("?");
                    for (branch, when) in [(yes, true), (no, false)] {
                        if !branch.is_no_value() {
                            parts.push(Conditional {
                                span: branch.span,
                                condition: condition.to_string(),
                                when,
                            });
                        }
                    }
                }
                stack.push(&call.arg);
            }
            _ => {}
        }
    }
    parts
}

/// The kind of an `AWS::Organizations::Policy` from its `Type`; `None` for the kinds that are
/// not IAM.
fn organizations_kind(resource: &Resource<'_>, notes: &mut Vec<String>) -> Option<PolicyKind> {
    let policy_type = resource
        .properties
        .and_then(|p| p.get("Type"))
        .map(|t| t.as_str());
    match policy_type {
        Some(Some("SERVICE_CONTROL_POLICY")) => Some(PolicyKind::ServiceControl),
        Some(Some("RESOURCE_CONTROL_POLICY")) => {
            notes.push("resource control policy".into());
            Some(PolicyKind::Resource {
                resource_type: resource.resource_type.to_string(),
            })
        }
        // Tag, backup, AI opt-out and declarative policies are not IAM documents.
        Some(Some(_)) => None,
        _ => Some(PolicyKind::Unknown),
    }
}

/// A string, `!Sub` or `!Join`: what a policy given as JSON text is written as.
fn is_string_like(node: &Node) -> bool {
    match &node.kind {
        NodeKind::String(_) => true,
        NodeKind::Call(call) => call.name == "Fn::Sub" || call.name == "Fn::Join",
        _ => false,
    }
}

impl Extractor<'_> {
    /// A managed policy or boundary as written: the ARN or name, with `${...}` for the parts
    /// known at deploy time.
    fn describe(&self, node: &Node) -> String {
        match self.lowerer().value(node, Position::Other) {
            Some(value) if value.is_stringish() || matches!(value.kind, ValueKind::Unknown(_)) => {
                match value.to_json() {
                    serde_json::Value::String(text) => text,
                    _ => render(node),
                }
            }
            _ => render(node),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::inventory::DataKind;

    fn run_on(name: &str, text: &str) -> Option<Extraction> {
        let source = SourceFile::new(name.into(), text.into());
        extract(FileId(0), &source, Intent::Explicit)
    }

    #[test]
    fn sam_roles_stack_set_execution_roles_and_data_targets_are_in_the_inventory() {
        let template = "Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: worker, Policies: [AdministratorAccess]}
  Named:
    Type: AWS::Serverless::Function
    Properties: {Role: !GetAtt Admin.Arn}
  Org:
    Type: AWS::CloudFormation::StackSet
    Properties: {StackSetName: org, AdministrationRoleARN: !GetAtt Admin.Arn, ExecutionRoleName: org-execution}
  Admin:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {Statement: []}}
  Reports:
    Type: AWS::S3::Bucket
    Properties: {BucketName: reports}
  Key:
    Type: AWS::KMS::Key
";
        let inventory = run_on("sam.yaml", template).unwrap().inventory;
        let generated: Vec<&str> = inventory
            .principals
            .iter()
            .map(|p| p.address.as_str())
            .collect();
        // A function with `Role` gets no role from SAM.
        assert_eq!(generated, ["WorkerRole", "Admin"]);
        let runners: Vec<(&str, &str, Option<&str>, &str)> = inventory
            .runners
            .iter()
            .map(|r| {
                let name = r.name.as_deref();
                (
                    r.resource_type.as_str(),
                    r.address.as_str(),
                    name,
                    r.role.as_str(),
                )
            })
            .collect();
        assert_eq!(
            runners,
            [
                (
                    "AWS::Lambda::Function",
                    "Worker",
                    Some("worker"),
                    "WorkerRole"
                ),
                ("AWS::Lambda::Function", "Named", None, "Admin"),
                // Its template runs as the execution role, here named by its name.
                (
                    "AWS::CloudFormation::StackSet",
                    "Org",
                    Some("org"),
                    "org-execution"
                ),
            ]
        );
        let targets: Vec<(DataKind, &str, Option<&str>)> = inventory
            .targets
            .iter()
            .map(|t| (t.kind, t.address.as_str(), t.name.as_deref()))
            .collect();
        assert_eq!(
            targets,
            [
                (DataKind::Bucket, "Reports", Some("reports")),
                (DataKind::Key, "Key", None),
            ]
        );
    }

    #[test]
    fn files_are_claimed_by_content() {
        let template = "{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\"}}}";
        // JSON that is not a template is left to the raw-policy extractor.
        assert!(run_on("policy.json", "{\"Statement\": []}").is_none());
        assert!(run_on("other.json", "{\"Resources\": \"AWS::x\"}").is_none());
        assert!(run_on("stack.json", template).is_some());
        assert!(run_on("stack.template", template).is_some());
        // YAML is always claimed; what is not a template gives nothing.
        let skipped = run_on("deploy.yaml", "kind: Deployment\n").unwrap();
        assert!(skipped.documents.is_empty() && skipped.diagnostics.is_empty());
        let broken = run_on("values.yaml", "a: [\n").unwrap();
        assert!(broken.diagnostics.is_empty());
        assert!(run_on("notes.txt", template).is_none());
    }

    #[test]
    fn a_template_among_several_documents_is_read_and_flagged() {
        let text = "kind: x\n---\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Version: '2012-10-17', Statement: []}\n";
        let extraction = run_on("multi.yaml", text).unwrap();
        assert_eq!(extraction.documents.len(), 1);
        assert_eq!(extraction.diagnostics.len(), 1);
    }
}
