//! The template as one tree for YAML and JSON sources.
//!
//! Short-form tags (`!Sub`) and long forms (`{"Fn::Sub": ...}`) become the same
//! intrinsic-function node.

use crate::base::source::Span;
use crate::base::value::{Value, ValueKind};
use crate::extract::json;
use crate::extract::yaml::{self, Style};

#[derive(Clone, Debug)]
pub(super) struct Node {
    /// The whole node as written, tag included.
    pub span: Span,
    pub kind: NodeKind,
    /// How a string's bytes map back to the file.
    pub source: Source,
}

#[derive(Clone, Debug)]
pub(super) enum NodeKind {
    Null,
    Bool(bool),
    /// As written.
    Number(String),
    String(String),
    Seq(Vec<Node>),
    /// Entries in source order; duplicate keys are kept (and reported by the extractor).
    Map(Vec<Entry>),
    /// An intrinsic function: `Ref`, `Condition`, `Fn::Sub`, ... or an unknown short-form tag,
    /// named as written (`!Rain::Embed`).
    Call(Box<Call>),
}

#[derive(Clone, Debug)]
pub(super) struct Call {
    pub name: String,
    pub arg: Node,
}

#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Source {
    Yaml {
        style: Style,
        has_properties: bool,
    },
    Json,
    /// Made by iamlint (a SAM policy template, a `Fn::ForEach` copy): its bytes have no
    /// position of their own, so they all point at the node's span.
    Synthetic,
}

/// The intrinsic functions CloudFormation defines, by their short-form tag names.
const FUNCTIONS: &[&str] = &[
    "Base64",
    "Cidr",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "ImportValue",
    "Join",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "If",
    "Equals",
    "And",
    "Or",
    "Not",
    "Length",
    "ToJsonString",
];

impl Node {
    pub(super) fn synthetic(span: Span, kind: NodeKind) -> Self {
        Node {
            span,
            kind,
            source: Source::Synthetic,
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(text) => Some(text),
            _ => None,
        }
    }

    /// Text of a scalar of any type (`Version: 2012-10-17`, `Port: 443`).
    pub(super) fn scalar_text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(text) | NodeKind::Number(text) => Some(text),
            NodeKind::Bool(true) => Some("true"),
            NodeKind::Bool(false) => Some("false"),
            _ => None,
        }
    }

    pub(super) fn entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub(super) fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The first entry with this key.
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| &entry.value)
    }

    pub(super) fn call(&self) -> Option<&Call> {
        match &self.kind {
            NodeKind::Call(call) => Some(call),
            _ => None,
        }
    }

    /// The argument of `Ref` when this is `!Ref name`.
    pub(super) fn ref_target(&self) -> Option<&str> {
        self.call()
            .filter(|call| call.name == "Ref")
            .and_then(|call| call.arg.as_str())
    }

    pub(super) fn is_no_value(&self) -> bool {
        self.ref_target() == Some("AWS::NoValue")
    }

    /// For every byte of a string node, the file offset it was written at, plus the end.
    pub(super) fn string_offsets(&self, text: &str) -> Vec<u32> {
        let NodeKind::String(value) = &self.kind else {
            return vec![self.span.start];
        };
        let exact = match self.source {
            Source::Yaml {
                style,
                has_properties,
            } => yaml::scalar_offsets(text, self.span, value, style, has_properties),
            Source::Json => text
                .get(self.span.range())
                .and_then(|literal| json::decode_string_literal(literal, self.span.start as usize))
                .map(|(_, table)| table)
                .filter(|table| table.len() == value.len() + 1),
            Source::Synthetic => None,
        };
        exact.unwrap_or_else(|| {
            let mut table = vec![self.span.start; value.len()];
            table.push(self.span.end);
            table
        })
    }
}

fn function_name(tag: &str) -> Option<String> {
    let name = tag.strip_prefix('!')?;
    if name.is_empty() {
        return None;
    }
    Some(match name {
        "Ref" | "Condition" => name.to_string(),
        _ if FUNCTIONS.contains(&name) => format!("Fn::{name}"),
        // Unknown tags (`!Rain::Embed`, preprocessor tags) stay as written.
        _ => tag.to_string(),
    })
}

/// `{"Ref": x}` and `{"Fn::Sub": x}` are intrinsic functions; `Fn::ForEach::Name` is a
/// mapping-level loop, expanded separately, and `Condition` is a statement element in
/// policies, so neither is read as a call here.
fn long_form(entries: &[Entry]) -> bool {
    match entries {
        [entry] => {
            entry.key == "Ref"
                || (entry.key.starts_with("Fn::") && !entry.key.starts_with("Fn::ForEach::"))
        }
        _ => false,
    }
}

fn into_call_if_long_form(span: Span, source: Source, mut entries: Vec<Entry>) -> Node {
    if long_form(&entries)
        && let Some(entry) = entries.pop()
    {
        return Node {
            span,
            kind: NodeKind::Call(Box::new(Call {
                name: entry.key,
                arg: entry.value,
            })),
            source,
        };
    }
    Node {
        span,
        kind: NodeKind::Map(entries),
        source,
    }
}

/// A YAML node as CloudFormation reads it: plain scalars resolved by the YAML 1.2 core schema
/// except that timestamps stay strings (CloudFormation has no timestamp type), so
/// `Version: 2012-10-17` is the string IAM expects.
pub(super) fn from_yaml(node: yaml::Node) -> Node {
    let source = match &node.kind {
        yaml::Kind::Scalar { style, .. } => Source::Yaml {
            style: *style,
            has_properties: node.has_properties,
        },
        _ => Source::Yaml {
            style: Style::Plain,
            has_properties: node.has_properties,
        },
    };
    let span = node.span;
    let tag = node.tag;
    let function = tag.as_deref().and_then(function_name);
    let kind = match node.kind {
        yaml::Kind::Scalar { value, style } => {
            let force_string =
                function.is_some() || matches!(tag.as_deref(), Some("tag:yaml.org,2002:str" | "!"));
            if style == Style::Plain && !force_string {
                resolve_plain(value)
            } else {
                NodeKind::String(value)
            }
        }
        yaml::Kind::Sequence(items) => NodeKind::Seq(items.into_iter().map(from_yaml).collect()),
        yaml::Kind::Mapping(entries) => {
            let entries: Vec<Entry> = entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key_span: key.span,
                    key: yaml_key(key),
                    value: from_yaml(value),
                })
                .collect();
            if function.is_none() {
                return into_call_if_long_form(span, source, entries);
            }
            NodeKind::Map(entries)
        }
    };
    let arg = Node { span, kind, source };
    match function {
        Some(name) => Node {
            span,
            kind: NodeKind::Call(Box::new(Call { name, arg })),
            source,
        },
        None => arg,
    }
}

/// Keys are scalars in every template; a complex key keeps a readable placeholder.
fn yaml_key(key: yaml::Node) -> String {
    match key.kind {
        yaml::Kind::Scalar { value, .. } => value,
        yaml::Kind::Sequence(_) => "[...]".into(),
        yaml::Kind::Mapping(_) => "{...}".into(),
    }
}

fn resolve_plain(value: String) -> NodeKind {
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        _ if is_number(&value) => NodeKind::Number(value),
        _ => NodeKind::String(value),
    }
}

/// YAML 1.2 core schema numbers: `12`, `-3`, `0o17`, `0x1F`, `1.5e3`, `.inf`, `.nan`.
fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned.is_empty() {
        return false;
    }
    if let Some(digits) = text.strip_prefix("0x") {
        return !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(digits) = text.strip_prefix("0o") {
        return !digits.is_empty() && digits.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if matches!(
        unsigned,
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    ) {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole)
        && fraction.is_none_or(digits)
        && (!whole.is_empty() || fraction.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// A JSON template value (already strict-parsed with spans) as a template node.
pub(super) fn from_json(value: Value) -> Node {
    let span = value.span;
    let kind = match value.kind {
        ValueKind::Null => NodeKind::Null,
        ValueKind::Bool(b) => NodeKind::Bool(b),
        ValueKind::Number(n) => NodeKind::Number(n),
        ValueKind::String(s) => NodeKind::String(s),
        ValueKind::Array(items) => NodeKind::Seq(items.into_iter().map(from_json).collect()),
        ValueKind::Object(members) => {
            let entries = members
                .into_iter()
                .map(|member| Entry {
                    key: member.key,
                    key_span: member.key_span,
                    value: from_json(member.value),
                })
                .collect();
            return into_call_if_long_form(span, Source::Json, entries);
        }
        // A strict parse of a file has no holes.
        ValueKind::Template(_) | ValueKind::Unknown(_) => NodeKind::Null,
    };
    Node {
        span,
        kind,
        source: Source::Json,
    }
}

/// A `serde_json` value (SAM's policy template definitions) as a node whose every part
/// points at `span`, the place in the user's file that asked for it.
pub(super) fn from_serde(value: &serde_json::Value, span: Span) -> Node {
    use serde_json::Value as Json;
    let kind = match value {
        Json::Null => NodeKind::Null,
        Json::Bool(b) => NodeKind::Bool(*b),
        Json::Number(n) => NodeKind::Number(n.to_string()),
        Json::String(s) => NodeKind::String(s.clone()),
        Json::Array(items) => NodeKind::Seq(items.iter().map(|v| from_serde(v, span)).collect()),
        Json::Object(members) => {
            let entries = members
                .iter()
                .map(|(key, value)| Entry {
                    key: key.clone(),
                    key_span: span,
                    value: from_serde(value, span),
                })
                .collect();
            return into_call_if_long_form(span, Source::Synthetic, entries);
        }
    };
    Node::synthetic(span, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_like_cloudformation() {
        assert!(matches!(
            resolve_plain("2012-10-17".into()),
            NodeKind::String(_)
        ));
        assert!(matches!(resolve_plain("3600".into()), NodeKind::Number(_)));
        assert!(matches!(resolve_plain("1.5e3".into()), NodeKind::Number(_)));
        assert!(matches!(resolve_plain("0x1F".into()), NodeKind::Number(_)));
        assert!(matches!(
            resolve_plain("false".into()),
            NodeKind::Bool(false)
        ));
        assert!(matches!(resolve_plain("~".into()), NodeKind::Null));
        assert!(matches!(resolve_plain("yes".into()), NodeKind::String(_)));
        assert!(matches!(resolve_plain("1.2.3".into()), NodeKind::String(_)));
        assert!(matches!(resolve_plain("-".into()), NodeKind::String(_)));
        assert!(matches!(resolve_plain(".".into()), NodeKind::String(_)));
    }
}
