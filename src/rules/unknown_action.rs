//! `unknown-action`: an action name that the service does not have.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Findings, Severity};
use crate::base::suggest::either;
use crate::base::text::clip;
use crate::catalog::Catalog;

declare_rule! {
    /// ## What it does
    /// Reports an `Action` or `NotAction` entry without wildcards whose service exists but
    /// has no action of that name: a typo (`s3:GetObjcet`), a plural (`s3:GetObjects`), an
    /// API operation written for the action that authorizes it (`s3:ListBuckets` for
    /// `s3:ListAllMyBuckets`, `s3:ListObjectsV2` for `s3:ListBucket`), or an action AWS has
    /// retired, which the message says (a warning: AWS still accepts the policy, and the entry
    /// grants nothing). Case does not matter (`s3:getobject` is fine), as in
    /// IAM. Services that do not exist are `unknown-service`'s.
    ///
    /// ## Why is this bad?
    /// IAM accepts the policy, but the entry grants (or denies) nothing: the call the author
    /// meant to allow fails with `AccessDenied`, or a `Deny` meant to block it does not.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:ListBuckets", "s3:GetObjects"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetObject"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [Actions, resources, and condition keys for Amazon S3](https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)
    pub struct UnknownAction {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "An action that its service does not have",
    }
}

impl Rule for UnknownAction {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (_, actions) in cx.statements() {
            for entry in &actions.entries {
                let Some(name) = entry.pattern.filter(|_| !entry.generated) else {
                    continue;
                };
                let Some((service, _)) = name.split_once(':') else {
                    continue;
                };
                if entry.has_wildcard()
                    || !entry.actions.is_empty()
                    || catalog.service(service).is_none()
                {
                    continue;
                }
                let finding = if let Some(retired) = catalog.retired_action(name) {
                    // AWS still accepts the policy; the entry only grants nothing.
                    Self::META
                        .finding(
                            entry.value.span,
                            format!("`{name}` is a retired action: it matches nothing"),
                        )
                        .with_severity(Severity::Warning)
                        .with_help(format!(
                            "`{}` is gone from the Service Authorization Reference ({}); AWS still accepts the policy, but remove the entry",
                            retired.name, retired.note
                        ))
                } else {
                    let suggestions = if out.may_suggest() {
                        catalog.suggest_action(name)
                    } else {
                        Vec::new()
                    };
                    let help = if suggestions.is_empty() {
                        format!("`iamlint actions '{service}:*'` lists the actions of `{service}`")
                    } else {
                        format!("did you mean {}?", either(&suggestions))
                    };
                    Self::META
                        .finding(entry.value.span, format!("unknown action `{}`", clip(name)))
                        .with_help(help)
                };
                out.push(finding);
            }
        }
    }
}
