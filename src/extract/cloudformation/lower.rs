//! Lowering template nodes, intrinsic functions included, to the spanned value tree.
//!
//! Intrinsic functions become strings, templates with holes, or unknown values that
//! remember which resource they point at.
//!
//! `Fn::If` is analysed as the union of its branches, so that whatever either branch allows
//! is checked, without forking documents (which would repeat every finding on shared parts
//! and grow exponentially with nested conditions):
//! - as an element of a list (a statement, an action, a `Policies` entry), both branches'
//!   elements are spliced in place;
//! - as a value where IAM reads one-or-many (`Action`, `Resource`, `Principal.AWS`, condition
//!   values, `Statement`), both branches become one list;
//! - as an object in both branches (a `Condition` block, a `Principal` map), the members are
//!   merged key by key with the same rules;
//! - `!Ref AWS::NoValue` removes the element or member, so the other branch stands alone;
//! - anything else whose branches differ (`Effect: !If [c, Allow, Deny]`) is unknown, and
//!   rules stay quiet about it.

use super::template::Template;
use super::tree::{Call, Node, NodeKind};
use crate::base::value::{Member, Reference, TemplatePart, Unknown, Value, ValueKind};
use crate::extract::mapped::Mapped;
use std::cell::Cell;

/// Pseudo parameters whose value is a string known only at deploy time.
const PSEUDO_STRINGS: &[&str] = &[
    "AWS::AccountId",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// Where in a policy a value sits, which decides how `Fn::If` branches combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Position {
    /// The policy object (`Version`, `Statement`).
    Document,
    /// `Statement`: one statement or a list of them.
    Statements,
    Statement,
    Principal,
    /// `Condition`: operators.
    Condition,
    /// One operator's block: condition keys.
    ConditionBlock,
    /// A one-or-many list of strings (`Action`, `Resource`, principal ids, condition values).
    List,
    Other,
}

impl Position {
    fn is_list(self) -> bool {
        matches!(self, Position::List | Position::Statements)
    }

    fn element(self) -> Position {
        match self {
            Position::Statements => Position::Statement,
            _ => Position::Other,
        }
    }

    fn child(self, key: &str) -> Position {
        match (self, key) {
            (Position::Document, "Statement") => Position::Statements,
            (Position::Statement, "Action" | "NotAction" | "Resource" | "NotResource") => {
                Position::List
            }
            (Position::Statement, "Principal" | "NotPrincipal") => Position::Principal,
            (Position::Statement, "Condition") => Position::Condition,
            (Position::Principal, _) => Position::List,
            (Position::Condition, _) => Position::ConditionBlock,
            (Position::ConditionBlock, _) => Position::List,
            _ => Position::Other,
        }
    }
}

pub(super) struct Lowerer<'t> {
    pub template: &'t Template<'t>,
    /// Lowering a value found in `Mappings`: a `!FindInMap` there is not followed again, so
    /// a mapping that names itself cannot recurse forever (CloudFormation allows only
    /// literals in `Mappings` anyway).
    in_mapping: Cell<bool>,
}

impl<'t> Lowerer<'t> {
    pub(super) fn new(template: &'t Template<'t>) -> Self {
        Lowerer {
            template,
            in_mapping: Cell::new(false),
        }
    }
}

impl Lowerer<'_> {
    /// The value a node stands for, or `None` for `!Ref AWS::NoValue`.
    pub(super) fn value(&self, node: &Node, position: Position) -> Option<Value> {
        let kind = match &node.kind {
            NodeKind::Null => ValueKind::Null,
            NodeKind::Bool(b) => ValueKind::Bool(*b),
            NodeKind::Number(n) => ValueKind::Number(n.clone()),
            NodeKind::String(s) => ValueKind::String(s.clone()),
            NodeKind::Seq(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    self.items(item, position.element(), &mut values);
                }
                ValueKind::Array(values)
            }
            NodeKind::Map(entries) => ValueKind::Object(
                entries
                    .iter()
                    .filter_map(|entry| {
                        let value = self.value(&entry.value, position.child(&entry.key))?;
                        Some(Member {
                            key: entry.key.clone(),
                            key_span: entry.key_span,
                            value,
                        })
                    })
                    .collect(),
            ),
            NodeKind::Call(call) => return self.call(node, call, position),
        };
        Some(Value::new(node.span, kind))
    }

    /// Adds the values an element of a list stands for: none for `AWS::NoValue`, both
    /// branches' for `Fn::If`.
    pub(super) fn items(&self, node: &Node, position: Position, out: &mut Vec<Value>) {
        if let Some(call) = node.call()
            && call.name == "Fn::If"
            && let Some([_, yes, no]) = call.arg.items()
        {
            self.items(yes, position, out);
            self.items(no, position, out);
            return;
        }
        out.extend(self.value(node, position));
    }

    fn call(&self, node: &Node, call: &Call, position: Position) -> Option<Value> {
        let kind = match call.name.as_str() {
            "Ref" => return self.reference(node, &call.arg),
            "Fn::GetAtt" => ValueKind::Unknown(self.get_att(node, &call.arg)),
            "Fn::Sub" | "Fn::Join" => match self.mapped(node) {
                Some(mapped) => mapped.into_kind(),
                None => ValueKind::Unknown(self.unknown(node)),
            },
            "Fn::If" => return self.conditional(node, &call.arg, position),
            "Fn::Select" => return self.select(node, &call.arg, position),
            "Fn::FindInMap" => return self.find_in_map(node, &call.arg, position),
            _ => ValueKind::Unknown(self.unknown(node)),
        };
        Some(Value::new(node.span, kind))
    }

    fn reference(&self, node: &Node, arg: &Node) -> Option<Value> {
        let Some(name) = arg.as_str() else {
            return Some(Value::new(
                node.span,
                ValueKind::Unknown(self.unknown(node)),
            ));
        };
        if name == "AWS::NoValue" {
            return None;
        }
        let kind = if PSEUDO_STRINGS.contains(&name) {
            ValueKind::Template(vec![TemplatePart::Hole(Unknown {
                expression: name.to_string(),
                reference: None,
            })])
        } else {
            ValueKind::Unknown(self.ref_unknown(name))
        };
        Some(Value::new(node.span, kind))
    }

    fn ref_unknown(&self, name: &str) -> Unknown {
        Unknown {
            expression: format!("!Ref {name}"),
            reference: self.resource_reference(name, "").map(Box::new),
        }
    }

    fn resource_reference(&self, id: &str, attribute: &str) -> Option<Reference> {
        self.template
            .resource_type(id)
            .map(|resource_type| Reference {
                address: id.to_string(),
                resource_type: resource_type.to_string(),
                attribute: attribute.to_string(),
            })
    }

    fn get_att(&self, node: &Node, arg: &Node) -> Unknown {
        let (id, attribute) = match &arg.kind {
            NodeKind::String(text) => match text.split_once('.') {
                Some((id, attribute)) => (id.to_string(), attribute.to_string()),
                None => (text.clone(), String::new()),
            },
            NodeKind::Seq(items) => match items.as_slice() {
                [id, attribute] => (
                    id.as_str().unwrap_or_default().to_string(),
                    attribute.as_str().unwrap_or("?").to_string(),
                ),
                _ => return opaque(node),
            },
            _ => return opaque(node),
        };
        Unknown {
            expression: format!("!GetAtt {id}.{attribute}"),
            reference: self.resource_reference(&id, &attribute).map(Box::new),
        }
    }

    fn conditional(&self, node: &Node, arg: &Node, position: Position) -> Option<Value> {
        let Some([_, yes, no]) = arg.items() else {
            return Some(Value::new(
                node.span,
                ValueKind::Unknown(self.unknown(node)),
            ));
        };
        if position.is_list() {
            let mut items = Vec::new();
            for branch in [yes, no] {
                if let Some(value) = self.value(branch, position) {
                    match value.kind {
                        ValueKind::Array(values) => items.extend(values),
                        _ => items.push(value),
                    }
                }
            }
            if yes.is_no_value() && no.is_no_value() {
                return None;
            }
            return Some(Value::new(node.span, ValueKind::Array(items)));
        }
        let yes = self.value(yes, position);
        let no = self.value(no, position);
        self.merge(yes, no, position, node)
    }

    /// The union of two branches' values at the same position.
    fn merge(
        &self,
        a: Option<Value>,
        b: Option<Value>,
        position: Position,
        node: &Node,
    ) -> Option<Value> {
        let (a, b) = match (a, b) {
            (None, None) => return None,
            (Some(one), None) | (None, Some(one)) => return Some(one),
            (Some(a), Some(b)) => (a, b),
        };
        if position.is_list() {
            let mut items = Vec::new();
            for value in [a, b] {
                match value.kind {
                    ValueKind::Array(values) => items.extend(values),
                    _ => items.push(value),
                }
            }
            return Some(Value::new(node.span, ValueKind::Array(items)));
        }
        match (a.kind, b.kind) {
            (ValueKind::Object(mut merged), ValueKind::Object(others)) => {
                for member in others {
                    match merged.iter().position(|m| m.key == member.key) {
                        Some(index) => {
                            let existing = merged.remove(index);
                            let child = position.child(&member.key);
                            if let Some(value) =
                                self.merge(Some(existing.value), Some(member.value), child, node)
                            {
                                merged.insert(
                                    index,
                                    Member {
                                        key: existing.key,
                                        key_span: existing.key_span,
                                        value,
                                    },
                                );
                            }
                        }
                        None => merged.push(member),
                    }
                }
                Some(Value::new(node.span, ValueKind::Object(merged)))
            }
            (a_kind, b_kind) if a_kind == b_kind => Some(Value::new(a.span, a_kind)),
            _ => Some(Value::new(
                node.span,
                ValueKind::Unknown(self.unknown(node)),
            )),
        }
    }

    fn select(&self, node: &Node, arg: &Node, position: Position) -> Option<Value> {
        if let Some([index, list]) = arg.items()
            && let Some(index) = index.scalar_text().and_then(|t| t.parse::<usize>().ok())
            && let Some(items) = list.items()
            && let Some(item) = items.get(index)
        {
            return self.value(item, position);
        }
        Some(Value::new(
            node.span,
            ValueKind::Unknown(self.unknown(node)),
        ))
    }

    /// `!FindInMap [Map, Key, Key]` with literal keys is the value written in `Mappings`.
    fn find_in_map(&self, node: &Node, arg: &Node, position: Position) -> Option<Value> {
        if !self.in_mapping.get()
            && let Some([map, first, second, ..]) = arg.items()
            && let (Some(map), Some(first), Some(second)) =
                (map.as_str(), first.scalar_text(), second.scalar_text())
            && let Some(found) = self
                .template
                .mappings
                .and_then(|m| m.get(map))
                .and_then(|m| m.get(first))
                .and_then(|m| m.get(second))
        {
            self.in_mapping.set(true);
            let value = self.value(found, position);
            self.in_mapping.set(false);
            return value;
        }
        Some(Value::new(
            node.span,
            ValueKind::Unknown(self.unknown(node)),
        ))
    }

    /// What is known of a value that is not: its expression, and the resource it names.
    pub(super) fn unknown(&self, node: &Node) -> Unknown {
        if let Some(call) = node.call() {
            match call.name.as_str() {
                "Fn::GetAtt" if !matches!(call.arg.kind, NodeKind::Call(_)) => {
                    return self.get_att(node, &call.arg);
                }
                "Ref" => {
                    if let Some(name) = call.arg.as_str() {
                        return self.ref_unknown(name);
                    }
                }
                _ => {}
            }
        }
        opaque(node)
    }

    /// A string-valued node as text with offsets: a string, `!Sub` or `!Join`.
    pub(super) fn mapped(&self, node: &Node) -> Option<Mapped> {
        match &node.kind {
            NodeKind::String(text) => {
                let offsets = node.string_offsets(self.template.text);
                let mut mapped = Mapped {
                    end: offsets.last().copied().unwrap_or(node.span.end),
                    ..Mapped::default()
                };
                mapped.push(text, &offsets[..offsets.len().saturating_sub(1)]);
                Some(mapped)
            }
            NodeKind::Call(call) if call.name == "Fn::Sub" => self.sub(&call.arg),
            NodeKind::Call(call) if call.name == "Fn::Join" => self.join(&call.arg),
            _ => None,
        }
    }

    /// `!Sub "..."` or `!Sub ["...", {Var: value}]`: `${Name}` becomes a hole (or the
    /// variable's literal value), `${!Literal}` the literal `${Literal}`.
    fn sub(&self, arg: &Node) -> Option<Mapped> {
        let (body, variables) = match &arg.kind {
            NodeKind::String(_) => (arg, None),
            NodeKind::Seq(items) => match items.as_slice() {
                [body, variables] => (body, Some(variables)),
                [body] => (body, None),
                _ => return None,
            },
            _ => return None,
        };
        let text = body.as_str()?;
        let offsets = body.string_offsets(self.template.text);
        let mut mapped = Mapped {
            end: offsets.last().copied().unwrap_or(body.span.end),
            ..Mapped::default()
        };
        let mut literal_start = 0;
        let mut cursor = 0;
        while let Some(found) = text[cursor..].find("${") {
            let open = cursor + found;
            mapped.push(&text[literal_start..open], &offsets[literal_start..open]);
            if text[open + 2..].starts_with('!') {
                mapped.push("${", &offsets[open..open + 2]);
                cursor = open + 3;
                literal_start = cursor;
                continue;
            }
            let Some(close) = text[open + 2..].find('}') else {
                literal_start = open;
                break;
            };
            let end = open + 2 + close + 1;
            let name = text[open + 2..end - 1].trim();
            match self.sub_variable(name, variables) {
                Ok(literal) => mapped.push_at(&literal, offsets[open]),
                Err(unknown) => {
                    let hole = offsets[open..end].iter().copied();
                    mapped.push_hole(&text[open..end], hole, unknown);
                }
            }
            cursor = end;
            literal_start = end;
        }
        mapped.push(&text[literal_start..], &offsets[literal_start..text.len()]);
        Some(mapped)
    }

    /// A `${...}` of `!Sub`: its literal value when the variable map gives one, else the hole.
    fn sub_variable(&self, name: &str, variables: Option<&Node>) -> Result<String, Unknown> {
        if let Some(node) = variables.and_then(|v| v.get(name)) {
            return match self.value(node, Position::Other) {
                Some(Value {
                    kind: ValueKind::String(text),
                    ..
                }) => Ok(text),
                Some(Value {
                    kind: ValueKind::Unknown(unknown),
                    ..
                }) => Err(unknown),
                _ => Err(Unknown {
                    expression: name.to_string(),
                    reference: None,
                }),
            };
        }
        let reference = match name.split_once('.') {
            Some((id, attribute)) => self.resource_reference(id, attribute),
            None => self.resource_reference(name, ""),
        };
        Err(Unknown {
            expression: name.to_string(),
            reference: reference.map(Box::new),
        })
    }

    /// `!Join [delimiter, [parts]]`: literal parts and delimiters as text, the rest as holes.
    fn join(&self, arg: &Node) -> Option<Mapped> {
        let [delimiter, list] = arg.items()? else {
            return None;
        };
        let delimiter = self.mapped(delimiter)?;
        let items = list.items()?;
        let mut mapped = Mapped {
            end: arg.span.end,
            ..Mapped::default()
        };
        let mut first = true;
        for item in items {
            if item.is_no_value() {
                continue;
            }
            if !first {
                mapped.push(&delimiter.text, &delimiter.offsets);
            }
            first = false;
            if let Some(part) = self.mapped(item) {
                mapped.append(part);
                continue;
            }
            match self.value(item, Position::Other) {
                Some(Value {
                    kind: ValueKind::String(text),
                    ..
                }) => mapped.push_at(&text, item.span.start),
                Some(Value {
                    kind: ValueKind::Number(text),
                    ..
                }) => mapped.push_at(&text, item.span.start),
                Some(Value {
                    kind: ValueKind::Template(parts),
                    ..
                }) => {
                    for part in parts {
                        match part {
                            TemplatePart::Literal(text) => mapped.push_at(&text, item.span.start),
                            TemplatePart::Hole(unknown) => {
                                mapped.push_unknown(unknown, item.span.start);
                            }
                        }
                    }
                }
                other => {
                    let unknown = match other {
                        Some(Value {
                            kind: ValueKind::Unknown(unknown),
                            ..
                        }) => unknown,
                        _ => self.unknown(item),
                    };
                    mapped.push_unknown(unknown, item.span.start);
                }
            }
            mapped.end = item.span.end;
        }
        mapped.end = arg.span.end;
        Some(mapped)
    }
}

/// An unknown that names no resource: its expression as written. `!GetAtt` with arguments
/// of the wrong shape ends here too, never back in `Lowerer::unknown` (that recursed forever).
fn opaque(node: &Node) -> Unknown {
    Unknown {
        expression: render(node),
        reference: None,
    }
}

/// A short, readable rendering of a node for messages: `!ImportValue shared-role-arn`.
pub(super) fn render(node: &Node) -> String {
    let mut out = String::new();
    render_into(node, &mut out, 0);
    if out.len() > 120 {
        let mut cut = 117;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("...");
    }
    out
}

fn render_into(node: &Node, out: &mut String, depth: usize) {
    if out.len() > 120 || depth > 8 {
        out.push_str("...");
        return;
    }
    match &node.kind {
        NodeKind::Null => out.push_str("null"),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Number(n) => out.push_str(n),
        NodeKind::String(s) => {
            if s.is_empty() || s.contains([' ', ',', '[', ']', '{', '}']) {
                out.push_str(&format!("{s:?}"));
            } else {
                out.push_str(s);
            }
        }
        NodeKind::Seq(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                render_into(item, out, depth + 1);
            }
            out.push(']');
        }
        NodeKind::Map(entries) => {
            out.push('{');
            for (index, entry) in entries.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(&entry.key);
                out.push_str(": ");
                render_into(&entry.value, out, depth + 1);
            }
            out.push('}');
        }
        NodeKind::Call(call) => {
            let name = call.name.strip_prefix("Fn::").unwrap_or(&call.name);
            if !name.starts_with('!') {
                out.push('!');
            }
            out.push_str(name);
            out.push(' ');
            render_into(&call.arg, out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::extract::cloudformation::tree;
    use crate::extract::yaml;
    use rustc_hash::FxHashMap;

    fn lower(text: &str, position: Position) -> Option<Value> {
        let root = yaml::parse(FileId(0), text, yaml::Limits::default()).unwrap();
        let node = tree::from_yaml(root.into_iter().next().unwrap());
        let template = Template {
            file: FileId(0),
            text,
            mappings: None,
            types: FxHashMap::from_iter([("Bucket".to_string(), "AWS::S3::Bucket".to_string())]),
        };
        Lowerer::new(&template).value(node.get("v").unwrap(), position)
    }

    fn parts(value: &Value) -> Vec<String> {
        match &value.kind {
            ValueKind::Template(parts) => parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Literal(text) => text.clone(),
                    TemplatePart::Hole(unknown) => format!("<{}>", unknown.expression),
                })
                .collect(),
            ValueKind::String(text) => vec![text.clone()],
            other => vec![format!("{other:?}")],
        }
    }

    #[test]
    fn sub_splits_holes_literals_and_escapes() {
        let value = lower(
            "v: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${!aws:username}/${ Env }-${'\n",
            Position::Other,
        )
        .unwrap();
        assert_eq!(
            parts(&value),
            [
                "arn:",
                "<AWS::Partition>",
                ":s3:::",
                "<Bucket>",
                "/${aws:username}/",
                "<Env>",
                "-${"
            ]
        );
        let ValueKind::Template(template) = &value.kind else {
            panic!()
        };
        let TemplatePart::Hole(bucket) = &template[3] else {
            panic!()
        };
        assert_eq!(
            bucket.reference.as_ref().map(|r| r.resource_type.as_str()),
            Some("AWS::S3::Bucket")
        );
    }

    #[test]
    fn sub_variables_substitute_literals() {
        let value = lower(
            "v: !Sub ['${A}-${B}', {A: literal, B: !GetAtt Bucket.Arn}]\n",
            Position::Other,
        )
        .unwrap();
        assert_eq!(parts(&value), ["literal-", "<!GetAtt Bucket.Arn>"]);
    }

    #[test]
    fn get_att_and_ref_remember_the_resource() {
        let value = lower("v: !GetAtt Bucket.Arn\n", Position::Other).unwrap();
        let ValueKind::Unknown(unknown) = value.kind else {
            panic!()
        };
        let reference = unknown.reference.unwrap();
        assert_eq!(
            (reference.address.as_str(), reference.attribute.as_str()),
            ("Bucket", "Arn")
        );
        let value = lower("v: !Ref Param\n", Position::Other).unwrap();
        assert!(matches!(
            value.kind,
            ValueKind::Unknown(Unknown {
                reference: None,
                ..
            })
        ));
        assert!(lower("v: !Ref AWS::NoValue\n", Position::Other).is_none());
    }

    #[test]
    fn if_is_the_union_of_its_branches() {
        let list = lower("v: !If [C, [a, b], c]\n", Position::List).unwrap();
        assert_eq!(list.as_array().map(<[Value]>::len), Some(3));
        let scalar = lower("v: !If [C, Allow, Deny]\n", Position::Other).unwrap();
        assert!(matches!(scalar.kind, ValueKind::Unknown(_)));
        let same = lower("v: !If [C, x, x]\n", Position::Other).unwrap();
        assert_eq!(same.as_str(), Some("x"));
        let objects = lower(
            "v: !If [C, {StringEquals: {k: a}}, {StringEquals: {k: b}, Bool: {m: true}}]\n",
            Position::Condition,
        )
        .unwrap();
        let block = objects.get("StringEquals").unwrap();
        assert_eq!(
            block.get("k").unwrap().as_array().map(<[Value]>::len),
            Some(2)
        );
        assert!(objects.get("Bool").is_some());
        let removed = lower("v: !If [C, !Ref AWS::NoValue, x]\n", Position::Other).unwrap();
        assert_eq!(removed.as_str(), Some("x"));
    }
}
