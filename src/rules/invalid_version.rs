//! `invalid-version`: a `Version` that is not one of the two policy language versions.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::base::value::ValueKind;

declare_rule! {
    /// ## What it does
    /// Reports a `Version` that is not the string `2012-10-17` or `2008-10-17`: another date,
    /// a number, stray whitespace, or the date of the policy's creation.
    ///
    /// ## Why is this bad?
    /// `Version` is the version of the policy language, not of your policy. AWS rejects any
    /// other value.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2024-01-15", "Statement": []}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": []}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    pub struct InvalidVersion {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "`Version` is not `2012-10-17` or `2008-10-17`",
    }
}

impl Rule for InvalidVersion {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let Some(version) = cx.policy.version else {
            return;
        };
        let message = match &version.kind {
            ValueKind::String(text) if text == "2012-10-17" || text == "2008-10-17" => return,
            ValueKind::String(text) if matches!(text.trim(), "2012-10-17" | "2008-10-17") => {
                format!("`Version` `{text}` has whitespace around it")
            }
            ValueKind::String(text) => format!("`{text}` is not a policy language version"),
            ValueKind::Unknown(_) | ValueKind::Template(_) => return,
            _ => format!("`Version` must be a string, found {}", version.type_name()),
        };
        out.push(
            Self::META
                .finding(version.span, message)
                .with_help("use `\"Version\": \"2012-10-17\"`, the current policy language"),
        );
    }
}
