//! `unknown-policy-element`: a key that is not a policy or statement element.

use super::malformed_policy::report_issues;
use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::IssueKind;

declare_rule! {
    /// ## What it does
    /// Reports keys that are not elements of a policy (`Version`, `Id`, `Statement`), of a
    /// statement (`Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`,
    /// `Resource`, `NotResource`, `Condition`) or principal types (`AWS`, `Service`,
    /// `Federated`, `CanonicalUser`), with the element that was probably meant.
    ///
    /// ## Why is this bad?
    /// A misspelled element is not ignored harmlessly: `"Conditions"` instead of
    /// `"Condition"` makes AWS reject the policy, and a tool that skips unknown keys may
    /// report the statement as unconditional, or not analyse it at all.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Actions": ["s3:GetObject"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy element reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
    pub struct UnknownPolicyElement {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A key that is not a policy element, usually a misspelling",
    }
}

impl Rule for UnknownPolicyElement {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        report_issues(cx, IssueKind::UnknownElement, &Self::META, out);
    }
}
