//! AWS managed policies attached by ARN (`arn:aws:iam::aws:policy/AdministratorAccess`): every
//! one AWS publishes is embedded (`crate::catalog::ManagedPolicy`), so the per-principal pass
//! counts them with the policies the code defines. An ARN naming no AWS managed policy stays a
//! note on the principal's documents (`iamlint documents` shows it).

use crate::base::source::Span;
use crate::base::value::{Member, Value, ValueKind};
use crate::catalog::ManagedPolicy;
use crate::extract::document::{
    Attachment, ManagedAttachment, Origin, PolicyDocument, PolicyKind, PrincipalKind,
};
use std::collections::HashMap;

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
/// document is parsed once per process, however many principals attach it.
pub fn document(attachment: &ManagedAttachment) -> Option<PolicyDocument> {
    let policy = ManagedPolicy::get(&attachment.name)?;
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
        value: spanned(policy.document()?, attachment.span),
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
