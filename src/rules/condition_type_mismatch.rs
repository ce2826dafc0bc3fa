//! `condition-type-mismatch`: a condition operator of the wrong family for its key's type.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Findings, Severity};
use crate::base::suggest::either;
use crate::catalog::{ActionSet, Catalog, ConditionKeyType, ConditionOperator, KeyTypes};

declare_rule! {
    /// ## What it does
    /// Reports a condition whose operator cannot compare its key's type, from the key types
    /// of the Service Authorization Reference and of the global keys: `StringEquals` or
    /// `StringLike` on a date (`aws:CurrentTime`), a number (`aws:MultiFactorAuthAge`), a
    /// boolean (`aws:SecureTransport`) or an IP address (`aws:SourceIp`); `NumericLessThan`
    /// on a string; `Bool` on an ARN. ARN operators on string keys are fine (the string may
    /// hold an ARN, as `kms:EncryptionContext:aws:s3:arn` does), and so is `BinaryEquals` (no
    /// key is typed binary). String operators on ARN keys
    /// (`aws:SourceArn`) work,
    /// so they are reported at `info` severity with the ARN operators as the better choice.
    /// `Null` fits every key. Unknown operators are `unknown-condition-operator`'s, unknown
    /// keys `unknown-condition-key`'s; when this rule reports a condition,
    /// `condition-value-type` stays quiet about its values.
    ///
    /// ## Why is this bad?
    /// IAM compares the request's value as the operator's type: a date compared as a string
    /// matches only when written exactly as AWS formats it, an IP address never falls in a
    /// CIDR block under `StringLike`, and a number compared as a string makes `"10"` and
    /// `"10.0"` different. The condition silently matches nothing (an `Allow` that grants
    /// nothing) or everything (a negated operator in a `Deny`). `StringLike` on an ARN lets
    /// `*` run across the ARN's `:`-separated fields, where `ArnLike` matches field by field.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Condition": {"StringLike": {"aws:SourceIp": "10.0.*"},
    ///                  "StringEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:alerts"}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/16"},
    ///                  "ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:alerts"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    pub struct ConditionTypeMismatch {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A condition operator cannot compare its key's type",
    }
}

impl Rule for ConditionTypeMismatch {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (statement, actions) in cx.statements() {
            for condition in &statement.conditions {
                let Ok(operator) = catalog.parse_operator(condition.operator) else {
                    continue;
                };
                let Some((fit, types)) = judge(catalog, &operator, condition.key, &actions.union)
                else {
                    continue;
                };
                let key = condition.key;
                let family = operator.operator.family().name;
                let type_name = types.primary().map_or("", ConditionKeyType::as_str);
                let better = better_operators(catalog, &operator, types);
                let mut finding = Self::META
                    .finding(
                        condition.key_span,
                        format!(
                            "`{}` compares {}, but `{key}` is {} `{type_name}` key",
                            condition.operator,
                            describe_family(family),
                            article(type_name)
                        ),
                    )
                    .with_related(
                        condition.operator_span,
                        format!("compares {}", describe_family(family)),
                    );
                finding = match fit {
                    Fit::StringOnArn => finding
                        .with_help(format!(
                            "{} match the ARN field by field, so `*` cannot run across its `:`",
                            either(&better)
                        ))
                        .with_severity(Severity::Info),
                    Fit::Mismatch if better.is_empty() => finding,
                    Fit::Mismatch => finding.with_help(format!("use {}", either(&better))),
                };
                if key.contains("${") {
                    finding = finding.with_confidence(Confidence::Medium);
                }
                out.push(finding);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fit {
    /// The operator cannot compare the key's type.
    Mismatch,
    /// A string operator on an ARN key: it works, the ARN operators are better.
    StringOnArn,
}

/// How `operator` fits `key` (types from the catalog, preferring the services of `actions`);
/// `None` when it fits or the key's type is not known.
pub(crate) fn judge(
    catalog: &Catalog,
    operator: &ConditionOperator,
    key: &str,
    actions: &ActionSet,
) -> Option<(Fit, KeyTypes)> {
    let types = catalog.condition_key(key, actions)?.types;
    let family = operator.operator.family();
    if types.is_empty() || types.iter().any(|t| t == ConditionKeyType::Unknown) {
        return None;
    }
    // ARN operators read strings that hold ARNs, and AWS types many such keys as strings
    // (`kms:EncryptionContext:aws:s3:arn`, tags holding ARNs): only the value can tell. No key
    // is typed binary, so `BinaryEquals` compares the bytes of a string key.
    let arn_on_string = matches!(family.name, "Arn" | "Binary")
        && types.iter().any(|t| {
            matches!(
                t,
                ConditionKeyType::String | ConditionKeyType::ArrayOfString
            )
        });
    if !arn_on_string && !types.iter().any(|t| family.accepts(t)) {
        return Some((Fit::Mismatch, types));
    }
    let arn_only = types
        .iter()
        .all(|t| matches!(t, ConditionKeyType::Arn | ConditionKeyType::ArrayOfArn));
    (family.name == "String" && arn_only).then_some((Fit::StringOnArn, types))
}

/// Up to two operators that compare `types`, negated like `operator`, with its set qualifier
/// and `IfExists`: `StringNotEquals` on a date gives `DateNotEquals`.
fn better_operators(
    catalog: &Catalog,
    operator: &ConditionOperator,
    types: KeyTypes,
) -> Vec<String> {
    let negated = operator.operator.negated;
    let written_family = operator.operator.family().name;
    catalog
        .operators()
        .iter()
        .filter(|o| {
            let family = o.family();
            !family.applies_to_all
                && family.name != written_family
                && o.negated == negated
                && types.iter().any(|t| family.key_types.contains(t))
        })
        .take(2)
        .map(|o| {
            ConditionOperator {
                operator: *o,
                ..*operator
            }
            .to_string()
        })
        .collect()
}

fn describe_family(family: &str) -> &'static str {
    match family {
        "String" => "strings",
        "Numeric" => "numbers",
        "Date" => "dates",
        "Bool" => "booleans",
        "Binary" => "binary values",
        "IpAddress" => "IP addresses",
        "Arn" => "ARNs",
        _ => "values",
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}
