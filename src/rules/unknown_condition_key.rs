//! `unknown-condition-key`: a condition key that none of the statement's actions has.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Findings, Severity};
use crate::base::suggest::either;
use crate::base::text::clip;
use crate::catalog::{Catalog, KeyScope};

declare_rule! {
    /// ## What it does
    /// Reports a condition key that is neither a global key (`aws:SourceIp`,
    /// `aws:PrincipalTag/team`) nor defined for any action of the statement, directly or
    /// through the resource types it acts on: a typo (`aws:SourceIP` is fine, case does not
    /// matter, but `aws:SoruceIp` is not), a key of another service (`s3:prefix` on
    /// `ec2:*`), a plural (`aws:RequestTags/Owner`). Templated keys are matched as such:
    /// `aws:RequestTag/${TagKey}` covers `aws:RequestTag/Owner`, `s3:ExistingObjectTag/<key>`
    /// covers `s3:ExistingObjectTag/classification`. Claims of OpenID Connect providers on
    /// `sts:AssumeRoleWithWebIdentity` (`token.actions.githubusercontent.com:sub`) are
    /// accepted. Statements with `NotAction`, unknown actions or values only known at deploy
    /// time are not judged. A key of the statement's own service that the reference does not
    /// list for its actions is reported at `warning` severity and low confidence (those lists
    /// lag behind the services), and not at all for prefixes that several reference pages
    /// share.
    ///
    /// ## Why is this bad?
    /// A key that is not in the request context is absent: `StringEquals` on it never
    /// matches, so an `Allow` grants nothing, while `StringNotEquals` always matches, so a
    /// `Deny` meant for a few requests blocks every one (or an `Allow` meant to be narrow is
    /// wide open with `...IfExists`).
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
    ///    "Condition": {"StringEquals": {"ec2:ResourceTags/team": "web"}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
    ///    "Condition": {"StringEquals": {"ec2:ResourceTag/team": "web"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    pub struct UnknownConditionKey {
        category: Correctness,
        severity: Error,
        confidence: Medium,
        summary: "A condition key that is neither global nor defined for the statement's actions",
    }
}

impl Rule for UnknownConditionKey {
    fn suggests(&self) -> bool {
        true
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (statement, actions) in cx.statements() {
            let Some(set) = actions.exact() else {
                continue;
            };
            for condition in &statement.conditions {
                let key = condition.key;
                if catalog.is_known_condition_key(key, set) {
                    continue;
                }
                // Any OpenID Connect provider adds its own claims; the catalog cannot list them.
                let provider = key
                    .split_once(':')
                    .is_some_and(|(p, _)| p.contains(['.', '/']));
                // Looked up here, for the few unknown keys: at the top of every document it
                // cost more than the rest of the rule.
                let web_identity = || catalog.action("sts:AssumeRoleWithWebIdentity");
                if provider && web_identity().is_some_and(|id| set.contains(id)) {
                    continue;
                }
                let info = catalog.condition_key(key, set);
                let service = match info.map(|i| i.scope) {
                    Some(KeyScope::Service(prefix)) => catalog.service(prefix),
                    _ => None,
                };
                let same_service = service.is_some_and(|s| set.intersects(&s.actions()));
                // Where reference pages share a prefix, an action's key list may come from the
                // other page; a key of that prefix proves nothing.
                if same_service && service.is_some_and(|s| catalog.is_shared_prefix(s.prefix())) {
                    continue;
                }
                let suggestions = if out.may_suggest() {
                    catalog.suggest_condition_key(key, set)
                } else {
                    Vec::new()
                };
                let defined_elsewhere = info.is_some();
                let message = if defined_elsewhere {
                    format!(
                        "`{}` does not apply to any action of this statement",
                        clip(key)
                    )
                } else {
                    format!("unknown condition key `{}`", clip(key))
                };
                let help = match (suggestions.is_empty(), defined_elsewhere) {
                    (false, _) => format!("did you mean {}?", either(&suggestions)),
                    (true, true) => "the key belongs to other actions; `iamlint actions` lists the keys of each action".to_string(),
                    (true, false) => "use a global key (`aws:...`) or a key of the statement's actions; `iamlint actions` lists them".to_string(),
                };
                let mut finding = Self::META
                    .finding(condition.key_span, message)
                    .with_help(help);
                if same_service && suggestions.is_empty() {
                    // A key of the statement's own service: per-action key lists in the
                    // reference lag behind the services more than anything else.
                    finding = finding
                        .with_severity(Severity::Warning)
                        .with_confidence(Confidence::Low);
                }
                out.push(finding);
            }
        }
    }
}
