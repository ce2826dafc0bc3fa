//! `missing-version`: a policy without `Version`.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports a policy document with no `Version` element.
    ///
    /// ## Why is this bad?
    /// Without `Version`, AWS applies the 2008-10-17 policy language, in which policy
    /// variables such as `${aws:username}` are plain text and newer features are missing.
    /// A policy that looks right can then grant or deny something else than it says.
    ///
    /// ## Example
    /// ```json
    /// {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket"}]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    pub struct MissingVersion {
        category: Correctness,
        severity: Warning,
        confidence: High,
        group: Suggestions,
        summary: "The policy has no `Version`, so AWS applies the 2008-10-17 language",
    }
}

impl Rule for MissingVersion {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        if cx.policy.version.is_some() || cx.policy.root.as_object().is_none() {
            return;
        }
        out.push(
            Self::META
                .finding(cx.policy.root.opening_span(), "the policy has no `Version`")
                .with_help("add `\"Version\": \"2012-10-17\"`"),
        );
    }
}
