//! `credentials-exposure`: an action that creates or returns credentials is allowed on every resource.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::sensitive::Kind;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement that grants an action creating or returning credentials
    /// (`iam:CreateAccessKey`, `iam:CreateLoginProfile`, `sts:GetFederationToken`,
    /// `redshift:GetClusterCredentials`...) on every resource (`"*"`, `user/*`, `NotResource`).
    /// The list lives in `rules/data/sensitive_actions.json`; statements whose conditions limit
    /// them, and actions that only accept `"*"`, are left alone. The finding points at the
    /// action entry; the resource is a related label.
    ///
    /// Entries that already say "everything" are left to the rule that reports them: `*` to
    /// `admin-access`, `s3:*` to `wildcard-action`, `NotAction` to `allow-with-not-action`.
    /// An entry that is a privilege-escalation path (`iam:CreateAccessKey` on every user) is
    /// reported by `privilege-escalation`, whose finding names this rule: one root cause,
    /// one finding.
    ///
    /// ## Why is this bad?
    /// Credentials outlive the session that made them. `iam:CreateAccessKey` on every user
    /// lets the holder mint a long-lived key for any user, including administrators, and keep
    /// access after their own key is revoked.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "redshift:GetClusterCredentials", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// Name the database user the credentials are for:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "redshift:GetClusterCredentials",
    ///    "Resource": "arn:aws:redshift:eu-west-1:123456789012:dbuser:analytics/reporting"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Managing access keys for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    /// - [Cloudsplaining: credentials exposure](https://github.com/salesforce/cloudsplaining)
    pub struct CredentialsExposure {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "An action that creates or returns credentials is allowed on every resource",
    }
}

/// What the entries this rule reports allow, for its messages and `privilege-escalation`'s.
pub(super) const ALLOWS: &str = "creating or returning credentials";

impl Rule for CredentialsExposure {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for entry in cx.broad_entries(Kind::CredentialsExposure) {
            // One root cause: `privilege-escalation` reports the entry and names this.
            if cx.escalation_reports(entry.action_span) {
                continue;
            }
            out.push(
                Self::META
                    .finding(entry.action_span, entry.message(ALLOWS))
                    .with_related(entry.resource_span, "on every resource")
                    .with_help("name the users or resources, e.g. `user/${aws:username}` for a user's own credentials")
                    .with_confidence(entry.confidence),
            );
        }
    }
}
