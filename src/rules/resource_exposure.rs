//! `resource-exposure`: an action that rewrites resource policies or sharing is allowed on every resource.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::sensitive::Kind;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement that grants, on every resource, an action that rewrites a
    /// resource's own policy or sharing: `s3:PutBucketPolicy`, `kms:PutKeyPolicy`,
    /// `lambda:AddPermission`, `ec2:ModifySnapshotAttribute`, `ram:CreateResourceShare`...,
    /// plus every action outside the identity services that the catalog files under
    /// "Permissions management". The list lives in `rules/data/sensitive_actions.json`.
    ///
    /// Entries that already say "everything" are left to the rule that reports them: `*` to
    /// `admin-access`, `s3:*` to `wildcard-action`, `NotAction` to `allow-with-not-action`.
    ///
    /// ## Why is this bad?
    /// Whoever can rewrite a bucket policy or a key policy can share the resource with any
    /// account, or with everyone, without touching IAM at all: the data leaves through the
    /// front door and IAM reviews never see it.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "arn:aws:s3:::app-logs"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Identity-based policies and resource-based policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html)
    /// - [Cloudsplaining: resource exposure](https://github.com/salesforce/cloudsplaining)
    pub struct ResourceExposure {
        category: Security,
        severity: Error,
        confidence: High,
        group: LeastPrivilege,
        summary: "An action that rewrites resource policies or sharing is allowed on every resource",
    }
}

impl Rule for ResourceExposure {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for entry in cx.broad_entries(Kind::ResourceExposure) {
            out.push(
                Self::META
                    .finding(
                        entry.action_span,
                        entry.message("rewriting resource policies or sharing"),
                    )
                    .with_related(entry.resource_span, "on every resource")
                    .with_help("name the resources whose policies this principal manages")
                    .with_confidence(entry.confidence),
            );
        }
    }
}
