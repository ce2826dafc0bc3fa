//! SAM: the roles SAM creates for functions and state machines, and what they are given.
//!
//! `Policies` may hold inline documents, managed policies, and policy templates, expanded
//! from SAM's published definitions; a SAM API may have a resource policy.

use super::carriers::elements;
use super::lower::Position;
use super::template::{Extractor, Found, Resource};
use super::tree::{self, Entry, Node, NodeKind};
use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::Span;
use crate::extract::document::{Attachment, PolicyKind, PrincipalKind};
use crate::extract::managed;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The aws-sam-translator release the embedded templates come from.
pub const SAM_TRANSLATOR_VERSION: &str = "1.115.0";

const DATA: &str = include_str!("../../../action_catalog/sam/policy_templates.json");

#[derive(serde::Deserialize)]
struct Data {
    version: String,
    templates: HashMap<String, TemplateData>,
}

#[derive(serde::Deserialize)]
struct TemplateData {
    parameters: Vec<String>,
    statement: serde_json::Value,
}

/// Parsed on first use only: most runs never meet a SAM template.
fn data() -> Option<&'static Data> {
    static DATA_CELL: OnceLock<Option<Data>> = OnceLock::new();
    DATA_CELL
        .get_or_init(|| serde_json::from_str(DATA).ok())
        .as_ref()
}

/// Functions and state machines get a role from SAM unless they name one with `Role`.
pub(super) fn creates_role(resource_type: &str, properties: Option<&Node>) -> bool {
    matches!(
        resource_type,
        "AWS::Serverless::Function" | "AWS::Serverless::StateMachine"
    ) && properties
        .and_then(|p| p.get("Role"))
        .is_none_or(Node::is_no_value)
}

/// The type SAM deploys a resource as, which the statements of other principals name
/// (`lambda:UpdateFunctionCode` on a function is the same whether SAM or the template wrote it).
pub(super) fn deployed_type(resource_type: &str) -> &str {
    match resource_type {
        "AWS::Serverless::Function" => "AWS::Lambda::Function",
        other => other,
    }
}

/// SAM names the role it creates after the resource.
pub(super) fn role_id(id: &str) -> String {
    format!("{id}Role")
}

impl Extractor<'_> {
    /// A function or state machine without `Role`. With `Role`, SAM creates no role and
    /// ignores `Policies`, so there is nothing to read.
    pub(super) fn sam_function(&mut self, resource: &Resource<'_>) {
        if !creates_role(resource.resource_type, resource.properties) {
            return;
        }
        let Some(properties) = resource.properties else {
            return;
        };
        let role = role_id(resource.id);
        let attachment = Attachment {
            principal_kind: PrincipalKind::Role,
            principal: role.clone(),
            span: Some(resource.id_span),
        };
        let note = format!("execution role `{role}` created by SAM");
        if resource.resource_type == "AWS::Serverless::Function" {
            self.links.note(
                role.clone(),
                format!(
                    "`{role}` also has managed policy `AWSLambdaBasicExecutionRole` (added by SAM)"
                ),
            );
        }
        if let Some(policies) = properties.get("Policies") {
            for (path, entry) in elements(policies, "Properties.Policies") {
                self.sam_policy(resource, &role, &attachment, &note, path, entry);
            }
        }
        if let Some(trust) = properties.get("AssumeRolePolicyDocument") {
            let attribute = "Properties.AssumeRolePolicyDocument".to_string();
            for (value, attribute) in self.documents(trust, attribute) {
                self.found.push(Found {
                    owner: resource.id.to_string(),
                    attribute,
                    kind: PolicyKind::Trust,
                    value,
                    attachments: vec![attachment.clone()],
                    notes: vec![note.clone()],
                });
            }
        }
        self.principal_policies(PrincipalKind::Role, &role, properties);
    }

    fn sam_policy(
        &mut self,
        resource: &Resource<'_>,
        role: &str,
        attachment: &Attachment,
        note: &str,
        path: String,
        entry: &Node,
    ) {
        match &entry.kind {
            NodeKind::String(name) => {
                if let Some(managed) =
                    managed::attachment_named(PrincipalKind::Role, role, name, entry.span)
                {
                    self.links.managed(managed);
                }
                self.links.note(
                    role.to_string(),
                    format!("`{role}` also has managed policy `{name}`"),
                );
            }
            NodeKind::Map(_) if entry.get("Statement").is_some() => {
                for (value, attribute) in self.documents(entry, path) {
                    self.found.push(Found {
                        owner: resource.id.to_string(),
                        attribute,
                        kind: PolicyKind::Identity,
                        value,
                        attachments: vec![attachment.clone()],
                        notes: vec![note.to_string()],
                    });
                }
            }
            NodeKind::Map(entries) => {
                if let [invocation] = entries.as_slice() {
                    self.sam_template(resource, attachment, note, path, invocation);
                }
            }
            NodeKind::Call(_) => match self.managed_policy(entry) {
                Some(policy) => self.links.policy(
                    policy,
                    Attachment {
                        span: Some(entry.span),
                        ..attachment.clone()
                    },
                    false,
                ),
                None => {
                    let note = format!(
                        "`{role}` also has managed policy `{}`",
                        self.describe(entry)
                    );
                    self.links.note(role.to_string(), note);
                }
            },
            _ => {}
        }
    }

    /// Expands `- S3ReadPolicy: {BucketName: !Ref Bucket}` into the statements SAM writes.
    /// Everything from the definition points at the template's name in the user's file;
    /// the values the user passed keep their own spans.
    fn sam_template(
        &mut self,
        resource: &Resource<'_>,
        attachment: &Attachment,
        note: &str,
        path: String,
        invocation: &Entry,
    ) {
        let name = invocation.key.as_str();
        let Some((version, definition)) =
            data().and_then(|d| Some((d.version.as_str(), d.templates.get(name)?)))
        else {
            self.diagnostics.push(
                Problem::new(
                    RuleId::ParseError,
                    invocation.key_span,
                    format!("`{name}` is not a SAM policy template"),
                )
                .with_help(format!(
                    "use a template name from aws-sam-translator {SAM_TRANSLATOR_VERSION}, a managed policy name, or a policy document with `Statement`"
                )),
            );
            return;
        };
        let span = invocation.key_span;
        let mut statement = tree::from_serde(&definition.statement, span);
        bind_parameters(&mut statement, &definition.parameters, &invocation.value);
        let document = document_of(span, statement);
        let Some(value) = self.lowerer().value(&document, Position::Document) else {
            return;
        };
        self.found.push(Found {
            owner: resource.id.to_string(),
            attribute: format!("{path}.{name}"),
            kind: PolicyKind::Identity,
            value,
            attachments: vec![attachment.clone()],
            notes: vec![
                note.to_string(),
                format!("SAM policy template `{name}` (aws-sam-translator {version})"),
                "`Version` added by iamlint: SAM writes none, which changes nothing for statements without policy variables".into(),
            ],
        });
    }

    /// `Auth.ResourcePolicy.CustomStatements` of a SAM API: statements SAM puts in the
    /// REST API's resource policy.
    pub(super) fn sam_api(&mut self, resource: &Resource<'_>) {
        let Some(statements) = resource
            .properties
            .and_then(|p| p.get("Auth"))
            .and_then(|a| a.get("ResourcePolicy"))
            .and_then(|r| r.get("CustomStatements"))
        else {
            return;
        };
        let document = document_of(statements.span, statements.clone());
        if let Some(value) = self.lowerer().value(&document, Position::Document) {
            self.found.push(Found {
                owner: resource.id.to_string(),
                attribute: "Properties.Auth.ResourcePolicy.CustomStatements".into(),
                kind: PolicyKind::Resource {
                    resource_type: "AWS::ApiGateway::RestApi".into(),
                },
                value,
                attachments: Vec::new(),
                notes: vec!["resource policy SAM builds for the API".into()],
            });
        }
    }
}

/// The policy SAM writes around statements: `{Version, Statement}`, pointing at `span`.
fn document_of(span: Span, statements: Node) -> Node {
    Node::synthetic(
        span,
        NodeKind::Map(vec![
            Entry {
                key: "Version".into(),
                key_span: span,
                value: Node::synthetic(span, NodeKind::String("2012-10-17".into())),
            },
            Entry {
                key: "Statement".into(),
                key_span: span,
                value: statements,
            },
        ]),
    )
}

/// Replaces `{"Ref": Parameter}` of a template definition with the value the user passed.
/// A parameter the user left out stays a `Ref`, which lowers to an unknown value.
fn bind_parameters(node: &mut Node, parameters: &[String], values: &Node) {
    let replacement = match &node.kind {
        NodeKind::Call(call) if call.name == "Ref" => call
            .arg
            .as_str()
            .filter(|name| parameters.iter().any(|p| p == name))
            .and_then(|name| values.get(name))
            .cloned(),
        _ => None,
    };
    if let Some(value) = replacement {
        *node = value;
        return;
    }
    match &mut node.kind {
        NodeKind::Seq(items) => {
            for item in items {
                bind_parameters(item, parameters, values);
            }
        }
        NodeKind::Map(entries) => {
            for entry in entries {
                bind_parameters(&mut entry.value, parameters, values);
            }
        }
        NodeKind::Call(call) => bind_parameters(&mut call.arg, parameters, values),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_templates_parse_and_match_the_pinned_version() {
        let data = data().expect("policy_templates.json parses");
        assert_eq!(data.version, SAM_TRANSLATOR_VERSION);
        assert!(data.templates.len() > 70);
        let s3 = &data.templates["S3ReadPolicy"];
        assert_eq!(s3.parameters, vec!["BucketName".to_string()]);
        let readme = include_str!("../../../action_catalog/sam/README.md");
        assert!(readme.contains(SAM_TRANSLATOR_VERSION));
    }
}
