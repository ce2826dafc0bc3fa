//! `invalid-sid`: a `Sid` with characters IAM rejects in identity policies.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports a statement id that contains anything but ASCII letters and digits in an
    /// identity policy (a policy attached to a user, group or role, a permissions boundary or
    /// a service control policy). Resource policies, such as S3 bucket policies, accept more
    /// characters and are not checked.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy: `Sid` values in identity policies may only hold `A-Z`, `a-z`
    /// and `0-9`. Spaces, dashes and underscores are common mistakes, often copied from a
    /// bucket policy.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "read-only access", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "ReadOnlyAccess", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    pub struct InvalidSid {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A `Sid` in an identity policy may only contain ASCII letters and digits",
    }
}

impl Rule for InvalidSid {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        if !cx.policy.is_identity_like() {
            return;
        }
        for sid in cx.policy.statements.iter().filter_map(|s| s.sid) {
            let Some(text) = sid.as_str() else { continue };
            if text.chars().all(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let help = match suggested_sid(text) {
                Some(fixed) => format!("use only ASCII letters and digits, e.g. `{fixed}`"),
                None => "use only ASCII letters and digits".to_string(),
            };
            out.push(
                Self::META
                    .finding(
                        sid.span,
                        format!("statement id `{text}` has characters IAM rejects"),
                    )
                    .with_help(help),
            );
        }
    }
}

/// `read-only access` → `ReadOnlyAccess`: the words joined in PascalCase. `None` when the id
/// holds letters outside ASCII (dropping them would mangle the words) or nothing usable.
fn suggested_sid(text: &str) -> Option<String> {
    if text.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
        return None;
    }
    let fixed: String = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect();
    (!fixed.is_empty()).then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::suggested_sid;

    #[test]
    fn suggestions_join_words_in_pascal_case() {
        assert_eq!(
            suggested_sid("read-only access").as_deref(),
            Some("ReadOnlyAccess")
        );
        assert_eq!(
            suggested_sid("Allow_S3_Read").as_deref(),
            Some("AllowS3Read")
        );
        assert_eq!(suggested_sid("--"), None);
        assert_eq!(suggested_sid("ÉcritureJournaux"), None);
    }
}
