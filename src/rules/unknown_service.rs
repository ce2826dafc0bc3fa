//! `unknown-service`: an action whose service prefix AWS does not have.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Finding, Findings, Severity};
use crate::base::suggest::either;
use crate::base::text::clip;
use crate::catalog::{Catalog, Retired, has_wildcard};
use crate::policy::actions::ActionEntry;
use crate::rules::unknown_action::newer_than_catalog;

declare_rule! {
    /// ## What it does
    /// Reports an `Action` or `NotAction` entry whose service prefix (the part before the
    /// `:`) is not a service of the Service Authorization Reference: a typo (`s4:GetObject`),
    /// a product name instead of the prefix (`stepfunctions:StartExecution` for
    /// `states:StartExecution`), or a service AWS has retired (`codestar`, `iotevents`),
    /// which the message says. Prefixes compare without regard to case, as IAM does.
    ///
    /// A retired service is one warning per statement, naming its entries: AWS still accepts
    /// the policy, and the entries grant nothing.
    ///
    /// A prefix that is well formed (ASCII letters, digits and `-`, starting with a letter, at
    /// most 64 characters) and close
    /// to no known service (no did-you-mean) is more likely a service AWS launched after the
    /// catalog built into iamlint was taken: a low-confidence warning (it does not fail a build
    /// by default) that says the catalog's date and how to update. Other unknown prefixes, a
    /// near miss of a known one or not shaped like a prefix, are errors.
    /// `[catalog] extra-actions = ["svc:NewAction"]` in `iamlint.toml` makes the service known.
    ///
    /// ## Why is this bad?
    /// The entry grants (or denies) nothing. The permission the author meant is missing, and
    /// a `Deny` that was supposed to protect something does not.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "stepfunctions:StartExecution", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "states:StartExecution", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    pub struct UnknownService {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "An action names a service prefix that AWS does not have",
    }
}

impl Rule for UnknownService {
    fn suggests(&self) -> bool {
        true
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (_, actions) in cx.statements() {
            // A retired service's entries of one statement: one finding, at the first.
            let mut retired: Vec<(Retired, Vec<&ActionEntry>)> = Vec::new();
            for entry in &actions.entries {
                // An entry that names actions has a known service; most do.
                if !entry.actions.is_empty() {
                    continue;
                }
                let Some(pattern) = entry.pattern.filter(|_| !entry.generated) else {
                    continue;
                };
                let Some((service, _)) = pattern.split_once(':') else {
                    continue;
                };
                if has_wildcard(service)
                    || catalog.service(service).is_some()
                    || cx.settings.catalog.is_extra_service(service)
                {
                    continue;
                }
                if let Some(service) = catalog.retired_service(service) {
                    match retired
                        .iter_mut()
                        .find(|(seen, _)| seen.name == service.name)
                    {
                        Some((_, entries)) => entries.push(entry),
                        None => retired.push((service, vec![entry])),
                    }
                    continue;
                }
                let may_suggest = out.may_suggest();
                let mut suggestions = if entry.has_wildcard() || !may_suggest {
                    Vec::new()
                } else {
                    catalog.suggest_action(pattern)
                };
                if suggestions.is_empty() && may_suggest {
                    let action = &pattern[service.len()..];
                    suggestions = catalog
                        .suggest_service(service)
                        .into_iter()
                        .map(|prefix| format!("{prefix}{action}"))
                        .collect();
                }
                if suggestions.is_empty() && shaped_like_a_prefix(service) {
                    out.push(newer_than_catalog(
                        Self::META.finding(
                            entry.value.span,
                            format!(
                                "`{}` is not a service prefix in the AWS catalog of {}",
                                clip(service),
                                catalog.data_day()
                            ),
                        ),
                        pattern,
                    ));
                    continue;
                }
                let help = if suggestions.is_empty() {
                    "use the service prefix of the Service Authorization Reference, e.g. `s3` or `states`; `iamlint actions` lists what a pattern grants".to_string()
                } else {
                    format!("did you mean {}?", either(&suggestions))
                };
                out.push(
                    Self::META
                        .finding(
                            entry.value.span,
                            format!("unknown service prefix `{}`", clip(service)),
                        )
                        .with_help(help),
                );
            }
            for (service, entries) in retired {
                out.push(retired_service(service, &entries));
            }
        }
    }
}

/// Whether `service` could be an AWS service prefix: letters, digits and `-`, starting with
/// a letter, as every prefix of the catalog is (`s3`, `execute-api`; case does not matter),
/// and at most 64 characters (the longest known has 35).
fn shaped_like_a_prefix(service: &str) -> bool {
    service.len() <= 64
        && service.starts_with(|c: char| c.is_ascii_alphabetic())
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// One statement's entries of a retired service: a warning, since AWS still accepts the
/// policy and the entries only grant (or deny) nothing.
fn retired_service(service: Retired, entries: &[&ActionEntry]) -> Finding {
    let names: Vec<String> = entries
        .iter()
        .filter_map(|entry| entry.pattern)
        .map(|pattern| format!("`{}`", clip(pattern)))
        .collect();
    let (first, rest) = entries
        .split_first()
        .expect("a retired service has an entry");
    let mut finding = UnknownService::META
        .finding(
            first.value.span,
            format!(
                "`{}` is a retired AWS service: {} {} nothing",
                service.name,
                names.join(", "),
                if names.len() == 1 { "matches" } else { "match" }
            ),
        )
        .with_severity(Severity::Warning)
        .with_help(format!(
            "`{}` is gone from the Service Authorization Reference ({}); AWS still accepts the \
             policy, but remove the {}",
            service.name,
            service.note,
            if names.len() == 1 { "entry" } else { "entries" }
        ));
    for entry in rest {
        finding = finding.with_related(entry.value.span, "also of the retired service");
    }
    finding
}
