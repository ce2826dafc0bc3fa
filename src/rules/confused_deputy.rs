//! `confused-deputy`: a resource policy that lets an AWS service in without naming the source.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::effective::SERVICE_SOURCE_KEYS;
use crate::policy::principals::PrincipalType;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of a resource policy (bucket, topic, queue, key,
    /// function...) that grants an AWS service principal (`s3.amazonaws.com`,
    /// `events.amazonaws.com`, `cloudtrail.amazonaws.com`...) without an `aws:SourceArn`,
    /// `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` condition.
    ///
    /// ## Why is this bad?
    /// A service principal acts for every AWS customer. Without a source condition, another
    /// account can configure the same service to write to your topic or bucket, or decrypt
    /// with your key: the service is the confused deputy. AWS recommends these conditions in
    /// every resource policy that names a service.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sns:Publish",
    ///    "Resource": "arn:aws:sns:eu-west-1:123456789012:uploads"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sns:Publish",
    ///    "Resource": "arn:aws:sns:eu-west-1:123456789012:uploads",
    ///    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::uploads-bucket"},
    ///                  "StringEquals": {"aws:SourceAccount": "123456789012"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [The confused deputy problem: cross-service](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention)
    /// - [aws:SourceArn and aws:SourceAccount](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn)
    pub struct ConfusedDeputy {
        category: Security,
        severity: Warning,
        confidence: Medium,
        group: Suggestions,
        summary: "A service principal is allowed without a condition on the source resource or account",
    }
}

impl Rule for ConfusedDeputy {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (statement, principal) in cx
            .resource_principals()
            .filter(|(_, p)| p.kind == PrincipalType::Service)
        {
            let pinned = statement
                .conditions
                .iter()
                .any(|c| SERVICE_SOURCE_KEYS.contains(&c.key.to_ascii_lowercase().as_str()));
            if pinned {
                continue;
            }
            let service = principal.value.as_str().unwrap_or("the service");
            out.push(
                Self::META
                    .finding(
                        principal.value.span,
                        format!("`{service}` may act here for any account: no `aws:SourceArn` or `aws:SourceAccount` condition"),
                    )
                    .with_help("add `aws:SourceArn` (the resource that calls) and `aws:SourceAccount` (your account) conditions"),
            );
        }
    }
}
