//! `set-operator-on-single-valued-key`: `ForAllValues:` or `ForAnyValue:` on a key that holds
//! at most one value.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Findings, Severity};
use crate::catalog::{Catalog, ConditionOperator, SetQualifier};
use crate::policy::Effect;

declare_rule! {
    /// ## What it does
    /// Reports a `ForAllValues:` or `ForAnyValue:` set operator on a single-valued key
    /// (`aws:SourceVpc`, `aws:PrincipalOrgID`, `aws:RequestTag/...`, an OIDC provider's `sub`),
    /// from the key types of the Service Authorization Reference and of the global keys. It
    /// is a warning where the set operator changes what the statement does when the key is
    /// absent from the request, and `info` elsewhere:
    /// - `ForAllValues:` in an `Allow`: the condition holds when the key is absent (every one
    ///   of no values matches), so the statement grants to requests that carry no value at
    ///   all, such as requests that do not come through a VPC for `aws:SourceVpc`. IAM Access
    ///   Analyzer reports it as a security warning (`FORALLVALUES_WITH_SINGLE_VALUED_KEY`);
    /// - `ForAnyValue:` with a negated operator (`StringNotEquals`) in a `Deny`: the condition
    ///   does not hold when the key is absent, so the `Deny` lets through exactly the requests
    ///   without the key, where the plain `StringNotEquals` would deny them.
    ///
    /// ## Why is this bad?
    /// AWS's documentation says not to use set operators with single-valued keys: they can
    /// make a policy overly permissive. Where they change nothing, they still mislead the
    /// reader into thinking the key may hold several values.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///    "Condition": {"ForAllValues:StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///    "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Single-valued vs. multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
    /// - [IAM Access Analyzer policy checks: ForAllValues with single-valued key](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-forallvalues-with-single-valued-key)
    pub struct SetOperatorOnSingleValuedKey {
        category: Security,
        severity: Warning,
        confidence: High,
        summary: "`ForAllValues:` or `ForAnyValue:` on a single-valued key, which changes what an absent key means",
    }
}

impl Rule for SetOperatorOnSingleValuedKey {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (statement, actions, condition, operator) in cx.known_conditions() {
            let Some(qualifier) = operator.qualifier else {
                continue;
            };
            if catalog.is_multivalued_key(condition.key, &actions.union) != Some(false) {
                continue;
            }
            let plain = ConditionOperator {
                qualifier: None,
                ..operator
            };
            let absent = match (qualifier, statement.effect) {
                (SetQualifier::ForAllValues, Some(Effect::Allow)) => Some(
                    "it also holds when the request carries no value for the key, so this \
                         `Allow` grants to requests without it",
                ),
                (SetQualifier::ForAnyValue, Some(Effect::Deny)) if operator.operator.negated => {
                    Some(
                        "it does not hold when the request carries no value for the key, so \
                             this `Deny` lets requests without it through",
                    )
                }
                _ => None,
            };
            let qualifier_name = match qualifier {
                SetQualifier::ForAllValues => "ForAllValues:",
                SetQualifier::ForAnyValue => "ForAnyValue:",
            };
            let mut finding = Self::META
                // At the operator, where the fix goes; the key's own type is
                // condition-type-mismatch's to report.
                .finding(
                    condition.operator_span,
                    format!(
                        "`{}` holds at most one value, but `{qualifier_name}` compares sets \
                             of values{}",
                        condition.key,
                        absent.map(|a| format!(": {a}")).unwrap_or_default()
                    ),
                )
                .with_related(condition.key_span, "holds at most one value")
                .with_help(format!("write `{plain}`"));
            if absent.is_none() {
                finding = finding.with_severity(Severity::Info);
            }
            out.push(finding);
        }
    }
}
