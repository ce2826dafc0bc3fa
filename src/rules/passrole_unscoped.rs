//! `passrole-unscoped`: `iam:PassRole` allowed on every role.

use super::admin_access::every_action_on_every_resource;
use super::{Context, Rule, declare_rule};
use crate::base::finding::{Category, Confidence, Finding, Findings, Severity};
use crate::base::rule_id::RuleId;
use crate::catalog::Catalog;
use crate::policy::effective::{ConditionClass, Hit, Reach, grants_to_holder};

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement whose actions cover `iam:PassRole` (`iam:PassRole`,
    /// `iam:Pass*`, `iam:*`, `*`, `NotAction`) on every role: `"*"`, a role wildcard that is
    /// as good as `"*"` (`arn:aws:iam::123456789012:role/*`), or `NotResource`. The finding
    /// points at the resource; an unconditional `Deny` of `iam:PassRole` silences it. A role
    /// pattern such as `role/app-*` without an `iam:PassedToService` condition gets an
    /// info-level suggestion to pin the receiving service. Roles only known at deploy time
    /// (`var.role_arn`), roles of the same code base (`!GetAtt Role.Arn`) and service-linked
    /// roles (`role/aws-service-role/...`) stay quiet, and so does a grant that a conditional
    /// `Deny` of `iam:PassRole` limits to tagged roles; a `Deny` unless `iam:PassedToService`
    /// counts as that service pin. A
    /// statement that allows `*` on `*` is one root cause, reported by `admin-access` alone
    /// (unless that rule is off); an entry that is a privilege-escalation path (`iam:*` on
    /// `*`) is reported by `privilege-escalation`, whose finding names this rule.
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
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-lambda-role",
    ///    "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Granting a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    /// - [Rhino Security Labs: AWS IAM privilege escalation methods](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    pub struct PassroleUnscoped {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "`iam:PassRole` is allowed on every role",
    }
}

impl Rule for PassroleUnscoped {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        if !grants_to_holder(cx.policy) {
            return;
        }
        let Some(pass_role) = Catalog::get().pass_role() else {
            return;
        };
        let effective = cx.effective();
        let admin_access_reports = cx.is_enabled(RuleId::AdminAccess);
        for hit in effective.hits(pass_role) {
            // `*` on `*` is one root cause, reported by admin-access alone.
            if admin_access_reports && every_action_on_every_resource(hit.grant.statement).is_some()
            {
                continue;
            }
            // An entry that escalates is `privilege-escalation`'s, which names this too.
            if cx.escalation_reports(hit.action_span) {
                continue;
            }
            // The statement's tests and those of a conditional `Deny` of `iam:PassRole`.
            let tests: Vec<_> = hit.grant.tests_for(pass_role).collect();
            let pinned_service = tests
                .iter()
                .any(|(class, _)| *class == ConditionClass::PassedToService);
            // Only a test on the role itself (its tags, its path) limits which role moves.
            let mut confidence = Self::META.confidence;
            let mut limited = false;
            for (class, _) in tests {
                match class {
                    ConditionClass::Weak | ConditionClass::PassedToService => {}
                    ConditionClass::ResourceTag => limited = true,
                    _ => confidence = Confidence::Low,
                }
            }
            if limited {
                continue;
            }
            let (reach, confidence, help) = match (hit.reach, pinned_service) {
                (Reach::Scoped | Reach::Unknown, _) => {
                    if let Some(finding) = suggestion(&hit, pinned_service) {
                        out.push(finding);
                    }
                    continue;
                }
                (_, true) => (
                    "any role",
                    confidence.min(Confidence::Medium),
                    "name the roles that may be passed, e.g. `arn:aws:iam::ACCOUNT:role/app-*`",
                ),
                (_, false) => (
                    "any role to any service",
                    confidence,
                    "name the roles that may be passed, and pin the receiving service with an `iam:PassedToService` condition",
                ),
            };
            let message = if hit.grant.is_not_resource() {
                format!(
                    "`{}` with `NotResource` allows passing {reach} but the ones listed",
                    hit.action_text
                )
            } else if hit.reach == Reach::Wildcard {
                format!(
                    "`{}` on a role wildcard allows passing {reach}",
                    hit.action_text
                )
            } else {
                format!("`{}` allows passing {reach}", hit.action_text)
            };
            out.push(
                Self::META
                    .finding(hit.resource_span, message)
                    .with_related(hit.action_span, "covers `iam:PassRole`")
                    .with_help(help)
                    .with_confidence(confidence),
            );
        }
    }
}

/// A role pattern (`role/app-*`) passed to any service: a suggestion, not an error.
fn suggestion(hit: &Hit<'_, '_, '_>, pinned_service: bool) -> Option<Finding> {
    if pinned_service || hit.reach != Reach::Scoped {
        return None;
    }
    let resources = hit.grant.statement.resources();
    // Service-linked roles trust only their service and carry fixed permissions: passing one
    // gives nothing away.
    let pattern = resources.iter().find(|r| {
        r.as_str().is_some_and(|s| {
            s.contains('*') && s.contains(":role/") && !s.contains(":role/aws-service-role/")
        })
    })?;
    let mut finding = PassroleUnscoped::META
        .finding(
            pattern.span,
            format!(
                "`{}` on a role pattern does not pin the receiving service",
                hit.action_text
            ),
        )
        .with_related(hit.action_span, "covers `iam:PassRole`")
        .with_help("add a `StringEquals` condition on `iam:PassedToService` naming the service")
        .with_confidence(Confidence::Medium);
    finding.severity = Severity::Info;
    finding.category = Category::Suggestion;
    Some(finding)
}
