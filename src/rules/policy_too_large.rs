//! `policy-too-large`: a policy larger than AWS accepts for its kind, counted as AWS counts.

use super::graph::SharedGraph;
use super::principal::{Principals, kind_name};
use super::{Context, Rule, declare_rule};
use crate::base::finding::{Finding, Findings, Severity};
use crate::base::value::{TemplatePart, Value, ValueKind};
use crate::extract::document::{PolicyDocument, PolicyKind, PrincipalKind};
use std::sync::Arc;

declare_rule! {
    /// ## What it does
    /// Reports a policy document larger than the quota AWS sets for its kind, with its size
    /// counted as AWS counts it: the JSON text without whitespace outside strings.
    ///
    /// | kind | quota (characters) |
    /// |---|---|
    /// | managed policy (`aws_iam_policy`, a permissions boundary) | 6,144 |
    /// | inline policies of a user, all together | 2,048 |
    /// | inline policies of a group, all together | 5,120 |
    /// | inline policies of a role, all together | 10,240 |
    /// | role trust policy | 2,048 by default, 4,096 once raised in Service Quotas (a warning between the two) |
    /// | service control policy | 10,240 (5,120 before 2026) |
    /// | resource control policy | 5,120 |
    /// | SQS queue policy | 8,192 |
    /// | S3 bucket policy | 20,480 (20 KB) |
    /// | KMS key policy | 32,768 (32 KB) |
    ///
    /// An identity policy whose carrier does not say whether it is managed or inline (a
    /// CloudFormation `AWS::IAM::Policy` or `ManagedPolicy`, a Terraform
    /// `aws_iam_policy_document`) is held to the largest quota it could fall under: 10,240
    /// when it may be a role's inline policy, else 6,144. Inline policies are added up per
    /// principal only when their carrier says they are inline (`aws_iam_role_policy`, a
    /// role's `inline_policy`, CloudFormation `Policies`).
    ///
    /// Parts only known at deploy time (a variable, a `!Ref`) are not counted, and an
    /// element that may vanish (`!If` with `AWS::NoValue`) is left out with its key: the size
    /// reported is then "at least", and the policy is too large whatever the unknowns turn
    /// out to be. A list of one entry is counted without its brackets, as
    /// `aws_iam_policy_document` writes it.
    ///
    /// ## Why is this bad?
    /// AWS rejects the policy when it is created or updated (`LimitExceeded`,
    /// `MalformedPolicyDocument`), so the deployment fails, often half-way through a stack.
    ///
    /// ## Example
    /// A role trust policy listing 40 GitHub repositories, 3,000 characters long.
    ///
    /// ## Use instead
    /// Split a managed policy into several, move repeated ARNs into wildcards or conditions
    /// (`aws:ResourceTag`, `aws:PrincipalOrgID`), or request a higher trust-policy quota.
    ///
    /// ## References
    /// - [IAM and AWS STS quotas](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)
    /// - [Quotas for AWS Organizations](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html)
    /// - [Bucket policy size](https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html)
    /// - [Amazon SQS policy quotas](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html)
    /// - [AWS KMS key policy quotas](https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html)
    pub struct PolicyTooLarge {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A policy is larger than AWS accepts for its kind",
    }
}

/// A role trust policy's quota by default.
const TRUST_DEFAULT: usize = 2_048;
/// The most a role trust policy's quota can be raised to in Service Quotas.
const TRUST_RAISED: usize = 4_096;
/// A managed policy's quota.
const MANAGED: usize = 6_144;

/// Resource types whose policies have a quota of their own: Terraform and CloudFormation types,
/// the quota, and how a message names the policy.
#[rustfmt::skip]
const RESOURCE_QUOTAS: &[(&[&str], usize, &str)] = &[
    (&["aws_s3_bucket_policy", "aws_s3_bucket", "AWS::S3::BucketPolicy"], 20_480, "an S3 bucket policy"),
    (&["aws_kms_key", "aws_kms_key_policy", "aws_kms_replica_key", "AWS::KMS::Key", "AWS::KMS::ReplicaKey"], 32_768, "a KMS key policy"),
    (&["aws_sqs_queue_policy", "aws_sqs_queue", "AWS::SQS::QueuePolicy", "AWS::SQS::QueueInlinePolicy"], 8_192, "an SQS queue policy"),
    (&["aws_organizations_policy", "AWS::Organizations::Policy"], 5_120, "a resource control policy"),
];

impl Rule for PolicyTooLarge {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let document = cx.document;
        let kind = &cx.policy.kind;
        let Some((limit, what)) = quota(document, kind) else {
            return;
        };
        let size = Size::of(&document.value);
        if size.chars <= limit {
            return;
        }
        let raisable = *kind == PolicyKind::Trust && size.chars <= TRUST_RAISED;
        let finding = if raisable {
            Self::META
                .finding(
                    document.value.opening_span(),
                    format!(
                        "this trust policy is {} characters without whitespace, more than the \
                         {} AWS accepts by default",
                        size.describe(),
                        thousands(TRUST_DEFAULT)
                    ),
                )
                .with_help(format!(
                    "AWS accepts it only in accounts whose trust policy quota was raised (up \
                     to {}) in Service Quotas; shorten it, or request the increase",
                    thousands(TRUST_RAISED)
                ))
                .with_severity(Severity::Warning)
        } else {
            let (limit, what) = if *kind == PolicyKind::Trust {
                (
                    TRUST_RAISED,
                    "a role trust policy, even with the quota raised",
                )
            } else {
                (limit, what)
            };
            Self::META
                .finding(
                    document.value.opening_span(),
                    format!(
                        "this policy is {} characters without whitespace, more than the {} AWS \
                         accepts for {what}",
                        size.describe(),
                        thousands(limit)
                    ),
                )
                .with_help(shorten_help(kind))
        };
        out.push(finding);
    }

    fn checks_principals(&self) -> bool {
        true
    }

    /// The inline policies of one principal, added up: AWS's quota is on their sum.
    fn check_principals(
        &self,
        cx: &Principals<'_>,
        _graph: &SharedGraph<'_, '_>,
        out: &mut Vec<Finding>,
    ) {
        for ((_, kind, name), indices) in &cx.groups {
            let Some(limit) = inline_quota(*kind) else {
                continue;
            };
            let inline: Vec<(&PolicyDocument, Size)> = indices
                .iter()
                .map(|&i| cx.documents[i])
                .filter(|d| d.kind == PolicyKind::Identity && carrier(d) == Carrier::Inline)
                .map(|d| (d, Size::of(&d.value)))
                .collect();
            // One policy alone is judged with its document.
            if inline.len() < 2 {
                continue;
            }
            let total = inline.iter().map(|(_, size)| size.chars).sum::<usize>();
            if total <= limit {
                continue;
            }
            let exact = inline.iter().all(|(_, size)| size.exact);
            let Some((largest, _)) = inline.iter().max_by_key(|(_, size)| size.chars) else {
                continue;
            };
            let mut finding = Self::META
                .finding(
                    largest.value.opening_span(),
                    format!(
                        "the {} inline policies of {} `{name}` add up to {} characters \
                         without whitespace, more than the {} AWS accepts for a {}",
                        inline.len(),
                        kind_name(*kind),
                        Size {
                            chars: total,
                            exact
                        }
                        .describe(),
                        thousands(limit),
                        kind_name(*kind)
                    ),
                )
                .with_help(
                    "move some of the permissions into managed policies attached to it \
                     (6,144 characters each)",
                );
            for (document, size) in &inline {
                if std::ptr::eq(*document, *largest) {
                    continue;
                }
                finding = finding.with_related(
                    document.value.opening_span(),
                    format!("{} characters", size.describe()),
                );
            }
            finding.origin = largest.origin.label().map(Arc::from);
            out.push(finding);
        }
    }
}

/// The quota of a document of `kind` and how a message names it; `None` when AWS sets none
/// iamlint knows of, or the kind is not known.
fn quota(document: &PolicyDocument, kind: &PolicyKind) -> Option<(usize, &'static str)> {
    match kind {
        PolicyKind::Trust => Some((TRUST_DEFAULT, "a role trust policy")),
        PolicyKind::ServiceControl => Some((10_240, "a service control policy")),
        PolicyKind::PermissionsBoundary => {
            Some((MANAGED, "a managed policy (a permissions boundary)"))
        }
        PolicyKind::Resource { resource_type } => RESOURCE_QUOTAS
            .iter()
            .find(|(types, _, _)| types.contains(&resource_type.as_str()))
            .map(|(_, limit, what)| (*limit, *what)),
        PolicyKind::Identity => Some(identity_quota(document)),
        PolicyKind::Unknown => None,
    }
}

/// How to bring a policy of `kind` under its quota: only identity policies can be split.
fn shorten_help(kind: &PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity | PolicyKind::PermissionsBoundary => {
            "split it into several policies, or shorten it: wildcards or conditions instead of \
             long lists of ARNs"
        }
        _ => {
            "shorten it: wildcards or conditions (`aws:PrincipalOrgID`, `aws:ResourceTag`) \
             instead of long lists of ARNs or values"
        }
    }
}

/// What the carrier of an identity policy says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Carrier {
    Managed,
    Inline,
    /// A document that may be either (`aws_iam_policy_document`, CloudFormation
    /// `AWS::IAM::Policy` and `ManagedPolicy` share `Properties.PolicyDocument`).
    Either,
}

fn carrier(document: &PolicyDocument) -> Carrier {
    let origin = &document.origin;
    let Some(address) = origin.address.as_deref() else {
        return Carrier::Either;
    };
    let attribute = origin.attribute.as_deref().unwrap_or_default();
    if attribute.starts_with("Properties.Policies[") {
        return Carrier::Inline;
    }
    // The Terraform resource type is the second segment from the end of the address
    // (`module.m.aws_iam_role_policy.x`).
    match address.rsplit('.').nth(1) {
        Some("aws_iam_policy") => Carrier::Managed,
        Some("aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy") => {
            Carrier::Inline
        }
        Some("aws_iam_role") if attribute.starts_with("inline_policy") => Carrier::Inline,
        _ => Carrier::Either,
    }
}

fn inline_quota(kind: PrincipalKind) -> Option<usize> {
    match kind {
        PrincipalKind::User => Some(2_048),
        PrincipalKind::Group => Some(5_120),
        PrincipalKind::Role => Some(10_240),
        PrincipalKind::InstanceProfile => None,
    }
}

/// The largest quota an identity policy may fall under, and how a message names it.
fn identity_quota(document: &PolicyDocument) -> (usize, &'static str) {
    let carrier = carrier(document);
    if carrier == Carrier::Managed {
        return (MANAGED, "a managed policy");
    }
    let inline = document
        .attachments
        .iter()
        .filter_map(|a| inline_quota(a.principal_kind))
        .max()
        // Attached to no principal the code shows: it may be a role's.
        .unwrap_or(10_240);
    match carrier {
        Carrier::Inline => (inline, "the inline policies of its principal"),
        _ if inline > MANAGED => (inline, "any identity policy of a role"),
        _ => (
            MANAGED,
            "a managed policy, or the inline policies of its principal",
        ),
    }
}

/// A policy's size in characters of JSON without whitespace outside strings, at least: parts
/// only known at deploy time are not counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Size {
    chars: usize,
    /// No part was left uncounted.
    exact: bool,
}

impl Size {
    fn of(value: &Value) -> Size {
        let mut size = Size {
            chars: 0,
            exact: true,
        };
        size.add(value);
        size
    }

    fn describe(self) -> String {
        if self.exact {
            thousands(self.chars)
        } else {
            format!("at least {}", thousands(self.chars))
        }
    }

    /// Adds `value`; false when it is unknown as a whole, so it may not be there at all.
    fn add(&mut self, value: &Value) -> bool {
        match &value.kind {
            ValueKind::Null => self.chars += "null".len(),
            ValueKind::Bool(b) => self.chars += if *b { "true".len() } else { "false".len() },
            ValueKind::Number(text) => self.chars += text.len(),
            ValueKind::String(text) => self.chars += quoted_len(text),
            ValueKind::Template(parts) => {
                self.chars += 2;
                for part in parts {
                    match part {
                        TemplatePart::Literal(text) => self.chars += escaped_len(text),
                        TemplatePart::Hole(_) => self.exact = false,
                    }
                }
            }
            ValueKind::Array(items) => {
                let known = items.iter().filter(|item| self.add(item)).count();
                // `[a,b]`; one entry may be written without brackets.
                if known > 1 {
                    self.chars += 2 + known - 1;
                }
            }
            ValueKind::Object(members) => {
                let mut known: usize = 0;
                for member in members {
                    if matches!(member.value.kind, ValueKind::Unknown(_)) {
                        self.exact = false;
                        continue;
                    }
                    self.chars += quoted_len(&member.key) + 1;
                    self.add(&member.value);
                    known += 1;
                }
                self.chars += 2 + known.saturating_sub(1);
            }
            ValueKind::Unknown(_) => {
                self.exact = false;
                return false;
            }
        }
        true
    }
}

/// `6144` as AWS's quota pages write it, `6,144`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn quoted_len(text: &str) -> usize {
    2 + escaped_len(text)
}

/// Characters of `text` inside a JSON string, escapes included. Counted by bytes (every
/// escaped character is ASCII; a character's continuation bytes count nothing), which is
/// what a policy of thousands of statements costs to measure.
fn escaped_len(text: &str) -> usize {
    text.bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            0x80..=0xbf => 0,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::extract::json;

    fn size_of(text: &str) -> Size {
        Size::of(&json::parse_file(FileId(0), text).unwrap().unwrap())
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(512), "512");
        assert_eq!(thousands(6_144), "6,144");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn counts_json_without_whitespace() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/\"q\""}]}"#;
        let minified: String =
            serde_json::to_string(&serde_json::from_str::<serde_json::Value>(text).unwrap())
                .unwrap();
        // The one-statement list is counted without its brackets.
        assert_eq!(
            size_of(text),
            Size {
                chars: minified.len() - 2,
                exact: true
            }
        );
    }
}
