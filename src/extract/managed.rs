//! AWS managed policies attached by ARN (`arn:aws:iam::aws:policy/AdministratorAccess`): the
//! well-known broad ones come from a built-in table (`rules/data/aws_managed_policies.json`), so
//! the per-principal pass counts them with the policies the code defines. Any other ARN stays
//! a note on the principal's documents (`iamlint documents` shows it).

use crate::base::source::Span;
use crate::base::value::{Member, Value, ValueKind};
use crate::extract::document::{
    Attachment, ManagedAttachment, Origin, PolicyDocument, PolicyKind, PrincipalKind,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

const DATA: &str = include_str!("../../rules/data/aws_managed_policies.json");

#[derive(Deserialize)]
struct Data {
    policies: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[allow(dead_code)]
    reference: String,
    document: serde_json::Value,
}

fn table() -> &'static BTreeMap<String, Entry> {
    static TABLE: OnceLock<BTreeMap<String, Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str::<Data>(DATA)
            .map(|data| data.policies)
            .unwrap_or_default()
    })
}

/// The table's name for an ARN written as text, deploy-time holes as `${}`
/// (`arn:${}:iam::aws:policy/PowerUserAccess`); `None` for customer policies, names with
/// holes, and AWS managed policies the table does not hold.
pub fn resolve(arn: &str) -> Option<&'static str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov" | "${}") {
        return None;
    }
    let path = rest.strip_prefix("iam::aws:policy/")?;
    let name = path.rsplit('/').next()?;
    if name.contains("${") {
        return None;
    }
    table().get_key_value(name).map(|(key, _)| key.as_str())
}

/// The attachment of the ARN `arn` (as written, at `span`) to a principal, when the table
/// resolves it.
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

/// The policy `attachment.name` resolves to, as an identity document attached to its
/// principal whose every value sits on the ARN as written, so findings point there.
pub fn document(attachment: &ManagedAttachment) -> Option<PolicyDocument> {
    let entry = table().get(&attachment.name)?;
    Some(PolicyDocument {
        origin: Origin {
            file: attachment.span.file,
            address: Some(format!("arn:aws:iam::aws:policy/{}", attachment.name)),
            attribute: None,
            notes: vec!["AWS managed policy, as iamlint's built-in table records it".into()],
            caller: None,
        },
        kind: PolicyKind::Identity,
        value: spanned(&entry.document, attachment.span),
        attachments: vec![Attachment {
            principal_kind: attachment.principal_kind,
            principal: attachment.principal.clone(),
            span: Some(attachment.span),
        }],
        managed: Vec::new(),
        conditional: Vec::new(),
    })
}

/// The table name of a document made by [`document`], `None` for every other document.
pub fn name_of(document: &PolicyDocument) -> Option<&str> {
    if document.origin.attribute.is_some() {
        return None;
    }
    let name = document
        .origin
        .address
        .as_deref()?
        .strip_prefix("arn:aws:iam::aws:policy/")?;
    table().contains_key(name).then_some(name)
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

fn spanned(json: &serde_json::Value, span: Span) -> Value {
    let kind = match json {
        serde_json::Value::Null => ValueKind::Null,
        serde_json::Value::Bool(b) => ValueKind::Bool(*b),
        serde_json::Value::Number(n) => ValueKind::Number(n.to_string()),
        serde_json::Value::String(s) => ValueKind::String(s.clone()),
        serde_json::Value::Array(items) => {
            ValueKind::Array(items.iter().map(|v| spanned(v, span)).collect())
        }
        serde_json::Value::Object(members) => ValueKind::Object(
            members
                .iter()
                .map(|(key, value)| Member {
                    key: key.clone(),
                    key_span: span,
                    value: spanned(value, span),
                })
                .collect(),
        ),
    };
    Value::new(span, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_resolves_written_arns() {
        assert!(
            table().len() >= 5,
            "rules/data/aws_managed_policies.json is invalid"
        );
        assert_eq!(
            resolve("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some("AdministratorAccess")
        );
        assert_eq!(
            resolve("arn:${}:iam::aws:policy/PowerUserAccess"),
            Some("PowerUserAccess")
        );
        assert_eq!(resolve("arn:aws:iam::aws:policy/ReadOnlyAccess"), None);
        assert_eq!(
            resolve("arn:aws:iam::123456789012:policy/AdministratorAccess"),
            None
        );
        assert_eq!(resolve("arn:aws:iam::aws:policy/${}"), None);
        for entry in table().values() {
            assert!(entry.document.get("Statement").is_some());
        }
    }
}
