//! AWS managed policies attached by ARN (`arn:aws:iam::aws:policy/AdministratorAccess`): every
//! one AWS publishes is embedded (`crate::catalog::ManagedPolicy`), so the per-principal pass
//! counts them with the policies the code defines. An ARN naming no AWS managed policy stays a
//! note on the principal's documents (`iamlint documents` shows it).

use crate::base::source::{FileId, Span};
use crate::base::value::{Member, Value, ValueKind};
use crate::catalog::ManagedPolicy;
use crate::extract::document::{
    Attachment, ManagedAttachment, Origin, PolicyDocument, PolicyKind, PrincipalKind,
};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The policy's name for an ARN written as text, deploy-time holes as `${}`
/// (`arn:${}:iam::aws:policy/PowerUserAccess`); `None` for customer policies, names or paths
/// with holes, and names that are no AWS managed policy. The path must be the policy's own
/// (`service-role/AWSLambdaBasicExecutionRole`): AWS refuses to attach the name under another.
pub fn resolve(arn: &str) -> Option<&'static str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov" | "${}") {
        return None;
    }
    let written = rest.strip_prefix("iam::aws:policy")?;
    if written.contains("${") {
        return None;
    }
    let (path, name) = written.rsplit_once('/')?;
    let policy = ManagedPolicy::get(name)?;
    (policy.path() == format!("{path}/")).then(|| policy.name())
}

/// The attachment of the ARN `arn` (as written, at `span`) to a principal, when it names an
/// AWS managed policy.
pub fn attachment(
    principal_kind: PrincipalKind,
    principal: &str,
    arn: &Value,
) -> Option<ManagedAttachment> {
    let name = resolve(&arn.template_text()?)?;
    Some(ManagedAttachment {
        principal_kind,
        principal: principal.to_string(),
        name: name.to_string(),
        span: arn.span,
    })
}

/// The attachment of a policy written by name or ARN (a SAM function's `Policies:
/// [AmazonS3FullAccess]`), at `span`.
pub fn attachment_named(
    principal_kind: PrincipalKind,
    principal: &str,
    written: &str,
    span: Span,
) -> Option<ManagedAttachment> {
    let name = if written.starts_with("arn:") {
        resolve(written)?
    } else {
        ManagedPolicy::get(written)?.name()
    };
    Some(ManagedAttachment {
        principal_kind,
        principal: principal.to_string(),
        name: name.to_string(),
        span,
    })
}

/// The policy `attachment.name` names, as an identity document attached to its principal
/// whose every value sits on the ARN as written, so findings point there. The embedded
/// document is parsed once per process ([`tree`]), however many principals attach it.
pub fn document(attachment: &ManagedAttachment) -> Option<PolicyDocument> {
    let policy = ManagedPolicy::get(&attachment.name)?;
    let mut value = tree(policy)?.clone();
    respan(&mut value, attachment.span);
    Some(PolicyDocument {
        origin: Origin {
            file: attachment.span.file,
            address: Some(policy.arn()),
            attribute: None,
            notes: vec![format!(
                "AWS managed policy, version {} of {}",
                policy.version(),
                policy.updated_day()
            )],
            caller: None,
        },
        kind: PolicyKind::Identity,
        value,
        attachments: vec![Attachment {
            principal_kind: attachment.principal_kind,
            principal: attachment.principal.clone(),
            span: Some(attachment.span),
        }],
        managed: Vec::new(),
        conditional: Vec::new(),
    })
}

/// The name of the AWS managed policy of a document made by [`document`], `None` for every
/// other document.
pub fn name_of(document: &PolicyDocument) -> Option<&str> {
    if document.origin.attribute.is_some() {
        return None;
    }
    let address = document.origin.address.as_deref()?;
    let name = resolve(address)?;
    Some(&address[address.len() - name.len()..])
}

/// The attachments indexed by principal name, for [`of`].
pub fn by_principal(managed: &[ManagedAttachment]) -> HashMap<&str, Vec<&ManagedAttachment>> {
    let mut map: HashMap<&str, Vec<&ManagedAttachment>> = HashMap::new();
    for attachment in managed {
        map.entry(attachment.principal.as_str())
            .or_default()
            .push(attachment);
    }
    map
}

/// The attachments of the `principals` a document is attached to.
pub fn of(
    by_principal: &HashMap<&str, Vec<&ManagedAttachment>>,
    principals: &[String],
) -> Vec<ManagedAttachment> {
    let mut out: Vec<ManagedAttachment> = Vec::new();
    for attachment in principals
        .iter()
        .filter_map(|p| by_principal.get(p.as_str()))
        .flatten()
    {
        if !out.contains(attachment) {
            out.push((*attachment).clone());
        }
    }
    out
}

/// The document of `policy` as a value tree (every span empty; [`document`] gives each copy
/// its attachment's), parsed once per process straight from the embedded text: through
/// `serde_json::Value`, a 91 KB policy (`ReadOnlyAccess`) cost twice as much.
fn tree(policy: ManagedPolicy) -> Option<&'static Value> {
    static TREES: OnceLock<Vec<OnceLock<Option<Value>>>> = OnceLock::new();
    let trees = TREES.get_or_init(|| ManagedPolicy::all().map(|_| OnceLock::new()).collect());
    trees
        .get(policy.index())?
        .get_or_init(|| {
            let text = policy.document_text();
            let mut parser = serde_json::Deserializer::from_str(&text);
            Tree.deserialize(&mut parser).ok()
        })
        .as_ref()
}

/// Sets every span of `value` to `span`.
fn respan(value: &mut Value, span: Span) {
    value.span = span;
    match &mut value.kind {
        ValueKind::Array(items) => items.iter_mut().for_each(|item| respan(item, span)),
        ValueKind::Object(members) => {
            for member in members {
                member.key_span = span;
                respan(&mut member.value, span);
            }
        }
        _ => {}
    }
}

/// Reads JSON into a [`Value`] as `serde_json::Value` (with `preserve_order`) would hold
/// it: members in the order written, a repeated key replacing the value in its first place,
/// numbers as `serde_json` prints them.
struct Tree;

impl<'de> DeserializeSeed<'de> for Tree {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(leaf(ValueKind::Null))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(leaf(ValueKind::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(leaf(ValueKind::Number(
            serde_json::Number::from(value).to_string(),
        )))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(leaf(ValueKind::Number(
            serde_json::Number::from(value).to_string(),
        )))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(leaf(match serde_json::Number::from_f64(value) {
            Some(number) => ValueKind::Number(number.to_string()),
            None => ValueKind::Null,
        }))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(leaf(ValueKind::String(value.to_string())))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(leaf(ValueKind::String(value)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Tree)? {
            items.push(item);
        }
        Ok(leaf(ValueKind::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members: Vec<Member> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Tree)?;
            match members.iter_mut().find(|member| member.key == key) {
                Some(member) => member.value = value,
                None => members.push(Member {
                    key,
                    key_span: NO_SPAN,
                    value,
                }),
            }
        }
        Ok(leaf(ValueKind::Object(members)))
    }
}

/// Where [`tree`]'s values sit until [`document`] places a copy.
const NO_SPAN: Span = Span {
    file: FileId(0),
    start: 0,
    end: 0,
};

fn leaf(kind: ValueKind) -> Value {
    Value::new(NO_SPAN, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree read straight from the text is what converting `serde_json::Value` gave.
    #[test]
    fn every_tree_is_the_parsed_document() {
        fn converted(json: &serde_json::Value) -> Value {
            let kind = match json {
                serde_json::Value::Null => ValueKind::Null,
                serde_json::Value::Bool(b) => ValueKind::Bool(*b),
                serde_json::Value::Number(n) => ValueKind::Number(n.to_string()),
                serde_json::Value::String(s) => ValueKind::String(s.clone()),
                serde_json::Value::Array(items) => {
                    ValueKind::Array(items.iter().map(converted).collect())
                }
                serde_json::Value::Object(members) => ValueKind::Object(
                    members
                        .iter()
                        .map(|(key, value)| Member {
                            key: key.clone(),
                            key_span: NO_SPAN,
                            value: converted(value),
                        })
                        .collect(),
                ),
            };
            leaf(kind)
        }
        for policy in ManagedPolicy::all() {
            let expected = converted(policy.document().expect("parses"));
            assert_eq!(tree(policy), Some(&expected), "{}", policy.name());
        }
    }

    #[test]
    fn written_arns_resolve_to_the_embedded_policies() {
        assert_eq!(
            resolve("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some("AdministratorAccess")
        );
        assert_eq!(
            resolve("arn:${}:iam::aws:policy/PowerUserAccess"),
            Some("PowerUserAccess")
        );
        assert_eq!(
            resolve("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            Some("ReadOnlyAccess")
        );
        assert_eq!(
            resolve("arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
            Some("AWSLambdaBasicExecutionRole")
        );
        // Under a path that is not its own, AWS has no such policy.
        assert_eq!(
            resolve("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"),
            None
        );
        assert_eq!(
            resolve("arn:aws:iam::123456789012:policy/AdministratorAccess"),
            None
        );
        assert_eq!(resolve("arn:aws:iam::aws:policy/${}"), None);
        assert_eq!(resolve("arn:aws:iam::aws:policy/${}/ReadOnlyAccess"), None);
        assert_eq!(resolve("arn:aws:iam::aws:policy/NoSuchPolicy"), None);
    }
}
