//! `allow-with-not-action`: `Allow` with `NotAction`, which grants everything not listed.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Findings};

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement that uses `NotAction`. The sensitive-action rules
    /// (`credentials-exposure`, `data-exfiltration`, `permissions-management`,
    /// `resource-exposure`, `write-without-constraints`) leave such a statement to this rule;
    /// `privilege-escalation` still reports the concrete paths it opens.
    ///
    /// ## Why is this bad?
    /// `Allow` with `NotAction` grants every action of every AWS service except the ones
    /// listed, including every action AWS adds in the future. It is almost always meant as
    /// a `Deny` with `NotAction`, or as an `Allow` with `Action`. On `Resource: "*"` it is
    /// close to administrator access.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["ec2:Describe*", "s3:GetObject"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    pub struct AllowWithNotAction {
        category: Security,
        severity: Warning,
        confidence: High,
        group: LeastPrivilege,
        summary: "`Allow` with `NotAction` grants every action not listed",
    }
}

impl Rule for AllowWithNotAction {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in cx.granting_allows() {
            let Some(action) = statement.action.as_ref().filter(|a| a.negated) else {
                continue;
            };
            let on_everything = statement
                .resources()
                .iter()
                .any(|r| r.as_str() == Some("*"));
            let mut finding = Self::META
                .finding(
                    action.key_span,
                    "`Allow` with `NotAction` allows every action except the ones listed",
                )
                .with_help("list the allowed actions with `Action`, or make this a `Deny`");
            if !on_everything {
                finding = finding.with_confidence(Confidence::Medium);
            }
            out.push(finding);
        }
    }
}
