//! `allow-with-not-resource`: `Allow` with `NotResource`, which grants on everything else.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement that uses `NotResource`.
    ///
    /// ## Why is this bad?
    /// `Allow` with `NotResource` grants the actions on every resource in every account
    /// except the ones listed, including resources created later and resources of other
    /// accounts that trust yours. It is almost always meant as a `Deny` with `NotResource`,
    /// or as an `Allow` with `Resource`.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::audit-logs/*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::app-data", "arn:aws:s3:::app-data/*"]}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: NotResource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)
    pub struct AllowWithNotResource {
        category: Security,
        severity: Warning,
        confidence: High,
        group: LeastPrivilege,
        summary: "`Allow` with `NotResource` grants on every resource not listed",
    }
}

impl Rule for AllowWithNotResource {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in cx.granting_allows() {
            let Some(resource) = statement.resource.as_ref().filter(|r| r.negated) else {
                continue;
            };
            out.push(
                Self::META
                    .finding(
                        resource.key_span,
                        "`Allow` with `NotResource` allows the actions on every resource except the ones listed",
                    )
                    .with_help("list the resources with `Resource`, or make this a `Deny`"),
            );
        }
    }
}
