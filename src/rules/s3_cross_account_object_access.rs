//! `s3-cross-account-object-access`: a bucket policy that lets another account read or write
//! objects.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::catalog::{ActionSet, Catalog};
use crate::policy::principals::{pinned, principals};
use std::sync::OnceLock;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of a resource policy (an S3 bucket or access point policy:
    /// `aws_s3_bucket_policy`, `AWS::S3::BucketPolicy`, or a raw JSON policy) that grants
    /// object actions (every `s3` action on the `object` resource type: `s3:GetObject`,
    /// `s3:PutObject`, `s3:DeleteObject`, `s3:PutObjectAcl`..., also through `s3:*`, `*` or
    /// `NotAction`, less what an unconditional `Deny` removes) to an `AWS` principal that
    /// names a literal account id: `999988887777`, its root, or a role or user in it.
    ///
    /// iamlint cannot know which account owns the bucket, so the rule is precise rather than
    /// exhaustive:
    /// - principals written as deploy-time values (`${AWS::AccountId}`,
    ///   `data.aws_caller_identity.current.account_id`, a variable) are taken to be your own
    ///   and never reported;
    /// - accounts listed in `[trust] allowed-accounts` of `iamlint.toml` are accepted (list
    ///   your own account ids there when policies write them literally);
    /// - a condition that pins the caller (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    ///   `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`...) keeps it quiet;
    /// - service principals (a CloudFront origin access control with `aws:SourceArn`) are
    ///   left to `confused-deputy`, and `"*"` to `public-resource-policy`, which already
    ///   reports it with no condition or only weak ones (`aws:Referer`, `aws:UserAgent`).
    ///
    /// ## Why is this bad?
    /// A bucket policy is enough on its own for another account to reach your objects: its
    /// administrators decide who there can read your data or overwrite it. Objects another
    /// account writes may even stay owned by it unless the bucket enforces bucket-owner
    /// ownership. Cross-account data access should be deliberate and reviewed.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
    ///    "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "*"},
    ///    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    /// ]}
    /// ```
    /// or list the partner account in `[trust] allowed-accounts` once it is reviewed.
    ///
    /// ## References
    /// - [Bucket owner granting cross-account bucket permissions](https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html)
    /// - [Controlling ownership of objects](https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html)
    /// - [Restricting access to an Amazon S3 origin (CloudFront OAC)](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html)
    pub struct S3CrossAccountObjectAccess {
        category: Security,
        severity: Warning,
        confidence: Medium,
        group: Suggestions,
        summary: "The bucket policy lets another account read or write objects",
    }
}

/// Object actions named first in messages, in this order.
const HEADLINE: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:PutObjectAcl",
];

/// Every `s3` action on the `object` resource type, computed on first use.
fn object_actions() -> &'static ActionSet {
    static SET: OnceLock<ActionSet> = OnceLock::new();
    SET.get_or_init(|| {
        let catalog = Catalog::get();
        let Some(s3) = catalog.service("s3") else {
            return ActionSet::new();
        };
        s3.actions()
            .iter()
            .filter(|&id| {
                catalog
                    .resource_types(id)
                    .iter()
                    .any(|t| t.resource_type.name() == "object")
            })
            .collect()
    })
}

impl Rule for S3CrossAccountObjectAccess {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        if !cx.is_resource_policy() || cx.policy.only_filters() {
            return;
        }
        let catalog = Catalog::get();
        let effective = cx.effective();
        for grant in &effective.grants {
            if pinned(cx.policy, grant.statement) != Some(false) {
                continue;
            }
            let granted = grant.actions.intersection(object_actions());
            // The actions that say the most first: reading, writing, deleting objects.
            let mut ordered: Vec<_> = granted.iter().collect();
            ordered.sort_by_key(|&id| {
                let name = catalog.qualified_name(id);
                HEADLINE
                    .iter()
                    .position(|h| *h == name)
                    .unwrap_or(HEADLINE.len())
            });
            let Some(&first) = ordered.first() else {
                continue;
            };
            for principal in principals(grant.statement) {
                let Some(account) = principal.literal_account() else {
                    continue;
                };
                if cx.settings.trust.is_allowed_account(account) {
                    continue;
                }
                let mut names: Vec<String> = ordered
                    .iter()
                    .take(3)
                    .map(|&id| format!("`{}`", catalog.qualified_name(id)))
                    .collect();
                if ordered.len() > 3 {
                    names.push(format!("{} more", ordered.len() - 3));
                }
                let mut finding = Self::META
                    .finding(
                        principal.value.span,
                        format!(
                            "account `{account}` is granted object access ({})",
                            names.join(", ")
                        ),
                    )
                    .with_help("when this is not the bucket owner's account, pin the callers with `aws:PrincipalOrgID`, or list the reviewed account in `[trust] allowed-accounts` of iamlint.toml");
                if let Some((span, _)) = grant.entry_for(first) {
                    finding = finding.with_related(span, "grants object access");
                }
                out.push(finding);
            }
        }
    }
}
