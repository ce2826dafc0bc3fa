//! `trust-cross-account-without-external-id`: another account trusted without `sts:ExternalId`.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::principals::pinned;

declare_rule! {
    /// ## What it does
    /// Suggests an `sts:ExternalId` condition on a role trust policy statement that names a
    /// literal account (`123456789012`, `arn:aws:iam::123456789012:root`, a role or user of
    /// it) with no condition pinning the caller. Accounts written as deploy-time values
    /// (`${AWS::AccountId}`) are taken to be your own and left alone, and so are the accounts
    /// listed in `[trust] allowed-accounts` of `iamlint.toml`.
    ///
    /// ## Why is this bad?
    /// A role for a third party (a SaaS vendor, a monitoring service) is open to the
    /// confused-deputy problem: another customer of the vendor who learns the role's ARN can
    /// ask the vendor to use it. An external id the vendor issues per customer closes that.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole",
    ///    "Condition": {"StringEquals": {"sts:ExternalId": "c0ffee-customer-42"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    /// - [Access to AWS accounts owned by third parties](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html)
    pub struct TrustCrossAccountWithoutExternalId {
        category: Suggestion,
        severity: Info,
        confidence: Medium,
        summary: "Another account is trusted without an `sts:ExternalId` condition",
    }
}

impl Rule for TrustCrossAccountWithoutExternalId {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (statement, principal) in cx.trust_principals() {
            if pinned(cx.policy, statement) != Some(false) {
                continue;
            }
            let Some(account) = principal.literal_account() else {
                continue;
            };
            if cx.settings.trust.is_allowed_account(account) {
                continue;
            }
            out.push(
                Self::META
                    .finding(
                        principal.value.span,
                        format!("account `{account}` is trusted without an `sts:ExternalId` condition"),
                    )
                    .with_help("when the account belongs to a third party, require the external id it gives you with `StringEquals` on `sts:ExternalId`"),
            );
        }
    }
}
