//! `unknown-action`: an action name that the service does not have.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Finding, Findings, Severity};
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
    /// An unknown name of at most 128 characters that no action of the service is close to,
    /// and that no other service has either (`dynamodb:ListShards` is an error: it is
    /// `kinesis:ListShards`), is more
    /// likely an action AWS added after the catalog built into iamlint was taken than a typo:
    /// it is a low-confidence warning (it does not fail a build by default) that says the
    /// catalog's date and how to update, instead of an error. A name close to a known action
    /// stays an error with its did-you-mean. `[catalog] extra-actions = ["svc:NewAction"]` in
    /// `iamlint.toml` accepts an action before a release knows it.
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
    fn suggests(&self) -> bool {
        true
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (_, actions) in cx.statements() {
            for entry in &actions.entries {
                // Nearly every entry names actions: that is asked first, as it costs least.
                if !entry.actions.is_empty() {
                    continue;
                }
                let Some(name) = entry.pattern.filter(|_| !entry.generated) else {
                    continue;
                };
                let Some((service, _)) = name.split_once(':') else {
                    continue;
                };
                if entry.has_wildcard()
                    || catalog.service(service).is_none()
                    || cx.settings.catalog.is_extra_action(name)
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
                        let close = catalog.suggest_action(name);
                        if close.is_empty() {
                            same_name_elsewhere(catalog, &name[service.len() + 1..])
                        } else {
                            close
                        }
                    } else {
                        Vec::new()
                    };
                    // The longest action name of the catalog has 63 characters.
                    if suggestions.is_empty() && name.len() - service.len() <= 128 {
                        newer_than_catalog(
                            Self::META.finding(
                                entry.value.span,
                                format!(
                                    "`{}` is not an action of `{service}` in the AWS catalog of {}",
                                    clip(name),
                                    catalog.data_day()
                                ),
                            ),
                            name,
                        )
                    } else {
                        let help = if suggestions.is_empty() {
                            format!(
                                "`iamlint actions '{service}:*'` lists the actions of `{service}`"
                            )
                        } else {
                            format!("did you mean {}?", either(&suggestions))
                        };
                        Self::META
                            .finding(entry.value.span, format!("unknown action `{}`", clip(name)))
                            .with_help(help)
                    }
                };
                out.push(finding);
            }
        }
    }
}

/// Actions of other services with exactly this name: `dynamodb:ListShards` was meant for
/// `kinesis:ListShards`, a slip of the service rather than an action newer than the catalog.
fn same_name_elsewhere(catalog: &'static Catalog, action: &str) -> Vec<String> {
    catalog
        .expand(&format!("*:{action}"))
        .iter()
        .take(3)
        .map(|id| catalog.qualified_name(id))
        .collect()
}

/// A name iamlint does not know and that is close to nothing it knows: a typo, or something
/// AWS added after the catalog was taken. Not known to be wrong, so a warning of low
/// confidence, whose help says how to bring the catalog up to date or accept the action.
pub(super) fn newer_than_catalog(finding: Finding, name: &str) -> Finding {
    let name = clip(name);
    let mut help = format!(
        "a typo, or newer than this iamlint's catalog (`iamlint --version` shows its date): \
         update iamlint (`cargo install --locked iamlint`, or a newer release), or accept it \
         with `[catalog] extra-actions = [\"{name}\"]` in iamlint.toml"
    );
    if let Some((service, _)) = name.split_once(':')
        && Catalog::get().service(service).is_some()
    {
        help.push_str(&format!(
            "; `iamlint actions '{service}:*'` lists the known actions"
        ));
    }
    finding
        .with_severity(Severity::Warning)
        .with_confidence(Confidence::Low)
        .with_help(help)
}
