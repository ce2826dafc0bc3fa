//! `wildcard-action`: a service-wide action wildcard (`iam:*`, `s3:*`) on every resource.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::catalog::Catalog;

declare_rule! {
    /// ## What it does
    /// Reports an action entry of an `Allow` statement that names every action of a service
    /// (`iam:*`, `s3:*`, `ec2:*`) or every service (`*:Get*`, `s*:*`), when the statement's
    /// resources reach every resource of that service (`"*"`, `arn:aws:s3:::*`,
    /// `NotResource`) and no condition limits it. `*` on `*` is left to `admin-access`. The
    /// sensitive-action rules and `wildcard-resource` leave such an entry to this rule; only
    /// `passrole-unscoped` reports alongside, as it names a concrete path. An entry that is
    /// a privilege-escalation path (`iam:*`) is `privilege-escalation`'s, whose finding names
    /// this rule.
    ///
    /// ## Why is this bad?
    /// A service-wide wildcard grants actions nobody reviewed, including the ones AWS adds
    /// next year. `s3:*` is not "use S3": it is also `s3:PutBucketPolicy` (make a bucket
    /// public) and `s3:DeleteBucket`. `iam:*` is administrator access in all but name.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::build-artifacts/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    pub struct WildcardAction {
        category: Security,
        severity: Warning,
        confidence: High,
        group: LeastPrivilege,
        summary: "A service-wide action wildcard is allowed on every resource",
    }
}

impl Rule for WildcardAction {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for entry in cx.wildcard_entries() {
            // One root cause: `privilege-escalation` reports `iam:*` and names this.
            if cx.escalation_reports(entry.action_span) {
                continue;
            }
            let text = &entry.action_text;
            let service = text.split_once(':').map_or("", |(service, _)| service);
            let mut prefixes: Vec<&str> = entry
                .allowed
                .iter()
                .map(|id| catalog.service_prefix(id))
                .collect();
            prefixes.dedup();
            let services = prefixes.len();
            let what = if services > 1 {
                format!("{} actions of {services} services", entry.allowed.len())
            } else {
                format!("all {} actions of `{service}`", entry.allowed.len())
            };
            out.push(
                Self::META
                    .finding(
                        entry.action_span,
                        format!("`{text}` allows {what} on every resource"),
                    )
                    .with_related(entry.resource_span, "on every resource")
                    .with_help("list the actions the principal calls instead of a wildcard")
                    .with_confidence(entry.confidence),
            );
        }
    }
}
