//! `invalid-arn`: a resource that is neither `*` nor a syntactically valid ARN pattern.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::arn;

declare_rule! {
    /// ## What it does
    /// Reports a `Resource` or `NotResource` entry that is neither `*` nor an ARN pattern
    /// with the six fields `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`: a bare bucket
    /// name, a missing field, an unknown partition, an account id that is not 12 digits,
    /// whitespace around the value. Parts only known at deploy time are never judged.
    ///
    /// ## Why is this bad?
    /// AWS rejects the policy, or, where the service stores it, the statement matches no
    /// resource at all, so the permission silently does nothing (or a `Deny` protects
    /// nothing).
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "my-bucket/*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM identifiers: ARNs](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    pub struct InvalidArn {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A resource is neither `*` nor a valid ARN pattern",
    }
}

impl Rule for InvalidArn {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in &cx.policy.statements {
            for resource in statement.resource.iter().flat_map(|r| r.items.iter()) {
                let parts = resource.template_parts();
                if parts.is_empty() {
                    continue;
                }
                if let Some(problem) = arn::check(&parts) {
                    out.push(
                        Self::META
                            .finding(resource.span, problem.message)
                            .with_help(problem.help),
                    );
                }
            }
        }
    }
}
