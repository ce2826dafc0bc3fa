//! `resource-policy-wildcard-action`: a resource policy that grants every action of a service.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::principals::{PrincipalType, principals, unpinned_confidence};

declare_rule! {
    /// ## What it does
    /// Reports an action entry such as `s3:*`, `kms:*`, `sqs:*` or `*` in an `Allow`
    /// statement of a resource policy, when it is granted to principals other than an
    /// account root (which only delegates to that account's IAM policies, as the default
    /// key policy does) or an AWS service, and no condition pins the caller.
    ///
    /// ## Why is this bad?
    /// A resource policy is the one place where another account or role gets rights on your
    /// resource without any IAM policy of yours being involved. `s3:*` on a bucket lets the
    /// grantee rewrite the bucket policy, delete the bucket and disable its logging.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:role/etl"}, "Action": "s3:*",
    ///    "Resource": ["arn:aws:s3:::exports", "arn:aws:s3:::exports/*"]}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:role/etl"}, "Action": ["s3:GetObject", "s3:ListBucket"],
    ///    "Resource": ["arn:aws:s3:::exports", "arn:aws:s3:::exports/*"]}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Identity-based policies and resource-based policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html)
    /// - [Default key policy](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)
    pub struct ResourcePolicyWildcardAction {
        category: Security,
        severity: Warning,
        confidence: High,
        group: LeastPrivilege,
        summary: "The resource policy grants every action of a service to other principals",
    }
}

impl Rule for ResourcePolicyWildcardAction {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in cx.resource_allows() {
            let Some(confidence) = unpinned_confidence(cx.policy, statement) else {
                continue;
            };
            let Some(grantee) = principals(statement)
                .into_iter()
                .find(|p| p.kind != PrincipalType::Service && !p.is_account_root())
            else {
                continue;
            };
            for action in statement.actions() {
                let Some(text) = action.as_str() else {
                    continue;
                };
                let service_wide = text == "*"
                    || text
                        .split_once(':')
                        .is_some_and(|(_, a)| !a.is_empty() && a.chars().all(|c| c == '*'));
                if !service_wide {
                    continue;
                }
                out.push(
                    Self::META
                        .finding(
                            action.span,
                            format!("`{text}` grants every action to another principal"),
                        )
                        .with_related(grantee.value.span, "granted to")
                        .with_help(
                            "grant the actions the other principal needs, e.g. `s3:GetObject`",
                        )
                        .with_confidence(confidence),
                );
            }
        }
    }
}
