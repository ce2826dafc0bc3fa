//! `forbidden-action`: an `Allow` grants an action the configuration forbids.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::base::value::Value;
use crate::catalog::{ActionSet, Catalog};
use crate::policy::Statement;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement whose actions cover an action listed in a
    /// `[[forbidden-actions]]` list of `iamlint.toml`. Patterns on both sides expand against
    /// the action catalog, so `iam:*`, `iam:Create*` and `*` all grant
    /// `iam:CreateAccessKey`, and `NotAction` grants everything it does not name. Actions
    /// denied on every resource by an unconditional `Deny` of the same policy do not count.
    /// Without a list the rule reports nothing.
    ///
    /// ## Why is this bad?
    /// Some actions are decided by an organisation, not a pull request: creating long-lived
    /// access keys, deleting KMS keys, leaving the organisation, turning off CloudTrail. A
    /// wildcard written for convenience grants them as surely as their names do.
    ///
    /// ## Example
    /// ```toml
    /// # iamlint.toml
    /// [[forbidden-actions]]
    /// actions = ["iam:CreateAccessKey"]
    /// ```
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "iam:Create*", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["iam:CreateRole", "iam:CreatePolicy"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [README: Configuration](https://github.com/iamlint/iamlint#configuration)
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    pub struct ForbiddenAction {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "An `Allow` grants an action that `iamlint.toml` forbids",
    }
}

impl Rule for ForbiddenAction {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let lists = &cx.settings.forbidden_actions;
        if lists.is_empty() {
            return;
        }
        let catalog = Catalog::get();
        let denied = denied_everywhere(cx, catalog);
        for statement in cx.policy.statements.iter().filter(|s| s.is_allow()) {
            let Some(element) = &statement.action else {
                continue;
            };
            if element.negated {
                // Everything but the named actions; an unknown entry could name anything.
                let Some(named) = expand_all(&element.items, catalog) else {
                    continue;
                };
                let granted = catalog.all_actions().difference(&named).difference(&denied);
                for list in lists {
                    report(
                        out,
                        element.key_span,
                        "`NotAction`",
                        &granted,
                        list,
                        catalog,
                    );
                }
                continue;
            }
            for item in &element.items {
                let Some(pattern) = item.as_str() else {
                    continue;
                };
                let granted = catalog.expand(pattern).difference(&denied);
                for list in lists {
                    report(
                        out,
                        item.span,
                        &format!("`{pattern}`"),
                        &granted,
                        list,
                        catalog,
                    );
                }
            }
        }
    }
}

fn report(
    out: &mut Findings,
    span: crate::base::source::Span,
    what: &str,
    granted: &ActionSet,
    list: &super::settings::ForbiddenList,
    catalog: &'static Catalog,
) {
    let hit = granted.intersection(&list.set);
    let mut names = hit.iter().map(|id| catalog.qualified_name(id));
    let Some(first) = names.next() else {
        return;
    };
    let more = hit.len() - 1;
    let tail = match more {
        0 => String::new(),
        1 => " and 1 more forbidden action".to_string(),
        n => format!(" and {n} more forbidden actions"),
    };
    let help = match &list.reason {
        Some(reason) => format!("forbidden because: {reason}"),
        None => {
            "name only the actions needed; `iamlint actions PATTERN` shows what a pattern grants"
                .to_string()
        }
    };
    out.push(
        ForbiddenAction::META
            .finding(
                span,
                format!("{what} grants `{first}`{tail}, forbidden by `iamlint.toml`"),
            )
            .with_help(help),
    );
}

/// The expansion of every entry, or `None` when one is only known at deploy time.
fn expand_all(items: &[&Value], catalog: &Catalog) -> Option<ActionSet> {
    let mut set = ActionSet::new();
    for item in items {
        set.union_with(&catalog.expand(item.as_str()?));
    }
    Some(set)
}

/// Actions an unconditional `Deny` on every resource takes away from the whole policy.
fn denied_everywhere(cx: &Context<'_>, catalog: &Catalog) -> ActionSet {
    let mut denied = ActionSet::new();
    for statement in &cx.policy.statements {
        if statement.effect != Some(crate::policy::Effect::Deny)
            || !statement.conditions.is_empty()
            || !covers_every_resource(statement)
        {
            continue;
        }
        match &statement.action {
            Some(element) if !element.negated => {
                for item in &element.items {
                    if let Some(pattern) = item.as_str() {
                        denied.union_with(&catalog.expand(pattern));
                    }
                }
            }
            _ => {}
        }
    }
    denied
}

fn covers_every_resource(statement: &Statement<'_>) -> bool {
    statement
        .resources()
        .iter()
        .any(|r| r.as_str() == Some("*"))
}
