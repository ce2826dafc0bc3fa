//! `statement-never-applies`: a statement whose date condition can never hold.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::dates::Never;

declare_rule! {
    /// ## What it does
    /// Reports a statement with a date condition that can never hold: a `DateLessThan` or
    /// `DateLessThanEquals` on `aws:CurrentTime`, `aws:EpochTime` or `aws:TokenIssueTime`
    /// whose every date is already past, or an upper bound below the lower bound another
    /// date test sets on the same key. Such a statement allows (or denies) nothing, so the
    /// security rules do not report what it would have allowed. Dates only known at deploy
    /// time are never judged.
    ///
    /// ## Why is this bad?
    /// The statement reads as a grant (or a guard) but does nothing: access that was meant to
    /// be temporary has expired, and someone reading the policy, or relying on a `Deny`
    /// with such a condition, is misled. Remove the statement, or move the date.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///    "Condition": {"DateLessThan": {"aws:CurrentTime": "2001-01-01T00:00:00Z"}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///    "Condition": {"DateLessThan": {"aws:CurrentTime": "2999-01-01T00:00:00Z"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Date condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date)
    /// - [AWS global condition context keys: aws:CurrentTime, aws:EpochTime, aws:TokenIssueTime](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime)
    pub struct StatementNeverApplies {
        category: Correctness,
        severity: Warning,
        confidence: High,
        summary: "A date condition of the statement can never hold, so the statement does nothing",
    }
}

impl Rule for StatementNeverApplies {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in &cx.policy.statements {
            let Some(dead) = statement.never_applies() else {
                continue;
            };
            let does = if statement.is_allow() {
                "allows nothing"
            } else {
                "denies nothing"
            };
            let condition = dead.condition;
            let mut finding = match dead.never {
                Never::Past => Self::META.finding(
                    condition.value.span,
                    format!(
                        "`{}` on `{}` ends in the past: this statement {does}",
                        condition.operator, condition.key
                    ),
                ),
                Never::BeforeStart(lower) => Self::META
                    .finding(
                        condition.value.span,
                        format!(
                            "`{}` on `{}` ends before `{}` starts: this statement {does}",
                            condition.operator, condition.key, lower.operator
                        ),
                    )
                    .with_related(lower.value.span, "starts here"),
            };
            finding =
                finding.with_help("remove the statement if its time is over, or correct the date");
            out.push(finding);
        }
    }
}
