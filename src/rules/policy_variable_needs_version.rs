//! `policy-variable-needs-version`: `${...}` policy variables in a policy whose language
//! version takes them literally.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::base::value::Value;

declare_rule! {
    /// ## What it does
    /// Reports policy variables such as `${aws:username}` or `${aws:PrincipalTag/team}` in a
    /// policy whose `Version` is missing or `2008-10-17`.
    ///
    /// ## Why is this bad?
    /// Policy variables only work in the `2012-10-17` language. In older policies the text
    /// `${aws:username}` is matched literally, so a statement meant to give every user their
    /// own home folder gives access to a folder named `${aws:username}` and nothing else, or
    /// a `Deny` meant to protect other users' data protects nothing.
    ///
    /// ## Example
    /// ```json
    /// {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    /// ```
    ///
    /// ## References
    /// - [IAM policy elements: Variables and tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
    pub struct PolicyVariableNeedsVersion {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "Policy variables are taken literally unless `Version` is `2012-10-17`",
    }
}

impl Rule for PolicyVariableNeedsVersion {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let policy = cx.policy;
        if policy.supports_variables() {
            return;
        }
        let version = policy.version;
        // A version that is itself unknown or invalid is another rule's business.
        if version.is_some_and(|v| v.as_str() != Some("2008-10-17")) {
            return;
        }
        for statement in &policy.statements {
            let resources = statement
                .resource
                .iter()
                .flat_map(|r| r.items.iter().copied());
            let conditions = statement
                .conditions
                .iter()
                .flat_map(|c| c.values.iter().copied());
            for value in resources.chain(conditions) {
                let Some(variable) = first_variable(value) else {
                    continue;
                };
                let reason = match version {
                    Some(_) => "the policy's `Version` is `2008-10-17`",
                    None => "the policy has no `Version`",
                };
                let mut finding = Self::META
                    .finding(
                        value.span,
                        format!("policy variable `{variable}` is taken literally: {reason}"),
                    )
                    .with_help("set `\"Version\": \"2012-10-17\"` so the variable is replaced");
                if let Some(version) = version {
                    finding = finding.with_related(version.span, "old policy language version");
                }
                out.push(finding);
            }
        }
    }
}

/// The first `${...}` in the known parts of a string value.
fn first_variable(value: &Value) -> Option<String> {
    value
        .template_parts()
        .into_iter()
        .flatten()
        .find_map(|text| {
            let start = text.find("${")?;
            let length = text[start..].find('}')?;
            Some(text[start..=start + length].to_string())
        })
}
