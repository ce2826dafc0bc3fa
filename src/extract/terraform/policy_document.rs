//! `data "aws_iam_policy_document"` lowered to the JSON policy the AWS provider renders:
//! statement blocks, principals and conditions, the default `Allow` and `Version`, and
//! `source_policy_documents` / `override_policy_documents` merged by `Sid` as the provider
//! does. A `dynamic` block is written once per item of a `for_each` that is known (none for an
//! empty one), or read once with its iterator values unknown; an attribute set to `null` is
//! left out, as the provider leaves it out.

use super::body::{Block, Expr};
use super::lower::{Doc, Lowerer};
use crate::base::source::Span;
use crate::base::value::{Member, Unknown, Value, ValueKind};

/// Whether nested blocks of one type are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Presence {
    None,
    /// Only by `dynamic` blocks whose `for_each` is only known at deploy time: perhaps none.
    Maybe,
    Certain,
}

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
        self.each_block(block, "statement", |this, statement| {
            let value = this.statement(statement);
            merge(&mut statements, vec![value]);
        });
        if self.unknown_dynamic(block, "statement") {
            notes.push(
                "`dynamic \"statement\"` is analysed once, with its iterator values unknown"
                    .to_string(),
            );
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
                    return vec![vec![deploy_time_statements(attr.name_span, name)]];
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
                    notes.push(format!("an entry of `{name}` is only known at deploy time"));
                    out.push(vec![deploy_time_statements(attr.name_span, name)]);
                }
            }
        }
        out
    }

    fn statement(&mut self, block: &Block<'a>) -> Value {
        let mut members = Vec::new();
        if let Some(attr) = block.attr("sid") {
            let member = self.member("Sid", attr.name_span, attr.value);
            if !matches!(member.value.kind, ValueKind::Null) {
                members.push(member);
            }
        }
        match block
            .attr("effect")
            .map(|attr| self.member("Effect", attr.name_span, attr.value))
            .filter(|member| !matches!(member.value.kind, ValueKind::Null))
        {
            Some(member) => members.push(member),
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
                let member = self.member(key, attr.name_span, attr.value);
                if !matches!(member.value.kind, ValueKind::Null) {
                    members.push(member);
                }
            }
        }
        if let Some(member) = self.conditions_member(block) {
            members.push(member);
        }
        Value::new(block.header, ValueKind::Object(members))
    }

    /// Lowers every `ident` block of `parent` with `lower`: a plain block once, a `dynamic`
    /// one once per item of a known `for_each` with its iterator bound, or once with its
    /// iterator unknown when `for_each` is only known at deploy time.
    fn each_block(
        &mut self,
        parent: &Block<'a>,
        ident: &str,
        mut lower: impl FnMut(&mut Self, &Block<'a>),
    ) -> Presence {
        let mut presence = Presence::None;
        for (content, dynamic) in parent.nested(ident) {
            let Some(dynamic) = dynamic else {
                lower(self, content);
                presence = Presence::Certain;
                continue;
            };
            match self.for_each_items(dynamic) {
                Some((items, from_input)) => {
                    let iterator = iterator_name(dynamic, ident);
                    for item in items {
                        self.with_iterator(&iterator, item, from_input, |this| {
                            lower(this, content)
                        });
                        presence = Presence::Certain;
                    }
                }
                None => {
                    lower(self, content);
                    if presence == Presence::None {
                        presence = Presence::Maybe;
                    }
                }
            }
        }
        presence
    }

    /// Whether a `dynamic "ident"` block of `parent` has a `for_each` only known at deploy
    /// time.
    fn unknown_dynamic(&mut self, parent: &Block<'a>, ident: &str) -> bool {
        parent
            .nested(ident)
            .filter_map(|(_, dynamic)| dynamic)
            .collect::<Vec<_>>()
            .into_iter()
            .any(|dynamic| self.for_each_items(dynamic).is_none())
    }

    /// The iterator values (`{key, value}`) of a `dynamic` block's known `for_each` and
    /// whether it reads a variable the caller sets, or `None` when it is only known at
    /// deploy time.
    fn for_each_items(&mut self, dynamic: &Block<'a>) -> Option<(Vec<Value>, bool)> {
        let attr = dynamic.attr("for_each")?;
        let (for_each, from_input) = self.value_reading_inputs(attr.value, attr.name_span);
        let pairs: Vec<(Value, Value)> = match for_each.kind {
            ValueKind::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    (
                        Value::new(item.span, ValueKind::Number(index.to_string())),
                        item,
                    )
                })
                .collect(),
            ValueKind::Object(members) => members
                .into_iter()
                .map(|m| (Value::new(m.key_span, ValueKind::String(m.key)), m.value))
                .collect(),
            ValueKind::Null => Vec::new(),
            _ => return None,
        };
        let items = pairs
            .into_iter()
            .map(|(key, value)| {
                let span = value.span;
                let members = vec![
                    Member {
                        key: "key".into(),
                        key_span: key.span,
                        value: key,
                    },
                    Member {
                        key: "value".into(),
                        key_span: span,
                        value,
                    },
                ];
                Value::new(span, ValueKind::Object(members))
            })
            .collect();
        Some((items, from_input))
    }

    /// An attribute as a policy element. A value a caller gives the module, or an item of a
    /// `dynamic` block's known `for_each`, is written elsewhere: the element is located
    /// there, so a finding about it names that input or item rather than a line of the
    /// block that is right for other values.
    fn member(&mut self, key: &str, key_span: Span, expr: Expr<'_>) -> Member {
        let (value, from_caller) = self.value_reading_inputs(expr, key_span);
        let written = expr.span(key_span);
        let elsewhere = value.span.file != written.file
            || value.span.start < written.start
            || value.span.end > written.end;
        let key_span = if elsewhere && (from_caller || self.in_known_item()) {
            value.span
        } else {
            key_span
        };
        Member {
            key: key.into(),
            key_span,
            value: strings(value),
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
        let presence = self.each_block(block, attribute, |this, principal| {
            header.get_or_insert(principal.header);
            let Some(kind) = this
                .string_attr(principal, "type")
                .filter(|kind| !matches!(kind.kind, ValueKind::Null))
            else {
                return;
            };
            let identifiers = this
                .string_attr(principal, "identifiers")
                .unwrap_or_else(|| Value::new(principal.header, ValueKind::Array(Vec::new())));
            // A type only known at deploy time is kept as `${...}`, which no rule reads as
            // a principal type.
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
        });
        let header = header?;
        if presence == Presence::Maybe {
            return Some(maybe_absent(key, header, attribute));
        }
        if by_type.is_empty() {
            return None;
        }
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
        // Conditions a `dynamic` block may write are kept: a rule that looks for a
        // condition must not report its absence when the code may well write it.
        self.each_block(block, "condition", |this, condition| {
            header.get_or_insert(condition.header);
            let (Some(test), Some(variable)) = (
                this.string_attr(condition, "test"),
                this.string_attr(condition, "variable"),
            ) else {
                return;
            };
            let values = this
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
        });
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

/// The name a `dynamic` block's iterator goes by: `iterator = name`, or the block's label.
fn iterator_name(dynamic: &Block<'_>, label: &str) -> String {
    match dynamic.attr("iterator").map(|attr| attr.value) {
        Some(Expr::Hcl(hcl_edit::expr::Expression::Variable(name), _)) => name.as_str().to_string(),
        Some(Expr::Json(value, _)) => value.as_str().unwrap_or(label).to_string(),
        _ => label.to_string(),
    }
}

/// An element written only by `dynamic` blocks whose `for_each` is only known at deploy
/// time: it may be absent, so it is unknown as a whole.
fn maybe_absent(key: &str, header: Span, block: &str) -> Member {
    Member {
        key: key.into(),
        key_span: header,
        value: Value::new(
            header,
            ValueKind::Unknown(Unknown {
                expression: format!("dynamic \"{block}\""),
                reference: None,
            }),
        ),
    }
}

/// The statements of a merged document only known at deploy time: an unknown statement, so
/// the policy is not read as having none.
fn deploy_time_statements(span: Span, attribute: &str) -> Value {
    Value::new(
        span,
        ValueKind::Unknown(Unknown {
            expression: attribute.to_string(),
            reference: None,
        }),
    )
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
