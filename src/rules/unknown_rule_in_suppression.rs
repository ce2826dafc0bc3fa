//! `unknown-rule-in-suppression`: a suppression names a rule that does not exist.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports a rule id in an `iamlint: ignore[...]` comment or a CloudFormation `Metadata`
    /// ignore entry that is not an iamlint rule, with the closest id when there is one.
    /// (Unknown rules in `iamlint.toml` are configuration errors.)
    ///
    /// ## Why is this bad?
    /// The suppression does nothing: the finding it was meant to accept is still reported,
    /// or, worse, the reader believes a risk was reviewed when the id is a typo.
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
    ///             Action: "*"  # iamlint: ignore[admin-acess] break-glass role
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
    ///             Action: "*"  # iamlint: ignore[admin-access] break-glass role
    ///             Resource: "*"
    /// ```
    ///
    /// ## References
    /// - [README: Suppressions](https://github.com/iamlint/iamlint#suppressions)
    /// - [The rule reference](README.md)
    pub struct UnknownRuleInSuppression {
        category: Correctness,
        severity: Warning,
        confidence: High,
        summary: "A suppression names a rule that does not exist",
    }
}

impl Rule for UnknownRuleInSuppression {
    fn check(&self, _cx: &Context<'_>, _out: &mut Findings) {}
}
