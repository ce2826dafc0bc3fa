//! `invalid-suppression`: a suppression that cannot be used as written.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports an `iamlint:` comment that is not `iamlint: ignore[rule-id, ...] reason`, and
    /// a suppression without a reason (a comment with nothing after `]`, a CloudFormation
    /// `Metadata` ignore entry without `reason`). Such a suppression suppresses nothing.
    ///
    /// ## Why is this bad?
    /// Suppressions are accepted risks; the reason is what a reviewer or auditor reads to
    /// know why. A suppression that does not parse leaves the finding in place while its
    /// author thinks it is handled.
    ///
    /// ## Example
    /// ```yaml
    /// Resources:
    ///   BreakGlassPolicy:
    ///     Type: AWS::IAM::ManagedPolicy
    ///     Properties:
    ///       PolicyDocument:
    ///         Version: "2012-10-17"
    ///         Statement:
    ///           - Effect: Allow
    ///             Action: "*"  # iamlint: ignore[admin-access]
    ///             Resource: "*"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// Resources:
    ///   BreakGlassPolicy:
    ///     Type: AWS::IAM::ManagedPolicy
    ///     Properties:
    ///       PolicyDocument:
    ///         Version: "2012-10-17"
    ///         Statement:
    ///           - Effect: Allow
    ///             Action: "*"  # iamlint: ignore[admin-access] break-glass role, reviewed by security
    ///             Resource: "*"
    /// ```
    ///
    /// ## References
    /// - [README: Suppressions](https://github.com/iamlint/iamlint#suppressions)
    pub struct InvalidSuppression {
        category: Correctness,
        severity: Warning,
        confidence: High,
        summary: "A suppression is malformed or has no reason",
    }
}

impl Rule for InvalidSuppression {
    fn check(&self, _cx: &Context<'_>, _out: &mut Findings) {}
}
