//! `unknown-condition-operator`: a condition operator IAM does not know.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::base::suggest::did_you_mean;
use crate::base::text::clip;
use crate::base::value::Value;
use crate::catalog::{Catalog, OperatorError};

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
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Condition": {"StringEqual": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    /// - [Multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
    pub struct UnknownConditionOperator {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A condition operator that IAM does not know",
    }
}

impl Rule for UnknownConditionOperator {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in &cx.policy.statements {
            // Operator blocks are read from the statement itself: an empty or malformed block
            // holds no condition, but its operator can still be wrong.
            let blocks = statement.value.get("Condition").and_then(Value::as_object);
            for block in blocks.unwrap_or_default() {
                let condition = Operator {
                    operator: block.key.as_str(),
                    operator_span: block.key_span,
                };
                // An operator written as a Terraform variable (`test = var.test`) is only
                // known at deploy time: nothing to say about it.
                if condition.operator.contains("${") {
                    continue;
                }
                let Err(error) = Catalog::get().parse_operator(condition.operator) else {
                    continue;
                };
                let (message, help) = match error {
                    OperatorError::NullIfExists => (
                        format!("`{}` is not a condition operator", clip(condition.operator)),
                        "`Null` already tests whether the key exists; use `Null`".to_string(),
                    ),
                    OperatorError::UnknownSetPrefix(prefix) => {
                        let rest = &condition.operator[prefix.len() + 1..];
                        let help = match did_you_mean(&prefix, SET_PREFIXES) {
                            Some(name) => format!("did you mean `{name}:{rest}`?"),
                            None => "the prefixes are `ForAllValues:` and `ForAnyValue:`".into(),
                        };
                        (
                            format!("unknown set operator prefix `{}:`", clip(&prefix)),
                            help,
                        )
                    }
                    OperatorError::Unknown(base) => {
                        let prefix = &condition.operator[..condition.operator.len() - base.len()];
                        let candidates = operator_names();
                        let help = match did_you_mean(&base, candidates.iter().map(String::as_str))
                        {
                            Some(name) => format!("did you mean `{prefix}{name}`?"),
                            None => {
                                "see the list of condition operators in the rule's documentation"
                                    .into()
                            }
                        };
                        (
                            format!("unknown condition operator `{}`", clip(condition.operator)),
                            help,
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

const SET_PREFIXES: [&str; 2] = ["ForAllValues", "ForAnyValue"];

/// Every operator name, with and without `IfExists`, for suggestions.
fn operator_names() -> Vec<String> {
    Catalog::get()
        .operators()
        .iter()
        .map(|operator| operator.name)
        .flat_map(|name| {
            let if_exists = (name != "Null").then(|| format!("{name}IfExists"));
            std::iter::once(name.to_string()).chain(if_exists)
        })
        .collect()
}

/// An operator as written in a statement's `Condition` block.
struct Operator<'a> {
    operator: &'a str,
    operator_span: crate::base::source::Span,
}
