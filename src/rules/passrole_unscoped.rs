//! `passrole-unscoped`: `iam:PassRole` allowed on every role.

use super::{Context, Rule, declare_rule};
use crate::catalog::wildcard_match;
use crate::finding::{Confidence, Finding};

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement whose actions cover `iam:PassRole` (`iam:PassRole`,
    /// `iam:Pass*`, `iam:*`, `*`) with `Resource: "*"`. The finding points at the `"*"`.
    ///
    /// ## Why is this bad?
    /// Passing a role to a service (EC2, Lambda, Glue, CloudFormation, ECS...) lets that
    /// service act with the role's permissions on your behalf. Allowed on every role, it lets
    /// the holder hand the most powerful role in the account to a compute resource they
    /// control and use it: one of the most common privilege escalation paths in AWS. A
    /// condition on `iam:PassedToService` narrows who may receive the role, not which role.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-lambda-role",
    ///  "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}
    /// ```
    ///
    /// ## References
    /// - [Granting a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    /// - [Rhino Security Labs: AWS IAM privilege escalation methods](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    pub struct PassroleUnscoped {
        id: "passrole-unscoped",
        category: Security,
        severity: Error,
        confidence: High,
        summary: "`iam:PassRole` is allowed on every role",
    }
}

impl Rule for PassroleUnscoped {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for statement in cx.policy.statements.iter().filter(|s| s.is_allow()) {
            let Some(action) = statement.actions().iter().find(|action| {
                action
                    .as_str()
                    .is_some_and(|pattern| wildcard_match(pattern, "iam:PassRole", true))
            }) else {
                continue;
            };
            let Some(resource) = statement
                .resources()
                .iter()
                .find(|r| r.as_str() == Some("*"))
            else {
                continue;
            };
            let pinned_service = statement
                .conditions
                .iter()
                .any(|c| c.key.eq_ignore_ascii_case("iam:PassedToService"));
            let (reach, confidence, help) = if pinned_service {
                (
                    "any role",
                    Confidence::Medium,
                    "name the roles that may be passed, e.g. `arn:aws:iam::ACCOUNT:role/app-*`",
                )
            } else {
                (
                    "any role to any service",
                    Self::META.confidence,
                    "name the roles that may be passed, and pin the receiving service with an `iam:PassedToService` condition",
                )
            };
            let finding = Self::META
                .finding(
                    resource.span,
                    format!(
                        "`{}` allows passing {reach}",
                        action.as_str().unwrap_or_default()
                    ),
                )
                .with_related(action.span, "covers `iam:PassRole`")
                .with_help(help)
                .with_confidence(confidence);
            out.push(finding);
        }
    }
}
