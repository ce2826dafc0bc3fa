//! `multivalued-key-without-set-operator`: a key that may hold several values, tested without
//! `ForAllValues:` or `ForAnyValue:`.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::catalog::{Catalog, ConditionOperator, SetQualifier};

declare_rule! {
    /// ## What it does
    /// Reports a condition on a multivalued key (one the Service Authorization Reference
    /// types `ArrayOf…`: `aws:TagKeys`, `aws:CalledVia`, `aws:PrincipalServiceNamesList`,
    /// `aws:PrincipalOrgPaths`, and the service keys typed `ArrayOfString` or `ArrayOfARN`) whose operator has no
    /// `ForAllValues:` or `ForAnyValue:` set operator. `Null` tests presence and needs none.
    /// IAM Access Analyzer reports the same as `MISSING_QUALIFIER`.
    ///
    /// ## Why is this bad?
    /// The request can carry several values for the key (several tag keys, several services
    /// in a chain). Whether the condition holds when *every* value matches or when *any* does
    /// is the difference between "only these tag keys" and "at least one of these tag keys";
    /// without the set operator the policy does not say which, and AWS asks for one.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
    ///    "Condition": {"StringEquals": {"aws:TagKeys": ["Owner", "Project"]}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
    ///    "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Owner", "Project"]}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Single-valued vs. multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
    /// - [IAM Access Analyzer policy checks: Missing qualifier](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    pub struct MultivaluedKeyWithoutSetOperator {
        category: Correctness,
        severity: Warning,
        confidence: High,
        summary: "A multivalued condition key is tested without `ForAllValues:` or `ForAnyValue:`",
    }
}

impl Rule for MultivaluedKeyWithoutSetOperator {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (_statement, actions, condition, operator) in cx.known_conditions() {
            if operator.qualifier.is_some() || operator.operator.family().applies_to_all {
                continue;
            }
            if catalog.is_multivalued_key(condition.key, &actions.union) != Some(true) {
                continue;
            }
            let with = |qualifier| {
                ConditionOperator {
                    qualifier: Some(qualifier),
                    ..operator
                }
                .to_string()
            };
            out.push(
                Self::META
                    .finding(
                        condition.key_span,
                        format!(
                            "`{}` may hold several values, but `{}` does not say whether \
                                 every value or any value must match",
                            condition.key, condition.operator
                        ),
                    )
                    .with_related(condition.operator_span, "no set operator")
                    .with_help(format!(
                        "write `{}` (every value in the request must match) or `{}` (at \
                             least one must)",
                        with(SetQualifier::ForAllValues),
                        with(SetQualifier::ForAnyValue)
                    )),
            );
        }
    }
}
