//! `permissions-management`: an identity or policy management action is allowed on every resource.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::sensitive::Kind;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement that grants, on every resource, an action of an identity
    /// service (IAM, IAM Identity Center, Organizations, STS) that the catalog files under
    /// "Permissions management": `iam:AttachRolePolicy`, `iam:PutUserPolicy`,
    /// `iam:CreatePolicyVersion`, `organizations:AttachPolicy`... Credential actions belong
    /// to `credentials-exposure` and resource policies to `resource-exposure`.
    ///
    /// Entries that already say "everything" are left to the rule that reports them: `*` to
    /// `admin-access`, `s3:*` to `wildcard-action`, `NotAction` to `allow-with-not-action`.
    /// An entry that is a privilege-escalation path (`iam:AttachRolePolicy`, `iam:*`) is
    /// reported by `privilege-escalation`, whose finding names this rule: one root cause,
    /// one finding.
    ///
    /// ## Why is this bad?
    /// Changing who may do what is the one permission that grants all others. On every role
    /// and policy, the holder can remove the policies that limit a role, or attach
    /// `AdministratorAccess` to themselves.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["iam:DetachRolePolicy", "iam:DeleteRolePolicy"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// Name the roles:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["iam:DetachRolePolicy", "iam:DeleteRolePolicy"],
    ///    "Resource": "arn:aws:iam::123456789012:role/app/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Access levels in policy summaries](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html)
    /// - [Permissions boundaries for IAM entities](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)
    pub struct PermissionsManagement {
        category: Security,
        severity: Error,
        confidence: High,
        group: LeastPrivilege,
        summary: "An identity or policy management action is allowed on every resource",
    }
}

/// What the entries this rule reports allow, for its messages and `privilege-escalation`'s.
pub(super) const ALLOWS: &str = "managing identities and their permissions";

impl Rule for PermissionsManagement {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for entry in cx.broad_entries(Kind::PermissionsManagement) {
            // One root cause: `privilege-escalation` reports the entry and names this.
            if cx.escalation_reports(entry.action_span) {
                continue;
            }
            out.push(
                Self::META
                    .finding(entry.action_span, entry.message(ALLOWS))
                    .with_related(entry.resource_span, "on every resource")
                    .with_help("name the roles, users and policies, and cap them with conditions such as `iam:PolicyARN` or `iam:PermissionsBoundary`")
                    .with_confidence(entry.confidence),
            );
        }
    }
}
