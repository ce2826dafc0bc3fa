//! The format-neutral spanned value tree that every extractor lowers policies to.

use crate::base::source::Span;

/// One node of a policy as written, with the exact bytes it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub span: Span,
    pub kind: ValueKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Null,
    Bool(bool),
    /// The number as written, so `1.0` and `1` stay distinguishable for rules.
    Number(String),
    String(String),
    /// A string with parts only known at deploy time (`"arn:${var.partition}:s3:::x"`).
    Template(Vec<TemplatePart>),
    Array(Vec<Value>),
    /// Members in source order; duplicate keys are kept so rules can report them.
    Object(Vec<Member>),
    /// A whole value only known at deploy time (`var.x`, `!Ref Param`, `!GetAtt Role.Arn`).
    Unknown(Unknown),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    Hole(Unknown),
}

/// What is known about a value that is not known: how it was written, and, when the
/// extractor can tell, which resource of the same code base it refers to.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Unknown {
    /// The expression as written, e.g. `var.bucket`, `!GetAtt BuildRole.Arn`.
    pub expression: String,
    /// Boxed: every node of a value tree is as large as its largest kind, and most trees
    /// hold no reference at all (a 16 MB policy's tree was twice as large unboxed).
    pub reference: Option<Box<Reference>>,
}

/// A resource of the same code base that an unknown value points at.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// Terraform address (`aws_iam_role.ci`) or CloudFormation logical id (`BuildRole`).
    pub address: String,
    /// Terraform resource type or CloudFormation type (`aws_iam_role`, `AWS::IAM::Role`).
    pub resource_type: String,
    /// The attribute taken, e.g. `arn`, `Arn`, or empty for `!Ref`.
    pub attribute: String,
}

impl Value {
    pub fn new(span: Span, kind: ValueKind) -> Self {
        Value { span, kind }
    }

    /// The first byte of a node, where a finding about something missing from it points.
    pub fn opening_span(&self) -> Span {
        Span {
            end: (self.span.start + 1).min(self.span.end),
            ..self.span
        }
    }

    /// The string when it is fully known.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(text) => Some(text),
            _ => None,
        }
    }

    /// A string, or a template with each hole written `${}`: the text to match a pattern
    /// against when only the literal parts are known.
    pub fn template_text(&self) -> Option<String> {
        match &self.kind {
            ValueKind::String(text) => Some(text.clone()),
            ValueKind::Template(parts) => Some(
                parts
                    .iter()
                    .map(|part| match part {
                        TemplatePart::Literal(text) => text.as_str(),
                        TemplatePart::Hole(_) => "${}",
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            ValueKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// A string-like value: a literal string, or a template with holes.
    pub fn is_stringish(&self) -> bool {
        matches!(self.kind, ValueKind::String(_) | ValueKind::Template(_))
    }

    /// The first member with this key (keys are case-sensitive in IAM).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|member| member.key == key)
            .map(|member| &member.value)
    }

    /// Items of a value that IAM accepts either as a single element or as an array.
    pub fn one_or_many(&self) -> &[Value] {
        match &self.kind {
            ValueKind::Array(items) => items,
            _ => std::slice::from_ref(self),
        }
    }

    /// The string parts of a string-like value; holes are `None`.
    pub fn template_parts(&self) -> Vec<Option<&str>> {
        match &self.kind {
            ValueKind::String(text) => vec![Some(text.as_str())],
            ValueKind::Template(parts) => parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Literal(text) => Some(text.as_str()),
                    TemplatePart::Hole(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The name of this value's JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            ValueKind::Null => "null",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Number(_) => "a number",
            ValueKind::String(_) | ValueKind::Template(_) => "a string",
            ValueKind::Array(_) => "an array",
            ValueKind::Object(_) => "an object",
            ValueKind::Unknown(_) => "an unknown value",
        }
    }

    /// This value as JSON, with holes written as `${...}` placeholders, for `iamlint documents`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.kind {
            ValueKind::Null => Json::Null,
            ValueKind::Bool(b) => Json::Bool(*b),
            ValueKind::Number(n) => n
                .parse::<serde_json::Number>()
                .map_or_else(|_| Json::String(n.clone()), Json::Number),
            ValueKind::String(s) => Json::String(s.clone()),
            ValueKind::Template(parts) => Json::String(
                parts
                    .iter()
                    .map(|part| match part {
                        TemplatePart::Literal(text) => text.clone(),
                        TemplatePart::Hole(unknown) => format!("${{{}}}", unknown.expression),
                    })
                    .collect(),
            ),
            ValueKind::Array(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            ValueKind::Object(members) => Json::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_json()))
                    .collect(),
            ),
            ValueKind::Unknown(unknown) => Json::String(format!("${{{}}}", unknown.expression)),
        }
    }
}
