//! `data "aws_iam_policy_document"` lowered to the JSON policy the AWS provider renders:
//! statement blocks, principals and conditions, the default `Allow` and `Version`, and
//! `source_policy_documents` / `override_policy_documents` merged by `Sid` as the provider
//! does. `dynamic "statement"` content is read once, with its iterator values unknown.

use super::body::{Block, Expr};
use super::lower::{Doc, Lowerer};
use crate::base::source::Span;
use crate::base::value::{Member, Value, ValueKind};

/// A lowered data source and what a reader should know about it.
#[derive(Debug)]
pub(super) struct PolicyDocumentData {
    pub value: Value,
    pub notes: Vec<String>,
}

/// The provider's default when `version` is not set.
const DEFAULT_VERSION: &str = "2012-10-17";

impl<'a> Lowerer<'_, 'a> {
    /// Lowers one data source; `stack` holds the data sources being lowered, so documents
    /// that merge each other in a cycle stop.
    pub(super) fn policy_document(
        &mut self,
        block: &Block<'a>,
        stack: &mut Vec<String>,
    ) -> PolicyDocumentData {
        let mut notes = Vec::new();
        let mut members = Vec::new();
        let version = match block.attr("version") {
            Some(attr) => (attr.name_span, self.value(attr.value, attr.name_span)),
            None => (
                block.header,
                Value::new(block.header, ValueKind::String(DEFAULT_VERSION.into())),
            ),
        };
        members.push(Member {
            key: "Version".into(),
            key_span: version.0,
            value: version.1,
        });
        if let Some(attr) = block.attr("policy_id") {
            members.push(Member {
                key: "Id".into(),
                key_span: attr.name_span,
                value: self.value(attr.value, attr.name_span),
            });
        }
        let mut statements: Vec<Value> = Vec::new();
        for name in ["source_policy_documents", "source_json"] {
            for merged in self.merged_documents(block, name, stack, &mut notes) {
                merge(&mut statements, merged);
            }
        }
        for (statement, dynamic) in block.nested("statement") {
            if dynamic {
                let note =
                    "`dynamic \"statement\"` is analysed once, with its iterator values unknown"
                        .to_string();
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            let value = self.statement(statement);
            merge(&mut statements, vec![value]);
        }
        for name in ["override_policy_documents", "override_json"] {
            for merged in self.merged_documents(block, name, stack, &mut notes) {
                merge(&mut statements, merged);
            }
        }
        members.push(Member {
            key: "Statement".into(),
            key_span: block.header,
            value: Value::new(block.header, ValueKind::Array(statements)),
        });
        PolicyDocumentData {
            value: Value::new(block.header, ValueKind::Object(members)),
            notes,
        }
    }

    /// The statements of each document a merging attribute names, in order.
    fn merged_documents(
        &mut self,
        block: &Block<'a>,
        name: &str,
        stack: &mut Vec<String>,
        notes: &mut Vec<String>,
    ) -> Vec<Vec<Value>> {
        let Some(attr) = block.attr(name) else {
            return Vec::new();
        };
        let items: Vec<Expr<'a>> = if name.ends_with("_json") {
            vec![attr.value]
        } else {
            match self.list_items(attr.value) {
                Some(items) => items,
                None => {
                    notes.push(format!("`{name}` is only known at deploy time"));
                    return Vec::new();
                }
            }
        };
        let mut out = Vec::new();
        for item in items {
            match self.document(item, attr.name_span) {
                Doc::DataSource(address) => {
                    if stack.contains(&address) {
                        continue;
                    }
                    let Some(other) = self.module.data.get(&address).copied() else {
                        continue;
                    };
                    stack.push(address.clone());
                    let data = self.policy_document(other, stack);
                    stack.pop();
                    notes.push(format!("merges `{address}` ({name})"));
                    out.push(statements_of(data.value));
                }
                Doc::Value(value) => out.push(statements_of(value)),
                Doc::Nothing => {
                    notes.push(format!("an entry of `{name}` is only known at deploy time"))
                }
            }
        }
        out
    }

    fn statement(&mut self, block: &Block<'a>) -> Value {
        let mut members = Vec::new();
        if let Some(attr) = block.attr("sid") {
            members.push(self.member("Sid", attr.name_span, attr.value));
        }
        match block.attr("effect") {
            Some(attr) => members.push(self.member("Effect", attr.name_span, attr.value)),
            None => members.push(Member {
                key: "Effect".into(),
                key_span: block.header,
                value: Value::new(block.header, ValueKind::String("Allow".into())),
            }),
        }
        for (attribute, key) in [
            ("not_principals", "NotPrincipal"),
            ("principals", "Principal"),
        ] {
            if let Some(member) = self.principals_member(block, attribute, key) {
                members.push(member);
            }
        }
        for (attribute, key) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(attr) = block.attr(attribute) {
                members.push(self.member(key, attr.name_span, attr.value));
            }
        }
        if let Some(member) = self.conditions_member(block) {
            members.push(member);
        }
        Value::new(block.header, ValueKind::Object(members))
    }

    fn member(&mut self, key: &str, key_span: Span, expr: Expr<'_>) -> Member {
        Member {
            key: key.into(),
            key_span,
            value: strings(self.value(expr, key_span)),
        }
    }

    /// An attribute of a block, as the provider's string-typed schema reads it.
    fn string_attr(&mut self, block: &Block<'a>, name: &str) -> Option<Value> {
        self.attr_value(block, name).map(strings)
    }

    /// `principals { type = "AWS" identifiers = [...] }` blocks as `{"AWS": [...]}`; the
    /// provider writes `"*"` for `type = "*"` with `identifiers = ["*"]`.
    fn principals_member(
        &mut self,
        block: &Block<'a>,
        attribute: &str,
        key: &str,
    ) -> Option<Member> {
        let mut header: Option<Span> = None;
        let mut by_type: Vec<Member> = Vec::new();
        for (principal, _) in block.nested(attribute) {
            header.get_or_insert(principal.header);
            let kind = self.string_attr(principal, "type")?;
            let identifiers = self
                .string_attr(principal, "identifiers")
                .unwrap_or_else(|| Value::new(principal.header, ValueKind::Array(Vec::new())));
            let name = match &kind.kind {
                ValueKind::String(name) => name.clone(),
                _ => kind.to_json().as_str().unwrap_or_default().to_string(),
            };
            match by_type.iter_mut().find(|m| m.key == name) {
                Some(existing) => {
                    let mut items = existing.value.one_or_many().to_vec();
                    items.extend(identifiers.one_or_many().iter().cloned());
                    existing.value = Value::new(existing.value.span, ValueKind::Array(items));
                }
                None => by_type.push(Member {
                    key: name,
                    key_span: kind.span,
                    value: identifiers,
                }),
            }
        }
        let header = header?;
        if let [only] = by_type.as_slice()
            && only.key == "*"
            && let [star] = only.value.one_or_many()
            && star.as_str() == Some("*")
        {
            return Some(Member {
                key: key.into(),
                key_span: header,
                value: star.clone(),
            });
        }
        Some(Member {
            key: key.into(),
            key_span: header,
            value: Value::new(header, ValueKind::Object(by_type)),
        })
    }

    /// `condition { test variable values }` blocks as `{"test": {"variable": values}}`.
    fn conditions_member(&mut self, block: &Block<'a>) -> Option<Member> {
        let mut header: Option<Span> = None;
        let mut operators: Vec<Member> = Vec::new();
        for (condition, _) in block.nested("condition") {
            header.get_or_insert(condition.header);
            let (Some(test), Some(variable)) = (
                self.string_attr(condition, "test"),
                self.string_attr(condition, "variable"),
            ) else {
                continue;
            };
            let values = self
                .string_attr(condition, "values")
                .unwrap_or_else(|| Value::new(condition.header, ValueKind::Array(Vec::new())));
            let key_of = |value: &Value| match &value.kind {
                ValueKind::String(text) => text.clone(),
                _ => value.to_json().as_str().unwrap_or_default().to_string(),
            };
            let operator = key_of(&test);
            let entry = Member {
                key: key_of(&variable),
                key_span: variable.span,
                value: values,
            };
            match operators.iter_mut().find(|m| m.key == operator) {
                Some(existing) => {
                    if let ValueKind::Object(entries) = &mut existing.value.kind {
                        entries.push(entry);
                    }
                }
                None => operators.push(Member {
                    key: operator,
                    key_span: test.span,
                    value: Value::new(condition.header, ValueKind::Object(vec![entry])),
                }),
            }
        }
        let header = header?;
        Some(Member {
            key: "Condition".into(),
            key_span: header,
            value: Value::new(header, ValueKind::Object(operators)),
        })
    }
}

/// The provider's schema types `actions`, `values`, `identifiers` and the rest as strings, so
/// `values = [true]` is rendered `"true"`.
fn strings(value: Value) -> Value {
    let kind = match value.kind {
        ValueKind::Bool(b) => ValueKind::String(b.to_string()),
        ValueKind::Number(n) => ValueKind::String(n),
        ValueKind::Array(items) => ValueKind::Array(items.into_iter().map(strings).collect()),
        other => other,
    };
    Value::new(value.span, kind)
}

fn statements_of(document: Value) -> Vec<Value> {
    let Some(statement) = document.get("Statement") else {
        return Vec::new();
    };
    statement.one_or_many().to_vec()
}

fn sid(statement: &Value) -> Option<&str> {
    statement
        .get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Adds statements as the provider merges documents: one with the `Sid` of a statement
/// already there replaces it in place; the others are appended.
fn merge(statements: &mut Vec<Value>, more: Vec<Value>) {
    for statement in more {
        match sid(&statement).and_then(|id| statements.iter().position(|s| sid(s) == Some(id))) {
            Some(index) => statements[index] = statement,
            None => statements.push(statement),
        }
    }
}
