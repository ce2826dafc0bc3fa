//! `unused-suppression`: a suppression that suppresses nothing.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Finding, Findings};
use crate::base::rule_id::RuleId;
use crate::base::source::Span;
use crate::extract::suppressions::SuppressionKind;

declare_rule! {
    /// ## What it does
    /// Reports an `iamlint: ignore[rule-id]` comment, a CloudFormation `Metadata` ignore entry
    /// or an `[[ignore]]` entry of `iamlint.toml` that matched no finding of its rule. Only
    /// rules that ran are judged: with `--select` or a rule turned off, their suppressions
    /// are left alone, and an `[[ignore]]` entry is judged only when a file it names was
    /// checked.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the problem it accepted: once the policy is fixed it silently
    /// waits to hide the next, unreviewed problem of that rule in the same place. Removing it
    /// keeps the list of accepted risks true.
    ///
    /// ## Example
    /// ```yaml
    /// Resources:
    ///   LogsReaderPolicy:
    ///     Type: AWS::IAM::ManagedPolicy
    ///     Properties:
    ///       # iamlint: ignore[admin-access] break-glass role
    ///       PolicyDocument:
    ///         Version: "2012-10-17"
    ///         Statement:
    ///           - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::logs/*"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// Resources:
    ///   LogsReaderPolicy:
    ///     Type: AWS::IAM::ManagedPolicy
    ///     Properties:
    ///       PolicyDocument:
    ///         Version: "2012-10-17"
    ///         Statement:
    ///           - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::logs/*"}
    /// ```
    ///
    /// ## References
    /// - [README: Suppressions](https://github.com/iamlint/iamlint#suppressions)
    pub struct UnusedSuppression {
        category: Suggestion,
        severity: Warning,
        confidence: High,
        group: Correctness,
        summary: "A suppression matches no finding of its rule",
    }
}

/// Reported by the engine once every finding of the run is known.
pub fn finding(span: Span, rule: RuleId, kind: SuppressionKind) -> Finding {
    let message = match kind {
        SuppressionKind::Config => {
            format!("`[[ignore]]` entry for `{rule}` matches no finding in the files checked")
        }
        _ => format!("suppression of `{rule}` matches no finding"),
    };
    UnusedSuppression::META
        .finding(span, message)
        .with_help("remove it, or move it to the line or block the finding is on")
}

impl Rule for UnusedSuppression {
    fn check(&self, _cx: &Context<'_>, _out: &mut Findings) {}
}
