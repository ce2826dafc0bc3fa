//! `trust-any-principal`: a role trust policy that lets anyone assume the role.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::principals::unpinned_confidence;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of a role's trust policy whose principal is `"*"` or
    /// `{"AWS": "*"}` without a condition that pins who may assume the role
    /// (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceArn`,
    /// `sts:ExternalId`...). Date, MFA and TLS conditions do not count: any AWS customer can
    /// meet them.
    ///
    /// ## Why is this bad?
    /// `{"AWS": "*"}` means every AWS account in the world, not every principal of yours.
    /// Anyone who learns the role's ARN can assume it and act with its permissions.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/ci"}, "Action": "sts:AssumeRole"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    /// - [aws:PrincipalOrgID](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid)
    pub struct TrustAnyPrincipal {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "The role can be assumed by any AWS principal",
    }
}

impl Rule for TrustAnyPrincipal {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (statement, principal) in cx.trust_principals().filter(|(_, p)| p.is_anyone()) {
            let Some(confidence) = unpinned_confidence(cx.policy, statement) else {
                continue;
            };
            let mut finding = Self::META
                .finding(
                    principal.value.span,
                    "any AWS principal, in any account, can assume this role",
                )
                .with_help("name the accounts or roles that may assume it, or pin them with `aws:PrincipalOrgID` or `aws:PrincipalArn`")
                .with_confidence(confidence);
            if let Some(action) = statement.actions().first() {
                finding = finding.with_related(action.span, "allowed to everyone");
            }
            out.push(finding);
        }
    }
}
