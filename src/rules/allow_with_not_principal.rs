//! `allow-with-not-principal`: `Allow` with `NotPrincipal`, which grants to everyone not listed.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of a resource or trust policy that names whom it applies
    /// to with `NotPrincipal`. `Deny` with `NotPrincipal` (deny everyone but these) is left
    /// alone.
    ///
    /// ## Why is this bad?
    /// `Allow` with `NotPrincipal` grants the statement to every principal except the ones
    /// listed: every AWS account, and anonymous users too. AWS's documentation says never to
    /// use `NotPrincipal` with `Allow`; it is almost always meant as a `Deny` with
    /// `NotPrincipal`, or an `Allow` with `Principal`.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:user/mallory"},
    ///    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/reader"},
    ///    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [AWS JSON policy elements: NotPrincipal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
    pub struct AllowWithNotPrincipal {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "`Allow` with `NotPrincipal` grants to every principal not listed, anonymous users included",
    }
}

impl Rule for AllowWithNotPrincipal {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in cx.policy.statements.iter().filter(|s| s.is_allow()) {
            let Some(principal) = statement.principal.as_ref().filter(|p| p.negated) else {
                continue;
            };
            out.push(
                Self::META
                    .finding(
                        principal.key_span,
                        "`Allow` with `NotPrincipal` grants to every principal except the ones \
                         listed, anonymous users included",
                    )
                    .with_help(
                        "name whom the statement grants to with `Principal`, or make this a \
                         `Deny`",
                    ),
            );
        }
    }
}
