//! `invalid-service-principal`: a `Service` principal that is not in the form AWS accepts.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Finding, Findings, Severity};
use crate::base::value::Value;

declare_rule! {
    /// ## What it does
    /// Reports a `Service` entry of `Principal` or `NotPrincipal` that is not a service
    /// principal name: a bare service name (`ec2`), an ARN (`arn:aws:iam::ec2.amazonaws.com`),
    /// a name without one of the suffixes AWS service principals end in (`.amazonaws.com`,
    /// `.amazonaws.com.cn` in the China regions, `.amazon.com`, and the ISO partitions'
    /// `.c2s.ic.gov` and `.sc2s.sgov.gov`), or characters no service principal has (spaces,
    /// `:`, `/`). Regional forms (`logs.us-east-1.amazonaws.com`) are valid. Upper-case
    /// letters are a warning: service principals are written in lower case, and IAM Access
    /// Analyzer reports the mixed-case form. A name with parts only known at deploy time
    /// (`ec2.${AWS::URLSuffix}`) is judged only on its known text; `*` is left to the rules
    /// about public access.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy (`Invalid principal in policy`), or, where a service stores it
    /// without checking, the statement never applies to the service it was written for.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"Service": "ec2"}, "Action": "sts:AssumeRole"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [AWS JSON policy elements: Principal, AWS service principals](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services)
    /// - [IAM Access Analyzer policy checks](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    pub struct InvalidServicePrincipal {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A `Service` principal is not a service principal name such as `ec2.amazonaws.com`",
    }
}

/// The endings of AWS service principal names, in every partition.
const SUFFIXES: [&str; 5] = [
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".amazon.com",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
];

impl Rule for InvalidServicePrincipal {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in &cx.policy.statements {
            let Some(element) = &statement.principal else {
                continue;
            };
            let members = element.value.as_object().unwrap_or_default();
            for member in members.iter().filter(|m| m.key == "Service") {
                for item in member.value.one_or_many() {
                    if let Some(finding) = judge(item) {
                        out.push(finding);
                    }
                }
            }
        }
    }
}

/// The finding about one `Service` entry, if it is not a service principal name.
fn judge(item: &Value) -> Option<Finding> {
    let meta = &InvalidServicePrincipal::META;
    let parts = item.template_parts();
    let literal: String = parts.iter().flatten().copied().collect();
    if parts.is_empty() || literal.contains('*') {
        return None;
    }
    let fully_known = parts.iter().all(Option::is_some);
    let bad_character = literal
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-')));
    if literal.starts_with("arn:") || bad_character.is_some() {
        let message = if literal.starts_with("arn:") {
            format!("`{literal}` is an ARN, but a service principal is a name")
        } else {
            format!(
                "`{}` holds {:?}, which no service principal name does",
                item.template_text().unwrap_or_default(),
                bad_character.unwrap_or_default()
            )
        };
        let finding = meta.finding(item.span, message);
        return Some(match fully_known.then(|| suggestion(&literal)).flatten() {
            Some(name) => finding.with_help(format!("write `{name}`")),
            None => finding.with_help("write the service's principal, e.g. `ec2.amazonaws.com`"),
        });
    }
    if !fully_known {
        return None;
    }
    let lower = literal.to_ascii_lowercase();
    let known_suffix = SUFFIXES
        .iter()
        .any(|suffix| lower.len() > suffix.len() && lower.ends_with(suffix));
    if !known_suffix {
        let help = if lower.contains('.') {
            "service principals end in `.amazonaws.com` (`.amazonaws.com.cn` in the China \
             regions)"
                .to_string()
        } else {
            format!("write `{lower}.amazonaws.com`")
        };
        return Some(
            meta.finding(
                item.span,
                format!("`{literal}` is not a service principal name"),
            )
            .with_help(help),
        );
    }
    (lower != literal).then(|| {
        meta.finding(
            item.span,
            format!("`{literal}` has upper-case letters; service principals are lower case"),
        )
        .with_help(format!("write `{lower}`"))
        .with_severity(Severity::Warning)
    })
}

/// The service principal inside an ARN-like or padded text, when one is there:
/// `arn:aws:iam::ec2.amazonaws.com` gives `ec2.amazonaws.com`.
fn suggestion(text: &str) -> Option<String> {
    let last = text.trim().rsplit([':', '/']).next()?.to_ascii_lowercase();
    let valid = SUFFIXES
        .iter()
        .any(|suffix| last.len() > suffix.len() && last.ends_with(suffix))
        && last
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    valid.then_some(last)
}
