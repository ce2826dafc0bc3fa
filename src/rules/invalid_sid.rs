//! `invalid-sid`: a `Sid` with characters IAM rejects in identity policies.

use super::{Context, Rule, declare_rule};
use crate::finding::Finding;

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
    /// {"Sid": "read-only access", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Sid": "ReadOnlyAccess", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    pub struct InvalidSid {
        id: "invalid-sid",
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A `Sid` in an identity policy may only contain ASCII letters and digits",
    }
}

impl Rule for InvalidSid {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if !cx.policy.is_identity_like() {
            return;
        }
        for sid in cx.policy.statements.iter().filter_map(|s| s.sid) {
            let Some(text) = sid.as_str() else { continue };
            if text.chars().all(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let fixed: String = text.chars().filter(char::is_ascii_alphanumeric).collect();
            let help = if fixed.is_empty() {
                "use only ASCII letters and digits".to_string()
            } else {
                format!("use only ASCII letters and digits, e.g. `{fixed}`")
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
