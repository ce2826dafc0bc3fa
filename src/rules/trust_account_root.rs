//! `trust-account-root`: a trust policy that trusts every principal of an account.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::principals::pinned;

declare_rule! {
    /// ## What it does
    /// Reports, as information, a role trust policy that names an account root
    /// (`arn:aws:iam::123456789012:root` or `123456789012`) as its principal without a
    /// condition that narrows it (`aws:PrincipalArn`, `aws:PrincipalTag/...`). Accounts listed
    /// in `[trust] allowed-accounts` of `iamlint.toml` are accepted; an account written as a
    /// deploy-time value (`${AWS::AccountId}`) is never on that list.
    ///
    /// ## Why is this bad?
    /// The root ARN does not mean the root user: it delegates to the whole account. Every
    /// user and role there whose identity policy allows `sts:AssumeRole` on this role (or on
    /// `*`) can assume it, including ones created later. That is often intended; when it is
    /// not, the role is one `Resource: "*"` away from everyone in the account.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/deployer"}, "Action": "sts:AssumeRole"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Specifying a principal: AWS account principals](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts)
    pub struct TrustAccountRoot {
        category: Security,
        severity: Info,
        confidence: High,
        group: Suggestions,
        summary: "The role trusts every principal of an account",
    }
}

impl Rule for TrustAccountRoot {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let allowed = |account: Option<&str>| {
            account.is_some_and(|a| cx.settings.trust.is_allowed_account(a))
        };
        for (statement, principal) in cx
            .trust_principals()
            .filter(|(_, p)| p.is_account_root() && !allowed(p.literal_account()))
        {
            if pinned(cx.policy, statement) != Some(false) {
                continue;
            }
            out.push(
                Self::META
                    .finding(
                        principal.value.span,
                        "every user and role of this account whose policies allow it can assume this role",
                    )
                    .with_help("name the roles that should assume it, or add an `aws:PrincipalArn` condition"),
            );
        }
    }
}
