//! `action-pattern-matches-nothing`: an action wildcard that no action matches.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::base::suggest::distance_at_most;
use crate::base::text::clip;
use crate::catalog::{Catalog, has_wildcard};

declare_rule! {
    /// ## What it does
    /// Reports an `Action` or `NotAction` pattern with `*` or `?` that matches no action of
    /// the catalog: `s3:Gett*`, `ec2:Descibe*`, `*:GetObjectz*`. Patterns of services that do
    /// not exist are `unknown-service`'s.
    ///
    /// ## Why is this bad?
    /// The entry grants (or denies) nothing today. A wildcard is usually meant to cover a
    /// family of actions; one that covers none is a typo, and the permissions it was written
    /// for are missing.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:Gett*", "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    pub struct ActionPatternMatchesNothing {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "An action wildcard that matches no action",
    }
}

impl Rule for ActionPatternMatchesNothing {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (_, actions) in cx.statements() {
            for entry in &actions.entries {
                // Nearly every entry names actions: that is asked first, as it costs least.
                if !entry.actions.is_empty() {
                    continue;
                }
                let Some(pattern) = entry.pattern.filter(|_| !entry.generated) else {
                    continue;
                };
                if !entry.has_wildcard() || cx.settings.catalog.matches_extra_action(pattern) {
                    continue;
                }
                let Some((service, _)) = pattern.split_once(':') else {
                    continue;
                };
                if !has_wildcard(service) && catalog.service(service).is_none() {
                    continue;
                }
                let help = match closer_pattern(catalog, pattern) {
                    Some((shorter, n)) => format!(
                        "did you mean `{shorter}`? It matches {n} action{}",
                        if n == 1 { "" } else { "s" }
                    ),
                    None => "`iamlint actions PATTERN` shows what a pattern matches".to_string(),
                };
                out.push(
                    Self::META
                        .finding(
                            entry.value.span,
                            format!("`{}` matches no action", clip(pattern)),
                        )
                        .with_help(help),
                );
            }
        }
    }
}

/// `s3:Gett*` -> `s3:Get*`, `ec2:Descibe*` -> `ec2:Describe*`: the pattern with the part
/// before its first wildcard replaced by the closest start of an action name of the same
/// service, when that matches something, and how many actions it matches.
fn closer_pattern(catalog: &'static Catalog, pattern: &str) -> Option<(String, usize)> {
    let cut = pattern.find(['*', '?'])?;
    let (head, tail) = pattern.split_at(cut);
    let (service, literal) = head.split_once(':')?;
    if literal.len() < 3 || has_wildcard(service) {
        return None;
    }
    let literal = literal.to_ascii_lowercase();
    let names = catalog.service(service)?.actions();
    let mut best: Option<(usize, &str)> = None;
    for id in names.iter() {
        let name = catalog.action_name(id);
        for len in literal.len().saturating_sub(1)..=literal.len() + 1 {
            let Some(start) = name.get(..len) else {
                continue;
            };
            let Some(d) = distance_at_most(&literal, &start.to_ascii_lowercase(), 2) else {
                continue;
            };
            if best.is_none_or(|(b, s)| (d, start.len()) < (b, s.len())) {
                best = Some((d, start));
            }
        }
    }
    let (_, start) = best?;
    let candidate = format!("{service}:{start}{tail}");
    let n = catalog.expand(&candidate).len();
    (n > 0).then_some((candidate, n))
}
