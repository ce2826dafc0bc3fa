//! `mfa-present-false`: `Bool` tests of `aws:MultiFactorAuthPresent` against `false`, which
//! do not match requests signed with long-term access keys.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Findings};
use crate::base::value::{Value, ValueKind};
use crate::catalog::Catalog;
use crate::policy::Effect;

declare_rule! {
    /// ## What it does
    /// Reports a `Bool` condition on `aws:MultiFactorAuthPresent` with the value `false`:
    /// - in a `Deny` without `IfExists` (`Bool`, not `BoolIfExists`): the statement is meant
    ///   to deny requests made without MFA, but requests signed with long-term access keys
    ///   (an IAM user's keys, the CLI) carry no `aws:MultiFactorAuthPresent` at all, so the
    ///   condition does not match them and they are not denied;
    /// - in an `Allow` (medium confidence): the statement grants only to requests made
    ///   without MFA, which is rarely what was meant; requiring MFA is `true`.
    ///
    /// `BoolIfExists` with `false` in a `Deny`, `Null` with `true`, and `Bool` with `true` in an
    /// `Allow` are the documented forms and stay quiet.
    ///
    /// ## Why is this bad?
    /// AWS adds `aws:MultiFactorAuthPresent` to the request only for temporary credentials;
    /// `Bool` on a key that is absent does not match. A "deny unless MFA" written with `Bool`
    /// lets every request made with access keys through, the very case it was written for.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Deny", "Action": "*", "Resource": "*",
    ///    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Deny", "Action": "*", "Resource": "*",
    ///    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [AWS global condition context keys: aws:MultiFactorAuthPresent](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent)
    /// - [IAM JSON policy elements: Condition operators, ...IfExists](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists)
    pub struct MfaPresentFalse {
        category: Security,
        severity: Warning,
        confidence: High,
        summary: "A `Bool` test of `aws:MultiFactorAuthPresent` against `false` misses requests made with access keys",
    }
}

impl Rule for MfaPresentFalse {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for statement in &cx.policy.statements {
            let Some(effect) = statement.effect else {
                continue;
            };
            for condition in &statement.conditions {
                if !condition
                    .key
                    .eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
                {
                    continue;
                }
                let Ok(operator) = catalog.parse_operator(condition.operator) else {
                    continue;
                };
                if operator.operator.name != "Bool" || operator.qualifier.is_some() {
                    continue;
                }
                let Some(value) = condition.values.iter().find(|v| is_false(v)) else {
                    continue;
                };
                let finding = match effect {
                    Effect::Deny if !operator.if_exists => Self::META
                        .finding(
                            value.span,
                            "this `Deny` does not apply to requests made with long-term access \
                             keys: they carry no `aws:MultiFactorAuthPresent`, and `Bool` does \
                             not match a key that is absent",
                        )
                        .with_related(
                            condition.operator_span,
                            "matches only when the key is present",
                        )
                        .with_help(
                            "write `BoolIfExists`, which also matches when the key is absent, \
                             or deny in a statement of its own where \
                             `Null: {\"aws:MultiFactorAuthPresent\": \"true\"}`",
                        ),
                    Effect::Deny => continue,
                    Effect::Allow => Self::META
                        .finding(
                            value.span,
                            "this `Allow` grants only to requests made without MFA",
                        )
                        .with_help("to require MFA, test for `true`")
                        .with_confidence(Confidence::Medium),
                };
                out.push(finding);
            }
        }
    }
}

/// `false` written as a JSON boolean or as a string in any case, as IAM reads it.
fn is_false(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Bool(b) => !b,
        ValueKind::String(text) => text.eq_ignore_ascii_case("false"),
        _ => false,
    }
}
