//! `malformed-policy`: structural errors that make AWS reject the document.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::IssueKind;

declare_rule! {
    /// ## What it does
    /// Reports policies whose structure AWS rejects: no `Statement`, elements of the wrong
    /// type, a missing or invalid `Effect`, both or neither of `Action`/`NotAction` (and of
    /// `Resource`/`NotResource` where resources are required), a `Principal` in an identity
    /// policy, empty arrays and strings, actions without a `service:` prefix, and duplicate
    /// keys in one object.
    ///
    /// ## Why is this bad?
    /// The deployment fails, or worse, a duplicate key silently drops half of what you wrote:
    /// JSON parsers keep only one of two `"Action"` keys.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy element reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
    /// - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    pub struct MalformedPolicy {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "The policy's structure is invalid and AWS rejects it",
    }
}

impl Rule for MalformedPolicy {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        report_issues(cx, IssueKind::Malformed, &Self::META, out);
    }
}

/// Turns the parser's issues of one kind into findings of the rule that owns them.
pub(super) fn report_issues(
    cx: &Context<'_>,
    kind: IssueKind,
    meta: &'static super::RuleMeta,
    out: &mut Findings,
) {
    for issue in cx.policy.issues.iter().filter(|issue| issue.kind == kind) {
        let mut finding = meta.finding(issue.span, issue.message.clone());
        if let Some(help) = &issue.help {
            finding = finding.with_help(help.clone());
        }
        if let Some(label) = &issue.related {
            finding = finding.with_related(label.span, label.message.clone());
        }
        out.push(finding);
    }
}
