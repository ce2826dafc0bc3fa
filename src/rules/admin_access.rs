//! `admin-access`: a statement that allows every action on every resource.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Findings};
use crate::base::value::Value;
use crate::policy::Statement;
use crate::policy::sensitive::is_every_action;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement whose `Action` includes `*` (or `*:*`) and whose
    /// `Resource` includes `*`: full administrator access.
    ///
    /// ## Why is this bad?
    /// Whoever holds the policy can do anything in the account, including granting
    /// themselves and others any permission, deleting audit trails and reading every secret.
    /// CI users and instance roles are the usual victims: a leaked key or a compromised
    /// build becomes a compromised account. A condition on the statement lowers the
    /// confidence, not the severity: conditions such as MFA age rarely hold back an attacker
    /// who already has the credentials.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "*", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// Grant the actions the workload calls, on the resources it uses:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::build-artifacts/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [IAM Access Analyzer policy generation](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html)
    pub struct AdminAccess {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "The statement allows every action on every resource",
    }
}

impl Rule for AdminAccess {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        // `*` on `*` in a boundary, an SCP or an endpoint policy is the default filter that
        // lets everything through, not a grant.
        if cx.policy.only_filters() {
            return;
        }
        for statement in &cx.policy.statements {
            let Some((action, resource)) = every_action_on_every_resource(statement) else {
                continue;
            };
            let mut finding = Self::META
                .finding(
                    action.span,
                    "this statement allows every action on every resource",
                )
                .with_related(resource.span, "on every resource")
                .with_help("grant only the actions and resources the principal needs");
            if !statement.conditions.is_empty() {
                finding = finding.with_confidence(Confidence::Medium);
            }
            out.push(finding);
        }
    }
}

/// The `*` action and `*` resource of an `Allow` statement that grants everything: one root
/// cause, reported by this rule alone (`passrole-unscoped` leaves such statements to it).
pub(super) fn every_action_on_every_resource<'s>(
    statement: &'s Statement<'_>,
) -> Option<(&'s Value, &'s Value)> {
    if !statement.is_allow() || statement.never_applies().is_some() {
        return None;
    }
    let action = statement
        .actions()
        .iter()
        .find(|a| a.as_str().is_some_and(is_every_action))?;
    let resource = statement
        .resources()
        .iter()
        .find(|r| r.as_str() == Some("*"))?;
    Some((*action, *resource))
}
