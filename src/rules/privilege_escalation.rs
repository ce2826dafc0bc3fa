//! `privilege-escalation`: permissions that let the holder grant themselves more.

use super::{Context, Rule, declare_rule};
use crate::catalog::Catalog;
use crate::finding::Finding;
use crate::policy::Policy;
use crate::policy::effective::{Effective, Reach, grants_to_holder};
use crate::policy::escalation::{self, PathMatch};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports permissions that together form a known privilege-escalation path, from the
    /// data file `rules/privilege_escalation.json` (each entry names its source: Rhino
    /// Security Labs' methods, BishopFox iam-vulnerable, Datadog pathfinding.cloud):
    ///
    /// - self-modification: `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`,
    ///   `iam:Attach*Policy`, `iam:Put*Policy`, `iam:AddUserToGroup`,
    ///   `iam:UpdateAssumeRolePolicy` with `sts:AssumeRole`, permissions-boundary removal;
    /// - new credentials: `iam:CreateAccessKey`, `iam:CreateLoginProfile`,
    ///   `iam:UpdateLoginProfile`;
    /// - `iam:PassRole` with a service that runs code as the passed role: EC2, Lambda, Glue,
    ///   CloudFormation, Data Pipeline, CodeBuild, SageMaker, ECS, Auto Scaling, App Runner,
    ///   SSM Automation;
    /// - code or access on existing privileged resources: `lambda:UpdateFunctionCode`,
    ///   `glue:UpdateDevEndpoint`, `ssm:SendCommand`, `ssm:StartSession`... (medium
    ///   confidence: it depends on what already exists).
    ///
    /// Effective permissions decide: wildcards and `NotAction` are expanded, an
    /// unconditional `Deny` removes actions, resources count (`iam:CreatePolicyVersion` on one
    /// named policy, or `iam:PassRole` on named roles, does not fire; roles only known at
    /// deploy time lower the confidence), and conditions are classified (an
    /// `iam:PassedToService` pin only blocks paths through other services; a date condition
    /// blocks nothing). The finding points at the most specific enabling action; the other
    /// actions of the path are related labels. Paths that need several policies attached to
    /// the same principal are reported too, with labels in every file involved, and so are
    /// assume-role hops: a principal allowed `sts:AssumeRole` on a role of the same code base
    /// whose trust policy names it (or its account) inherits that role, so reaching an
    /// administrator role or a role that can escalate is reported at the `sts:AssumeRole`
    /// entry, with the trust and the role's enabling action as related labels. `*` on `*` is
    /// left to `admin-access`.
    ///
    /// ## Why is this bad?
    /// A principal that can escalate is an administrator with extra steps: whatever the rest
    /// of its policy says, anyone holding its credentials can take over the account.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// Name the role that may be passed, and the service:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-fn",
    ///    "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Rhino Security Labs: AWS IAM privilege escalation methods](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    /// - [BishopFox iam-vulnerable](https://github.com/BishopFox/iam-vulnerable)
    /// - [Datadog pathfinding.cloud](https://pathfinding.cloud/)
    pub struct PrivilegeEscalation {
        id: "privilege-escalation",
        category: Security,
        severity: Error,
        confidence: High,
        summary: "The permissions allow a known privilege-escalation path",
    }
}

impl Rule for PrivilegeEscalation {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if !grants_to_holder(cx.policy) {
            return;
        }
        let effective = cx.effective();
        let matches = escalation::find(effective);
        report(&matches, |_| true, &|_| None, out);
    }
}

/// Findings for the matches that `keep` selects, one per primary action entry; `origin_of`
/// names the policy of a related label when it is in another document.
pub fn report(
    matches: &[PathMatch<'_, '_, '_, '_>],
    keep: impl Fn(&PathMatch<'_, '_, '_, '_>) -> bool,
    origin_of: &dyn Fn(usize) -> Option<String>,
    out: &mut Vec<Finding>,
) {
    let catalog = Catalog::get();
    let mut groups: Vec<(Span, Vec<&PathMatch<'_, '_, '_, '_>>)> = Vec::new();
    for m in matches.iter().filter(|m| keep(m)) {
        let hit = &m.hits[m.primary()];
        // `*` on `*` is administrator access already: `admin-access` says so.
        if matches!(hit.action_text, "*" | "*:*") && hit.reach == Reach::Everything {
            continue;
        }
        let span = hit.action_span;
        match groups.iter_mut().find(|(s, _)| *s == span) {
            Some((_, group)) => group.push(m),
            None => groups.push((span, vec![m])),
        }
    }
    for (span, group) in groups {
        // The strongest path leads the message.
        let Some(lead) = group
            .iter()
            .enumerate()
            .min_by_key(|(index, m)| (std::cmp::Reverse(m.confidence), *index))
            .map(|(_, m)| *m)
        else {
            continue;
        };
        let primary = &lead.hits[lead.primary()];
        let needed: Vec<String> = lead
            .path
            .requires
            .iter()
            .map(|id| format!("`{}`", catalog.qualified_name(*id)))
            .collect();
        let mut message = format!(
            "`{}` allows privilege escalation: {} ({})",
            primary.action_text,
            lead.path.summary,
            needed.join(" + ")
        );
        if group.len() > 1 {
            let others: Vec<&str> = group
                .iter()
                .filter(|m| m.path.id != lead.path.id)
                .map(|m| m.path.id.as_str())
                .collect();
            let shown = others.len().min(3);
            message.push_str(&format!(
                "; {} more path{}: {}{}",
                others.len(),
                if others.len() == 1 { "" } else { "s" },
                others[..shown].join(", "),
                if others.len() > shown { ", ..." } else { "" }
            ));
        }
        let mut finding = PrivilegeEscalation::META
            .finding(span, message)
            .with_help("name the roles, policies and resources these actions apply to, or remove the actions the principal does not need")
            .with_confidence(group.iter().map(|m| m.confidence).max().unwrap_or(lead.confidence));
        let mut seen = vec![span];
        for m in &group {
            for (index, hit) in m.hits.iter().enumerate() {
                if seen.contains(&hit.action_span) {
                    continue;
                }
                seen.push(hit.action_span);
                let name = catalog.qualified_name(m.path.requires[index]);
                let label = match origin_of(hit.grant.policy) {
                    Some(origin) => format!("`{name}` from `{origin}`"),
                    None => format!("`{name}`"),
                };
                finding = finding.with_related(hit.action_span, label);
            }
        }
        out.push(finding);
    }
}

/// Policies as a per-principal view sees them.
pub fn check_principal(
    policies: &[&Policy<'_>],
    boundaries: &[&Policy<'_>],
    origin_of: &dyn Fn(usize) -> Option<String>,
    out: &mut Vec<Finding>,
) {
    let effective = Effective::new(policies, boundaries);
    let matches = escalation::find(&effective);
    // Paths that one document allows on its own were reported with that document, even when
    // the best grants found here come from several.
    let mut alone = std::collections::HashSet::new();
    for policy in policies {
        let single = Effective::of(policy);
        alone.extend(escalation::find(&single).iter().map(|m| m.path.id.as_str()));
    }
    report(
        &matches,
        |m| m.policies().len() > 1 && !alone.contains(m.path.id.as_str()),
        origin_of,
        out,
    );
}
