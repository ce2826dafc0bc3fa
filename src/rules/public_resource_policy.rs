//! `public-resource-policy`: a resource policy that allows anyone, with nothing to pin them.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::principals::unpinned_confidence;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of a resource policy (bucket, queue, topic, key, secret,
    /// function, repository...) whose principal is `"*"` or `{"AWS": "*"}` without a
    /// condition that pins the caller: source account, organisation, VPC or endpoint, IP
    /// range, source ARN, principal ARN. A condition iamlint cannot judge lowers the
    /// confidence.
    ///
    /// ## Why is this bad?
    /// The resource is open to every AWS account and, for services that accept anonymous
    /// requests such as S3, to the whole internet. Public buckets and queues are a leading
    /// cause of data leaks.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Blocking public access to your Amazon S3 storage](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
    /// - [IAM Access Analyzer: resource types and public access](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html)
    pub struct PublicResourcePolicy {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "The resource policy allows anyone without a condition that pins the caller",
    }
}

impl Rule for PublicResourcePolicy {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (statement, principal) in cx.resource_principals().filter(|(_, p)| p.is_anyone()) {
            let Some(confidence) = unpinned_confidence(cx.policy, statement) else {
                continue;
            };
            let mut finding = Self::META
                .finding(principal.value.span, "anyone can use this statement")
                .with_help("name the principals, or pin them with `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceArn`")
                .with_confidence(confidence);
            if let Some(action) = statement.actions().first() {
                finding = finding.with_related(action.span, "allowed to anyone");
            }
            out.push(finding);
        }
    }
}
