//! `write-without-constraints`: write actions are allowed on every resource without a condition.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::sensitive::{Kind, name_list};

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement that grants actions of the catalog's "Write" access level
    /// on every resource without a condition that limits them. Actions that only accept
    /// `"*"` are left out (there is nothing narrower to write), and so are actions that
    /// `permissions-management`, `credentials-exposure`, `resource-exposure` and
    /// `passrole-unscoped` report; service-wide wildcards (`s3:*`), `*` and `NotAction` are left
    /// to `wildcard-action`, `admin-access` and `allow-with-not-action`. One finding per
    /// statement, at its first write action entry; `wildcard-resource` does not name these
    /// actions again.
    ///
    /// ## Why is this bad?
    /// Write on everything means delete, overwrite and reconfigure on every resource of the
    /// service, including the ones other teams and other workloads depend on.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:DeleteTable"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Access levels in policy summaries](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html)
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    pub struct WriteWithoutConstraints {
        category: Security,
        severity: Warning,
        confidence: High,
        group: LeastPrivilege,
        summary: "Write actions are allowed on every resource without a condition",
    }
}

impl Rule for WriteWithoutConstraints {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        // One finding per statement: policies list dozens of write actions on `"*"`, and one
        // line per action would bury the other rules.
        // Entries come statement by statement.
        for entries in cx
            .broad_entries(Kind::WriteWithoutConstraints)
            .chunk_by(|a, b| a.statement == b.statement)
        {
            let Some(first) = entries.first() else {
                continue;
            };
            let actions: Vec<_> = entries
                .iter()
                .flat_map(|e| e.actions.iter().copied())
                .collect();
            let message = if entries.len() == 1 {
                first.message("writing")
            } else {
                format!(
                    "{} write actions are allowed on every resource: {}",
                    actions.len(),
                    name_list(&actions, 3)
                )
            };
            out.push(Self::META
                .finding(first.action_span, message)
                .with_related(first.resource_span, "on every resource")
                .with_help("name the resources, or add a condition (tags, `aws:ResourceAccount`) that limits them")
                .with_confidence(first.confidence));
        }
    }
}
