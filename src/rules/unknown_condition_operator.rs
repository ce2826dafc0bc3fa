//! `unknown-condition-operator`: a condition operator IAM does not know.

use super::{Context, Rule, declare_rule};
use crate::finding::Finding;
use crate::policy::operators::{self, OperatorError};
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a condition operator that does not exist (`StringEqual`, `ArnMatches`), an
    /// unknown set prefix (`ForAllValue:`), and `NullIfExists`, which IAM does not accept.
    /// `ForAllValues:`/`ForAnyValue:` prefixes and the `IfExists` suffix are understood.
    ///
    /// ## Why is this bad?
    /// AWS rejects the policy. A tool that ignores the unknown operator would also consider
    /// the statement unconditional, which it would never be.
    ///
    /// ## Example
    /// ```json
    /// {"Condition": {"StringEqual": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    /// - [Multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
    pub struct UnknownConditionOperator {
        id: "unknown-condition-operator",
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A condition operator that IAM does not know",
    }
}

impl Rule for UnknownConditionOperator {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for statement in &cx.policy.statements {
            let mut reported = Vec::new();
            for condition in &statement.conditions {
                if reported.contains(&condition.operator_span) {
                    continue;
                }
                let Err(error) = operators::parse(condition.operator) else {
                    continue;
                };
                reported.push(condition.operator_span);
                let (message, help) = match error {
                    OperatorError::NullIfExists => (
                        "`NullIfExists` is not an operator".to_string(),
                        "`Null` already tests whether the key exists; use `Null`".to_string(),
                    ),
                    OperatorError::UnknownSetPrefix(prefix) => (
                        format!("unknown set operator prefix `{prefix}:`"),
                        suggestion(&prefix, ["ForAllValues", "ForAnyValue"].into_iter())
                            .unwrap_or_else(|| {
                                "the prefixes are `ForAllValues:` and `ForAnyValue:`".into()
                            }),
                    ),
                    OperatorError::Unknown(base) => {
                        let trimmed = base.strip_suffix("IfExists").unwrap_or(&base);
                        (
                            format!("unknown condition operator `{}`", condition.operator),
                            suggestion(trimmed, operators::base_names()).unwrap_or_else(|| {
                                "see the list of condition operators in the rule's documentation".into()
                            }),
                        )
                    }
                };
                out.push(
                    Self::META
                        .finding(condition.operator_span, message)
                        .with_help(help),
                );
            }
        }
    }
}

fn suggestion<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    did_you_mean(input, candidates).map(|name| format!("did you mean `{name}`?"))
}
